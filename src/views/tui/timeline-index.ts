import { tsMs } from '../../model/clock.js';
import { orderTs, type Event, type Level, type Service } from '../../model/event.js';
import { eventMatcher, hasFilters, type EventFilters } from '../../model/event-filter.js';

/**
 * The whole timeline as an index over the events: time order after clock
 * offsets, filters and search, in typed arrays so a million events sort once
 * and a keypress never walks them all unless it must (a filter, a search).
 * Rendering asks for the rows in view only.
 */

export interface TimelineFilters {
  host?: string;
  service?: string;
  /** Minimum level. */
  level?: Level;
  requestId?: string;
  instance?: string;
}

/** The typed text as a case-insensitive regex: lower-casing a million messages per search would allocate them all. */
function caseless(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
}

export class TimelineIndex {
  /** Reference-clock ms per event (index into `events`). */
  readonly times: Float64Array;
  /** Event indices in time order. */
  readonly order: Uint32Array;
  /** The rows shown: positions in `order` that pass the filters. */
  visible: Uint32Array;
  filters: TimelineFilters = {};

  constructor(
    readonly events: readonly Event[],
    offsets: ReadonlyMap<string, number>,
  ) {
    const n = events.length;
    this.times = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const e = events[i];
      // An undated event sits after the dated one before it in its file.
      const t = tsMs(orderTs(e));
      this.times[i] = (Number.isFinite(t) ? t : 0) - (offsets.get(e.host) ?? 0);
    }
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const times = this.times;
    order.sort((a, b) => times[a] - times[b] || a - b);
    this.order = order;
    this.visible = order;
  }

  get length(): number {
    return this.visible.length;
  }

  event(row: number): Event | undefined {
    const i = this.visible[row];
    return i === undefined ? undefined : this.events[i];
  }

  adjusted(row: number): string {
    const i = this.visible[row];
    if (i === undefined) return '';
    return this.events[i].undated ? 'undated'.padEnd(23) : new Date(this.times[i]).toISOString().slice(0, 23).replace('T', ' ');
  }

  setFilters(f: TimelineFilters): void {
    this.filters = f;
    const shared: EventFilters = {
      host: f.host,
      services: f.service ? [f.service as Service] : undefined,
      level: f.level,
      requestId: f.requestId,
      instance: f.instance,
    };
    if (!hasFilters(shared)) {
      this.visible = this.order;
      return;
    }
    const match = eventMatcher(shared);
    const out = new Uint32Array(this.order.length);
    let k = 0;
    for (let r = 0; r < this.order.length; r++) if (match(this.events[this.order[r]])) out[k++] = this.order[r];
    this.visible = out.slice(0, k);
  }

  /** Next (dir 1) or previous (dir -1) row from `from` (exclusive) whose event passes `test`; -1 when none. */
  find(from: number, dir: 1 | -1, test: (e: Event) => boolean): number {
    for (let r = from + dir; r >= 0 && r < this.visible.length; r += dir) {
      if (test(this.events[this.visible[r]])) return r;
    }
    return -1;
  }

  /**
   * A search in steps: looks at no more than `limit` rows from `start`
   * (inclusive) and says where it found a match, or where to go on from
   * (`next`, -1 when the end is reached). The TUI runs it between frames so a
   * key never waits for a whole million-row scan.
   */
  searchStep(start: number, dir: 1 | -1, text: string, limit: number): { row: number; next: number } {
    const re = caseless(text);
    let r = start;
    for (let n = 0; n < limit && r >= 0 && r < this.visible.length; n++, r += dir) {
      const e = this.events[this.visible[r]];
      if (
        re.test(e.message) ||
        (e.requestId !== undefined && re.test(e.requestId)) ||
        (e.instanceUuid !== undefined && re.test(e.instanceUuid))
      )
        return { row: r, next: -1 };
    }
    return { row: -1, next: r >= 0 && r < this.visible.length ? r : -1 };
  }

  /** Case-insensitive search in the message, the logger and the request ids. */
  search(from: number, dir: 1 | -1, text: string): number {
    if (!text) return -1;
    const re = caseless(text);
    return this.find(
      from,
      dir,
      (e) => re.test(e.message) || re.test(e.logger ?? '') || re.test(e.requestId ?? '') || re.test(e.instanceUuid ?? ''),
    );
  }

  /** The row nearest to a time, for jumping from an incident's timeline into the whole one. */
  rowAtOrAfter(ms: number): number {
    let lo = 0;
    let hi = this.visible.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[this.visible[mid]] < ms) lo = mid + 1;
      else hi = mid;
    }
    return Math.min(lo, Math.max(0, this.visible.length - 1));
  }
}
