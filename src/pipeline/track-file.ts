import type { Event } from '../model/event.js';
import { selfNamedHost } from '../signatures/self-naming.js';

/**
 * What a log file's events say about the file, noted as they pass on to `sink`:
 * the hosts and services they name (when the file's path does not), the host
 * its compute names as its own (src/signatures/self-naming.ts), and its first
 * and last times (as written, before any zone is stamped on).
 */
export interface TimeSpan {
  firstTs?: string;
  lastTs?: string;
}

export interface Named {
  hosts: Set<string>;
  services: Set<string>;
  /** Hosts a compute's lines named as its own (only noted when the host is a guess). */
  self: Set<string>;
}

export function tracker(
  span: TimeSpan,
  named: Named,
  hostGuessed: boolean,
  serviceKnown: boolean,
  sink: (ev: Event, ofLine?: boolean) => void,
): (ev: Event, ofLine?: boolean) => void {
  return (ev: Event, ofLine?: boolean): void => {
    if (hostGuessed) {
      named.hosts.add(ev.host);
      const own = selfNamedHost(ev);
      if (own) named.self.add(own);
    }
    if (!serviceKnown) named.services.add(ev.service);
    if (ev.ts) {
      if (span.firstTs === undefined || ev.ts < span.firstTs) span.firstTs = ev.ts;
      if (span.lastTs === undefined || ev.ts > span.lastTs) span.lastTs = ev.ts;
    }
    sink(ev, ofLine);
  };
}

/** What a piece of the file read elsewhere noted, added to the file's notes. */
export function mergeTrack(
  span: TimeSpan,
  named: Named,
  from: TimeSpan & { hosts: readonly string[]; services: readonly string[]; self: readonly string[] },
): void {
  for (const h of from.hosts) named.hosts.add(h);
  for (const h of from.self) named.self.add(h);
  for (const s of from.services) named.services.add(s);
  if (from.firstTs !== undefined && (span.firstTs === undefined || from.firstTs < span.firstTs)) span.firstTs = from.firstTs;
  if (from.lastTs !== undefined && (span.lastTs === undefined || from.lastTs > span.lastTs)) span.lastTs = from.lastTs;
}
