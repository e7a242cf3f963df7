import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeInputs } from '../src/pipeline/analyze.js';
import { reportSummary } from '../src/views/report-summary.js';
import { corpus, ROOT, withShared } from './helpers/shared.js';

/**
 * The real excerpts of the corpus are partial: one conductor line, two
 * scheduler lines, one journal line. Each is a failure an operator pasted into
 * a ticket, and each must come out as its incident, saying what is missing.
 */

const test = withShared();
const excerpt = (name: string): string => corpus('bug-report-excerpts', name);

test('rcbops/rpc-openstack#1440: one Liberty conductor line, the class only in its text → a failed build with NoValidHost, known by its request', async (t) => {
  const r = await analyzeInputs([excerpt('rcbops__rpc-openstack__pr1440.nova-conductor.log')]);
  t.is(r.incidents.length, 1);
  const [i] = r.incidents;
  t.is(i.kind, 'failed-build');
  t.is(i.cause.code, 'unknown');
  t.regex(i.cause.summary, /failed with NoValidHost/);
  t.deepEqual(i.requestIds, ['req-e21fdda8-7c6c-47d7-9137-0eaed3fc7c7c']);
  t.is(i.instanceUuid, undefined);
  t.true(i.gaps.some((g) => /no nova-scheduler log/.test(g)));
  t.true(i.gaps.some((g) => /request id only/.test(g)));
});

test('todaygood/openstack-solution#23: the scheduler alone, filters started with 0 hosts → scheduling failed, no host reached the filters', async (t) => {
  const r = await analyzeInputs([excerpt('todaygood__openstack-solution__issue23.nova-scheduler-grep.log')]);
  t.is(r.incidents.length, 1);
  const [i] = r.incidents;
  t.is(i.kind, 'failed-build');
  t.is(i.instanceUuid, '323dcae3-e3f0-4c19-a4ab-5413d9dfd304');
  t.is(i.cause.code, 'filters-rejected-all-hosts');
  t.is(i.cause.details.filter, 'AvailabilityZoneFilter');
  t.is(i.cause.details.startedWithHosts, 0);
  t.regex(i.title, /^Scheduling of instance 323dcae3 failed: no host reached the scheduler's filters/);
  t.is(i.evidence.length, 2, 'both scheduler lines');
  t.true(i.gaps.some((g) => /no nova-conductor line of the request/.test(g)));
});

test("nova-operator#1001: one journald line, MigrationPreCheckError whose reason is InvalidCPUInfo's text → a CPU-incompatible migration to the host the journal names", async (t) => {
  const r = await analyzeInputs([excerpt('openstack-k8s-operators__nova-operator__pr1001.journal.log')]);
  t.is(r.incidents.length, 1);
  const [i] = r.incidents;
  t.is(i.kind, 'cpu-incompatible-migration');
  t.is(i.title, 'Live migration to edpm-compute-0 refused: CPU incompatible');
  t.deepEqual(i.hosts, ['edpm-compute-0']);
  t.deepEqual(
    r.inputs.map((x) => x.host),
    ['edpm-compute-0'],
  );
  t.true(i.gaps.some((g) => /migration uuid is unknown/.test(g)));
  // The terminal summary's next step is the whole setting, not its first line (a comment saying where it goes).
  t.regex(
    reportSummary(r),
    /\n {4}next: # on the source and edpm-compute-0, in nova\.conf: \/ \[libvirt\] \/ cpu_mode = custom \/ cpu_models = <[^>\n]+>\n/,
  );
});

test('os-log-merger\'s Kilo conductor refusing moves ("Failed to compute_task_migrate_server: …"): one failed move per instance and reason, every refusal counted, no failed build nor CPU incident', async (t) => {
  const conductor = corpus('os-log-merger', 'debug-live-migration', 'logs', 'hp-ms-01-c29', 'var', 'log', 'nova', 'nova-conductor.log');
  const moves = readFileSync(conductor, 'utf8')
    .split('\n')
    .filter((l) => /WARNING nova\.scheduler\.utils .*Failed to compute_task_migrate_server: /.test(l));
  t.true(moves.length > 0, 'the excerpt holds the scheduler-utils lines of refused moves');
  const r = await analyzeInputs([corpus('os-log-merger')]);
  t.deepEqual(
    r.incidents.filter((i) => i.kind === 'failed-build' || i.kind === 'cpu-incompatible-migration').map((i) => i.title),
    [],
  );
  const failed = r.incidents.filter((i) => i.kind === 'failed-move');
  // Every refusal line is one attempt of some incident, and each attempt has its own request.
  t.is(
    failed.reduce((n, i) => n + i.count, 0),
    moves.length,
  );
  t.is(new Set(failed.flatMap((i) => i.requestIds)).size, moves.length);
  t.deepEqual(
    failed.map((i) => [i.instanceUuid?.slice(0, 8), i.cause.code, i.count, i.cause.details.destination]).sort(),
    [
      ['456d8388', 'precheck-failed', 2, undefined],
      ['456d8388', 'precheck-failed', 7, 'hp-ms-01-c29.moonshot1.lab.eng.rdu.redhat.com'],
      ['92ff693e', 'precheck-failed', 2, 'hp-ms-01-c29.moonshot1.lab.eng.rdu.redhat.com'],
      ['a18a5824', 'destination-unavailable', 1, 'hp-ms-01-c20.moonshot1.lab.eng.rdu.redhat.com'],
      // The operator typed the name with a ^C in it: the report shows it as the log wrote it.
      ['a18a5824', 'destination-unavailable', 1, 'hp-ms-01-c29^Coonshot1.lab.eng.rdu.redhat.com'],
      ['a18a5824', 'precheck-failed', 14, 'hp-ms-01-c29.moonshot1.lab.eng.rdu.redhat.com'],
      ['a18a5824', 'precheck-failed', 3, 'hp-ms-01-c30.moonshot1.lab.eng.rdu.redhat.com'],
    ].sort(),
  );
  // The logs name the two computes by their full names, the folders by their short ones: one host each.
  t.deepEqual(r.hosts.map((h) => [h.name, !!h.missing]).sort(), [
    ['controller1', false],
    ['hp-ms-01-c29', false],
    ['hp-ms-01-c30', false],
  ]);
  for (const i of failed) {
    t.is(i.cause.details.operation, 'live migration');
    t.is(i.cause.details.state, 'ACTIVE', 'the conductor set each instance back to ACTIVE');
  }
});

test("nova-operator#777 (gibizer grepping a paused instance's failed live migration over two sosreports' /var/log/messages): one failed move, from the host syslog names to the destination the post-migration line names", async (t) => {
  const r = await analyzeInputs([excerpt('openstack-k8s-operators__nova-operator__pr777.sosreport-messages-grep.log')]);
  t.deepEqual(
    r.incidents.map((i) => [i.kind, i.cause.code, i.instanceUuid, i.cause.details?.source, i.cause.details?.destination, i.requestIds]),
    [
      [
        'failed-move',
        'live-migration-failed',
        '7b7edae6-f878-4756-a858-86f836d02c33',
        'np0004787595',
        'compute-2.ci-rdo.local',
        ['req-590602d0-1d3d-4ac9-b000-cdd98a2400b4'],
      ],
    ],
  );
  t.regex(r.incidents[0].cause.summary, /domain is not running/);
  t.deepEqual(
    r.coverage.files.map((f) => [f.host, f.service, f.events]),
    [['np0004787595', 'nova-compute', 2]],
  );
});

test("Ask OpenStack 78595 (Kilo): novaclient's 'ERROR (BadRequest): Unacceptable CPU info: …' of a live migration, word-wrapped: the CPU refusal only, no failed build of its request", async (t) => {
  const r = await analyzeInputs([join(ROOT, 'test', 'corpus', 'real', 'ask-openstack-78595', 'cli-live-migration.txt')]);
  t.deepEqual(
    r.incidents.map((i) => [i.kind, i.cause.code, i.requestIds]),
    [['cpu-incompatible-migration', 'cpu-incompatible', ['req-1843fad8-903d-40f9-afd3-2344354112ec']]],
  );
});

test('cubecos#1367: a ResizeError pasted alone (ssh to the destination exited 255) is a failed move whose ssh between the computes failed', async (t) => {
  const r = await analyzeInputs([join(ROOT, 'test', 'corpus', 'real', 'github-bigstack-oss-cubecos-issue1367', 'resize-error.txt')]);
  t.deepEqual(
    r.incidents.map((i) => [i.kind, i.cause.code, i.cause.details.destination, i.cause.details.command]),
    [
      [
        'failed-move',
        'ssh-to-destination-failed',
        '10.32.10.142',
        'ssh -o BatchMode=yes 10.32.10.142 mkdir -p /var/lib/nova/instances/<uuid>',
      ],
    ],
  );
  t.regex(r.incidents[0].cause.summary, /^The cold migration or resize to 10\.32\.10\.142 failed before anything moved: /);
  t.true(r.incidents[0].gaps.some((g) => g.startsWith('what ssh printed')));
  t.regex(
    reportSummary(r),
    /^\[ERROR\] Cold migration or resize of an instance failed: the source's ssh to 10\.32\.10\.142 as nova failed$/m,
  );
});

test("Ask OpenStack 78595 (Kilo): the compute's WARNING falling back to the legacy live migration on libvirt's CPU refusal is a CPU-incompatible migration, its five missing features named", async (t) => {
  const r = await analyzeInputs([join(ROOT, 'test', 'corpus', 'real', 'ask-openstack-78595', 'nova-compute-warning.txt')]);
  t.deepEqual(
    r.incidents.map((i) => [i.kind, i.cause.code, i.cause.details.missingFeatures]),
    [['cpu-incompatible-migration', 'cpu-incompatible', ['aes', 'pcid', 'pclmul', 'pdpe1gb', 'smx']]],
  );
  t.true(r.incidents[0].gaps.some((g) => g.startsWith("the destination's CPU is not known")));
});

test("OpenStackForensics (Havana): the scheduler's WARNING alone sets seven builds to ERROR → the filter scheduler's NoValidHost; a multi-create's first four placed, RamFilter told by the compute's claims", async (t) => {
  const r = await analyzeInputs([corpus('OpenStackForensics')], { incidentsInFull: Number.POSITIVE_INFINITY });
  const filters = r.incidents.filter((i) => i.cause.code === 'filters-rejected-all-hosts');
  // Seven requests whose only failing line is nova.scheduler.driver's WARNING, no exception before it.
  t.is(filters.length, 7);
  t.false(r.incidents.some((i) => i.kind === 'failed-build' && i.cause.code === 'unknown'));
  for (const i of filters.filter((x) => x.instanceUuid !== 'ef0bbed6-4d99-4290-b2ca-b32905b9e6a4'))
    t.true(i.gaps.some((g) => /handle_schedule_error writes for NoValidHost alone/.test(g)));
  const multi = filters.find((i) => i.instanceUuid === 'ef0bbed6-4d99-4290-b2ca-b32905b9e6a4')!;
  t.deepEqual(multi.cause.details.placedBefore, { instances: 4, hosts: ['littlebigguy'] });
  t.regex(multi.cause.summary, /gave 4 of the request's instances a host first \(littlebigguy\)/);
  // The compute's claims of the four: 4202.50 MB free under RamFilter's 23146.50 MB limit before the last 4096 MB.
  t.deepEqual(multi.cause.details.leftUnderLimit, [
    { host: 'littlebigguy', filter: 'RamFilter', unit: 'MB', limit: 23146.5, left: 106.5, asked: 4096 },
  ]);
  t.is(multi.cause.details.filter, 'RamFilter');
  t.true(multi.gaps.some((g) => /^RamFilter is inferred, not read/.test(g)));
  // A lone instance: what RamFilter's limit still left at the compute's last audit before it (flavor unknown).
  const lone = filters.find((i) => i.instanceUuid === '20f8a3d0-61a8-424e-a6d6-4bb3a4d40f7c')!;
  t.deepEqual(lone.cause.details.headroom, [{ host: 'littlebigguy', limit: 23146.5, left: 106.5, auditedAt: '2014-04-22T11:24:30.262' }]);
  // The builds that failed on the compute keep their compute-side cause (their retries' "Error from last host").
  t.deepEqual(
    r.incidents
      .filter((i) => i.cause.code !== 'filters-rejected-all-hosts')
      .map((i) => i.cause.code)
      .sort(),
    ['image-failed', 'image-failed', 'image-failed', 'image-failed', 'image-failed', 'network-setup-failed', 'network-setup-failed'],
  );
});
