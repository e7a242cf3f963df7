import type { StoredEvent } from '../../correlate/event-store.js';
import { short } from '../detector.js';
import { type Attempt, type BuildEvidence, failureErrorText } from './evidence.js';

/**
 * A failed build whose own lines name no cause, but whose error text is the very one another build of the same input
 * failed with where that build's lines decided it: a server's fault pasted alone ("Build of instance … aborted: Auth
 * plugin requires parameters which were not given: auth_url") beside the compute log of another build whose network
 * cleanup met the same error from neutron's client. The same error on the same compute (or on one the fault does not
 * name) is taken for the same failure, and the verdict says whose lines decided it.
 */

interface Decided {
  attempt: Attempt;
  build: string;
}

/** Builds' attempts whose cause another line decided, by their error text. */
function decidedByText(builds: readonly BuildEvidence[]): Map<string, Decided> {
  const out = new Map<string, Decided>();
  for (const ev of builds)
    for (const a of ev.attempts()) {
      if (!a.kind || !a.decidedBy || a.sameErrorAs) continue;
      const text = failureErrorText(a.event);
      if (text && !out.has(text)) out.set(text, { attempt: a, build: nameOf(ev) });
    }
  return out;
}

function nameOf(ev: BuildEvidence): string {
  const b = ev.build;
  return b.instanceUuid ? `instance ${short(b.instanceUuid)}` : b.requestIds.size ? `request ${[...b.requestIds][0]}` : 'another build';
}

/** Same compute, or a line that names none (a pasted fault). */
function sameCompute(a: string, b: string): boolean {
  return a === 'unknown' || b === 'unknown' || a.split('.')[0] === b.split('.')[0];
}

/** The compute a failing line is of: a pasted fault or table names none (its host is where the command ran). */
function computeOf(e: StoredEvent): string {
  return e.pasted ? 'unknown' : e.host;
}

/**
 * Gives each build that has no classified attempt, and whose failing line's error text another build's decided
 * attempt shares, that cause: its own attempt when one was read, else an attempt of its failing line.
 */
export function causesFromSameErrors(builds: readonly BuildEvidence[]): void {
  const decided = decidedByText(builds);
  if (decided.size === 0) return;
  for (const ev of builds) {
    const attempts = ev.attempts();
    if (attempts.some((a) => a.kind || a.spawn)) continue;
    const candidates = attempts.length ? attempts : ev.build.signals;
    for (const x of candidates) {
      const event = 'event' in x ? x.event : x;
      const text = failureErrorText(event);
      const d = text ? decided.get(text) : undefined;
      if (!text || !d || d.attempt.event === event || !sameCompute(d.attempt.host, 'event' in x ? x.host : computeOf(event))) continue;
      const sameErrorAs = { build: d.build, error: text };
      if ('event' in x) Object.assign(x, { kind: d.attempt.kind, decidedBy: d.attempt.decidedBy, sameErrorAs });
      else
        ev.addAttempt({
          host: computeOf(event),
          kind: d.attempt.kind,
          label: d.attempt.label,
          event,
          spawn: false,
          decidedBy: d.attempt.decidedBy,
          sameErrorAs,
        });
      break;
    }
  }
}
