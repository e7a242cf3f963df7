import type { HostSpan } from '../model/clock.js';
import type { Event } from '../model/event.js';

export type { HostSpan };
import { tsMs } from '../model/clock.js';

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
}

const UUID = /(?<!req-)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;

/** INFO and above from these loggers tell what happened to builds, moves and allocations. */
const STORY_LOGGERS = [
  'nova.conductor',
  'nova.scheduler',
  'nova.filters',
  'nova.compute.resource_tracker',
  'nova.compute.manager',
  'nova.compute.claims',
  'nova.virt',
  'nova.api.openstack.wsgi',
  'placement.',
  'nova.api.openstack.placement',
];
/** DEBUG from these: the scheduler's and conductor's decisions, placement's search. */
const DEBUG_LOGGERS = [
  'nova.filters',
  'nova.scheduler.filters',
  'nova.scheduler.manager',
  'nova.scheduler.filter_scheduler',
  'nova.scheduler.utils',
  'nova.scheduler.host_manager',
  'nova.conductor',
  'placement.objects',
  'nova.api.openstack.placement.objects',
];

function startsWithAny(s: string, prefixes: readonly string[]): boolean {
  for (const p of prefixes) if (s.startsWith(p)) return true;
  return false;
}

export function worthKeeping(ev: Event): boolean {
  if (ev.level === 'WARNING' || ev.level === 'ERROR' || ev.level === 'CRITICAL') return true;
  if (ev.exception || ev.placementSearch || ev.placementQuery) return true;
  if (ev.http) return (ev.http.status ?? 0) >= 400 || ev.http.method !== 'GET';
  const logger = ev.logger ?? '';
  if (ev.level === 'DEBUG' || ev.level === 'TRACE') {
    // Pike and Queens log "has been moved to another host … allocations remaining" at DEBUG; the tracker's other DEBUG is noise.
    if (logger === 'nova.compute.resource_tracker') return ev.message.includes('allocations');
    return startsWithAny(logger, DEBUG_LOGGERS);
  }
  return startsWithAny(logger, STORY_LOGGERS) || (ev.instanceUuid !== undefined && logger.startsWith('nova.'));
}

export class EventStore {
  readonly events: StoredEvent[] = [];
  readonly byRequest = new Map<string, StoredEvent[]>();
  readonly byUuid = new Map<string, StoredEvent[]>();
  readonly requests = new Map<string, HostSpan[]>();
  readonly stats: StoreStats = { seen: 0, retained: 0, droppedAtCap: 0, requestsTracked: 0, requestsUntracked: 0 };

  constructor(
    private readonly maxEvents = 300_000,
    private readonly maxRequests = 400_000,
  ) {}

  add(ev: Event): void {
    this.stats.seen++;
    if (ev.requestId) this.span(ev.requestId, ev);
    if (ev.globalRequestId && ev.globalRequestId !== ev.requestId) this.span(ev.globalRequestId, ev);
    if (!worthKeeping(ev)) return;
    if (this.events.length >= this.maxEvents && ev.level !== 'WARNING' && ev.level !== 'ERROR' && ev.level !== 'CRITICAL') {
      this.stats.droppedAtCap++;
      return;
    }
    const s = ev as StoredEvent;
    s.seq = this.events.length;
    this.events.push(s);
    this.stats.retained++;
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
