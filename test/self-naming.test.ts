import anyTest from 'ava';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { estimateOffsets } from '../src/correlate/clock.js';
import { analyzeInputs } from '../src/pipeline/analyze.js';
import { match } from '../src/signatures/signature.js';
import { SELF_NAMING, selfNamedHost } from '../src/signatures/self-naming.js';
import { tmp } from './helpers/fixture-tree.js';
import { parseQemuText, parseText } from './helpers/parse.js';
import { corpus, ROOT, withShared } from './helpers/shared.js';

/**
 * A loose nova-compute log read under a guessed host (its folder's name)
 * takes the name its compute gives itself in its periodic audit's lines:
 * each self-naming line against its real samples, lines that name no host
 * (or a node, not the host), and a real folder of an all-in-one's logs.
 */

const test = anyTest;
const shared = withShared();

const eventOf = (line: string, log?: 'qemu') =>
  log === 'qemu'
    ? parseQemuText(`${line}\n`, { host: 'guess' })[0]
    : parseText(`${line}\n`, { host: 'guess', file: 'nova-compute.log' }).events[0];

for (const sig of SELF_NAMING)
  test(`self-naming ${sig.id}: every real sample names its host`, (t) => {
    t.true(sig.samples.length > 0);
    for (const s of sig.samples) {
      const ev = eventOf(s.line, s.log);
      t.truthy(match(sig, ev), `${sig.id} matches ${s.seen}`);
      t.is(selfNamedHost(ev), s.fields?.host, s.seen);
    }
  });

const NOT_NAMING: [string, string][] = [
  [
    "the node's final view (an ironic compute's node is a uuid): not the host",
    '2022-02-04 10:52:01.641 378365 DEBUG nova.compute.resource_tracker [req-04b1da28-ab1b-4aac-afd1-c792d608dff0 - - - - -] Final resource view: name=compute4.mylab.home phys_ram=16008MB used_ram=512MB phys_disk=299GB used_disk=0GB total_vcpus=2 used_vcpus=0 pci_stats=[] _report_final_resource_view /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:1040',
  ],
  [
    "Kilo's audit start names nothing (os-log-merger, RDO 2015)",
    '2015-10-29 10:52:02.376 29022 AUDIT nova.compute.resource_tracker [-] Auditing locally available compute resources',
  ],
  [
    'an ironic node (Kilo–Ocata: `for node <uuid>`) is not a host',
    '2017-05-16 00:00:13.658 2931 INFO nova.compute.resource_tracker [req-addc1839-2ed5-4778-b57e-5854eb7b8b09 - - - - -] Auditing locally available compute resources for node 4f9a0c8e-6c1b-4b8e-9a53-0d1b7f5e2c11',
  ],
  [
    "another logger's line with the same words",
    '2014-04-16 21:33:05.949 17878 INFO nova.scheduler.host_manager [req-28704354-718e-42ae-a5df-2e4fe4ba60f3 None None] Compute_service record updated for littlebigguy:littlebigguy',
  ],
];

for (const [name, line] of NOT_NAMING)
  test(`self-naming: ${name}`, (t) => {
    const ev = eventOf(line);
    t.truthy(ev, 'the line is a record');
    t.is(selfNamedHost(ev), undefined);
  });

shared(
  "OpenStackForensics (an Icehouse all-in-one's logs in a folder named after the project): its logs are littlebigguy's, as the compute's lines and the scheduler's say",
  async (t) => {
    const r = await analyzeInputs([corpus('OpenStackForensics')]);
    // The conductor's log is read before the compute's, the scheduler's after: both follow it.
    t.deepEqual(
      r.coverage.files.filter((f) => f.role === 'oslo-log').map((f) => [f.path.replace(/.*\//, ''), f.host]),
      [
        ['nova-compute.log', 'littlebigguy'],
        ['nova-conductor.log', 'littlebigguy'],
        ['nova-scheduler.log', 'littlebigguy'],
      ],
    );
    t.deepEqual(
      r.hosts.map((h) => [h.name, h.services]),
      [['littlebigguy', ['nova-compute', 'nova-conductor', 'nova-scheduler']]],
    );
    t.true(r.coverage.warnings.some((w) => /nova-compute\.log$/.test(w.file ?? '') && /names its own host littlebigguy/.test(w.message)));
    const builds = r.incidents.filter((i) => i.kind === 'failed-build' && i.cause.code === 'network-setup-failed');
    t.true(builds.length > 0);
    for (const b of builds) t.regex(b.title, / failed on littlebigguy: NoMoreFloatingIps$/);
  },
);

shared(
  "a flat folder of two machines' loose logs (the all-in-one's compute log beside another's scheduler log in a subfolder): only its own folder follows the compute",
  async (t) => {
    const dir = tmp('nf-self-');
    mkdirSync(join(dir, 'controller'));
    copyFileSync(corpus('OpenStackForensics', 'nova-compute.log'), join(dir, 'nova-compute.log'));
    copyFileSync(corpus('OpenStackForensics', 'nova-scheduler.log'), join(dir, 'controller', 'nova-scheduler.log'));
    const r = await analyzeInputs([dir]);
    t.deepEqual(
      r.coverage.files
        .filter((f) => f.role === 'oslo-log')
        .map((f) => [f.path.slice(dir.length), f.host])
        .sort(),
      [
        ['/controller/nova-scheduler.log', 'controller'],
        ['/nova-compute.log', 'littlebigguy'],
      ],
    );
    // Without the API's log, the builds the scheduler and the compute both saw bound no clock: they were not
    // born on the compute (read as if they were, the compute's clock ran 28.7 s ahead of the scheduler's).
    t.is(r.hosts.find((h) => h.name === 'littlebigguy')?.clockOffset.method, 'none');
  },
);

test("clock: a request a scheduler and a compute saw, with no API's line, bounds nothing; one placement and a compute saw is the compute's", (t) => {
  const build = [
    { host: 'ctl', service: 'nova-scheduler', first: '2024-05-01T10:00:00.000' },
    { host: 'cmp', service: 'nova-compute', first: '2024-05-01T10:00:30.000' },
  ];
  t.is(estimateOffsets([build], ['ctl', 'cmp']).find((o) => o.host === 'cmp')?.method, 'none');
  const periodic = [
    { host: 'cmp', service: 'nova-compute', first: '2024-05-01T10:00:00.000' },
    { host: 'ctl', service: 'placement-api', first: '2024-05-01T10:00:00.050' },
  ];
  const o = estimateOffsets([periodic], ['ctl', 'cmp']).find((x) => x.host === 'cmp');
  t.is(o?.method, 'lower-bound-only');
  t.is(o?.offsetMs, 0, 'born on the compute and seen 50 ms later by placement: the compute is at most 50 ms behind');
});

test('a loose libvirtd.log (jetpack#309, OSP 16) is read as the host its start-up banner names, and says why', async (t) => {
  const file = join(ROOT, 'test', 'corpus', 'real', 'github-redhat-performance-jetpack-issue309', 'libvirtd.log');
  const r = await analyzeInputs([file]);
  t.deepEqual(
    r.coverage.files.map((f) => [f.role, f.host, f.events]),
    [['oslo-log', 'compute-8', 4]],
  );
  t.deepEqual(
    r.hosts.map((h) => [h.name, h.services]),
    [['compute-8', ['libvirtd']]],
  );
  t.true(r.coverage.warnings.some((w) => /its libvirtd names its host compute-8 \(its start-up banner's `hostname:`\)/.test(w.message)));
});
