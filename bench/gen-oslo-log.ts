import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A big, realistic oslo.log for the benchmark: the mix a nova-compute /
 * conductor / scheduler / placement deployment writes with `debug = True`.
 * Formats are copied from real logs (hotsos, sunbeam pod logs, the seeds):
 *
 *  - DEBUG with oslo's ` func /usr/lib/python3/dist-packages/…py:NN` suffix;
 *  - contexts `[None req-U user32 project32 - - default default]`,
 *    `[req-U - - - - -]`, `[None req-U - - - - - -]`, `[req-G req-L …]`, `[-]`;
 *  - `[instance: U] ` prefixes;
 *  - placement.requestlog (`Starting request:` and the access line),
 *    nova.api.openstack.requestlog, the older `*.wsgi.server` access lines;
 *  - ~1% of events are ERRORs followed by a traceback whose every line has
 *    the same `TS PID ERROR logger` prefix (optionally `[instance: U] `);
 *  - now and then a python2 `\uXXXX`-escaped message and a literal `\x1b[00m`.
 *
 * Deterministic: a seeded PRNG and a fixed start time, so a given size and
 * seed always give the same bytes. Time only goes forward. Everything is
 * ASCII (the escapes are text), so the byte count is the character count.
 * Lines are built as strings and written in ~4 MiB batches.
 */

/** Bump when the output changes, so cached files of an older generator are not reused. */
export const GEN_VERSION = 1;
export const DEFAULT_SEED = 20260101;
const MiB = 1 << 20;
const BATCH_CHARS = 4 * MiB;

export interface GenStats {
  bytes: number;
  lines: number;
  /** Lines that open an event (have a context bracket): what `events` should emit. */
  events: number;
  /** Events followed by a prefixed traceback. */
  tracebacks: number;
  /** Lines folded into the event above (traceback lines). */
  folded: number;
  firstTs: string;
  lastTs: string;
  seed: number;
  version: number;
}

export interface EnsureResult extends GenStats {
  path: string;
  cached: boolean;
  /** Seconds spent generating (0 when cached). */
  seconds: number;
}

// ───────────────────────────── randomness ─────────────────────────────

/** sfc32: small, fast, good enough, and the same everywhere. */
class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  /** [0, 1) */
  f(): number {
    return this.u32() / 4294967296;
  }
  /** [0, n) */
  int(n: number): number {
    return Math.floor(this.f() * n);
  }
  /** [lo, hi] */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.f() < p;
  }
}

const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(x: number): string {
  return HEX2[x >>> 24] + HEX2[(x >>> 16) & 255] + HEX2[(x >>> 8) & 255] + HEX2[x & 255];
}

function uuid(r: Rng): string {
  const a = hex8(r.u32());
  const b = hex8(r.u32());
  const c = hex8(r.u32());
  const d = hex8(r.u32());
  // version 4, variant 10xx, like uuid.uuid4()
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${'89ab'[c.charCodeAt(0) & 3]}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

function hex32(r: Rng): string {
  return hex8(r.u32()) + hex8(r.u32()) + hex8(r.u32()) + hex8(r.u32());
}

function mac(r: Rng): string {
  return `fa:16:3e:${HEX2[r.int(256)]}:${HEX2[r.int(256)]}:${HEX2[r.int(256)]}`;
}

function secs(r: Rng, max: number, digits = 3): string {
  return (r.f() * max).toFixed(digits);
}

// ───────────────────────────── time ─────────────────────────────

const PAD3: string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** Monotonic `YYYY-MM-DD HH:MM:SS.mmm`, formatted once per second. */
class Clock {
  private ms: number;
  private sec = -1;
  private secText = '';
  constructor(start: string) {
    this.ms = Date.parse(start);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  now(): string {
    const s = Math.floor(this.ms / 1000);
    if (s !== this.sec) {
      this.sec = s;
      this.secText = new Date(s * 1000).toISOString().slice(0, 19).replace('T', ' ');
    }
    return `${this.secText}.${PAD3[this.ms - s * 1000]}`;
  }
}

// ───────────────────────────── the world ─────────────────────────────

interface World {
  r: Rng;
  users: string[];
  projects: string[];
  instances: string[];
  providers: string[];
  computeHosts: string[];
  /** Requests in flight: events pick one, so an id recurs over a few lines. */
  requests: { id: string; user: string; project: string; global?: string; style: number }[];
}

function makeWorld(r: Rng): World {
  const users = Array.from({ length: 24 }, () => hex32(r));
  const projects = Array.from({ length: 16 }, () => hex32(r));
  const instances = Array.from({ length: 400 }, () => uuid(r));
  const providers = Array.from({ length: 40 }, () => uuid(r));
  const computeHosts = Array.from({ length: 40 }, (_, i) => `compute${i + 1}.mylab.home`);
  const w: World = { r, users, projects, instances, providers, computeHosts, requests: [] };
  for (let i = 0; i < 12; i++) w.requests.push(newRequest(w));
  return w;
}

function newRequest(w: World): World['requests'][number] {
  const r = w.r;
  const x = r.f();
  // 0: modern user request, 1: modern periodic/system, 2: older user, 3: older periodic, 4: with a global request id
  const style = x < 0.42 ? 0 : x < 0.72 ? 1 : x < 0.82 ? 2 : x < 0.95 ? 3 : 4;
  return {
    id: `req-${uuid(r)}`,
    user: r.pick(w.users),
    project: r.pick(w.projects),
    global: style === 4 ? `req-${uuid(r)}` : undefined,
    style,
  };
}

function context(w: World): string {
  const r = w.r;
  if (r.chance(0.06)) return '[-]';
  const slot = r.int(w.requests.length);
  if (r.chance(0.12)) w.requests[slot] = newRequest(w);
  const q = w.requests[slot];
  switch (q.style) {
    case 0:
      return `[None ${q.id} ${q.user} ${q.project} - - default default]`;
    case 1:
      return `[None ${q.id} - - - - - -]`;
    case 2:
      return `[${q.id} ${q.user} ${q.project} - default default]`;
    case 3:
      return `[${q.id} - - - - -]`;
    default:
      return `[${q.global} ${q.id} ${q.user} ${q.project} - default default]`;
  }
}

/** A user request's context (requestlog lines always have a user). */
function userContext(w: World): string {
  const r = w.r;
  const slot = r.int(w.requests.length);
  if (r.chance(0.3)) w.requests[slot] = newRequest(w);
  const q = w.requests[slot];
  return q.style === 2 ? `[${q.id} ${q.user} ${q.project} - default default]` : `[None ${q.id} ${q.user} ${q.project} - - default default]`;
}

// ───────────────────────────── services ─────────────────────────────

type Family = 'compute' | 'conductor' | 'scheduler' | 'placement' | 'api';

const PIDS: Record<Family, number[]> = {
  compute: [284971],
  conductor: [31027, 31031, 31034, 31038],
  scheduler: [175316, 175319],
  placement: [1590924, 1590925, 1590926],
  api: [45211, 45213, 45216],
};

const PY = '/usr/lib/python3/dist-packages';

const PERIODIC = [
  'ComputeManager._poll_rebooting_instances',
  'ComputeManager._poll_rescued_instances',
  'ComputeManager._poll_unconfirmed_resizes',
  'ComputeManager._instance_usage_audit',
  'ComputeManager._poll_volume_usage',
  'ComputeManager._reclaim_queued_deletes',
  'ComputeManager.update_available_resource',
  'ComputeManager._heal_instance_info_cache',
  'ComputeManager._sync_scheduler_instance_info',
  'ComputeManager._check_instance_build_time',
  'ComputeManager._sync_power_states',
  'ComputeManager._cleanup_expired_console_auth_tokens',
];

const LOCK_OWNERS = [
  ['compute_resources', 'nova.compute.resource_tracker.ResourceTracker._update_available_resource'],
  ['compute_resources', 'nova.compute.resource_tracker.ResourceTracker.instance_claim'],
  ['compute_resources', 'nova.compute.resource_tracker.ResourceTracker.update_usage'],
  ['compute_resources', 'nova.compute.resource_tracker.ResourceTracker.clean_compute_node_cache'],
  ['refresh_cache-INST', 'nova.network.neutron.API._get_instance_nw_info'],
  ['INST', 'nova.compute.manager.ComputeManager.build_and_run_instance.<locals>._locked_do_build_and_run_instance'],
  ['INST-events', 'nova.compute.manager.InstanceEvents.prepare_for_instance_event.<locals>._create_or_get_event'],
  ['PROV', 'nova.scheduler.host_manager.HostState.update.<locals>._locked_update'],
  ['placement_client', 'nova.scheduler.client.report.SchedulerReportClient._create_or_update_allocations'],
];

const FILTERS = [
  'AvailabilityZoneFilter',
  'ComputeFilter',
  'ComputeCapabilitiesFilter',
  'ImagePropertiesFilter',
  'ServerGroupAntiAffinityFilter',
  'ServerGroupAffinityFilter',
  'PciPassthroughFilter',
  'NUMATopologyFilter',
];

const FLAVORS = [
  [1, 512, 1],
  [1, 2048, 20],
  [2, 4096, 20],
  [4, 8192, 40],
  [8, 16384, 80],
  [12, 32768, 80],
  [16, 65536, 160],
  [64, 262144, 200],
] as const;

const MICROVERSIONS = ['1.0', '1.14', '1.17', '1.26', '1.28', '1.31', '1.34', '1.36', '1.39'];
const NOVA_MV = ['2.1', '2.37', '2.60', '2.72', '2.79', '2.88', '2.90'];
const API_IPS = ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.7', '10.11.10.1'];

function allocQuery(r: Rng): string {
  const [vcpu, ram, disk] = r.pick(FLAVORS);
  let q = `resources=VCPU%3A${vcpu}%2CMEMORY_MB%3A${ram}%2CDISK_GB%3A${disk}`;
  if (r.chance(0.3)) q += '&required=%21COMPUTE_STATUS_DISABLED';
  if (r.chance(0.1)) q += `&resources1=SRIOV_NET_VF%3A1&required1=CUSTOM_PHYSNET_PHYSNET1&group_policy=isolate`;
  if (r.chance(0.15)) q += `&member_of=in%3A${uuid(r)}`;
  return `${q}&limit=1000`;
}

function colour(r: Rng): string {
  // What the oslo colour formatter leaves on lines that reach a file (sunbeam pod logs).
  return r.chance(0.005) ? '\\x1b[00m' : '';
}

// One event = its opening line and any traceback lines; templates return the text after `TS PID `.

type Line = (w: World) => string;

const DEBUG: [number, Line][] = [
  [
    9,
    (w) => {
      const r = w.r;
      const [name, owner] = r.pick(LOCK_OWNERS);
      const n = name.replace('INST', r.pick(w.instances)).replace('PROV', r.pick(w.computeHosts));
      const which = r.int(3);
      if (which === 0)
        return `DEBUG oslo_concurrency.lockutils ${context(w)} Acquiring lock "${n}" by "${owner}" inner ${PY}/oslo_concurrency/lockutils.py:404`;
      if (which === 1)
        return `DEBUG oslo_concurrency.lockutils ${context(w)} Lock "${n}" acquired by "${owner}" :: waited ${secs(r, r.chance(0.95) ? 0.01 : 30)}s inner ${PY}/oslo_concurrency/lockutils.py:409`;
      return `DEBUG oslo_concurrency.lockutils ${context(w)} Lock "${n}" "released" by "${owner}" :: held ${secs(r, 2)}s inner ${PY}/oslo_concurrency/lockutils.py:423`;
    },
  ],
  [
    7,
    (w) =>
      `DEBUG oslo_service.periodic_task ${context(w)} Running periodic task ${w.r.pick(PERIODIC)} run_periodic_tasks ${PY}/oslo_service/periodic_task.py:210`,
  ],
  [
    3,
    (w) => {
      const r = w.r;
      const pci = r.chance(0.3)
        ? `[{"dev_id": "pci_0000_00_1f_0", "address": "0000:00:1f.0", "product_id": "a1c1", "vendor_id": "8086", "numa_node": 0, "label": "label_8086_a1c1", "dev_type": "type-PCI"}, {"dev_id": "pci_0000_03_00_0", "address": "0000:03:00.0", "product_id": "1015", "vendor_id": "15b3", "numa_node": 0, "label": "label_15b3_1015", "dev_type": "type-PF"}, {"dev_id": "pci_0000_03_00_1", "address": "0000:03:00.1", "product_id": "1016", "vendor_id": "15b3", "numa_node": 0, "label": "label_15b3_1016", "dev_type": "type-VF"}]`
        : 'None';
      return `DEBUG nova.compute.resource_tracker ${context(w)} Hypervisor/Node resource view: name=${r.pick(w.computeHosts)} free_ram=${r.range(2000, 380000)}MB free_disk=${r.range(10, 890)}GB free_vcpus=${r.range(0, 48)} pci_devices=${pci} _report_hypervisor_resource_view ${PY}/nova/compute/resource_tracker.py:1034`;
    },
  ],
  [
    4,
    (w) => {
      const r = w.r;
      return `DEBUG nova.scheduler.client.report ${context(w)} Inventory has not changed for provider ${r.pick(w.providers)} based on inventory data: {'VCPU': {'total': 48, 'min_unit': 1, 'max_unit': 48, 'step_size': 1, 'allocation_ratio': 4.0, 'reserved': 0}, 'MEMORY_MB': {'total': 385437, 'min_unit': 1, 'max_unit': 385437, 'step_size': 1, 'allocation_ratio': 1.0, 'reserved': 16384}, 'DISK_GB': {'total': 893, 'min_unit': 1, 'max_unit': 893, 'step_size': 1, 'allocation_ratio': 1.0, 'reserved': 0}} set_inventory_for_provider ${PY}/nova/scheduler/client/report.py:${r.chance(0.5) ? 940 : 954}`;
    },
  ],
  [
    6,
    (w) =>
      `DEBUG nova.compute.manager ${context(w)} [instance: ${w.r.pick(w.instances)}] Checking state _get_power_state ${PY}/nova/compute/manager.py:1594`,
  ],
  [
    2,
    (w) => {
      const r = w.r;
      const port = uuid(r);
      return `DEBUG nova.network.neutron ${context(w)} [instance: ${r.pick(w.instances)}] Updating instance_info_cache with network_info: [{"id": "${port}", "address": "${mac(r)}", "network": {"id": "${uuid(r)}", "bridge": "br-int", "label": "private", "subnets": [{"cidr": "10.0.0.0/24", "dns": [], "gateway": {"address": "10.0.0.1", "type": "gateway", "version": 4, "meta": {}}, "ips": [{"address": "10.0.0.${r.range(3, 250)}", "type": "fixed", "version": 4, "meta": {}, "floating_ips": []}], "routes": [], "version": 4, "meta": {"enable_dhcp": true}}], "meta": {"injected": false, "tenant_id": "${r.pick(w.projects)}", "mtu": 1442, "physical_network": null, "tunneled": true}}, "type": "ovs", "details": {"connectivity": "l2", "port_filter": true, "ovs_hybrid_plug": false, "datapath_type": "system", "bridge_name": "br-int"}, "devname": "tap${port.slice(0, 11)}", "ovs_interfaceid": "${port}", "qbh_params": null, "qbg_params": null, "active": true, "vnic_type": "normal", "profile": {}, "preserve_on_delete": false, "delegate_create": true, "meta": {}}] update_instance_cache_with_nw_info ${PY}/nova/network/neutron.py:117`;
    },
  ],
  [
    6,
    (w) => {
      const r = w.r;
      const k = r.int(3);
      if (k === 0)
        return `DEBUG oslo_messaging._drivers.amqpdriver ${context(w)} CALL msg_id: ${hex32(r)} exchange 'nova' topic '${r.pick(['conductor', 'scheduler', `compute.${r.pick(w.computeHosts)}`])}' _send ${PY}/oslo_messaging/_drivers/amqpdriver.py:624`;
      if (k === 1)
        return `DEBUG oslo_messaging._drivers.amqpdriver ${context(w)} received reply msg_id: ${hex32(r)} __call__ ${PY}/oslo_messaging/_drivers/amqpdriver.py:437`;
      return `DEBUG oslo_messaging._drivers.amqpdriver ${context(w)} received message with unique_id: ${hex32(r)} __call__ ${PY}/oslo_messaging/_drivers/amqpdriver.py:321`;
    },
  ],
  [
    5,
    (w) => {
      const r = w.r;
      if (r.chance(0.25))
        return `DEBUG nova.filters ${context(w)} Starting with ${r.range(1, 40)} host(s) get_filtered_objects ${PY}/nova/filters.py:70`;
      return `DEBUG nova.filters ${context(w)} Filter ${r.pick(FILTERS)} returned ${r.range(0, 40)} host(s) get_filtered_objects ${PY}/nova/filters.py:102`;
    },
  ],
  [
    3,
    (w) => {
      const r = w.r;
      if (r.chance(0.5))
        return `DEBUG nova.scheduler.host_manager ${context(w)} Update host state with aggregates: [Aggregate(created_at=2025-03-11T09:12:44Z,deleted=False,deleted_at=None,hosts=['${r.pick(w.computeHosts)}'],id=3,metadata={availability_zone='nova'},name='az1',updated_at=None,uuid=${r.pick(w.providers)})] _locked_update ${PY}/nova/scheduler/host_manager.py:172`;
      return `DEBUG nova.scheduler.host_manager ${context(w)} Update host state with instances: ['${r.pick(w.instances)}', '${r.pick(w.instances)}', '${r.pick(w.instances)}'] _locked_update ${PY}/nova/scheduler/host_manager.py:175`;
    },
  ],
  [
    2,
    (w) =>
      `DEBUG nova.scheduler.manager ${context(w)} Starting to schedule for instances: ['${w.r.pick(w.instances)}'] select_destinations ${PY}/nova/scheduler/manager.py:141`,
  ],
  [
    5,
    (w) =>
      `DEBUG placement.requestlog ${userContext(w)} Starting request: ${w.r.pick(API_IPS)} "GET /allocation_candidates?${allocQuery(w.r)}" __call__ ${PY}/placement/requestlog.py:55`,
  ],
  [
    3,
    (w) => {
      const r = w.r;
      const [vcpu, ram] = r.pick(FLAVORS);
      const k = r.int(3);
      if (k === 0)
        return `DEBUG placement.objects.research_context ${context(w)} getting providers with ${vcpu} VCPU get_provider_ids_matching ${PY}/placement/objects/research_context.py:642`;
      if (k === 1 && r.chance(0.2))
        return `DEBUG placement.objects.research_context ${context(w)} found no providers with ${ram} MEMORY_MB get_provider_ids_matching ${PY}/placement/objects/research_context.py:667`;
      return `DEBUG placement.objects.research_context ${context(w)} found ${r.range(1, 40)} providers with available ${vcpu} VCPU get_provider_ids_matching ${PY}/placement/objects/research_context.py:678`;
    },
  ],
  [
    3,
    (w) => {
      const r = w.r;
      const inst = r.pick(w.instances);
      if (r.chance(0.5))
        return `DEBUG oslo_concurrency.processutils ${context(w)} Running cmd (subprocess): /usr/bin/python3 -m oslo_concurrency.prlimit --as=1073741824 --cpu=30 -- env LC_ALL=C LANG=C qemu-img info /var/lib/nova/instances/${inst}/disk --force-share --output=json execute ${PY}/oslo_concurrency/processutils.py:384`;
      return `DEBUG oslo_concurrency.processutils ${context(w)} CMD "/usr/bin/python3 -m oslo_concurrency.prlimit --as=1073741824 --cpu=30 -- env LC_ALL=C LANG=C qemu-img info /var/lib/nova/instances/${inst}/disk --force-share --output=json" returned: 0 in ${secs(r, 0.2)}s execute ${PY}/oslo_concurrency/processutils.py:422`;
    },
  ],
  [
    3,
    (w) => {
      const r = w.r;
      const [vcpu, ram, disk] = r.pick(FLAVORS);
      return `DEBUG nova.compute.resource_tracker ${context(w)} Instance ${r.pick(w.instances)} actively managed on this compute host and has allocations in placement: {'resources': {'VCPU': ${vcpu}, 'MEMORY_MB': ${ram}, 'DISK_GB': ${disk}}}. _remove_deleted_instances_allocations ${PY}/nova/compute/resource_tracker.py:1577`;
    },
  ],
  [
    2,
    (w) => {
      const r = w.r;
      const steps = [
        'Creating image(s) _create_image',
        'Ensure instance console log exists: /var/lib/nova/instances/INST/console.log _ensure_console_log_for_instance',
        'Instance is running spawn',
        'Guest created on hypervisor spawn',
        'Start _get_guest_xml network_info=[] disk_info={"disk_bus": "virtio", "cdrom_bus": "sata"} image_meta=ImageMeta(...) _get_guest_xml',
      ];
      const inst = r.pick(w.instances);
      return `DEBUG nova.virt.libvirt.driver ${context(w)} [instance: ${inst}] ${r.pick(steps).replace('INST', inst)} ${PY}/nova/virt/libvirt/driver.py:${r.range(3900, 7600)}`;
    },
  ],
  [
    2,
    (w) =>
      `DEBUG nova.compute.manager ${context(w)} Triggering sync for uuid ${w.r.pick(w.instances)} _sync_power_states ${PY}/nova/compute/manager.py:10248`,
  ],
  [
    1,
    (w) =>
      `DEBUG nova.compute.provider_tree ${context(w)} Inventory has not changed in ProviderTree for provider: ${w.r.pick(w.providers)} update_inventory ${PY}/nova/compute/provider_tree.py:180`,
  ],
];

const INFO: [number, Line][] = [
  [
    9,
    (w) => {
      const r = w.r;
      const k = r.f();
      const ip = r.pick(API_IPS);
      if (k < 0.4)
        return `INFO placement.requestlog ${userContext(w)} ${ip} "GET /allocation_candidates?${allocQuery(r)}" status: 200 len: ${r.range(60, 90000)} microversion: ${r.pick(['1.29', '1.34', '1.36', '1.39'])}${colour(r)}`;
      if (k < 0.6)
        return `INFO placement.requestlog ${userContext(w)} ${ip} "GET /resource_providers/${r.pick(w.providers)}/allocations" status: 200 len: ${r.range(50, 4000)} microversion: 1.0${colour(r)}`;
      if (k < 0.75)
        return `INFO placement.requestlog ${userContext(w)} ${ip} "PUT /allocations/${r.pick(w.instances)}" status: ${r.chance(0.97) ? 204 : 409} len: 0 microversion: ${r.pick(['1.28', '1.36'])}${colour(r)}`;
      if (k < 0.85)
        return `INFO placement.requestlog ${userContext(w)} ${ip} "GET /resource_providers?in_tree=${r.pick(w.providers)}" status: 200 len: ${r.range(700, 900)} microversion: 1.14${colour(r)}`;
      if (k < 0.93)
        return `INFO placement.requestlog ${userContext(w)} ${ip} "GET /resource_providers/${r.pick(w.providers)}/inventories" status: 200 len: ${r.range(400, 500)} microversion: 1.26${colour(r)}`;
      return `INFO placement.requestlog ${userContext(w)} ${ip} "GET /traits?name=in:COMPUTE_STATUS_DISABLED,COMPUTE_NET_ATTACH_INTERFACE" status: 200 len: ${r.range(50, 120)} microversion: ${r.pick(MICROVERSIONS)}${colour(r)}`;
    },
  ],
  [
    5,
    (w) => {
      const r = w.r;
      const k = r.f();
      const ip = r.pick(API_IPS);
      const t = secs(r, 1.5, 6);
      if (k < 0.45)
        return `INFO nova.api.openstack.requestlog ${userContext(w)} ${ip} "GET /v2.1/servers/detail${r.chance(0.3) ? '?all_tenants=True' : ''}" status: 200 len: ${r.range(400, 60000)} microversion: ${r.pick(NOVA_MV)} time: ${t}${colour(r)}`;
      if (k < 0.65)
        return `INFO nova.api.openstack.requestlog ${userContext(w)} ${ip} "GET /v2.1/servers/${r.pick(w.instances)}" status: ${r.chance(0.95) ? 200 : 404} len: ${r.range(1500, 2600)} microversion: ${r.pick(NOVA_MV)} time: ${t}${colour(r)}`;
      if (k < 0.75)
        return `INFO nova.api.openstack.requestlog ${userContext(w)} ${ip} "POST /v2.1/servers" status: 202 len: ${r.range(400, 480)} microversion: ${r.pick(NOVA_MV)} time: ${t}${colour(r)}`;
      if (k < 0.8)
        return `INFO nova.api.openstack.requestlog ${userContext(w)} ${ip} "GET /v2.1/flavors/detail" status: 200 len: ${r.range(2000, 9000)} microversion: ${r.pick(NOVA_MV)} time: ${t}${colour(r)}`;
      if (k < 0.9)
        return `INFO nova.osapi_compute.wsgi.server ${userContext(w)} ${ip} "GET /v2/${r.pick(w.projects)}/servers/detail HTTP/1.1" status: 200 len: ${r.range(400, 9000)} time: ${secs(r, 1, 7)}`;
      return `INFO nova.metadata.wsgi.server ${context(w)} 10.0.0.${r.range(3, 250)},${ip} "GET /openstack/2013-10-17/meta_data.json HTTP/1.1" status: 200 len: ${r.range(1200, 1800)} time: ${secs(r, 0.1, 7)}`;
    },
  ],
  [
    4,
    (w) => {
      const r = w.r;
      const inst = r.pick(w.instances);
      const msgs = [
        `INFO nova.compute.claims ${context(w)} [instance: ${inst}] Claim successful on node ${r.pick(w.computeHosts)}`,
        `INFO nova.virt.libvirt.driver ${context(w)} [instance: ${inst}] Creating image(s)`,
        `INFO nova.virt.libvirt.driver ${context(w)} [instance: ${inst}] Instance spawned successfully.`,
        `INFO nova.compute.manager ${context(w)} [instance: ${inst}] Took ${secs(r, 40, 2)} seconds to spawn the instance on the hypervisor.`,
        `INFO nova.compute.manager ${context(w)} [instance: ${inst}] Took ${secs(r, 60, 2)} seconds to build instance.`,
        `INFO nova.compute.manager ${context(w)} [instance: ${inst}] VM Started (Lifecycle Event)`,
        `INFO nova.compute.manager ${context(w)} [instance: ${inst}] VM Resumed (Lifecycle Event)`,
        `INFO nova.compute.manager ${context(w)} [instance: ${inst}] During sync_power_state the instance has a pending task (spawning). Skip.`,
        `INFO nova.compute.manager ${context(w)} [instance: ${inst}] Terminating instance`,
        `INFO nova.virt.libvirt.driver ${context(w)} [instance: ${inst}] Instance destroyed successfully.`,
        `INFO nova.virt.libvirt.driver ${context(w)} [instance: ${inst}] Deleting instance files /var/lib/nova/instances/${inst}_del`,
      ];
      return r.pick(msgs);
    },
  ],
  [
    3,
    (w) => {
      const r = w.r;
      const used = r.range(2, 48);
      return `INFO nova.compute.resource_tracker ${context(w)} Final resource view: name=${r.pick(w.computeHosts)} phys_ram=385437MB used_ram=${r.range(16384, 380000)}MB phys_disk=893GB used_disk=${r.range(0, 880)}GB total_vcpus=48 used_vcpus=${used} pci_stats=[]`;
    },
  ],
  [
    1,
    (w) =>
      `INFO nova.scheduler.manager ${context(w)} Got no allocation candidates from the Placement API. This could be due to insufficient resources or a temporary occurrence as compute nodes start up.`,
  ],
  [
    1,
    (w) =>
      `INFO oslo.messaging._drivers.impl_rabbit ${context(w)} [${uuid(w.r)}] Reconnected to AMQP server on 10.0.0.10:5672 via [amqp] client with port ${w.r.range(32768, 60999)}.`,
  ],
  [
    1,
    (w) =>
      `INFO nova.compute.manager ${context(w)} Running instance usage audit for host ${w.r.pick(w.computeHosts)} from 2026-01-01 10:00:00 to 2026-01-01 11:00:00. ${w.r.range(0, 60)} instances.`,
  ],
];

const WARNING: [number, Line][] = [
  [
    3,
    (w) => {
      const r = w.r;
      const [vcpu, ram, disk] = r.pick(FLAVORS);
      return `WARNING nova.compute.resource_tracker ${context(w)} Instance ${r.pick(w.instances)} is not being actively managed by this compute host but has allocations referencing this compute host: {'resources': {'VCPU': ${vcpu}, 'MEMORY_MB': ${ram}, 'DISK_GB': ${disk}}}. Skipping heal of allocation because we do not know what to do.`;
    },
  ],
  [
    2,
    (w) =>
      `WARNING nova.compute.manager ${context(w)} While synchronizing instance power states, found ${w.r.range(20, 60)} instances in the database and ${w.r.range(20, 60)} instances on the hypervisor.`,
  ],
  [
    1,
    (w) =>
      `WARNING oslo_db.sqlalchemy.engines ${context(w)} SQL connection failed. ${w.r.range(1, 10)} attempts left.: oslo_db.exception.DBConnectionError: (pymysql.err.OperationalError) (2003, "Can't connect to MySQL server on '10.0.0.10' ([Errno 111] Connection refused)")`,
  ],
  [1, (w) => `WARNING nova.scheduler.utils ${context(w)} [instance: ${w.r.pick(w.instances)}] Setting instance to ERROR state.`],
  [
    1,
    (w) => {
      const r = w.r;
      const port = uuid(r);
      return `WARNING nova.virt.libvirt.driver ${context(w)} [instance: ${r.pick(w.instances)}] Timeout waiting for [('network-vif-plugged', '${port}')] for instance with vm_state building and task_state spawning. Event states are: network-vif-plugged-${port}: timed out after 300.00 seconds: eventlet.timeout.Timeout: 300 seconds`;
    },
  ],
  [
    1,
    (w) =>
      `WARNING oslo.messaging._drivers.impl_rabbit ${context(w)} Unexpected error during heartbeart thread processing, retrying...: amqp.exceptions.ConnectionForced: (0, 0): (320) CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'`,
  ],
  [
    1,
    (w) =>
      `WARNING nova.compute.manager ${context(w)} [instance: ${w.r.pick(w.instances)}] Received unexpected event network-vif-unplugged-${uuid(w.r)} for instance with vm_state active and task_state None.`,
  ],
];

const ERROR_PLAIN: [number, Line][] = [
  [
    3,
    (w) =>
      `ERROR oslo.messaging._drivers.impl_rabbit ${context(w)} Connection failed: [Errno 111] ECONNREFUSED (retrying in ${w.r.range(1, 32)}.0 seconds): ConnectionRefusedError: [Errno 111] ECONNREFUSED`,
  ],
  [
    1,
    (w) =>
      `ERROR nova.scheduler.client.report ${context(w)} Failed to retrieve allocation candidates from placement API for filters: RequestGroup(use_same_provider=False, resources={DISK_GB:20, MEMORY_MB:4096, VCPU:2}, traits=[], aggregates=[]) Got 503: <html><body><h1>503 Service Unavailable</h1></body></html>`,
  ],
  [
    1,
    (w) =>
      `ERROR nova.compute.manager ${context(w)} [instance: ${w.r.pick(w.instances)}] Build of instance ${w.r.pick(w.instances)} aborted: Failed to allocate the network(s), not rescheduling.`,
  ],
];

// ───────────────────────────── tracebacks ─────────────────────────────

type Frame = [file: string, line: number, func: string, code: string];

const FRAMES_SPAWN: Frame[] = [
  [`${PY}/nova/compute/manager.py`, 2743, '_build_resources', 'yield resources'],
  [`${PY}/nova/compute/manager.py`, 2503, '_build_and_run_instance', 'self.driver.spawn(context, instance, image_meta,'],
  [`${PY}/nova/virt/libvirt/driver.py`, 4356, 'spawn', 'self._create_guest_with_network('],
  [`${PY}/nova/virt/libvirt/driver.py`, 7226, '_create_guest_with_network', 'self._cleanup_failed_start('],
  [`${PY}/oslo_utils/excutils.py`, 227, '__exit__', 'self.force_reraise()'],
  [`${PY}/oslo_utils/excutils.py`, 200, 'force_reraise', 'raise self.value'],
  [`${PY}/nova/virt/libvirt/driver.py`, 7199, '_create_guest_with_network', 'guest = self._create_guest('],
  [`${PY}/nova/virt/libvirt/driver.py`, 7119, '_create_guest', 'guest.launch(pause=pause)'],
  [`${PY}/nova/virt/libvirt/guest.py`, 165, 'launch', "LOG.error('Error launching a defined domain '"],
  [`${PY}/nova/virt/libvirt/guest.py`, 163, 'launch', 'return self._domain.createWithFlags(flags)'],
  [`${PY}/eventlet/tpool.py`, 193, 'doit', 'result = proxy_call(self._autowrap, f, *args, **kwargs)'],
  [`${PY}/eventlet/tpool.py`, 151, 'proxy_call', 'rv = execute(f, *args, **kwargs)'],
  [`${PY}/eventlet/tpool.py`, 132, 'execute', 'six.reraise(c, e, tb)'],
  [`${PY}/eventlet/tpool.py`, 86, 'tworker', 'rv = meth(*args, **kwargs)'],
  [`${PY}/libvirt.py`, 1409, 'createWithFlags', "raise libvirtError('virDomainCreateWithFlags() failed')"],
];

const FRAMES_RPC: Frame[] = [
  [`${PY}/oslo_messaging/rpc/server.py`, 165, '_process_incoming', 'res = self.dispatcher.dispatch(message)'],
  [`${PY}/oslo_messaging/rpc/dispatcher.py`, 309, 'dispatch', 'return self._do_dispatch(endpoint, method, ctxt, args)'],
  [`${PY}/oslo_messaging/rpc/dispatcher.py`, 229, '_do_dispatch', 'result = func(ctxt, **new_args)'],
  [`${PY}/nova/exception_wrapper.py`, 71, 'wrapped', '_emit_versioned_exception_notification('],
  [`${PY}/oslo_utils/excutils.py`, 227, '__exit__', 'self.force_reraise()'],
  [`${PY}/oslo_utils/excutils.py`, 200, 'force_reraise', 'raise self.value'],
  [`${PY}/nova/exception_wrapper.py`, 63, 'wrapped', 'return f(self, context, *args, **kw)'],
  [`${PY}/nova/compute/utils.py`, 1439, 'decorated_function', 'return function(self, context, *args, **kwargs)'],
  [`${PY}/nova/compute/manager.py`, 213, 'decorated_function', 'compute_utils.add_instance_fault_from_exc(context,'],
  [`${PY}/nova/compute/manager.py`, 202, 'decorated_function', 'return function(self, context, *args, **kwargs)'],
  [`${PY}/nova/compute/manager.py`, 4076, 'reboot_instance', 'do_reboot_instance(context, instance, block_device_info, reboot_type)'],
  [`${PY}/nova/objects/instance.py`, 878, 'refresh', 'current = self.__class__.get_by_uuid(self._context, uuid=self.uuid,'],
  [`${PY}/nova/db/main/api.py`, 1411, 'instance_get_by_uuid', 'return _instance_get_by_uuid(context, uuid,'],
  [`${PY}/nova/db/main/api.py`, 1429, '_instance_get_by_uuid', 'raise exception.InstanceNotFound(instance_id=uuid)'],
];

const FRAMES_SCHED: Frame[] = [
  [
    `${PY}/nova/conductor/manager.py`,
    1579,
    'schedule_and_build_instances',
    'host_lists = self._schedule_instances(context, request_specs[0],',
  ],
  [`${PY}/nova/conductor/manager.py`, 940, '_schedule_instances', 'host_lists = self.query_client.select_destinations('],
  [
    `${PY}/nova/scheduler/client/query.py`,
    41,
    'select_destinations',
    'return self.scheduler_rpcapi.select_destinations(context, spec_obj,',
  ],
  [`${PY}/nova/scheduler/rpcapi.py`, 160, 'select_destinations', "return cctxt.call(ctxt, 'select_destinations', **msg_args)"],
  [`${PY}/oslo_messaging/rpc/client.py`, 189, 'call', 'result = self.transport._send('],
  [`${PY}/oslo_messaging/transport.py`, 123, '_send', 'return self._driver.send(target, ctxt, message,'],
  [`${PY}/oslo_messaging/_drivers/amqpdriver.py`, 689, 'send', 'return self._send(target, ctxt, message, wait_for_reply, timeout,'],
  [`${PY}/oslo_messaging/_drivers/amqpdriver.py`, 681, '_send', 'raise result'],
];

const FRAMES_RT: Frame[] = [
  [`${PY}/nova/compute/manager.py`, 10213, '_update_available_resource_for_node', 'self.rt.update_available_resource(context, nodename,'],
  [
    `${PY}/nova/compute/resource_tracker.py`,
    895,
    'update_available_resource',
    'self._update_available_resource(context, resources, startup=startup)',
  ],
  [`${PY}/oslo_concurrency/lockutils.py`, 391, 'inner', 'return f(*args, **kwargs)'],
  [`${PY}/nova/compute/resource_tracker.py`, 996, '_update_available_resource', 'self._update(context, cn, startup=startup)'],
  [`${PY}/nova/compute/resource_tracker.py`, 1249, '_update', 'self._update_to_placement(context, compute_node, startup)'],
  [`${PY}/retrying.py`, 49, 'wrapped_f', 'return Retrying(*dargs, **dkw).call(f, *args, **kw)'],
  [`${PY}/retrying.py`, 206, 'call', 'return attempt.get(self._wrap_exception)'],
  [`${PY}/retrying.py`, 247, 'get', 'six.reraise(self.value[0], self.value[1], self.value[2])'],
  [`${PY}/six.py`, 719, 'reraise', 'raise value'],
  [`${PY}/retrying.py`, 200, 'call', 'attempt = Attempt(fn(*args, **kwargs), attempt_number, False)'],
  [`${PY}/nova/compute/resource_tracker.py`, 1234, '_update_to_placement', 'self.reportclient.update_from_provider_tree('],
  [`${PY}/nova/scheduler/client/report.py`, 1498, 'update_from_provider_tree', 'self.set_inventory_for_provider('],
  [`${PY}/nova/scheduler/client/report.py`, 992, 'set_inventory_for_provider', 'raise exception.ResourceProviderUpdateConflict('],
];

function frames(r: Rng, pool: Frame[], out: string[]): void {
  // A contiguous run of the pool: tracebacks vary in depth.
  const start = r.int(Math.max(1, pool.length >> 2));
  const end = Math.min(pool.length, start + r.range(4, pool.length));
  for (let i = start; i < end; i++) {
    const [file, line, func, code] = pool[i];
    out.push(`  File "${file}", line ${line}, in ${func}`, `    ${code}`);
  }
}

const NOVALIDHOST_ZH = '\\u627e\\u4e0d\\u5230\\u6709\\u6548\\u4e3b\\u673a\\uff0c\\u539f\\u56e0\\u662f \\u3002';

/** An ERROR event and its traceback body (the text after the per-line prefix). */
function tracebackEvent(w: World): { head: string; logger: string; prefix: string; body: string[] } {
  const r = w.r;
  const k = r.int(4);
  const body: string[] = ['Traceback (most recent call last):'];
  if (k === 0) {
    const inst = r.pick(w.instances);
    frames(r, FRAMES_SPAWN, body);
    const err = `libvirt.libvirtError: internal error: qemu unexpectedly closed the monitor: ${r.chance(0.5) ? 'qemu-system-x86_64: -accel kvm: failed to initialize kvm: Permission denied' : 'Cannot allocate memory'}`;
    body.push(err);
    if (r.chance(0.5)) {
      body.push('', 'During handling of the above exception, another exception occurred:', '', 'Traceback (most recent call last):');
      frames(r, FRAMES_SPAWN.slice(0, 3), body);
      body.push(
        `nova.exception.RescheduledException: Build of instance ${inst} was re-scheduled: internal error: qemu unexpectedly closed the monitor`,
      );
    }
    return {
      head: `ERROR nova.compute.manager ${context(w)} [instance: ${inst}] Instance failed to spawn: ${err}`,
      logger: 'ERROR nova.compute.manager',
      prefix: `[instance: ${inst}] `,
      body,
    };
  }
  if (k === 1) {
    const inst = r.pick(w.instances);
    frames(r, FRAMES_RPC, body);
    body.push(`nova.exception.InstanceNotFound: Instance ${inst} could not be found.`);
    return {
      head: `ERROR oslo_messaging.rpc.server ${context(w)} Exception during message handling: nova.exception.InstanceNotFound: Instance ${inst} could not be found.`,
      logger: 'ERROR oslo_messaging.rpc.server',
      prefix: '',
      body,
    };
  }
  if (k === 2) {
    const zh = r.chance(0.1);
    frames(r, FRAMES_SCHED, body);
    body.push(
      zh
        ? `nova.exception_Remote.NoValidHost_Remote: ${NOVALIDHOST_ZH}`
        : 'nova.exception_Remote.NoValidHost_Remote: No valid host was found. There are not enough hosts available.',
    );
    const msg = zh
      ? `Failed to schedule instances: NoValidHost_Remote: ${NOVALIDHOST_ZH}`
      : 'Failed to schedule instances: nova.exception_Remote.NoValidHost_Remote: No valid host was found. There are not enough hosts available.';
    return { head: `ERROR nova.conductor.manager ${context(w)} ${msg}`, logger: 'ERROR nova.conductor.manager', prefix: '', body };
  }
  const host = r.pick(w.computeHosts);
  const prov = r.pick(w.providers);
  frames(r, FRAMES_RT, body);
  body.push(
    `nova.exception.ResourceProviderUpdateConflict: A conflict was encountered attempting to update resource provider ${prov} (generation ${r.range(1, 900)}): {"errors": [{"status": 409, "title": "Conflict", "detail": "There was a conflict when trying to complete your request.\\n\\n resource provider generation conflict  ", "code": "placement.concurrent_update", "request_id": "req-${uuid(r)}"}]}`,
  );
  return {
    head: `ERROR nova.compute.manager ${context(w)} Error updating resources for node ${host}.: nova.exception.ResourceProviderUpdateConflict: A conflict was encountered attempting to update resource provider ${prov}`,
    logger: 'ERROR nova.compute.manager',
    prefix: '',
    body,
  };
}

// ───────────────────────────── mix ─────────────────────────────

function table(entries: [number, Line][]): { cum: number[]; fns: Line[]; total: number } {
  const cum: number[] = [];
  const fns: Line[] = [];
  let total = 0;
  for (const [wgt, fn] of entries) {
    total += wgt;
    cum.push(total);
    fns.push(fn);
  }
  return { cum, fns, total };
}

function choose(r: Rng, t: ReturnType<typeof table>): Line {
  const x = r.f() * t.total;
  let i = 0;
  while (t.cum[i] <= x) i++;
  return t.fns[i];
}

const T_DEBUG = table(DEBUG);
const T_INFO = table(INFO);
const T_WARNING = table(WARNING);
const T_ERROR = table(ERROR_PLAIN);

/** Which process wrote a line, from its logger. */
function familyOf(line: string): Family {
  const sp = line.indexOf(' ');
  const logger = line.slice(sp + 1, line.indexOf(' ', sp + 1));
  if (logger.startsWith('placement')) return 'placement';
  if (logger.startsWith('nova.api') || logger.startsWith('nova.osapi') || logger.startsWith('nova.metadata')) return 'api';
  if (logger.startsWith('nova.scheduler') || logger.startsWith('nova.filters'))
    return logger === 'nova.scheduler.client.report' ? 'compute' : 'scheduler';
  if (logger.startsWith('nova.conductor')) return 'conductor';
  return 'compute';
}

/**
 * What the log holds:
 *  - `mixed`: a cloud in some trouble. DEBUG ~62%, INFO ~29%, WARNING ~5%,
 *    ERROR ~3%, and ~1% of all events carry a traceback (10–30 prefixed lines).
 *  - `quiet`: a cloud at rest, periodic DEBUG (70%) and INFO noise only.
 *  - `errors`: ERROR lines only, one line each (no traceback); a tenth of them
 *    the first line of a failure that names its exception (NoValidHost…).
 * `mixed` is the log the bench always made: its bytes do not depend on the option.
 */
export type Mix = 'mixed' | 'quiet' | 'errors';
export const MIXES: readonly Mix[] = ['mixed', 'quiet', 'errors'];

/** Writes `targetBytes` (rounded up to a whole event) of oslo.log to `path`, or `maxEvents` events if that comes first. */
export function generateOsloLog(
  path: string,
  targetBytes: number,
  seed = DEFAULT_SEED,
  mix: Mix = 'mixed',
  maxEvents = Infinity,
): GenStats {
  const r = new Rng(seed);
  const w = makeWorld(r);
  const clock = new Clock('2026-01-01T06:00:00.000Z');
  const fd = openSync(path, 'w');
  const stats: GenStats = { bytes: 0, lines: 0, events: 0, tracebacks: 0, folded: 0, firstTs: '', lastTs: '', seed, version: GEN_VERSION };
  let parts: string[] = [];
  let pending = 0;
  const flush = (): void => {
    if (pending === 0) return;
    writeSync(fd, parts.join(''), null, 'latin1');
    parts = [];
    pending = 0;
  };
  try {
    while (stats.bytes < targetBytes && stats.events < maxEvents) {
      // 2–40 ms between events, with a rare quiet gap; times never go back.
      clock.advance(r.chance(0.001) ? r.range(1000, 90000) : r.range(0, 38));
      const ts = clock.now();
      if (stats.events === 0) stats.firstTs = ts;
      stats.lastTs = ts;
      const x = r.f();
      let text: string;
      let tb: ReturnType<typeof tracebackEvent> | undefined;
      if (mix === 'quiet') text = x < 0.7 ? choose(r, T_DEBUG)(w) : choose(r, T_INFO)(w);
      else if (mix === 'errors') text = x < 0.9 ? choose(r, T_ERROR)(w) : tracebackEvent(w).head;
      else if (x < 0.62) text = choose(r, T_DEBUG)(w);
      else if (x < 0.91) text = choose(r, T_INFO)(w);
      else if (x < 0.96) text = choose(r, T_WARNING)(w);
      else if (x < 0.99) text = choose(r, T_ERROR)(w);
      else {
        tb = tracebackEvent(w);
        text = tb.head;
      }
      const fam = familyOf(text);
      const pids = PIDS[fam];
      const pid = pids.length === 1 ? pids[0] : pids[r.int(pids.length)];
      const head = `${ts} ${pid} `;
      let chunk = `${head}${text}\n`;
      stats.lines++;
      stats.events++;
      if (tb) {
        stats.tracebacks++;
        const p = `${head}${tb.logger} ${tb.prefix}`;
        for (const b of tb.body) chunk += `${p}${b}\n`;
        stats.lines += tb.body.length;
        stats.folded += tb.body.length;
      }
      parts.push(chunk);
      pending += chunk.length;
      stats.bytes += chunk.length;
      if (pending >= BATCH_CHARS) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return stats;
}

/** The file name of a cached log (the mixed log keeps the name it always had). */
export function logName(sizeMB: number, seed: number, mix: Mix, maxEvents = Infinity): string {
  const what = Number.isFinite(maxEvents) ? `${maxEvents}ev` : `${sizeMB}M`;
  return `oslo-bench-${mix === 'mixed' ? '' : `${mix}-`}${what}-s${seed}-v${GEN_VERSION}.log`;
}

/** The cached log of `sizeMB` MiB (or `maxEvents` events) in `dir`, generated (atomically: temp file, then rename) when absent. */
export function ensureOsloLog(dir: string, sizeMB: number, seed = DEFAULT_SEED, mix: Mix = 'mixed', maxEvents = Infinity): EnsureResult {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, logName(sizeMB, seed, mix, maxEvents));
  const metaPath = `${path}.meta.json`;
  if (existsSync(path) && existsSync(metaPath)) {
    try {
      const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as GenStats;
      if (meta.version === GEN_VERSION && meta.seed === seed) return { ...meta, path, cached: true, seconds: 0 };
    } catch {
      // regenerate
    }
  }
  const tmp = `${path}.tmp`;
  const t0 = process.hrtime.bigint();
  let stats: GenStats;
  try {
    stats = generateOsloLog(tmp, Number.isFinite(maxEvents) ? Infinity : sizeMB * MiB, seed, mix, maxEvents);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  renameSync(tmp, path);
  writeFileSync(metaPath, `${JSON.stringify(stats, null, 2)}\n`);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { ...stats, path, cached: false, seconds };
}

// `node dist/bench/gen-oslo-log.js [--size-mb N | --events N] [--mix mixed|quiet|errors] [--dir DIR] [--seed S] [--out FILE]`
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i === -1 ? undefined : process.argv[i + 1];
  };
  const sizeMB = Number(arg('--size-mb') ?? 1024);
  const seed = Number(arg('--seed') ?? DEFAULT_SEED);
  const out = arg('--out');
  const mix = (arg('--mix') ?? 'mixed') as Mix;
  const maxEvents = arg('--events') === undefined ? Infinity : Number(arg('--events'));
  if (!Number.isFinite(sizeMB) || sizeMB <= 0 || !(maxEvents > 0) || !MIXES.includes(mix)) {
    process.stderr.write('gen-oslo-log: --size-mb and --events want a positive number, --mix one of mixed, quiet, errors\n');
    process.exit(2);
  }
  const t0 = process.hrtime.bigint();
  const res = out
    ? { ...generateOsloLog(out, Number.isFinite(maxEvents) ? Infinity : sizeMB * MiB, seed, mix, maxEvents), path: out, cached: false }
    : ensureOsloLog(arg('--dir') ?? 'bench/data', sizeMB, seed, mix, maxEvents);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(
    `${res.path}: ${(res.bytes / MiB).toFixed(1)} MiB, ${res.lines} lines, ${res.events} events, ${res.tracebacks} tracebacks${res.cached ? ' (cached)' : `, ${s.toFixed(1)} s (${(res.bytes / MiB / s).toFixed(0)} MiB/s)`}\n`,
  );
}
