import { tsMs } from '../model/clock.js';
import type { Event } from '../model/event.js';
import { hashKey, type SpilledMeta } from './context-spill.js';

/**
 * What the event store does with one event, decided from the event alone:
 * the signatures it carries, whether it is kept and as what, and the record a
 * spilled one becomes. Both the store (event-store.ts) and a parse worker
 * (store-digest.ts, which hands the store the same decisions made in another
 * process) decide here, so the two cannot drift apart.
 */

/**
 * Which events to keep, decided once per event at ingest. The registry builds
 * it from what the detectors declare (src/registry/keep.ts): the signatures
 * they key on, indexed here by id, and the context their timelines show.
 */
export interface KeepRule {
  /** Ids of the signatures the event carries. */
  signaturesOf(ev: Event): readonly string[];
  /** Kept for timelines though it carries no signature. */
  context(ev: Event): boolean;
  /** What a kept event is to the incidents (see `Role`). Absent: every kept event is an anchor, never let go. */
  role?(ev: Event, signatures: readonly string[]): Role;
}

/**
 * What a kept event is worth once the store is full (a long log of a cloud in
 * trouble fills it long before its end):
 * - `anchor`: what incidents start from (a failure's signature): never let go;
 * - `keys`: context of the requests and uuids it names (a scheduler's DEBUG decision,
 *   a compute's INFO step, an ERROR no signature names): kept while an anchor names one of them;
 * - `time`: context no request or uuid ties to anything (a placement query that names
 *   no caller, a periodic audit, a broker's `[-]` ERROR): kept when it is the last before an anchor or among the
 *   first after one on its host (`timedNearAnchors`), or its keys tie it.
 * The newest tenth of the store is never let go: the anchor of a line just read may
 * be a few lines further on.
 */
export type Role = 'anchor' | 'keys' | 'time';

export const ANCHOR = 0;
export const KEYS = 1;
export const TIME = 2;
const ROLE_CODE: Record<Role, number> = { anchor: ANCHOR, keys: KEYS, time: TIME };
/** Or'ed into a spilled event's role: it may fill the reserve (`StoreCaps.reserve`). */
export const RESERVED = 4;
/** `Classified.role` of an event the store does not keep. */
export const NOT_KEPT = -1;

/** What a kept event costs beyond its texts: the event object, its small objects and index entries (measured: ~650 bytes). */
export const EVENT_OVERHEAD = 640;

/** Estimated heap bytes of an event (one-byte strings; the message is a slice of `raw` unless decoding changed it). */
export function approxBytes(ev: Event): number {
  let n = EVENT_OVERHEAD + ev.raw.length + (ev.decoded ? ev.message.length : 0);
  if (ev.traceback) for (const l of ev.traceback) n += l.length + 32;
  if (ev.exceptionChain) n += ev.exceptionChain.length * 120;
  return n;
}

/** The default reserve (`StoreCaps.reserve`): events that carry a signature, and WARNING and above. */
export const signalOrWarning = (ev: Event, signatures: readonly string[]): boolean =>
  signatures.length > 0 || ev.level === 'WARNING' || ev.level === 'ERROR' || ev.level === 'CRITICAL';

export interface Classified {
  sigs: readonly string[];
  /** ANCHOR, KEYS or TIME; NOT_KEPT when the store only counts it. */
  role: number;
}

export function classify(keep: KeepRule, ev: Event): Classified {
  const sigs = keep.signaturesOf(ev);
  if (sigs.length === 0 && !keep.context(ev)) return { sigs, role: NOT_KEPT };
  return { sigs, role: ROLE_CODE[keep.role?.(ev, sigs) ?? 'anchor'] };
}

/** What choosing a spilled event at the end needs (`ContextSpill.put`). */
export function spillMeta(ev: Event, role: number, reserved: boolean): SpilledMeta {
  const named = namedUuids(ev);
  const requests = requestKeys(ev);
  const keys = requests.map(hashKey);
  if (ev.instanceUuid) keys.push(hashKey(ev.instanceUuid));
  for (const u of named ?? []) keys.push(hashKey(u));
  return {
    role: role | (reserved ? RESERVED : 0),
    t: ev.ts ? tsMs(ev.ts) : Number.NaN,
    host: ev.host,
    file: ev.file,
    line: ev.line,
    size: approxBytes(ev),
    requestKeys: requests.length,
    keys,
  };
}

/** The uuids an event's message names besides its instance, once each. */
export function namedUuids(e: Event): string[] | undefined {
  let named: string[] | undefined;
  for (const u of uuidsIn(e.message)) if (u !== e.instanceUuid && !named?.includes(u)) (named ??= []).push(u);
  return named;
}

/**
 * The uuids in `s`, in order: what `/(?<!req-)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g`
 * finds, a lower-case 8-4-4-4-12 uuid standing alone (not inside a word, not a `req-` id). Scanned by hand
 * from each `-`: every message of every kept event is searched, and that regex with `matchAll` was 4% of a
 * run (test/uuids-in.test.ts holds the two to each other on the real logs).
 */
export function uuidsIn(s: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (let dash = s.indexOf('-', from); dash !== -1; dash = s.indexOf('-', from)) {
    const start = dash - 8;
    if (start >= 0 && isUuidAt(s, start)) {
      out.push(s.slice(start, start + 36));
      from = start + 36;
    } else {
      from = dash + 1;
    }
  }
  return out;
}

function isUuidAt(s: string, at: number): boolean {
  if (at + 36 > s.length) return false;
  if (at > 0 && isWordChar(s.charCodeAt(at - 1))) return false;
  if (at + 36 < s.length && isWordChar(s.charCodeAt(at + 36))) return false;
  if (at >= 4 && s.startsWith('req-', at - 4)) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(at + i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45 /* - */) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** `\w` of a regex without the `u` flag. */
function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** The request ids an event names (local, then global). */
export function requestKeys(e: Event): string[] {
  if (!e.requestId) return e.globalRequestId ? [e.globalRequestId] : [];
  return e.globalRequestId && e.globalRequestId !== e.requestId ? [e.requestId, e.globalRequestId] : [e.requestId];
}

/**
 * An event as one line of JSON. A message that is a slice of the raw line (nothing decoded) is written as
 * its place in it: the spill is smaller, and read back it is a slice again, sharing the raw line's memory.
 * `spilled`: its host and file are left empty (in their places, so the keys keep their order): the spill's
 * columns hold them, and reading it back puts them in again (`EventStore.seal`).
 */
export function toJson(ev: Event, spilled = false): string {
  const { message, host, file } = ev;
  const at = ev.decoded || message.length < 13 ? -1 : ev.raw.indexOf(message);
  if (at >= 0) (ev as { message: unknown }).message = [at, message.length];
  if (spilled) ev.host = ev.file = '';
  try {
    return JSON.stringify(ev);
  } finally {
    ev.message = message;
    ev.host = host;
    ev.file = file;
  }
}

/**
 * Makes again the event an oslo.log line made (parsers/oslo-events.ts `eventOfLine`), with the host, file
 * and service given; undefined when the line is not one.
 */
export type Rebuild = (line: string, lineNo: number, host: string, file: string, service: string) => Event | undefined;

/**
 * A spilled event as text: its raw line when `ofLine` (its parser can make it again from that line alone:
 * parsers/oslo-events.ts `eventOfLine`), else its JSON (`toJson`). Most spilled context is never read
 * back, and its JSON was the largest cost of spilling it (2.4 times the line's bytes, and a tenth of a
 * quiet log's run). The line goes after its service and its time, which the reader may have set (`--tz`).
 */
export function toSpilled(ev: Event, ofLine: boolean): string {
  return ofLine ? `\u0000${ev.service}\u0000${ev.ts}\u0000${ev.raw}` : toJson(ev, true);
}

/** A spilled event again (`toSpilled`); host and file are the spill's columns, and are set by the caller. */
export function fromSpilled<T extends Event>(text: string, lineNo: number, rebuild: Rebuild | undefined): T {
  if (text.charCodeAt(0) !== 0) return fromJson<T>(text);
  const service = text.indexOf('\u0000', 1);
  const ts = text.indexOf('\u0000', service + 1);
  const ev = rebuild?.(text.slice(ts + 1), lineNo, '', '', text.slice(1, service));
  // The reader spilled it as a line only because its parser said that line makes it.
  if (!ev) throw new Error(`a spilled line could not be read again (line ${lineNo})`);
  ev.ts = text.slice(service + 1, ts);
  return ev as T;
}

export function fromJson<T extends Event>(json: string): T {
  const e = JSON.parse(json) as T;
  const m = e.message as unknown;
  if (Array.isArray(m)) e.message = e.raw.slice(m[0], m[0] + m[1]);
  return e;
}
