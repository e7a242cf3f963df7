import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { failedBuild } from '../../src/detectors/failed-build/index.js';
import { line } from '../helpers/detect.js';
import { type CaseLog, caseTable, has, not } from '../helpers/case-table.js';
import { Db } from '../helpers/facts.js';
import { CSDN_CONDUCTOR, CSDN_SCHEDULER, committedCorpus, pastedCorpus } from '../helpers/real-lines.js';
import { noCandidatesLines } from '../helpers/scheduling.js';
import { ROOT } from '../helpers/shared.js';

/**
 * failed-build: builds that ended in ERROR, one row per situation. Old
 * format: Pike and before (`[req-… user project - default default]`, python
 * 2.7, messages escaped or translated); new: `[None req-… …]` (2023.1+).
 */

const INST = 'c2963f0d-370c-43aa-8cee-0131760d6ef2';
const REQ = 'req-49530488-2149-4f15-85ea-5659267ffada';
const PIKE_CTX = `[${REQ} 8668aa3368c0427c98b1d1824a36f720 f30a92c42d264a79ba5744b084346a2d - default default]`;
const NEW_CTX = `[None ${REQ} 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - default default]`;
const NVH_ZH = '\\u627e\\u4e0d\\u5230\\u6709\\u6548\\u4e3b\\u673a\\uff0c\\u539f\\u56e0\\u662f \\u3002';
const RP1 = '11111111-1111-4111-8111-111111111111';
const RP2 = '22222222-2222-4222-8222-222222222222';
const RP3 = '33333333-3333-4333-8333-333333333333';

const larsks = (file: string): CaseLog => ({
  host: `paste-${file}`,
  service: 'unknown',
  paste: true,
  lines: committedCorpus('larsks-blog-oddbit-2015-01-17-nova-docker-binding-failed', file).map((l) => l.replace(/^ {4}/, '')),
});
const LARSKS_LIST = larsks('nova-list.txt');
const LARSKS_COMPUTE = larsks('nova-docker.log');

/** Real (github-phonglh79-ghichep-duydm-multi-region-errors, Queens): compute01's ERROR of a build aborted with cinder's 400, its grep prompt left out. */
const PHONGLH79_ABORT = committedCorpus('github-phonglh79-ghichep-duydm-multi-region-errors', 'nova-compute-grep-error.txt').filter((l) =>
  l.startsWith('2019-'),
);

/** Real (github-bohai-openstack-note-nova-docker-bug, Juno, nova-docker): A-172's lines of one build, its grep prompt left out. */
const BOHAI_BUILD = committedCorpus('github-bohai-openstack-note-nova-docker-bug', 'nova-compute-grep-84729308.txt').filter((l) =>
  /^\d{4}-/.test(l),
);

/** Real (github-zasfe-labs-openstack-troubleshooting): compute1's grep hits of a build aborted with keystoneauth's MissingRequiredOptions, its prompt left out. */
const ZASFE_ABORTED: CaseLog = {
  host: 'compute1',
  service: 'nova-compute',
  lines: committedCorpus('github-zasfe-labs-openstack-troubleshooting', 'nova-compute-build-aborted.txt').filter((l) =>
    l.startsWith('/var/log/nova/'),
  ),
};

/**
 * The conductor's scheduling step met the scheduler's silence. No public conductor line of it was found: the frames are
 * a real build's fault details (code-index 30328553150: an openstack-helm cloud after a RabbitMQ pod was deleted, 2019,
 * Stein; its fault 'Timed out waiting for a reply to message ID 70b5b5ce…'), in the record the conductor writes for them.
 */
const SCHEDULER_SILENT_CONDUCTOR = (() => {
  const p = '2019-10-10 07:15:01.120 21 ERROR nova.conductor.manager';
  const v = '/var/lib/openstack/local/lib/python2.7/site-packages';
  return [
    `${p} [req-3c1f8a2b-7d44-4b1e-9b0e-55a1c1d2e3f4 9942eb4321644336a0c7383d9f1c2bed a7d812868cb74f1a978035530f55f1d0 - default default] Failed to schedule instances: MessagingTimeout: Timed out waiting for a reply to message ID 70b5b5ce51004a9a95d9a2ab3a68fac2`,
    `${p} Traceback (most recent call last):`,
    `${p}   File "${v}/nova/conductor/manager.py", line 1237, in schedule_and_build_instances`,
    `${p}     instance_uuids, return_alternates=True)`,
    `${p}   File "${v}/nova/conductor/manager.py", line 750, in _schedule_instances`,
    `${p}     return_alternates=return_alternates)`,
    `${p}   File "${v}/nova/scheduler/client/__init__.py", line 50, in select_destinations`,
    `${p}     instance_uuids, return_objects, return_alternates)`,
    `${p}   File "${v}/nova/scheduler/rpcapi.py", line 160, in select_destinations`,
    `${p}     return cctxt.call(ctxt, 'select_destinations', **msg_args)`,
    `${p}   File "${v}/oslo_messaging/_drivers/amqpdriver.py", line 336, in get`,
    `${p}     'to message ID %s' % msg_id)`,
    `${p} MessagingTimeout: Timed out waiting for a reply to message ID 70b5b5ce51004a9a95d9a2ab3a68fac2`,
    `${p} `,
    '2019-10-10 07:15:01.180 21 WARNING nova.scheduler.utils [req-3c1f8a2b-7d44-4b1e-9b0e-55a1c1d2e3f4 9942eb4321644336a0c7383d9f1c2bed a7d812868cb74f1a978035530f55f1d0 - default default] [instance: 5d1c7e2a-9b3f-4c8d-a6e1-2f7b9c0d4e5a] Setting instance to ERROR state.: MessagingTimeout: Timed out waiting for a reply to message ID 70b5b5ce51004a9a95d9a2ab3a68fac2',
  ];
})();

/** Real (cnblogs-xzlive-14942406-conductor-access-refused): the conductor's lines without the post's Markdown code spans. */
const CNBLOGS_CONDUCTOR = committedCorpus('cnblogs-xzlive-14942406-conductor-access-refused', 'nova-conductor.log').map((l) =>
  l.replace(/^`/, '').replace(/`\s*$/, ''),
);

/** Real (github-zasfe-labs-openstack-troubleshooting): compute1's grep hit of a failed attempt naming no instance, its prompt and elisions left out. */
const ZASFE_ATTEMPT: CaseLog = {
  host: 'compute1',
  service: 'nova-compute',
  lines: committedCorpus('github-zasfe-labs-openstack-troubleshooting', 'nova-compute-port-binding.txt').filter((l) =>
    l.startsWith('/var/log/nova/'),
  ),
};

/** Seed 000 (Pike, python 2.7, zh_CN): the conductor's lines as the seed quotes them, its line breaks restored. */
function pikeConductor(): CaseLog {
  const p = '2018-12-27 15:05:44.860 31027 ERROR nova.conductor.manager';
  return {
    host: 'controller',
    service: 'nova-conductor',
    lines: [
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
    ],
  };
}

/** A 2023.1 kolla build of `vcpus` VCPU refused by placement (the seed 001 situation, in the new format). */
function antelopeBuild(vcpus: number): { scheduler: string[]; placement: string[]; conductor: string[] } {
  return {
    ...noCandidatesLines({
      at: '2024-10-02 09:30:12',
      ctx: NEW_CTX,
      req: REQ,
      instance: INST,
      resources: `DISK_GB%3A40%2CMEMORY_MB%3A131072%2CVCPU%3A${vcpus}`,
      vcpus,
    }),
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
    ],
  };
}

const ANTELOPE_64 = antelopeBuild(64);

/**
 * A 2023.1 build whose scheduler logged the report client's ERROR on its candidates query (Rocky+'s layout: the
 * request group on the line, `Got <status>: <body>` after a newline), then the conductor's NoValidHost.
 */
function candidatesRefused(resources: string, got: string): CaseLog[] {
  const b = antelopeBuild(2);
  return [
    ctl01('nova-scheduler', [
      ...b.scheduler.slice(0, 1),
      line(
        '2024-10-02 09:30:12.420',
        28,
        'ERROR',
        'nova.scheduler.client.report',
        NEW_CTX,
        `Failed to retrieve allocation candidates from placement API for filters: RequestGroup(use_same_provider=False, ${resources}, traits=[], aggregates=[])`,
      ),
      got,
      ...b.scheduler.slice(1),
    ]),
    ctl01('nova-conductor', b.conductor),
  ];
}

const ctl01 = (service: CaseLog['service'], lines: readonly string[]): CaseLog => ({ host: 'ctl01', service, lines });
/** The 2023.1 controller's refusal of a 64-VCPU build, and a dump of cmp01 (48 VCPU, there all along) and cmp02 (96 VCPU, created at `cmp02CreatedAt`). */
const twoProviders = (cmp02CreatedAt: string) => ({
  logs: [
    ctl01('nova-scheduler', ANTELOPE_64.scheduler),
    ctl01('placement-api', ANTELOPE_64.placement),
    ctl01('nova-conductor', ANTELOPE_64.conductor),
  ],
  db: () =>
    cell0(
      new Db()
        .compute(1, 'cmp01', RP1, { vcpus: 48, maxUnit: 48, memory: 262144, createdAt: '2024-06-01 08:00:00' })
        .compute(2, 'cmp02', RP2, { vcpus: 96, maxUnit: 96, memory: 262144, createdAt: cmp02CreatedAt }),
      64,
      131072,
    ),
});

/** The instance buried in cell0 by the failed build. */
function cell0(db: Db, vcpus: number, memory: number): Db {
  return db.instance(INST, null, { __db: 'nova_cell0', vm_state: 'error', vcpus, memory_mb: memory, root_gb: 10, id: 1 });
}

const twoBigComputes = (): Db =>
  new Db()
    .compute(1, 'cmp01', RP1, { vcpus: 48, ratio: 4, memory: 196214 })
    .compute(2, 'cmp02', RP2, { vcpus: 48, ratio: 4, memory: 196214 });

/** The lines of a build the conductor's host-not-mapped error ended (2023.1, RHEL python 3.9). */
const UNMAPPED_CTX =
  '[None req-f0414cef-02db-460c-ab03-47d911285ad5 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - default default]';
const unmappedCmp03 = (): Db => new Db().compute(1, 'cmp01', RP1).compute(3, 'cmp03', RP3, { mapped: false });

/** cmp03 mapped at `mappedAt` (the dump's created_at); the instance buried in cell0 at 11:20:30 with its claim on cmp03. */
function laterMapped(mappedAt: string): Db {
  return new Db()
    .compute(1, 'cmp01', RP1)
    .compute(3, 'cmp03', RP3, { mapped: false })
    .row('nova_api', 'host_mappings', { id: 3, cell_id: 2, host: 'cmp03', created_at: mappedAt, updated_at: null })
    .instance(INST, null, {
      __db: 'nova_cell0',
      id: 1,
      vm_state: 'error',
      vcpus: 2,
      memory_mb: 4096,
      created_at: '2024-10-02 11:20:29',
      updated_at: '2024-10-02 11:20:30',
    })
    .allocate(INST, 3, 2, 4096);
}

const AGG = 'a9a9a9a9-0000-4000-8000-00000000a661';
/** A 2023.1 build whose candidates query asked traits and an aggregate besides 2 VCPU (placement answered none). */
function taggedBuild(query: string): CaseLog[] {
  const venv = '/var/lib/kolla/venv/lib/python3.10/site-packages';
  return [
    ctl01('nova-scheduler', [
      line(
        '2024-10-02 09:30:12.370',
        28,
        'DEBUG',
        'nova.scheduler.manager',
        NEW_CTX,
        `Starting to schedule for instances: ['${INST}'] select_destinations ${venv}/nova/scheduler/manager.py:142`,
      ),
      line(
        '2024-10-02 09:30:12.450',
        28,
        'INFO',
        'nova.scheduler.manager',
        NEW_CTX,
        'Got no allocation candidates from the Placement API. This could be due to insufficient resources or a temporary occurrence as compute nodes start up.',
      ),
    ]),
    ctl01('placement-api', [
      line(
        '2024-10-02 09:30:12.400',
        22,
        'DEBUG',
        'placement.requestlog',
        `[${REQ} req-0a4b1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d 5c2a8d1e6f3b4a09b7c4d2e1f0a9b8c7 9e8d7c6b5a4f4e3d2c1b0a9f8e7d6c5b - - default default]`,
        `Starting request: 10.0.0.11 "GET /allocation_candidates?limit=1000&resources=DISK_GB%3A10%2CMEMORY_MB%3A2048%2CVCPU%3A2&${query}" __call__ ${venv}/placement/requestlog.py:55`,
      ),
    ]),
    ctl01('nova-conductor', antelopeBuild(2).conductor),
  ];
}

/** cmp01 and cmp02 with room; their traits (and cmp02's aggregate) as given; `tables: false` leaves the association tables out. */
function taggedComputes(o: { cmp01: string[]; cmp02: string[]; cmp02Agg?: boolean; tables?: boolean }): Db {
  const db = cell0(twoBigComputes(), 2, 2048);
  if (o.tables === false) return db;
  const names = [...new Set([...o.cmp01, ...o.cmp02])];
  for (const [i, name] of names.entries()) db.row('placement', 'traits', { id: i + 1, name });
  for (const t of o.cmp01) db.row('placement', 'resource_provider_traits', { resource_provider_id: 1, trait_id: names.indexOf(t) + 1 });
  for (const t of o.cmp02) db.row('placement', 'resource_provider_traits', { resource_provider_id: 2, trait_id: names.indexOf(t) + 1 });
  db.row('placement', 'placement_aggregates', { id: 1, uuid: AGG });
  if (o.cmp02Agg) db.row('placement', 'resource_provider_aggregates', { resource_provider_id: 2, aggregate_id: 1 });
  else db.row('placement', 'resource_provider_aggregates', { resource_provider_id: 99, aggregate_id: 1 });
  return db;
}

/** Havana: a request's context as its logs wrote it (`[req-… user project]`). */
const HAVANA_CTX = '[req-d98b4b32-2cea-45b0-a4ba-35effc4f78e7 e75374ede9834b41919d07e6a311401c e7dcfe9fe2f143d29e518e41a20553cf]';

/** Havana: the scheduler's log of a request of one instance it found no host for (nova.scheduler.driver's WARNING alone). */
const HAVANA_LONE_SCHEDULER: CaseLog = {
  host: 'controller',
  service: 'nova-scheduler',
  lines: [
    line(
      '2014-04-22 11:24:46.985',
      973,
      'INFO',
      'nova.scheduler.filter_scheduler',
      HAVANA_CTX,
      `Attempting to build 1 instance(s) uuids: [u'${INST}']`,
    ),
    line(
      '2014-04-22 11:24:47.009',
      973,
      'WARNING',
      'nova.scheduler.driver',
      HAVANA_CTX,
      `[instance: ${INST}] Setting instance to ERROR state.`,
    ),
  ],
};

/** Havana: a compute's AUDIT claim of `instance` (its request 11:22:47), `free` MB under RamFilter's 23146.50 MB before it. */
function havanaClaim(instance: string, free: number): string[] {
  const claim = (ts: string, msg: string) => line(ts, 1579, 'AUDIT', 'nova.compute.claims', HAVANA_CTX, `[instance: ${instance}] ${msg}`);
  return [
    claim('2014-04-22 11:22:47.243', 'Attempting claim: memory 4096 MB, disk 40 GB, VCPUs 2'),
    claim('2014-04-22 11:22:47.244', 'Total Memory: 15431 MB, used: 6656.00 MB'),
    claim('2014-04-22 11:22:47.244', `Memory limit: 23146.50 MB, free: ${free.toFixed(2)} MB`),
    claim('2014-04-22 11:22:47.247', 'Claim successful'),
  ];
}

/** Havana: the resource tracker's periodic audit (its free memory, `free` MB of the host's total). */
function havanaAudit(ts: string, free: number): string[] {
  const audit = (msg: string) => line(ts, 1579, 'AUDIT', 'nova.compute.resource_tracker', '[-]', msg);
  return [audit('Auditing locally available compute resources'), audit(`Free ram (MB): ${free}`), audit('Free disk (GB): -118')];
}

/**
 * Havana: a multi-create of two (INST placed on cmp1, U2 not), the compute's AUDIT claim of INST with `free` MB under
 * RamFilter's limit before it (nova/scheduler/filter_scheduler.py, nova/compute/claims.py formats).
 */
function havanaMultiCreate(free: number): CaseLog[] {
  return [
    {
      host: 'controller',
      service: 'nova-scheduler',
      lines: [
        line(
          '2014-04-22 11:22:18.057',
          973,
          'INFO',
          'nova.scheduler.filter_scheduler',
          HAVANA_CTX,
          `Attempting to build 2 instance(s) uuids: [u'${INST}', u'${U2}']`,
        ),
        line(
          '2014-04-22 11:22:18.074',
          973,
          'INFO',
          'nova.scheduler.filter_scheduler',
          HAVANA_CTX,
          `Choosing host WeighedHost [host: cmp1, weight: 8775.0] for instance ${INST}`,
        ),
        line(
          '2014-04-22 11:22:18.589',
          973,
          'WARNING',
          'nova.scheduler.driver',
          HAVANA_CTX,
          `[instance: ${U2}] Setting instance to ERROR state.`,
        ),
      ],
    },
    { host: 'cmp1', service: 'nova-compute', lines: havanaClaim(INST, free) },
  ];
}

/** Queens, python 2.7: the scheduler's filter lines and the conductor's ERROR state of one request. */
const QUEENS_CTX =
  '[req-ba7cca9e-1f0d-4d2c-9b3a-0c1d2e3f4a5b 8d3f1b4c2a9e4f7b8c6d5e4f3a2b1c0d 0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c - default default]';

/** Queens: the conductor's line that ended the request (the scheduler's NoValidHost, filters leaving too few hosts). */
const QUEENS_ERROR_STATE = line(
  '2021-09-17 10:02:11.290',
  1802,
  'WARNING',
  'nova.scheduler.utils',
  QUEENS_CTX,
  `[instance: ${INST}] Setting instance to ERROR state.: NoValidHost_Remote: No valid host was found. There are not enough hosts available.`,
);

const U2 = '7d1c2b3a-4e5f-4a6b-9c8d-0e1f2a3b4c5d';
/** A multi-create of two: the filters' re-run for the second instance's alternates removed every host. */
const MULTI = [
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
];

/** The request spec of a pinned flavor (hw:cpu_policy dedicated). */
function pinnedSpec(vcpus: number): string {
  return JSON.stringify({
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
}

/** An instance in ERROR in its cell (not cell0): the refusal may have been a move's. */
const erroredInCell = (): Db =>
  new Db()
    .compute(1, 'cmp01', RP1, { vcpus: 48, ratio: 4, memory: 196214 })
    .instance(INST, 'cmp01', { vm_state: 'error', vcpus: 4, memory_mb: 4096, root_gb: 10, id: 7 });

const aliveInCell = (vm_state: string) => (): Db =>
  new Db()
    .compute(1, 'cmp01', RP1, { vcpus: 48, ratio: 4, memory: 196214 })
    .instance(INST, 'cmp01', { vm_state, vcpus: 4, memory_mb: 4096, root_gb: 10, id: 7 });

/** A compute's claim copied without times (real: test/corpus/real/e-com-net-1176858659192385536-claim-disk-limit), edited by `edit`. */
const claimLines = (edit = (l: string): string => l): CaseLog => {
  const log = pastedCorpus('e-com-net-1176858659192385536-claim-disk-limit', 'nova-compute-level-only.txt');
  return { ...log, lines: log.lines.map(edit) };
};

caseTable(failedBuild, {
  valid: [
    {
      // Real (the shared corpus's hotsos nova-compute.log.1.gz, Ussuri, 2022): a compute's periodic task timing out on the
      // conductor during a RabbitMQ outage is no build's failure.
      name: "a compute's periodic task that met MessagingTimeout (update_available_resource) → no failed build",
      logs: [
        {
          host: 'compute4',
          service: 'nova-compute',
          lines: [
            '2022-02-04 10:47:32.196 296296 ERROR oslo_service.periodic_task [req-23778c60-7aed-45ba-9b99-d63cebb70b17 - - - - -] Error during ComputeManager.update_available_resource: oslo_messaging.exceptions.MessagingTimeout: Timed out waiting for a reply to message ID 03240d4285c747d2bf380f530c106995',
          ],
        },
      ],
    },
    {
      // Real lines (cnblogs-xzlive-14942406-conductor-access-refused), the broker's refusal met while scheduling, before any cast: no build handed over failed.
      name: "the conductor's RPC server error through schedule_and_build_instances into _schedule_instances, not the compute cast → no cast-to-compute-failed",
      logs: [
        {
          host: 'controller',
          service: 'nova-conductor',
          lines: CNBLOGS_CONDUCTOR.map((l) =>
            l.replace(
              'nova/compute/rpcapi.py", line 1124, in build_and_run_instance',
              'nova/conductor/manager.py", line 839, in _schedule_instances',
            ),
          ),
        },
      ],
    },
    {
      // Real lines (github-syunkitada-labo-libvirt-apparmor-docker), the raise from another libvirt call: a live migration's says nothing of a build.
      name: "a traceback's last lines only, raised from virDomainMigrateToURI3 → no failed build",
      logs: [
        {
          host: 'cmp01',
          service: 'nova-compute',
          lines: committedCorpus('github-syunkitada-labo-libvirt-apparmor-docker', 'nova-compute-shm-busy.log').map((l) =>
            l.replace('virDomainCreateWithFlags', 'virDomainMigrateToURI3'),
          ),
        },
      ],
    },
    {
      // Real lines (linuxsimba-github-io-2016-02-22-qemu-error), the command another one (a volume's mount): nothing names a cause.
      name: 'an undated traceback tail: ProcessExecutionError of another command → no failed build (nothing says which)',
      logs: [
        {
          host: 'cmp01',
          service: 'nova-compute',
          paste: true,
          lines: committedCorpus('linuxsimba-github-io-2016-02-22-qemu-error', 'nova-compute.log').map((l) =>
            l.replace(/Command: .*/, 'Command: mount -t nfs 10.0.0.5:/vol /var/lib/nova/mnt/abc'),
          ),
        },
      ],
    },
    {
      // Real (test/corpus/real/github-aawwuu-openstack-study-floating-ip-after-migration, Pike RDO): the command and its error.
      name: "a client's 400 after 'openstack server add floating ip' typed is that action's error, not a failed build",
      logs: [pastedCorpus('github-aawwuu-openstack-study-floating-ip-after-migration', 'cli-server-add-floating-ip.txt')],
    },
    {
      // novaclient's error line (NOVACLIENT's shape, test/corpus/real/ask-openstack-78595) over the API schema's own words: a
      // create refused as sent answers 400 before any server exists; a build fails later, in the server's fault.
      name: "a client's 400 naming no move, no command typed ('Invalid input for field/attribute flavorRef') is a refused request, not a failed build",
      logs: [
        {
          host: 'paste',
          service: 'unknown',
          paste: true,
          lines: [
            "ERROR (BadRequest): Invalid input for field/attribute flavorRef. Value: None. None is not of type 'string', 'integer' (HTTP 400) (Request-ID: req-0e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b)",
          ],
        },
      ],
    },
    {
      // The real claim (test/corpus/real/e-com-net-1176858659192385536-claim-disk-limit) with room left under the limit.
      name: "a compute's claim whose disk fitted under its limit (free 80.00 GB for 60 GB asked) is no failed build",
      logs: [claimLines((l) => l.replace('free: 18.00 GB', 'free: 80.00 GB'))],
    },
    {
      // The same listing as oomichi/try-kubernetes#27's (real), its server in ERROR but run once (a failed move, a
      // failed reboot leave a power state): no build of it failed that the listing shows.
      name: "a pasted 'nova list' row in ERROR whose power state is Shutdown is no failed build",
      logs: [
        {
          host: 'paste-nova-list',
          service: 'unknown',
          paste: true,
          lines: readFileSync(
            join(ROOT, 'test', 'corpus', 'real', 'github-oomichi-try-kubernetes-issue27', 'cli-server-create-nova-list.txt'),
            'utf8',
          )
            .replace('NOSTATE    ', 'Shutdown   ')
            .replace(/\n$/, '')
            .split('\n'),
        },
      ],
    },
    {
      name: "the scheduler's refusal of a request whose RequestSpec names a rebuild check (_nova_check_type, generated) is no build's",
      logs: [
        ctl01('nova-scheduler', [
          line(
            '2024-10-02 11:20:05.140',
            28,
            'DEBUG',
            'nova.scheduler.manager',
            NEW_CTX,
            `Starting to schedule for instances: ['${INST}'] select_destinations /usr/lib/python3.9/site-packages/nova/scheduler/manager.py:142`,
          ),
          line(
            '2024-10-02 11:20:05.210',
            28,
            'DEBUG',
            'nova.scheduler.filters.failure_domain_filter',
            NEW_CTX,
            `(cmp01, cmp01) fails for RequestSpec(flavor=Flavor(2),force_hosts=['cmp01'],instance_uuid=${INST},num_instances=1,scheduler_hints={_nova_check_type=['rebuild']}) host_passes /usr/lib/python3.9/site-packages/failure_domain/filter.py:61`,
          ),
          line(
            '2024-10-02 11:20:05.212',
            28,
            'INFO',
            'nova.filters',
            NEW_CTX,
            `Filtering removed all hosts for the request with instance ID '${INST}'. Filter results: ['ComputeFilter: (start: 1, end: 1)', 'FailureDomainFilter: (start: 1, end: 0)']`,
          ),
        ]),
      ],
    },
    {
      name: "the scheduler's periodic discovery mapping a new host, and no build failing (real line, crowbar#1913)",
      logs: [
        {
          host: 'ctl',
          service: 'nova-scheduler',
          lines: ['2018-11-28 15:27:30.816 28987 INFO nova.scheduler.manager Discovered 1 new hosts: cell1:d52-54-77-77-01-02'],
        },
      ],
    },
    {
      name: "a cold migration refused in zh_CN, the instance set back to ACTIVE with the NoValidHost appended: a move's, not a build's (real lines)",
      logs: [
        { host: 'controller', service: 'nova-scheduler', lines: CSDN_SCHEDULER },
        { host: 'controller', service: 'nova-conductor', lines: CSDN_CONDUCTOR },
      ],
    },
    {
      name: "the scheduler's refusal alone, with the source left out (Host filter ignoring hosts): a move's request, not a build's (real lines)",
      logs: [{ host: 'controller', service: 'nova-scheduler', lines: CSDN_SCHEDULER }],
    },
    {
      name: "a hard reboot's traceback through _create_guest_with_network is no build's (2023.1)",
      logs: [
        {
          host: 'cmp01',
          service: 'nova-compute',
          lines: [
            line(
              '2024-10-02 10:11:12.001',
              7,
              'ERROR',
              'nova.compute.manager',
              NEW_CTX,
              `[instance: ${INST}] Cannot reboot instance: libvirt.libvirtError: internal error: qemu unexpectedly closed the monitor`,
            ),
            '2024-10-02 10:11:12.001 7 ERROR nova.compute.manager [instance: c2963f0d-370c-43aa-8cee-0131760d6ef2] Traceback (most recent call last):',
            '2024-10-02 10:11:12.001 7 ERROR nova.compute.manager [instance: c2963f0d-370c-43aa-8cee-0131760d6ef2]   File "/usr/lib/python3/dist-packages/nova/compute/manager.py", line 4031, in reboot_instance',
            '2024-10-02 10:11:12.001 7 ERROR nova.compute.manager [instance: c2963f0d-370c-43aa-8cee-0131760d6ef2]   File "/usr/lib/python3/dist-packages/nova/virt/libvirt/driver.py", line 3891, in _hard_reboot',
            '2024-10-02 10:11:12.001 7 ERROR nova.compute.manager [instance: c2963f0d-370c-43aa-8cee-0131760d6ef2]   File "/usr/lib/python3/dist-packages/nova/virt/libvirt/driver.py", line 7454, in _create_guest_with_network',
          ],
        },
      ],
    },
    {
      name: 'a successful build: the claim and "Took … seconds to build instance" on the compute (2023.1)',
      logs: [
        {
          host: 'cmp01',
          service: 'nova-compute',
          lines: [
            line(
              '2024-10-02 09:00:01.620',
              7,
              'INFO',
              'nova.compute.claims',
              NEW_CTX,
              `[instance: ${INST}] Claim successful on node cmp01`,
            ),
            line(
              '2024-10-02 09:00:08.520',
              7,
              'INFO',
              'nova.compute.manager',
              NEW_CTX,
              `[instance: ${INST}] Took 6.91 seconds to build instance.`,
            ),
          ],
        },
      ],
    },
    {
      name: 'a failure rescheduled to success: an error from the last host, and the instance ACTIVE on a host in the database',
      logs: [
        {
          host: 'ctl',
          service: 'nova-conductor',
          lines: [
            line(
              '2024-10-02 09:00:05.100',
              31,
              'ERROR',
              'nova.scheduler.utils',
              NEW_CTX,
              `[instance: ${INST}] Error from last host: cmp02 (node cmp02): [u'RescheduledException: x']`,
            ),
            line(
              '2024-10-02 09:00:05.200',
              31,
              'WARNING',
              'nova.scheduler.utils',
              NEW_CTX,
              `[instance: ${INST}] Setting instance to ERROR state.: RescheduledException: x`,
            ),
          ],
        },
      ],
      db: () => new Db().compute(1, 'cmp01', RP1).instance(INST, 'cmp01', { vm_state: 'active' }).allocate(INST, 1),
    },
    {
      name: 'a spawn failure on one compute, then "Took … seconds to build instance" on another: rescheduled to success',
      logs: [
        {
          host: 'cmp01',
          service: 'nova-compute',
          lines: [
            line(
              '2024-10-02 09:00:03.100',
              7,
              'ERROR',
              'nova.compute.manager',
              NEW_CTX,
              `[instance: ${INST}] Instance failed to spawn: libvirt.libvirtError: internal error: qemu unexpectedly closed the monitor`,
            ),
          ],
        },
        {
          host: 'cmp02',
          service: 'nova-compute',
          lines: [
            line(
              '2024-10-02 09:00:12.520',
              7,
              'INFO',
              'nova.compute.manager',
              NEW_CTX,
              `[instance: ${INST}] Took 6.91 seconds to build instance.`,
            ),
          ],
        },
      ],
    },
    {
      // The notification's DEBUG fault (nova.compute.utils, Folsom–Stein) of a failed attempt, then the build
      // succeeded on another compute: the attempt's fault ended nothing.
      name: "an error notification's DEBUG fault (ImageUnacceptable) on one compute, then the build done on another: rescheduled to success",
      logs: [
        {
          host: 'cmp01',
          service: 'nova-compute',
          lines: [
            line(
              '2017-01-19 06:15:03.006',
              7,
              'DEBUG',
              'nova.compute.utils',
              NEW_CTX,
              `[instance: ${INST}] Image 5f1e7c1a-2f55-4d6b-9b0a-0a8e6b1f3c22 is unacceptable: Bad Image format notify_about_instance_usage /usr/lib/python2.7/dist-packages/nova/compute/utils.py:313`,
            ),
          ],
        },
        {
          host: 'cmp02',
          service: 'nova-compute',
          lines: [
            line(
              '2017-01-19 06:15:21.520',
              7,
              'INFO',
              'nova.compute.manager',
              NEW_CTX,
              `[instance: ${INST}] Took 6.91 seconds to build instance.`,
            ),
          ],
        },
      ],
    },
    {
      name: "the scheduler's refusal for an instance the database shows running: the refusal ended no build",
      logs: [ctl01('nova-scheduler', ANTELOPE_64.scheduler)],
      db: aliveInCell('active'),
    },
    {
      name: "the scheduler's refusal for an instance the database shows stopped (a cold migration's)",
      logs: [ctl01('nova-scheduler', ANTELOPE_64.scheduler)],
      db: aliveInCell('stopped'),
    },
    {
      // Real scheduler lines (test/corpus/real/pastebin-isrikqlh-diskfilter); the conductor's log read holds none of the
      // request (real lines of another conductor's start: os-log-merger controller1, ../shared/corpus/real).
      name: "the scheduler's INFO refusal with its request id, and a conductor log read that has no line of it: the build went on",
      logs: [
        { host: 'controller', service: 'nova-scheduler', lines: committedCorpus('pastebin-isrikqlh-diskfilter', 'nova-scheduler.log') },
        {
          host: 'controller',
          service: 'nova-conductor',
          lines: [
            '2015-11-12 12:45:40.789 18511 INFO nova.openstack.common.service [req-56814362-3328-460f-8b85-e90070cc490c - - - - -] Starting 3 workers',
            '2015-11-12 12:45:40.792 18511 INFO nova.openstack.common.service [req-56814362-3328-460f-8b85-e90070cc490c - - - - -] Started child 18518',
          ],
        },
      ],
    },
    {
      name: "a multi-create's alternates: the filters' re-run removed every host for the second instance, and the build went on",
      logs: [ctl01('nova-scheduler', MULTI)],
    },
    {
      name: 'an INFO "no allocation candidates" alone, naming no instance (2023.1)',
      logs: [
        ctl01('nova-scheduler', [
          line(
            '2024-10-02 09:30:12.450',
            28,
            'INFO',
            'nova.scheduler.manager',
            NEW_CTX,
            'Got no allocation candidates from the Placement API. This could be due to insufficient resources or a temporary occurrence as compute nodes start up.',
          ),
        ]),
      ],
    },
    {
      // Real lines: seed 001 (Train), nova-scheduler.log (without its grep -n prefix) and placement's lines, whole.
      name: 'seed 001: the real "no allocation candidates" and placement\'s search for 64 VCPU, naming no instance (Train)',
      logs: [
        {
          host: 'controller',
          service: 'nova-scheduler',
          lines: [
            '2021-07-30 14:46:16.665 175316 INFO nova.scheduler.manager [None req-cb66e713-19a8-45d2-b107-dd31569f4653 b5957a478f0d4c328ef10cee0210a948 0fe34a6944b4416195ff5176f681c34f - default default] Got no allocation candidates from the Placement API. This could be due to insufficient resources or a temporary occurrence as compute nodes start up.',
          ],
        },
        {
          host: 'controller',
          service: 'placement-api',
          lines: [
            '2021-07-30 16:31:41.237 4637 DEBUG placement.requestlog [req-54b926ab-64fb-404b-b274-6aa22acadce3 - - - - -] Starting request: 172.16.88.187 "GET /allocation_candidates?resources=VCPU%3A64" __call__ /usr/lib/python2.7/site-packages/placement/requestlog.py:61\\x1b[00m',
            '2021-07-30 16:31:41.293 4637 DEBUG placement.objects.research_context [req-54b926ab-64fb-404b-b274-6aa22acadce3 b5957a478f0d4c328ef10cee0210a948 0fe34a6944b4416195ff5176f681c34f - default default] getting providers with 64 VCPU __init__ /usr/lib/python2.7/site-packages/placement/objects/research_context.py:126\\x1b[00m',
            '2021-07-30 16:31:41.296 4637 DEBUG placement.objects.research_context [req-54b926ab-64fb-404b-b274-6aa22acadce3 b5957a478f0d4c328ef10cee0210a948 0fe34a6944b4416195ff5176f681c34f - default default] found no providers with 64 VCPU __init__ /usr/lib/python2.7/site-packages/placement/objects/research_context.py:130\\x1b[00m',
          ],
        },
      ],
    },
    {
      name: "a move the scheduler refused, by the conductor's compute_task_migrate_server",
      logs: [
        ctl01('nova-scheduler', ANTELOPE_64.scheduler),
        ctl01('nova-conductor', [
          line(
            '2024-10-02 09:30:12.552',
            31,
            'WARNING',
            'nova.scheduler.utils',
            NEW_CTX,
            `[instance: ${INST}] Failed to compute_task_migrate_server: No valid host was found. `,
          ),
        ]),
      ],
    },
    {
      name: "a move the scheduler refused, by the API's server action of the request",
      logs: [
        ctl01('nova-scheduler', ANTELOPE_64.scheduler),
        ctl01('nova-api', [
          line(
            '2024-10-02 09:30:12.300',
            25,
            'INFO',
            'nova.api.openstack.requestlog',
            NEW_CTX,
            `10.0.0.5 "POST /v2.1/servers/${INST}/action" status: 202 len: 0 microversion: 2.95 time: 0.210`,
          ),
        ]),
      ],
    },
    {
      name: 'a refusal for an instance in ERROR with a migrations row: an evacuation that failed, not a build',
      logs: [ctl01('nova-scheduler', ANTELOPE_64.scheduler)],
      db: () => erroredInCell().migration('f00d0000-0000-4000-8000-000000000002', INST, 'cmp01', 'cmp02', 'error'),
    },
    {
      // Real lines: corpus os-log-merger/debug-live-migration hp-ms-01-c29 nova-conductor.log lines 613-614 (Kilo).
      name: 'Kilo: a live migration the conductor failed, the instance set back to ACTIVE (real lines)',
      logs: [
        {
          host: 'hp-ms-01-c29',
          service: 'nova-conductor',
          lines: [
            '2015-10-20 11:51:28.083 28141 WARNING nova.scheduler.utils [req-a40a6ce0-ec37-4fae-9773-f915c79c2aab None] Failed to compute_task_migrate_server: Unable to migrate instance (456d8388-2014-4935-9af5-adeaca222a9b) to current host (hp-ms-01-c29.moonshot1.lab.eng.rdu.redhat.com).',
            '2015-10-20 11:51:28.086 28141 WARNING nova.scheduler.utils [req-a40a6ce0-ec37-4fae-9773-f915c79c2aab None] [instance: 456d8388-2014-4935-9af5-adeaca222a9b] Setting instance to ACTIVE state.',
          ],
        },
      ],
    },
    // ─── pasted CLI output and faults that are no failed build ───
    {
      // Real (test/corpus/real/github-beskar-cloud-knowledgebase-orphaned-ostack-allocation): a resource provider's table.
      name: "a pasted 'openstack resource provider show --allocations' table (healthy CLI output) → nothing",
      logs: [pastedCorpus('github-beskar-cloud-knowledgebase-orphaned-ostack-allocation', 'cli-resource-provider-allocations.txt')],
    },
    {
      // Real (same source): `openstack server show -f json | grep …` of a SHUTOFF server without fault.
      name: "grep'd 'openstack server show -f json' fields of a server without fault → nothing",
      logs: [pastedCorpus('github-beskar-cloud-knowledgebase-orphaned-ostack-allocation', 'cli-server-show-grep.txt')],
    },
    {
      // Generated in openstackclient's table form: an ACTIVE server, no fault row.
      name: "a pasted 'openstack server show' table of an ACTIVE server (no fault) → nothing",
      logs: [
        {
          host: 'paste',
          service: 'unknown',
          paste: true,
          lines: [
            '+-------------------------------------+----------------------------------------+',
            '| Field                               | Value                                  |',
            '+-------------------------------------+----------------------------------------+',
            '| OS-EXT-STS:task_state               | None                                   |',
            '| OS-EXT-STS:vm_state                 | active                                 |',
            `| id                                  | ${INST}   |`,
            '| status                              | ACTIVE                                 |',
            '+-------------------------------------+----------------------------------------+',
          ],
        },
      ],
    },
    {
      // Real lines (test/corpus/real/github-redhat-openstack-tripleo-quickstart-issue8), the failed ones left out.
      name: "Heat's stack events of servers created and deleted, none failed → nothing",
      logs: [
        {
          host: 'undercloud',
          service: 'unknown',
          paste: true,
          lines: committedCorpus('github-redhat-openstack-tripleo-quickstart-issue8', 'overcloud-deploy-heat-events.txt').filter((l) =>
            /state changed$/.test(l),
          ),
        },
      ],
    },
    {
      // Real (test/corpus/real/github-airshipit-treasuremap-issue8): `openstack server resize --wait` failed: a move's.
      name: "a pasted client error of a resize ('Error resizing server: <id>') is a move's, no failed build",
      logs: [pastedCorpus('github-airshipit-treasuremap-issue8', 'cli-server-resize.txt')],
    },
  ],
  invalid: [
    {
      // Real (test/corpus/real/openstack-nova-commit-a37b1661, Train): a test run's log as the commit message quotes it, in
      // nova's test fixture format (python's comma milliseconds, no pid, the logger in brackets).
      name: "'2019-03-29 05:31:45,075 ERROR [nova.compute.manager] Instance failed to spawn' with its traceback → spawn-failed",
      logs: [
        {
          host: 'functional',
          service: 'nova-compute',
          // The commit message's two-space indent taken off.
          lines: committedCorpus('openstack-nova-commit-a37b1661', 'nova-compute-functional-test.txt').map((l) => l.replace(/^ {2}/, '')),
        },
      ],
      expect: { cause: 'spawn-failed', timeline: [{ level: 'ERROR', message: /^Instance failed to spawn/ }] },
    },
    {
      // Real (test/corpus/real/openstack-nova-commit-0f9311fa, Train): the fault as the commit message quotes it, its wrap joined.
      name: "BuildAbortException whose reason is VolumeNotFound's text ('Volume 40 could not be found.') → volume-failed",
      logs: [
        {
          ...pastedCorpus('openstack-nova-commit-0f9311fa', 'nova-compute-message.txt'),
          lines: [committedCorpus('openstack-nova-commit-0f9311fa', 'nova-compute-message.txt').join(' ')],
        },
      ],
      expect: { cause: 'volume-failed' },
    },
    {
      // Real (test/corpus/real/github-canonical-hotsos-lp2012284-prep-block-device-osinfo-denied, 2023): the compute's line alone,
      // the exception's summary appended where no traceback was kept. _build_resources aborts the build right after it.
      name: "a compute's 'Failure prepping block device: <error>' alone → volume-failed, the build aborted there (not a reschedule's attempt)",
      logs: [
        {
          host: 'compute1',
          service: 'nova-compute',
          lines: committedCorpus('github-canonical-hotsos-lp2012284-prep-block-device-osinfo-denied', 'nova-compute.log'),
        },
      ],
      expect: {
        cause: 'volume-failed',
        instance: 'ae35c62d-3f91-4e76-8274-9a7893b9627d',
        summary: /could not be created, prepared or attached on compute1: GError/,
        noGaps: [/only failed attempts were read/],
        // nova's reason names the stage; libosinfo's error under it is no volume's: it comes first, then cinder's commands.
        firstCommand: /^openstack server show ae35c62d-3f91-4e76-8274-9a7893b9627d -c fault$/,
        commands: [/server show .* -c fault$/, /^openstack volume show/],
      },
    },
    {
      // The same head line over another error (a cinder volume in error), logged with its traceback (Pike+): the abort is nova's.
      name: "'Failure prepping block device' with its traceback (VolumeNotCreated) → volume-failed by the volume's class",
      logs: [
        {
          host: 'compute1',
          service: 'nova-compute',
          lines: [
            line(
              '2024-10-02 09:31:02.118',
              41,
              'ERROR',
              'nova.compute.manager',
              `${NEW_CTX} [instance: ${INST}]`,
              'Failure prepping block device',
            ),
            'Traceback (most recent call last):',
            '  File "/usr/lib/python3.9/site-packages/nova/compute/manager.py", line 2662, in _build_resources',
            '    block_device_info = self._prep_block_device(context, instance,',
            'nova.exception.VolumeNotCreated: Volume 4b3bd2b8-8d4b-4a4e-9d1c-3f0b2a9c1e11 did not finish being created even after we waited 0 seconds or 1 attempts. And its status is error.',
          ],
        },
      ],
      expect: { cause: 'volume-failed', instance: INST, noGaps: [/only failed attempts were read/] },
    },
    {
      // Real (test/corpus/real/openstack-nova-commit-20c4715a, Pike): the fault before the change, its wrap joined.
      name: "BuildAbortException whose reason is InvalidBDM's text ('Block Device Mapping is Invalid.') → volume-failed",
      logs: [pastedCorpus('openstack-nova-commit-20c4715a', 'fault-message-before.txt')],
      expect: { cause: 'volume-failed', instance: '9484f5a7-3198-47ff-b728-178515a26277' },
    },
    {
      // Real (test/corpus/real/github-99cloud-lab-openstack-class-01-multicast-mac, Ussuri devstack, 2020): the journal's
      // conductor line, its Markdown indent taken off.
      name: "the last host's RescheduledException whose reason is libvirt's own error ('XML error: expected unicast mac address') → spawn-failed there",
      logs: [
        {
          host: 'test-coa-5',
          service: 'nova-conductor',
          lines: committedCorpus('github-99cloud-lab-openstack-class-01-multicast-mac', 'journal-devstack-n-cond.txt')
            .filter((l) => l.includes('Error from last host'))
            .map((l) => l.trim()),
        },
      ],
      expect: {
        cause: 'spawn-failed',
        instance: 'a5a972b4-b779-4931-94c3-c43956f4d7ee',
        details: { host: 'test-coa-5', error: /XML error: expected unicast mac address/ },
      },
    },
    {
      // Real (test/corpus/real/e-com-net-1176858659192385536-claim-disk-limit, Mitaka–Pike, INFO only): the claim asked
      // 60 GB of disk with 18.00 GB free under the limit; its refusal and reschedule are DEBUG, not in the log.
      name: "an INFO log's claim asking more disk than was free under the limit → claim-failed, nova's own reason",
      logs: [claimLines()],
      expect: {
        cause: 'claim-failed',
        title: /: the claim: Free disk 18\.00 GB < requested 60 GB \(limit 199\.00 GB\)$/,
        gaps: [/only failed attempts were read/],
      },
    },
    {
      // Real (test/corpus/real/github-oomichi-try-kubernetes-issue27, Queens): the create typed, then `nova list`.
      name: "a pasted 'nova list' row in ERROR that never ran (power state NOSTATE) → its build failed, unknown, the fault to read",
      logs: [pastedCorpus('github-oomichi-try-kubernetes-issue27', 'cli-server-create-nova-list.txt')],
      expect: {
        cause: 'unknown',
        instance: '71ba2378-2337-410c-9c81-1060602c376d',
        gaps: [/only a server listing was read: the server is in ERROR and its hypervisor never ran it/],
        commands: [/^openstack server show 71ba2378-2337-410c-9c81-1060602c376d -c fault$/],
      },
    },
    // ─── a server's fault pasted alone ───
    {
      // Real (test/corpus/real/openstack-nova-api-guide-faults): the API's answer with the fault object, RST-indented.
      name: "the API's response body with a NoValidHost fault, pasted alone → unknown, saying only the fault was read",
      logs: [pastedCorpus('openstack-nova-api-guide-faults', 'server-show-fault.json.txt')],
      expect: {
        cause: 'unknown',
        instance: 'c76a7603-95be-4368-87e9-7b9b89fb1d7e',
        summary: /with NoValidHost/,
        gaps: [/only the server's fault was read \(pasted: api-response\)/, /no nova-scheduler log/],
      },
    },
    {
      // Real (test/corpus/real/openstack-nova-api-guide-faults), and a generated banner of the same NoValidHost naming no server.
      name: 'a fault naming no server beside the only server a pasted fault names, the same exception: taken to be its fault',
      logs: [
        pastedCorpus('openstack-nova-api-guide-faults', 'server-show-fault.json.txt'),
        {
          host: 'paste-banner',
          service: 'unknown',
          paste: true,
          lines: [
            'Error: Failed to perform requested operation on instance "vm", the instance has an error status: Please try again later [Error: No valid host was found.].',
          ],
        },
      ],
      expect: { cause: 'unknown', instance: 'c76a7603-95be-4368-87e9-7b9b89fb1d7e', gaps: [/taken to be c76a7603-\S+'s, the only server/] },
    },
    {
      // Real (test/corpus/real/github-jauntezhou-nfv-midbox-openstack-problems): two zh_Hans dashboard banners, whole.
      name: "two banners, one naming its server's uuid (VolumeNotCreated), one only its name (HostMappingNotFound): two builds, not one server's",
      logs: [
        pastedCorpus('github-jauntezhou-nfv-midbox-openstack-problems', 'horizon-host-not-mapped.txt'),
        pastedCorpus('github-jauntezhou-nfv-midbox-openstack-problems', 'horizon-volume-not-created.txt'),
      ],
      expect: { incidents: 2, cause: 'host-not-mapped', instance: undefined, title: /HOST-NAME is not mapped to a cell/ },
    },
    {
      // Real (test/corpus/real/github-cloudbytestorage-openstack-faq-high-flavor, Kilo devstack 2015): both files, whole.
      name: "a dashboard's NoValidHost pane (no server, request or time) beside the scheduler's log of one refused request: that request's failure on every host tried (RetryFilter removed the one it had failed on)",
      logs: [
        pastedCorpus('github-cloudbytestorage-openstack-faq-high-flavor', 'horizon-fault.txt'),
        {
          host: 'devstack',
          service: 'nova-scheduler',
          lines: committedCorpus('github-cloudbytestorage-openstack-faq-high-flavor', 'nova-scheduler.log'),
        },
      ],
      // RetryFilter removed the only host, which the build had already failed on: every host tried failed it.
      expect: {
        cause: 'max-retries-exceeded',
        requestIds: ['req-6e082969-fa5e-40da-81ea-1dbb4c7b6130'],
        summary: /RetryFilter removed the last hosts left: each had already been tried for this build \(devsosci-S1200RP-SE\)/,
        details: { filter: 'RetryFilter', previouslyTried: ['devsosci-S1200RP-SE'] },
        gaps: [
          /the errors of the hosts tried \(devsosci-S1200RP-SE\) are not in the logs read/,
          /tied to request req-6e082969-\S+, the only request the scheduler's log shows refused/,
        ],
      },
    },
    {
      // Real (test/corpus/real/github-cloudbytestorage-openstack-faq-no-valid-host, Kilo devstack 2015), whole.
      name: "a spawn traceback copied with the log's line numbers before each line ('937447 2015-03-20 …'): read behind them → spawn-failed",
      logs: [
        {
          host: 'devstack',
          service: 'nova-compute',
          lines: committedCorpus('github-cloudbytestorage-openstack-faq-no-valid-host', 'nova-compute-trace.txt'),
        },
      ],
      expect: { cause: 'spawn-failed', instance: 'cddc4641-3f2d-4282-a8ec-0a2f9eac72df', title: /libvirtError$/ },
    },
    {
      // Real (test/corpus/real/github-iesgn-openstack-debian-ansible-issue6): the fault line alone, whole (2014).
      name: "Havana–Juno: 'Unexpected vif_type=binding_failed' pasted alone → port-binding-failed, the instance unknown",
      logs: [pastedCorpus('github-iesgn-openstack-debian-ansible-issue6', 'fault-message.txt')],
      expect: { cause: 'port-binding-failed', instance: undefined },
    },
    {
      // Real (test/corpus/real/github-travis-ci-packer-templates-issue555): Packer's output, whole.
      name: "Packer's wait on the server it launched ends in ERROR ('Error waiting for server (…) to become ready: unexpected state 'ERROR'') → a failed build, cause unknown",
      logs: [pastedCorpus('github-travis-ci-packer-templates-issue555', 'packer-build-output.txt')],
      expect: { cause: 'unknown', instance: '8e55eacb-1bbe-427f-80fc-1a1a126f2980', title: /^Build of instance 8e55eacb failed$/ },
    },
    {
      // Real (test/corpus/real/pastebin-7wagfmgf): a scheduler record copied from its request context on.
      name: "the scheduler's refusal copied from its context on ('[req-… - - -] Filtering removed all hosts …', no time, pid, level or logger) → read with its request, ComputeFilter's",
      logs: [pastedCorpus('pastebin-7wagfmgf', 'nova-scheduler-fragment.txt')],
      expect: {
        cause: 'filters-rejected-all-hosts',
        instance: 'fb1ee3fe-3230-4d3a-a6d2-7b4a5bae1c09',
        requestIds: ['req-a822f4c7-1788-4ff3-b03f-91db6d722937'],
        details: { filter: 'ComputeFilter' },
      },
    },
    {
      // Real (test/corpus/real/github-jauntezhou-nfv-midbox-install-run-problems): three zh_CN banners in one note.
      name: "three dashboard banners in one paste, one naming no uuid (HostMappingNotFound), two their servers (MaxRetriesExceeded): three builds, the first not taken to be another's",
      logs: [pastedCorpus('github-jauntezhou-nfv-midbox-install-run-problems', 'horizon-banners.txt')],
      expect: { incidents: 3, cause: 'host-not-mapped', noGaps: [/which the same paste names/] },
    },
    {
      // Real (test/corpus/real/github-backendcloud-backendcloud-3-hexo-openstackopmemo2): one post, several failures.
      name: "a ticket's fault row naming no server ('unsupported configuration: … PCI devices') beside another build's conductor log (NoValidHost): two failures, not one",
      logs: [
        pastedCorpus('github-backendcloud-backendcloud-3-hexo-openstackopmemo2', 'server-show-fault-pci-passthrough.txt'),
        pastedCorpus('github-backendcloud-backendcloud-3-hexo-openstackopmemo2', 'nova-conductor-novalidhost.log'),
      ],
      expect: { incidents: 2, cause: 'unknown', noGaps: [/taken to be the one failed build the logs show/] },
    },
    {
      // Real (the same post): a qemu error's fault row naming no server beside another server's own fault row.
      name: "a fault row naming no server ('qemu unexpectedly closed the monitor') beside the only server another fault row names (a to_utf8 reschedule): not that server's",
      logs: [
        pastedCorpus('github-backendcloud-backendcloud-3-hexo-openstackopmemo2', 'server-show-fault-qemu-vnc.txt'),
        pastedCorpus('github-backendcloud-backendcloud-3-hexo-openstackopmemo2', 'server-show-fault-and-trace-to-utf8.txt'),
      ],
      expect: { incidents: 2, cause: 'spawn-failed', noGaps: [/taken to be 15d9db88/] },
    },
    {
      // Real (test/corpus/real/github-solinea-goldstone-server-event-timeline-sample): a log line inside a JSON document.
      name: "records quoted as JSON 'message' values, one per event: each its own build, the instance its '[instance: …]' tag, never the uuid of its request id (req-<uuid>)",
      logs: [pastedCorpus('github-solinea-goldstone-server-event-timeline-sample', 'syslog-events-json-sample.txt')],
      expect: { incidents: 2, cause: 'vif-plug-timeout', instance: '205f143e-108d-483a-8614-d5564d1483c2' },
    },
    {
      // Real (test/corpus/real/github-elrondwong-elrond-wang-placement-no-candidates): the conductor's log alone.
      name: 'Queens: the conductor\'s remote traceback quotes the scheduler\'s `raise exception.NoValidHost(reason="")` in select_destinations, no scheduler or placement line → no-allocation-candidates, said to be inferred',
      logs: [pastedCorpus('github-elrondwong-elrond-wang-placement-no-candidates', 'nova-conductor.log')],
      expect: {
        cause: 'no-allocation-candidates',
        gaps: [/placement's answer was not read .* NoValidHost with an empty reason in select_destinations/],
        evidence: [/Failed to schedule instances: NoValidHost_Remote/],
      },
    },
    {
      // Real (test/corpus/real/github-louielong-blog-volume-create-timeout): a blog's blockquote, its '>' taken off here.
      name: "'<reason>: BuildAbortException: <reason again>' whose exception copy a wrap mangled (the volume uuid split by blanks): the message's own copy names VolumeNotCreated → volume-failed",
      logs: [
        {
          host: 'compute',
          service: 'nova-compute',
          paste: true,
          lines: committedCorpus('github-louielong-blog-volume-create-timeout', 'nova-compute-blockquote.log').map((l) =>
            l.replace(/^>/, ''),
          ),
        },
      ],
      expect: { cause: 'volume-failed', instance: '655eccd6-cafb-4291-b55a-c53dd000a8e4' },
    },
    {
      // Real (test/corpus/real/github-backendcloud-backendcloud-3-hexo-openstackopmemo2): a `server show` fault row alone.
      name: "a pasted fault whose message is libvirt's own error ('unsupported configuration: host doesn't support passthrough of host PCI devices') → spawn-failed, its commands for the compute the fault does not name",
      logs: [pastedCorpus('github-backendcloud-backendcloud-3-hexo-openstackopmemo2', 'server-show-fault-pci-passthrough.txt')],
      expect: {
        cause: 'spawn-failed',
        summary:
          /The hypervisor failed to start the guest on its compute \(the log names no host\): unsupported configuration: host doesn't support passthrough/,
        commands: [/# on <compute>$/],
      },
    },
    {
      // Real (test/corpus/real/github-zasfe-labs-openstack-troubleshooting): the compute's grep and the server's table.
      name: "a compute's failed attempt naming no instance (PortBindingFailed) beside the one pasted server in ERROR whose fault ends any build (retries exhausted): that server's build → max-retries-exceeded, the tie said",
      logs: [ZASFE_ATTEMPT, pastedCorpus('github-zasfe-labs-openstack-troubleshooting', 'cli-server-show-provider.txt')],
      expect: {
        incidents: 1,
        cause: 'max-retries-exceeded',
        instance: '3b055932-43f0-4dbe-be72-b02dd3cde75c',
        requestIds: ['req-ad8cc578-f4d3-435b-b781-173adfb4521b'],
        gaps: [/the compute's failed attempt names no instance: taken to be 3b055932-43f0-4dbe-be72-b02dd3cde75c's/],
      },
    },
    {
      // Real (the same source): the attempt beside the other server, whose fault names another failure (auth_url).
      name: 'a nameless failed attempt (PortBindingFailed) beside a pasted server whose fault names another failure (BuildAbortException: auth_url): not tied, two builds',
      logs: [ZASFE_ATTEMPT, pastedCorpus('github-zasfe-labs-openstack-troubleshooting', 'cli-server-show-selfservice.txt')],
      expect: {
        incidents: 2,
        cause: 'unknown',
        instance: '14c8f79e-4436-4ad9-9e5f-07de34b47247',
        noGaps: [/names no instance: taken to be/],
      },
    },
    {
      // Real (the same source): compute1's aborted build of 77ef07bc beside the server table of 14c8f79e.
      name: "a pasted server's fault (BuildAbortException: auth_url) with no log of its own, beside another build's compute lines that tie the same error to neutron's client → network-setup-failed, from the other build, said so",
      logs: [ZASFE_ABORTED, pastedCorpus('github-zasfe-labs-openstack-troubleshooting', 'cli-server-show-selfservice.txt')],
      expect: {
        incidents: 2,
        of: '14c8f79e-4436-4ad9-9e5f-07de34b47247',
        cause: 'network-setup-failed',
        details: { host: 'unknown' },
        gaps: [
          /^this build's own lines name no cause: its error, 'Auth plugin requires parameters which were not given: auth_url', is the one instance 77ef07bc failed with/,
        ],
      },
    },
    {
      // The same, the table's error edited to another keystoneauth option: not the same failure.
      name: "the same pasted fault naming another missing option (project_name): not the other build's error, its cause not taken",
      logs: [
        ZASFE_ABORTED,
        {
          ...pastedCorpus('github-zasfe-labs-openstack-troubleshooting', 'cli-server-show-selfservice.txt'),
          lines: committedCorpus('github-zasfe-labs-openstack-troubleshooting', 'cli-server-show-selfservice.txt').map((l) =>
            l.replace('not given: auth_url', 'not given: project_name'),
          ),
        },
      ],
      expect: { incidents: 2, of: '14c8f79e-4436-4ad9-9e5f-07de34b47247', cause: 'unknown', noGaps: [/own lines name no cause/] },
    },
    {
      // The same compute lines, once more as compute2's for another instance without the cleanup line: another host.
      name: "another compute's build aborted with the same error, its own lines deciding nothing: not taken from compute1's (another host)",
      logs: [
        ZASFE_ABORTED,
        {
          ...ZASFE_ABORTED,
          host: 'compute2',
          lines: ZASFE_ABORTED.lines
            .filter((l) => !l.includes('Failed to update network info cache'))
            .map((l) =>
              l
                .replaceAll('77ef07bc-62e9-4d49-884e-98fbf2b5cf71', '2b4c6d8e-1f3a-4b5c-8d7e-9f0a1b2c3d4e')
                .replaceAll('req-8f7d61d1-be71-418a-be39-baa5dc7dcf5f', 'req-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d'),
            ),
        },
      ],
      // Its own attempt, no cause told: the compute-side unknown.
      expect: {
        incidents: 2,
        of: '2b4c6d8e-1f3a-4b5c-8d7e-9f0a1b2c3d4e',
        cause: 'unknown',
        details: { host: 'compute2' },
        noGaps: [/own lines name no cause/],
      },
    },
    {
      // Real, and the same table again under another server's id (edited): two servers the attempt could be, none chosen.
      name: 'a nameless failed attempt beside two pasted servers in ERROR whose faults end any build: not tied to either',
      logs: [
        ZASFE_ATTEMPT,
        pastedCorpus('github-zasfe-labs-openstack-troubleshooting', 'cli-server-show-provider.txt'),
        {
          ...pastedCorpus('github-zasfe-labs-openstack-troubleshooting', 'cli-server-show-provider.txt'),
          host: 'paste-other',
          lines: committedCorpus('github-zasfe-labs-openstack-troubleshooting', 'cli-server-show-provider.txt').map((l) =>
            l.replaceAll('3b055932-43f0-4dbe-be72-b02dd3cde75c', '5d1c9a3e-0b8f-4c5e-9f2a-7e6d4c3b2a19'),
          ),
        },
      ],
      expect: { incidents: 3, cause: 'max-retries-exceeded', noGaps: [/names no instance: taken to be/] },
    },
    {
      // Real (test/corpus/real/larsks-blog-oddbit-2015-01-17-nova-docker-binding-failed): the blog's two code blocks, their
      // Markdown indent taken off here (the paste reader does it).
      name: "a headerless 'nova list' row in ERROR still 'spawning' beside the compute's nameless 'Unexpected vif_type=binding_failed': that server's build → port-binding-failed of 9a783952",
      logs: [LARSKS_LIST, LARSKS_COMPUTE],
      expect: {
        cause: 'port-binding-failed',
        instance: '9a783952-a888-4fcd-8f5d-cd9291ed1969',
        gaps: [/names no instance: taken to be 9a783952-a888-4fcd-8f5d-cd9291ed1969's/],
      },
    },
    {
      // The same, the row's task state edited to a delete's: no build of that server failed, the compute's error stays nameless.
      name: "the same row left 'deleting' (no build task) beside the nameless compute error: not tied",
      logs: [{ ...LARSKS_LIST, lines: LARSKS_LIST.lines.map((l) => l.replace('spawning', 'deleting')) }, LARSKS_COMPUTE],
      expect: { incidents: 1, cause: 'port-binding-failed', noGaps: [/names no instance: taken to be/] },
    },
    {
      // Real (test/corpus/real/github-gophercloud-gophercloud-pr3102): devstack's journal, the conductor's one line.
      name: "python 3: the conductor's 'Setting instance to ERROR state.: nova.exception_Remote.NoValidHost_Remote: No valid host was found.' (empty reason, module-qualified remote name) → no-allocation-candidates, said to be inferred",
      logs: [pastedCorpus('github-gophercloud-gophercloud-pr3102', 'nova-conductor.journal.txt')],
      expect: {
        cause: 'no-allocation-candidates',
        instance: '14bfa6cb-85a6-4d5c-b98d-0f5f08365ca2',
        gaps: [/empty reason, under python 3's names for a remote exception \(so Rocky or later\)/],
      },
    },
    {
      // The same line as python 2 prints it (the class alone): Juno's filters raised the same empty reason.
      name: "python 2's 'NoValidHost_Remote: No valid host was found.' (the class alone, no release told) → unknown, not no-allocation-candidates",
      logs: [
        {
          host: 'fv-az651-701',
          service: 'nova-conductor',
          lines: committedCorpus('github-gophercloud-gophercloud-pr3102', 'nova-conductor.journal.txt').map((l) =>
            l.replace('nova.exception_Remote.NoValidHost_Remote', 'NoValidHost_Remote'),
          ),
        },
      ],
      expect: { cause: 'unknown', instance: '14bfa6cb-85a6-4d5c-b98d-0f5f08365ca2' },
    },
    {
      // The reason the scheduler gives when too few hosts are left after placement (filters, weighers, claims; in Ocata
      // also placement's empty answer): which one, the line does not say.
      name: "python 3's remote NoValidHost whose reason is 'There are not enough hosts available.' → unknown, not no-allocation-candidates",
      logs: [
        {
          host: 'fv-az651-701',
          service: 'nova-conductor',
          lines: committedCorpus('github-gophercloud-gophercloud-pr3102', 'nova-conductor.journal.txt').map(
            (l) => `${l} There are not enough hosts available.`,
          ),
        },
      ],
      expect: { incidents: 1, cause: 'unknown' },
    },
    {
      // Real (test/corpus/real/pastebin-47t17bci-horizon-fault-icehouse): Horizon's fault block.
      name: 'Icehouse: a server\'s fault whose details quote the filter scheduler\'s `raise exception.NoValidHost(reason="")` in schedule_run_instance → filters-rejected-all-hosts, which filter unknown',
      logs: [pastedCorpus('pastebin-47t17bci-horizon-fault-icehouse', 'horizon-fault.txt')],
      expect: { cause: 'filters-rejected-all-hosts', gaps: [/which filter removed the last host is not known/] },
    },
    {
      // Real (test/corpus/real/github-rcarratalasanchez-deploystack-novalidhost-juno): nova show's fault cell commented
      // out in a README, as the paste reader gives it (its `# ` off; the corpus test reads the file whole).
      name: "Juno: a server's fault alone, NoValidHost with an empty reason created before Pike → the filter scheduler's: filters-rejected-all-hosts, which filter unknown",
      logs: [
        {
          host: 'unknown',
          service: 'unknown',
          paste: true,
          lines: committedCorpus('github-rcarratalasanchez-deploystack-novalidhost-juno', 'fault-comment.txt').map((l) =>
            l.replace(/^# /, ''),
          ),
        },
      ],
      expect: {
        cause: 'filters-rejected-all-hosts',
        gaps: [/only the server's fault was read, NoValidHost with an empty reason created 2015-03-14/],
      },
    },
    {
      // The same fault created under Pike: its empty reason is the scheduler manager's on placement's empty answer.
      name: "the same fault created after Pike's release → not the filter scheduler's: unknown (placement's empty answer, or placement unreachable)",
      logs: [
        {
          host: 'unknown',
          service: 'unknown',
          paste: true,
          lines: [`{"message": "No valid host was found. ", "code": 500, "created": "2018-01-11T10:13:19Z"}`],
        },
      ],
      expect: { incidents: 1, cause: 'unknown' },
    },
    {
      // Kilo–Ocata's filter scheduler gave its reason: read by the reason, not by the date.
      name: "a fault created before Pike with the filter scheduler's reason 'There are not enough hosts available.' → no filter line read: unknown",
      logs: [
        {
          host: 'unknown',
          service: 'unknown',
          paste: true,
          lines: [
            `{"message": "No valid host was found. There are not enough hosts available.", "code": 500, "created": "2016-05-02T08:11:40Z"}`,
          ],
        },
      ],
      expect: { incidents: 1, cause: 'unknown' },
    },
    {
      // Real (test/corpus/real/pastebin-47t17bci-horizon-fault-icehouse), read from a file that names no host.
      name: "a fault naming no server, request or host: the build is named by its file and line, never by the placeholder host 'unknown'",
      logs: [
        {
          host: 'unknown',
          service: 'unknown',
          paste: true,
          lines: committedCorpus('pastebin-47t17bci-horizon-fault-icehouse', 'horizon-fault.txt'),
        },
      ],
      expect: { cause: 'filters-rejected-all-hosts', title: /^Build of an instance logged at line 2 of [^ ]+ failed: / },
    },
    {
      // Real (test/corpus/real/pastebin-awumc0mu-kolla-heat-engine-novalidhost): heat-engine's log from mid-traceback.
      name: "heat-engine's own ERROR: its server resource raised ResourceInError 'Went to status ERROR due to \"Message: No valid host was found. , Code: 500\"' → a failed build known from heat's report, unknown",
      logs: [pastedCorpus('pastebin-awumc0mu-kolla-heat-engine-novalidhost', 'heat-engine-tail.txt')],
      expect: { cause: 'unknown', gaps: [/only the server's fault was read \(pasted: client-log\)/] },
    },
    {
      // Real (test/corpus/real/github-projectcalico-felix-issue540): one grep hit, whole.
      name: "Juno/Kilo: the compute's 'Build of instance … aborted: Failed to allocate the network(s)' without the class after it → network-setup-failed",
      logs: [pastedCorpus('github-projectcalico-felix-issue540', 'nova-compute.log')],
      expect: { cause: 'network-setup-failed', instance: '8e21dcfd-1421-4693-8408-74e77ee28eb2', title: /BuildAbortException$/ },
    },
    {
      // Real (test/corpus/real/github-rackerlabs-understack-pr635): the fault dict as the PR quotes it, whole.
      name: "Ironic: a build aborted with the driver's 'Failed to provision instance' (the node's deploy failed) → spawn-failed, ironic's record to read",
      logs: [pastedCorpus('github-rackerlabs-understack-pr635', 'server-fault.txt')],
      expect: {
        cause: 'spawn-failed',
        instance: '953691fd-1dde-4b01-9010-e0d45d1a9dfa',
        title: /InstanceDeployFailure$/,
        firstCommand: /^openstack baremetal node show <node> -c provision_state -c last_error/,
      },
    },
    {
      // Real (test/corpus/real/github-stackinabox-stackinabox.io-issue6): Horizon's banner, the image id empty.
      name: "a dashboard's banner: BuildAbortException of an image nova could not use → image-failed, from the fault's class",
      logs: [pastedCorpus('github-stackinabox-stackinabox.io-issue6', 'horizon-error.txt')],
      expect: { cause: 'image-failed', instance: '979ab17a-3411-4ef4-bded-c1f5bd9bda1c', gaps: [/only the server's fault was read/] },
    },
    {
      // Real (test/corpus/real/pastebin-tf1f8vav-devstack-grep-error-flavor-disk-libvirt): Juno's FlavorDiskTooSmall text,
      // which Liberty reworded: named from the exception catalog's pre-Liberty English.
      name: "Juno: 'Build of instance … aborted: Flavor's disk is too small for requested image.' after 'Instance failed to spawn' → image-failed, not spawn-failed",
      logs: [pastedCorpus('pastebin-tf1f8vav-devstack-grep-error-flavor-disk-libvirt', 'nova-compute-grep-error.txt')],
      expect: {
        incidents: 2,
        of: 'f183b3ba-b0c4-478c-bf9d-d54de4db1417',
        cause: 'image-failed',
        instance: 'f183b3ba-b0c4-478c-bf9d-d54de4db1417',
        title: /FlavorDiskTooSmall$/,
      },
    },
    {
      // Real (test/corpus/real/github-meetbill-openstack-install-issue8): Horizon in Chinese, neutron unreachable.
      name: "a dashboard's banner in Chinese: the build aborted talking to neutron's API → network-setup-failed",
      logs: [pastedCorpus('github-meetbill-openstack-install-issue8', 'horizon-error.txt')],
      expect: { cause: 'network-setup-failed', instance: '9c3fe7d0-b3ed-4f53-a74e-d379765514c4' },
    },
    {
      // Real (test/corpus/real/openstack-nova-commit-9046f0ff, Wallaby): a reschedule's message continued over three lines,
      // neutron's refusal of the port's dns_name after the colon.
      name: "a reschedule whose reason, on the lines after it, is neutron refusing the port's dns_name → network-setup-failed",
      logs: [pastedCorpus('openstack-nova-commit-9046f0ff', 'fault-message.txt')],
      expect: { cause: 'network-setup-failed' },
    },
    {
      // Real (test/corpus/real/github-reachsrirams-openstack-scripts-issue28): Horizon's banner naming the unmapped host.
      name: "a dashboard's banner: HostMappingNotFound → host-not-mapped, the host from the fault",
      logs: [pastedCorpus('github-reachsrirams-openstack-scripts-issue28', 'horizon-error.txt')],
      expect: { cause: 'host-not-mapped', details: { host: 'ubuntu' } },
    },
    {
      // Real: the pretty-printed fault (test/corpus/real/rubasov-github-io-2018-09-21-qos-min-bw-demo) and its scheduler's
      // journal line, here in oslo's file form (the journal's Hungarian month read elsewhere).
      name: "a pretty-printed fault naming no server, tied by its created time to the scheduler's no-candidates refusal → no-allocation-candidates",
      logs: [
        pastedCorpus('rubasov-github-io-2018-09-21-qos-min-bw-demo', 'server-show-fault-pprint.txt'),
        {
          host: 'devstack0',
          service: 'nova-scheduler',
          lines: [
            '2018-09-19 16:02:53.412 20493 DEBUG nova.scheduler.manager [None req-32866d5b-f474-480a-9db0-37f413c8af2c admin admin] Got no allocation candidates from the Placement API. This could be due to insufficient resources or a temporary occurrence as compute nodes start up. {{(pid=20493) select_destinations /opt/stack/nova/nova/scheduler/manager.py:150}}',
          ],
        },
      ],
      expect: {
        cause: 'no-allocation-candidates',
        requestIds: ['req-32866d5b-f474-480a-9db0-37f413c8af2c'],
        gaps: [/tied to request req-32866d5b-f474-480a-9db0-37f413c8af2c by time/],
      },
    },
    {
      name: "the conductor logged the build's NoValidHost and the same server's fault is pasted too → one incident, the fault among its evidence",
      logs: [
        pikeConductor(),
        {
          host: 'paste',
          service: 'unknown',
          paste: true,
          lines: [
            `{"message": "No valid host was found. ", "code": 500, "created": "2018-01-11T10:13:19Z"}`,
            `Error creating server: ${INST}`,
          ],
        },
      ],
      // The conductor's remote traceback quotes the scheduler's raise on placement's empty answer.
      expect: { incidents: 1, cause: 'no-allocation-candidates', instance: INST, noGaps: [/only the server's fault was read/] },
    },
    // ─── host-not-mapped ───
    {
      name: "2023.1: the conductor's host-to-cell mapping error, linked to its instance by the request",
      logs: [
        ctl01('nova-conductor', [
          line(
            '2024-10-02 11:20:30.330',
            31,
            'ERROR',
            'nova.conductor.manager',
            UNMAPPED_CTX,
            'No host-to-cell mapping found for selected host cmp03. Setup is incomplete.',
          ),
        ]),
        ctl01('nova-scheduler', [
          line(
            '2024-10-02 11:20:30.130',
            28,
            'DEBUG',
            'nova.scheduler.manager',
            UNMAPPED_CTX,
            `Starting to schedule for instances: ['${INST}'] select_destinations /usr/lib/python3.9/site-packages/nova/scheduler/manager.py:142`,
          ),
        ]),
      ],
      db: () => cell0(unmappedCmp03(), 2, 4096).allocate(INST, 3, 2, 4096),
      expect: {
        cause: 'host-not-mapped',
        instance: INST,
        details: { host: 'cmp03' },
        commands: [/^nova-manage cell_v2 discover_hosts/],
      },
    },
    {
      name: 'a translated fault (zh_CN) and no conductor error: the claim left on the unmapped host gives the cause',
      logs: [
        ctl01('nova-conductor', [
          line(
            '2024-10-02 11:20:30.330',
            31,
            'WARNING',
            'nova.scheduler.utils',
            '[req-f0414cef-02db-460c-ab03-47d911285ad5 - - - - -]',
            `[instance: ${INST}] Setting instance to ERROR state.: HostMappingNotFound: 主机 cmp03 未映射到任何单元`,
          ),
        ]),
      ],
      db: () =>
        cell0(
          // The fault's text is translated, so it says nothing a pattern could read.
          unmappedCmp03().row('nova_cell0', 'instance_faults', {
            id: 1,
            instance_uuid: INST,
            code: 404,
            message: '主机 cmp03 未映射到任何单元',
            details: '',
            host: null,
            created_at: '2024-10-02 11:20:30',
            deleted: 0,
          }),
          2,
          4096,
        ).allocate(INST, 3, 2, 4096),
      expect: {
        cause: 'host-not-mapped',
        details: { host: 'cmp03' },
        // The unmapped-host finding's own command.
        commands: ['nova-manage cell_v2 discover_hosts --cell_uuid cccccccc-0000-0000-0000-000000000001 --verbose'],
      },
    },
    {
      // From nova's source format (docs A1, conductor): no public line of this error is known; Pike context and python 2.7.
      name: "Pike: the conductor's host-to-cell mapping error and the instance's ERROR state, without a dump",
      logs: [
        {
          host: 'controller',
          service: 'nova-conductor',
          lines: [
            line(
              '2018-03-14 09:12:40.118',
              2210,
              'ERROR',
              'nova.conductor.manager',
              PIKE_CTX,
              'No host-to-cell mapping found for selected host compute4. Setup is incomplete.',
            ),
            line(
              '2018-03-14 09:12:40.215',
              2210,
              'WARNING',
              'nova.scheduler.utils',
              PIKE_CTX,
              `[instance: ${INST}] Setting instance to ERROR state.: HostMappingNotFound: Host 'compute4' is not mapped to any cell`,
            ),
          ],
        },
      ],
      expect: {
        cause: 'host-not-mapped',
        instance: INST,
        requestIds: [REQ],
        title: /compute4 is not mapped to a cell$/,
        details: { host: 'compute4' },
        gaps: [/no database dump: host_mappings could not be checked/],
        commands: [/^nova-manage cell_v2 discover_hosts/, `openstack server delete ${INST}`],
      },
    },
    {
      name: 'Rocky (crowbar#1913): the conductor found no mapping for the host it was given, and the scheduler discovered the host 38 s later (real lines)',
      logs: [
        {
          host: 'ctl',
          service: 'nova-conductor',
          lines: [
            "2018-11-28 15:26:52.096 29009 ERROR nova.conductor.manager No host-to-cell mapping found for selected host d52-54-77-77-01-02. Setup is incomplete.: HostMappingNotFound: Host 'd52-54-77-77-01-02' is not mapped to any cell",
          ],
        },
        {
          host: 'ctl',
          service: 'nova-scheduler',
          lines: ['2018-11-28 15:27:30.816 28987 INFO nova.scheduler.manager Discovered 1 new hosts: cell1:d52-54-77-77-01-02'],
        },
      ],
      expect: {
        cause: 'host-not-mapped',
        title: /d52-54-77-77-01-02 was not yet mapped to a cell$/,
        summary: has('mapped later at 2018-11-28T15:27:30.816'),
        details: { host: 'd52-54-77-77-01-02', mappedLater: '2018-11-28T15:27:30.816' },
        evidence: [/Discovered 1 new hosts: cell1:d52-54-77-77-01-02/],
        timeline: [{ service: 'nova-scheduler', message: /^Discovered 1 new hosts/ }],
        noCommands: [/discover_hosts/],
        noGaps: [/no database dump/],
      },
    },
    {
      name: 'a dump taken later: the instance buried in cell0 with its claim on cmp03, whose host_mappings row was created 11 minutes after it failed → host-not-mapped, mapped later',
      logs: [],
      db: () => laterMapped('2024-10-02 11:31:04'),
      expect: {
        cause: 'host-not-mapped',
        instance: INST,
        title: /cmp03 was not yet mapped to a cell$/,
        summary: has('mapped later at 2024-10-02 11:31:04'),
        details: { host: 'cmp03', mappedLater: '2024-10-02 11:31:04' },
        evidence: [/host_mappings: cmp03 cell_id=2 created_at=2024-10-02 11:31:04/],
        gaps: [/nova's time \(UTC\)/],
        noCommands: [/discover_hosts/],
        commands: [`openstack server delete ${INST}`],
      },
    },
    {
      name: 'the same claim on cmp03, mapped the day before the instance failed: no mapping problem (the mapping was there)',
      logs: [],
      db: () => laterMapped('2024-10-01 08:00:00'),
      expect: { cause: 'unknown', instance: INST },
    },
    // ─── max-retries-exceeded ───
    {
      // Real (test/corpus/real/github-cloudfoundry-attic-cf-release-issue914): the fault quoted from a client's escaped JSON.
      name: "Juno: a server's fault alone, NoValidHost 'Exceeded max scheduling attempts 3 for instance …' (the retries' end before Liberty) → max-retries-exceeded, its hosts unknown",
      logs: [pastedCorpus('github-cloudfoundry-attic-cf-release-issue914', 'bosh-cpi-log-fault-fragment.txt')],
      expect: {
        incidents: 1,
        cause: 'max-retries-exceeded',
        instance: '03d3c2dc-c0ab-4a30-be44-2380e088c1a5',
        gaps: [/the attempted hosts' errors are not in the logs read/],
      },
    },
    {
      name: 'Queens: every attempt failed (port binding), MaxRetriesExceeded with each host and its error',
      logs: [
        {
          host: 'controller',
          service: 'nova-conductor',
          lines: (() => {
            const ctx =
              '[req-5e1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b 3c2b1a0f9e8d4c7b6a5f4e3d2c1b0a9f 7a6b5c4d3e2f41a0b9c8d7e6f5a4b3c2 - default default]';
            const msg = (host: string) =>
              `Error from last host: ${host} (node ${host}): [u'Traceback (most recent call last):\\n', u'  File "/usr/lib/python2.7/site-packages/nova/compute/manager.py", line 1840, in _do_build_and_run_instance\\n    filter_properties, request_spec)\\n', u"RescheduledException: Build of instance ${INST} was re-scheduled: Binding failed for port 7c1e, please check neutron logs for more information.\\n"]`;
            return [
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
            ];
          })(),
        },
      ],
      expect: {
        cause: 'max-retries-exceeded',
        // The reschedule's reason is PortBindingFailed's message (any language): each attempt is named by it, with its cause.
        details: {
          attemptedHosts: [
            { host: 'compute1', cause: 'port-binding-failed', error: 'PortBindingFailed' },
            { host: 'compute2', cause: 'port-binding-failed', error: 'PortBindingFailed' },
          ],
        },
        commands: [/^openstack network agent list --host compute2/],
      },
    },
    {
      // From nova's source format (docs A1, scheduler utils populate_retry): no public line is known; Ocata context and python 2.7.
      name: 'Ocata: "Exceeded max scheduling attempts" names the instance; the error from the last host is its attempt',
      logs: [
        {
          host: 'controller',
          service: 'nova-conductor',
          lines: [
            line(
              '2017-06-02 17:41:03.552',
              3105,
              'ERROR',
              'nova.scheduler.utils',
              '[req-7f3c2a10-5b4d-4e6f-8a9b-0c1d2e3f4a5b 3c2b1a0f9e8d4c7b6a5f4e3d2c1b0a9f 7a6b5c4d3e2f41a0b9c8d7e6f5a4b3c2 - - -]',
              `[instance: ${INST}] Error from last host: compute2 (node compute2): [u'Traceback (most recent call last):\\n', u"RescheduledException: Build of instance ${INST} was re-scheduled: internal error: qemu unexpectedly closed the monitor\\n"]`,
            ),
            line(
              '2017-06-02 17:41:03.560',
              3105,
              'ERROR',
              'nova.scheduler.utils',
              '[req-7f3c2a10-5b4d-4e6f-8a9b-0c1d2e3f4a5b 3c2b1a0f9e8d4c7b6a5f4e3d2c1b0a9f 7a6b5c4d3e2f41a0b9c8d7e6f5a4b3c2 - - -]',
              `Exceeded max scheduling attempts 3 for instance ${INST}. Last exception: internal error: qemu unexpectedly closed the monitor`,
            ),
          ],
        },
      ],
      expect: {
        cause: 'max-retries-exceeded',
        instance: INST,
        title: /failed on every host tried$/,
        // The reschedule's reason is libvirt's own error: the attempt is named by it, the guest's start failing there.
        details: {
          attemptedHosts: [{ host: 'compute2', cause: 'spawn-failed', error: 'internal error: qemu unexpectedly closed the monitor' }],
        },
        evidence: [/^attempt on compute2: internal error: qemu unexpectedly closed the monitor/, /Exceeded max scheduling attempts 3/],
        commands: [`openstack server show ${INST} -c fault`],
      },
    },
    {
      // Real lines: test/corpus/real/github-okd-project-okd-issue79 nova-conductor.log (Train, RDO; wrapped by the terminal at
      // 272 columns, inside the host name), read from the file. The attempt on the wrapped host is not read today (attemptedHosts
      // is empty and the gap says no "Error from last host" line was read): what the row asserts is what holds.
      name: 'Train (okd#79): the real "Error from last host" and "Exceeded maximum number of retries", terminal-wrapped',
      logs: [
        {
          host: 'openstack.lab.ewerk.com',
          service: 'nova-conductor',
          lines: committedCorpus('github-okd-project-okd-issue79', 'nova-conductor.log'),
        },
      ],
      expect: {
        cause: 'max-retries-exceeded',
        instance: '67dd33cb-d68b-4f46-aa3b-f408f66cd936',
        requestIds: ['req-3979b98f-3cff-4bbe-bb80-165010a1cd25'],
        title: /^Build of instance 67dd33cb failed on every host tried$/,
        commands: ['openstack server show 67dd33cb-d68b-4f46-aa3b-f408f66cd936 -c fault'],
      },
    },
    // ─── placement-unreachable ───
    {
      name: 'the scheduler could not connect to placement (ConnectFailure, 2023.1)',
      logs: [
        {
          host: 'ctl',
          service: 'nova-scheduler',
          lines: [
            line(
              '2024-03-01 10:00:00.100',
              28,
              'ERROR',
              'nova.scheduler.client.report',
              NEW_CTX,
              'Failed to retrieve allocation candidates from placement API for filters: keystoneauth1.exceptions.connection.ConnectFailure: Unable to establish connection to http://10.0.0.10:8778/allocation_candidates',
            ),
          ],
        },
        {
          host: 'ctl',
          service: 'nova-conductor',
          lines: antelopeBuild(2).conductor.map((l) => l.replace(/2024-10-02 09:30:12/g, '2024-03-01 10:00:00')),
        },
      ],
      expect: { cause: 'placement-unreachable', details: { exception: 'ConnectFailure' } },
    },
    {
      // From placement's source format (docs A5, requestlog), laid out as the real 503 of corpus hotsos/sunbeam placement-api (global and local request ids).
      name: 'placement answered the candidates query 503 (Sunbeam-style requestlog, 2023.1)',
      logs: [
        {
          host: 'ctl',
          service: 'placement-api',
          lines: [
            line(
              '2024-10-02 09:30:12.404',
              11453,
              'INFO',
              'placement.requestlog',
              `[${REQ} req-4d2d1333-5d3f-4a4b-b104-a078ca740c76 - - - - - -]`,
              '10.1.0.42 "GET /allocation_candidates?limit=1000&resources=DISK_GB%3A40%2CMEMORY_MB%3A4096%2CVCPU%3A2" status: 503 len: 218 microversion: 1.36',
            ),
          ],
        },
        { host: 'ctl', service: 'nova-conductor', lines: antelopeBuild(2).conductor },
      ],
      expect: {
        cause: 'placement-unreachable',
        instance: INST,
        title: /placement unreachable$/,
        summary: /placement answered 503/,
        details: { status: 503 },
        commands: ['openstack endpoint list --service placement'],
      },
    },
    {
      // Real line: test/corpus/real/github-jasmineottawa-2018-07-06-queens-placement-500 (Queens): its message and Apache's 500 page
      // under it, the prefix the author elided given back, beside a conductor's end of the build: placement failed, it did not refuse.
      name: "Queens: the scheduler's ERROR that placement answered the candidates query 500 (real line) → placement-unreachable, not no-allocation-candidates",
      logs: [
        {
          host: 'ctl',
          service: 'nova-scheduler',
          lines: committedCorpus('github-jasmineottawa-2018-07-06-queens-placement-500', 'nova-scheduler.log').map((l, i) =>
            i === 0
              ? line('2024-10-02 09:30:12.420', 28, 'ERROR', 'nova.scheduler.client.report', NEW_CTX, l.replace(/^.*\.\.\.\.\.\. /, ''))
              : l,
          ),
        },
        { host: 'ctl', service: 'nova-conductor', lines: antelopeBuild(2).conductor },
      ],
      expect: { cause: 'placement-unreachable', instance: INST, summary: /placement answered 500/, details: { status: 500 } },
    },
    {
      // Rocky+'s format (nova/scheduler/client/report.py): the resources first, the status after a newline.
      name: "2023.1: the scheduler's ERROR 'Got 503' on the line after the resources → placement-unreachable",
      logs: candidatesRefused(
        'resources={DISK_GB:40, MEMORY_MB:131072, VCPU:2}',
        'Got 503: {"errors": [{"status": 503, "title": "Service Unavailable", "detail": "The server is currently unavailable. Please try again at a later time.  "}]}.',
      ),
      expect: { cause: 'placement-unreachable', instance: INST, summary: /placement answered 503/, details: { status: 503 } },
    },
    {
      // A 4xx is a query placement refused (a malformed or unknown resource class), not placement down: what it said is why.
      name: "2023.1: the scheduler's ERROR 'Got 400' on the candidates query is placement's refusal of the query, its detail the why (not placement-unreachable)",
      logs: candidatesRefused(
        'resources={CUSTOM_BAREMETAL_GOLD:1}',
        'Got 400: {"errors": [{"status": 400, "title": "Bad Request", "detail": "The server could not comply with the request since it is either malformed or otherwise incorrect.\\n\\n Invalid resource class in resources parameter: No such resource class CUSTOM_BAREMETAL_GOLD.  "}]}.',
      ),
      expect: {
        cause: 'no-allocation-candidates',
        instance: INST,
        details: { refusedStatus: 400 },
        summary:
          /^Placement refused the scheduler's query for candidates \(400: .*No such resource class CUSTOM_BAREMETAL_GOLD\.\), so it looked for none/,
        title: /failed: placement refused the candidates query \(400\)$/,
        noGaps: [/no placement database dump/],
        firstCommand: /^openstack flavor show/,
      },
    },
    // ─── resource-class-not-offered ───
    {
      name: 'a class no provider reports (VGPU): resource-class-not-offered, not a max_unit of 0',
      logs: [
        ctl01('nova-scheduler', antelopeBuild(4).scheduler),
        ctl01(
          'placement-api',
          antelopeBuild(4).placement.map((l) => l.replace('VCPU%3A4', 'VCPU%3A4%2CVGPU%3A1')),
        ),
        ctl01('nova-conductor', antelopeBuild(4).conductor),
      ],
      db: () => cell0(new Db().compute(1, 'cmp01', RP1, { vcpus: 48 }), 4, 131072),
      expect: { cause: 'resource-class-not-offered', details: { notOffered: ['VGPU'] }, title: /no provider offers VGPU/ },
    },
    // ─── max-unit-exceeded ───
    {
      name: '2023.1: 64 VCPU against max_unit 48, with the placement query and search line as evidence',
      logs: [
        ctl01('nova-scheduler', ANTELOPE_64.scheduler),
        ctl01('placement-api', ANTELOPE_64.placement),
        ctl01('nova-conductor', ANTELOPE_64.conductor),
      ],
      db: () => cell0(twoBigComputes(), 64, 131072),
      expect: {
        cause: 'max-unit-exceeded',
        details: { resourceClass: 'VCPU', requestedAmount: 64, maxUnit: 48, allocationRatio: 4 },
        summary: /allocation_ratio 4 raises capacity, not max_unit/,
        evidence: [/found no providers with 64 VCPU/, /VCPU:64/],
        timelineServices: ['nova-scheduler', 'placement-api', 'nova-conductor'],
      },
    },
    {
      name: "dedicated CPUs with no PCPU inventory anywhere are checked as VCPU (nova's fallback query), from the request spec",
      logs: [ctl01('nova-conductor', antelopeBuild(8).conductor)],
      db: () =>
        cell0(new Db().compute(1, 'cmp01', RP1, { vcpus: 8, ratio: 1, maxUnit: 8 }), 16, 4096).row('nova_api', 'request_specs', {
          id: 1,
          instance_uuid: INST,
          spec: pinnedSpec(16),
        }),
      expect: {
        cause: 'max-unit-exceeded',
        details: { resourceClass: 'VCPU', requestedAmount: 16, maxUnit: 8 },
        gaps: [/PCPU/],
      },
    },
    {
      name: "the scheduler's refusal without the conductor's log, confirmed a build by the instance buried in cell0",
      logs: [ctl01('nova-scheduler', ANTELOPE_64.scheduler), ctl01('placement-api', ANTELOPE_64.placement)],
      db: () => cell0(twoBigComputes(), 64, 131072),
      expect: {
        cause: 'max-unit-exceeded',
        title: /^Build of instance c2963f0d failed: 64 VCPU exceeds every provider's max_unit \(48\)$/,
        noGaps: [/inferred/],
      },
    },
    // ─── insufficient-capacity ───
    {
      name: 'seed 000 (Pike, zh_CN): the escaped NoValidHost, memory exhausted by orphans: insufficient capacity, tipped by them',
      logs: [pikeConductor()],
      db: () => {
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
        return cell0(db, 1, 1024);
      },
      expect: {
        cause: 'insufficient-capacity',
        instance: INST,
        requestIds: [REQ],
        details: { tippedByOrphans: ['compute1'] },
        summary: /Orphaned and doubled allocations tip it/,
        evidence: [has('Setting instance to ERROR state'), { raw: has('\\u627e') }],
        // the timeline shows the decoded zh_CN text
        failing: /找不到有效主机/,
      },
    },
    {
      // Real (test/corpus/real/pastebin-izjjvwjs, Kilo RDO 2015): the two records of a grep of the conductor's log, its prefix off.
      name: "Kilo: the compute's error relayed for a reschedule, then 'Setting instance to ERROR state.' naming nothing: the build ended, why not retried is the gap",
      logs: [
        {
          host: 'controller',
          service: 'nova-conductor',
          lines: committedCorpus('pastebin-izjjvwjs', 'nova-conductor-grep.txt')
            .filter((l) => l.startsWith('nova-conductor.log:'))
            .map((l) => l.slice('nova-conductor.log:'.length)),
        },
      ],
      expect: {
        cause: 'unknown',
        instance: 'a58f7ab5-4973-4d40-9dc1-b80624c22e3d',
        gaps: [/set the instance to ERROR without naming what ended the build/, not(/only failed attempts were read/)],
      },
    },
    // ─── filters-rejected-all-hosts ───
    {
      name: 'Queens: ComputeFilter returned 0 hosts and the filters removed every host, naming the filter and why',
      logs: [
        {
          host: 'controller',
          service: 'nova-scheduler',
          lines: [
            line(
              '2021-09-17 10:02:11.210',
              1711,
              'DEBUG',
              'nova.scheduler.filters.compute_filter',
              QUEENS_CTX,
              '(compute1, compute1) ram: 3519MB disk: 41984MB io_ops: 0 instances: 2 has not been heard from in a while host_passes /usr/lib/python2.7/site-packages/nova/scheduler/filters/compute_filter.py:44',
            ),
            line('2021-09-17 10:02:11.211', 1711, 'INFO', 'nova.filters', QUEENS_CTX, 'Filter ComputeFilter returned 0 hosts'),
            line(
              '2021-09-17 10:02:11.212',
              1711,
              'INFO',
              'nova.filters',
              QUEENS_CTX,
              `Filtering removed all hosts for the request with instance ID '${INST}'. Filter results: ['RetryFilter: (start: 1, end: 1)', 'AvailabilityZoneFilter: (start: 1, end: 1)', 'ComputeFilter: (start: 1, end: 0)']`,
            ),
          ],
        },
        {
          host: 'controller',
          service: 'nova-conductor',
          lines: [QUEENS_ERROR_STATE],
        },
      ],
      db: () => cell0(new Db().compute(1, 'compute1', RP1), 1, 512),
      expect: { cause: 'filters-rejected-all-hosts', details: { filter: 'ComputeFilter' }, summary: /has not been heard from in a while/ },
    },
    {
      name: "Queens: a build rescheduled from its only host (PortBindingFailed there), RetryFilter removing that host on the retry → every host tried failed, not a filter's refusal",
      logs: [
        {
          host: 'controller',
          service: 'nova-scheduler',
          lines: [
            line(
              '2021-09-17 10:02:11.210',
              1711,
              'INFO',
              'nova.scheduler.filters.retry_filter',
              QUEENS_CTX,
              "Host [u'compute1', u'compute1'] fails.  Previously tried hosts: [[u'compute1', u'compute1']]",
            ),
            line('2021-09-17 10:02:11.211', 1711, 'INFO', 'nova.filters', QUEENS_CTX, 'Filter RetryFilter returned 0 hosts'),
            line(
              '2021-09-17 10:02:11.212',
              1711,
              'INFO',
              'nova.filters',
              QUEENS_CTX,
              `Filtering removed all hosts for the request with instance ID '${INST}'. Filter results: ['RetryFilter: (start: 1, end: 0)']`,
            ),
          ],
        },
        {
          host: 'controller',
          service: 'nova-conductor',
          lines: [
            line(
              '2021-09-17 10:02:09.100',
              1802,
              'ERROR',
              'nova.scheduler.utils',
              QUEENS_CTX,
              `[instance: ${INST}] Error from last host: compute1 (node compute1): [u'Traceback (most recent call last):\\n', u'  File "/usr/lib/python2.7/site-packages/nova/compute/manager.py", line 1840, in _do_build_and_run_instance\\n    filter_properties, request_spec)\\n', u"RescheduledException: Build of instance ${INST} was re-scheduled: Binding failed for port 7c1e, please check neutron logs for more information.\\n"]`,
            ),
            QUEENS_ERROR_STATE,
          ],
        },
      ],
      db: () => cell0(new Db().compute(1, 'compute1', RP1), 1, 512),
      expect: {
        cause: 'max-retries-exceeded',
        instance: INST,
        details: {
          filter: 'RetryFilter',
          previouslyTried: ['compute1'],
          attemptedHosts: [{ host: 'compute1', cause: 'port-binding-failed', error: 'PortBindingFailed' }],
        },
        summary: /RetryFilter removed the last hosts left.*The attempts: compute1 \(PortBindingFailed\)/,
        commands: [/server show .* -c fault/, /^openstack network agent list --host compute1/],
      },
    },
    {
      // Real lines: test/corpus/real/pastebin-isrikqlh-diskfilter (2017, before Queens: no alternates).
      name: "the scheduler's INFO refusal alone, with its request id, no conductor log read (real lines): DiskFilter's, the build's end inferred and said so",
      logs: [
        { host: 'controller', service: 'nova-scheduler', lines: committedCorpus('pastebin-isrikqlh-diskfilter', 'nova-scheduler.log') },
      ],
      expect: {
        cause: 'filters-rejected-all-hosts',
        instance: '9b37f2fa-ec79-4dd4-96e1-c32775f428d1',
        details: { filter: 'DiskFilter' },
        gaps: [/only the scheduler's refusal was read/, /how many instances the request asked for is not read/],
      },
    },
    {
      name: 'a multi-create of two the scheduler ended itself ("There are 1 hosts available but 2 instances requested")',
      logs: [
        ctl01('nova-scheduler', [
          ...MULTI,
          line(
            '2024-10-02 09:30:12.490',
            28,
            'DEBUG',
            'nova.scheduler.filter_scheduler',
            NEW_CTX,
            'There are 1 hosts available but 2 instances requested to build. _ensure_sufficient_hosts /usr/lib/python3.9/site-packages/nova/scheduler/filter_scheduler.py:276',
          ),
        ]),
      ],
      expect: { cause: 'filters-rejected-all-hosts', instance: U2, details: { filter: 'ServerGroupAntiAffinityFilter' } },
    },
    {
      name: "a multi-create of three refused by placement: one incident for the request, naming every instance (two set to ERROR, the third in the scheduler's list)",
      logs: [
        ctl01('nova-scheduler', [
          line(
            '2024-10-02 09:30:12.370',
            28,
            'DEBUG',
            'nova.scheduler.manager',
            NEW_CTX,
            `Starting to schedule for instances: ['${INST}', '${U2}', '0e6a2f4c-9b1d-4c8e-a7f3-5d2b1c0e9f84'] select_destinations /usr/lib/python3.9/site-packages/nova/scheduler/manager.py:142`,
          ),
          ANTELOPE_64.scheduler[1],
        ]),
        ctl01('nova-conductor', [
          ...ANTELOPE_64.conductor,
          line(
            '2024-10-02 09:30:12.601',
            31,
            'WARNING',
            'nova.scheduler.utils',
            NEW_CTX,
            `[instance: ${U2}] Setting instance to ERROR state.: nova.exception_Remote.NoValidHost_Remote: No valid host was found. `,
          ),
        ]),
      ],
      expect: {
        cause: 'no-allocation-candidates',
        instance: INST,
        requestIds: [REQ],
        title: /^Build of instance c2963f0d and 2 more of its request \(a multi-create\) failed/,
        details: { instances: [INST, U2, '0e6a2f4c-9b1d-4c8e-a7f3-5d2b1c0e9f84'] },
      },
    },
    {
      // Real lines: corpus bug-report-excerpts/todaygood__openstack-solution__issue23.nova-scheduler-grep.log (kolla, 2018), without the grep -n prefixes.
      name: 'kolla 2018: the filters started with 0 hosts and removed all for the instance (real lines, no conductor log)',
      logs: [
        {
          host: 'controller',
          service: 'nova-scheduler',
          lines: [
            '2018-08-09 09:19:08.040 7 DEBUG nova.filters [req-0af99b3d-73da-495c-8426-2f918439c4de c8b1a4b90b9b4975ab5727d405f22cce f09a20ae5267476f9f62e7e9e83b3c55 - - -] Starting with 0 host(s) get_filtered_objects /usr/lib/python2.7/site-packages/nova/filters.py:70',
            "2018-08-09 09:19:08.041 7 DEBUG nova.filters [req-0af99b3d-73da-495c-8426-2f918439c4de c8b1a4b90b9b4975ab5727d405f22cce f09a20ae5267476f9f62e7e9e83b3c55 - - -] Filtering removed all hosts for the request with instance ID '323dcae3-e3f0-4c19-a4ab-5413d9dfd304'. Filter results: [('AvailabilityZoneFilter', None)] get_filtered_objects /usr/lib/python2.7/site-packages/nova/filters.py:129",
          ],
        },
      ],
      expect: {
        cause: 'filters-rejected-all-hosts',
        instance: '323dcae3-e3f0-4c19-a4ab-5413d9dfd304',
        requestIds: ['req-0af99b3d-73da-495c-8426-2f918439c4de'],
        title: /^Scheduling of instance 323dcae3 failed: no host reached the scheduler's filters$/,
        details: { filter: 'AvailabilityZoneFilter', startedWithHosts: 0 },
        gaps: [/no nova-conductor line of the request/],
        commands: ['nova-manage cell_v2 list_cells'],
      },
    },
    // ─── no-allocation-candidates ───
    {
      name: '2023.1 without a dump: placement had no candidate, with what it found none of; the dump is missing to say why',
      logs: [
        ctl01('placement-api', ANTELOPE_64.placement),
        ctl01('nova-conductor', ANTELOPE_64.conductor),
        ctl01('nova-scheduler', ANTELOPE_64.scheduler),
      ],
      expect: {
        cause: 'no-allocation-candidates',
        title: /^Build of instance c2963f0d failed: placement had no candidate \(none with 64 VCPU\)$/,
        gaps: [/no placement database dump/],
        details: { placementFoundNone: ['64 VCPU'], requested: { VCPU: 64 } },
        firstCommand: /^openstack allocation candidate list --resource DISK_GB=40 --resource MEMORY_MB=131072 --resource VCPU=64$/,
      },
    },
    {
      name: 'the scheduler\'s refusal without the conductor\'s log or a dump: "Scheduling of", the gap said',
      logs: [ctl01('nova-scheduler', ANTELOPE_64.scheduler), ctl01('placement-api', ANTELOPE_64.placement)],
      expect: {
        cause: 'no-allocation-candidates',
        instance: INST,
        title: /^Scheduling of instance c2963f0d failed: placement had no candidate/,
        gaps: [/no nova-conductor line of the request/],
        details: { placementFoundNone: ['64 VCPU'] },
      },
    },
    {
      name: 'a refusal for an instance in ERROR in its cell, with no migrations row: the refusal stands',
      logs: [ctl01('nova-scheduler', ANTELOPE_64.scheduler)],
      db: erroredInCell,
      expect: { cause: 'no-allocation-candidates', instance: INST, noGaps: [/no placement database dump/] },
    },
    {
      name: 'placement had no candidate though the dump, taken later, shows room: what changed between is not known',
      logs: [
        ctl01('nova-scheduler', ANTELOPE_64.scheduler),
        ctl01('placement-api', ANTELOPE_64.placement),
        ctl01('nova-conductor', ANTELOPE_64.conductor),
      ],
      db: () => cell0(new Db().compute(1, 'cmp01', RP1, { vcpus: 96, maxUnit: 96, memory: 262144 }), 64, 131072),
      expect: {
        cause: 'no-allocation-candidates',
        gaps: [/taken after the failure/],
        details: { providers: [{ name: 'cmp01', fits: true }] },
      },
    },
    {
      name: "the dump's only provider with room was created after the failure: placement saw the other, whose max_unit the request exceeds",
      ...twoProviders('2024-10-02 10:15:00'),
      expect: {
        cause: 'max-unit-exceeded',
        details: { createdAfterFailure: [{ name: 'cmp02', createdAt: '2024-10-02 10:15:00' }] },
        gaps: [/cmp02 \(created 2024-10-02 10:15:00\) did not exist at the failure \(2024-10-02T09:30:12/],
      },
    },
    {
      name: 'the same two providers, both there before the failure: cmp02 had room, so placement answered from something the dump does not show',
      ...twoProviders('2024-09-01 10:15:00'),
      expect: {
        cause: 'no-allocation-candidates',
        noGaps: [/did not exist at the failure/],
        gaps: [/taken after the failure/],
      },
    },
    {
      name: 'placement had no candidate: both computes have room, but one lacks the required trait and the other has the forbidden one (traits from the dump)',
      logs: taggedBuild('required=HW_CPU_X86_AVX512F%2C%21CUSTOM_MAINTENANCE'),
      db: () => taggedComputes({ cmp01: ['HW_CPU_X86_AVX2'], cmp02: ['HW_CPU_X86_AVX512F', 'CUSTOM_MAINTENANCE'] }),
      expect: {
        cause: 'no-allocation-candidates',
        summary: /Every provider with room is ruled out .*cmp01 lacks HW_CPU_X86_AVX512F; cmp02 has the forbidden CUSTOM_MAINTENANCE/,
        details: {
          asked: { required: ['HW_CPU_X86_AVX512F'], forbidden: ['CUSTOM_MAINTENANCE'] },
          ruledOutByTraitsOrAggregates: [
            { name: 'cmp01', missingTraits: ['HW_CPU_X86_AVX512F'] },
            { name: 'cmp02', forbiddenTraits: ['CUSTOM_MAINTENANCE'] },
          ],
        },
        noGaps: [/taken after the failure/],
      },
    },
    {
      name: 'placement had no candidate: the request asked an aggregate (member_of) neither compute with room is in',
      logs: taggedBuild(`member_of=in%3A${AGG}`),
      db: () => taggedComputes({ cmp01: [], cmp02: [] }),
      expect: {
        cause: 'no-allocation-candidates',
        details: {
          ruledOutByTraitsOrAggregates: [
            { name: 'cmp01', aggregatesUnmet: [AGG] },
            { name: 'cmp02', aggregatesUnmet: [AGG] },
          ],
        },
      },
    },
    {
      name: 'the same trait request, cmp02 having the trait and not the forbidden one: the dump shows an eligible provider with room, so why is not known',
      logs: taggedBuild('required=HW_CPU_X86_AVX512F%2C%21CUSTOM_MAINTENANCE'),
      db: () => taggedComputes({ cmp01: ['HW_CPU_X86_AVX2'], cmp02: ['HW_CPU_X86_AVX512F'], cmp02Agg: true }),
      expect: {
        cause: 'no-allocation-candidates',
        summary: /the inputs do not show/,
        details: { ruledOutByTraitsOrAggregates: undefined },
        gaps: [/taken after the failure/],
      },
    },
    {
      name: 'the trait request with a dump that has no resource_provider_traits: which provider has them is not known, said',
      logs: taggedBuild('required=HW_CPU_X86_AVX512F'),
      db: () => taggedComputes({ cmp01: [], cmp02: [], tables: false }),
      expect: {
        cause: 'no-allocation-candidates',
        gaps: [/the request asked traits HW_CPU_X86_AVX512F; the dump has no resource_provider_traits/],
      },
    },
    // ─── unknown ───
    {
      name: "seed 000 (Pike) with room on a provider now: not called a capacity problem; placement had no candidate then (the scheduler's raise in the conductor's traceback), the room said to be the dump's later state",
      logs: [pikeConductor()],
      db: () => cell0(new Db().compute(1, 'compute1', RP1, { memory: 65536 }), 1, 1024),
      expect: {
        cause: 'no-allocation-candidates',
        gaps: [/placement's answer was not read .* select_destinations/, /the dump shows a provider with room now/],
      },
    },
    {
      name: 'Liberty, German: "Failed to compute_task_build_instances: " with the text alone is a NoValidHost build failure',
      logs: [
        ctl01('nova-conductor', [
          line(
            '2016-10-12 00:57:55.276',
            1604,
            'WARNING',
            'nova.scheduler.utils',
            '[req-e21fdda8-7c6c-47d7-9137-0eaed3fc7c7c 5976e07fd29649a383023e80b50e1e9e 3090c353f4104643a1e4fbe8c96e23ba - - -]',
            'Failed to compute_task_build_instances: Es wurde kein gültiger Host gefunden. ',
          ),
        ]),
      ],
      expect: {
        cause: 'unknown',
        rule: 'The evidence read does not show why',
        summary: /^The build failed with NoValidHost/,
        title: /^Build of request req-e21fdda8-7c6c-47d7-9137-0eaed3fc7c7c failed$/,
      },
    },
    {
      // Real line: corpus bug-report-excerpts/rcbops__rpc-openstack__pr1440.nova-conductor.log (Liberty), whole.
      name: 'Liberty: the real "Failed to compute_task_build_instances: No valid host was found." line, alone',
      logs: [
        {
          host: 'controller',
          service: 'nova-conductor',
          lines: [
            '2016-10-12 00:57:55.276 1604 WARNING nova.scheduler.utils [req-e21fdda8-7c6c-47d7-9137-0eaed3fc7c7c 5976e07fd29649a383023e80b50e1e9e 3090c353f4104643a1e4fbe8c96e23ba - - -] Failed to compute_task_build_instances: No valid host was found. There are not enough hosts available.',
          ],
        },
      ],
      expect: {
        cause: 'unknown',
        rule: 'The evidence read does not show why',
        requestIds: ['req-e21fdda8-7c6c-47d7-9137-0eaed3fc7c7c'],
        summary: /^The build failed with NoValidHost/,
        gaps: [/no nova-scheduler log/, /no database dump/, /no line read names the instance/],
      },
    },
    {
      // From nova's source format (docs A1, compute): BuildAbortException on the compute; no public line is known.
      name: "2023.1: a compute aborted the build (BuildAbortException): its reason is VolumeNotCreated's message → volume-failed",
      logs: [
        {
          host: 'cmp01',
          service: 'nova-compute',
          lines: [
            line(
              '2024-10-02 10:15:42.913',
              7,
              'ERROR',
              'nova.compute.manager',
              NEW_CTX,
              `[instance: ${INST}] Build of instance ${INST} aborted: Volume 6a2d1f3c-8b4e-4d5f-9a6b-7c8d9e0f1a2b did not finish being created even after we waited 187 seconds or 61 attempts. And its status is error.: nova.exception.BuildAbortException: Build of instance ${INST} aborted: Volume 6a2d1f3c-8b4e-4d5f-9a6b-7c8d9e0f1a2b did not finish being created even after we waited 187 seconds or 61 attempts. And its status is error.`,
            ),
          ],
        },
      ],
      expect: {
        cause: 'volume-failed',
        instance: INST,
        title: /^Build of instance c2963f0d failed on cmp01: VolumeNotCreated$/,
        details: { host: 'cmp01', error: 'VolumeNotCreated' },
        // The abort is final (no reschedule): not only an attempt.
        noGaps: [/only failed attempts were read/],
        commands: [/^openstack volume show/],
      },
    },
    // ─── compute-side causes: the build got a host and failed there ───
    {
      // Real lines: test/corpus/real/github-bilelmsekni-openstack-grizzly-install-guide-issue45 (Grizzly): a TRACE tail alone.
      name: 'Grizzly: the TRACE tail of QuantumClientException for an instance → network-setup-failed (real lines)',
      logs: [
        {
          host: 'compute',
          service: 'nova-compute',
          lines: committedCorpus('github-bilelmsekni-openstack-grizzly-install-guide-issue45', 'nova-compute.log'),
        },
      ],
      expect: {
        cause: 'network-setup-failed',
        instance: 'c307ae2b-c09d-4c05-9525-906ed35d81c5',
        details: { host: 'compute', error: 'QuantumClientException' },
        gaps: [/whether it was rescheduled to another host and succeeded there is not known/],
      },
    },
    {
      // Real lines: test/corpus/real/github-stackinabox-stackinabox.io-issue6 (Newton, nova-lxd): the claim aborted, and the
      // only line of the failure is the error notification's fault, logged at DEBUG by nova.compute.utils.
      name: 'Newton: the only failure line is the error notification\'s DEBUG fault "Image  is unacceptable" (empty image id) → image-failed (real lines)',
      logs: [
        {
          host: 'compute1',
          service: 'nova-compute',
          lines: [
            ...committedCorpus('github-stackinabox-stackinabox.io-issue6', 'n-cpu-spawn.log'),
            // The paste lost the newline between the lock's record and the fault's (paste mode splits it; a log does not).
            ...committedCorpus('github-stackinabox-stackinabox.io-issue6', 'n-cpu-image-unacceptable.log').flatMap((l) =>
              l.split(/(?<=\.py:\d+?)(?=\d{4}-\d\d-\d\d )/),
            ),
          ],
        },
      ],
      expect: {
        cause: 'image-failed',
        instance: '15734ad5-a957-41e7-aab7-6278e3338d40',
        details: { host: 'compute1', error: 'ImageUnacceptable' },
        gaps: [/whether it was rescheduled to another host and succeeded there is not known/],
      },
    },
    {
      // From Havana's formats (nova/scheduler/filter_scheduler.py, driver.py handle_schedule_error); real lines of the
      // same shape: ../shared/corpus/real/OpenStackForensics (corpus-detectors.test.ts).
      name: "Havana: the scheduler's WARNING that set the instance to ERROR, no exception logged before it → the filter scheduler's NoValidHost, the filter not known",
      logs: [HAVANA_LONE_SCHEDULER],
      expect: {
        cause: 'filters-rejected-all-hosts',
        instance: INST,
        summary: /^The filter scheduler found no host for the instance: its filters left none/,
        gaps: [
          /which filter removed the last host is not known: the filters of these releases \(Folsom–Icehouse\) log their counts at DEBUG/,
        ],
      },
    },
    {
      name: "Havana: one instance no host was found for, the compute's audit and an earlier claim read: what RamFilter's limit left is told, the flavor not being known",
      logs: [
        HAVANA_LONE_SCHEDULER,
        { host: 'cmp1', service: 'nova-compute', lines: [...havanaClaim(U2, 4202.5), ...havanaAudit('2014-04-22 11:24:30.262', -7609)] },
      ],
      expect: {
        cause: 'filters-rejected-all-hosts',
        instance: INST,
        details: { headroom: [{ host: 'cmp1', limit: 23146.5, left: 106.5, auditedAt: '2014-04-22T11:24:30.262' }] },
        summary: /the computes read had cmp1 106\.50 MB of memory left under the 23146\.50 MB RamFilter allows/,
        gaps: [/the instance's flavor is not in these lines/],
      },
    },
    {
      name: 'Havana: the same, the audit read only after the failure: nothing told of what was left then',
      logs: [
        HAVANA_LONE_SCHEDULER,
        { host: 'cmp1', service: 'nova-compute', lines: [...havanaClaim(U2, 4202.5), ...havanaAudit('2014-04-22 11:25:31.210', -7609)] },
      ],
      expect: {
        cause: 'filters-rejected-all-hosts',
        instance: INST,
        summary: /its filters left none, and raised NoValidHost with an empty reason \(Folsom–Icehouse\)\.$/,
      },
    },
    {
      name: "Havana: a multi-create of two, the first placed; the compute's claim of it left 106.50 MB under the memory limit, less than the 4096 MB asked → RamFilter, inferred",
      logs: havanaMultiCreate(4202.5),
      expect: {
        cause: 'filters-rejected-all-hosts',
        instance: U2,
        title: /failed: RamFilter removed every host$/,
        details: {
          filter: 'RamFilter',
          placedBefore: { instances: 1, hosts: ['cmp1'] },
          leftUnderLimit: [{ host: 'cmp1', filter: 'RamFilter', unit: 'MB', limit: 23146.5, left: 106.5, asked: 4096 }],
        },
        gaps: [/^RamFilter is inferred, not read/],
        firstCommand: 'openstack hypervisor show cmp1 -c memory_mb -c memory_mb_used -c free_ram_mb',
      },
    },
    {
      name: 'Havana: the same multi-create whose claim left room for another instance → the filter is not told (the claims say nothing of why)',
      logs: havanaMultiCreate(16490.5),
      expect: {
        cause: 'filters-rejected-all-hosts',
        instance: U2,
        details: { placedBefore: { instances: 1, hosts: ['cmp1'] } },
        summary: /found none for the last one: its filters left none/,
        gaps: [/which filter removed the last host is not known/],
        noGaps: [/inferred/],
      },
    },
    {
      name: "Havana: the same WARNING after handle_schedule_error's own exception (an error that is not NoValidHost) → not the filters",
      logs: [
        {
          ...HAVANA_LONE_SCHEDULER,
          lines: [
            HAVANA_LONE_SCHEDULER.lines[0],
            line('2014-04-22 11:24:47.001', 973, 'ERROR', 'nova.scheduler.driver', HAVANA_CTX, 'Exception during scheduler.run_instance'),
            '2014-04-22 11:24:47.001 973 TRACE nova.scheduler.driver Traceback (most recent call last):',
            '2014-04-22 11:24:47.001 973 TRACE nova.scheduler.driver   File "/usr/lib/python2.7/dist-packages/nova/scheduler/filter_scheduler.py", line 113, in schedule_run_instance',
            '2014-04-22 11:24:47.001 973 TRACE nova.scheduler.driver     legacy_bdm_in_spec=legacy_bdm_in_spec)',
            '2014-04-22 11:24:47.001 973 TRACE nova.scheduler.driver Timeout: Timeout while waiting on RPC response - topic: "compute.littlebigguy", RPC method: "run_instance" info: "<unknown>"',
            HAVANA_LONE_SCHEDULER.lines[1],
          ],
        },
      ],
      // No placement then: its log is not what is missing.
      expect: { cause: 'unknown', instance: INST, gaps: [/compute nodes' resources/], noGaps: [/handle_schedule_error/, /placement/] },
    },
    {
      // Real lines: test/corpus/real/github-openstackcookbook-openstackcookbook-issue12 (Havana): libvirt could not start the domain.
      name: 'Havana: "Instance failed to spawn" with a libvirt error → spawn-failed (real lines)',
      logs: [
        {
          host: 'compute1',
          service: 'nova-compute',
          lines: committedCorpus('github-openstackcookbook-openstackcookbook-issue12', 'nova-compute.log'),
        },
      ],
      expect: {
        cause: 'spawn-failed',
        instance: 'c40758bc-e049-4634-bd5c-5c0a14438cce',
        title: /^Build of instance c40758bc failed on compute1: /,
        commands: [/qemu\/<instance name>\.log/],
      },
    },
    {
      // From nova's formats (PortBindingFailed msg_fmt; compute manager's reschedule line): no public compute line is known.
      name: "2023.1: the compute's spawn failed on PortBindingFailed and no other host was tried → port-binding-failed",
      logs: [
        {
          host: 'cmp02',
          service: 'nova-compute',
          lines: [
            line(
              '2024-10-02 10:20:01.100',
              7,
              'ERROR',
              'nova.compute.manager',
              NEW_CTX,
              `[instance: ${INST}] Instance failed to spawn: nova.exception.PortBindingFailed: Binding failed for port 7c1e3f0a-1b2c-4d3e-8f40-5a6b7c8d9e0f, please check neutron logs for more information.`,
            ),
          ],
        },
      ],
      expect: {
        cause: 'port-binding-failed',
        details: { host: 'cmp02', error: 'PortBindingFailed' },
        commands: [/^openstack network agent list --host cmp02/],
      },
    },
    {
      // cnf-testbed#101 (Ocata) unwrapped: the abort's chain holds VirtualInterfaceCreateException.
      name: 'Ocata: the build aborted after the VIF plugging timed out (VirtualInterfaceCreateException in the chain) → vif-plug-timeout',
      logs: [
        {
          host: 'cmp03',
          service: 'nova-compute',
          lines: [
            line(
              '2019-01-21 17:10:08.415',
              32921,
              'ERROR',
              'nova.compute.manager',
              PIKE_CTX,
              `[instance: ${INST}] Build of instance ${INST} aborted: Failed to allocate the network(s), not rescheduling.: BuildAbortException: Build of instance ${INST} aborted: Failed to allocate the network(s), not rescheduling.`,
            ),
            `2019-01-21 17:10:08.415 32921 ERROR nova.compute.manager [instance: ${INST}] Traceback (most recent call last):`,
            `2019-01-21 17:10:08.415 32921 ERROR nova.compute.manager [instance: ${INST}] VirtualInterfaceCreateException: Virtual Interface creation failed`,
            `2019-01-21 17:10:08.415 32921 ERROR nova.compute.manager [instance: ${INST}] BuildAbortException: Build of instance ${INST} aborted: Failed to allocate the network(s), not rescheduling.`,
          ],
        },
      ],
      expect: { cause: 'vif-plug-timeout', details: { host: 'cmp03', error: 'VirtualInterfaceCreateException' } },
    },
    {
      // From nova's formats (ImageNotFound msg_fmt inside a RescheduledException, as the compute logs it at ERROR).
      name: "Queens: the spawn failed on ImageNotFound, the conductor's database row left in ERROR → image-failed, confirmed",
      logs: [
        {
          host: 'cmp01',
          service: 'nova-compute',
          lines: [
            line(
              '2018-05-02 11:00:01.100',
              4211,
              'ERROR',
              'nova.compute.manager',
              PIKE_CTX,
              `[instance: ${INST}] Instance failed to spawn: ImageNotFound: Image 9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a could not be found.`,
            ),
          ],
        },
      ],
      db: () => new Db().compute(1, 'cmp01', RP1).instance(INST, null, { vm_state: 'error' }),
      expect: { cause: 'image-failed', details: { error: 'ImageNotFound' }, noGaps: [/only failed attempts were read/] },
    },
    {
      // From nova's formats (ComputeResourcesUnavailable msg_fmt, Xena+ "Failed to claim").
      name: '2023.1: the claim failed on the host (ComputeResourcesUnavailable) → claim-failed',
      logs: [
        {
          host: 'cmp01',
          service: 'nova-compute',
          lines: [
            line(
              '2024-10-02 10:30:01.100',
              7,
              'ERROR',
              'nova.compute.manager',
              NEW_CTX,
              `[instance: ${INST}] Failed to build and run instance: nova.exception.ComputeResourcesUnavailable: Insufficient compute resources: Free memory 1024.00 MB < requested 4096 MB.`,
            ),
          ],
        },
      ],
      expect: { cause: 'claim-failed', details: { error: 'ComputeResourcesUnavailable' } },
    },
    {
      name: '2023.1: the build failed on the compute with an error no cause names → unknown, by the compute-side rule',
      logs: [
        {
          host: 'cmp01',
          service: 'nova-compute',
          lines: [
            line(
              '2024-10-02 10:40:01.100',
              7,
              'ERROR',
              'nova.compute.manager',
              NEW_CTX,
              // A reason no cause names (Cyborg's accelerators, Ussuri+); "Failure prepping block device." is volume-failed's.
              `[instance: ${INST}] Build of instance ${INST} aborted: Failure getting accelerator requests.: nova.exception.BuildAbortException: Build of instance ${INST} aborted: Failure getting accelerator requests.`,
            ),
          ],
        },
      ],
      expect: {
        cause: 'unknown',
        rule: 'A compute failed the build; its error names no known cause',
        details: { host: 'cmp01', error: 'BuildAbortException' },
      },
    },
    {
      // Real lines: test/corpus/real/github-opensdn-io-community-issue103 (kolla, 2024.2), whole.
      name: 'a traceback quoted without its head: os-vif has no vrouter plugin (KeyError in _plug_os_vif) → network-setup-failed by its frames',
      logs: [
        {
          host: 'cmp01',
          service: 'nova-compute',
          lines: [
            '2025-12-06 17:32:20.460 8 ERROR nova.compute.manager [instance: d629430d-31b1-43dd-a0d8-621b797b3e0d]   File "/var/lib/kolla/venv/lib64/python3.9/site-packages/stevedore/extension.py", line 340, in __getitem__',
            '2025-12-06 17:32:20.460 8 ERROR nova.compute.manager [instance: d629430d-31b1-43dd-a0d8-621b797b3e0d]     return self._extensions_by_name[name]',
            "2025-12-06 17:32:20.460 8 ERROR nova.compute.manager [instance: d629430d-31b1-43dd-a0d8-621b797b3e0d] KeyError: 'vrouter'",
            '2025-12-06 17:32:20.460 8 ERROR nova.compute.manager [instance: d629430d-31b1-43dd-a0d8-621b797b3e0d]',
            '2025-12-06 17:32:20.460 8 ERROR nova.compute.manager [instance: d629430d-31b1-43dd-a0d8-621b797b3e0d] During handling of the above exception, another exception occurred:',
            '2025-12-06 17:32:20.460 8 ERROR nova.compute.manager [instance: d629430d-31b1-43dd-a0d8-621b797b3e0d]',
            '2025-12-06 17:32:20.460 8 ERROR nova.compute.manager [instance: d629430d-31b1-43dd-a0d8-621b797b3e0d] Traceback (most recent call last):',
            '2025-12-06 17:32:20.460 8 ERROR nova.compute.manager [instance: d629430d-31b1-43dd-a0d8-621b797b3e0d]   File "/var/lib/kolla/venv/lib64/python3.9/site-packages/nova/virt/libvirt/vif.py", line 709, in _plug_os_vif',
            '2025-12-06 17:32:20.460 8 ERROR nova.compute.manager [instance: d629430d-31b1-43dd-a0d8-621b797b3e0d]     os_vif.plug(vif, instance_info)',
          ],
        },
      ],
      expect: {
        cause: 'network-setup-failed',
        instance: 'd629430d-31b1-43dd-a0d8-621b797b3e0d',
        details: { error: 'KeyError' },
        gaps: [/only failed attempts were read/],
      },
    },
    {
      // Real lines: test/corpus/real/github-syunkitada-labo-libvirt-apparmor-docker/nova-compute-shm-busy.log (2023.2), whole.
      name: "a traceback's last lines only: libvirt-python's raise names virDomainCreateWithFlags (the guest's start) → spawn-failed",
      logs: [
        {
          host: 'cmp01',
          service: 'nova-compute',
          lines: committedCorpus('github-syunkitada-labo-libvirt-apparmor-docker', 'nova-compute-shm-busy.log'),
        },
      ],
      expect: {
        cause: 'spawn-failed',
        instance: '87799560-117e-400c-9a25-b70cc0f29e73',
        details: { host: 'cmp01', error: 'libvirtError' },
        gaps: [/only failed attempts were read/],
      },
    },
    {
      // Real lines: test/corpus/real/linuxsimba-github-io-2016-02-22-qemu-error/nova-compute.log (Liberty or earlier), whole.
      name: "an undated traceback tail: ProcessExecutionError of qemu-img convert of the image cache's .part file → image-failed",
      logs: [
        {
          host: 'cmp01',
          service: 'nova-compute',
          paste: true,
          lines: committedCorpus('linuxsimba-github-io-2016-02-22-qemu-error', 'nova-compute.log'),
        },
      ],
      expect: {
        cause: 'image-failed',
        instance: 'eefd6cc2-1efa-4417-b1b5-aa7dfb8d896a',
        details: { host: 'cmp01', error: 'ProcessExecutionError' },
      },
    },
    {
      // Real line: test/corpus/real/github-phonglh79-ghichep-duydm-multi-region-errors/nova-compute-grep-error.txt (Queens), the grep's prompt left out.
      name: "a build aborted with cinder's own 400 in its client's form ('… (HTTP 400) (Request-ID: req-…)') → volume-failed",
      logs: [
        {
          host: 'compute01',
          service: 'nova-compute',
          lines: PHONGLH79_ABORT,
        },
      ],
      expect: {
        cause: 'volume-failed',
        instance: '5350c69f-24de-4345-9556-0cc92faa3ef2',
        details: { host: 'compute01', error: 'BuildAbortException' },
      },
    },
    {
      // Real line: test/corpus/real/github-harvester-tests-vm-import-microstack-cinder (MicroStack), Horizon's banner alone.
      name: "Horizon's banner of a build aborted with cinder's 400 ('Invalid input received: … (HTTP 400) (Request-ID: req-…)') → volume-failed",
      logs: [pastedCorpus('github-harvester-tests-vm-import-microstack-cinder', 'horizon-error-banner.txt')],
      expect: { cause: 'volume-failed', instance: '289d8c95-fd99-42a4-8eab-3a522e891463' },
    },
    {
      // The same line, its reason without the client's tail: nothing says which service refused.
      name: "a build aborted with 'Invalid input received: …' and no client's '(HTTP 400)' → unknown",
      logs: [
        {
          host: 'compute01',
          service: 'nova-compute',
          lines: PHONGLH79_ABORT.map((l) => l.replace(/ \(HTTP 400\) \(Request-ID: req-[0-9a-f-]+\)/, '')),
        },
      ],
      expect: { cause: 'unknown', instance: '5350c69f-24de-4345-9556-0cc92faa3ef2' },
    },
    {
      // Real lines: test/corpus/real/cnblogs-xzlive-14942406-conductor-access-refused (Pike), the Markdown code spans taken off.
      name: "Pike: the conductor's cast of build_and_run_instance refused by RabbitMQ (AccessRefused) → cast-to-compute-failed, the cell's transport_url to check",
      logs: [{ host: 'controller', service: 'nova-conductor', lines: CNBLOGS_CONDUCTOR }],
      expect: {
        cause: 'cast-to-compute-failed',
        requestIds: ['req-eb9ca3b8-58d8-4103-b8b0-d5b9a3d706b1'],
        details: { error: 'AccessRefused' },
        title: /never reached a compute: AccessRefused/,
        firstCommand: has('nova-manage cell_v2 list_cells --verbose'),
      },
    },
    {
      // Real lines: test/corpus/real/github-osism-documentation-notes-openstack (kolla, Rocky conductor, Pike computes), the
      // message's prefix and the traceback lines' dates lost in the copy, its RST indent taken off.
      name: "the conductor's cast refused by the compute RPC version cap (RPCVersionCapError, 5.0 against 4.17) → cast-to-compute-failed, the old services to delete",
      logs: [
        {
          host: 'controller',
          service: 'nova-conductor',
          paste: true,
          lines: committedCorpus('github-osism-documentation-notes-openstack', 'nova-conductor-rpcversioncaperror.txt').map((l) =>
            l.replace(/^ {3}/, ''),
          ),
        },
      ],
      expect: {
        cause: 'cast-to-compute-failed',
        details: { error: 'RPCVersionCapError' },
        firstCommand: has('openstack compute service list'),
      },
    },
    {
      // Real lines: test/corpus/real/github-zasfe-labs-openstack-troubleshooting (Stein 19.3.2), grep output.
      name: "Stein: a build aborted with 'Auth plugin requires parameters which were not given: auth_url', the same error the network cleanup met from neutron's client → network-setup-failed",
      logs: [ZASFE_ABORTED],
      expect: {
        cause: 'network-setup-failed',
        instance: '77ef07bc-62e9-4d49-884e-98fbf2b5cf71',
        evidence: [/Failed to update network info cache when cleaning up allocated networks/],
      },
    },
    {
      // The same lines, the cleanup's error another one: nothing ties the abort to neutron.
      name: 'a build aborted with MissingRequiredOptions whose network cleanup met another error → unknown',
      logs: [
        {
          ...ZASFE_ABORTED,
          lines: ZASFE_ABORTED.lines.map((l) =>
            l.includes('Failed to update network info cache')
              ? l.replace(/Error: .*/, 'Error: Connection to neutron failed: timed out')
              : l,
          ),
        },
      ],
      expect: { cause: 'unknown', instance: '77ef07bc-62e9-4d49-884e-98fbf2b5cf71' },
    },
    {
      // Real lines: test/corpus/real/github-bohai-openstack-note-nova-docker-bug (Juno, nova-docker).
      name: "nova-docker: the spawn's InstanceDeployFailure after the driver's own warning whose traceback failed in _attach_vifs → network-setup-failed, that warning cited",
      logs: [{ host: 'A-172', service: 'nova-compute', lines: BOHAI_BUILD }],
      expect: {
        cause: 'network-setup-failed',
        instance: '84729308-1dbd-4741-beb5-df58d22cdb6e',
        evidence: [/novadocker\.virt\.docker\.driver: Cannot setup network/],
      },
    },
    {
      // The same lines without the driver's warning and its traceback: nothing says where the spawn failed.
      name: "nova-docker: the spawn's InstanceDeployFailure alone → spawn-failed",
      logs: [{ host: 'A-172', service: 'nova-compute', lines: BOHAI_BUILD.filter((l) => !l.includes(' novadocker.virt.docker.driver ')) }],
      expect: { cause: 'spawn-failed', instance: '84729308-1dbd-4741-beb5-df58d22cdb6e' },
    },
    {
      // The scheduler's silence in the conductor's scheduling step (its frames a real fault's: see SCHEDULER_SILENT_CONDUCTOR).
      name: "Stein: the conductor's 'Failed to schedule instances' with MessagingTimeout from select_destinations → scheduler-unreachable",
      logs: [{ host: 'controller', service: 'nova-conductor', lines: SCHEDULER_SILENT_CONDUCTOR }],
      expect: {
        cause: 'scheduler-unreachable',
        instance: '5d1c7e2a-9b3f-4c8d-a6e1-2f7b9c0d4e5a',
        details: { error: 'MessagingTimeout' },
        firstCommand: has('openstack compute service list --service nova-scheduler'),
      },
    },
    {
      // Before Ocata scheduler utils wrote what the scheduling step raised, its text without its class: the message as a
      // real chat relay of it shows (code-index 5659406535, a hubot integration matching '[WARNING] Failed to
      // compute_task_build_instances: Timed out waiting for a reply to message ID .*'), in the record of rcbops/rpc-openstack
      // PR 1440's real line (Liberty; shared corpus bug-report-excerpts), whose text was NoValidHost's.
      name: "Kilo–Newton: scheduler utils' 'Failed to compute_task_build_instances: Timed out waiting for a reply to message ID …' → scheduler-unreachable",
      logs: [
        {
          host: 'controller',
          service: 'nova-conductor',
          lines: [
            '2016-10-12 00:57:55.276 1604 WARNING nova.scheduler.utils [req-e21fdda8-7c6c-47d7-9137-0eaed3fc7c7c 5976e07fd29649a383023e80b50e1e9e 3090c353f4104643a1e4fbe8c96e23ba - - -] Failed to compute_task_build_instances: Timed out waiting for a reply to message ID 5a0fd5ad5ea14a7d9b69ea8dd1e3c2f1',
          ],
        },
      ],
      expect: { cause: 'scheduler-unreachable' },
    },
    {
      // The real fault of code-index 30328553150 (openstack-helm, 2019), whose quote the author cut at both ends, made
      // whole as `openstack server show` prints it (its frames shortened to the conductor's and the scheduler's).
      name: "a server's fault 'Timed out waiting for a reply to message ID …' whose details run through _schedule_instances → scheduler-unreachable",
      logs: [
        {
          host: 'paste-server-show',
          service: 'unknown',
          paste: true,
          lines: [
            `| fault | {u'message': u'Timed out waiting for a reply to message ID 70b5b5ce51004a9a95d9a2ab3a68fac2', u'code': 500, u'details': u'  File "/var/lib/openstack/local/lib/python2.7/site-packages/nova/conductor/manager.py", line 1237, in schedule_and_build_instances\\n    instance_uuids, return_alternates=True)\\n  File "/var/lib/openstack/local/lib/python2.7/site-packages/nova/conductor/manager.py", line 750, in _schedule_instances\\n    return_alternates=return_alternates)\\n', u'created': u'2019-10-10T07:15:01Z'} |`,
            '| id | 5d1c7e2a-9b3f-4c8d-a6e1-2f7b9c0d4e5a |',
          ],
        },
      ],
      expect: { cause: 'scheduler-unreachable', instance: '5d1c7e2a-9b3f-4c8d-a6e1-2f7b9c0d4e5a' },
    },
    {
      // The same record, its exception another: the conductor's scheduling step failed, nothing says why.
      name: "the conductor's 'Failed to schedule instances' with an exception no cause names (DBConnectionError) → a failed build, unknown",
      logs: [
        {
          host: 'controller',
          service: 'nova-conductor',
          lines: SCHEDULER_SILENT_CONDUCTOR.slice(0, 1).map((l) =>
            l.replace(
              /MessagingTimeout: .*/,
              "DBConnectionError: (pymysql.err.OperationalError) (2003, \"Can't connect to MySQL server on 'db' ([Errno 111] ECONNREFUSED)\")",
            ),
          ),
        },
      ],
      expect: { cause: 'unknown', details: {} },
    },
    {
      // Real lines: test/corpus/real/github-gophercloud-gophercloud-issue3460 (devstack journal, 2025), the journal prefix kept.
      name: "a devstack journal's traceback through _create_guest_with_network into guest.launch, no exception line → spawn-failed by its frames",
      logs: [
        {
          host: 'fv-az1276-702',
          service: 'nova-compute',
          lines: [
            'Jul 13 02:16:32 fv-az1276-702 nova-compute[80768]: ERROR nova.compute.manager [instance: deb01d2a-6729-4a7b-822d-606e63f47563]   File "/opt/stack/nova/nova/virt/libvirt/driver.py", line 8251, in _create_guest_with_network',
            'Jul 13 02:16:32 fv-az1276-702 nova-compute[80768]: ERROR nova.compute.manager [instance: deb01d2a-6729-4a7b-822d-606e63f47563]     guest = self._create_guest(',
            'Jul 13 02:16:32 fv-az1276-702 nova-compute[80768]: ERROR nova.compute.manager [instance: deb01d2a-6729-4a7b-822d-606e63f47563]             ^^^^^^^^^^^^^^^^^^^',
            'Jul 13 02:16:32 fv-az1276-702 nova-compute[80768]: ERROR nova.compute.manager [instance: deb01d2a-6729-4a7b-822d-606e63f47563]   File "/opt/stack/nova/nova/virt/libvirt/driver.py", line 8190, in _create_guest',
            'Jul 13 02:16:32 fv-az1276-702 nova-compute[80768]: ERROR nova.compute.manager [instance: deb01d2a-6729-4a7b-822d-606e63f47563]     guest.launch(pause=pause)',
            'Jul 13 02:16:32 fv-az1276-702 nova-compute[80768]: ERROR nova.compute.manager [instance: deb01d2a-6729-4a7b-822d-606e63f47563]   File "/opt/stack/nova/nova/virt/libvirt/guest.py", line 167, in launch',
            'Jul 13 02:16:32 fv-az1276-702 nova-compute[80768]: ERROR nova.compute.manager [instance: deb01d2a-6729-4a7b-822d-606e63f47563]     with excutils.save_and_reraise_exception():',
          ],
        },
      ],
      expect: {
        cause: 'spawn-failed',
        instance: 'deb01d2a-6729-4a7b-822d-606e63f47563',
        title:
          /failed on fv-az1276-702: a traceback through _create_guest_with_network → _create_guest → launch \(its exception line not read\)$/,
      },
    },
    {
      // Real lines: test/corpus/real/github-lxc-lxc-issue1786 (devstack journal, Pike, nova-lxd), quoted from the middle of
      // the traceback: the first line is the code under a frame, not a frame.
      name: "nova-lxd: a journal's traceback quoted from its middle through the lxd driver's spawn → spawn-failed, LXD's log of the container to read",
      logs: [
        {
          host: 'leg-004',
          service: 'nova-compute',
          lines: committedCorpus('github-lxc-lxc-issue1786', 'journal-nova-compute-spawn.txt'),
        },
      ],
      expect: {
        cause: 'spawn-failed',
        instance: 'b500a3d8-89b8-45ab-8725-c2420e6d7e98',
        title: /failed on leg-004: a traceback through spawn → create → wait_for_operation \(its exception line not read\)$/,
        commands: [/^lxc info --show-log <instance name> +# on leg-004$/],
      },
    },
  ],
});
