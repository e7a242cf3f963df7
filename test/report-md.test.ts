import { CATALOG } from '../src/registry/index.js';
import test from 'ava';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Tokens } from 'marked';
import { analyzeInputs } from '../src/pipeline/analyze.js';
import { redactDeep } from '../src/report/redact.js';
import { reportMarkdown } from '../src/views/markdown/report-md.js';
import { UUIDS } from '../scripts/samples/cloud-antelope.js';
import { cli } from './helpers/cli.js';
import { blocks, codeBlocks, header, headings, section, tables } from './helpers/markdown.js';
import { mermaid } from './helpers/mermaid.js';
import { ROOT } from './helpers/shared.js';
import { tmp, write } from './helpers/fixture-tree.js';

// Relative paths (ava runs in the project root): the snapshots must not depend on where the clone lives.
const KOLLA = 'samples/antelope-kolla';
const PIKE = 'samples/pike-rdo';
const md = {
  kolla: analyzeInputs([KOLLA]).then((r) => reportMarkdown(redactDeep(r), CATALOG)),
  pike: analyzeInputs([PIKE]).then((r) => reportMarkdown(redactDeep(r), CATALOG)),
};

test('structure: one title, the summary table, a section per incident with its parts, coverage last', async (t) => {
  const tokens = blocks(await md.kolla);
  t.deepEqual(headings(tokens, 1), ['nova-forensics incident report']);
  const h2 = headings(tokens, 2);
  t.is(h2[0], 'Summary');
  t.is(h2[h2.length - 1], 'Coverage and gaps');
  const incidents = h2.filter((h) => /^\d+\. /.test(h));
  t.is(incidents.length, 5);
  const summary = tables(section(tokens, /^Summary$/))[0];
  t.deepEqual(header(summary), ['#', 'id', 'when', 'kind', 'instance', 'cause', 'hosts']);
  t.is(summary.rows.length, 5);
  for (const title of incidents) {
    const sec = section(tokens, new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    const h3 = headings(sec, 3);
    t.true(
      ['What happened', 'Evidence', 'Remediation'].every((x) => h3.includes(x)),
      `${title}: ${h3.join(', ')}`,
    );
    const timeline = tables(sec).find((x) => header(x)[0].startsWith('time'));
    t.truthy(timeline, `${title} has a timeline`);
    t.deepEqual(header(timeline!), ['time (reference clock)', 'host (clock offset)', 'service', 'level', 'request', 'message']);
    t.true(codeBlocks(sec, 'sh').length >= 1, `${title} has commands`);
    const evidence = sec.find((x) => x.type === 'list' && (x as Tokens.List).ordered) as Tokens.List | undefined;
    t.truthy(evidence, `${title} has numbered evidence`);
    t.true(
      evidence!.items.every((i) => /— `[^`]+`$/.test(i.text.split('\n')[0])),
      'each item cites its source',
    );
  }
});

test('capacity and CPU incidents carry their figures tables', async (t) => {
  const tokens = blocks(await md.kolla);
  const maxUnit = section(tokens, /max_unit \(48\)/);
  const prov = tables(maxUnit).find((x) => header(x)[0] === 'provider')!;
  t.deepEqual(header(prov), [
    'provider',
    'class',
    'requested',
    'capacity',
    'used',
    'of which orphan / doubled',
    'headroom',
    'max_unit',
    'usage',
    'fits',
  ]);
  t.true(prov.rows.some((r) => r[1].text === 'VCPU' && r[7].text === '48' && /no \(max_unit\)/.test(r[9].text)));
  const cpu = section(tokens, /refused: CPU incompatible/);
  const side = tables(cpu).find((x) => header(x)[1].startsWith('source'))!;
  t.deepEqual(
    side.rows.map((r) => r[0].text),
    ['CPU model', 'vendor', 'features', '[libvirt] cpu_mode', '[libvirt] cpu_models'],
  );
  t.is(side.rows[0][1].text, 'Cascadelake-Server');
  t.is(side.rows[0][2].text, 'Broadwell-noTSX-IBRS');
  t.regex(cpu.map((x) => x.raw).join(''), /Features the destination lacks: .*`avx512f`/);
  const pikeCap = section(blocks(await md.pike), /no provider has room/);
  const bars = tables(pikeCap).find((x) => header(x)[0] === 'provider')!;
  t.true(
    bars.rows.some((r) => r[0].text === 'compute1' && r[1].text === 'MEMORY_MB' && /OVER/.test(r[8].text)),
    'compute1 memory is over capacity',
  );
});

test("every mermaid block parses with mermaid's own parser and marks the failing step", async (t) => {
  const m = await mermaid();
  let n = 0;
  for (const doc of [await md.kolla, await md.pike]) {
    for (const c of codeBlocks(blocks(doc), 'mermaid')) {
      await t.notThrowsAsync(m.parse(c.text), c.text);
      n++;
    }
  }
  t.true(n >= 4, `${n} diagrams`);
  const first = codeBlocks(blocks(await md.kolla), 'mermaid')[0].text;
  t.regex(first, /--x/);
  t.regex(first, /Note over P\d: FAILED here/);
  await t.throwsAsync(m.parse('sequenceDiagram\n  A->>: broken'), undefined, 'the parser does reject bad input');
});

test('escaped unicode is shown decoded, with the original in a details block (seed 000)', async (t) => {
  const doc = await md.pike;
  t.regex(doc, /Failed to schedule instances: NoValidHost_Remote: 找不到有效主机，原因是 。/);
  t.regex(doc, /<details><summary>as written in the log<\/summary>[\s\S]*?\\u627e\\u4e0d\\u5230[\s\S]*?<\/details>/);
});

test("a pasted excerpt without times: the opening line says no span was dated, not 'unknown - – -'", async (t) => {
  const report = await analyzeInputs([
    join(ROOT, 'test', 'corpus', 'real', 'github-oomichi-try-kubernetes-issue27', 'cli-server-create-nova-list.txt'),
  ]);
  const first = reportMarkdown(redactDeep(report), CATALOG).split('\n')[2];
  t.regex(first, /^Read 1 host; log time spans: none dated\. Found 1 incident: 1 failed build\./);
});

test('the snapshot of each sample report is unchanged (review the diff and run with UPDATE_SNAPSHOTS=1 when it is meant)', async (t) => {
  for (const [name, doc] of [
    ['antelope-kolla', await md.kolla],
    ['pike-rdo', await md.pike],
  ] as const) {
    const normal = doc.replace(/Generated by nova-forensics at \S+/, 'Generated by nova-forensics at <time>');
    const file = join(ROOT, 'test', 'fixtures', 'reports', `${name}.md`);
    if (process.env.UPDATE_SNAPSHOTS) {
      mkdirSync(join(ROOT, 'test', 'fixtures', 'reports'), { recursive: true });
      writeFileSync(file, normal);
    }
    t.is(normal, readFileSync(file, 'utf8'), name);
  }
});

test('no secret from the inputs reaches any output format; --no-redact keeps them, with a warning', async (t) => {
  const dir = tmp();
  const conductor = join(dir, 'nova-conductor.log');
  const ctx =
    '[None req-f194cea3-b82b-466b-84cb-5d09456ebf81 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - default default]';
  const token =
    'gAAAAABcJZlJ1dBRNYO2994is9JdT7XYnL-IqcbZrkg_Sf9oZChTWwNjZG1HWV4KYTjVoxs82RP77lMHtud4NTgPEREK7LiDdSp2ABuw4pKlmi8ce8Z77uQueeeXNOAlzX6iXYIBJHDBuXTcjRTnKebNQdB57tw';
  write(
    conductor,
    [
      `2024-10-02 09:30:12.511 31 WARNING oslo.messaging._drivers.impl_rabbit ${ctx} Reconnecting to rabbit://openstack:Rabb1tS3cret@10.0.0.10:5672// after a failure`,
      `2024-10-02 09:30:12.512 31 WARNING keystonemiddleware.auth_token ${ctx} Authorization failed for token ${token} with X-Auth-Token: ${token}`,
      `2024-10-02 09:30:12.513 31 ERROR nova.conductor.manager ${ctx} Failed to schedule instances: NoValidHost_Remote: No valid host was found. connection=mysql+pymysql://nova:N0vaDbPass@10.0.0.10/nova password = Pl4cementPass`,
      '',
    ].join('\n'),
  );
  const ctl = join(ROOT, KOLLA, 'sosreport-ctl01-2024-10-02-kqzvmra.tar.xz');
  const secrets = ['Rabb1tS3cret', 'N0vaDbPass', 'Pl4cementPass', token.slice(8, 60)];
  const runs = [
    ['report', ctl, conductor, '--host', 'ctl01.cloud.example'],
    ['analyze', ctl, conductor, '--host', 'ctl01.cloud.example', '--format', 'json'],
    ['analyze', ctl, conductor, '--host', 'ctl01.cloud.example', '--format', 'ndjson'],
    ['analyze', ctl, conductor, '--host', 'ctl01.cloud.example', '--format', 'summary', '--verbose'],
    ['events', ctl, conductor, '--host', 'ctl01.cloud.example', '--raw'],
    ['audit', ctl],
    ['audit', ctl, '--format', 'json'],
  ];
  for (const args of runs) {
    const r = await cli(args);
    t.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    for (const s of secrets)
      t.false(r.stdout.includes(s) || r.stderr.includes(s), `${s} in ${args.slice(0, 1)} ${args.slice(-2).join(' ')}`);
  }
  const report = (await cli(runs[0])).stdout;
  t.regex(
    report,
    /rabbit:\/\/openstack:\*\*\*password\*\*\*@10\.0\.0\.10/,
    'the secret is masked where it was, says what it was, the rest kept',
  );
  const open = await cli([...runs[0], '--no-redact']);
  t.true(open.stdout.includes('Rabb1tS3cret'), 'the test would see a leak');
  t.regex(open.stderr, /--no-redact/);
});

test('report -o writes the file and says where', async (t) => {
  const out = join(tmp(), 'incident.md');
  const r = await cli(['report', join(ROOT, KOLLA), '-o', out]);
  t.is(r.code, 0);
  t.regex(r.stderr, /wrote .*incident\.md/);
  t.regex(readFileSync(out, 'utf8'), new RegExp(UUIDS.batch3));
});
