import type { Evidence } from '../model/finding.js';
import type { Incident, TimelineEntry } from '../model/incident.js';

/**
 * An operator who retries the same refused operation twenty times (the same
 * instance, refused for the same reason) has one problem, not twenty: the
 * report shows it once, with each attempt's request, the time span and how
 * many times it was tried. Incidents that name no instance are never folded:
 * nothing says they are the same operation.
 */

const MAX_ATTEMPTS_LISTED = 50;

function sourceKey(s: Evidence['source'] | TimelineEntry['source']): string {
  return 'line' in s ? `${s.host}\0${s.file}\0${s.line}` : `${s.db}\0${s.table}\0${s.key}`;
}

/** The first of each key, in order. */
export function uniqueBy<T>(items: readonly T[], key: (x: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((x) => {
    const k = key(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const earlier = (a?: string, b?: string): string | undefined => (a && b ? (a < b ? a : b) : (a ?? b));
const later = (a?: string, b?: string): string | undefined => (a && b ? (a > b ? a : b) : (a ?? b));

/** Folds incidents of one instance whose cause reads the same (code and summary) into the first of them. */
export function foldRepeats(incidents: readonly Incident[]): Incident[] {
  const groups = new Map<string, Incident[]>();
  const order: Incident[][] = [];
  for (const inc of incidents) {
    const key = inc.instanceUuid ? `${inc.kind}\0${inc.instanceUuid}\0${inc.cause.code}\0${inc.cause.summary}` : `\0${inc.id}`;
    let g = groups.get(key);
    if (!g) {
      groups.set(key, (g = []));
      order.push(g);
    }
    g.push(inc);
  }
  return order.map((g) => (g.length === 1 ? g[0] : fold(g)));
}

function fold(g: Incident[]): Incident {
  const [first] = g;
  const attempts = g.map((i) => ({ requestId: i.requestIds[0], start: i.start, end: i.end }));
  return {
    ...first,
    title: `${first.title} (tried ${g.length} times)`,
    requestIds: uniqueBy(
      g.flatMap((i) => i.requestIds),
      (r) => r,
    ),
    hosts: uniqueBy(
      g.flatMap((i) => i.hosts),
      (h) => h,
    ),
    start: g.map((i) => i.start).reduce(earlier),
    end: g.map((i) => i.end).reduce(later),
    count: g.reduce((n, i) => n + i.count, 0),
    cause: {
      ...first.cause,
      details: {
        ...first.cause.details,
        attempts: attempts.slice(0, MAX_ATTEMPTS_LISTED),
        ...(attempts.length > MAX_ATTEMPTS_LISTED ? { attemptsNotListed: attempts.length - MAX_ATTEMPTS_LISTED } : {}),
      },
    },
    evidence: uniqueBy(
      g.flatMap((i) => i.evidence),
      (e) => sourceKey(e.source),
    ),
    timeline: uniqueBy(
      g.flatMap((i) => i.timeline),
      (t) => sourceKey(t.source),
    ).sort((a, b) => (a.adjustedTs < b.adjustedTs ? -1 : a.adjustedTs > b.adjustedTs ? 1 : 0)),
    gaps: uniqueBy(
      g.flatMap((i) => i.gaps),
      (x) => x,
    ),
  };
}
