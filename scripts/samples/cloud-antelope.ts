import { Ids } from './ids.js';
import { accessLine, exName, frame, OsloLog, STYLES, type Ctx, type Line } from './oslo.js';
import type { Cloud, DbRows, Row, SampleHost } from './model.js';

/**
 * A kolla-ansible 2023.1 (nova 27, placement 9) cloud: controller ctl01 and
 * computes cmp01 (Cascadelake) and cmp02 (Broadwell); cmp03 came up later and
 * was never mapped. On 2024-10-02 it lives through seeds 001 (64 VCPU > max_unit
 * 48), 002 (live migration cmp01 → cmp02 refused: CPU incompatible), 003 (an
 * instance "deleted" by SQL keeps its allocations on cmp02) and 004 (a build
 * lands on unmapped cmp03), plus the decoys a healthy day has: successful
 * builds and a successful live migration, benign warnings, periodic tasks.
 * Message strings are nova 27.5.1's and placement's.
 */

const style = STYLES.antelope;
const DAY = Date.UTC(2024, 9, 2);
const at = (hh: number, mm: number, ss = 0, ms = 0): number => DAY + ((hh * 60 + mm) * 60 + ss) * 1000 + ms;

// Fixed uuids come from one generator, request ids from another that each build restarts,
// so building twice (the script, then a test) gives the same ids.
const fixed = new Ids(20241002);
let id = new Ids(20241003);

// Identities
const ADMIN_USER = '2f065cf6db5d4ec3b5978ea8a01622f3';
const PROJECT = '8b4e913924bb4d9da158244e308bb1c5';
const NOVA_USER = '5c2a8d1e6f3b4a09b7c4d2e1f0a9b8c7';
const SERVICE_PROJECT = '9e8d7c6b5a4f4e3d2c1b0a9f8e7d6c5b';

export const HOSTS = {
  ctl01: 'ctl01.cloud.example',
  cmp01: 'cmp01.cloud.example',
  cmp02: 'cmp02.cloud.example',
  cmp03: 'cmp03.cloud.example',
};

// Resource providers = compute node uuids
const RP = { cmp01: fixed.uuid(), cmp02: fixed.uuid(), cmp03: fixed.uuid() };

export const UUIDS = {
  web01: fixed.uuid(),
  db01: fixed.uuid(),
  cache02: fixed.uuid(),
  bigvm: fixed.uuid(),
  app07: fixed.uuid(),
  /** seed 003's instance, deleted by SQL */
  batch3: 'b32e5792-427c-43b1-83dc-2d3e3c8d74c4',
  web02: fixed.uuid(),
  migFailed: fixed.uuid(),
  migOk: fixed.uuid(),
  migOld: fixed.uuid(),
  rp: RP,
  cell1: fixed.uuid(),
  cell0: '00000000-0000-0000-0000-000000000000',
};

const CPU_CASCADELAKE = {
  arch: 'x86_64',
  model: 'Cascadelake-Server',
  vendor: 'Intel',
  topology: { cells: 2, sockets: 1, cores: 12, threads: 2 },
  features: [
    'pku',
    'clwb',
    'avx512vnni',
    'avx512f',
    'avx512dq',
    'avx512cd',
    'avx512bw',
    'avx512vl',
    'md-clear',
    'stibp',
    'ssbd',
    'arch-capabilities',
    'pdpe1gb',
    'invtsc',
    'xsaves',
    'pcid',
    'ss',
    'vmx',
    'rdtscp',
    'tsc_adjust',
    'umip',
    'spec-ctrl',
    'hypervisor',
    'ht',
    'mpx',
    'abm',
  ],
};
const CPU_BROADWELL = {
  arch: 'x86_64',
  model: 'Broadwell-noTSX-IBRS',
  vendor: 'Intel',
  topology: { cells: 2, sockets: 1, cores: 12, threads: 2 },
  features: [
    'md-clear',
    'stibp',
    'ssbd',
    'pdpe1gb',
    'invtsc',
    'xsaves',
    'pcid',
    'ss',
    'vmx',
    'rdtscp',
    'tsc_adjust',
    'umip',
    'spec-ctrl',
    'hypervisor',
    'ht',
    'abm',
  ],
};
/** What cmp02 lacks of cmp01's CPU: what the report must list. */
export const MISSING_ON_CMP02 = CPU_CASCADELAKE.features.filter((f) => !CPU_BROADWELL.features.includes(f)).sort();

function ctx(req: string, global?: string): Ctx {
  return { req, global, user: ADMIN_USER, project: PROJECT };
}
function svcCtx(req: string, global: string): Ctx {
  return { req, global, user: NOVA_USER, project: SERVICE_PROJECT };
}
const periodic = (req: string): Ctx => ({ req });

function q(s: string): string {
  return s.replace(/:/g, '%3A').replace(/,/g, '%2C');
}

interface Hosts {
  ctl: SampleHost;
  cmp01: SampleHost;
  cmp02: SampleHost;
}

function host(name: keyof typeof HOSTS, sosName: string, pack: SampleHost['pack'], clockOffsetMs: number): SampleHost {
  return { name: HOSTS[name], sosName, pack, clockOffsetMs, files: new Map(), logs: new Map(), access: new Map() };
}

function log(h: SampleHost, rel: string, pid: number): OsloLog {
  let l = h.logs.get(rel);
  if (!l) h.logs.set(rel, (l = new OsloLog(style, pid, h.clockOffsetMs)));
  return l;
}

function access(h: SampleHost, rel: string): Line[] {
  let l = h.access.get(rel);
  if (!l) h.access.set(rel, (l = []));
  return l;
}

// ───────────────────────── logs per service ─────────────────────────

const api = (h: Hosts) => log(h.ctl, 'var/log/kolla/nova/nova-api.log', 24);
const conductor = (h: Hosts) => log(h.ctl, 'var/log/kolla/nova/nova-conductor.log', 31);
const scheduler = (h: Hosts) => log(h.ctl, 'var/log/kolla/nova/nova-scheduler.log', 28);
const placement = (h: Hosts) => log(h.ctl, 'var/log/kolla/placement/placement-api.log', 22);
const compute = (c: SampleHost) => log(c, 'var/log/kolla/nova/nova-compute.log', 7);

function apiCall(
  h: Hosts,
  t: number,
  req: string,
  method: string,
  uri: string,
  status: number,
  len: number,
  mv: string,
  secs: number,
): void {
  api(h).log(
    t,
    'INFO',
    'nova.api.openstack.requestlog',
    ctx(req),
    `10.0.0.5 "${method} ${uri}" status: ${status} len: ${len} microversion: ${mv} time: ${secs.toFixed(6)}`,
  );
  access(h.ctl, 'var/log/kolla/nova/nova-api-access.log').push(
    accessLine(
      t,
      h.ctl.clockOffsetMs,
      '10.0.0.5',
      method,
      uri,
      status,
      len,
      Math.round(secs * 1e6),
      'python-openstackclient keystoneauth1/5.1.2 python-requests/2.28.2 CPython/3.10.12',
    ),
  );
}

/** A placement call made by a nova service with the caller's request id as global id. */
function placementCall(
  h: Hosts,
  t: number,
  global: string,
  method: string,
  uri: string,
  status: number,
  len: number,
  mv: string,
  debug: [string, number?][] = [],
  client = '10.0.0.11',
  agent = 'nova-scheduler',
): void {
  const p = placement(h);
  const local = id.req();
  const c = svcCtx(local, global);
  p.log(t, 'DEBUG', 'placement.requestlog', c, `Starting request: ${client} "${method} ${uri}"`, {
    at: ['__call__', 'placement/requestlog.py', 55],
  });
  for (const [i, [msg, line]] of debug.entries()) {
    p.log(t + 5 + i, 'DEBUG', 'placement.objects.research_context', c, msg, {
      at: ['__init__', 'placement/objects/research_context.py', line ?? 126],
    });
  }
  p.log(t + 30, 'INFO', 'placement.requestlog', c, `${client} "${method} ${uri}" status: ${status} len: ${len} microversion: ${mv}`);
  access(h.ctl, 'var/log/kolla/placement/placement-api-access.log').push(
    accessLine(
      t + 30,
      h.ctl.clockOffsetMs,
      client,
      method,
      uri,
      status,
      len,
      30000,
      `${agent} keystoneauth1/5.1.2 python-requests/2.28.2 CPython/3.10.12`,
    ),
  );
}

// ───────────────────────── scenarios ─────────────────────────

interface Build {
  t: number;
  req: string;
  uuid: string;
  name: string;
  vcpus: number;
  ram: number;
  disk: number;
}

function buildRequest(h: Hosts, b: Build): void {
  apiCall(h, b.t, b.req, 'POST', '/v2.1/servers', 202, 426, '2.95', 0.612);
  scheduler(h).log(b.t + 120, 'DEBUG', 'nova.scheduler.manager', ctx(b.req), `Starting to schedule for instances: ['${b.uuid}']`, {
    at: ['select_destinations', 'nova/scheduler/manager.py', 142],
  });
}

function candidatesQuery(b: Build): string {
  return `/allocation_candidates?limit=1000&resources=${q(`DISK_GB:${b.disk},MEMORY_MB:${b.ram},VCPU:${b.vcpus}`)}&root_required=${q('!COMPUTE_STATUS_DISABLED')}`;
}

function successfulBuild(h: Hosts, b: Build, on: SampleHost, rp: string): void {
  buildRequest(h, b);
  placementCall(h, b.t + 150, b.req, 'GET', candidatesQuery(b), 200, 2812, '1.36', [
    [`found 3 providers with available ${b.disk} DISK_GB`, 301],
    [`found 3 providers with available ${b.ram} MEMORY_MB`, 301],
    [`found 3 providers with available ${b.vcpus} VCPU`, 301],
  ]);
  const s = scheduler(h);
  s.log(b.t + 210, 'DEBUG', 'nova.filters', ctx(b.req), 'Starting with 3 host(s)', { at: ['get_filtered_objects', 'nova/filters.py', 70] });
  for (const f of [
    'AvailabilityZoneFilter',
    'ComputeFilter',
    'ComputeCapabilitiesFilter',
    'ImagePropertiesFilter',
    'ServerGroupAntiAffinityFilter',
    'ServerGroupAffinityFilter',
  ]) {
    s.log(b.t + 212, 'DEBUG', 'nova.filters', ctx(b.req), `Filter ${f} returned 3 host(s)`, {
      at: ['get_filtered_objects', 'nova/filters.py', 102],
    });
  }
  s.log(
    b.t + 220,
    'DEBUG',
    'nova.scheduler.utils',
    ctx(b.req),
    `Attempting to claim resources in the placement API for instance ${b.uuid}`,
    { at: ['claim_resources', 'nova/scheduler/utils.py', 1264] },
  );
  placementCall(h, b.t + 230, b.req, 'PUT', `/allocations/${b.uuid}`, 204, 0, '1.36');
  conductor(h).log(
    b.t + 300,
    'DEBUG',
    'nova.conductor.manager',
    ctx(b.req),
    `[instance: ${b.uuid}] Selected host: ${on.name}; Selected node: ${on.name}; Alternates: []`,
    { at: ['schedule_and_build_instances', 'nova/conductor/manager.py', 1761] },
  );
  const c = compute(on);
  c.log(b.t + 500, 'INFO', 'nova.compute.claims', ctx(b.req), `Claim successful on node ${on.name}`, { instance: b.uuid });
  c.log(b.t + 900, 'INFO', 'nova.virt.libvirt.driver', ctx(b.req), 'Creating image(s)', { instance: b.uuid });
  c.log(b.t + 6900, 'INFO', 'nova.compute.manager', ctx(b.req), 'Took 6.02 seconds to spawn the instance on the hypervisor.', {
    instance: b.uuid,
  });
  c.log(b.t + 7400, 'INFO', 'nova.compute.manager', ctx(b.req), 'Took 6.91 seconds to build instance.', { instance: b.uuid });
  void rp;
}

const REMOTE_NOVALIDHOST = (reason = ''): string[] => [
  'Traceback (most recent call last):',
  '',
  ...frame(style, 'oslo_messaging/rpc/server.py', 244, 'inner', 'return func(*args, **kwargs)'),
  '',
  ...frame(style, 'nova/scheduler/manager.py', 223, 'select_destinations', 'selections = self._select_destinations('),
  '',
  ...frame(style, 'nova/scheduler/manager.py', 212, '_select_destinations', 'raise exception.NoValidHost(reason="")'),
  '',
  `nova.exception.NoValidHost: No valid host was found. ${reason}`,
  '',
];

const CONDUCTOR_SELECT_TB: string[] = [
  'Traceback (most recent call last):',
  ...frame(
    style,
    'nova/conductor/manager.py',
    1650,
    'schedule_and_build_instances',
    'host_lists = self._schedule_instances(context, request_specs[0],',
  ),
  ...frame(style, 'nova/conductor/manager.py', 942, '_schedule_instances', 'host_lists = self.query_client.select_destinations('),
  ...frame(
    style,
    'nova/scheduler/client/query.py',
    41,
    'select_destinations',
    'return self.scheduler_rpcapi.select_destinations(context, spec_obj,',
  ),
  ...frame(style, 'nova/scheduler/rpcapi.py', 160, 'select_destinations', "return cctxt.call(ctxt, 'select_destinations', **msg_args)"),
  ...frame(style, 'oslo_messaging/rpc/client.py', 190, 'call', 'result = self.transport._send('),
  ...frame(style, 'oslo_messaging/transport.py', 123, '_send', 'return self._driver.send(target, ctxt, message,'),
  ...frame(
    style,
    'oslo_messaging/_drivers/amqpdriver.py',
    689,
    'send',
    'return self._send(target, ctxt, message, wait_for_reply, timeout,',
  ),
  ...frame(style, 'oslo_messaging/_drivers/amqpdriver.py', 681, '_send', 'raise result'),
  `${exName(style, 'nova.exception_Remote.NoValidHost_Remote')}: No valid host was found. `,
  ...REMOTE_NOVALIDHOST(),
];

/** seed 001: the flavor asks 64 VCPU, every provider's VCPU max_unit is 48. */
function maxUnitBuild(h: Hosts, b: Build): void {
  buildRequest(h, b);
  placementCall(h, b.t + 150, b.req, 'GET', candidatesQuery(b), 200, 53, '1.36', [
    [`found 3 providers with available ${b.disk} DISK_GB`, 301],
    [`found 3 providers with available ${b.ram} MEMORY_MB`, 301],
    [`getting providers with ${b.vcpus} VCPU`, 126],
    [`found no providers with ${b.vcpus} VCPU`, 130],
  ]);
  scheduler(h).log(
    b.t + 200,
    'INFO',
    'nova.scheduler.manager',
    ctx(b.req),
    'Got no allocation candidates from the Placement API. This could be due to insufficient resources or a temporary occurrence as compute nodes start up.',
  );
  failBuild(h, b, b.t + 260);
}

/** Conductor's side of a NoValidHost: LOG.exception, set_vm_state_and_notify, bury in cell0. */
function failBuild(h: Hosts, b: Build, t: number): void {
  const c = conductor(h);
  const remote = exName(style, 'nova.exception_Remote.NoValidHost_Remote');
  c.log(t, 'ERROR', 'nova.conductor.manager', ctx(b.req), `Failed to schedule instances: ${remote}: No valid host was found. `, {
    cont: REMOTE_NOVALIDHOST(),
    tb: CONDUCTOR_SELECT_TB,
  });
  c.log(t + 40, 'WARNING', 'nova.scheduler.utils', ctx(b.req), 'Failed to compute_task_build_instances: No valid host was found. ', {
    cont: [...REMOTE_NOVALIDHOST().slice(0, -1), `: ${remote}: No valid host was found. `],
  });
  c.log(t + 42, 'WARNING', 'nova.scheduler.utils', ctx(b.req), `Setting instance to ERROR state.: ${remote}: No valid host was found. `, {
    instance: b.uuid,
  });
}

/** seed 004: the scheduler picks cmp03, which discover_hosts never mapped. */
function unmappedHostBuild(h: Hosts, b: Build): void {
  buildRequest(h, b);
  placementCall(h, b.t + 150, b.req, 'GET', candidatesQuery(b), 200, 3790, '1.36', [
    [`found 3 providers with available ${b.disk} DISK_GB`, 301],
    [`found 3 providers with available ${b.ram} MEMORY_MB`, 301],
    [`found 3 providers with available ${b.vcpus} VCPU`, 301],
  ]);
  const s = scheduler(h);
  s.log(b.t + 205, 'DEBUG', 'nova.scheduler.host_manager', ctx(b.req), `Found 3 compute nodes in cell ${UUIDS.cell1}`, {
    at: ['_get_computes_for_cells', 'nova/scheduler/host_manager.py', 645],
  });
  s.log(b.t + 210, 'DEBUG', 'nova.filters', ctx(b.req), 'Starting with 3 host(s)', { at: ['get_filtered_objects', 'nova/filters.py', 70] });
  s.log(
    b.t + 215,
    'DEBUG',
    'nova.scheduler.manager',
    ctx(b.req),
    `Weighed [WeighedHost [host: (${HOSTS.cmp03}, ${HOSTS.cmp03}) ram: 385330MB disk: 1780GB io_ops: 0 instances: 0, weight: 2.0], WeighedHost [host: (${HOSTS.cmp01}, ${HOSTS.cmp01}) ram: 180212MB disk: 1650GB io_ops: 0 instances: 3, weight: 1.1]]`,
    { at: ['_get_sorted_hosts', 'nova/scheduler/manager.py', 697] },
  );
  s.log(
    b.t + 220,
    'DEBUG',
    'nova.scheduler.utils',
    ctx(b.req),
    `Attempting to claim resources in the placement API for instance ${b.uuid}`,
    { at: ['claim_resources', 'nova/scheduler/utils.py', 1264] },
  );
  placementCall(h, b.t + 230, b.req, 'PUT', `/allocations/${b.uuid}`, 204, 0, '1.36');
  s.log(b.t + 260, 'WARNING', 'nova.scheduler.host_manager', ctx(b.req), `No host-to-cell mapping found for selected host ${HOSTS.cmp03}.`);
  conductor(h).log(
    b.t + 320,
    'ERROR',
    'nova.conductor.manager',
    ctx(b.req),
    `No host-to-cell mapping found for selected host ${HOSTS.cmp03}. Setup is incomplete.`,
  );
}

/** seed 002: live migration cmp01 → cmp02 refused by the destination's CPU compare. */
function cpuIncompatibleMigration(h: Hosts, t: number, req: string): void {
  const inst = UUIDS.web01;
  apiCall(h, t, req, 'POST', `/v2.1/servers/${inst}/action`, 202, 0, '2.95', 0.188);
  const c = conductor(h);
  c.log(t + 150, 'DEBUG', 'nova.conductor.tasks.migrate', ctx(req), `Created allocations for migration ${UUIDS.migFailed} on ${RP.cmp01}`, {
    instance: inst,
    at: ['replace_allocation_with_migration', 'nova/conductor/tasks/migrate.py', 88],
  });
  const dst = compute(h.cmp02);
  const u = 'http://libvirt.org/html/libvirt-libvirt-host.html#virCPUCompareResult';
  dst.log(t + 400, 'INFO', 'nova.virt.libvirt.driver', ctx(req), `Instance launched has CPU info: ${JSON.stringify(CPU_CASCADELAKE)}`);
  dst.log(t + 420, 'ERROR', 'nova.virt.libvirt.driver', ctx(req), "CPU doesn't have compatibility.", {
    cont: ['', '0', '', `Refer to ${u}`],
  });
  const preCheck = `${exName(style, 'nova.exception.MigrationPreCheckError')}: Migration pre-check error: Unacceptable CPU info: CPU doesn't have compatibility.`;
  dst.log(t + 430, 'ERROR', 'oslo_messaging.rpc.server', ctx(req), `Exception during message handling: ${preCheck}`, {
    tb: [
      'Traceback (most recent call last):',
      ...frame(
        style,
        'nova/virt/libvirt/driver.py',
        9658,
        'check_can_live_migrate_destination',
        'self._compare_cpu(None, source_cpu_info, instance)',
      ),
      ...frame(
        style,
        'nova/virt/libvirt/driver.py',
        10034,
        '_compare_cpu',
        "raise exception.InvalidCPUInfo(reason=m % {'ret': ret, 'u': u})",
      ),
      `${exName(style, 'nova.exception.InvalidCPUInfo')}: Unacceptable CPU info: CPU doesn't have compatibility.`,
      '',
      '0',
      '',
      `Refer to ${u}`,
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      ...frame(style, 'oslo_messaging/rpc/server.py', 244, 'inner', 'return func(*args, **kwargs)'),
      ...frame(style, 'nova/exception_wrapper.py', 65, 'wrapped', 'with excutils.save_and_reraise_exception():'),
      ...frame(style, 'nova/compute/utils.py', 1439, 'decorated_function', 'return function(self, context, *args, **kwargs)'),
      ...frame(style, 'nova/compute/manager.py', 214, 'decorated_function', 'compute_utils.add_instance_fault_from_exc(context,'),
      ...frame(
        style,
        'nova/compute/manager.py',
        8427,
        'check_can_live_migrate_destination',
        'dest_check_data = self.driver.check_can_live_migrate_destination(ctxt,',
      ),
      ...frame(
        style,
        'nova/virt/libvirt/driver.py',
        9662,
        'check_can_live_migrate_destination',
        'raise exception.MigrationPreCheckError(reason=e)',
      ),
      preCheck,
      '',
      '0',
      '',
      `Refer to ${u}`,
    ],
  });
  c.log(
    t + 470,
    'WARNING',
    'nova.scheduler.utils',
    ctx(req),
    `Failed to compute_task_migrate_server: Migration pre-check error: Unacceptable CPU info: CPU doesn't have compatibility.`,
    { cont: ['', '0', '', `Refer to ${u}`] },
  );
  c.log(t + 472, 'WARNING', 'nova.scheduler.utils', ctx(req), 'Setting instance to ACTIVE state.', { instance: inst });
  placementCall(h, t + 480, req, 'POST', '/allocations', 204, 0, '1.36');
}

function successfulMigration(h: Hosts, t: number, req: string): void {
  const inst = UUIDS.db01;
  apiCall(h, t, req, 'POST', `/v2.1/servers/${inst}/action`, 202, 0, '2.95', 0.201);
  conductor(h).log(
    t + 150,
    'DEBUG',
    'nova.conductor.tasks.migrate',
    ctx(req),
    `Created allocations for migration ${UUIDS.migOk} on ${RP.cmp02}`,
    { instance: inst, at: ['replace_allocation_with_migration', 'nova/conductor/tasks/migrate.py', 88] },
  );
  const dst = compute(h.cmp01);
  dst.log(t + 400, 'INFO', 'nova.virt.libvirt.driver', ctx(req), `Instance launched has CPU info: ${JSON.stringify(CPU_BROADWELL)}`);
  const src = compute(h.cmp02);
  src.log(t + 2000, 'INFO', 'nova.virt.libvirt.migration', ctx(req), 'Increasing downtime to 50 ms after 0 sec elapsed time', {
    instance: inst,
  });
  src.log(t + 9000, 'INFO', 'nova.virt.libvirt.driver', ctx(req), 'Migration operation has completed', { instance: inst });
  src.log(t + 9100, 'INFO', 'nova.compute.manager', ctx(req), `_post_live_migration() is started..`, { instance: inst });
  placementCall(h, t + 9500, req, 'DELETE', `/allocations/${UUIDS.migOk}`, 204, 0, '1.28');
  src.log(t + 9600, 'INFO', 'nova.scheduler.client.report', ctx(req), `Deleted allocation for migration ${UUIDS.migOk}`);
  src.log(t + 9900, 'INFO', 'nova.compute.manager', ctx(req), `Migrating instance to ${HOSTS.cmp01} finished successfully.`, {
    instance: inst,
  });
}

/** Every minute on each compute: the resource tracker's audit. Seeds 003 and the leaked migration consumer show here. */
function periodicAudits(h: Hosts): void {
  for (let m = 0; m < 60 * 8; m += 1) {
    const t = at(8, 0, 0) + m * 60_000;
    for (const [c, name, rp] of [
      [h.cmp01, HOSTS.cmp01, RP.cmp01],
      [h.cmp02, HOSTS.cmp02, RP.cmp02],
    ] as const) {
      const req = id.req();
      const l = compute(c);
      l.log(
        t + 11,
        'DEBUG',
        'nova.compute.resource_tracker',
        periodic(req),
        `Auditing locally available compute resources for ${name} (node: ${name})`,
        { at: ['update_available_resource', 'nova/compute/resource_tracker.py', 910] },
      );
      if (c === h.cmp02 && t >= at(14, 1)) {
        l.log(
          t + 460,
          'WARNING',
          'nova.compute.resource_tracker',
          periodic(req),
          `Instance ${UUIDS.batch3} is not being actively managed by this compute host but has allocations referencing this compute host: {'resources': {'VCPU': 12, 'MEMORY_MB': 32768, 'DISK_GB': 80}}. Skipping heal of allocation because we do not know what to do.`,
        );
      }
      if (c === h.cmp01) {
        l.log(
          t + 470,
          'INFO',
          'nova.compute.resource_tracker',
          periodic(req),
          `Instance ${UUIDS.migOld} has allocations against this compute host but is not found in the database.`,
        );
      }
      l.log(
        t + 520,
        'INFO',
        'nova.compute.resource_tracker',
        periodic(req),
        `Final resource view: name=${name} phys_ram=196214MB used_ram=45056MB phys_disk=1787GB used_disk=160GB total_vcpus=48 used_vcpus=16 pci_stats=[]`,
      );
      // The report client reads the provider's allocations; placement logs the compute's request id as global id.
      if (m % 15 === 0)
        placementCall(
          h,
          t + 300 + (c === h.cmp01 ? 0 : 40),
          req,
          'GET',
          `/resource_providers/${rp}/allocations`,
          200,
          812,
          '1.0',
          [],
          c === h.cmp01 ? '10.0.0.21' : '10.0.0.22',
          'nova-compute',
        );
      if (m % 10 === 3) {
        const r2 = id.req();
        if (c === h.cmp02 && t >= at(14, 1)) {
          l.log(
            t + 30_000,
            'WARNING',
            'nova.compute.manager',
            periodic(r2),
            'While synchronizing instance power states, found 1 instances in the database and 2 instances on the hypervisor.',
          );
        } else {
          l.log(
            t + 30_000,
            'DEBUG',
            'nova.compute.manager',
            periodic(r2),
            `Triggering sync for uuid ${c === h.cmp01 ? UUIDS.web01 : UUIDS.cache02}`,
            { at: ['_sync_power_states', 'nova/compute/manager.py', 10218] },
          );
        }
      }
    }
  }
  // A benign deprecation warning at every service start.
  for (const c of [h.cmp01, h.cmp02]) {
    compute(c).log(
      at(7, 59, 50),
      'WARNING',
      'oslo_config.cfg',
      undefined,
      'Deprecated: Option "live_migration_tunnelled" from group "libvirt" is deprecated for removal (The "tunnelled live migration" has two inherent limitations). Its value may be silently ignored in the future.',
    );
  }
}

// ───────────────────────── the cloud ─────────────────────────

export function buildAntelope(): Cloud {
  id = new Ids(20241003);
  const h: Hosts = {
    ctl: host('ctl01', 'sosreport-ctl01-2024-10-02-kqzvmra', 'xz', 0),
    cmp01: host('cmp01', 'sosreport-cmp01-2024-10-02-hwdpxel', 'gzip', 2350),
    cmp02: host('cmp02', 'sosreport-cmp02-2024-10-02-tnfoubc', 'dir', -800),
  };

  const builds: Record<string, Build> = {
    web01: { t: at(9, 0, 1, 120), req: id.req(), uuid: UUIDS.web01, name: 'web-01', vcpus: 2, ram: 4096, disk: 20 },
    db01: { t: at(9, 10, 4, 500), req: id.req(), uuid: UUIDS.db01, name: 'db-01', vcpus: 4, ram: 8192, disk: 40 },
    bigvm: { t: at(9, 30, 12, 250), req: id.req(), uuid: UUIDS.bigvm, name: 'bigvm', vcpus: 64, ram: 131072, disk: 40 },
    app07: { t: at(11, 20, 30, 10), req: id.req(), uuid: UUIDS.app07, name: 'app-07', vcpus: 2, ram: 4096, disk: 20 },
  };
  successfulBuild(h, builds.web01, h.cmp01, RP.cmp01);
  successfulBuild(h, builds.db01, h.cmp02, RP.cmp02);
  maxUnitBuild(h, builds.bigvm);
  unmappedHostBuild(h, builds.app07);
  const migReq = id.req();
  cpuIncompatibleMigration(h, at(13, 0, 5, 700), migReq);
  const migOkReq = id.req();
  successfulMigration(h, at(13, 30, 2, 300), migOkReq);
  periodicAudits(h);

  const db = rows(builds, migReq, migOkReq);
  return {
    name: 'antelope-kolla',
    description: 'kolla-ansible 2023.1: seeds 001, 002, 003 and 004 on one day, with decoys',
    hosts: [h.ctl, h.cmp01, h.cmp02].map((x) => finish(x)),
    db,
    dumpHost: h.ctl.name,
    dumpPath: 'sos_commands/mysql/mysqldump_--all-databases',
    expect: {
      builds,
      migrationRequest: migReq,
      okMigrationRequest: migOkReq,
      missingOnCmp02: MISSING_ON_CMP02,
    },
  };

  function finish(x: SampleHost): SampleHost {
    x.files.set('sos_commands/host/hostname', `${x.name}\n`);
    x.files.set('version.txt', 'sosreport: 4.7.2\n');
    x.files.set('sos_commands/date/date', 'Wed Oct  2 16:05:12 UTC 2024\n');
    return x;
  }

  function rows(b: Record<string, Build>, _mig: string, _migOk: string): DbRows {
    void _mig;
    void _migOk;
    return antelopeRows(b, h);
  }
}

// ───────────────────────── database ─────────────────────────

function antelopeRows(b: Record<string, Build>, h: Hosts): DbRows {
  const stamp = (t: number): string => new Date(t).toISOString().slice(0, 19).replace('T', ' ');
  const created = '2024-09-01 08:00:00';
  const novaConf = (cpuMode: string): string =>
    [
      '[DEFAULT]',
      'debug = True',
      `transport_url = rabbit://openstack:Rabb1tS3cret@10.0.0.10:5672//`,
      '',
      '[libvirt]',
      'virt_type = kvm',
      `cpu_mode = ${cpuMode}`,
      '',
      '[placement]',
      'auth_type = password',
      'password = Pl4cementPass',
      '',
      '[database]',
      'connection = mysql+pymysql://nova:N0vaDbPass@10.0.0.10:3306/nova',
      '',
    ].join('\n');
  h.ctl.files.set('etc/kolla/nova-conductor/nova.conf', novaConf('host-model'));
  h.cmp01.files.set('etc/kolla/nova-compute/nova.conf', novaConf('host-model'));
  h.cmp02.files.set('etc/kolla/nova-compute/nova.conf', novaConf('host-model'));
  h.cmp02.files.set(
    'sos_commands/libvirt/virsh_-r_list_--all',
    [
      ' Id   Name                State',
      '------------------------------------',
      ' 1    instance-0000000b   running',
      ' -    instance-000150a8   shut off',
      '',
    ].join('\n'),
  );
  h.cmp02.files.set(
    'sos_commands/libvirt/virsh_-r_dominfo_instance-000150a8',
    [
      'Id:             -',
      'Name:           instance-000150a8',
      `UUID:           ${UUIDS.batch3}`,
      'OS Type:        hvm',
      'State:          shut off',
      'CPU(s):         12',
      'Max memory:     33554432 KiB',
      'Used memory:    33554432 KiB',
      'Persistent:     yes',
      'Autostart:      disable',
      'Managed save:   no',
      'Security model: apparmor',
      'Security DOI:   0',
      '',
    ].join('\n'),
  );
  h.cmp02.files.set(
    'sos_commands/libvirt/virsh_-r_dominfo_instance-0000000b',
    [
      'Id:             1',
      'Name:           instance-0000000b',
      `UUID:           ${UUIDS.cache02}`,
      'OS Type:        hvm',
      'State:          running',
      'CPU(s):         2',
      'Max memory:     4194304 KiB',
      'Used memory:    4194304 KiB',
      'Persistent:     yes',
      'Autostart:      disable',
      'Managed save:   no',
      'Security model: apparmor',
      'Security DOI:   0',
      '',
    ].join('\n'),
  );
  for (const [c, cpu] of [
    [h.cmp01, CPU_CASCADELAKE],
    [h.cmp02, CPU_BROADWELL],
  ] as const) {
    c.files.set(
      'sos_commands/libvirt/virsh_-r_capabilities',
      [
        '<capabilities>',
        '',
        '  <host>',
        '    <uuid>4c4c4544-0042-3510-8052-b4c04f4e4a32</uuid>',
        '    <cpu>',
        `      <arch>${cpu.arch}</arch>`,
        `      <model>${cpu.model}</model>`,
        `      <vendor>${cpu.vendor}</vendor>`,
        `      <topology sockets='1' dies='1' cores='12' threads='2'/>`,
        ...cpu.features.map((f) => `      <feature name='${f}'/>`),
        '    </cpu>',
        '  </host>',
        '</capabilities>',
        '',
      ].join('\n'),
    );
  }

  const inst = (
    n: number,
    uuid: string,
    name: string,
    host: string | null,
    vm: string,
    vcpus: number,
    mem: number,
    disk: number,
    deleted = 0,
    deletedAt: string | null = null,
  ) => ({
    created_at: created,
    updated_at: created,
    deleted_at: deletedAt,
    id: n,
    internal_id: null,
    user_id: ADMIN_USER,
    project_id: PROJECT,
    image_ref: 'c5b2a0e2-7a43-4f4b-9d55-6c0b1f3bd1a2',
    kernel_id: '',
    ramdisk_id: '',
    launch_index: 0,
    key_name: null,
    key_data: null,
    power_state: vm === 'active' ? 1 : vm === 'error' ? 0 : 4,
    vm_state: vm,
    memory_mb: mem,
    vcpus,
    hostname: name,
    host,
    user_data: null,
    reservation_id: `r-${uuid.slice(0, 8)}`,
    launched_at: host ? created : null,
    terminated_at: null,
    display_name: name,
    display_description: name,
    availability_zone: host ? 'nova' : null,
    locked: 0,
    os_type: null,
    launched_on: host,
    instance_type_id: 3,
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
    cleaned: 0,
    ephemeral_key_uuid: null,
    hidden: 0,
    compute_id: null,
  });

  return {
    nova: {
      instances: [
        inst(1, UUIDS.web01, 'web-01', HOSTS.cmp01, 'active', 2, 4096, 20),
        inst(2, UUIDS.db01, 'db-01', HOSTS.cmp01, 'active', 4, 8192, 40),
        inst(3, UUIDS.cache02, 'cache-02', HOSTS.cmp02, 'active', 2, 4096, 20),
        // seed 003: "update instances set deleted=1 … where uuid=…" — nova's soft delete sets deleted=id
        inst(80123, UUIDS.batch3, 'batch-3', HOSTS.cmp02, 'deleted', 12, 32768, 80, 1, '2024-10-02 14:00:31'),
        inst(4, UUIDS.web02, 'web-02', HOSTS.cmp01, 'active', 2, 4096, 20),
      ],
      compute_nodes: [
        [1, HOSTS.cmp01, RP.cmp01, CPU_CASCADELAKE],
        [2, HOSTS.cmp02, RP.cmp02, CPU_BROADWELL],
        [3, HOSTS.cmp03, RP.cmp03, CPU_CASCADELAKE],
      ].map(([n, name, uuid, cpu]) => ({
        created_at: created,
        updated_at: '2024-10-02 16:00:00',
        deleted_at: null,
        id: n,
        service_id: null,
        vcpus: 48,
        memory_mb: 196214,
        local_gb: 1787,
        vcpus_used: 16,
        memory_mb_used: 45056,
        local_gb_used: 160,
        hypervisor_type: 'QEMU',
        hypervisor_version: 6002000,
        cpu_info: JSON.stringify(cpu),
        disk_available_least: 1500,
        free_ram_mb: 151158,
        free_disk_gb: 1627,
        current_workload: 0,
        running_vms: 3,
        hypervisor_hostname: name,
        deleted: 0,
        host_ip: `10.0.0.${20 + (n as number)}`,
        supported_instances: '[["x86_64", "kvm", "hvm"]]',
        pci_stats:
          '{"nova_object.name": "PciDevicePoolList", "nova_object.namespace": "nova", "nova_object.version": "1.1", "nova_object.data": {"objects": []}}',
        metrics: '[]',
        extra_resources: null,
        stats: '{"failed_builds": "0"}',
        numa_topology: null,
        host: name,
        ram_allocation_ratio: 1.0,
        cpu_allocation_ratio: 4.0,
        uuid,
        disk_allocation_ratio: 1.0,
        mapped: n === 3 ? 0 : 1,
      })) as Row[],
      services: [
        [1, HOSTS.ctl01, 'nova-scheduler', 'scheduler'],
        [2, HOSTS.ctl01, 'nova-conductor', 'conductor'],
        [3, HOSTS.cmp01, 'nova-compute', 'compute'],
        [4, HOSTS.cmp02, 'nova-compute', 'compute'],
        [5, HOSTS.cmp03, 'nova-compute', 'compute'],
      ].map(([n, hostName, binary, topic]) => ({
        created_at: n === 5 ? '2024-10-02 11:00:04' : created,
        updated_at: '2024-10-02 16:00:00',
        deleted_at: null,
        id: n,
        host: hostName,
        binary,
        topic,
        report_count: 40000,
        disabled: 0,
        deleted: 0,
        disabled_reason: null,
        last_seen_up: '2024-10-02 16:00:00',
        forced_down: 0,
        version: 66,
        uuid: id.uuid(),
      })),
      migrations: [
        mig(1, UUIDS.migOld, UUIDS.web02, HOSTS.cmp01, HOSTS.cmp02, 'error', '2024-09-20 10:00:00'),
        mig(2, UUIDS.migFailed, UUIDS.web01, HOSTS.cmp01, HOSTS.cmp02, 'error', stamp(at(13, 0, 6))),
        mig(3, UUIDS.migOk, UUIDS.db01, HOSTS.cmp02, HOSTS.cmp01, 'completed', stamp(at(13, 30, 12))),
      ],
      instance_faults: [],
      instance_actions: [],
      instance_actions_events: [],
    },
    nova_cell0: {
      instances: [inst(1, UUIDS.bigvm, 'bigvm', null, 'error', 64, 131072, 40), inst(2, UUIDS.app07, 'app-07', null, 'error', 2, 4096, 20)],
      instance_faults: [
        {
          created_at: stamp(b.bigvm.t + 300),
          updated_at: null,
          deleted_at: null,
          id: 1,
          instance_uuid: UUIDS.bigvm,
          code: 500,
          message: 'No valid host was found. ',
          details:
            'Traceback (most recent call last):\n  File "/var/lib/kolla/venv/lib/python3.10/site-packages/nova/conductor/manager.py", line 1650, in schedule_and_build_instances\n    host_lists = self._schedule_instances(context, request_specs[0],\nnova.exception.NoValidHost: No valid host was found. \n',
          host: null,
          deleted: 0,
        },
        {
          created_at: stamp(b.app07.t + 330),
          updated_at: null,
          deleted_at: null,
          id: 2,
          instance_uuid: UUIDS.app07,
          code: 500,
          message: `Host '${HOSTS.cmp03}' is not mapped to any cell`,
          details:
            'Traceback (most recent call last):\n  File "/var/lib/kolla/venv/lib/python3.10/site-packages/nova/conductor/manager.py", line 1678, in schedule_and_build_instances\n    host_mapping = objects.HostMapping.get_by_host(\nnova.exception.HostMappingNotFound: Host \'' +
            HOSTS.cmp03 +
            "' is not mapped to any cell\n",
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
          uuid: UUIDS.cell0,
          name: 'cell0',
          transport_url: 'none:///',
          database_connection: 'mysql+pymysql://nova:N0vaDbPass@10.0.0.10:3306/nova_cell0',
          disabled: 0,
        },
        {
          created_at: created,
          updated_at: null,
          id: 2,
          uuid: UUIDS.cell1,
          name: null,
          transport_url: 'rabbit://openstack:Rabb1tS3cret@10.0.0.10:5672//',
          database_connection: 'mysql+pymysql://nova:N0vaDbPass@10.0.0.10:3306/nova',
          disabled: 0,
        },
      ],
      host_mappings: [
        { created_at: created, updated_at: null, id: 1, cell_id: 2, host: HOSTS.cmp01 },
        { created_at: created, updated_at: null, id: 2, cell_id: 2, host: HOSTS.cmp02 },
      ],
      instance_mappings: [
        [1, UUIDS.web01, 2],
        [2, UUIDS.db01, 2],
        [3, UUIDS.cache02, 2],
        [4, UUIDS.bigvm, 1],
        [5, UUIDS.app07, 1],
        [6, UUIDS.batch3, 2],
        [7, UUIDS.web02, 2],
      ].map(([n, u, cell]) => ({
        created_at: created,
        updated_at: null,
        id: n,
        instance_uuid: u,
        cell_id: cell,
        project_id: PROJECT,
        queued_for_delete: 0,
        user_id: ADMIN_USER,
      })),
      request_specs: [b.web01, b.db01, b.bigvm, b.app07].map((x, i) => ({
        created_at: created,
        updated_at: null,
        id: i + 1,
        instance_uuid: x.uuid,
        spec: JSON.stringify({
          'nova_object.name': 'RequestSpec',
          'nova_object.namespace': 'nova',
          'nova_object.version': '1.14',
          'nova_object.data': {
            instance_uuid: x.uuid,
            num_instances: 1,
            project_id: PROJECT,
            user_id: ADMIN_USER,
            flavor: {
              'nova_object.name': 'Flavor',
              'nova_object.namespace': 'nova',
              'nova_object.version': '1.2',
              'nova_object.data': {
                name: x.vcpus === 64 ? 'm1.xhuge' : x.vcpus === 4 ? 'm1.large' : 'm1.medium',
                vcpus: x.vcpus,
                memory_mb: x.ram,
                root_gb: x.disk,
                ephemeral_gb: 0,
                swap: 0,
                extra_specs: {},
              },
            },
          },
        }),
      })),
      build_requests: [],
      flavors: [
        [1, 'm1.medium', 2, 4096, 20],
        [2, 'm1.large', 4, 8192, 40],
        [3, 'm1.xhuge', 64, 131072, 40],
      ].map(([n, name, vcpus, mem, disk]) => ({
        created_at: created,
        updated_at: null,
        name,
        id: n,
        memory_mb: mem,
        vcpus,
        swap: 0,
        vcpu_weight: null,
        flavorid: String(n),
        rxtx_factor: 1.0,
        root_gb: disk,
        ephemeral_gb: 0,
        disabled: 0,
        is_public: 1,
        description: null,
      })),
    },
    placement: placementRows(b),
  };

  function mig(n: number, uuid: string, instance: string, src: string, dst: string, status: string, when: string) {
    return {
      created_at: when,
      updated_at: when,
      deleted_at: null,
      id: n,
      source_compute: src,
      dest_compute: dst,
      dest_host: dst.startsWith('cmp01') ? '10.0.0.21' : '10.0.0.22',
      status,
      instance_uuid: instance,
      old_instance_type_id: null,
      new_instance_type_id: null,
      source_node: src,
      dest_node: dst,
      deleted: 0,
      migration_type: 'live-migration',
      hidden: 0,
      memory_total: null,
      memory_processed: null,
      memory_remaining: null,
      disk_total: null,
      disk_processed: null,
      disk_remaining: null,
      uuid,
      cross_cell_move: 0,
      user_id: ADMIN_USER,
      project_id: PROJECT,
      dest_compute_id: null,
    };
  }
}

function placementRows(b: Record<string, Build>) {
  const created = '2024-09-01 08:00:00';
  const rps = [
    [1, RP.cmp01, HOSTS.cmp01],
    [2, RP.cmp02, HOSTS.cmp02],
    [3, RP.cmp03, HOSTS.cmp03],
  ] as const;
  let invId = 0;
  const inventories = rps.flatMap(([n]) => [
    {
      created_at: created,
      updated_at: null,
      id: ++invId,
      resource_provider_id: n,
      resource_class_id: 0,
      total: 48,
      reserved: 0,
      min_unit: 1,
      max_unit: 48,
      step_size: 1,
      allocation_ratio: 4,
    },
    {
      created_at: created,
      updated_at: null,
      id: ++invId,
      resource_provider_id: n,
      resource_class_id: 1,
      total: 196214,
      reserved: 4096,
      min_unit: 1,
      max_unit: 196214,
      step_size: 1,
      allocation_ratio: 1,
    },
    {
      created_at: created,
      updated_at: null,
      id: ++invId,
      resource_provider_id: n,
      resource_class_id: 2,
      total: 1787,
      reserved: 0,
      min_unit: 1,
      max_unit: 1787,
      step_size: 1,
      allocation_ratio: 1,
    },
  ]);
  let allocId = 0;
  const alloc = (rp: number, consumer: string, vcpu: number, mem: number, disk: number) =>
    [
      [0, vcpu],
      [1, mem],
      [2, disk],
    ].map(([rc, used]) => ({
      created_at: created,
      updated_at: null,
      id: ++allocId,
      resource_provider_id: rp,
      consumer_id: consumer,
      resource_class_id: rc,
      used,
    }));
  const allocations = [
    ...alloc(1, UUIDS.web01, 2, 4096, 20),
    ...alloc(1, UUIDS.db01, 4, 8192, 40),
    ...alloc(2, UUIDS.cache02, 2, 4096, 20),
    ...alloc(2, UUIDS.batch3, 12, 32768, 80),
    ...alloc(1, UUIDS.web02, 2, 4096, 20),
    // the failed live migration of 2024-09-20 kept the source allocation under its migration uuid
    ...alloc(1, UUIDS.migOld, 2, 4096, 20),
    // the scheduler's claim for app-07 on unmapped cmp03 was never cleaned
    ...alloc(3, UUIDS.app07, 2, 4096, 20),
  ];
  void b;
  const consumers = [...new Set(allocations.map((a) => a.consumer_id))].map((u, i) => ({
    created_at: created,
    updated_at: null,
    id: i + 1,
    uuid: u,
    project_id: 1,
    user_id: 1,
    generation: 1,
    consumer_type_id: u === UUIDS.migOld ? 2 : 1,
  }));
  return {
    resource_providers: rps.map(([n, uuid, name]) => ({
      created_at: created,
      updated_at: null,
      id: n,
      uuid,
      name,
      generation: 40,
      root_provider_id: n,
      parent_provider_id: null,
    })),
    inventories,
    allocations,
    consumers,
    projects: [{ created_at: created, updated_at: null, id: 1, external_id: PROJECT }],
    users: [{ created_at: created, updated_at: null, id: 1, external_id: ADMIN_USER }],
    consumer_types: [
      { created_at: created, updated_at: null, id: 1, name: 'INSTANCE' },
      { created_at: created, updated_at: null, id: 2, name: 'MIGRATION' },
    ],
    resource_classes: [],
    traits: [],
  };
}
