import test from 'ava';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { analyze, analyzeInputs } from '../src/pipeline/analyze.js';
import type { Report } from '../src/model/report.js';
import { buildAntelope, HOSTS, MISSING_ON_CMP02, UUIDS } from '../scripts/samples/cloud-antelope.js';
import { PIKE } from '../scripts/samples/cloud-pike.js';
import { cli, SAMPLES } from './helpers/cli.js';
import { ROOT } from './helpers/shared.js';
import { sosTree, tmp } from './helpers/fixture-tree.js';

const KOLLA = join(SAMPLES, 'antelope-kolla');
const scenario = buildAntelope();
const builds = scenario.expect.builds as Record<string, { req: string; uuid: string }>;
const antelope = analyzeInputs([KOLLA]);
const pike = analyzeInputs([join(SAMPLES, 'pike-rdo')]);

function kinds(r: Report): string[] {
  return r.incidents.map((i) => `${i.kind}/${i.cause.code}/${i.instanceUuid}`).sort();
}

test("kolla 2023.1 sample: exactly the seeds' incidents, with the right causes; the decoys give none", async (t) => {
  const r = await antelope;
  t.deepEqual(kinds(r), [
    `cpu-incompatible-migration/cpu-incompatible/${UUIDS.web01}`,
    `failed-build/host-not-mapped/${UUIDS.app07}`,
    `failed-build/max-unit-exceeded/${UUIDS.bigvm}`,
    `unmanaged-allocation/failed-migration/${UUIDS.web02}`,
    `unmanaged-allocation/instance-deleted/${UUIDS.batch3}`,
  ]);
  // decoys: successful builds and migration
  for (const u of [UUIDS.db01, UUIDS.cache02])
    t.false(
      r.incidents.some((i) => i.instanceUuid === u),
      u,
    );
  t.false(r.incidents.some((i) => i.requestIds.includes(scenario.expect.okMigrationRequest as string)));
});

test('seed 001 in the sample: the failing request first, 64 VCPU vs max_unit 48, the path api → scheduler → placement → conductor', async (t) => {
  const i = (await antelope).incidents.find((x) => x.instanceUuid === UUIDS.bigvm)!;
  t.is(i.requestIds[0], builds.bigvm.req);
  t.like(i.cause.details, { resourceClass: 'VCPU', requestedAmount: 64, maxUnit: 48, allocationRatio: 4 });
  t.deepEqual([...new Set(i.timeline.map((e) => e.service))], ['nova-api', 'nova-scheduler', 'placement-api', 'nova-conductor']);
  t.true(i.timeline.some((e) => e.failing && e.service === 'nova-conductor'));
});

test('seed 002 in the sample: source, destination, migration uuid, request id and the missing CPU features', async (t) => {
  const i = (await antelope).incidents.find((x) => x.kind === 'cpu-incompatible-migration')!;
  t.is(i.requestIds[0], scenario.expect.migrationRequest as string);
  t.like(i.cause.details, {
    source: HOSTS.cmp01,
    destination: HOSTS.cmp02,
    migrationUuid: UUIDS.migFailed,
    sourceCpuMode: 'host-model',
    baselineModel: 'Broadwell-noTSX-IBRS',
  });
  t.deepEqual(i.cause.details.missingFeatures, MISSING_ON_CMP02);
});

test('seed 003 in the sample: the deleted instance keeps its allocation, the domain is still defined, power sync 1 vs 2', async (t) => {
  const i = (await antelope).incidents.find((x) => x.instanceUuid === UUIDS.batch3)!;
  t.like(i.cause.details, { host: HOSTS.cmp02, domain: 'instance-000150a8', domainState: 'shut off', powerSync: [1, 2] });
  t.true(i.count > 100, 'a warning every minute since 14:01, one incident');
  t.true(
    i.evidence.some((e) => 'db' in e.source && e.source.table === 'allocations'),
    'cites the orphan-allocation finding',
  );
});

test('seed 004 in the sample: the build sent to unmapped cmp03, joined to its instance through the request', async (t) => {
  const r = await antelope;
  const builds004 = r.incidents.filter((x) => x.kind === 'failed-build' && x.cause.code === 'host-not-mapped');
  t.is(builds004.length, 1);
  t.is(builds004[0].requestIds[0], builds.app07.req);
  t.is(builds004[0].cause.details.host, HOSTS.cmp03);
  t.true(
    r.hosts.some((h) => h.name === HOSTS.cmp03 && h.missing),
    'cmp03 is named, with no sosreport',
  );
});

test('clock offsets are estimated from requests crossing hosts and bound the true offsets (cmp01 +2.35 s, cmp02 -0.8 s)', async (t) => {
  const r = await antelope;
  const off = (h: string) => r.hosts.find((x) => x.name === h)!.clockOffset;
  const c1 = off(HOSTS.cmp01);
  const c2 = off(HOSTS.cmp02);
  t.is(off(HOSTS.ctl01).method, 'reference');
  t.is(c1.method, 'bounded');
  t.true(Math.abs(c1.offsetMs - 2350) <= c1.uncertaintyMs!, JSON.stringify(c1));
  t.true(Math.abs(c2.offsetMs + 800) <= c2.uncertaintyMs!, JSON.stringify(c2));
  // the timeline is ordered on the reference clock
  const i = r.incidents.find((x) => x.kind === 'cpu-incompatible-migration')!;
  const adj = i.timeline.map((e) => e.adjustedTs);
  t.deepEqual(adj, [...adj].sort());
});

test('Pike sample (seed 000): insufficient capacity with the orphan share, and the 404 of a running VM', async (t) => {
  const r = await pike;
  const build = r.incidents.find((i) => i.instanceUuid === PIKE.failedBuild)!;
  t.is(build.cause.code, 'insufficient-capacity');
  t.is(build.requestIds[0], PIKE.failedReq);
  t.true((build.cause.details.tippedByOrphans as string[]).includes('compute1'));
  t.true(build.timeline.some((e) => /找不到有效主机/.test(e.message)));
  const nf = r.incidents.find((i) => i.kind === 'missing-instance-mapping')!;
  t.is(nf.instanceUuid, PIKE.unmapped);
  t.is(nf.requestIds[0], PIKE.notFoundReq);
  t.false(
    r.incidents.some((i) => i.instanceUuid === (scenario.expect as Record<string, unknown>).okBuild),
    'the 210 MB build succeeded',
  );
  t.is(r.incidents.length, 2);
});

test('the JSON report validates against docs/report.schema.json, for both samples', async (t) => {
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
  const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'docs', 'report.schema.json'), 'utf8')));
  for (const r of [await antelope, await pike]) {
    const ok = validate(JSON.parse(JSON.stringify(r)));
    t.true(ok, JSON.stringify(validate.errors?.slice(0, 3)));
  }
});

/** An incident but for the times its hosts' clock offsets set (`--instance` estimates them from its requests alone). */
function unclocked(i: Report['incidents'][number]): unknown {
  const { start: _s, end: _e, timeline, ...rest } = i;
  return { ...rest, timeline: timeline.map(({ adjustedTs: _a, ...t }) => t) };
}

test("--instance: each instance's incidents as the whole report tells them, the findings about it or cited by them, its logs' other lines not read", async (t) => {
  const whole = await antelope;
  t.is(whole.coverage.focus, undefined);
  for (const i of whole.incidents) {
    const focused = await analyzeInputs([KOLLA], { instance: i.instanceUuid });
    // Its story, the same but for the times the clock offsets set: its requests' lines were all read.
    t.deepEqual(focused.incidents.map(unclocked), [unclocked(i)], i.title);
    const f = focused.coverage.focus!;
    t.is(f.instance, i.instanceUuid!);
    // The other instances' incidents its lines show: their lines mostly passed over, no more than the whole report's.
    t.true(f.incidentsLeftOut <= whole.incidents.length - 1, i.title);
    // What was passed over is counted per file, and summed.
    t.true(f.linesPassedOver! > 0, i.title);
    t.is(
      f.linesPassedOver,
      focused.coverage.files.reduce((n, x) => n + (x.outsideFocus?.linesPassedOver ?? 0), 0),
    );
  }
  // app-07: its allocation left on cmp03, and cmp03 unmapped (the finding its incident cites); its 2 requests.
  const app07 = await analyzeInputs([KOLLA], { instance: UUIDS.app07 });
  t.deepEqual(app07.findings.map((f) => f.code).sort(), ['orphan-allocation', 'unmapped-host']);
  t.like(app07.coverage.focus, { findingsLeftOut: whole.findings.length - 2, requests: 2, migrations: 0 });
  // web-02's allocation is its failed migration's: the dump's migrations row names that uuid, and the tracker's
  // complaints about it (which never name the instance) are all read.
  const web02 = await analyzeInputs([KOLLA], { instance: UUIDS.web02 });
  t.like(web02.coverage.focus, { migrations: 1 });
  // An instance nothing names: no incident; the others its lines read show are counted as left out.
  const none = await analyzeInputs([KOLLA], { instance: '00000000-0000-4000-8000-000000000000' });
  t.deepEqual(none.incidents, []);
  t.true(none.coverage.focus!.incidentsLeftOut <= whole.incidents.length);
  // With a window the window gates the reading: the focus only keeps what is reported.
  const windowed = await analyzeInputs([KOLLA], { window: { since: '2024-10-02T11:00:00.000' }, instance: UUIDS.app07 });
  t.is(windowed.coverage.focus?.linesPassedOver, undefined);
  // Reports with the focus (and with a window) still validate.
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
  const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'docs', 'report.schema.json'), 'utf8')));
  for (const r of [app07, windowed]) t.true(validate(JSON.parse(JSON.stringify(r))), JSON.stringify(validate.errors?.slice(0, 3)));
});

test("--instance: a rotated log gzipped in the sosreport is searched decompressed; a traceback without a request goes with its record, and the compute's periodic lines are read", async (t) => {
  // The sample with its compute's log rotated and gzipped, as sos collects `nova-compute.log.1.gz`.
  const dir = join(tmp(), 'antelope-kolla');
  cpSync(KOLLA, dir, { recursive: true });
  const log = join(dir, 'sosreport-cmp02-2024-10-02-tnfoubc', 'var', 'log', 'kolla', 'nova', 'nova-compute.log');
  writeFileSync(`${log}.1.gz`, gzipSync(readFileSync(log)));
  rmSync(log);
  const whole = await analyzeInputs([dir]);
  t.is(whole.incidents.length, (await antelope).incidents.length);
  for (const i of whole.incidents) {
    const u = i.instanceUuid!;
    const plain = (await analyzeInputs([KOLLA], { instance: u })).coverage.focus!;
    const gz = await analyzeInputs([dir], { instance: u });
    // seed 003's instance is named by the compute's periodic lines: 119 requests, all in the gzipped log.
    t.is(gz.coverage.focus!.requests, plain.requests, u);
    // Each story as the whole report tells it. The CPU check's traceback (the destination's RPC server writes it
    // without the request) gives its chain; the deleted instance's cause cites the power-state sync, a host-wide
    // line past the gzipped log's first chunk.
    t.deepEqual(gz.incidents.map(unclocked), [unclocked(i)], i.title);
  }
  t.regex(whole.incidents.find((x) => x.kind === 'cpu-incompatible-migration')!.cause.summary, /wrapping InvalidCPUInfo/);
  t.like(whole.incidents.find((x) => x.instanceUuid === UUIDS.batch3)!.cause.details, { powerSync: [1, 2] });
});

test('--instance through the CLI: said in every format; a value that is no uuid is refused before anything is read', async (t) => {
  const summary = await cli(['analyze', KOLLA, '--instance', UUIDS.app07, '--format', 'summary', '--quiet']);
  t.is(summary.code, 0);
  t.regex(summary.stdout, new RegExp(`^Instance \\(--instance\\): only what is about instance ${UUIDS.app07} is reported`, 'm'));
  t.regex(summary.stdout, /\d incident\(s\) about other instances in the lines read/);
  const md = await cli(['report', KOLLA, '--instance', UUIDS.app07, '--quiet']);
  t.regex(md.stdout, /Instance \(--instance\): only what is about instance/);
  const bad = await cli(['analyze', KOLLA, '--instance', 'app-07', '--format', 'summary']);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /--instance wants an instance uuid/);
  t.is(bad.stdout, '');
});

test('TripleO layout: the same cmp02 sosreport under var/log/containers gives the same incidents', async (t) => {
  const dir = tmp();
  const cmp02 = 'sosreport-cmp02-2024-10-02-tnfoubc';
  cpSync(join(KOLLA, cmp02), join(dir, cmp02), { recursive: true, verbatimSymlinks: true });
  renameSync(join(dir, cmp02, 'var', 'log', 'kolla'), join(dir, cmp02, 'var', 'log', 'containers'));
  const others = ['sosreport-ctl01-2024-10-02-kqzvmra.tar.xz', 'sosreport-cmp01-2024-10-02-hwdpxel.tar.gz'].map((f) => join(KOLLA, f));
  const r = await analyzeInputs([...others, join(dir, cmp02)]);
  t.deepEqual(kinds(r), kinds(await antelope));
});

test('a missing controller sosreport: the compute incidents remain, and say what is missing', async (t) => {
  const r = await analyzeInputs([join(KOLLA, 'sosreport-cmp02-2024-10-02-tnfoubc')]);
  const cpu = r.incidents.find((i) => i.kind === 'cpu-incompatible-migration')!;
  t.truthy(cpu);
  t.true(cpu.gaps.some((g) => /no migrations row/.test(g)));
  t.is(
    cpu.cause.details.sourceCpu !== undefined,
    true,
    'the source CPU still comes from the destination\'s "Instance launched has CPU info" line',
  );
  const ua = r.incidents.find((i) => i.kind === 'unmanaged-allocation')!;
  t.is(ua.cause.code, 'unknown');
  t.true(ua.gaps.some((g) => /no database dump/.test(g)));
});

test('analyze --format json on the CLI: the report, redacted (no password of the nova.conf or cell_mappings)', async (t) => {
  const r = await cli(['analyze', KOLLA, '--format', 'json']);
  t.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  t.is(report.schemaVersion, 1);
  t.is(report.incidents.length, 5);
  for (const secret of ['Rabb1tS3cret', 'N0vaDbPass', 'Pl4cementPass']) t.false(r.stdout.includes(secret), secret);
  const nd = await cli(['analyze', KOLLA, '--format', 'ndjson']);
  const lines = nd.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string });
  t.is(lines[0].type, 'report');
  t.is(lines.filter((l) => l.type === 'incident').length, 5);
});

test('a sosreport tar whose hostname file comes after its logs: the events already read take the host it names', async (t) => {
  const dir = tmp();
  const root = 'sosreport-oldname-2024-10-02-ggggggg';
  sosTree(dir, root, 'cmp9.example.org');
  const out = join(tmp(), `${root}.tar`);
  // Not sorted, as a hand-made or re-packed archive may be: var/ before sos_commands/.
  execFileSync('tar', ['-cf', out, '-C', dir, `${root}/var`, `${root}/sos_commands`, `${root}/version.txt`]);
  const { report, store } = await analyze([out]);
  t.true(store.events.length > 0);
  t.deepEqual([...new Set(store.events.map((e) => e.host))], ['cmp9.example.org']);
  t.deepEqual([...new Set(report.coverage.files.map((f) => f.host))], ['cmp9.example.org']);
  // The request spans the clock offsets come from, and the links the coverage names, follow too.
  t.deepEqual([...new Set([...store.requests.values()].flat().map((s) => s.host))], ['cmp9.example.org']);
  t.deepEqual([...new Set(report.coverage.links.relevant.map((l) => l.host))], ['cmp9.example.org']);
  t.deepEqual(
    [...new Set([...report.coverage.unrecognised.relevant, ...report.coverage.unrecognised.other].map((f) => f.host))],
    ['cmp9.example.org'],
  );
  t.false(
    report.hosts.some((h) => h.name === 'oldname'),
    JSON.stringify(report.hosts.map((h) => h.name)),
  );
});

test("inside a host's tree the tree names the host, not a syslog prefix: one host even when the hostname file comes last", async (t) => {
  const dir = tmp();
  const nova = join(dir, 'node', 'var', 'log', 'nova');
  mkdirSync(nova, { recursive: true });
  mkdirSync(join(dir, 'node', 'etc'), { recursive: true });
  writeFileSync(
    join(nova, 'nova-compute.log'),
    'Jul 31 15:17:34 node1 nova_compute[1]: 2025-07-31 15:17:34.056 2 ERROR nova.compute.manager [req-11111111-2222-4333-8444-555555555555 - - - - -] Instance failed to spawn\n',
  );
  writeFileSync(
    join(nova, 'nova-api.log'),
    '2025-07-31 15:17:35.000 7 INFO nova.api.openstack.requestlog [req-11111111-2222-4333-8444-555555555555 - - - - -] 10.0.0.1 "GET /v2.1/servers" status: 200 len: 10 microversion: 2.1 time: 0.1\n',
  );
  writeFileSync(join(dir, 'node', 'etc', 'hostname'), 'node1.example.com\n');
  const out = join(tmp(), 'bundle.tar');
  execFileSync('tar', ['-cf', out, '-C', dir, 'node/var/log/nova/nova-compute.log', 'node/var/log/nova/nova-api.log', 'node/etc/hostname']);
  const r = await analyzeInputs([out]);
  t.deepEqual(
    r.hosts.map((h) => h.name),
    ['node1.example.com'],
  );
});

test('a loose journal of several machines: each line keeps its host, and every one of them counts as read', async (t) => {
  const dir = tmp();
  const file = join(dir, 'messages.log');
  const l = (host: string, ts: string, msg: string): string =>
    `Jul 31 ${ts} ${host} nova_compute[1]: 2025-07-31 ${ts}.056 2 INFO nova.compute.manager [req-11111111-2222-4333-8444-555555555555 - - - - -] ${msg}`;
  writeFileSync(file, [l('edpm-compute-0', '15:17:34', 'one'), l('edpm-compute-1', '15:17:35', 'two'), ''].join('\n'));
  const r = await analyzeInputs([file]);
  t.deepEqual(
    r.coverage.files.map((f) => f.hosts),
    [['edpm-compute-0', 'edpm-compute-1']],
  );
  t.deepEqual(r.hosts.map((h) => [h.name, !!h.missing]).sort(), [
    ['edpm-compute-0', false],
    ['edpm-compute-1', false],
  ]);
});

test("--instance: its first pass reports progress of its own, said to be the search for the instance's requests, then the reading's", async (t) => {
  const seen: { phase?: string; bytes: number }[] = [];
  await analyzeInputs([KOLLA], { instance: UUIDS.app07, progress: (p) => seen.push({ phase: p.phase, bytes: p.bytes }) });
  const first = seen.findIndex((p) => p.phase === undefined);
  t.true(first > 0, 'the search reported before the reading');
  t.true(seen.slice(0, first).every((p) => p.phase === `looking for ${UUIDS.app07.slice(0, 8)}'s requests`));
  t.true(seen.slice(first).every((p) => p.phase === undefined));
  const { progressText } = await import('../src/pipeline/progress-meter.js');
  t.regex(
    progressText({ bytes: 1 << 20, files: 1, elapsedSeconds: 1, phase: "looking for d778647f's requests" }),
    /^looking for d778647f's requests, 1\.0 MiB read, 1 file/,
  );
});
