import { type HostSpan, tsMs } from '../model/clock.js';
import type { Event } from '../model/event.js';

export type { HostSpan };

/**
 * The events an incident can need, indexed by request id (local and global),
 * by the uuids they mention (instances, migrations, consumers), and in
 * arrival order. Everything else is counted and let go: a multi-GB DEBUG log
 * must not be held. Every request id also gets a tiny per-host time span
 * (bounded), which the clock-offset estimate reads.
 */

export interface StoredEvent extends Event {
  seq: number;
}

export interface StoreStats {
  seen: number;
  retained: number;
  /** Past the cap: kept only WARNING and above. */
  droppedAtCap: number;
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

export class EventStore {
  readonly events: StoredEvent[] = [];
  readonly byRequest = new Map<string, StoredEvent[]>();
  readonly byUuid = new Map<string, StoredEvent[]>();
  /** Events by the signatures they carry, in arrival order: what detectors start from. */
  private readonly bySignature = new Map<string, StoredEvent[]>();
  readonly requests = new Map<string, HostSpan[]>();
  readonly stats: StoreStats = { seen: 0, retained: 0, droppedAtCap: 0, requestsTracked: 0, requestsUntracked: 0, signatures: {} };

  constructor(
    private readonly keep: KeepRule,
    private readonly maxEvents = 300_000,
    private readonly maxRequests = 400_000,
  ) {}

  add(ev: Event): void {
    this.stats.seen++;
    if (ev.requestId) this.span(ev.requestId, ev);
    if (ev.globalRequestId && ev.globalRequestId !== ev.requestId) this.span(ev.globalRequestId, ev);
    const sigs = this.keep.signaturesOf(ev);
    for (const id of sigs) this.stats.signatures[id] = (this.stats.signatures[id] ?? 0) + 1;
    if (sigs.length === 0 && !this.keep.context(ev)) return;
    if (this.events.length >= this.maxEvents && ev.level !== 'WARNING' && ev.level !== 'ERROR' && ev.level !== 'CRITICAL') {
      this.stats.droppedAtCap++;
      return;
    }
    const s = ev as StoredEvent;
    s.seq = this.events.length;
    this.events.push(s);
    this.stats.retained++;
    for (const id of sigs) push(this.bySignature, id, s);
    if (ev.requestId) push(this.byRequest, ev.requestId, s);
    if (ev.globalRequestId && ev.globalRequestId !== ev.requestId) push(this.byRequest, ev.globalRequestId, s);
    const seen = new Set<string>();
    if (ev.instanceUuid) seen.add(ev.instanceUuid);
    for (const m of ev.message.matchAll(UUID)) seen.add(m[0]);
    for (const u of seen) push(this.byUuid, u, s);
  }

  private span(id: string, ev: Event): void {
    let spans = this.requests.get(id);
    if (!spans) {
      if (this.requests.size >= this.maxRequests) {
        this.stats.requestsUntracked++;
        return;
      }
      this.requests.set(id, (spans = []));
      this.stats.requestsTracked++;
    }
    for (const s of spans) {
      if (s.host === ev.host && s.service === ev.service) {
        if (ev.ts < s.first) s.first = ev.ts;
        if (ev.ts > s.last) s.last = ev.ts;
        return;
      }
    }
    spans.push({ host: ev.host, service: ev.service, first: ev.ts, last: ev.ts });
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
    if (!fromElsewhere) for (const spans of this.requests.values()) for (const span of spans) if (span.host === from) span.host = to;
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
    return [...out.values()]
      .map((e) => ({ e, t: tsMs(e.ts) }))
      .sort((a, b) => a.t - b.t || a.e.seq - b.e.seq)
      .map((x) => x.e);
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}
