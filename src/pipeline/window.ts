import { parseTimeArg } from './time.js';

/**
 * `--since` / `--until`: the part of the logs an answer needs, when the ticket
 * says when it happened. Times compare as each host wrote them (local wall
 * clock, `YYYY-MM-DDTHH:mm:ss.SSS`), as `events --since` always did; an event
 * with no time of its own (a pasted message) is kept, since nothing places it
 * outside. Database dumps are state at one moment and are read whole.
 */
export interface TimeWindow {
  since?: string;
  until?: string;
}

/**
 * How far past `--until` a plain oslo.log is still read before the reader stops. Processes that share
 * a log write their records a little out of time order (an eventlet worker's record stamped before
 * another's, written after it); the events past `until` are left out all the same, this only keeps
 * the stop from cutting such a record off.
 */
export const UNTIL_SLACK_MS = 10 * 60 * 1000;

/** The window of `--since` / `--until` as typed, or undefined when neither is given. */
export function timeWindow(since: string | undefined, until: string | undefined): TimeWindow | undefined {
  if (since === undefined && until === undefined) return undefined;
  const w: TimeWindow = {};
  if (since !== undefined) w.since = parseTimeArg(since);
  if (until !== undefined) w.until = parseTimeArg(until);
  if (w.since && w.until && w.until < w.since) throw new Error(`--until ${until} is before --since ${since}`);
  return w;
}

/** Where a written time falls: before the window, after it, or in it (undefined), for an undated event too. */
export function outsideWindow(w: TimeWindow, ts: string): 'before' | 'after' | undefined {
  if (ts === '') return undefined;
  // An offset suffix (a zoned time) does not count: the window is in the hosts' own wall clock.
  const t = ts.length > 23 ? ts.slice(0, 23) : ts;
  if (w.since !== undefined && t < w.since) return 'before';
  if (w.until !== undefined && t > w.until) return 'after';
  return undefined;
}

/** `until` plus the slack, as a written time (what the reader of a plain oslo.log stops after). */
export function stopAfter(w: TimeWindow): string | undefined {
  if (w.until === undefined) return undefined;
  const [d, t] = w.until.split('T');
  const [y, mo, da] = d.split('-').map(Number);
  const [h, mi, s] = t.split(':').map(Number);
  const ms = Date.UTC(y, mo - 1, da, h, mi, 0) + Math.round(s * 1000) + UNTIL_SLACK_MS;
  return new Date(ms).toISOString().slice(0, 23);
}
