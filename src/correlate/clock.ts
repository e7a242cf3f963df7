import { type ClockOffset, type HostSpan, type TimedSpan, tsMs } from '../model/clock.js';

export type { ClockOffset };

/**
 * Host clocks disagree; a request that crosses hosts bounds the difference.
 * With offset δ = (B's clock − A's clock): a request born on A and seen later
 * on B gives δ < tB − tA; one born on B and seen later on A gives δ > tB − tA.
 * A request is born where request ids are made: nova-api for users' requests,
 * nova-compute for its periodic tasks (which call placement with their own id). The estimate is the middle of the tightest bounds.
 */

const ORIGIN_SERVICES = new Set(['nova-api']);
const CALLEE_SERVICES = new Set(['placement-api', 'nova-conductor', 'nova-scheduler']);
/**
 * Where a request seen on a compute and elsewhere can only have come from the compute: placement, which its
 * periodic tasks call with their own ids. A conductor or a scheduler also sees the compute's builds and
 * moves, born at an API whose log may not be among the inputs: read as the compute's, a build's minute
 * between the scheduler and the compute became the compute's clock running a minute ahead.
 */
const COMPUTE_CALLEES = new Set(['placement-api']);

interface Bounds {
  lower: number;
  upper: number;
  n: number;
}

type Span = HostSpan | TimedSpan;

/** A sighting's time in ms. */
const msOf = (s: Span): number => ('t' in s ? s.t : tsMs(s.first));

/** Which of two hosts' spans a request was born on, or undefined when it cannot be told. */
function origin(a: Span[], b: Span[]): 'a' | 'b' | undefined {
  const has = (spans: Span[], set: Set<string>): boolean => spans.some((s) => set.has(s.service));
  if (has(a, ORIGIN_SERVICES) && !has(b, ORIGIN_SERVICES)) return 'a';
  if (has(b, ORIGIN_SERVICES) && !has(a, ORIGIN_SERVICES)) return 'b';
  const computeA = a.some((s) => s.service === 'nova-compute');
  const computeB = b.some((s) => s.service === 'nova-compute');
  if (computeB && !computeA && a.every((s) => COMPUTE_CALLEES.has(s.service))) return 'b';
  if (computeA && !computeB && b.every((s) => COMPUTE_CALLEES.has(s.service))) return 'a';
  return undefined;
}

/** `requests`: each request's sightings (RequestSpans.timed(), or spans as written); read twice. */
export function estimateOffsets(requests: Iterable<Span[]>, hosts: string[]): ClockOffset[] {
  if (hosts.length === 0) return [];
  // The reference: the host with the most requests born elsewhere reaching it (the controller).
  const weight = new Map<string, number>();
  for (const spans of requests) {
    if (spans.length < 2) continue;
    for (const s of spans)
      if (CALLEE_SERVICES.has(s.service) || ORIGIN_SERVICES.has(s.service)) weight.set(s.host, (weight.get(s.host) ?? 0) + 1);
  }
  const reference = [...hosts].sort((x, y) => (weight.get(y) ?? 0) - (weight.get(x) ?? 0) || (x < y ? -1 : 1))[0];
  const bounds = new Map<string, Bounds>();
  for (const spans of requests) {
    const ref = spans.filter((s) => s.host === reference);
    if (ref.length === 0) continue;
    const others = new Map<string, Span[]>();
    for (const s of spans) if (s.host !== reference) others.set(s.host, [...(others.get(s.host) ?? []), s]);
    for (const [host, theirs] of others) {
      const o = origin(ref, theirs);
      if (!o) continue;
      const tA = Math.min(...ref.map(msOf));
      const tB = Math.min(...theirs.map(msOf));
      if (!Number.isFinite(tA) || !Number.isFinite(tB)) continue;
      const b = bounds.get(host) ?? { lower: -Infinity, upper: Infinity, n: 0 };
      if (o === 'a') b.upper = Math.min(b.upper, tB - tA);
      else b.lower = Math.max(b.lower, tB - tA);
      b.n++;
      bounds.set(host, b);
    }
  }
  return hosts.map((host): ClockOffset => {
    if (host === reference) return { host, offsetMs: 0, samples: 0, method: 'reference', reference };
    const b = bounds.get(host);
    if (!b) return { host, offsetMs: 0, samples: 0, method: 'none', reference };
    if (Number.isFinite(b.lower) && Number.isFinite(b.upper)) {
      if (b.lower > b.upper)
        return { host, offsetMs: Math.round((b.lower + b.upper) / 2), samples: b.n, method: 'inconsistent', reference };
      return {
        host,
        offsetMs: Math.round((b.lower + b.upper) / 2),
        uncertaintyMs: Math.round((b.upper - b.lower) / 2),
        samples: b.n,
        method: 'bounded',
        reference,
      };
    }
    // One-sided: the bound itself is the best single figure; the method says it is only a bound.
    if (Number.isFinite(b.upper))
      return { host, offsetMs: Math.min(0, Math.round(b.upper)), samples: b.n, method: 'upper-bound-only', reference };
    return { host, offsetMs: Math.max(0, Math.round(b.lower)), samples: b.n, method: 'lower-bound-only', reference };
  });
}
