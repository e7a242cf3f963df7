import type { StoredEvent } from '../../correlate/event-store.js';
import { tsMs } from '../../model/clock.js';
import type { Evidence } from '../../model/finding.js';
import { creatingHostMapping, discoveredHostNames, schedulerDiscoveredHosts } from '../../signatures/cells.js';
import { match } from '../../signatures/signature.js';
import { type DetectContext, logEvidence, sameHost, signalled } from '../detector.js';

/**
 * What the cells saw at a moment: when a host got its host_mappings row, from
 * the row's `created_at` in the nova_api dump, the scheduler's "Discovered N
 * new hosts" or discover_hosts' "Creating host mapping" printed with a time.
 * A dump is read after the failure: a mapping it holds may not have existed
 * when the build was sent to the host. Dump times are nova's (UTC); log times
 * are read as written, on the host-offset-adjusted basis.
 */

/** `2024-10-02 11:20:30` (a dump's DATETIME) or an event time, in ms; NaN when unreadable. */
export function timeMs(ts: string | undefined): number {
  if (!ts) return Number.NaN;
  return tsMs(ts.replace(' ', 'T'));
}

export interface MappedAt {
  /** The earliest time the mapping is known to exist, as the source wrote it. */
  at: string;
  ms: number;
  evidence: Evidence;
  /** The log line that says so, for the timeline. */
  event?: StoredEvent;
}

/** When `host` was mapped to a cell, as the earliest of the dump's row and the discovery lines; undefined when nothing says. */
export function hostMappedAt(ctx: DetectContext, host: string): MappedAt | undefined {
  const found: MappedAt[] = [];
  for (const m of ctx.facts.api?.hostMappings ?? []) {
    if (!sameHost(m.host, host) || !m.createdAt) continue;
    const ms = timeMs(m.createdAt);
    if (Number.isFinite(ms))
      found.push({
        at: m.createdAt,
        ms,
        evidence: {
          text: `${m.source.db}.host_mappings: ${m.host} cell_id=${m.cellId ?? 'NULL'} created_at=${m.createdAt}`,
          source: m.source,
        },
      });
  }
  const adjusted = (e: StoredEvent): number => tsMs(e.ts) - (ctx.offsets.get(e.host) ?? 0);
  for (const e of signalled(ctx, schedulerDiscoveredHosts)) {
    const f = match(schedulerDiscoveredHosts, e);
    if (!f || !e.ts || !discoveredHostNames(f.hosts).some((h) => sameHost(h, host))) continue;
    found.push({ at: e.ts, ms: adjusted(e), evidence: logEvidence(e), event: e });
  }
  for (const e of signalled(ctx, creatingHostMapping)) {
    const f = match(creatingHostMapping, e);
    if (!f || !e.ts || !sameHost(f.host ?? f.service, host)) continue;
    found.push({ at: e.ts, ms: adjusted(e), evidence: logEvidence(e), event: e });
  }
  return found.filter((x) => Number.isFinite(x.ms)).sort((a, b) => a.ms - b.ms)[0];
}
