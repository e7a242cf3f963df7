import type { StoredEvent } from '../../correlate/event-store.js';
import { computePowerSync } from '../../signatures/compute.js';
import { type DetectContext, signalled } from '../detector.js';

/**
 * Each host's power-sync lines in read order, with the running maximum of
 * their times, so "the first one read at or after T" is a binary search:
 * scanning every power-sync line for each incident grew with incidents ×
 * lines. Built once per run.
 */
class PowerSyncs {
  readonly events: StoredEvent[] = [];
  readonly latest: string[] = [];
  add(e: StoredEvent): void {
    const prev = this.latest[this.latest.length - 1];
    this.events.push(e);
    this.latest.push(prev !== undefined && prev > e.ts ? prev : e.ts);
  }
  firstFrom(ts: string): StoredEvent | undefined {
    let lo = 0;
    let hi = this.latest.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.latest[mid] >= ts) hi = mid;
      else lo = mid + 1;
    }
    return this.events[lo];
  }
}
const syncIndex = new WeakMap<DetectContext, Map<string, PowerSyncs>>();
export function powerSyncs(ctx: DetectContext): Map<string, PowerSyncs> {
  let byHost = syncIndex.get(ctx);
  if (!byHost) {
    byHost = new Map();
    for (const e of signalled(ctx, computePowerSync)) {
      let h = byHost.get(e.host);
      if (!h) byHost.set(e.host, (h = new PowerSyncs()));
      h.add(e);
    }
    syncIndex.set(ctx, byHost);
  }
  return byHost;
}
