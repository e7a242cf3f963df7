/**
 * Clock agreement between hosts: the spans a request was seen in on each
 * host (what the estimate reads) and the offset estimated for each host.
 */

/** Where and when one request was seen on one host and service. */
export interface HostSpan {
  host: string;
  service: string;
  /** The earliest time the request was seen there (as written; in UTC, with a `Z`, when written with a zone). */
  first: string;
}

export interface ClockOffset {
  host: string;
  /** This host's clock minus the reference host's, in ms; 0 for the reference. */
  offsetMs: number;
  /** Half the width of the bounds, when both sides bound it. */
  uncertaintyMs?: number;
  /** Requests that bounded it. */
  samples: number;
  method: 'reference' | 'bounded' | 'upper-bound-only' | 'lower-bound-only' | 'none' | 'inconsistent';
  reference: string;
}

/** Milliseconds of an event time (`YYYY-MM-DDTHH:mm:ss.SSS`, zone-less read as UTC, or with its `±HH:MM`). */
export function tsMs(ts: string): number {
  return Date.parse(ts.length > 23 ? ts : `${ts}Z`);
}
