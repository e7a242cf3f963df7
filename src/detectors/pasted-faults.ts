import type { StoredEvent } from '../correlate/event-store.js';
import { tsMs } from '../model/clock.js';
import { computeExternalEventFailed } from '../signatures/compute.js';
import { pastedFault } from '../signatures/fault.js';
import { filterReturnedZero, filtersRemovedAllHosts, schedulerNoCandidates } from '../signatures/scheduler.js';
import { type DetectContext, signalled } from './detector.js';

/**
 * The server faults pasted alone (src/signatures/fault.ts), each with the
 * failure it belongs to: the instance or request it names; where it names
 * neither, the one its own file names, else the only one the pasted faults
 * of the inputs name (a dashboard's pane beside the client's error that named
 * the server); else the scheduler's refusal of the same moment (its `created`
 * time, UTC, against the log's). And whether it shows a move: then it is the
 * failed-move detector's, never a build's. One reading for both detectors.
 */

export interface PastedFailure {
  event: StoredEvent;
  instanceUuid?: string;
  requestId?: string;
  /** The move the paste shows, for this fault or another of its instance. */
  move?: string;
  /** How the failure was found when the fault names none. */
  tiedBy?: 'file' | 'only-instance' | 'event' | 'time' | 'only-refusal';
  /** The scheduler's refusal tied by time. */
  refusal?: StoredEvent;
}

/** The move a pasted fault or client's error shows (parsers/fault-text.ts), in words. */
export const PASTED_MOVES: Record<string, string> = {
  resize: 'resize',
  migrate: 'cold migration or resize',
  'live-migrate': 'live migration',
  evacuate: 'evacuation',
};

const cache = new WeakMap<DetectContext, PastedFailure[]>();
/** A fault's `created` and the scheduler's line of the same failure: the scheduler logs before the conductor records the fault. */
const SAME_MOMENT_MS = 5_000;

export function pastedFailures(ctx: DetectContext): PastedFailure[] {
  const known = cache.get(ctx);
  if (known) return known;
  const faults = signalled(ctx, pastedFault);
  const instances = [...new Set(faults.flatMap((e) => (e.instanceUuid ? [e.instanceUuid] : [])))];
  // The instances whose external event failed on a compute (a pasted message of it): a fault beside it is theirs when one.
  const evented = [...new Set(signalled(ctx, computeExternalEventFailed).flatMap((e) => (e.instanceUuid ? [e.instanceUuid] : [])))];
  const moves = new Map<string, string>();
  for (const e of faults) if (e.instanceUuid && e.pasted?.move) moves.set(e.instanceUuid, e.pasted.move);
  const out = faults.map((e): PastedFailure => {
    const f: PastedFailure = { event: e, instanceUuid: e.instanceUuid, requestId: e.requestId };
    if (!f.instanceUuid && !f.requestId) {
      // The server the same paste names, unless its own faults say another failure (a ticket's banners of two servers).
      const sameFile = faults.find((x) => x.file === e.file && x.instanceUuid)?.instanceUuid;
      if (sameFile && !otherFailure(faults, e, sameFile)) Object.assign(f, { instanceUuid: sameFile, tiedBy: 'file' });
      // Not when that server's own faults name another exception: another failure, most likely another server's
      // (two dashboard banners, one naming its server's uuid, the other only its name).
      else if (instances.length === 1 && !otherFailure(faults, e, instances[0]))
        Object.assign(f, { instanceUuid: instances[0], tiedBy: 'only-instance' });
      else if (instances.length === 0 && evented.length === 1) Object.assign(f, { instanceUuid: evented[0], tiedBy: 'event' });
      else {
        const refusal = refusalAt(ctx, e.pasted?.fault?.created);
        if (refusal) Object.assign(f, { requestId: refusal.requestId, instanceUuid: refusal.instanceUuid, tiedBy: 'time', refusal });
        else {
          // No time to go by (a dashboard's pane): a NoValidHost fault is the refusal of the only request the
          // scheduler's log shows refused.
          const only = e.exception?.type === 'NoValidHost' && !e.pasted?.fault?.created ? onlyRefusal(ctx) : undefined;
          if (only) Object.assign(f, { requestId: only.requestId, instanceUuid: only.instanceUuid, tiedBy: 'only-refusal', refusal: only });
        }
      }
    }
    f.move = e.pasted?.move ?? (f.instanceUuid ? moves.get(f.instanceUuid) : undefined);
    return f;
  });
  cache.set(ctx, out);
  return out;
}

/**
 * `e` is another failure than the pasted faults of `instance`: it names an exception and theirs name others; or,
 * where either names none, its message is none of theirs (a ticket collecting several failures, one of them of a
 * named server: a qemu error and an unsupported PCI passthrough are not that server's to_utf8 reschedule).
 */
function otherFailure(faults: readonly StoredEvent[], e: StoredEvent, instance: string): boolean {
  const theirs = faults.filter((x) => x.instanceUuid === instance && x !== e);
  const own = theirs.flatMap((x) => (x.exception ? [x.exception.type] : []));
  if (e.exception && own.length === theirs.length && own.length > 0) return !own.includes(e.exception.type);
  // Only the server's fault itself, as `server show`, the API or a dashboard's pane print it, is compared by its text:
  // a client's line (`Error resizing server: <id>`) stands for a fault it does not quote.
  if (!isFaultRecord(e)) return false;
  const text = faultText(e);
  const texts = theirs.filter(isFaultRecord).map(faultText).filter(Boolean);
  return !!text && texts.length > 0 && !texts.some((t) => t.startsWith(text) || text.startsWith(t));
}

const FAULT_RECORDS: ReadonlySet<string> = new Set([
  'fault-dict',
  'server-table',
  'api-response',
  'json-fields',
  'dashboard-pane',
  'table',
]);

function isFaultRecord(e: StoredEvent): boolean {
  return FAULT_RECORDS.has(e.pasted?.shape ?? '');
}

/** A fault's message as two pastes of it compare: its first 40 characters, case and spacing aside. */
export function faultText(e: StoredEvent): string {
  return comparable(e.pasted?.fault?.message ?? e.message).slice(0, 40);
}

/** A text with case and spacing aside. */
export function comparable(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The scheduler's refusal when the inputs show exactly one request refused (no hosts left, no candidates). */
function onlyRefusal(ctx: DetectContext): StoredEvent | undefined {
  const refusals = [filtersRemovedAllHosts, schedulerNoCandidates, filterReturnedZero]
    .flatMap((s) => signalled(ctx, s))
    .filter((e) => e.requestId);
  return new Set(refusals.map((e) => e.requestId)).size === 1 ? refusals[0] : undefined;
}

/** The one scheduler refusal (with a request id) logged within a few seconds of a fault's `created`, read as the same clock. */
function refusalAt(ctx: DetectContext, created: string | undefined): StoredEvent | undefined {
  if (!created) return undefined;
  const t = Date.parse(created.endsWith('Z') ? created : `${created}Z`);
  if (Number.isNaN(t)) return undefined;
  // A journal's short lines carry no year (the one assumed may be the file's): the fault's year is the failure's.
  const year = created.slice(0, 4);
  const near = [...signalled(ctx, schedulerNoCandidates), ...signalled(ctx, filtersRemovedAllHosts)].filter(
    (e) => e.requestId && e.ts && Math.abs(tsMs(`${year}${e.ts.slice(4)}`) - t) <= SAME_MOMENT_MS,
  );
  const reqs = new Set(near.map((e) => e.requestId));
  return reqs.size === 1 ? near[0] : undefined;
}

/** What an incident says of a failure known from a pasted fault. */
export function pastedGaps(list: readonly StoredEvent[], who: string): string[] {
  const faults = list.filter((e) => e.pasted?.fault);
  if (faults.length === 0) return [];
  const gaps: string[] = [];
  if (faults.length === list.length)
    gaps.push(
      `only the server's fault was read (pasted: ${[...new Set(faults.map((e) => e.pasted!.shape))].join(', ')}), no log of the failure: the nova-conductor and nova-compute logs of ${who} would say why`,
    );
  return gaps;
}

/** How a fault that named no server was tied to one: said in the gaps, as it is inferred. */
export function tieNote(tiedBy: string | undefined, instance: string | undefined, request: string | undefined): string | undefined {
  if (tiedBy === 'time')
    return `the pasted fault names no server: it is tied to request ${request} by time (its created time and the scheduler's refusal within 5 s, the log's clock read as UTC, its year as the fault's)`;
  if (tiedBy === 'file') return `a pasted fault names no server: taken to be ${instance}'s, which the same paste names`;
  if (tiedBy === 'event')
    return `the pasted fault names no server: taken to be ${instance}'s, the only instance whose external event (network-vif-plugged…) the inputs show failing`;
  if (tiedBy === 'only-refusal')
    return `the pasted fault names no server, request or time: tied to request ${request}, the only request the scheduler's log shows refused`;
  if (tiedBy === 'only-instance')
    return `a pasted fault names no server: taken to be ${instance}'s, the only server the pasted faults name`;
  return undefined;
}
