import { type HostSpan, type TimedSpan, tsMs } from '../model/clock.js';
import { grown } from './grown.js';

/**
 * Where and when each request id was first seen: one first sighting per host
 * and service, which the clock-offset estimate reads (clock.ts). Every event
 * with a request id passes here, kept or not, so the table is packed: an
 * object and an array per request cost twice as much (about 480 bytes for
 * the 2.5 sightings of a typical request, against about 250), and a time is
 * kept as its milliseconds (a time string per sighting was 11 MB of a 300 MiB
 * log's heap).
 */

interface Place {
  host: string;
  service: string;
}

const NONE = -1;

export class RequestSpans implements Iterable<HostSpan[]> {
  /** Request id → its number. */
  private readonly ids = new Map<string, number>();
  /** Per request: its last sighting (sightings are chained newest first). */
  private last = new Int32Array(1024);
  /** Per sighting: the one before it in its request, its place, its time. */
  private prev = new Int32Array(1024);
  private at = new Int32Array(1024);
  /** Per sighting: its earliest time in ms (NaN when unreadable), and whether it was written with a zone. */
  private first = new Float64Array(1024);
  private zoned = new Uint8Array(1024);
  private sightings = 0;
  private readonly places: Place[] = [];
  private readonly placeIds = new Map<string, number>();
  /** Request ids not tracked because the table was full. */
  untracked = 0;

  constructor(private readonly maxRequests: number) {}

  get size(): number {
    return this.ids.size;
  }

  /** Records a sighting of `id` on `host`/`service` at `ts`. */
  see(id: string, host: string, service: string, ts: string): void {
    const t = tsMs(ts);
    const z = ts.length > 23 ? 1 : 0;
    this.seeRun(id, host, service, t, z, t, z, 1);
  }

  /**
   * `count` sightings of `id` at one place, as `see` would have taken them one by one (a parse worker
   * folds them: store-digest.ts): the first one's time and zone flag, then the earliest readable time
   * among them (its first occurrence) and its flag.
   */
  seeRun(id: string, host: string, service: string, firstT: number, firstZ: number, minT: number, minZ: number, count: number): void {
    const r = this.ids.get(id);
    let s: number;
    if (r === undefined) {
      if (this.ids.size >= this.maxRequests) {
        this.untracked += count;
        return;
      }
      const n = this.ids.size;
      this.ids.set(detached(id), n);
      if (n === this.last.length) this.last = grown(this.last);
      s = this.last[n] = this.add(NONE, host, service, firstT, firstZ);
    } else {
      let oldest = NONE;
      for (let x = this.last[r]; x !== NONE; x = this.prev[x]) {
        const p = this.places[this.at[x]];
        // The oldest match, as a list searched from its start would find.
        if (p.host === host && p.service === service) oldest = x;
      }
      s = oldest !== NONE ? oldest : (this.last[r] = this.add(this.last[r], host, service, firstT, firstZ));
    }
    // Strictly earlier only: an unreadable time (NaN) neither replaces nor is replaced, as one by one.
    if (minT < this.first[s]) {
      this.first[s] = minT;
      this.zoned[s] = minZ;
    }
  }

  private add(prev: number, host: string, service: string, t: number, z: number): number {
    const s = this.sightings++;
    if (s === this.prev.length) {
      this.prev = grown(this.prev);
      this.at = grown(this.at);
      this.first = grown(this.first);
      this.zoned = grown(this.zoned);
    }
    this.prev[s] = prev;
    this.at[s] = this.place(host, service);
    this.first[s] = t;
    this.zoned[s] = z;
    return s;
  }

  private place(host: string, service: string): number {
    const key = `${host}\n${service}`;
    let p = this.placeIds.get(key);
    if (p === undefined) {
      p = this.places.length;
      this.places.push({ host, service });
      this.placeIds.set(key, p);
    }
    return p;
  }

  /** Sightings on `from` are on `to`. */
  renameHost(from: string, to: string): void {
    for (const p of this.places) if (p.host === from) p.host = to;
    this.placeIds.clear();
    for (let i = 0; i < this.places.length; i++) {
      const key = `${this.places[i].host}\n${this.places[i].service}`;
      if (!this.placeIds.has(key)) this.placeIds.set(key, i);
    }
  }

  /** As a Map of request id → spans would give them (what this replaced). */
  values(): IterableIterator<HostSpan[]> {
    return this[Symbol.iterator]();
  }

  /** `timed()`, as an iterable that can be read more than once. */
  get times(): Iterable<TimedSpan[]> {
    return { [Symbol.iterator]: () => this.timed() };
  }

  /** Each request's sightings with their times in ms (what the clock reads), oldest first, in the order the requests were first seen. */
  *timed(): IterableIterator<TimedSpan[]> {
    for (const r of this.ids.values()) {
      const spans: TimedSpan[] = [];
      for (let s = this.last[r]; s !== NONE; s = this.prev[s]) {
        const p = this.places[this.at[s]];
        spans.push({ host: p.host, service: p.service, t: this.first[s] });
      }
      yield spans.reverse();
    }
  }

  /** Each request's sightings, oldest first, in the order the requests were first seen. */
  *[Symbol.iterator](): IterableIterator<HostSpan[]> {
    for (const r of this.ids.values()) {
      const spans: HostSpan[] = [];
      for (let s = this.last[r]; s !== NONE; s = this.prev[s]) {
        const p = this.places[this.at[s]];
        spans.push({ host: p.host, service: p.service, first: timeText(this.first[s], this.zoned[s] === 1) });
      }
      yield spans.reverse();
    }
  }
}

/** A sighting's time as events write it (`YYYY-MM-DDTHH:mm:ss.SSS`), in UTC with a `Z` when it was written with a zone. */
function timeText(ms: number, zoned: boolean): string {
  if (Number.isNaN(ms)) return '';
  const iso = new Date(ms).toISOString();
  return zoned ? iso : iso.slice(0, 23);
}

/**
 * A copy that does not keep alive the string it was cut from (a request id
 * cut from a line it outlives): the concatenation is flattened into a string
 * of its own, which the slice then points into (V8 copies strings shorter
 * than 13 characters anyway). A JSON round trip did the same 4 times slower
 * (1,000,000 request ids: 103–117 ms against 422–515).
 */
export function detached(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}
