import { KNOWN_COLUMNS } from '../../src/facts/known-columns.js';
import { Ids } from './ids.js';
import { frame, OsloLog, STYLES, type Ctx } from './oslo.js';
import type { Cloud, DbRows, Row, SampleHost } from './model.js';

/**
 * Seed 000, rebuilt: an RDO Pike cloud (nova 16, python 2.7, zh_CN locale)
 * with placement inside nova_api. Orphaned and doubled allocations (left by
 * failed migrations and by instances deleted in the database) fill compute1's
 * memory past capacity: 11426 MB used of (7841 - 512) × 1.5; a 1 VCPU /
 * 1024 MB / 10 GB build fails with NoValidHost, reason "", its message
 * escaped as \u627e\u4e0d…. The operator also deleted instance_mappings rows
 * and a cell mapping: the API answers 404 for running instance 2f565c93.
 */

const style = STYLES.pike;
const DAY = Date.UTC(2018, 11, 27);
const at = (hh: number, mm: number, ss = 0, ms = 0): number => DAY + ((hh * 60 + mm) * 60 + ss) * 1000 + ms;

const fixed = new Ids(20181227);

const USER = '8668aa3368c0427c98b1d1824a36f720';
const PROJECT = 'f30a92c42d264a79ba5744b084346a2d';

export const PIKE_HOSTS = { controller: 'controller', compute1: 'compute1', compute2: 'compute2', compute3: 'compute3' };

export const PIKE = {
  rp: { compute1: 'b266b258-d78d-414c-a71d-1bf5137abbe2', compute2: fixed.uuid(), compute3: fixed.uuid() },
  failedBuild: 'c2963f0d-370c-43aa-8cee-0131760d6ef2',
  failedReq: 'req-49530488-2149-4f15-85ea-5659267ffada',
  /** the doubled consumer the operator found: on compute1 and compute3, no instances row */
  doubled: '01b6377f-5b0c-4273-a24a-921f793b3004',
  /** a healthy VM of compute1 (1 VCPU, 1024 MB, 10 GB) */
  healthy: '15372401-e970-4594-bc19-e65bac9613b8',
  /** running, but its instance_mappings row was deleted: the API says 404 */
  unmapped: '2f565c93-6eec-4a74-b8e8-f55638b56da3',
  notFoundReq: 'req-999c856a-e2b6-4360-9fba-3bf8db6e283f',
  cell1: fixed.uuid(),
  cell0: '00000000-0000-0000-0000-000000000000',
  /** The removed "redundant" cell's id, which some mappings still point to. */
  removedCellId: 3,
};

interface Vm {
  uuid: string;
  name: string;
  vcpus: number;
  ram: number;
  disk: number;
  /** provider(s) holding its allocations */
  on: (keyof typeof PIKE.rp)[];
  /** instances row: live, deleted by nova (deleted=id), or none at all */
  row: 'live' | 'deleted' | 'none';
  /** boot from volume: no DISK_GB allocation */
  bfv?: boolean;
}

/** The consumers behind the 245 allocation rows of seed 000. */
export function pikeVms(): Vm[] {
  const ids = new Ids(1227);
  const vms: Vm[] = [];
  const add = (v: Omit<Vm, 'uuid' | 'name'> & { uuid?: string }, name: string): void => {
    vms.push({ ...v, uuid: v.uuid ?? ids.uuid(), name } as Vm);
  };
  // compute1: 11426 MB = healthy 1024 + 7 × 1024 + the doubled one's 1024 + one 2210 MB VM.
  add({ uuid: PIKE.healthy, vcpus: 1, ram: 1024, disk: 10, on: ['compute1'], row: 'live' }, 'web-1');
  for (let i = 0; i < 7; i++) add({ vcpus: 1, ram: 1024, disk: 10, on: ['compute1'], row: i < 3 ? 'deleted' : 'live' }, `app-${i + 1}`);
  add({ vcpus: 2, ram: 2210, disk: 20, on: ['compute1'], row: 'live' }, 'odd-1');
  add({ uuid: PIKE.doubled, vcpus: 1, ram: 1024, disk: 10, on: ['compute1', 'compute3'], row: 'none' }, 'ghost-1');
  // Five more doubled by failed migrations between compute2 and compute3 (Pike kept both under the instance).
  for (let i = 0; i < 5; i++)
    add({ vcpus: 1, ram: 1024, disk: 10, on: ['compute2', 'compute3'], row: i < 2 ? 'none' : 'deleted' }, `mig-${i + 1}`);
  // 60 small test VMs (160 MB), 30 per host; most were deleted in nova but kept their allocations (Pike local delete).
  // compute2 ends at 10432 MB used (561.5 free: a 210 MB VM fits, 1024 MB does not), compute3 at 10944 (49.5 free).
  for (let i = 0; i < 60; i++) {
    const host = i % 2 === 0 ? 'compute2' : 'compute3';
    add(
      {
        uuid: i === 0 ? PIKE.unmapped : undefined,
        vcpus: 1,
        ram: 160,
        disk: 1,
        on: [host],
        row: i === 0 || i % 5 === 1 ? 'live' : 'deleted',
      },
      `cirros-${i + 1}`,
    );
  }
  // the lonely consumer: boot from volume, so VCPU and MEMORY_MB only (2 rows)
  add({ vcpus: 1, ram: 512, disk: 0, on: ['compute2'], row: 'live', bfv: true }, 'bfv-1');
  return vms;
}

function host(name: string, sosName: string, pack: SampleHost['pack'], clockOffsetMs: number): SampleHost {
  return { name, sosName, pack, clockOffsetMs, files: new Map(), logs: new Map(), access: new Map() };
}

const ctx = (req: string): Ctx => ({ req, user: USER, project: PROJECT });
const periodic = (req: string): Ctx => ({ req });

const NVH = '\\u627e\\u4e0d\\u5230\\u6709\\u6548\\u4e3b\\u673a\\uff0c\\u539f\\u56e0\\u662f \\u3002';

/** The remote traceback as python 2 prints it inside `str(NoValidHost_Remote)`. */
const REMOTE: string[] = [
  'Traceback (most recent call last):',
  '',
  ...frame(style, 'oslo_messaging/rpc/server.py', 232, 'inner', 'return func(*args, **kwargs)'),
  '',
  ...frame(style, 'nova/scheduler/manager.py', 138, 'select_destinations', 'raise exception.NoValidHost(reason="")'),
  '',
  `NoValidHost: ${NVH}`,
  '',
];

const LOCAL: string[] = [
  'Traceback (most recent call last):',
  ...frame(style, 'nova/conductor/manager.py', 1072, 'schedule_and_build_instances', 'instance_uuids)'),
  ...frame(style, 'nova/conductor/manager.py', 636, '_schedule_instances', 'request_spec, instance_uuids)'),
  ...frame(style, 'nova/scheduler/utils.py', 586, 'wrapped', 'return func(*args, **kwargs)'),
  ...frame(style, 'nova/scheduler/client/__init__.py', 52, 'select_destinations', 'instance_uuids)'),
  ...frame(style, 'nova/scheduler/client/__init__.py', 37, '__run_method', 'return getattr(self.instance, __name)(*args, **kwargs)'),
  ...frame(style, 'nova/scheduler/client/query.py', 33, 'select_destinations', 'instance_uuids)'),
  ...frame(style, 'nova/scheduler/rpcapi.py', 137, 'select_destinations', "return cctxt.call(ctxt, 'select_destinations', **msg_args)"),
  ...frame(style, 'oslo_messaging/rpc/client.py', 169, 'call', 'retry=self.retry)'),
  ...frame(style, 'oslo_messaging/transport.py', 123, '_send', 'timeout=timeout, retry=retry)'),
  ...frame(style, 'oslo_messaging/_drivers/amqpdriver.py', 566, 'send', 'retry=retry)'),
  ...frame(style, 'oslo_messaging/_drivers/amqpdriver.py', 557, '_send', 'raise result'),
  `NoValidHost_Remote: ${NVH}`,
  ...REMOTE,
  '',
];

export function buildPike(): Cloud {
  const id = new Ids(20181228);
  const ctl = host(PIKE_HOSTS.controller, 'sosreport-controller-2018-12-27-dfbzkqa', 'xz', 0);
  const c1 = host(PIKE_HOSTS.compute1, 'sosreport-compute1-2018-12-27-mvhqowe', 'xz', 1200);
  const c2 = host(PIKE_HOSTS.compute2, 'sosreport-compute2-2018-12-27-yrbgtmz', 'dir', -400);
  const conductor = new OsloLog(style, 31027, 0);
  const scheduler = new OsloLog(style, 30988, 0);
  const api = new OsloLog(style, 3311, 0);
  const placement = new OsloLog(style, 4101, 0);
  ctl.logs.set('var/log/nova/nova-conductor.log', conductor);
  ctl.logs.set('var/log/nova/nova-scheduler.log', scheduler);
  ctl.logs.set('var/log/nova/nova-api.log', api);
  ctl.logs.set('var/log/nova/nova-placement-api.log', placement);

  // The failed build of 15:05:44 (seed 000, lines as the write-up quotes them).
  const t = at(15, 5, 43, 902);
  const req = PIKE.failedReq;
  api.log(
    t,
    'INFO',
    'nova.osapi_compute.wsgi.server',
    ctx(req),
    '10.0.0.11 "POST /v2.1/f30a92c42d264a79ba5744b084346a2d/servers HTTP/1.1" status: 202 len: 426 time: 0.7021358',
  );
  scheduler.log(t + 600, 'DEBUG', 'nova.scheduler.manager', ctx(req), `Starting to schedule for instances: [u'${PIKE.failedBuild}']`, {
    at: ['select_destinations', 'nova/scheduler/manager.py', 110],
  });
  const preq = id.req();
  placement.log(
    t + 700,
    'DEBUG',
    'nova.api.openstack.placement.requestlog',
    { req: preq, user: '3a2b1c0d9e8f4a7b6c5d4e3f2a1b0c9d', project: '7d6c5b4a39284756a1b2c3d4e5f60718' },
    'Starting request: 10.0.0.11 "GET /placement/allocation_candidates?limit=1000&resources=DISK_GB%3A10%2CMEMORY_MB%3A1024%2CVCPU%3A1"',
    { at: ['__call__', 'nova/api/openstack/placement/requestlog.py', 38] },
  );
  placement.log(
    t + 760,
    'INFO',
    'nova.api.openstack.placement.requestlog',
    { req: preq, user: '3a2b1c0d9e8f4a7b6c5d4e3f2a1b0c9d', project: '7d6c5b4a39284756a1b2c3d4e5f60718' },
    '10.0.0.11 "GET /placement/allocation_candidates?limit=1000&resources=DISK_GB%3A10%2CMEMORY_MB%3A1024%2CVCPU%3A1" status: 200 len: 53 microversion: 1.10',
  );
  scheduler.log(
    t + 800,
    'DEBUG',
    'nova.scheduler.manager',
    ctx(req),
    'Got no allocation candidates from the Placement API. This may be a temporary occurrence as compute nodes start up and begin reporting inventory to the Placement service.',
    { at: ['select_destinations', 'nova/scheduler/manager.py', 137] },
  );
  scheduler.log(
    t + 810,
    'DEBUG',
    'oslo_messaging.rpc.server',
    ctx(req),
    `Expected exception during message handling () _process_incoming ${style.py}/oslo_messaging/rpc/server.py:158`,
  );
  conductor.log(
    at(15, 5, 44, 860),
    'ERROR',
    'nova.conductor.manager',
    ctx(req),
    `Failed to schedule instances: NoValidHost_Remote: ${NVH}`,
    { cont: REMOTE, tb: LOCAL },
  );
  conductor.log(
    at(15, 5, 45, 321),
    'WARNING',
    'oslo_config.cfg',
    ctx(req),
    'Option "enable" from group "cells" is deprecated for removal (Cells v1 is being replaced with Cells v2.).  Its value may be silently ignored in the future.',
  );
  conductor.log(
    at(15, 5, 45, 402),
    'WARNING',
    'nova.scheduler.utils',
    ctx(req),
    'Failed to compute_task_build_instances: 找不到有效主机，原因是 。',
    { cont: [...REMOTE.slice(0, -1), `: NoValidHost_Remote: ${NVH}`] },
  );
  conductor.log(
    at(15, 5, 45, 403),
    'WARNING',
    'nova.scheduler.utils',
    ctx(req),
    `Setting instance to ERROR state.: NoValidHost_Remote: ${NVH}`,
    { instance: PIKE.failedBuild },
  );

  // A successful tiny build at 15:20 (the 210 MB flavor still fits): a decoy.
  const okReq = id.req();
  const okUuid = id.uuid();
  const t2 = at(15, 20, 10, 50);
  api.log(
    t2,
    'INFO',
    'nova.osapi_compute.wsgi.server',
    ctx(okReq),
    '10.0.0.11 "POST /v2.1/f30a92c42d264a79ba5744b084346a2d/servers HTTP/1.1" status: 202 len: 426 time: 0.6110022',
  );
  scheduler.log(t2 + 500, 'DEBUG', 'nova.scheduler.manager', ctx(okReq), `Starting to schedule for instances: [u'${okUuid}']`, {
    at: ['select_destinations', 'nova/scheduler/manager.py', 110],
  });
  placement.log(
    t2 + 600,
    'INFO',
    'nova.api.openstack.placement.requestlog',
    { req: id.req(), user: '3a2b1c0d9e8f4a7b6c5d4e3f2a1b0c9d', project: '7d6c5b4a39284756a1b2c3d4e5f60718' },
    '10.0.0.11 "GET /placement/allocation_candidates?limit=1000&resources=DISK_GB%3A1%2CMEMORY_MB%3A210%2CVCPU%3A1" status: 200 len: 1321 microversion: 1.10',
  );
  scheduler.log(t2 + 700, 'DEBUG', 'nova.filters', ctx(okReq), 'Starting with 2 host(s)', {
    at: ['get_filtered_objects', 'nova/filters.py', 70],
  });
  scheduler.log(t2 + 710, 'DEBUG', 'nova.filters', ctx(okReq), 'Filter RetryFilter returned 2 host(s)', {
    at: ['get_filtered_objects', 'nova/filters.py', 104],
  });
  placement.log(
    t2 + 800,
    'INFO',
    'nova.api.openstack.placement.requestlog',
    { req: id.req(), user: '3a2b1c0d9e8f4a7b6c5d4e3f2a1b0c9d', project: '7d6c5b4a39284756a1b2c3d4e5f60718' },
    `10.0.0.11 "PUT /placement/allocations/${okUuid}" status: 204 len: 0 microversion: 1.10`,
  );
  const c2log = new OsloLog(style, 2201, c2.clockOffsetMs);
  c2.logs.set('var/log/nova/nova-compute.log', c2log);
  c2log.log(
    t2 + 1500,
    'INFO',
    'nova.compute.claims',
    ctx(okReq),
    'Attempting claim on node compute2: memory 210 MB, disk 1 GB, vcpus 1 CPU',
    { instance: okUuid },
  );
  c2log.log(t2 + 1510, 'INFO', 'nova.compute.claims', ctx(okReq), 'Claim successful on node compute2', { instance: okUuid });
  c2log.log(t2 + 9000, 'INFO', 'nova.compute.manager', ctx(okReq), 'Took 7.21 seconds to build instance.', { instance: okUuid });

  // The 404 of 16:30 for a running VM whose instance_mappings row is gone.
  const t3 = at(16, 30, 2, 310);
  api.log(
    t3,
    'INFO',
    'nova.api.openstack.wsgi',
    ctx(PIKE.notFoundReq),
    `HTTP exception thrown: Instance ${PIKE.unmapped} could not be found.`,
  );
  api.log(
    t3 + 5,
    'INFO',
    'nova.osapi_compute.wsgi.server',
    ctx(PIKE.notFoundReq),
    `10.0.0.11 "GET /v2.1/f30a92c42d264a79ba5744b084346a2d/servers/${PIKE.unmapped} HTTP/1.1" status: 404 len: 434 time: 0.0911230`,
  );
  ctl.access.set('var/log/httpd/error_log', [
    {
      t: t3 + 40,
      seq: 0,
      text: `[Thu Dec 27 16:30:02.351220 2018] [:error] [pid 2314] [remote 10.0.0.1:52] NotFound: Instance ${PIKE.unmapped} could not be found. (HTTP 404) (Request-ID: ${PIKE.notFoundReq})`,
    },
  ]);

  // Computes: the periodic audits (Pike: DEBUG, nothing about foreign allocations) and power sync.
  const c1log = new OsloLog(style, 1876, c1.clockOffsetMs);
  c1.logs.set('var/log/nova/nova-compute.log', c1log);
  for (let m = 0; m < 120; m++) {
    const tm = at(14, 30) + m * 60_000;
    for (const [log, name] of [
      [c1log, 'compute1'],
      [c2log, 'compute2'],
    ] as const) {
      const r = id.req();
      log.log(
        tm + 20,
        'DEBUG',
        'nova.compute.resource_tracker',
        periodic(r),
        `Auditing locally available compute resources for ${name} (node: ${name})`,
        { at: ['update_available_resource', 'nova/compute/resource_tracker.py', 660] },
      );
      log.log(
        tm + 410,
        'INFO',
        'nova.compute.resource_tracker',
        periodic(r),
        `Final resource view: name=${name} phys_ram=7841MB used_ram=${name === 'compute1' ? 11938 : 10944}MB phys_disk=98GB used_disk=130GB total_vcpus=8 used_vcpus=13 pci_stats=[]`,
      );
    }
  }

  for (const h of [ctl, c1, c2]) {
    h.files.set('sos_commands/host/hostname', `${h.name}\n`);
    h.files.set('version.txt', 'sosreport: 3.5\n');
    h.files.set('sos_commands/date/date', 'Thu Dec 27 17:02:31 CST 2018\n');
    h.files.set(
      'etc/nova/nova.conf',
      [
        '[DEFAULT]',
        'transport_url = rabbit://openstack:RABBIT_PASS_123@controller',
        '',
        '[api_database]',
        'connection = mysql+pymysql://nova:NOVA_DBPASS_123@controller/nova_api',
        '',
        '[database]',
        'connection = mysql+pymysql://nova:NOVA_DBPASS_123@controller/nova',
        '',
        '[placement]',
        'password = PLACEMENT_PASS_123',
        '',
      ].join('\n'),
    );
  }

  return {
    name: 'pike-rdo',
    description: 'RDO Pike, zh_CN: seed 000 (orphaned and doubled allocations exhaust memory; deleted instance mappings give 404)',
    hosts: [ctl, c1, c2],
    db: rows(),
    dumpHost: ctl.name,
    dumpPath: 'sos_commands/openstack_database/mysql_dump.sql',
    schema: PIKE_SCHEMA,
    expect: { okBuild: okUuid, okRequest: okReq },
  };
}

/** Pike lacks columns later releases added, and keeps placement in nova_api (with can_host). */
const PIKE_INSTANCES = KNOWN_COLUMNS.nova.instances.filter((c) => c !== 'hidden' && c !== 'compute_id');
const PIKE_SCHEMA: Record<string, Record<string, string[]>> = {
  nova_cell0: { instances: PIKE_INSTANCES },
  nova_api: {
    cell_mappings: ['created_at', 'updated_at', 'id', 'uuid', 'name', 'transport_url', 'database_connection'],
    instance_mappings: ['created_at', 'updated_at', 'id', 'instance_uuid', 'cell_id', 'project_id'],
    flavors: [
      'created_at',
      'updated_at',
      'name',
      'id',
      'memory_mb',
      'vcpus',
      'swap',
      'vcpu_weight',
      'flavorid',
      'rxtx_factor',
      'root_gb',
      'ephemeral_gb',
      'disabled',
      'is_public',
    ],
    resource_providers: [
      'created_at',
      'updated_at',
      'id',
      'uuid',
      'name',
      'generation',
      'can_host',
      'root_provider_id',
      'parent_provider_id',
    ],
    inventories: [
      'created_at',
      'updated_at',
      'id',
      'resource_provider_id',
      'resource_class_id',
      'total',
      'reserved',
      'min_unit',
      'max_unit',
      'step_size',
      'allocation_ratio',
    ],
    allocations: ['created_at', 'updated_at', 'id', 'resource_provider_id', 'consumer_id', 'resource_class_id', 'used'],
    resource_classes: ['id', 'name', 'created_at', 'updated_at'],
  },
  nova: {
    instances: PIKE_INSTANCES,
    migrations: [
      'created_at',
      'updated_at',
      'deleted_at',
      'id',
      'source_compute',
      'dest_compute',
      'dest_host',
      'status',
      'instance_uuid',
      'old_instance_type_id',
      'new_instance_type_id',
      'source_node',
      'dest_node',
      'deleted',
      'migration_type',
      'hidden',
      'memory_total',
      'memory_processed',
      'memory_remaining',
      'disk_total',
      'disk_processed',
      'disk_remaining',
      'uuid',
    ],
  },
};

function rows(): DbRows {
  const vms = pikeVms();
  const created = '2018-11-02 09:00:00';
  const rpId = { compute1: 1, compute2: 2, compute3: 3 } as const;
  const instances: Row[] = [];
  let n = 0;
  for (const v of vms) {
    if (v.row === 'none') continue;
    n++;
    const hostName = v.on[v.on.length - 1];
    const deleted = v.row === 'deleted';
    instances.push(
      instanceRow(
        n,
        v.uuid,
        v.name,
        hostName,
        deleted ? 'deleted' : 'active',
        v.vcpus,
        v.ram,
        v.disk,
        deleted ? n : 0,
        deleted ? '2018-12-20 10:00:00' : null,
      ),
    );
  }
  const failed = instanceRow(1, PIKE.failedBuild, 'test-1g', null, 'error', 1, 1024, 10, 0, null);
  let alloc = 0;
  const allocations: Row[] = [];
  for (const v of vms) {
    for (const h of v.on) {
      const classes: [number, number][] = [
        [0, v.vcpus],
        [1, v.ram],
      ];
      if (!v.bfv) classes.push([2, v.disk]);
      for (const [rc, used] of classes)
        allocations.push({
          created_at: created,
          updated_at: null,
          id: ++alloc,
          resource_provider_id: rpId[h],
          consumer_id: v.uuid,
          resource_class_id: rc,
          used,
        });
    }
  }
  let inv = 0;
  const inventories: Row[] = (['compute1', 'compute2', 'compute3'] as const).flatMap((h) => [
    {
      created_at: created,
      updated_at: null,
      id: ++inv,
      resource_provider_id: rpId[h],
      resource_class_id: 0,
      total: 8,
      reserved: 0,
      min_unit: 1,
      max_unit: 8,
      step_size: 1,
      allocation_ratio: 16,
    },
    {
      created_at: created,
      updated_at: null,
      id: ++inv,
      resource_provider_id: rpId[h],
      resource_class_id: 1,
      total: 7841,
      reserved: 512,
      min_unit: 1,
      max_unit: 7841,
      step_size: 1,
      allocation_ratio: 1.5,
    },
    {
      created_at: created,
      updated_at: null,
      id: ++inv,
      resource_provider_id: rpId[h],
      resource_class_id: 2,
      total: 98,
      reserved: 0,
      min_unit: 1,
      max_unit: 98,
      step_size: 1,
      allocation_ratio: 16,
    },
  ]);
  const mappings: Row[] = [];
  let m = 0;
  for (const i of instances) {
    const uuid = i.uuid as string;
    if (uuid === PIKE.unmapped) continue; // deleted by hand along with the "redundant" cell
    mappings.push({
      created_at: created,
      updated_at: null,
      id: ++m,
      instance_uuid: uuid,
      cell_id: i.deleted === 0 && (i.display_name as string).startsWith('app-') ? PIKE.removedCellId : 2,
      project_id: PROJECT,
    });
  }
  mappings.push({ created_at: created, updated_at: null, id: ++m, instance_uuid: PIKE.failedBuild, cell_id: 1, project_id: PROJECT });
  return {
    nova: {
      instances,
      compute_nodes: (['compute1', 'compute2', 'compute3'] as const).map((h, i) => ({
        created_at: created,
        updated_at: '2018-12-27 16:59:00',
        deleted_at: null,
        id: i + 1,
        service_id: i + 4,
        vcpus: 8,
        memory_mb: 7841,
        local_gb: 98,
        vcpus_used: 13,
        memory_mb_used: 11938,
        local_gb_used: 130,
        hypervisor_type: 'QEMU',
        hypervisor_version: 2009000,
        cpu_info: JSON.stringify({
          vendor: 'Intel',
          model: 'Haswell-noTSX',
          arch: 'x86_64',
          features: ['pge', 'avx', 'vme', 'sse4.2', 'x2apic'],
          topology: { cores: 4, cells: 1, threads: 2, sockets: 1 },
        }),
        disk_available_least: 40,
        free_ram_mb: -4097,
        free_disk_gb: -32,
        current_workload: 0,
        running_vms: 20,
        hypervisor_hostname: h,
        deleted: 0,
        host_ip: `10.0.0.${31 + i}`,
        supported_instances: '[["i686", "qemu", "hvm"], ["x86_64", "qemu", "hvm"]]',
        pci_stats:
          '{"nova_object.version": "1.1", "nova_object.changes": ["objects"], "nova_object.name": "PciDevicePoolList", "nova_object.data": {"objects": []}, "nova_object.namespace": "nova"}',
        metrics: '[]',
        extra_resources: null,
        stats: '{}',
        numa_topology: null,
        host: h,
        ram_allocation_ratio: 1.5,
        cpu_allocation_ratio: 16,
        uuid: PIKE.rp[h],
        disk_allocation_ratio: 16,
        mapped: 1,
      })),
      services: [
        [1, 'controller', 'nova-conductor', 'conductor'],
        [2, 'controller', 'nova-scheduler', 'scheduler'],
        [3, 'controller', 'nova-consoleauth', 'consoleauth'],
        [4, 'compute1', 'nova-compute', 'compute'],
        [5, 'compute2', 'nova-compute', 'compute'],
        [6, 'compute3', 'nova-compute', 'compute'],
      ].map(([i, h, b, t]) => ({
        created_at: created,
        updated_at: '2018-12-27 16:59:00',
        deleted_at: null,
        id: i,
        host: h,
        binary: b,
        topic: t,
        report_count: 90000,
        disabled: 0,
        deleted: 0,
        disabled_reason: null,
        last_seen_up: '2018-12-27 16:59:00',
        forced_down: 0,
        version: 22,
        uuid: null,
      })),
      migrations: [],
      instance_faults: [],
      instance_actions: [],
      instance_actions_events: [],
    },
    nova_cell0: {
      instances: [failed],
      instance_faults: [
        {
          created_at: '2018-12-27 07:05:45',
          updated_at: null,
          deleted_at: null,
          id: 1,
          instance_uuid: PIKE.failedBuild,
          code: 500,
          message: '找不到有效主机，原因是 。',
          details:
            '  File "/usr/lib/python2.7/site-packages/nova/conductor/manager.py", line 1072, in schedule_and_build_instances\n    instance_uuids)\n',
          host: null,
          deleted: 0,
        },
      ],
    },
    nova_api: {
      cell_mappings: [
        {
          created_at: created,
          updated_at: null,
          id: 1,
          uuid: PIKE.cell0,
          name: 'cell0',
          transport_url: 'none:///',
          database_connection: 'mysql+pymysql://nova:NOVA_DBPASS_123@controller/nova_cell0',
        },
        {
          created_at: created,
          updated_at: null,
          id: 2,
          uuid: PIKE.cell1,
          name: 'cell1',
          transport_url: 'rabbit://openstack:RABBIT_PASS_123@controller',
          database_connection: 'mysql+pymysql://nova:NOVA_DBPASS_123@controller/nova',
        },
      ],
      host_mappings: (['compute1', 'compute2', 'compute3'] as const).map((h, i) => ({
        created_at: created,
        updated_at: null,
        id: i + 1,
        cell_id: 2,
        host: h,
      })),
      instance_mappings: mappings,
      request_specs: [],
      build_requests: [],
      flavors: [
        [1, 'm1.cirros', 1, 160, 1],
        [2, 'm1.small', 1, 1024, 10],
        [3, 'm2.odd', 2, 2210, 20],
        [4, 'm1.mini', 1, 210, 1],
      ].map(([i, name, vcpus, mem, disk]) => ({
        created_at: created,
        updated_at: null,
        name,
        id: i,
        memory_mb: mem,
        vcpus,
        swap: 0,
        vcpu_weight: 0,
        flavorid: String(i),
        rxtx_factor: 1,
        root_gb: disk,
        ephemeral_gb: 0,
        disabled: 0,
        is_public: 1,
      })),
      resource_providers: (['compute1', 'compute2', 'compute3'] as const).map((h, i) => ({
        created_at: created,
        updated_at: null,
        id: i + 1,
        uuid: PIKE.rp[h],
        name: h,
        generation: 300,
        can_host: 0,
        root_provider_id: null,
        parent_provider_id: null,
      })),
      inventories,
      allocations,
      resource_classes: [],
    },
  };
}

function instanceRow(
  id: number,
  uuid: string,
  name: string,
  host: string | null,
  vm: string,
  vcpus: number,
  mem: number,
  disk: number,
  deleted: number,
  deletedAt: string | null,
): Row {
  return {
    created_at: '2018-12-01 09:00:00',
    updated_at: '2018-12-20 10:00:00',
    deleted_at: deletedAt,
    id,
    internal_id: null,
    user_id: USER,
    project_id: PROJECT,
    image_ref: '9a7e1f5c-1b2d-4c3e-8f9a-0b1c2d3e4f5a',
    kernel_id: '',
    ramdisk_id: '',
    launch_index: 0,
    key_name: null,
    key_data: null,
    power_state: vm === 'active' ? 1 : 0,
    vm_state: vm,
    memory_mb: mem,
    vcpus,
    hostname: name,
    host,
    user_data: null,
    reservation_id: `r-${uuid.slice(0, 8)}`,
    launched_at: host ? '2018-12-01 09:01:00' : null,
    terminated_at: deleted ? deletedAt : null,
    display_name: name,
    display_description: name,
    availability_zone: host ? 'nova' : null,
    locked: 0,
    os_type: null,
    launched_on: host,
    instance_type_id: 2,
    vm_mode: null,
    uuid,
    architecture: null,
    root_device_name: '/dev/vda',
    access_ip_v4: null,
    access_ip_v6: null,
    config_drive: '',
    task_state: null,
    default_ephemeral_device: null,
    default_swap_device: null,
    progress: 0,
    auto_disk_config: 0,
    shutdown_terminate: 0,
    disable_terminate: 0,
    root_gb: disk,
    ephemeral_gb: 0,
    cell_name: null,
    node: host,
    deleted,
    locked_by: null,
    cleaned: deleted ? 1 : 0,
    ephemeral_key_uuid: null,
  };
}
