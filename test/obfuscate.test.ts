import test from 'ava';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeInputs } from '../src/pipeline/analyze.js';
import { Obfuscator } from '../src/report/obfuscate.js';
import { outputPolicy, policyReport } from '../src/report/output.js';
import { reportJson } from '../src/views/report-json.js';
import { reportSummary } from '../src/views/report-summary.js';
import { reportMarkdown } from '../src/views/markdown/report-md.js';
import { CATALOG } from '../src/registry/index.js';
import { cli } from './helpers/cli.js';
import { ROOT } from './helpers/shared.js';
import { osloLine, sosTree, tar, tmp, write } from './helpers/fixture-tree.js';

const KOLLA = 'samples/antelope-kolla';
const PIKE = 'samples/pike-rdo';
const plain = { kolla: analyzeInputs([KOLLA]), pike: analyzeInputs([PIKE]) };

/** The host names and addresses a report holds, in every form they take. */
function originals(r: Awaited<(typeof plain)['kolla']>): string[] {
  const text = JSON.stringify(r);
  const names = new Set<string>();
  for (const h of r.hosts) {
    names.add(h.name);
    names.add(h.name.split('.')[0]);
    if (h.name.includes('.')) names.add(h.name.slice(h.name.indexOf('.') + 1));
  }
  for (const ip of text.match(/\b(?:\d{1,3}\.){3}\d{1,3}\b/g) ?? []) names.add(ip);
  for (const id of text.match(/(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])/g) ?? []) names.add(id);
  return [...names];
}

function leaks(text: string, names: string[]): string[] {
  return names.filter((n) => new RegExp(`(?<![A-Za-z0-9])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`, 'i').test(text));
}

for (const [name, sample] of [
  ['antelope-kolla', plain.kolla],
  ['pike-rdo', plain.pike],
] as const) {
  test(`--obfuscate on ${name}: every incident reads the same, no original host or address anywhere`, async (t) => {
    const raw = await sample;
    const names = originals(raw);
    t.true(names.length >= 4, names.join(' '));
    const report = policyReport(raw, outputPolicy({ redact: true, obfuscate: true, obfuscateKey: 'k' }));
    const outputs = { md: reportMarkdown(report, CATALOG), json: reportJson(report), summary: reportSummary(report) };
    for (const [format, text] of Object.entries(outputs)) t.deepEqual(leaks(text, names), [], format);
    t.true(
      leaks(reportMarkdown(policyReport(raw, { redact: true }), CATALOG), names).length > 0,
      'the test would see a leak: the names are in the report without it',
    );
    // the story is the same: kinds, causes, counts, severities, instances, requests, migrations
    const shape = (r: typeof raw) =>
      r.incidents.map((i) => [
        i.kind,
        i.cause.code,
        i.count,
        i.severity,
        i.instanceUuid,
        i.requestIds,
        i.evidence.length,
        i.timeline.length,
      ]);
    t.deepEqual(shape(report), shape(raw));
    t.deepEqual(
      report.findings.map((f) => [f.code, f.cause, f.severity, f.subject.instanceUuid, f.subject.consumerUuid]),
      raw.findings.map((f) => [f.code, f.cause, f.severity, f.subject.instanceUuid, f.subject.consumerUuid]),
    );
    t.is(report.hosts.length, raw.hosts.length);
    t.is(new Set(report.hosts.map((h) => h.name)).size, report.hosts.length, 'distinct hosts stay distinct');
    t.true(report.coverage.obfuscation?.applied);
    t.regex(outputs.md, /Obfuscated \(--obfuscate\)/);
    t.regex(outputs.md, /Host names, addresses and ids are placeholders\./);
    t.regex(outputs.summary, /The mapping is not in this output/);
    const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'docs', 'report.schema.json'), 'utf8')));
    t.true(validate(JSON.parse(outputs.json)), JSON.stringify(validate.errors?.slice(0, 3)));
  });
}

test('placeholders: the same key gives the same output, another key (or none) another', async (t) => {
  const raw = await plain.kolla;
  const run = (key?: string) => {
    const r = policyReport(raw, outputPolicy({ redact: true, obfuscate: true, obfuscateKey: key }));
    return reportMarkdown({ ...r, generatedAt: 'x' }, CATALOG);
  };
  t.is(run('k1'), run('k1'));
  t.not(run('k1'), run('k2'));
  t.not(run(), run());
  // the same name is one placeholder everywhere in the report
  const o = new Obfuscator({ key: 'k1' });
  o.learnHost('cmp01.cloud.example');
  o.learnHost('controller');
  t.regex(
    o.text('cmp01.cloud.example cmp01 CMP01 sosreport-cmp01-2024 logs_cmp01_x'),
    /^host-[0-9a-f]{6}\.domain-[0-9a-f]{6}\.example (host-[0-9a-f]{6}) \1 sosreport-\1-2024 logs_\1_x$/,
  );
  // a plain word is a host name only where an identifier cannot go on: not in ServersController or controller_nodes
  t.regex(
    o.text('controller ServersController controller_nodes sosreport-controller-1'),
    /^host-[0-9a-f]{6} ServersController controller_nodes sosreport-host-[0-9a-f]{6}-1$/,
  );
});

test('addresses: documentation ranges, keeping loopback, link-local, netmasks and what sos clean wrote', (t) => {
  const o = new Obfuscator({ key: 'k' });
  const out = o.text(
    'from 10.0.0.5:5672 and 10.0.0.5/24 to 172.16.4.2; 127.0.0.1 0.0.0.0 255.255.255.0 169.254.169.254 fe80::1 ::1 2a01:4f8:1:2::3 [2a01:4f8:1:2::3]:8774 mac fa:16:3e:4e:fc:8a 53:4f:53:00:00:01 at 2024-10-02 09:30:12.250 version 1.2.3',
  );
  t.regex(out, /^from (203\.0\.113|198\.51\.100|192\.0\.2)\.\d+:5672 and \1\.\d+\/24 to (?:203\.0\.113|198\.51\.100|192\.0\.2)\.\d+;/);
  t.is(
    out.match(/(?:203\.0\.113|198\.51\.100|192\.0\.2)\.\d+/g)?.[0],
    out.match(/(?:203\.0\.113|198\.51\.100|192\.0\.2)\.\d+/g)?.[1],
    'same address, same placeholder',
  );
  t.regex(out, / 127\.0\.0\.1 0\.0\.0\.0 255\.255\.255\.0 169\.254\.169\.254 fe80::1 ::1 /);
  t.regex(out, /2001:db8::[0-9a-f:]+ \[2001:db8::[0-9a-f:]+\]:8774/);
  t.false(out.includes('2a01:4f8'));
  t.regex(out, /mac 02:00:5e:[0-9a-f:]{8} 53:4f:53:00:00:01 at 2024-10-02 09:30:12\.250 version 1\.2\.3$/);
  // many addresses: no two share a placeholder
  const many = Array.from({ length: 2000 }, (_, i) => `10.${i >> 8}.${i & 255}.7`);
  const mapped = many.map((ip) => o.text(ip));
  t.is(new Set(mapped).size, many.length);
});

test('users and keystone ids: in URLs, user fields and the request context; names elsewhere are left alone', (t) => {
  const o = new Obfuscator({ key: 'k' });
  const line =
    '2024-10-02 09:30:12.250 23 INFO nova.api [req-f194cea3-b82b-466b-84cb-5d09456ebf81 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - default default] GET /v2.1/8b4e913924bb4d9da158244e308bb1c5/servers transport_url = rabbit://openstack:***password***@ctl1:5672 username = nova; the openstack client';
  o.learnText(line);
  const out = o.text(line);
  t.false(out.includes('2f065cf6db5d4ec3b5978ea8a01622f3'));
  t.false(out.includes('8b4e913924bb4d9da158244e308bb1c5'));
  t.regex(out, /\[req-f194cea3-b82b-466b-84cb-5d09456ebf81 user-[0-9a-f]{6} project-[0-9a-f]{6} - default default\]/);
  t.regex(out, /GET \/v2\.1\/project-[0-9a-f]{6}\/servers/);
  t.regex(out, /rabbit:\/\/user-[0-9a-f]{6}:\*\*\*password\*\*\*@host-[0-9a-f]{6}:5672 username = user-[0-9a-f]{6}; the openstack client$/);
  t.true(out.includes('req-f194cea3-b82b-466b-84cb-5d09456ebf81'), 'request ids stay');
});

test('what sos clean wrote stays: host0, obfuscateddomain0, obfuscateduser0; a report of cleaned hosts keeps their IPv4s', (t) => {
  const o = new Obfuscator({ key: 'k' });
  o.learnHost('host0.obfuscateddomain0.com');
  o.learnHost('host1');
  const s = 'host0.obfuscateddomain0.com reached host1 at 100.0.0.5 as obfuscateduser0, mac 53:4f:53:00:00:1a';
  t.is(o.text(s), s);
  t.true(o.summary().sosCleaned);
  o.learnHost('cmp01.cloud.example');
  t.false(o.summary().sosCleaned, 'a host sos clean did not name: its addresses are originals');
  t.false(o.text(s).includes('100.0.0.5'));
});

test('--obfuscate-map writes the mapping, mode 0600, only when asked; never into the report', async (t) => {
  const map = join(tmp(), 'map.json');
  writeFileSync(map, 'old', { mode: 0o644 });
  const r = await cli(['analyze', PIKE, '--obfuscate-key', 'k', '--obfuscate-map', map, '--format', 'json']);
  t.is(r.code, 0, r.stderr);
  t.is(statSync(map).mode & 0o777, 0o600);
  const m = JSON.parse(readFileSync(map, 'utf8'));
  t.truthy(m.hostname_map.controller);
  t.regex(m.hostname_map.controller, /^host-[0-9a-f]{6}$/);
  t.truthy(m.ip_map['10.0.0.11']);
  t.false(r.stdout.includes('controller'), 'the report does not hold the originals');
  t.false(r.stdout.includes(map), 'nor where the map is');
  t.regex(r.stderr, /wrote the obfuscation mapping/);
  const again = await cli(['analyze', PIKE, '--obfuscate-key', 'k', '--format', 'json']);
  const strip = (s: string) => s.replace(/"generatedAt": "[^"]*"/, '');
  t.is(strip(again.stdout), strip(r.stdout), 'same key, same report across runs');
});

test('events --obfuscate: a stream learns names as it goes, and the coverage says obfuscation was applied', async (t) => {
  const r = await cli(['events', PIKE, '--obfuscate', '--raw']);
  t.is(r.code, 0, r.stderr);
  t.false(/controller|compute[123]\b|10\.0\.0\.11/.test(r.stdout));
  t.false(/controller|compute[123]\b/.test(r.stderr));
  t.regex(r.stderr, /Obfuscated \(--obfuscate\)/);
  const ev = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  t.true(ev.every((e) => /^host-[0-9a-f]{6}$/.test(e.host)));
  t.true(
    ev.some((e) => e.instanceUuid === '8137ea6d-6374-44e9-a3c0-ca341a604d7b'),
    'instance uuids stay',
  );
  t.true(r.stdout.includes('2f565c93-6eec-4a74-b8e8-f55638b56da3'), 'in messages too');
});

test('a sosreport already cleaned by sos clean: its names and addresses are kept as sos clean wrote them', async (t) => {
  const dir = tmp();
  const root = 'sosreport-host0-2024-10-02-aaaaaaa';
  sosTree(dir, root, 'host0.obfuscateddomain0.com');
  write(
    join(dir, root, 'var', 'log', 'nova', 'nova-compute.log'),
    `${osloLine('2024-10-01 12:00:02.000', 'INFO', 'nova.compute.manager', 'Connected to 100.0.0.5 from host0.obfuscateddomain0.com as obfuscateduser0')}\n`,
  );
  const archive = tar(dir, root, join(tmp(), `${root}.tar`), '');
  const r = await cli(['events', archive, '--obfuscate']);
  t.is(r.code, 0, r.stderr);
  t.true(r.stdout.includes('Connected to 100.0.0.5 from host0.obfuscateddomain0.com as obfuscateduser0'));
  t.regex(r.stderr, /already cleaned by sos clean/);
});

test('every command and format with --obfuscate on both samples: no original host, domain or address on stdout, stderr or report -o, and each says so', async (t) => {
  for (const [sample, raw] of [
    [PIKE, await plain.pike],
    [KOLLA, await plain.kolla],
  ] as const) {
    const names = originals(raw).filter((n) => !/^[0-9a-f]{32}$/.test(n));
    const out = join(tmp(), 'report.md');
    const runs: string[][] = [
      ['analyze', sample, '--format', 'ndjson', '--verbose'],
      ['analyze', sample, '--format', 'summary', '--verbose'],
      ['report', sample, '-o', out],
      ['audit', sample, '--verbose'],
      ['audit', sample, '--format', 'json'],
      ['events', sample, '--summary', '--verbose'],
    ];
    const results = await Promise.all(runs.map((args) => cli([...args, '--obfuscate-key', 'k'])));
    for (const [n, r] of results.entries()) {
      const what = `${runs[n].join(' ')}`;
      t.is(r.code, 0, `${what}: ${r.stderr}`);
      t.deepEqual(leaks(r.stdout, names), [], `${what} stdout`);
      t.deepEqual(leaks(r.stderr, names), [], `${what} stderr`);
      t.regex(r.stdout + r.stderr, /Obfuscated \(--obfuscate\)|"obfuscation":\s*\{\s*"applied": true/, `${what} says so`);
    }
    t.deepEqual(leaks(readFileSync(out, 'utf8'), names), [], 'report -o');
    t.true(JSON.parse(results[4].stdout).obfuscation.applied, 'audit JSON says so');
    // the names are there without it: the test would see a leak
    const open = await cli(['analyze', sample, '--format', 'ndjson', '--verbose']);
    t.true(leaks(open.stdout + open.stderr, names).length >= 3, sample);
  }
});

test('the TUI with --obfuscate: incident and event details and the whole timeline name no original host or address', async (t) => {
  const { analyze } = await import('../src/pipeline/analyze.js');
  const { policyStore } = await import('../src/report/output.js');
  const { eventLines, incidentLines } = await import('../src/views/tui/text.js');
  const { TimelineIndex } = await import('../src/views/tui/timeline-index.js');
  const { App } = await import('../src/views/tui/app.js');
  const { render } = await import('ink-testing-library');
  const { createElement } = await import('react');
  const { report: raw, store } = await analyze([KOLLA]);
  const names = originals(raw).filter((n) => !/^[0-9a-f]{32}$/.test(n));
  const { report, events } = policyStore(raw, store.events, outputPolicy({ redact: true, obfuscate: true, obfuscateKey: 'k' }));
  const index = new TimelineIndex(events, new Map(report.hosts.map((h) => [h.name, h.clockOffsetMs])));
  const lookup = new Map(events.map((e) => [`${e.file}\u0000${e.line}`, e]));
  const frames: string[] = [];
  for (const initial of [
    { screen: 'main' as const },
    ...Array.from({ length: 12 }, (_, i) => ({ screen: 'whole' as const, row: Math.floor((i * index.length) / 12) })),
  ]) {
    const app = render(
      createElement(App, { report, index, lookup, width: 200, height: 40, color: false, onExport: () => '/tmp/x.md', initial }),
    );
    frames.push(app.lastFrame() ?? '');
    app.unmount();
  }
  const text = [...events.flatMap((e) => eventLines(e, 200)), ...report.incidents.flatMap((i) => incidentLines(i, 200)), ...frames].join(
    '\n',
  );
  t.deepEqual(leaks(text, names), []);
  t.regex(text, /host-[0-9a-f]{6}/);
  t.true(
    store.events.length > 30 && events.length === store.events.length,
    'every event of the timeline is in the detail lines; 12 screens of it rendered',
  );
});

test('the mapping file is JSON with control and bidi characters of the originals as \\u escapes', async (t) => {
  const { writeObfuscationMap } = await import('../src/report/output.js');
  const o = new Obfuscator({ key: 'k' });
  // a user name from a transport URL may hold anything but separators
  const line = 'transport_url = rabbit://nova\u202egnp.exe\u009b:***password***@ctl01.cloud.example:5672//';
  o.learnText(line);
  t.false(o.text(line).includes('nova\u202e'), 'the user is replaced in the report');
  const map = join(tmp(), 'map.json');
  writeObfuscationMap(map, o);
  const text = readFileSync(map, 'utf8');
  t.false(/[\u0080-\u009f\u202e]/.test(text), text);
  t.true(text.includes('nova\\u202egnp.exe\\u009b'));
  t.truthy(JSON.parse(text).username_map['nova\u202egnp.exe\u009b'], 'parses back to the original');
  t.is(statSync(map).mode & 0o777, 0o600);
});
