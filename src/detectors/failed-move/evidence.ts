import { exceptionOfText } from '../../../parsers/exception-text.js';
import type { StoredEvent } from '../../correlate/event-store.js';
import { type DetectContext, libvirtUri, namedHost } from '../detector.js';
import { PASTED_MOVES } from '../pasted-faults.js';
import type { BuildEvidence } from '../failed-build/evidence.js';
import { gatherEvidence } from '../failed-build/evidence.js';
import {
  liveMigrationFailure,
  moveUnexpectedlyFailed,
  postLiveMigrationFailed,
  preLiveMigrationFailed,
  qemuIncomingLoadFailed,
  unshelveNoValidHost,
} from '../../signatures/move.js';
import { MOVE_ACTIONS } from '../../signatures/api.js';
import { computeMoveTraceback } from '../../signatures/compute.js';
import { framesOf, LIVE_MOVE_FRAMES, MOVE_FRAMES } from '../../signatures/compute-failure.js';
import { checkTypeOf, schedulerIgnoringHosts } from '../../signatures/scheduler.js';
import { match, matches } from '../../signatures/signature.js';
import { conductorRefusal, LIVE_SIGNATURES, type Move, rollbackOf, stateLeft } from './moves.js';

/** What the cause rules of one failed move read: the move, its events, and what was tried. */
export interface MoveEvidence {
  ctx: DetectContext;
  move: Move;
  related: readonly StoredEvent[];
  /** live migration, cold migration, resize, evacuation… as far as the evidence says. */
  operation: string;
  source?: string;
  destination?: string;
  /** The state the conductor set the instance back to, or the database's vm_state. */
  state?: string;
  /** The class the conductor's refusal names (its text in nova's formats), e.g. NoValidHost. */
  refusedWith?: string;
  /** A resize's flavors: the instance's (its request spec's) and the one asked for, as far as the lines and dump say. */
  flavor?: { from?: string; to?: string };
  /** The scheduling side, as failed-build reads it (placement's query and figures, the filters). */
  scheduling(): BuildEvidence;
  /** The destination's QEMU refused the incoming state: its line, and QEMU's errors just before it (the device whose state did not load). */
  destinationLoad?: { event: StoredEvent; before: StoredEvent[] };
}

/** "live migration from cmp01 to cmp02": what was tried, as far as the evidence says. */
export const phrase = (ev: Pick<MoveEvidence, 'operation' | 'source' | 'destination'>): string =>
  `${ev.operation}${ev.source ? ` from ${ev.source}` : ''}${ev.destination ? ` to ${ev.destination}` : ''}`;

const LIVE_ONLY = [
  'ComputeServiceUnavailable',
  'UnableToMigrateToSelf',
  'InvalidSharedStorage',
  'InvalidLocalStorage',
  'MigrationPreCheckError',
];

function operationOf(move: Move, related: readonly StoredEvent[]): string {
  // The API refused the action: no migrations row was made for it, whatever older rows say.
  if (move.api) return MOVE_ACTIONS[move.api.action];
  if (move.signals.some((e) => matches(unshelveNoValidHost, e))) return 'unshelve';
  const type = move.migration?.migrationType;
  if (type === 'live-migration') return 'live migration';
  if (type === 'resize') return 'resize';
  if (type === 'evacuation') return 'evacuation';
  if (type === 'migration') return 'cold migration';
  const refusal = move.signals.map(conductorRefusal).find((r) => r !== undefined);
  const pasted = move.signals.find((e) => e.pasted?.move)?.pasted?.move;
  if (!refusal && pasted) return PASTED_MOVES[pasted] ?? 'migration';
  if (refusal?.method === 'rebuild_server') return 'evacuation (or rebuild)';
  const check = move.moveMark ? checkTypeOf(move.moveMark) : undefined;
  if (check === 'rebuild') return 'rebuild (a new image checked by the scheduler)';
  // The compute's rollback names the move's error: a rebuild's abort is an evacuation's or a rebuild's, the rest a resize's.
  const rollback = rollbackOf(move.signals);
  if (rollback) return rollback.type === 'BuildAbortException' ? 'evacuation (or rebuild)' : 'cold migration or resize';
  // ResizeError is raised by a resize's or a cold migration's compute only (migrate_disk_and_power_off, finish_migration).
  if (move.signals.some((e) => (e.exceptionChain ?? (e.exception ? [e.exception] : [])).some((x) => x.type === 'ResizeError')))
    return 'cold migration or resize';
  if (move.signals.some((e) => LIVE_SIGNATURES.some((s) => matches(s, e)))) return 'live migration';
  // Checks only the live migration task makes (a cold migration's destination is the scheduler's).
  if (refusal && exceptionOfText(refusal.text, LIVE_ONLY)) return 'live migration';
  // A compute's traceback quoted from its middle: its frames say which kind of move.
  const frames = move.signals.filter((e) => matches(computeMoveTraceback, e)).flatMap(framesOf);
  if (frames.some((f) => LIVE_MOVE_FRAMES.includes(f))) return 'live migration';
  if (frames.some((f) => MOVE_FRAMES.includes(f))) return 'cold migration or resize';
  const traced = related.flatMap((e) => e.traceback ?? []).join('\n');
  if (/tasks\/live_migrate\.py|_live_migrate\b/.test(traced)) return 'live migration';
  if (/tasks\/migrate\.py|_cold_migrate\b/.test(traced)) return 'cold migration or resize';
  return 'migration';
}

/**
 * The destination as the lines name it: the conductor's or the source's
 * message, or the URI libvirt could not reach (`qemu+tcp://HOST/system`).
 */
function destinationNamed(signals: readonly StoredEvent[]): string | undefined {
  for (const e of signals) {
    const host =
      match(postLiveMigrationFailed, e)?.host ?? match(preLiveMigrationFailed, e)?.host ?? match(moveUnexpectedlyFailed, e)?.host;
    if (host) return host;
    const error = match(liveMigrationFailure, e)?.error;
    const uri = libvirtUri(error);
    if (uri) return uri.host;
  }
  return undefined;
}

/** The destination a refused action asked for: its body's `host`, or the host the refusal names. */
function requestedHost(move: Move): string | undefined {
  const host = move.api?.args?.host;
  if (typeof host === 'string' && host) return host;
  return move.api?.fields.host;
}

/** The state a refused action left: the one the refusal names (vm_state), else the database's. Nothing changed it. */
function stateRefusedIn(move: Move): string | undefined {
  const f = move.api?.fields;
  if (f?.attr === 'vm_state' && f.state) return f.state.toUpperCase();
  return move.dbInstance?.vmState?.toUpperCase();
}

function flavorOf(ctx: DetectContext, move: Move, operation: string): { from?: string; to?: string } | undefined {
  if (operation !== 'resize') return undefined;
  const ref = move.api?.args?.flavorRef;
  const to = typeof ref === 'string' || typeof ref === 'number' ? String(ref) : move.api?.fields.flavor_id;
  const spec = move.instanceUuid ? ctx.facts.api?.requestSpecs.find((s) => s.instanceUuid === move.instanceUuid) : undefined;
  const from = spec?.flavor?.name;
  return to || from ? { ...(from ? { from } : {}), ...(to ? { to } : {}) } : undefined;
}

/** QEMU's lines a load failure ends: the errors of the same guest's log in the few lines before it. */
const LOAD_CONTEXT_LINES = 12;

function destinationLoadOf(ctx: DetectContext, move: Move): MoveEvidence['destinationLoad'] {
  const event = move.signals.find((e) => matches(qemuIncomingLoadFailed, e));
  if (!event) return undefined;
  const pool = event.instanceUuid ? (ctx.store.byUuid.get(event.instanceUuid) ?? []) : ctx.store.events;
  const before = pool
    .filter(
      (x) =>
        x.file === event.file &&
        x.logger === 'qemu' &&
        x.level === 'ERROR' &&
        x.line < event.line &&
        x.line >= event.line - LOAD_CONTEXT_LINES,
    )
    .sort((a, b) => a.line - b.line);
  return { event, before };
}

export function gatherMoveEvidence(ctx: DetectContext, move: Move, related: readonly StoredEvent[]): MoveEvidence {
  let scheduling: BuildEvidence | undefined;
  const refusal = move.signals.map(conductorRefusal).find((r) => r !== undefined);
  const m = move.migration;
  const self = move.signals.map((e) => exceptionOfText(conductorRefusal(e)?.text ?? '', ['UnableToMigrateToSelf'])).find(Boolean);
  // A file that named no host was read as host `unknown`: no source is better than that placeholder.
  const liveSource = namedHost(move.signals.find((e) => e.service === 'nova-compute' && e.logger === 'nova.virt.libvirt.driver')?.host);
  const destinationLoad = destinationLoadOf(ctx, move);
  return {
    destinationLoad,
    ctx,
    move,
    related,
    operation: operationOf(move, related),
    source:
      m?.sourceCompute ??
      liveSource ??
      move.dbInstance?.host ??
      self?.fields.host ??
      // The scheduler leaves the instance's own host out of a move's candidates.
      related.map((e) => match(schedulerIgnoringHosts, e)?.hosts.split(',')[0].trim()).find(Boolean),
    destination: move.api
      ? requestedHost(move)
      : (m?.destCompute ??
        self?.fields.host ??
        destinationNamed(move.signals) ??
        // The destination's QEMU log is the destination's own.
        namedHost(destinationLoad?.event.host) ??
        // The command typed before a pasted refusal (`server migrate --host <host>`).
        move.signals.find((e) => e.pasted?.destination)?.pasted?.destination),
    state: move.api
      ? stateRefusedIn(move)
      : (stateLeft(related) ??
        // The conductor clears the task only: an unshelve that found no host leaves the instance offloaded.
        (move.signals.some((e) => matches(unshelveNoValidHost, e)) ? 'SHELVED_OFFLOADED' : undefined) ??
        move.dbInstance?.vmState?.toUpperCase()),
    // The scheduler raises NoValidHost when its filters or placement leave no host.
    refusedWith: move.api
      ? move.api.refusedWith
      : refusal
        ? (exceptionOfText(refusal.text)?.type ?? undefined)
        : move.schedulerOnly || move.signals.some((e) => matches(unshelveNoValidHost, e))
          ? 'NoValidHost'
          : move.signals.find((e) => e.pasted?.fault && e.exception)?.exception?.type,
    flavor: flavorOf(ctx, move, operationOf(move, related)),
    scheduling: () =>
      (scheduling ??= gatherEvidence(
        ctx,
        { key: move.key, instanceUuid: move.instanceUuid, requestIds: move.requestIds, signals: move.signals, dbInstance: move.dbInstance },
        related,
      )),
  };
}
