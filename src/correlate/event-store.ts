import { type HostSpan, tsMs } from '../model/clock.js';
import { orderTs, type Event } from '../model/event.js';
import { detached, RequestSpans } from './request-spans.js';

export type { HostSpan };

/**
 * The events an incident can need, indexed by request id (local and global),
 * by the uuids they mention (instances, migrations, consumers), by the
 * signatures they carry, and in arrival order. Everything else is counted and
 * let go: a multi-GB DEBUG log must not be held. Every request id also gets a
 * tiny per-host first sighting (bounded), which the clock-offset estimate reads.
 *
 * Memory is bounded whatever the input: the cap counts events of every level
 * and their estimated size. Events the reserve picks (those that carry a
 * signature, and WARNING and above, by default) may fill its last quarter;
 * everything past the cap is counted (`droppedAtCap`), and the first one
 * dropped is named.
 */

export interface StoredEvent extends Event {
  seq: number;
}

export interface StoreStats {
  seen: number;
  retained: number;
  /** Worth keeping but past the cap (of any level). */
  droppedAtCap: number;
  /** Where the first event past the cap was read. */
  firstDropped?: { file: string; line: number };
  requestsTracked: number;
  requestsUntracked: number;
  /** Events seen per signature id (kept or not). */
  signatures: Record<string, number>;
}

const UUID = /(?<!req-)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;

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
}

export interface StoreCaps {
  /** The cap in events (every level). Default 300,000. */
  maxEvents?: number;
  /** The cap in estimated heap bytes of the kept events (every level). Default 48 MiB. */
  maxBytes?: number;
  /** Request ids whose first sighting per host is kept for the clock. Default 100,000. */
  maxRequests?: number;
  /** Which kept events may fill the reserve, the last quarter of the cap. Default: those with a signature, and WARNING and above. */
  reserve?: (ev: Event, signatures: readonly string[]) => boolean;
}

/** What a kept event costs beyond its texts: the event object, its small objects and index entries (measured: ~650 bytes). */
const EVENT_OVERHEAD = 640;
/** Distinct strings shared among kept events (loggers, users, projects); past it, new ones are not shared. */
const MAX_INTERNED = 20_000;
/** Events outside the reserve stop at this share of the cap. */
const RESERVE_SHARE = 0.75;

/** Estimated heap bytes of an event (one-byte strings; the message is a slice of `raw` unless decoding changed it). */
export function approxBytes(ev: Event): number {
  let n = EVENT_OVERHEAD + ev.raw.length + (ev.decoded ? ev.message.length : 0);
  if (ev.traceback) for (const l of ev.traceback) n += l.length + 32;
  if (ev.exceptionChain) n += ev.exceptionChain.length * 120;
  return n;
}

const signalOrWarning = (ev: Event, signatures: readonly string[]): boolean =>
  signatures.length > 0 || ev.level === 'WARNING' || ev.level === 'ERROR' || ev.level === 'CRITICAL';

export class EventStore {
  readonly events: StoredEvent[] = [];
  readonly byRequest = new Map<string, StoredEvent[]>();
  readonly byUuid = new Map<string, StoredEvent[]>();
  /** Events by the signatures they carry, in arrival order: what detectors start from. */
  private readonly bySignature = new Map<string, StoredEvent[]>();
  readonly requests: RequestSpans;
  readonly stats: StoreStats = { seen: 0, retained: 0, droppedAtCap: 0, requestsTracked: 0, requestsUntracked: 0, signatures: {} };
  /** Estimated heap bytes of the kept events. */
  bytes = 0;
  private readonly strings = new Map<string, string>();
  private readonly maxEvents: number;
  private readonly maxBytes: number;
  private readonly reserve: (ev: Event, signatures: readonly string[]) => boolean;

  constructor(
    private readonly keep: KeepRule,
    caps: StoreCaps = {},
  ) {
    this.maxEvents = caps.maxEvents ?? 300_000;
    this.maxBytes = caps.maxBytes ?? 48 * 2 ** 20;
    this.reserve = caps.reserve ?? signalOrWarning;
    this.requests = new RequestSpans(caps.maxRequests ?? 100_000);
  }

  add(ev: Event): void {
    this.stats.seen++;
    // An undated event (pasted without its time) says nothing of when its request ran.
    if (ev.ts) {
      if (ev.requestId) this.requests.see(ev.requestId, ev.host, ev.service, ev.ts);
      if (ev.globalRequestId && ev.globalRequestId !== ev.requestId) this.requests.see(ev.globalRequestId, ev.host, ev.service, ev.ts);
    }
    this.stats.requestsTracked = this.requests.size;
    this.stats.requestsUntracked = this.requests.untracked;
    const sigs = this.keep.signaturesOf(ev);
    for (const id of sigs) this.stats.signatures[id] = (this.stats.signatures[id] ?? 0) + 1;
    if (sigs.length === 0 && !this.keep.context(ev)) return;
    const size = approxBytes(ev);
    const share = this.reserve(ev, sigs) ? 1 : RESERVE_SHARE;
    if (this.events.length >= this.maxEvents * share || this.bytes + size > this.maxBytes * share) {
      this.stats.droppedAtCap++;
      this.stats.firstDropped ??= { file: ev.file, line: ev.line };
      return;
    }
    const s = ev as StoredEvent;
    s.seq = this.events.length;
    this.events.push(s);
    this.bytes += size;
    this.stats.retained++;
    this.share(s);
    for (const id of sigs) push(this.bySignature, id, s);
    if (s.requestId) push(this.byRequest, s.requestId, s);
    if (s.globalRequestId && s.globalRequestId !== s.requestId) push(this.byRequest, s.globalRequestId, s);
    if (s.instanceUuid) push(this.byUuid, s.instanceUuid, s);
    for (const m of s.message.matchAll(UUID)) {
      const u = m[0];
      if (u === s.instanceUuid) continue;
      const list = this.byUuid.get(u);
      // A uuid named twice in one message is one entry.
      if (list?.[list.length - 1] !== s) push(this.byUuid, u, s);
    }
  }

  /**
   * Kept events share the strings many of them repeat (loggers, users,
   * projects), and the time is made one flat string: each was a slice of the
   * line or a rope of small strings (32 to 130 bytes). The texts stay equal.
   */
  private share(ev: StoredEvent): void {
    if (ev.logger) ev.logger = this.interned(ev.logger);
    if (ev.userId) ev.userId = this.interned(ev.userId);
    if (ev.projectId) ev.projectId = this.interned(ev.projectId);
    ev.ts = detached(ev.ts);
    if (ev.afterTs) ev.afterTs = detached(ev.afterTs);
  }

  private interned(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    if (this.strings.size >= MAX_INTERNED) return s;
    const own = detached(s);
    this.strings.set(own, own);
    return own;
  }

  /**
   * The events of files under `filePrefix` read as host `from` belong to `to`:
   * a sosreport archive named its host only after them (a hostname file
   * late in the tar). Request spans are kept for every event, not only the
   * stored ones: they follow when no stored event of another input is left
   * under `from` (the usual case: `from` was only a guess of this input).
   */
  renameHost(from: string, to: string, filePrefix: string): number {
    let n = 0;
    let fromElsewhere = false;
    for (const e of this.events) {
      if (e.host !== from) continue;
      if (!e.file.startsWith(filePrefix)) {
        fromElsewhere = true;
        continue;
      }
      e.host = to;
      n++;
    }
    if (!fromElsewhere) this.requests.renameHost(from, to);
    return n;
  }

  /** The kept events carrying this signature, in arrival order. */
  matching(signatureId: string): readonly StoredEvent[] {
    return this.bySignature.get(signatureId) ?? [];
  }

  /** Events of these requests and uuids, once each, in time order. */
  related(requestIds: Iterable<string>, uuids: Iterable<string> = []): StoredEvent[] {
    const out = new Map<number, StoredEvent>();
    for (const r of requestIds) for (const e of this.byRequest.get(r) ?? []) out.set(e.seq, e);
    for (const u of uuids) for (const e of this.byUuid.get(u) ?? []) out.set(e.seq, e);
    // Time as each host logged it (clock offsets are the timeline's business); file order breaks ties.
    // An undated event goes where its file put it: after the dated event before it, or first.
    return [...out.values()]
      .map((e) => {
        const at = orderTs(e);
        return { e, t: at ? tsMs(at) : Number.NEGATIVE_INFINITY };
      })
      .sort((a, b) => (a.t === b.t ? 0 : a.t < b.t ? -1 : 1) || a.e.seq - b.e.seq)
      .map((x) => x.e);
  }
}

/**
 * Adds `v` to the list under `k`. Short lists are copied at their exact size:
 * push on a list of one makes room for 17, and most requests and uuids name
 * only a few kept events (that room was a fifth of what a kept event cost).
 */
function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (!l) m.set(k, [v]);
  else if (l.length < 16) m.set(k, l.concat([v]));
  else l.push(v);
}
