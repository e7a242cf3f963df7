import type { StoredEvent } from '../../correlate/event-store.js';
import type { Evidence, Remediation } from '../../model/finding.js';
import {
  destinationDiskExists,
  fieldsOf,
  liveMigrationFailed,
  liveMigrationFailure,
  migrationMonitorError,
  migrationAborted,
  migrationCompletionTimeout,
  moveUnexpectedlyFailed,
  postLiveMigrationFailed,
  preLiveMigrationFailed,
  preCheckFailed,
  qemuIncomingLoadFailed,
} from '../../signatures/move.js';
import { match, matches } from '../../signatures/signature.js';
import { exceptionOfText } from '../../../parsers/exception-text.js';
import { computeMoveTraceback } from '../../signatures/compute.js';
import { framesOf, tellingFrames, tracedThrough } from '../../signatures/compute-failure.js';
import { cliAllocations, cliServers } from '../cli-state.js';
import { type Cause, firstLine, libvirtUri, logEvidence, namedHost, sameHost, type Verdict } from '../detector.js';
import { filtersRejectedAllHosts } from '../failed-build/causes/filters-rejected-all-hosts.js';
import { insufficientCapacity } from '../failed-build/causes/insufficient-capacity.js';
import { maxUnitExceeded } from '../failed-build/causes/max-unit-exceeded.js';
import { noAllocationCandidates } from '../failed-build/causes/no-allocation-candidates.js';
import { placementUnreachable } from '../failed-build/causes/placement-unreachable.js';
import { resourceClassNotOffered } from '../failed-build/causes/resource-class-not-offered.js';
import { schedulerUnreachable } from '../failed-build/causes/scheduler-unreachable.js';
import type { BuildEvidence } from '../failed-build/evidence.js';
import { allocationIncidentId } from '../unmanaged-allocation/complaints.js';
import { type MoveEvidence, phrase } from './evidence.js';
import { rollbackOf } from './moves.js';
import { sshToDestinationFailed } from './ssh-failed.js';
import { destinationNotMapped } from './host-not-mapped.js';
import { moveMaxRetriesExceeded } from './max-retries-exceeded.js';

/**
 * The causes of a failed move, in the order they are tried:
 * 1. destination-disk-exists, 2. host-not-mapped (a pre-check's refusal whose
 *    reason is the forced destination's missing cell mapping: what to fix is
 *    discover_hosts, so before the pre-check's general case), 3. precheck-failed
 *    and 4. destination-unavailable: the move was refused before anything
 *    moved, for a reason the line names; invalid-state and invalid-request:
 *    the API refused the action (409/400) before anything was tried;
 *    scheduler-unreachable: the conductor's call for a destination got no
 *    answer (MessagingTimeout through select_destinations), as for a build;
 * 5. max-retries-exceeded: destinations were found and each failed the move
 *    (its reschedules ran out); placement's figures would only mislead;
 * 6. the scheduling causes, as for builds (the same rules, on the move's
 *    request): the conductor's refusal was NoValidHost; without their
 *    figures, the destination asked for holding the instance's own stale
 *    allocation (pasted CLI state) is insufficient-capacity too;
 * 7. completion-timeout, ssh-to-destination-failed, console-addresses (the
 *    libvirt driver's own refusal to move the guest's consoles): what stopped
 *    a move that had started, named by its own line;
 * 8. live-migration-failed: the hypervisor failed the move on the source;
 * 9. unknown, saying what is missing.
 */

function verdict(
  code: string,
  summary: string,
  evidence: Evidence[],
  details: Record<string, unknown>,
  remediation: Remediation[],
): Verdict {
  return { code, summary, details, evidence, gaps: [], remediation };
}

const diskExists: Cause<MoveEvidence> = {
  code: 'destination-disk-exists',
  title: "The destination already has the instance's directory",
  decidedBy: 'DestinationDiskExists ("The supplied disk path (…) already exists", any language), from the destination',
  action: 'remove the leftover directory on the destination after checking no guest uses it, then migrate again',
  details: '`operation`, `source`, `destination`, `state`, `path`',
  headline: (v, what) => `${what} failed: ${v.details.path ?? "the instance's directory"} already exists on the destination`,
  decide(ev) {
    const e = ev.move.signals.find((x) => matches(destinationDiskExists, x));
    if (!e) return undefined;
    const path = fieldsOf(e, ['DestinationDiskExists'])?.path;
    return verdict(
      'destination-disk-exists',
      `The ${phrase(ev)} was refused: the destination already has ${path ?? "the instance's directory"} (a block migration expects it absent; an earlier failed move left it).`,
      [logEvidence(e)],
      { operation: ev.operation, source: ev.source, destination: ev.destination ?? e.host, state: ev.state, path },
      [
        {
          command: `ls -la ${path ?? '/var/lib/nova/instances/<instance uuid>'}   # on ${ev.destination ?? 'the destination'}`,
          why: 'check that no guest of the destination uses the directory before removing it',
        },
        {
          command: `openstack server migrate --live-migration ${ev.move.instanceUuid ?? '<server>'}`,
          why: 'migrate again once the leftover directory is gone',
        },
      ],
    );
  },
};

/** The check a pre-check failed: MigrationPreCheckError's reason, or what the class that stands for it says. */
function checkOf(signals: readonly StoredEvent[], e: StoredEvent): string | undefined {
  for (const x of [e, ...signals]) {
    const pre = fieldsOf(x, ['MigrationPreCheckError']);
    if (pre) return pre.reason;
    if (x.exception?.type === 'MigrationPreCheckError') return x.exception.message.replace(/^[^:]*:\s*/, '');
    const self = fieldsOf(x, ['UnableToMigrateToSelf']);
    if (self) return `the destination ${self.host} is the host the instance runs on`;
    const shared = fieldsOf(x, ['InvalidSharedStorage']);
    if (shared) return `${shared.path} is not on shared storage: ${shared.reason}`;
    const local = fieldsOf(x, ['InvalidLocalStorage']);
    if (local) return `${local.path} is not on local storage: ${local.reason}`;
  }
  return undefined;
}

/** The pre-checks' classes, as the API answers them too (a live migration checked before Pike, or with a host given). */
const PRECHECK_CLASSES = ['MigrationPreCheckError', 'InvalidSharedStorage', 'InvalidLocalStorage', 'UnableToMigrateToSelf'];

const preCheck: Cause<MoveEvidence> = {
  code: 'precheck-failed',
  title: "A live migration's pre-check refused it",
  decidedBy:
    'MigrationPreCheckError (not for the CPU), InvalidSharedStorage or InvalidLocalStorage (block migration asked on the wrong storage), or UnableToMigrateToSelf: the check is the reason the line gives',
  action: 'fix what the check names (disk space, shared storage, the destination chosen), then migrate again',
  details: '`operation`, `source`, `destination`, `state`, `check`',
  headline: (v, what) => `${what} refused by its pre-check: ${firstLine(String(v.details.check ?? 'see the reason'), 120)}`,
  decide(ev) {
    const e =
      ev.move.signals.find((x) => matches(preCheckFailed, x)) ??
      (ev.move.api?.refusedWith && PRECHECK_CLASSES.includes(ev.move.api.refusedWith) ? ev.move.api.event : undefined);
    if (!e) return undefined;
    const check = checkOf(ev.move.signals, e);
    return verdict(
      'precheck-failed',
      `The ${phrase(ev)} was refused by its pre-check${check ? `: ${check.replace(/\.\s*$/, '')}` : ''}.${ev.state ? ` The instance was left ${ev.state}.` : ''}`,
      ev.move.signals.map((x) => logEvidence(x)),
      { operation: ev.operation, source: ev.source, destination: ev.destination, state: ev.state, check },
      [
        {
          command: `openstack server migration list --server ${ev.move.instanceUuid ?? '<server>'}`,
          why: 'the migration record and its status; fix what the check names, then migrate again',
        },
      ],
    );
  },
};

const destinationUnavailable: Cause<MoveEvidence> = {
  code: 'destination-unavailable',
  title: "The destination's compute service was down or unknown",
  decidedBy:
    'the refusal names ComputeServiceUnavailable or ComputeHostNotFound (any language): the host asked for is not an up compute service',
  action: 'check the destination compute service (up, enabled, reporting), or pick another destination, then migrate again',
  details: '`operation`, `source`, `destination`, `state`, `refusedWith`',
  headline: (v, what) =>
    `${what} refused: the compute service of ${v.details.destination ?? 'the destination'} is ${v.details.refusedWith === 'ComputeHostNotFound' ? 'unknown' : 'unavailable'}`,
  decide(ev) {
    for (const e of ev.move.signals) {
      const down = fieldsOf(e, ['ComputeServiceUnavailable']);
      const notFound = down ? undefined : fieldsOf(e, ['ComputeHostNotFound']);
      const host = down?.host ?? notFound?.host;
      if (!down && !notFound) continue;
      const refusedWith = down ? 'ComputeServiceUnavailable' : 'ComputeHostNotFound';
      return verdict(
        'destination-unavailable',
        `The ${phrase({ ...ev, destination: host ?? ev.destination })} was refused: the compute service of ${host ?? 'the destination'} ${down ? 'was not up (its service record not updated recently, or disabled)' : 'is not known to nova'}.${ev.state ? ` The instance was left ${ev.state}.` : ''}`,
        [logEvidence(e)],
        { operation: ev.operation, source: ev.source, destination: host ?? ev.destination, state: ev.state, refusedWith },
        [
          {
            command: `openstack compute service list --service nova-compute --host ${host ?? '<destination>'}`,
            why: "is the destination's compute service up and enabled, and when did it last report",
          },
          {
            command: `systemctl status openstack-nova-compute   # on ${host ?? 'the destination'} (or its container)`,
            why: 'a service that stopped reporting is down, hung, or cannot reach the message queue',
          },
        ],
      );
    }
    return undefined;
  },
};

const invalidState: Cause<MoveEvidence> = {
  code: 'invalid-state',
  title: "The API refused the move: the instance's state does not allow it",
  decidedBy:
    "nova-api answered the action 409 with InstanceInvalidState (\"Cannot 'resize' instance … while it is in vm_state error\", any language; nova-api's log or the client's printed answer)",
  action:
    'bring the instance to a state the action allows (reset a stuck task, start or stop it), or find what left it there, then try again',
  details: '`operation`, `source`, `destination`, `state`, `attr`, `refusedState`, `action`, `httpStatus`',
  headline: (v, what) =>
    `${what} refused by the API: the instance is in ${v.details.attr ?? 'a state'} ${v.details.refusedState ?? ''}`.trimEnd(),
  decide(ev) {
    // The API's answer as nova-api logged it, or as a client printed it (its error body, `ERROR (Conflict): …`).
    const api = ev.move.api?.refusedWith === 'InstanceInvalidState' ? ev.move.api : undefined;
    const printed = api ? undefined : ev.move.signals.find((x) => x.pasted?.fault && x.exception?.type === 'InstanceInvalidState');
    if (!api && !printed) return undefined;
    const fields = api?.fields ?? exceptionOfText(printed!.exception!.message, ['InstanceInvalidState'])?.fields ?? {};
    const { attr, state } = fields;
    const status = api?.status ?? printed?.pasted?.fault?.code;
    const action = api?.action ?? fields.action ?? fields.method;
    return verdict(
      'invalid-state',
      `The API refused the ${phrase(ev)}${status ? ` (${status})` : ''}: the instance was in ${attr ?? 'a state'} ${state ?? ''}, which does not allow '${action}'. Nothing moved; the instance was left as it was.`.replace(
        / ,/,
        ',',
      ),
      ev.move.signals.map((x) => logEvidence(x)),
      { operation: ev.operation, source: ev.source, destination: ev.destination, state: ev.state, attr, refusedState: state },
      [
        {
          command: `openstack server show ${ev.move.instanceUuid ?? '<server>'} -c status -c OS-EXT-STS:vm_state -c OS-EXT-STS:task_state`,
          why: 'the state the action met; a task_state left set by a failed operation keeps refusing every action',
        },
        {
          command: `openstack server event list ${ev.move.instanceUuid ?? '<server>'}`,
          why: 'the operation that left the instance in that state, and how it ended',
        },
      ],
    );
  },
};

/**
 * Refusals of the request itself, by the class the API answered with: why, in words, from the refusal's own
 * placeholders where it has them, and what to look at before asking again.
 */
const REQUEST_CLASSES: Readonly<
  Record<
    string,
    {
      why: (f: Record<string, string>) => string;
      more?: (f: Record<string, string>) => string;
      remediation: (uuid: string) => Remediation[];
    }
  >
> = {
  CannotResizeToSameFlavor: { why: () => 'the new flavor is the one the instance has', remediation: () => FLAVORS },
  CannotResizeDisk: { why: () => 'the disk cannot be resized that way', remediation: () => FLAVORS },
  FlavorNotFound: { why: () => 'the flavor asked for does not exist (or is not visible to the project)', remediation: () => FLAVORS },
  // The API's schema (nova/api/validation): the body carries a field the action does not take at that microversion, or a
  // value of the wrong kind; a client's own doing (its extras, or a microversion it did not ask for).
  ValidationError: {
    why: (f) =>
      `the body sent did not pass the API's schema (${f.path ? `field ${f.path}` : 'a field'})${f.message ? `: ${f.message}` : ''}`,
    more: () => "The client's request is at fault, not the cloud: what a body may hold depends on the microversion asked.",
    remediation: (uuid) => [
      {
        command: 'openstack versions show --service compute',
        why: "the microversions the API takes; the client's --os-compute-api-version decides which fields the action accepts",
      },
      {
        command: `openstack --debug <the refused command, ${uuid}>`,
        why: "--debug prints the request's body as sent (REQ: curl … -d '…'): compare it with the API reference of the microversion asked",
      },
    ],
  },
  // 2023.1+, microversion 2.95 and later (evacuate.py raises it with a dict, so the message is `{'currently': …}`).
  NotSupportedComputeForEvacuateV295: {
    why: (f) =>
      `the oldest nova-compute counted is at service version ${f.currently ?? '(not said)'}, and an evacuation at microversion 2.95 or later needs ${f.expected ?? '62'}`,
    more: (f) =>
      `${f.currently === '0' ? 'Version 0 means no nova-compute was counted at all: forced-down services are left out, so with every compute forced down (the one being evacuated from included) none is. ' : ''}Before microversion 2.95 the check does not apply.`,
    remediation: (uuid) => [
      {
        command: 'openstack compute service list --service nova-compute --long',
        why: 'which computes are down or forced down (not counted), and which run an older release',
      },
      {
        command: `openstack --os-compute-api-version 2.94 server evacuate ${uuid}`,
        why: 'before 2.95 the version check does not apply (the evacuated server keeps its power state instead of being stopped); or finish upgrading the computes',
      },
    ],
  },
};

const FLAVORS: Remediation[] = [
  {
    command: 'openstack flavor list --all',
    why: 'the flavors that exist; pick one that differs from the current and whose disk is no smaller',
  },
];

const invalidRequest: Cause<MoveEvidence> = {
  code: 'invalid-request',
  title:
    'The API refused the move as asked (same flavor, unknown flavor, a disk that cannot shrink, an evacuation at 2.95+ with computes too old)',
  decidedBy:
    "nova-api answered the action 400 with CannotResizeToSameFlavor, CannotResizeDisk, FlavorNotFound, NotSupportedComputeForEvacuateV295 or its schema's ValidationError (any language, nova-api's log or the client's printed answer)",
  action:
    'ask again with a flavor that exists and differs, with a root disk no smaller than the current one; for an evacuation, bring every compute to the version asked or use a microversion below 2.95',
  details: '`operation`, `source`, `state`, `refusedWith`, `reason`, `flavor`',
  headline: (v, what) => `${what} refused by the API: ${v.details.reason}`,
  decide(ev) {
    // The API's answer as nova-api logged it, or as a client printed it (its error body, `ERROR (BadRequest): …`).
    const api = ev.move.api;
    const printed = api ? undefined : ev.move.signals.find((x) => x.pasted?.fault && x.exception && REQUEST_CLASSES[x.exception.type]);
    const refusedWith = api?.refusedWith ?? printed?.exception?.type;
    const known = refusedWith ? REQUEST_CLASSES[refusedWith] : undefined;
    if (!refusedWith || !known) return undefined;
    const fields = api?.fields ?? (printed?.exception ? (exceptionOfText(printed.exception.message, [refusedWith])?.fields ?? {}) : {});
    const why = known.why(fields);
    const reasonText = api?.fields.reason;
    const reason = reasonText ? `${why}: ${reasonText}` : why;
    const status = api?.status ?? printed?.pasted?.fault?.code;
    return verdict(
      'invalid-request',
      `The API refused the ${phrase(ev)}${status ? ` (${status})` : ''}: ${reason}. ${known.more ? `${known.more(fields)} ` : ''}Nothing moved; the instance was left as it was.`,
      ev.move.signals.map((x) => logEvidence(x)),
      { operation: ev.operation, source: ev.source, state: ev.state, refusedWith, reason },
      known.remediation(ev.move.instanceUuid ?? '<server>'),
    );
  },
};

/** The scheduling causes of builds, decided on the move's own request when the conductor's refusal was NoValidHost. */
function scheduling(c: Cause<BuildEvidence>, refused: 'NoValidHost' | 'any' = 'NoValidHost'): Cause<MoveEvidence> {
  return {
    code: c.code,
    title: c.title,
    decidedBy: `as for a build: ${c.decidedBy}`,
    action: c.action,
    details: c.details,
    headline: c.headline,
    decide(ev) {
      // A MaxRetriesExceeded (a NoValidHost's subclass) is max-retries-exceeded's: hosts were found.
      if (refused === 'NoValidHost' && ev.refusedWith !== 'NoValidHost') return undefined;
      const v = c.decide?.(ev.scheduling());
      return v ? { ...v, details: { operation: ev.operation, source: ev.source, state: ev.state, ...v.details } } : undefined;
    },
  };
}

/**
 * No scheduler log or dump says why, but pasted `resource provider show
 * --allocations` of the very host the move asked for holds the instance's own
 * allocation while the instance is not on it: a failed move's claim never
 * released, which placement counts as used on that host, so the move to it
 * finds no room. Inferred (the provider's inventory is not in the inputs), so
 * tried after the scheduling causes, which read the scheduler's own figures.
 */
const staleClaimOnDestination: Cause<MoveEvidence> = {
  code: 'insufficient-capacity',
  title: "The destination asked for holds the instance's own stale allocation",
  decidedBy:
    'the move asked for a destination and was refused NoValidHost, and pasted `resource provider show --allocations` of that destination holds an allocation of the same instance, which pasted `server show` (or the move itself) puts on another host',
  action: "remove the instance's stale allocation from the destination's provider, then retry the move",
  details: '`operation`, `destination`, `staleAllocation` (provider, resources), `unmanagedAllocation` (the incident of that allocation)',
  headline: (_v, what) => `${what} refused: the destination holds the instance's own stale allocation`,
  decide(ev) {
    const uuid = ev.move.instanceUuid;
    if (ev.refusedWith !== 'NoValidHost' || !ev.destination || !uuid) return undefined;
    const server = cliServers(ev.ctx).get(uuid);
    if (server?.host && sameHost(server.host, ev.destination)) return undefined;
    const stale = cliAllocations(ev.ctx).find(
      (a) => a.consumer === uuid && (sameHost(a.providerName, ev.destination) || a.providerUuid === ev.destination),
    );
    if (!stale) return undefined;
    const host = stale.providerName ?? stale.providerUuid;
    const held = Object.entries(stale.resources)
      .map(([rc, n]) => `${rc} ${n}`)
      .join(', ');
    return {
      ...verdict(
        'insufficient-capacity',
        `The ${phrase(ev)} was refused with NoValidHost: placement provider ${stale.providerUuid} (${host}) still holds an allocation of this same instance (${held}), a failed move's claim never released, and placement counts it as used there, leaving the move no room on the host it asked for.`,
        [
          logEvidence(
            stale.source,
            `resource provider show --allocations: provider ${stale.providerUuid} (${host}) holds ${uuid}: ${held}`,
          ),
          ...(server ? [logEvidence(server.source, `server show: ${uuid} on ${server.host ?? '?'}`)] : []),
        ],
        {
          operation: ev.operation,
          destination: ev.destination,
          staleAllocation: { providerUuid: stale.providerUuid, provider: host, resources: stale.resources },
          unmanagedAllocation: server?.host && !server.taskState ? allocationIncidentId(host, uuid) : undefined,
        },
        [
          {
            command: `openstack resource provider inventory list ${stale.providerUuid}`,
            why: `${host}'s inventory: with the stale allocation's figures it shows what is left for the move`,
          },
          {
            command: `openstack resource provider allocation unset --provider ${stale.providerUuid} ${uuid}`,
            why: `releases the stale ${held} on ${host} (the instance's allocation where it runs stays); then retry the move`,
          },
        ],
      ),
      gaps: [
        `the provider's inventory is not in the inputs: that the stale allocation leaves ${host} no room for the instance is inferred from placement counting it as used, not measured`,
      ],
    };
  },
};

const completionTimeout: Cause<MoveEvidence> = {
  code: 'completion-timeout',
  title: 'The live migration did not converge before its completion timeout',
  decidedBy: 'the source\'s "Live migration not completed after N sec" among the failed live migration\'s lines',
  action:
    'let the migration converge (auto-converge or post-copy), force it to complete at the timeout, or give it more time or bandwidth; or move the guest when it writes less memory',
  details: '`operation`, `source`, `destination`, `state`, `timeoutSeconds`, `lastProgress` (the last "Migration running for …" line)',
  headline: (v, what) => `${what} did not complete within ${v.details.timeoutSeconds} s`,
  decide(ev) {
    const timeout = ev.related.find((x) => matches(migrationCompletionTimeout, x));
    if (!timeout) return undefined;
    const seconds = Number(match(migrationCompletionTimeout, timeout)?.seconds);
    // The libvirt driver's progress lines (INFO, every few minutes): how far the copy had come.
    const progress = ev.related.filter((x) => x.logger === 'nova.virt.libvirt.driver' && /^Migration running for \d+ secs/.test(x.message));
    const last = progress[progress.length - 1];
    const from = ev.source ?? timeout.host;
    const failure = ev.related.filter((x) => matches(liveMigrationFailure, x) || matches(migrationAborted, x));
    return verdict(
      'completion-timeout',
      `The ${phrase(ev)} ran past its completion timeout (${seconds} s, [libvirt] live_migration_completion_timeout times the guest's GiB) and nova ${failure.length > 0 ? 'aborted it' : 'ended it'}: the guest's memory changed faster than it could be copied${last ? ` (last progress: ${firstLine(last.message, 160)})` : ''}.`,
      [timeout, ...(last ? [last] : []), ...failure].map((x) => logEvidence(x)),
      {
        operation: ev.operation,
        source: from,
        destination: ev.destination,
        state: ev.state,
        timeoutSeconds: seconds,
        lastProgress: last?.message,
      },
      [
        {
          command: `# on ${from ?? 'the source'}, in nova.conf:\n[libvirt]\nlive_migration_permit_auto_converge = True\nlive_migration_permit_post_copy = True`,
          why: 'auto-converge slows the guest until the copy catches up; post-copy switches the guest over and pulls the rest (libvirt and QEMU must support it)',
        },
        {
          command: `# on ${from ?? 'the source'}, in nova.conf (Stein and later):\n[libvirt]\nlive_migration_timeout_action = force_complete`,
          why: 'at the timeout, complete the migration (post-copy, or pause the guest for the last copy) instead of aborting it',
        },
        {
          command: `openstack server migration list --server ${ev.move.instanceUuid ?? '<server>'}`,
          why: "the migration's memory and disk figures: how much was left when it was aborted",
        },
      ],
    );
  },
};

/**
 * The libvirt driver's own refusal of a live migration it had started (Juno–Newton): the guest's graphics (VNC,
 * SPICE) listen on an address of the source, or it has a serial console, and the source's libvirt cannot rewrite
 * those addresses for the destination (no VIR_DOMAIN_XML_MIGRATABLE, or the destination cannot report its listen
 * addresses). Raised as MigrationError with one of two reasons of nova's, catalogued in every language
 * (parsers/exception-catalog.data.ts), inside the migration's operation: the live migration fails.
 */
const CONSOLE_REASONS: Readonly<Record<string, 'graphics' | 'serial'>> = {
  'live-migration-graphics-listen': 'graphics',
  'live-migration-serial-console': 'serial',
};

/** The console a MigrationError's reason names (CONSOLE_REASONS), and the event. */
function consoleRefusal(events: readonly StoredEvent[]): { event: StoredEvent; console: 'graphics' | 'serial' } | undefined {
  for (const e of events) {
    const reason = fieldsOf(e, ['MigrationError'])?.reason;
    const key = reason === undefined ? undefined : exceptionOfText(reason, ['MigrationError'])?.reason;
    if (key !== undefined && CONSOLE_REASONS[key]) return { event: e, console: CONSOLE_REASONS[key] };
  }
  return undefined;
}

const consoleAddresses: Cause<MoveEvidence> = {
  code: 'console-addresses',
  title: "The libvirt driver could not move the guest's console addresses",
  decidedBy:
    "MigrationError with the libvirt driver's own reason (Juno–Newton, any language): the graphics (VNC, SPICE) listen on an address of the source, or a serial console is enabled, and libvirt cannot rewrite them for the destination",
  action:
    'make the graphics listen on 0.0.0.0 (or ::) or 127.0.0.1, or disable the serial console, or give the source a libvirt binding with VIR_DOMAIN_XML_MIGRATABLE and the destination a nova-compute that reports its listen addresses; then migrate again',
  details: '`operation`, `source`, `destination`, `state`, `console` (`graphics` or `serial`), `error`',
  headline: (v, what) =>
    `${what} failed: the source's libvirt cannot move the guest's ${v.details.console === 'serial' ? 'serial console' : 'graphics listen addresses'}`,
  decide(ev) {
    const found = consoleRefusal([...ev.move.signals, ...ev.related]);
    if (!found) return undefined;
    const { event: e, console } = found;
    const host = namedHost(ev.source, e.host) ?? 'the source';
    return verdict(
      'console-addresses',
      console === 'serial'
        ? `The ${phrase(ev)} was stopped by the libvirt driver: the guest has a serial console, and the source's libvirt cannot rewrite its address for the destination (no VIR_DOMAIN_XML_MIGRATABLE, or the destination cannot report its listen addresses).`
        : `The ${phrase(ev)} was stopped by the libvirt driver: the guest's graphics (VNC or SPICE) listen on an address of the source, and the source's libvirt cannot rewrite it for the destination (no VIR_DOMAIN_XML_MIGRATABLE, or the destination cannot report its listen addresses).`,
      [logEvidence(e)],
      {
        operation: ev.operation,
        source: ev.source,
        destination: ev.destination,
        state: ev.state,
        console,
        error: e.exception?.message ?? e.message,
      },
      [
        console === 'serial'
          ? {
              command: `grep -A3 '^\\[serial_console\\]' /etc/nova/nova.conf   # on ${host}`,
              why: 'a serial console makes the driver refuse here: disable it ([serial_console] enabled = false), or let nova rewrite its address (below)',
            }
          : {
              command: `grep -E '^(vncserver_listen|server_listen)' /etc/nova/nova.conf   # on ${host}`,
              why: 'graphics listening on 0.0.0.0 (or ::) or 127.0.0.1 need no rewriting: the driver lets those move',
            },
        {
          command: `python -c 'import libvirt; print(hasattr(libvirt, "VIR_DOMAIN_XML_MIGRATABLE"))'   # on ${host}, in nova-compute's python`,
          why: "the driver rewrites the addresses only when libvirt's python binding has this flag and the destination reported its listen addresses",
        },
        {
          command: 'openstack compute service list --service nova-compute',
          why: "the destination reports its listen addresses before the move: a destination's older nova-compute may not",
        },
        {
          command: `openstack server show ${ev.move.instanceUuid ?? '<server>'} -c status -c OS-EXT-SRV-ATTR:host`,
          why: 'where the instance is now, and its state: the driver raised once the migration had started',
        },
      ],
    );
  },
};

const liveFailed: Cause<MoveEvidence> = {
  code: 'live-migration-failed',
  title: 'The hypervisor failed the live migration',
  decidedBy:
    'the source\'s "Live Migration failure: <libvirt error>" or "Error monitoring migration: <error>" (or the compute manager\'s "Live migration failed" or "Post live migration at destination … failed", the conductor\'s "unexpectedly failed"), or the destination\'s QEMU log: "load of migration failed: <error>"',
  action:
    "fix what libvirt says between the two computes (TLS certificates, the migration network, libvirtd listening, the guest's disks); when the destination's QEMU could not load the guest's state, bring the two hosts' QEMU and machine types together",
  details:
    '`operation`, `source`, `destination`, `state`, `error`, `destinationError` (QEMU\'s lines on the destination: the device whose state did not load, then "load of migration failed")',
  headline: (v, what) => `${what} failed in the hypervisor: ${firstLine(String(v.details.error ?? ''), 120)}`,
  decide(ev) {
    const signals = ev.related.filter((x) =>
      [
        liveMigrationFailure,
        migrationMonitorError,
        liveMigrationFailed,
        postLiveMigrationFailed,
        moveUnexpectedlyFailed,
        migrationAborted,
        qemuIncomingLoadFailed,
      ].some((s) => matches(s, x)),
    );
    const e =
      signals.find((x) => matches(liveMigrationFailure, x)) ??
      signals.find((x) => matches(migrationMonitorError, x)) ??
      signals.find((x) => x.service !== 'qemu') ??
      signals[0];
    if (!e) return undefined;
    const load = ev.destinationLoad;
    const error = match(liveMigrationFailure, e)?.error ?? match(migrationMonitorError, e)?.error ?? e.exception?.message ?? e.message;
    // QEMU's own words on the destination: the device whose state did not load, then the load's failure.
    const destinationError = load ? [...load.before, load.event].map((x) => x.message).join('\n') : undefined;
    // The connection that failed, as libvirt named it: over ssh it is the nova user's key and known_hosts.
    const uri = libvirtUri(error);
    const from = ev.source ?? (e === load?.event ? undefined : e.host);
    const qemuOnly = e === load?.event;
    const evidence = [...(load ? load.before : []), ...signals].map((x) => logEvidence(x));
    return verdict(
      'live-migration-failed',
      qemuOnly
        ? `The ${phrase(ev)} failed on the destination: its QEMU could not load the guest's incoming state (${firstLine(destinationError!.replace(/\n/g, '; '), 300)}).`
        : `The ${phrase(ev)} failed in the hypervisor: ${firstLine(error, 300).replace(/\.$/, '')}.${destinationError ? ` On the destination QEMU could not load the guest's state: ${firstLine(destinationError.replace(/\n/g, '; '), 300)}.` : ''}`,
      evidence,
      {
        operation: ev.operation,
        source: ev.source ?? from,
        destination: ev.destination,
        state: ev.state,
        error,
        ...(destinationError ? { destinationError } : {}),
      },
      [
        ...(load
          ? [
              {
                command: `virsh -r version; virsh -r domcapabilities | grep -A3 '<machine'   # on ${ev.source ?? 'the source'} and on ${ev.destination ?? 'the destination'}`,
                why: "QEMU refused the guest's state when the destination's QEMU or machine type does not match the source's: compare the two hosts' versions",
              },
              {
                command: `virsh -r dumpxml ${ev.move.instanceUuid ?? '<instance uuid>'} | grep -E '<type|machine='   # on ${ev.source ?? 'the source'}`,
                why: "the guest's machine type, which the destination's QEMU must offer ([libvirt] hw_machine_type pins it for new guests)",
              },
            ]
          : []),
        // The connection worked when the destination's QEMU received the state: checked by hand only otherwise.
        ...(load
          ? []
          : [
              uri?.transport === 'ssh'
                ? {
                    command: `sudo -u nova virsh -c ${uri.uri} list   # from ${from}, as the user nova-compute runs as`,
                    why: "the connection libvirt made for the migration, over ssh as nova: its error says what to fix (the nova user's key on the destination, its known_hosts)",
                  }
                : {
                    command: `virsh -c ${uri?.uri ?? `qemu+tls://${ev.destination ?? '<destination>'}/system`} list   # from ${from}`,
                    why: 'the same connection libvirt uses for the migration: its error says what to fix (certificates, listening, the network)',
                  },
            ]),
        {
          command: `openstack server show ${ev.move.instanceUuid ?? '<server>'} -c status -c OS-EXT-SRV-ATTR:host`,
          why: 'where the instance runs now, and its state',
        },
      ],
    );
  },
};

const unknown: Cause<MoveEvidence> = {
  code: 'unknown',
  title: 'The evidence read does not show why',
  decidedBy: 'none of the causes above holds; the gaps name what is missing',
  action: 'add what the gaps name (the scheduler log, the computes of both ends) and analyse again',
  details:
    '`operation`, `source`, `destination`, `state`, `refusedWith`, `raised` (the exception its lines name, when one), `traced` (the frames of a traceback quoted without its exception)',
  headline: (v, what) =>
    `${what} failed${v.details.raised ? `: ${v.details.raised}` : Array.isArray(v.details.traced) ? ` in ${v.details.traced.join(' → ')}` : ''}`,
  decide(ev) {
    const gaps: string[] = [];
    if (ev.refusedWith === 'NoValidHost' && !ev.ctx.servicesRead.has('nova-scheduler'))
      gaps.push('no nova-scheduler log: why no host was found is not known');
    if (!ev.ctx.servicesRead.has('nova-compute'))
      gaps.push('no nova-compute log of the source or the destination: a compute-side failure would be there');
    // What the failure's own lines say, where no cause above reads it (a MigrationError's text): said, not explained.
    // A compute's rollback line names the move's error as text (InstanceFaultRollback's).
    const rollback = rollbackOf(ev.move.signals);
    const raised =
      ev.move.signals.find((x) => x.exception && x.exception.type !== 'NoValidHost')?.exception ??
      (rollback ? { type: rollback.type, rawType: rollback.type, message: rollback.message } : undefined);
    // A compute's traceback quoted from its middle, its exception not in the quote: where it failed is all it says.
    const quoted = raised ? undefined : ev.move.signals.find((x) => matches(computeMoveTraceback, x));
    if (quoted) gaps.push(`the exception of ${quoted.host}'s traceback is not in the lines read (the quote starts and ends inside it)`);
    const left = ev.state ? `; the instance was left ${ev.state}` : '';
    // The destination's preparation raised (its volumes, networks, disks): its own log of the request says what.
    const pre = ev.move.signals.find((x) => matches(preLiveMigrationFailed, x));
    const preHost = pre ? (match(preLiveMigrationFailed, pre)?.host ?? ev.destination) : undefined;
    if (pre && !raised)
      gaps.push(
        `what failed on ${preHost} is not in the lines read: its nova-compute log of ${pre.requestId ? `request ${pre.requestId}` : 'the same time'} has the error its pre_live_migration raised (the end of the source's traceback quotes it when whole)`,
      );
    const listed = ev.move.listed;
    if (listed)
      gaps.push(
        "only a server listing pasted after the move command shows the failure (the server in ERROR): no fault ('openstack server show') and no log line of it were read",
      );
    return {
      code: 'unknown',
      summary: raised
        ? `The ${phrase(ev)} failed with ${raised.rawType}: ${sentence(`${firstLine(raised.message, 300)}${left}`)} No cause nova-forensics knows reads it further.`
        : pre
          ? `The ${phrase(ev)} failed while ${preHost} prepared for it: the source's call of its pre_live_migration raised (the destination connects the instance's volumes, sets up its networks and disks there, before the hypervisor copies anything)${left}. Which error it raised is not in the lines read.`
          : quoted
            ? `The ${phrase(ev)} failed on ${quoted.host}: ${tracedThrough(framesOf(quoted))}${left}. Which error it raised is not in the lines read.`
            : listed
              ? `The ${phrase(ev)} left ${listed.name ?? listed.uuid} in ERROR: the server listing pasted after the move command shows it so${left}. Why is not in the lines read.`
              : `The ${phrase(ev)} failed${ev.refusedWith ? ` with ${ev.refusedWith}` : ''}${left}, but the evidence read does not show why.`,
      details: {
        operation: ev.operation,
        source: ev.source,
        destination: ev.destination,
        state: ev.state,
        refusedWith: ev.refusedWith,
        raised: raised?.type,
        ...(quoted ? { traced: tellingFrames(framesOf(quoted)) } : {}),
      },
      evidence: ev.move.signals.map((x) =>
        x === listed?.event
          ? logEvidence(
              x,
              `pasted server listing after the move command: ${listed.uuid}${listed.name ? ` (${listed.name})` : ''} status ${listed.status}`,
            )
          : logEvidence(x),
      ),
      gaps,
      remediation: [
        {
          command: `openstack server event list ${ev.move.instanceUuid ?? '<server>'}`,
          why: "the instance's actions and their errors say what was tried and how it ended",
        },
      ],
    };
  },
};

/** A text as a sentence: a full stop unless it ends with one (or with the ellipsis of a cut). */
const sentence = (text: string): string => (/[.…!?]$/.test(text) ? text : `${text}.`);

export const MOVE_CAUSES: readonly Cause<MoveEvidence>[] = [
  diskExists,
  destinationNotMapped,
  preCheck,
  destinationUnavailable,
  invalidState,
  invalidRequest,
  // The scheduler's silence is no refusal: whatever the conductor's line names, a traceback through select_destinations says it.
  scheduling(schedulerUnreachable, 'any'),
  moveMaxRetriesExceeded,
  ...[
    placementUnreachable,
    resourceClassNotOffered,
    maxUnitExceeded,
    insufficientCapacity,
    filtersRejectedAllHosts,
    noAllocationCandidates,
  ].map((c) => scheduling(c)),
  staleClaimOnDestination,
  completionTimeout,
  sshToDestinationFailed,
  consoleAddresses,
  liveFailed,
  unknown,
];
