import { exceptionOfText } from '../../parsers/exception-text.js';
import type { Event } from '../model/event.js';
import { isCpuRefusalText } from './libvirt.js';
import type { Signature } from './signature.js';

/**
 * What nova writes when a move (cold or live migration, resize, evacuation)
 * fails: the conductor's refusal, the pre-checks, the source compute's
 * hypervisor error, the destination's disk check (nova/conductor/tasks/*.py,
 * nova/compute/manager.py, nova/virt/libvirt/driver.py).
 */

/** Where a line carries an exception's text without its class: the conductor's refusal, Folsom's rpc layer ("Returning exception %s to caller"), nova-api's answer. */
const TEXT_AFTER: readonly { re: RegExp; cut?: RegExp }[] = [
  { re: /compute_task_\w+\s*[:：]\s*/ },
  { re: /^Returning exception /, cut: / to caller$/ },
  // nova-api's error answer (INFO): the text of what refused the request.
  { re: /^HTTP exception thrown: / },
];

function textAfter(message: string): string[] {
  const out: string[] = [];
  for (const t of TEXT_AFTER) {
    const m = t.re.exec(message);
    if (m) out.push(message.slice(m.index + m[0].length).replace(t.cut ?? /$^/, ''));
  }
  return out;
}

/**
 * The event names one of these classes: in its exception chain, or as text in
 * nova's message formats (any language) where nova logs the text alone. Runs
 * on every ERROR and WARNING at ingest, so text is matched only in exceptions'
 * messages and after the templates that carry one.
 */
export function namesClass(e: Event, types: readonly string[]): boolean {
  const chain = e.exceptionChain ?? (e.exception ? [e.exception] : []);
  if (chain.some((x) => types.includes(x.type))) return true;
  if (chain.some((x) => exceptionOfText(x.message, types))) return true;
  return textAfter(e.message).some((t) => exceptionOfText(t, types) !== undefined);
}

/** The placeholders of the first of these classes the event names as text (see namesClass). */
export function fieldsOf(e: Event, types: readonly string[]): Record<string, string> | undefined {
  const chain = e.exceptionChain ?? (e.exception ? [e.exception] : []);
  for (const x of chain) {
    const t = exceptionOfText(x.message, types);
    if (t) return t.fields;
  }
  for (const text of textAfter(e.message)) {
    const t = exceptionOfText(text, types);
    if (t) return t.fields;
  }
  return undefined;
}

export const moveInstanceState: Signature = {
  id: 'scheduler-utils.instance-state',
  description:
    'Scheduler utils set the instance back to a state after a failed operation: ACTIVE (or STOPPED…) after a refused move, ERROR after a build.',
  source: 'nova/scheduler/utils.py set_vm_state_and_notify (every release)',
  loggers: ['nova.scheduler.utils'],
  levels: ['WARNING'],
  pattern: /^Setting instance to (?<state>[A-Z_]+) state/,
  where: (e) => !!e.instanceUuid,
  samples: [
    {
      line: '2015-10-20 11:51:28.086 28141 WARNING nova.scheduler.utils [req-a40a6ce0-ec37-4fae-9773-f915c79c2aab None] [instance: 456d8388-2014-4935-9af5-adeaca222a9b] Setting instance to ACTIVE state.',
      seen: 'corpus os-log-merger/debug-live-migration hp-ms-01-c29 nova-conductor.log (Kilo)',
      fields: { state: 'ACTIVE' },
    },
  ],
};

export const liveMigrationFailure: Signature = {
  id: 'libvirt.live-migration-failure',
  description: "The source's libvirt failed the live migration: its error follows (TLS, connection, disk, CPU, a guest gone).",
  source: 'nova/virt/libvirt/driver.py _live_migration_operation (every release)',
  loggers: ['nova.virt.libvirt.driver'],
  levels: ['ERROR'],
  pattern: /^Live Migration failure: (?<error>.*)$/s,
  samples: [
    {
      line: "2025-04-30 13:11:48.184 117662 ERROR nova.virt.libvirt.driver [None req-4856de26-8128-4079-a229-b04674fced35 - - - - - -] [instance: 45cc9aa4-eafd-4fa4-babe-68f3d9fca7cf] Live Migration failure: authentication failed: Failed to verify peer's certificate: libvirt.libvirtError: authentication failed: Failed to verify peer's certificate",
      seen: 'test/corpus/real/github-vexxhost-atmosphere-issue2553 (openstack-helm, 2025)',
      fields: {
        error:
          "authentication failed: Failed to verify peer's certificate: libvirt.libvirtError: authentication failed: Failed to verify peer's certificate",
      },
    },
  ],
};

/** What a move's compute wraps in InstanceFaultRollback (manager.py prep_resize, rebuild; the libvirt driver's migrate_disk_and_power_off). */
const ROLLED_BACK_MOVE_CLASSES = [
  'ResizeError',
  'MigrationPreCheckError',
  'UnableToMigrateToSelf',
  'MigrationError',
  'BuildAbortException',
];

/**
 * The move's own error a rollback line carries: `Instance rollback performed due to: <error>` (InstanceFaultRollback,
 * any language nova shipped), its error one of a move's classes. A suspend's rollback, or NotImplementedError's, is none.
 */
export function rolledBackMove(error: string): { type: string; message: string; fields: Record<string, string> } | undefined {
  const inner = exceptionOfText(error, ['InstanceFaultRollback'])?.fields.reason;
  if (inner === undefined) return undefined;
  const t = exceptionOfText(inner, ROLLED_BACK_MOVE_CLASSES);
  return t ? { type: t.type, message: inner.trim(), fields: t.fields } : undefined;
}

/**
 * A resize, cold migration or evacuation the compute gave up and rolled back: the instance is set back to its state
 * (ACTIVE, STOPPED) and the move's error is re-raised to the conductor. The line names the instance and the error.
 */
export const moveRolledBack: Signature = {
  id: 'compute.move-rolled-back',
  description:
    "A move's compute rolled it back: the instance set back to its state after InstanceFaultRollback wrapping the move's error (ResizeError, a pre-check, the destination being the source).",
  source:
    'nova/compute/manager.py _error_out_instance_on_exception (Havana+: LOG.info "Setting instance back to %(state)s after: %(error)s", translated until Ocata; Pike–Rocky "… ACTIVE after: %s")',
  loggers: ['nova.compute.manager'],
  levels: ['INFO', 'AUDIT'],
  pattern: /^Setting instance back to (?<state>\w+) after: (?<error>.*)$/s,
  where: (e) => rolledBackMove(e.message.slice(e.message.indexOf(' after: ') + 8)) !== undefined,
  samples: [
    {
      line: '2022-02-04 19:02:58.275 29845 INFO nova.compute.manager [req-1ca6c5ea-839d-454a-a7ac-f1f7df882f95 ca1265ef24834623b3ff360f95bbec9b caadf4ef9ccb4eae8a2f6ca0cb142827 - 28c08ee9c0114334a269a1f56b1d6724 28c08ee9c0114334a269a1f56b1d6724] [instance: ba04a48c-1dff-4015-a4f1-625946a40611] Setting instance back to active after: Instance rollback performed due to: Resize error: not able to execute ssh command: Unexpected error while running command.',
      seen: "corpus hotsos/defs-tests-excerpts/lp1904580.nova-compute.log line 1 (Launchpad bug 1904580: the nova user's ssh key too open, 2022)",
      fields: { state: 'active' },
    },
  ],
};

/**
 * The destination's QEMU could not load the incoming migration stream: a device's state that does not fit the
 * destination's (a machine type or QEMU version apart), RAM that could not be received. QEMU writes it to the
 * guest's log on the destination (parsers/qemu-log.ts); libvirt then stops that QEMU and the source's libvirt
 * reports the job failed ("job 'migration in' failed: load of migration failed: …"). QEMU's messages are not
 * translated. The same load runs when a suspended guest is resumed from its saved state, which nova's libvirt
 * driver rarely does; the detector says so when only this line is read.
 */
export const qemuIncomingLoadFailed: Signature = {
  id: 'qemu.incoming-load-failed',
  description:
    "The destination's QEMU could not load the incoming live migration's state (a device's, the RAM): the migration failed there.",
  source:
    'QEMU migration/migration.c process_incoming_migration_co (error_report "load of migration failed: %s", QEMU 2.x+), in libvirt\'s per-guest log',
  loggers: ['qemu'],
  pattern: /^load of migration failed: (?<error>.*)$/s,
  samples: [
    {
      line: '2018-04-05T21:48:43.153347Z qemu-system-x86_64: load of migration failed: Operation not permitted',
      seen: "test/corpus/real/launchpad-nova-1761798-qemu-devel-mail (a gate job's destination, 2018), the mail's soft line break undone",
      log: 'qemu',
      fields: { error: 'Operation not permitted' },
    },
  ],
};

/**
 * The driver's monitor of a running live migration raised (libvirt's job query failed, a guest gone): nova logs
 * it with its traceback, aborts the job and re-raises, so the migration fails (the rollback follows).
 */
export const migrationMonitorError: Signature = {
  id: 'libvirt.migration-monitor-error',
  description: "The libvirt driver's monitor of a live migration raised: nova logs the error and re-raises, the migration fails.",
  source:
    'nova/virt/libvirt/driver.py _live_migration (Liberty–Ocata LOG.warn(_LW("Error monitoring migration: %(ex)s")), Pike+ LOG.warning, then raise)',
  loggers: ['nova.virt.libvirt.driver'],
  levels: ['WARNING', 'ERROR'],
  pattern: /^Error monitoring migration: (?<error>.*)$/s,
  where: (e) => !!e.instanceUuid,
  samples: [
    {
      line: '2022-03-30 06:08:37.197 7 WARNING nova.virt.libvirt.driver [req-5c3296cf-88ee-4af6-ae6a-ddba99935e23 - - - - -] [instance: af339c99-1182-4489-b15c-21e52f50f724] Error monitoring migration: internal error: migration was active, but no RAM info was set: libvirt.libvirtError: internal error: migration was active, but no RAM info was set',
      seen: 'test/corpus/real/launchpad-cloud-archive-1994002-qemu-devel-mail (Cloud Archive, 2022), its quoted-printable soft breaks undone',
      fields: {
        error:
          'internal error: migration was active, but no RAM info was set: libvirt.libvirtError: internal error: migration was active, but no RAM info was set',
      },
    },
  ],
};

export const migrationAborted: Signature = {
  id: 'libvirt.migration-aborted',
  description: 'The libvirt driver ended a live migration that failed or was aborted.',
  source: 'nova/virt/libvirt/driver.py _live_migration_monitor (Liberty+)',
  loggers: ['nova.virt.libvirt.driver'],
  levels: ['ERROR'],
  pattern: /^Migration operation has aborted/,
  samples: [
    {
      line: '2025-04-30 13:11:48.626 117662 ERROR nova.virt.libvirt.driver [None req-4856de26-8128-4079-a229-b04674fced35 - - - - - -] [instance: 45cc9aa4-eafd-4fa4-babe-68f3d9fca7cf] Migration operation has aborted',
      seen: 'test/corpus/real/github-vexxhost-atmosphere-issue2553 (openstack-helm, 2025)',
    },
  ],
};

/**
 * nova gave up on a live migration that did not converge: past `[libvirt] live_migration_completion_timeout`
 * (seconds per GiB of the guest's RAM and disk) it aborts the job, or (Stein+) forces it to complete as
 * `live_migration_timeout_action` says.
 */
export const migrationCompletionTimeout: Signature = {
  id: 'libvirt.migration-completion-timeout',
  description: "A live migration ran past its completion timeout: the guest's memory changed faster than it could be copied.",
  source:
    'nova/virt/libvirt/migration.py should_trigger_timeout_action (Newton+; nova/virt/libvirt/driver.py _live_migration_monitor before, translated with _LW)',
  loggers: ['nova.virt.libvirt.migration', 'nova.virt.libvirt.driver'],
  levels: ['WARNING'],
  pattern: /^Live migration not completed after (?<seconds>\d+) sec/,
  samples: [
    {
      line: '2018-12-17 13:47:29.591 16987 WARNING nova.virt.libvirt.migration [req-7bc758de-b2e4-461b-a971-f79be6cd4703 313d1247d7b845da9c731eec53e50a26 2f693c782fa748c2baece8db95b4ba5b - default default] [instance: ead8ecc3-f473-4672-a67b-c44534c6042d] Live migration not completed after 2400 sec',
      seen: 'test/corpus/real/pastebin-3mxsvnrr (Pike–Stein, 2018), its second record',
      fields: { seconds: '2400' },
    },
  ],
};

export const liveMigrationFailed: Signature = {
  id: 'compute.live-migration-failed',
  description: "The compute manager's own record of a live migration that failed (the migration goes to error).",
  source: 'nova/compute/manager.py _do_live_migration (Queens+)',
  loggers: ['nova.compute.manager'],
  levels: ['ERROR'],
  pattern: /^Live migration failed/,
  samples: [],
  unsampled: 'no public log line found yet',
};

/**
 * The source's call of the destination's pre_live_migration raised (over RPC: the destination's volumes, networks,
 * disks and VIFs are prepared there before libvirt copies anything): the move is rolled back before the hypervisor
 * took part. What failed is the destination's own error: the end of this traceback when it is quoted, else the
 * destination's log of the same request.
 */
export const preLiveMigrationFailed: Signature = {
  id: 'compute.pre-live-migration-failed',
  description:
    "The source's call of the destination's pre_live_migration raised: the live migration failed while the destination prepared for it (volumes, networks, disks), before the hypervisor copied anything.",
  source: "nova/compute/manager.py _do_live_migration / live_migration, LOG.exception('Pre live migration failed at %s', dest) (Juno+)",
  loggers: ['nova.compute.manager'],
  levels: ['ERROR'],
  pattern: /^Pre live migration failed at (?<host>\S+)/,
  samples: [
    {
      line: '2015-09-14 18:46:18.378 ERROR nova.compute.manager [req-d35efe82-3fd6-4c84-953c-256248a34f5b admin admin] [instance: 2ae2fc70-eb23-45f0-8fcb-d65bdc7139e5] Pre live migration failed at nova1',
      seen: 'test/corpus/real/pastebin-ly9kt60t-pre-live-migration-failed-at-dest (Kilo devstack, 2015): the terminal wrap inside the uuid joined',
      fields: { host: 'nova1' },
    },
  ],
};

export const postLiveMigrationFailed: Signature = {
  id: 'compute.post-live-migration-at-destination-failed',
  description:
    "The source's compute could not finish a live migration on the destination (the guest is not there, or the destination failed).",
  source: 'nova/compute/manager.py _post_live_migration (Icehouse+)',
  loggers: ['nova.compute.manager'],
  levels: ['ERROR'],
  pattern: /^Post live migration at destination (?<host>\S+) failed/,
  samples: [
    {
      line: '2024-07-11 22:11:06.965 2 ERROR nova.compute.manager [None req-590602d0-1d3d-4ac9-b000-cdd98a2400b4 3de117d20e5b45c1ba86c8136c841ef3 eab438b17a2a4575a3abff1f78afc4ff - - default default] [instance: 7b7edae6-f878-4756-a858-86f836d02c33] Post live migration at destination compute-2.ci-rdo.local failed: nova.exception_Remote.InstanceNotFound_Remote: Instance 7b7edae6-f878-4756-a858-86f836d02c33 could not be found.',
      seen: '../shared/corpus/real/bug-report-excerpts/openstack-k8s-operators__nova-operator__pr777 (EDPM, 2024)',
      fields: { host: 'compute-2.ci-rdo.local' },
    },
  ],
};

export const moveUnexpectedlyFailed: Signature = {
  id: 'conductor.migration-unexpectedly-failed',
  description: "The conductor's live migration task met an error it did not expect.",
  source: 'nova/conductor/manager.py _live_migrate (Liberty+)',
  loggers: ['nova.conductor*'],
  levels: ['ERROR'],
  pattern: /^Migration of instance (?<instance>\S+) to host (?<host>\S+) unexpectedly failed/,
  samples: [],
  unsampled: 'no public log line found yet',
};

/** A refusal for the CPU, in a chain, a traceback or a text: the cpu-incompatible-migration detector's, not a move's pre-check. */
function namesCpu(e: Event): boolean {
  const chain = e.exceptionChain ?? (e.exception ? [e.exception] : []);
  if (chain.some((x) => x.type === 'InvalidCPUInfo' || isCpuRefusalText(x.message))) return true;
  if (e.traceback?.some((l) => /\b_compare_cpu\b|InvalidCPUInfo/.test(l))) return true;
  return textAfter(e.message).some(isCpuRefusalText);
}

export const preCheckFailed: Signature = {
  id: 'move.precheck-failed',
  description:
    "A live migration's pre-check refused it (MigrationPreCheckError, InvalidSharedStorage, InvalidLocalStorage, or the destination is the source).",

  source: 'nova/conductor/tasks/live_migrate.py, nova/compute/manager.py check_can_live_migrate_* (every release)',
  levels: ['WARNING', 'ERROR'],
  where: (e) =>
    namesClass(e, ['MigrationPreCheckError', 'InvalidSharedStorage', 'InvalidLocalStorage', 'UnableToMigrateToSelf']) && !namesCpu(e),
  samples: [
    {
      line: '2015-10-20 11:51:28.083 28141 WARNING nova.scheduler.utils [req-a40a6ce0-ec37-4fae-9773-f915c79c2aab None] Failed to compute_task_migrate_server: Unable to migrate instance (456d8388-2014-4935-9af5-adeaca222a9b) to current host (hp-ms-01-c29.moonshot1.lab.eng.rdu.redhat.com).',
      seen: 'corpus os-log-merger/debug-live-migration hp-ms-01-c29 nova-conductor.log (Kilo)',
    },
  ],
};

export const destinationDiskExists: Signature = {
  id: 'move.destination-disk-exists',
  description: "The destination refused a block migration: the instance's directory is already there (left by an earlier failed move).",
  source: 'nova/virt/libvirt/driver.py pre_live_migration (every release)',
  levels: ['WARNING', 'ERROR'],
  where: (e) => namesClass(e, ['DestinationDiskExists']),
  samples: [
    {
      line: '2023-03-22 10:05:40.657 20779 ERROR oslo_messaging.rpc.server [req-e20743e3-a683-41ba-b47b-ba92e97eff37 4f7cd8bf676d43bc9faf09b2eb41482f 2c3d8251c39545cbb6f77f331b7164f8 - default default] Exception during message handling: DestinationDiskExists: The supplied disk path (/var/lib/nova/instances/d8db3f2a-cd8f-48e1-9951-012d762664b2) already exists, it is expected not to exist.',
      seen: "../shared/corpus/real/hotsos/defs-tests-excerpts/lp1761062.nova-compute.log (a field line of LP#1761062 in hotsos's scenario tests)",
    },
  ],
};

export const migrationError: Signature = {
  id: 'move.migration-error',
  description:
    'A move failed with MigrationError or ResizeError (a resize, cold or live migration the compute could not carry out: its ssh to the destination, its disk, its graphics listen addresses).',
  source:
    'nova/compute/manager.py, nova/virt/libvirt/driver.py migrate_disk_and_power_off, _check_graphics_addresses_can_live_migrate (every release)',
  // A Kilo-era traceback quoted without its ERROR line is TRACE lines alone, its exception line among them.
  levels: ['WARNING', 'ERROR', 'TRACE'],
  where: (e) => namesClass(e, ['MigrationError', 'ResizeError']),
  samples: [
    {
      line: '2016-08-19 17:02:30.655 45804 ERROR oslo_messaging.rpc.server MigrationError: Migration error: Your libvirt version does not support the VIR_DOMAIN_XML_MIGRATABLE flag or your destination node does not support retrieving listen addresses. In order for live migration to work properly, you must configure the graphics (VNC and/or SPICE) listen addresses to be either the catch-all address (0.0.0.0 or ::) or the local address (127.0.0.1 or ::1).',
      seen: "test/corpus/real/pastebin-ix6q0xl3 (Kilo–Newton, 2016-08-19), the rpc server's line",
    },
    {
      line: 'nova.exception.ResizeError: Resize error: not able to execute ssh command:',
      more: ['Command: ssh -o BatchMode=yes 10.32.10.142 mkdir -p /var/lib/nova/instances/<uuid>', 'Exit code: 255'],
      pasted: true,
      seen: 'test/corpus/real/github-bigstack-oss-cubecos-issue1367 (CubeCOS 3.1.20): the error pasted alone, its uuid typed over by the reporter',
    },
  ],
};

export const unshelveNoValidHost: Signature = {
  id: 'conductor.unshelve-no-valid-host',
  description:
    'The conductor found no host to unshelve an offloaded instance on (NoValidHost): it clears the task and the instance stays SHELVED_OFFLOADED.',
  source: 'nova/conductor/manager.py unshelve_instance (Liberty+; translated with _LW before Pike)',
  loggers: ['nova.conductor*'],
  levels: ['WARNING'],
  pattern: /^No valid host found for unshelve instance/,
  where: (e) => !!e.instanceUuid,
  samples: [
    {
      line: '2024-10-02 12:02:41.907 31 WARNING nova.conductor.manager [None req-8a4c2e6f-0b1d-4e3f-9a5b-7c6d5e4f3a2b 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - default default] [instance: 5f0c2a7e-9b1d-4c3e-8a6f-2d4b6c8e0a13] No valid host found for unshelve instance',
      seen: 'generated: the format of nova/conductor/manager.py unshelve_instance (2023.1); no public line found yet',
    },
  ],
};
