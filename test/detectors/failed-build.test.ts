import test from 'ava';
import { failedBuild } from '../../src/detectors/failed-build/index.js';
import { Db } from '../helpers/facts.js';
import { detect, line } from '../helpers/detect.js';

const INST = 'c2963f0d-370c-43aa-8cee-0131760d6ef2';
const REQ = 'req-49530488-2149-4f15-85ea-5659267ffada';
const PIKE_CTX = `[${REQ} 8668aa3368c0427c98b1d1824a36f720 f30a92c42d264a79ba5744b084346a2d - default default]`;
const NEW_CTX = `[None ${REQ} 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - default default]`;
const NVH_ZH = '\\u627e\\u4e0d\\u5230\\u6709\\u6548\\u4e3b\\u673a\\uff0c\\u539f\\u56e0\\u662f \\u3002';
const RP1 = '11111111-1111-4111-8111-111111111111';
const RP2 = '22222222-2222-4222-8222-222222222222';

/** Pike, python 2.7, zh_CN: the conductor's lines of seed 000 (structure as nova 16 writes it). */
function pikeConductor(): string {
  const p = '2018-12-27 15:05:44.860 31027 ERROR nova.conductor.manager';
  return [
    line(
      '2018-12-27 15:05:44.860',
      31027,
      'ERROR',
      'nova.conductor.manager',
      PIKE_CTX,
      `Failed to schedule instances: NoValidHost_Remote: ${NVH_ZH}`,
    ),
    'Traceback (most recent call last):',
    '',
    '  File "/usr/lib/python2.7/site-packages/nova/scheduler/manager.py", line 138, in select_destinations',
    '    raise exception.NoValidHost(reason="")',
    '',
    `NoValidHost: ${NVH_ZH}`,
    '',
    `${p} Traceback (most recent call last):`,
    `${p}   File "/usr/lib/python2.7/site-packages/nova/conductor/manager.py", line 1072, in schedule_and_build_instances`,
    `${p}     instance_uuids)`,
    `${p} NoValidHost_Remote: ${NVH_ZH}`,
    line(
      '2018-12-27 15:05:45.403',
      31027,
      'WARNING',
      'nova.scheduler.utils',
      PIKE_CTX,
      `[instance: ${INST}] Setting instance to ERROR state.: NoValidHost_Remote: ${NVH_ZH}`,
    ),
    '',
  ].join('\n');
}

function antelopeBuild(vcpus: number): { scheduler: string; placement: string; conductor: string } {
  return {
    scheduler: [
      line(
        '2024-10-02 09:30:12.370',
        28,
        'DEBUG',
        'nova.scheduler.manager',
        NEW_CTX,
        `Starting to schedule for instances: ['${INST}'] select_destinations /var/lib/kolla/venv/lib/python3.10/site-packages/nova/scheduler/manager.py:142`,
      ),
      line(
        '2024-10-02 09:30:12.450',
        28,
        'INFO',
        'nova.scheduler.manager',
        NEW_CTX,
        'Got no allocation candidates from the Placement API. This could be due to insufficient resources or a temporary occurrence as compute nodes start up.',
      ),
      '',
    ].join('\n'),
    placement: [
      line(
        '2024-10-02 09:30:12.400',
        22,
        'DEBUG',
        'placement.requestlog',
        `[${REQ} req-0a4b1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d 5c2a8d1e6f3b4a09b7c4d2e1f0a9b8c7 9e8d7c6b5a4f4e3d2c1b0a9f8e7d6c5b - - default default]`,
        `Starting request: 10.0.0.11 "GET /allocation_candidates?limit=1000&resources=DISK_GB%3A40%2CMEMORY_MB%3A131072%2CVCPU%3A${vcpus}" __call__ /var/lib/kolla/venv/lib/python3.10/site-packages/placement/requestlog.py:55`,
      ),
      line(
        '2024-10-02 09:30:12.407',
        22,
        'DEBUG',
        'placement.objects.research_context',
        `[${REQ} req-0a4b1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d - - - - - -]`,
        `found no providers with ${vcpus} VCPU __init__ /var/lib/kolla/venv/lib/python3.10/site-packages/placement/objects/research_context.py:130`,
      ),
      '',
    ].join('\n'),
    conductor: [
      line(
        '2024-10-02 09:30:12.510',
        31,
        'ERROR',
        'nova.conductor.manager',
        NEW_CTX,
        'Failed to schedule instances: nova.exception_Remote.NoValidHost_Remote: No valid host was found. ',
      ),
      'Traceback (most recent call last):',
      '  File "/var/lib/kolla/venv/lib/python3.10/site-packages/nova/scheduler/manager.py", line 212, in _select_destinations',
      '    raise exception.NoValidHost(reason="")',
      'nova.exception.NoValidHost: No valid host was found. ',
      line(
        '2024-10-02 09:30:12.552',
        31,
        'WARNING',
        'nova.scheduler.utils',
        NEW_CTX,
        `[instance: ${INST}] Setting instance to ERROR state.: nova.exception_Remote.NoValidHost_Remote: No valid host was found. `,
      ),
      '',
    ].join('\n'),
  };
}

function cell0(db: Db, vcpus: number, memory: number): Db {
  return db.instance(INST, null, { __db: 'nova_cell0', vm_state: 'error', vcpus, memory_mb: memory, root_gb: 10, id: 1 });
}

test('Pike, zh_CN: the escaped NoValidHost, memory exhausted by orphans → insufficient-capacity, tipped by them', (t) => {
  const db = new Db()
    .compute(1, 'compute1', RP1, { memory: 7841, reserved: 512, memRatio: 1.5 })
    .compute(2, 'compute2', RP2, { memory: 4096 });
  // compute1: 9000 MB of live VMs and 2048 MB of orphans (no instances row); compute2: full of a live VM
  db.instance('a0000000-0000-4000-8000-000000000001', 'compute1', { memory_mb: 9000 }).allocate(
    'a0000000-0000-4000-8000-000000000001',
    1,
    1,
    9000,
  );
  db.allocate('0b6377f0-5b0c-4273-a24a-921f793b3004', 1, 1, 2048);
  db.instance('a0000000-0000-4000-8000-000000000002', 'compute2', { memory_mb: 4000 }).allocate(
    'a0000000-0000-4000-8000-000000000002',
    2,
    1,
    4000,
  );
  const [i, ...rest] = detect(
    failedBuild,
    [{ host: 'controller', service: 'nova-conductor', text: pikeConductor() }],
    cell0(db, 1, 1024).facts(),
  );
  t.is(rest.length, 0);
  t.is(i.instanceUuid, INST);
  t.is(i.requestIds[0], REQ);
  t.is(i.cause.code, 'insufficient-capacity');
  t.deepEqual(i.cause.details.tippedByOrphans, ['compute1']);
  t.regex(i.cause.summary, /Orphaned and doubled allocations tip it/);
  const ev = i.evidence.find((e) => e.text.includes('Setting instance to ERROR state'))!;
  t.truthy(ev, 'the ERROR-state line is evidence');
  const failing = i.timeline.find((e) => e.failing)!;
  t.regex(failing.message, /找不到有效主机/, 'the timeline shows the decoded zh_CN text');
  t.true(
    i.evidence.some((e) => e.raw?.includes('\\u627e')),
    'the escaped original is kept for evidence',
  );
});

test('the same failure with room on a provider is not called a capacity problem', (t) => {
  const db = new Db().compute(1, 'compute1', RP1, { memory: 65536 });
  const [i] = detect(failedBuild, [{ host: 'controller', service: 'nova-conductor', text: pikeConductor() }], cell0(db, 1, 1024).facts());
  t.is(i.cause.code, 'unknown');
  t.true(i.gaps.some((g) => /nova-scheduler log/.test(g)));
});

test('2023.1: 64 VCPU against max_unit 48 → max-unit-exceeded, with the placement query and search line as evidence', (t) => {
  const logs = antelopeBuild(64);
  const db = new Db()
    .compute(1, 'cmp01', RP1, { vcpus: 48, ratio: 4, memory: 196214 })
    .compute(2, 'cmp02', RP2, { vcpus: 48, ratio: 4, memory: 196214 });
  const [i] = detect(
    failedBuild,
    [
      { host: 'ctl01', service: 'nova-scheduler', text: logs.scheduler },
      { host: 'ctl01', service: 'placement-api', text: logs.placement },
      { host: 'ctl01', service: 'nova-conductor', text: logs.conductor },
    ],
    cell0(db, 64, 131072).facts(),
  );
  t.is(i.cause.code, 'max-unit-exceeded');
  t.like(i.cause.details, { resourceClass: 'VCPU', requestedAmount: 64, maxUnit: 48, allocationRatio: 4 });
  t.regex(i.cause.summary, /allocation_ratio 4 raises capacity, not max_unit/);
  t.true(i.evidence.some((e) => /found no providers with 64 VCPU/.test(e.text)));
  t.true(
    i.evidence.some((e) => /VCPU:64/.test(e.text)),
    'the decoded placement query',
  );
  t.deepEqual(new Set(i.timeline.map((e) => e.service)), new Set(['nova-scheduler', 'placement-api', 'nova-conductor']));
});

test('without a dump the same logs give unknown, saying the dump is missing', (t) => {
  const logs = antelopeBuild(64);
  const [i] = detect(failedBuild, [
    { host: 'ctl01', service: 'placement-api', text: logs.placement },
    { host: 'ctl01', service: 'nova-conductor', text: logs.conductor },
    { host: 'ctl01', service: 'nova-scheduler', text: logs.scheduler },
  ]);
  t.is(i.cause.code, 'unknown');
  t.true(i.gaps.some((g) => /no database dump/.test(g)));
  t.deepEqual(i.cause.details.placementFoundNone, ['64 VCPU']);
});

test('a host without host mapping → host-not-mapped, the conductor error linked to its instance by the request', (t) => {
  const ctx = `[None req-f0414cef-02db-460c-ab03-47d911285ad5 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - default default]`;
  const conductor = line(
    '2024-10-02 11:20:30.330',
    31,
    'ERROR',
    'nova.conductor.manager',
    ctx,
    'No host-to-cell mapping found for selected host cmp03. Setup is incomplete.',
  );
  const scheduler = line(
    '2024-10-02 11:20:30.130',
    28,
    'DEBUG',
    'nova.scheduler.manager',
    ctx,
    `Starting to schedule for instances: ['${INST}'] select_destinations /usr/lib/python3.9/site-packages/nova/scheduler/manager.py:142`,
  );
  const db = new Db().compute(1, 'cmp01', RP1).compute(3, 'cmp03', '33333333-3333-4333-8333-333333333333', { mapped: false });
  const incidents = detect(
    failedBuild,
    [
      { host: 'ctl01', service: 'nova-conductor', text: conductor },
      { host: 'ctl01', service: 'nova-scheduler', text: scheduler },
    ],
    cell0(db, 2, 4096).allocate(INST, 3, 2, 4096).facts(),
  );
  t.is(incidents.length, 1, 'one incident, not one per signal');
  t.is(incidents[0].cause.code, 'host-not-mapped');
  t.is(incidents[0].cause.details.host, 'cmp03');
  t.true(incidents[0].remediation.some((r) => r.command.startsWith('nova-manage cell_v2 discover_hosts')));
});

test('host-not-mapped from the database alone: a translated fault and no conductor log still give the cause', (t) => {
  const db = new Db().compute(1, 'cmp01', RP1).compute(3, 'cmp03', '33333333-3333-4333-8333-333333333333', { mapped: false });
  // zh_CN: the fault's text is translated, so it says nothing a pattern could read.
  db.row('nova_cell0', 'instance_faults', {
    id: 1,
    instance_uuid: INST,
    code: 404,
    message: '主机 cmp03 未映射到任何单元',
    details: '',
    host: null,
    created_at: '2024-10-02 11:20:30',
    deleted: 0,
  });
  const conductor = line(
    '2024-10-02 11:20:30.330',
    31,
    'WARNING',
    'nova.scheduler.utils',
    '[req-f0414cef-02db-460c-ab03-47d911285ad5 - - - - -]',
    `[instance: ${INST}] Setting instance to ERROR state.: HostMappingNotFound: 主机 cmp03 未映射到任何单元`,
  );
  const [i] = detect(
    failedBuild,
    [{ host: 'ctl01', service: 'nova-conductor', text: conductor }],
    cell0(db, 2, 4096).allocate(INST, 3, 2, 4096).facts(),
  );
  t.is(i.cause.code, 'host-not-mapped');
  t.is(i.cause.details.host, 'cmp03');
  t.true(
    i.remediation.some(
      (r) => r.command === 'nova-manage cell_v2 discover_hosts --cell_uuid cccccccc-0000-0000-0000-000000000001 --verbose',
    ),
    "the unmapped-host finding's own command",
  );
});

test('filters removed every host → filters-rejected-all-hosts, naming the filter and why (Queens scheduler lines)', (t) => {
  const ctx =
    '[req-ba7cca9e-1f0d-4d2c-9b3a-0c1d2e3f4a5b 8d3f1b4c2a9e4f7b8c6d5e4f3a2b1c0d 0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c - default default]';
  const scheduler = [
    line(
      '2021-09-17 10:02:11.210',
      1711,
      'DEBUG',
      'nova.scheduler.filters.compute_filter',
      ctx,
      '(compute1, compute1) ram: 3519MB disk: 41984MB io_ops: 0 instances: 2 has not been heard from in a while host_passes /usr/lib/python2.7/site-packages/nova/scheduler/filters/compute_filter.py:44',
    ),
    line('2021-09-17 10:02:11.211', 1711, 'INFO', 'nova.filters', ctx, 'Filter ComputeFilter returned 0 hosts'),
    line(
      '2021-09-17 10:02:11.212',
      1711,
      'INFO',
      'nova.filters',
      ctx,
      `Filtering removed all hosts for the request with instance ID '${INST}'. Filter results: ['RetryFilter: (start: 1, end: 1)', 'AvailabilityZoneFilter: (start: 1, end: 1)', 'ComputeFilter: (start: 1, end: 0)']`,
    ),
    '',
  ].join('\n');
  const conductor = line(
    '2021-09-17 10:02:11.290',
    1802,
    'WARNING',
    'nova.scheduler.utils',
    ctx,
    `[instance: ${INST}] Setting instance to ERROR state.: NoValidHost_Remote: No valid host was found. There are not enough hosts available.`,
  );
  const [i] = detect(
    failedBuild,
    [
      { host: 'controller', service: 'nova-scheduler', text: scheduler },
      { host: 'controller', service: 'nova-conductor', text: conductor },
    ],
    cell0(new Db().compute(1, 'compute1', RP1), 1, 512).facts(),
  );
  t.is(i.cause.code, 'filters-rejected-all-hosts');
  t.is(i.cause.details.filter, 'ComputeFilter');
  t.regex(i.cause.summary, /has not been heard from in a while/);
});

test('every attempt failed → max-retries-exceeded with each host and its error (Queens, MaxRetriesExceeded)', (t) => {
  const ctx =
    '[req-5e1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b 3c2b1a0f9e8d4c7b6a5f4e3d2c1b0a9f 7a6b5c4d3e2f41a0b9c8d7e6f5a4b3c2 - default default]';
  const msg = (host: string) =>
    `Error from last host: ${host} (node ${host}): [u'Traceback (most recent call last):\\n', u'  File "/usr/lib/python2.7/site-packages/nova/compute/manager.py", line 1840, in _do_build_and_run_instance\\n    filter_properties, request_spec)\\n', u"RescheduledException: Build of instance ${INST} was re-scheduled: Binding failed for port 7c1e, please check neutron logs for more information.\\n"]`;
  const conductor = [
    line('2020-11-22 09:00:10.100', 2202, 'ERROR', 'nova.scheduler.utils', ctx, `[instance: ${INST}] ${msg('compute1')}`),
    line('2020-11-22 09:00:20.100', 2202, 'ERROR', 'nova.scheduler.utils', ctx, `[instance: ${INST}] ${msg('compute2')}`),
    line(
      '2020-11-22 09:00:30.100',
      2202,
      'WARNING',
      'nova.scheduler.utils',
      ctx,
      `[instance: ${INST}] Setting instance to ERROR state.: MaxRetriesExceeded: Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for instance ${INST}.`,
    ),
    '',
  ].join('\n');
  const [i] = detect(failedBuild, [{ host: 'controller', service: 'nova-conductor', text: conductor }]);
  t.is(i.cause.code, 'max-retries-exceeded');
  t.deepEqual(
    (i.cause.details.attemptedHosts as { host: string; error: string }[]).map((a) => [a.host, a.error]),
    [
      ['compute1', 'RescheduledException'],
      ['compute2', 'RescheduledException'],
    ],
  );
});

test('placement unreachable from the scheduler → placement-unreachable', (t) => {
  const ctx = `[None ${REQ} 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - default default]`;
  const scheduler = line(
    '2024-03-01 10:00:00.100',
    28,
    'ERROR',
    'nova.scheduler.client.report',
    ctx,
    'Failed to retrieve allocation candidates from placement API for filters: keystoneauth1.exceptions.connection.ConnectFailure: Unable to establish connection to http://10.0.0.10:8778/allocation_candidates',
  );
  const conductor = antelopeBuild(2).conductor.replace(/2024-10-02 09:30:12/g, '2024-03-01 10:00:00');
  const [i] = detect(failedBuild, [
    { host: 'ctl', service: 'nova-scheduler', text: scheduler },
    { host: 'ctl', service: 'nova-conductor', text: conductor },
  ]);
  t.is(i.cause.code, 'placement-unreachable');
  t.is(i.cause.details.exception, 'ConnectFailure');
});

test('no incident for a successful build, nor for a failure rescheduled to success', (t) => {
  const ctx = `[None ${REQ} 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - default default]`;
  const ok = [
    line('2024-10-02 09:00:01.620', 7, 'INFO', 'nova.compute.claims', ctx, `[instance: ${INST}] Claim successful on node cmp01`),
    line('2024-10-02 09:00:08.520', 7, 'INFO', 'nova.compute.manager', ctx, `[instance: ${INST}] Took 6.91 seconds to build instance.`),
    '',
  ].join('\n');
  t.deepEqual(detect(failedBuild, [{ host: 'cmp01', service: 'nova-compute', text: ok }]), []);
  // A reschedule logged an error, but the instance ended ACTIVE on a host.
  const resched = line(
    '2024-10-02 09:00:05.100',
    31,
    'ERROR',
    'nova.scheduler.utils',
    ctx,
    `[instance: ${INST}] Error from last host: cmp02 (node cmp02): [u'RescheduledException: x']`,
  );
  const noisy = line(
    '2024-10-02 09:00:05.200',
    31,
    'WARNING',
    'nova.scheduler.utils',
    ctx,
    `[instance: ${INST}] Setting instance to ERROR state.: RescheduledException: x`,
  );
  const db = new Db().compute(1, 'cmp01', RP1).instance(INST, 'cmp01', { vm_state: 'active' }).allocate(INST, 1);
  t.deepEqual(detect(failedBuild, [{ host: 'ctl', service: 'nova-conductor', text: `${resched}\n${noisy}\n` }], db.facts()), []);
});

test('a class no provider reports → resource-class-not-offered, not a max_unit of 0', (t) => {
  const logs = antelopeBuild(4);
  const placement = logs.placement.replace('VCPU%3A4', 'VCPU%3A4%2CVGPU%3A1');
  const [i] = detect(
    failedBuild,
    [
      { host: 'ctl01', service: 'nova-scheduler', text: logs.scheduler },
      { host: 'ctl01', service: 'placement-api', text: placement },
      { host: 'ctl01', service: 'nova-conductor', text: logs.conductor },
    ],
    cell0(new Db().compute(1, 'cmp01', RP1, { vcpus: 48 }), 4, 131072).facts(),
  );
  t.is(i.cause.code, 'resource-class-not-offered');
  t.deepEqual(i.cause.details.notOffered, ['VGPU']);
  t.regex(i.title, /no provider offers VGPU/);
});

test("dedicated CPUs with no PCPU inventory anywhere are checked as VCPU (nova's fallback query)", (t) => {
  const spec = (vcpus: number) =>
    JSON.stringify({
      'nova_object.name': 'RequestSpec',
      'nova_object.data': {
        instance_uuid: INST,
        num_instances: 1,
        flavor: {
          'nova_object.name': 'Flavor',
          'nova_object.data': {
            name: 'pinned',
            vcpus,
            memory_mb: 4096,
            root_gb: 10,
            ephemeral_gb: 0,
            swap: 0,
            extra_specs: { 'hw:cpu_policy': 'dedicated' },
          },
        },
      },
    });
  const conductor = antelopeBuild(8).conductor;
  const db = cell0(new Db().compute(1, 'cmp01', RP1, { vcpus: 8, ratio: 1, maxUnit: 8 }), 16, 4096).row('nova_api', 'request_specs', {
    id: 1,
    instance_uuid: INST,
    spec: spec(16),
  });
  const [i] = detect(failedBuild, [{ host: 'ctl01', service: 'nova-conductor', text: conductor }], db.facts());
  t.is(i.cause.code, 'max-unit-exceeded');
  t.like(i.cause.details, { resourceClass: 'VCPU', requestedAmount: 16, maxUnit: 8 });
  t.true(i.gaps.some((g) => /PCPU/.test(g)));
});

test('without the conductor\'s log, the scheduler\'s refusal stands for the failure: "Scheduling of", the gap said; cell0 confirms it as a build', (t) => {
  const logs = antelopeBuild(64);
  const schedulerAndPlacement = [
    { host: 'ctl01', service: 'nova-scheduler' as const, text: logs.scheduler },
    { host: 'ctl01', service: 'placement-api' as const, text: logs.placement },
  ];
  const [alone, ...none] = detect(failedBuild, schedulerAndPlacement);
  t.deepEqual(none, []);
  t.is(alone.instanceUuid, INST);
  t.regex(alone.title, /^Scheduling of \(c2963f0d\) failed$/);
  t.true(alone.gaps.some((g) => /no nova-conductor line of the request/.test(g)));
  t.deepEqual(alone.cause.details.placementFoundNone, ['64 VCPU']);
  // The instance buried in cell0: the database confirms a failed build, one incident with its cause.
  const db = new Db()
    .compute(1, 'cmp01', RP1, { vcpus: 48, ratio: 4, memory: 196214 })
    .compute(2, 'cmp02', RP2, { vcpus: 48, ratio: 4, memory: 196214 });
  const confirmed = detect(failedBuild, schedulerAndPlacement, cell0(db, 64, 131072).facts());
  t.is(confirmed.length, 1);
  t.is(confirmed[0].cause.code, 'max-unit-exceeded');
  t.regex(confirmed[0].title, /^Build of \(c2963f0d\) failed: 64 VCPU exceeds every provider's max_unit \(48\)$/);
  t.false(confirmed[0].gaps.some((g) => /inferred/.test(g)));
  // The instance alive in the database (running, or stopped as for a cold migration): the refusal was no build's end.
  for (const vm_state of ['active', 'stopped']) {
    const alive = new Db()
      .compute(1, 'cmp01', RP1, { vcpus: 48, ratio: 4, memory: 196214 })
      .instance(INST, 'cmp01', { vm_state, vcpus: 4, memory_mb: 4096, root_gb: 10, id: 7 });
    t.deepEqual(detect(failedBuild, [{ host: 'ctl01', service: 'nova-scheduler', text: logs.scheduler }], alive.facts()), [], vm_state);
  }
});

test("refusals that need not end a build give none: filters re-run for a multi-create's alternates, and an INFO-only refusal naming no instance", (t) => {
  const U2 = '7d1c2b3a-4e5f-4a6b-9c8d-0e1f2a3b4c5d';
  const multi = [
    line(
      '2024-10-02 09:30:12.370',
      28,
      'DEBUG',
      'nova.scheduler.manager',
      NEW_CTX,
      `Starting to schedule for instances: ['${INST}', '${U2}'] select_destinations /usr/lib/python3.9/site-packages/nova/scheduler/manager.py:142`,
    ),
    line(
      '2024-10-02 09:30:12.480',
      28,
      'DEBUG',
      'nova.filters',
      NEW_CTX,
      `Filtering removed all hosts for the request with instance ID '${U2}'. Filter results: ['AvailabilityZoneFilter: (start: 2, end: 2)', 'ServerGroupAntiAffinityFilter: (start: 2, end: 0)'] get_filtered_objects /usr/lib/python3.9/site-packages/nova/filters.py:114`,
    ),
    '',
  ].join('\n');
  t.deepEqual(detect(failedBuild, [{ host: 'ctl01', service: 'nova-scheduler', text: multi }]), []);
  // The same with the scheduler's own "not enough hosts": it did end the request.
  const ended = multi.replace(
    /\n$/,
    `\n${line('2024-10-02 09:30:12.490', 28, 'DEBUG', 'nova.scheduler.filter_scheduler', NEW_CTX, 'There are 1 hosts available but 2 instances requested to build. _ensure_sufficient_hosts /usr/lib/python3.9/site-packages/nova/scheduler/filter_scheduler.py:276')}\n`,
  );
  const [i] = detect(failedBuild, [{ host: 'ctl01', service: 'nova-scheduler', text: ended }]);
  t.is(i?.cause.code, 'filters-rejected-all-hosts');
  t.is(i?.cause.details.filter, 'ServerGroupAntiAffinityFilter');
  const info = `${line('2024-10-02 09:30:12.450', 28, 'INFO', 'nova.scheduler.manager', NEW_CTX, 'Got no allocation candidates from the Placement API. This could be due to insufficient resources or a temporary occurrence as compute nodes start up.')}\n`;
  t.deepEqual(detect(failedBuild, [{ host: 'ctl01', service: 'nova-scheduler', text: info }]), []);
});

test("a move the scheduler refused is no failed build: the conductor's compute_task_migrate_server, or the API's server action", (t) => {
  const logs = antelopeBuild(64);
  const conductor = line(
    '2024-10-02 09:30:12.552',
    31,
    'WARNING',
    'nova.scheduler.utils',
    NEW_CTX,
    `[instance: ${INST}] Failed to compute_task_migrate_server: No valid host was found. `,
  );
  t.deepEqual(
    detect(failedBuild, [
      { host: 'ctl01', service: 'nova-scheduler', text: logs.scheduler },
      { host: 'ctl01', service: 'nova-conductor', text: `${conductor}\n` },
    ]),
    [],
  );
  const api = line(
    '2024-10-02 09:30:12.300',
    25,
    'INFO',
    'nova.api.openstack.requestlog',
    NEW_CTX,
    `10.0.0.5 "POST /v2.1/servers/${INST}/action" status: 202 len: 0 microversion: 2.95 time: 0.210`,
  );
  t.deepEqual(
    detect(failedBuild, [
      { host: 'ctl01', service: 'nova-scheduler', text: logs.scheduler },
      { host: 'ctl01', service: 'nova-api', text: `${api}\n` },
    ]),
    [],
  );
});

test("a refusal for an instance with a migrations row is a move's (an evacuation that left it in ERROR), not a failed build", (t) => {
  const logs = antelopeBuild(64);
  const errored = (): Db =>
    new Db()
      .compute(1, 'cmp01', RP1, { vcpus: 48, ratio: 4, memory: 196214 })
      .instance(INST, 'cmp01', { vm_state: 'error', vcpus: 4, memory_mb: 4096, root_gb: 10, id: 7 });
  const scheduler = [{ host: 'ctl01', service: 'nova-scheduler' as const, text: logs.scheduler }];
  t.is(detect(failedBuild, scheduler, errored().facts()).length, 1, 'without the row the refusal stands');
  const moved = errored().migration('f00d0000-0000-4000-8000-000000000002', INST, 'cmp01', 'cmp02', 'error');
  t.deepEqual(detect(failedBuild, scheduler, moved.facts()), []);
});

test('scheduler utils log the exception as text only: "Failed to compute_task_build_instances: " in German is a NoValidHost build failure', (t) => {
  const ctx = '[req-e21fdda8-7c6c-47d7-9137-0eaed3fc7c7c 5976e07fd29649a383023e80b50e1e9e 3090c353f4104643a1e4fbe8c96e23ba - - -]';
  const text = `${line('2016-10-12 00:57:55.276', 1604, 'WARNING', 'nova.scheduler.utils', ctx, 'Failed to compute_task_build_instances: Es wurde kein gültiger Host gefunden. ')}\n`;
  const [i, ...rest] = detect(failedBuild, [{ host: 'ctl01', service: 'nova-conductor', text }]);
  t.deepEqual(rest, []);
  t.is(i.cause.code, 'unknown');
  t.regex(i.cause.summary, /^The build failed with NoValidHost/);
  t.regex(i.title, /^Build of request req-e21fdda8-7c6c-47d7-9137-0eaed3fc7c7c failed$/);
});
