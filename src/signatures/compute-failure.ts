import { type ExceptionText, exceptionOfText } from '../../parsers/exception-text.js';
import { exceptionsInTraceback } from '../../parsers/exceptions.js';
import type { Event } from '../model/event.js';
import type { Remediation } from '../model/finding.js';

/**
 * Why a compute failed a build or a move, as data: each cause with the
 * exception classes (anywhere in the chain) and the structural templates that
 * decide it, most specific first. Classes are what nova raises; where only a
 * text is left (the reason of a RescheduledException, a fault, an "Error from
 * last host" list) the class is named from nova's message formats in every
 * language (parsers/exception-text.ts). Shared by the failed-build and
 * failed-move detectors, and by the reschedule chain of max-retries-exceeded.
 */

export interface ComputeFailureKind {
  code: string;
  title: string;
  decidedBy: string;
  action: string;
  /** What an operator runs to see more, on the host that failed (with the virt driver its lines show, where that matters). */
  commands(host: string, driver?: VirtDriver): Remediation[];
  exceptions: readonly string[];
  /** Templates that are structure, not translated text: nova's log templates since Pike, errno codes, a vif_type value. */
  templates?: readonly RegExp[];
  /**
   * Functions of nova a traceback passes through that decide the cause when no class does (a traceback quoted
   * without its exception line, or raising a class of a library: stevedore's KeyError for an os-vif plugin).
   */
  frames?: readonly string[];
  /**
   * nova's own reasons of a BuildAbortException (parsers/exception-catalog.data.ts REASON_FORMATS, any language) that
   * say this cause when nothing more specific was logged for the attempt ("Failed to allocate the network(s)" follows
   * a vif-plugged timeout too, which is the more telling).
   */
  reasons?: readonly string[];
  /**
   * Forms of a BuildAbortException's reason that say this cause. Where `_build_resources` aborts with the text of the
   * error it caught (InvalidBDM's, from the block devices' preparation), the text's form names the service that
   * refused, in any language: a python client's `<message> (HTTP 400) (Request-ID: req-…)`.
   */
  abortReasons?: readonly RegExp[];
}

export const COMPUTE_FAILURES: readonly ComputeFailureKind[] = [
  {
    code: 'port-binding-failed',
    title: "Neutron could not bind the instance's port on the host",
    decidedBy: 'PortBindingFailed (any language), or the vif_type binding_failed of releases before it',
    action: 'check the neutron agent of the host (alive, same mechanism driver and physical network mappings), then rebuild',
    commands: (host) => [
      {
        command: `openstack network agent list --host ${host}`,
        why: 'the L2 agent of the host must be alive and of the mechanism driver the port asks',
      },
      {
        command: 'openstack port show <port> -c binding_vif_type -c binding_host_id -c binding_vif_details',
        why: 'binding_failed shows which host and driver neutron tried',
      },
    ],
    exceptions: ['PortBindingFailed'],
    templates: [/vif_type=binding_failed/],
  },
  {
    code: 'vif-plug-timeout',
    title: "The port's vif-plugged event never came from neutron",
    decidedBy: "VirtualInterfaceCreateException, or the libvirt driver's \"Timeout waiting for [('network-vif-plugged'…\"",
    action: 'check the neutron agent and the notifications from neutron to nova ([nova] section of neutron.conf), and vif_plugging_timeout',
    commands: (host) => [
      {
        command: `openstack network agent list --host ${host}`,
        why: 'the agent that plugs the port must be alive; its log says why no vif-plugged event was sent',
      },
      {
        command: 'grep -i "network-vif-plugged" neutron-server.log',
        why: 'neutron must notify nova ([nova] section of neutron.conf); vif_plugging_timeout is how long nova waits',
      },
    ],
    exceptions: ['VirtualInterfaceCreateException'],
    templates: [/Timeout waiting for \[\('network-vif-plugged'/],
  },
  {
    code: 'network-setup-failed',
    title: "The instance's network could not be set up",
    decidedBy:
      'the compute\'s "Instance failed network setup after N attempt(s)", a neutron (or quantum) client error, neutron refusing a port\'s attribute ("Invalid input for dns_name"), or an os-vif plug failure',
    action: 'check neutron (the server and the agent of the host) and the port quota of the project',
    commands: (host) => [
      { command: 'openstack network agent list', why: `neutron-server and the agent of ${host} must answer` },
      { command: 'openstack quota show <project> -c ports', why: "a project out of ports fails every build's network setup" },
    ],
    exceptions: [
      'NeutronClientException',
      'QuantumClientException',
      'ConnectionFailed',
      'PortNotFound',
      'PortNotUsable',
      'PortInUse',
      'NetworkNotFound',
      'NoMoreFixedIps',
      'PortLimitExceeded',
      'PlugException',
      'NetworkError',
      'ExternalNetworkAttachForbidden',
      // nova-network (before Ocata)
      'NoMoreFloatingIps',
      'NoMoreNetworks',
      'FixedIpLimitExceeded',
      'NoFloatingIpInterface',
    ],
    templates: [
      /^Instance failed network setup after \d+ attempt/,
      /Failure running os_vif plugin plug method/,
      // neutron's API refusing a port's attribute (neutron/api/v2/base.py `Invalid input for %(attr)s. Reason: …`),
      // relayed as a reschedule's or an abort's reason. neutron answers in English: nova's client sends no
      // Accept-Language. Alone on its line when nova's message was continued over lines (the attribute then its reasons).
      /(?:^|: )Invalid input for [\w:.-]+\.(?:$| Reason: )/,
    ],
    reasons: ['network-allocation-failed'],
    // nova-docker's driver plugs the VIFs into the container in _attach_vifs (novadocker/virt/docker/driver.py).
    frames: [
      '_plug_os_vif',
      'plug_vifs',
      '_attach_vifs',
      '_allocate_network_async',
      'allocate_for_instance',
      '_build_networks_for_instance',
    ],
  },
  {
    code: 'volume-failed',
    title: 'A volume or block device of the instance could not be created, prepared or attached',
    decidedBy:
      'VolumeNotCreated ("did not finish being created"), the other volume and block-device errors, a build aborted with the error cinder\'s client raised (`… (HTTP 400) (Request-ID: req-…)`), and nova\'s own "Failure prepping block device" (the error after it says what failed)',
    action: "check cinder (the volume's status and the cinder-volume log) and the backend",
    commands: () => [
      { command: 'openstack volume show <volume> -c status', why: "the volume's status (error, creating) and cinder-volume's log say why" },
      { command: 'openstack volume service list', why: 'cinder-volume must be up for the backend' },
    ],
    exceptions: [
      'VolumeNotCreated',
      'VolumeDeviceNotFound',
      'VolumeNotFound',
      'VolumeLimitExceeded',
      'InvalidBDM',
      'InvalidBDMVolume',
      'InvalidBDMSnapshot',
      'InvalidBDMImage',
      'VolumeAttachFailed',
    ],
    // BuildAbortException's "Failure prepping block device." (_build_resources), in any language.
    reasons: ['block-device-prep-failed'],
    // _prep_block_device re-raises what cinder's client raised as InvalidBDM keeping its text (nova 16.0.0+), and the
    // build aborts with it: cinderclient's ClientException prints `<message> (HTTP <code>)`, then its request id. The
    // block devices are the only REST calls of that step (neutron's client prints its errors otherwise).
    abortReasons: [/\(HTTP \d{3}\)(?: \(Request-ID: req-[0-9a-f-]+\))?\s*$/],
  },
  {
    code: 'image-failed',
    title: 'The image could not be found, used or stored',
    decidedBy:
      'ImageNotFound, ImageUnacceptable, ImageNotAuthorized, a flavor disk smaller than the image, ENOSPC ([Errno 28]) in the image cache, or qemu-img failing to convert the fetched image (its .part file)',
    action: 'check the image in glance (status, visibility, kernel/ramdisk properties, disk format) and the free space of the image cache',
    commands: (host) => [
      {
        command: 'openstack image show <image> -c status -c disk_format -c properties',
        why: 'the image must be active, visible to the project, and its kernel/ramdisk properties valid',
      },
      { command: `df -h /var/lib/nova/instances/_base   # on ${host}`, why: 'the image cache needs room for the image' },
    ],
    exceptions: [
      'ImageNotFound',
      'ImageUnacceptable',
      'ImageNotAuthorized',
      'FlavorDiskSmallerThanImage',
      'FlavorDiskTooSmall',
      'InstanceTypeDiskTooSmall',
      'ImageTooLarge',
      'InvalidImageRef',
    ],
    // nova/virt/images.py fetch_to_raw converts the image it fetched, `<cache file>.part`, into `<cache file>.converted`:
    // qemu-img failing there (ProcessExecutionError's `Command:` line) could not read or convert the image.
    templates: [/\[Errno 28\]/, /\bqemu-img convert\b.*\.part\b.*\.converted\b/],
  },
  {
    code: 'claim-failed',
    title: "The host's resource claim failed",
    decidedBy: 'ComputeResourcesUnavailable ("Insufficient compute resources"): the host had no room when the build arrived',
    action: "compare the host's resource view with placement's (a stale inventory, or resources used outside nova)",
    commands: (host) => [
      {
        command: `openstack resource provider usage show <${host} provider uuid>`,
        why: "placement's view; the host's own (nova-compute's resource view) disagreed when it claimed",
      },
    ],
    exceptions: ['ComputeResourcesUnavailable'],
  },
];

/**
 * The virt drivers whose own record of a guest's failed start an operator can read (the two seen in real failed
 * spawns so far), by the package path their frames and loggers show (`nova/virt/<driver>/`, in tree or from an out-of-tree package as nova-lxd's). Others
 * (and none shown) are read as libvirt's, nova's default driver.
 */
export type VirtDriver = 'libvirt' | 'lxd' | 'ironic';

const DRIVER_PATH = /\bvirt[/.](libvirt|lxd|ironic)\b/;

/** The virt driver an event's logger or traceback frames name, if one of VirtDriver. */
export function virtDriverOf(e: Pick<Event, 'logger' | 'message' | 'traceback'>): VirtDriver | undefined {
  for (const text of [e.logger ?? '', e.message, ...(e.traceback ?? [])]) {
    const m = DRIVER_PATH.exec(text);
    if (m) return m[1] as VirtDriver;
  }
  return undefined;
}

/** Where each driver keeps its error for the guest. */
const SPAWN_LOGS: Record<VirtDriver, (host: string) => Remediation> = {
  libvirt: (host) => ({
    command: `less /var/log/libvirt/qemu/<instance name>.log   # on ${host}`,
    why: "the hypervisor's own error for the guest",
  }),
  // nova-lxd names the container after the instance (instance-0000xxxx).
  lxd: (host) => ({
    command: `lxc info --show-log <instance name>   # on ${host}`,
    why: "LXD's own log of the container nova-lxd created",
  }),
  // The node's deploy failed in ironic: its last_error (which policy may hide from the user, as in the fault) says why.
  ironic: () => ({
    command: 'openstack baremetal node show <node> -c provision_state -c last_error   # as an admin; then the ironic-conductor log',
    why: "ironic's own record of the node's failed deploy (the fault may show it redacted: baremetal:node:get:last_error)",
  }),
};

/** nova's own reasons (the exception catalogue's keys) that say a driver's spawn failed, and which driver's. */
const SPAWN_REASONS: Readonly<Record<string, VirtDriver>> = { 'ironic-deploy-failed': 'ironic' };

/**
 * libvirt's own error texts as libvirt-python hands them to nova (src/util/virerror.c: the message of the error's code,
 * then its detail; libvirt's daemons run in the C locale in every packaging seen): the codes a guest's definition or
 * start fails with. A build rescheduled or aborted with one of them failed in libvirt or QEMU as it started the guest.
 */
const LIBVIRT_ERROR_TEXT =
  /^(?:(?:libvirt\.)?libvirtError: )?(?:internal error|XML error|unsupported configuration|operation failed|Requested operation is not valid|XML document failed to validate against schema|Cannot access storage file)\b/;

/** The classes a build's compute reschedules or aborts with, whose reason is the error it met. */
const BUILD_REASON_CLASSES: ReadonlySet<string> = new Set(['RescheduledException', 'BuildAbortException']);

/** The driver whose spawn failed, when the failure's texts hold a reason that says so (ironic's "Failed to provision instance"). */
export function spawnReasonDriver(texts: readonly string[]): VirtDriver | undefined {
  for (const n of namedInTexts(texts)) if (n.reason && SPAWN_REASONS[n.reason]) return SPAWN_REASONS[n.reason];
  return undefined;
}

/** libvirt's own error, when it is the reason a build was rescheduled or aborted with: the guest's start failed in libvirt or QEMU. */
export function libvirtSpawnError(texts: readonly string[]): string | undefined {
  for (const n of namedInTexts(texts)) {
    const reason = n.fields.reason?.trim();
    if (reason && BUILD_REASON_CLASSES.has(n.type) && LIBVIRT_ERROR_TEXT.test(reason)) return reason;
  }
  return undefined;
}

/**
 * A server's fault whose message is libvirt's own error (nova records the fault of the error it met, then
 * reschedules: `internal error: qemu unexpectedly closed the monitor: …`): the guest's start failed in libvirt or QEMU.
 */
export function isLibvirtErrorText(text: string): boolean {
  return LIBVIRT_ERROR_TEXT.test(text.trim());
}

/** What a failed spawn is called when nothing more specific is known. */
export const SPAWN_FAILED: Omit<ComputeFailureKind, 'exceptions'> = {
  code: 'spawn-failed',
  title: 'The hypervisor failed to start the guest',
  decidedBy:
    'the compute\'s "Instance failed to spawn" / "Failed to build and run instance" with an error of the hypervisor or driver, or the ironic driver\'s "Failed to provision instance" (InstanceDeployFailure) in any language',
  action:
    "read the hypervisor's error (libvirt's log of the guest, the qemu log; LXD's for nova-lxd; the node's last_error for ironic) on that host and fix it there",
  commands: (host, driver = 'libvirt') => [SPAWN_LOGS[driver](host)],
};

/**
 * The libvirt driver's functions that start a guest: a traceback through them (and none of the entry points below) is a
 * spawn's. With them libvirt's own call that starts a defined guest (`Guest.launch`, and `_create_domain` before it,
 * call `createWithFlags`), named by libvirt-python's raise (see `framesOf`).
 */
export const SPAWN_FRAMES: readonly string[] = [
  'spawn',
  '_create_guest_with_network',
  '_create_domain_and_network',
  '_create_guest',
  '_create_domain',
  'virDomainCreateWithFlags',
];

/**
 * Entry points of the compute manager other than a build that reach the same functions (a hard reboot, a resize's
 * finish, a power-on recreate the guest with _create_guest_with_network): a traceback through one is not a build's.
 */
const NOT_A_BUILD: readonly string[] = [
  '_hard_reboot',
  'reboot_instance',
  'finish_migration',
  'finish_resize',
  '_finish_resize',
  'power_on',
  'power_on_instance',
  'start_instance',
  'resume',
  'resume_instance',
  'rescue_instance',
  'unrescue_instance',
  'rebuild_instance',
  'unshelve_instance',
  'pre_live_migration',
  'post_live_migration_at_destination',
  '_live_migration',
  'attach_interface',
  'attach_volume',
  'snapshot_instance',
];

/**
 * The compute's functions only a move passes through: a resize's or cold migration's on the source
 * (migrate_disk_and_power_off) and the destination (finish_migration), a live migration's on either side.
 */
export const MOVE_FRAMES: readonly string[] = [
  'migrate_disk_and_power_off',
  'resize_instance',
  '_resize_instance',
  'prep_resize',
  '_prep_resize',
  'finish_migration',
  'finish_resize',
  '_finish_resize',
  'live_migration',
  '_live_migration',
  'pre_live_migration',
  'post_live_migration_at_destination',
];

/** Of MOVE_FRAMES, a live migration's. */
export const LIVE_MOVE_FRAMES: readonly string[] = [
  'live_migration',
  '_live_migration',
  'pre_live_migration',
  'post_live_migration_at_destination',
];

const FRAME = /^\s*File "[^"]*", line \d+, in (\w+)/;
/**
 * The code line under libvirt-python's last frame: its generated methods raise `libvirtError('<C call>() failed')`
 * (`raise libvirtError ('virDomainCreateWithFlags() failed', dom=self)` in older releases), which names the libvirt
 * call that failed even when the frame lines above it were not quoted.
 */
const LIBVIRT_RAISE = /^\s*raise libvirtError\s*\(\s*['"](vir\w+)\(\) failed['"]/;

/**
 * The functions a traceback passes through, from its frame lines (the message of a traceback quoted without its
 * head), and the libvirt call libvirt-python raised from.
 */
export function framesOf(e: Event): string[] {
  const out: string[] = [];
  for (const l of [e.message, ...(e.traceback ?? [])]) {
    const m = FRAME.exec(l) ?? LIBVIRT_RAISE.exec(l);
    if (m) out.push(m[1]);
  }
  return out;
}

/** A traceback's frames that say where it went: a context manager's `__exit__` (oslo's save_and_reraise_exception, a lock) says nothing. */
export function tellingFrames(frames: readonly string[]): string[] {
  return frames.filter((f) => f !== '__exit__');
}

/** A traceback quoted without its exception line, said by where it went. */
export function tracedThrough(frames: readonly string[]): string {
  return `a traceback through ${tellingFrames(frames).join(' → ')} (its exception line not read)`;
}

/**
 * The compute-side cause a build's traceback shows by where it failed, when no class names one: network set-up
 * frames, else the guest's start (spawn-failed). Undefined for a traceback of another operation.
 */
export function classifyFrames(frames: readonly string[]): { kind?: ComputeFailureKind; spawn: boolean } | undefined {
  if (frames.length === 0 || frames.some((f) => NOT_A_BUILD.includes(f))) return undefined;
  for (const k of COMPUTE_FAILURES) if (k.frames?.some((f) => frames.includes(f))) return { kind: k, spawn: false };
  return frames.some((f) => SPAWN_FRAMES.includes(f)) ? { spawn: true } : undefined;
}

/** The texts of a failure as nova's exceptions: each class it names, through RescheduledException's and BuildAbortException's reasons. */
function namedInTexts(texts: readonly string[]): ExceptionText[] {
  const out: ExceptionText[] = [];
  const seen = new Set<string>();
  const look = (text: string, depth: number): void => {
    if (!text || depth > 2 || seen.has(text)) return;
    seen.add(text);
    const named = exceptionOfText(text);
    if (named) {
      out.push(named);
      if (named.fields.reason) look(named.fields.reason, depth + 1);
    }
  };
  for (const t of texts) look(t, 0);
  return out;
}

/** Exception classes and texts a failure names, looking into RescheduledException's and BuildAbortException's reasons. */
export function failureClasses(types: readonly string[], texts: readonly string[]): string[] {
  return [...new Set([...types, ...namedInTexts(texts).map((n) => n.type)])];
}

/** The cause nova's own reason of the failure says (ComputeFailureKind.reasons), the fallback when nothing more specific was logged. */
export function classifyReason(texts: readonly string[]): ComputeFailureKind | undefined {
  const keys = namedInTexts(texts).flatMap((n) => (n.reason ? [n.reason] : []));
  return COMPUTE_FAILURES.find((k) => k.reasons?.some((r) => keys.includes(r)));
}

/** The most specific compute-side cause these classes and texts show, if any. */
export function classifyFailure(types: readonly string[], texts: readonly string[]): ComputeFailureKind | undefined {
  const named = namedInTexts(texts);
  const classes = [...new Set([...types, ...named.map((n) => n.type)])];
  const aborts = named.flatMap((n) => (n.type === 'BuildAbortException' && n.fields.reason ? [n.fields.reason] : []));
  for (const k of COMPUTE_FAILURES) {
    if (k.exceptions.some((x) => classes.includes(x))) return k;
    if (k.templates?.some((re) => texts.some((t) => re.test(t)))) return k;
    if (k.abortReasons?.some((re) => aborts.some((r) => re.test(r)))) return k;
  }
  return undefined;
}

/**
 * The message's own text before the `: <Class>: …` that oslo.log (or the handler) appended, where the record kept no
 * traceback; undefined when nothing was appended.
 */
export function ownMessage(e: Pick<Event, 'message' | 'exception'>): string | undefined {
  const type = e.exception?.rawType ?? e.exception?.type;
  const at = type ? e.message.indexOf(`: ${type}: `) : -1;
  return at > 0 ? e.message.slice(0, at) : undefined;
}

/** The exception classes and texts of one event: its chain, its message, its exceptions' messages. */
export function eventFailure(e: Event): { types: string[]; texts: string[] } {
  const chain = e.exceptionChain ?? (e.exception ? [e.exception] : []);
  const texts = [e.message, ...chain.map((x) => x.message)];
  // `<text>: <Class>: <text again>` (the handler appends the exception to the message): the message's own copy
  // stands alone too, whole where the exception's copy came out mangled (a blog's wrap split its uuid).
  const own = ownMessage(e);
  if (own !== undefined) texts.push(own);
  texts.push(...messageTail(e));
  return { types: chain.map((x) => x.type), texts };
}

/** The most lines of an exception's message after its class's line that are read (ProcessExecutionError has four). */
const MAX_TAIL_LINES = 20;

/**
 * The lines an exception's message goes on with after its class's line, which Python prints unindented under it:
 * oslo.concurrency's ProcessExecutionError says there which command failed (`Command: qemu-img convert …`,
 * `Exit code: 1`, `Stderr: …`). Empty when the last exception's line is not in the event.
 */
function messageTail(e: Event): string[] {
  const type = e.exception?.rawType ?? e.exception?.type;
  if (!type || !e.traceback?.length) return [];
  const lines = [e.message, ...e.traceback];
  let at = lines.length - 1;
  while (at >= 0 && !lines[at].startsWith(`${type}:`)) at--;
  const out: string[] = [];
  for (let i = at + 1; at >= 0 && i < lines.length && out.length < MAX_TAIL_LINES; i++) {
    const l = lines[i];
    if (l.trim() === '') continue;
    if (/^\s|^Traceback \(/.test(l)) break;
    out.push(l);
  }
  return out;
}

/**
 * "Error from last host: HOST (node NODE): [u'Traceback …\n', u'  File …', u"Exc: msg\n"]":
 * the list of traceback lines as Python printed it, back into lines.
 */
export function reprTraceback(text: string): { types: string[]; texts: string[] } {
  const lines = text
    .replace(/^\[\s*u?['"]/, '')
    .replace(/['"]\s*\]\s*$/, '')
    .split(/\\n['"],\s*u?['"]|\\n/)
    .map((l) => l.replace(/\\'/g, "'").replace(/\\"/g, '"'));
  const found = exceptionsInTraceback(lines);
  return { types: found.map((x) => x.type), texts: [text, ...found.map((x) => x.message)] };
}

/** The error a failure is known by in a title or a table: the most telling exception class, or the start of the text. */
export function failureLabel(types: readonly string[], text: string): string {
  const wrappers = new Set(['RescheduledException', 'BuildAbortException', 'RemoteError', 'MaxRetriesExceeded', 'NoValidHost']);
  const telling = [...types].reverse().find((t) => !wrappers.has(t)) ?? types[types.length - 1];
  if (telling) return telling;
  const first = text.split('\n')[0];
  return first.length > 120 ? `${first.slice(0, 119)}…` : first;
}

/** The compute-side cause an event's own exceptions and messages show. */
export function classifyEventFailure(e: Event): ComputeFailureKind | undefined {
  const { types, texts } = eventFailure(e);
  return classifyFailure(types, texts);
}
