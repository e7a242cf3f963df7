import type { Event, Level, Service } from './event.js';

/**
 * Which events to show, the same for `events` and the TUI's whole timeline:
 * host by name or prefix (`cmp01` finds `cmp01.cloud.example`), a level and
 * above, a request by local or global id, an instance by uuid or by mention.
 */

const LEVEL_RANK: Record<Level, number> = { TRACE: 0, DEBUG: 1, INFO: 2, AUDIT: 2, WARNING: 3, ERROR: 4, CRITICAL: 5 };

export function levelRank(l: Level): number {
  return LEVEL_RANK[l] ?? 0;
}

/** A level as typed (`warning`), or undefined when it is none. */
export function parseLevel(text: string): Level | undefined {
  const l = text.toUpperCase() as Level;
  return l in LEVEL_RANK ? l : undefined;
}

export interface EventFilters {
  host?: string;
  services?: readonly Service[];
  level?: Level;
  requestId?: string;
  instance?: string;
}

export function hasFilters(f: EventFilters): boolean {
  return !!(f.host || f.services?.length || f.level || f.requestId || f.instance);
}

export function eventMatcher(f: EventFilters): (e: Event) => boolean {
  const host = f.host;
  const services = f.services?.length ? new Set(f.services) : undefined;
  const min = f.level ? levelRank(f.level) : -1;
  const rid = f.requestId?.toLowerCase();
  const inst = f.instance?.toLowerCase();
  return (e) => {
    if (host && !e.host.startsWith(host)) return false;
    if (services && !services.has(e.service)) return false;
    if (min >= 0 && levelRank(e.level) < min) return false;
    if (rid && e.requestId !== rid && e.globalRequestId !== rid) return false;
    if (inst && e.instanceUuid !== inst && !e.message.toLowerCase().includes(inst)) return false;
    return true;
  };
}
