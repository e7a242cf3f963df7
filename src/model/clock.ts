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

/** One request's first sighting on one host and service, its time in ms (what `RequestSpans` keeps). */
export interface TimedSpan {
  host: string;
  service: string;
  t: number;
}

/** Milliseconds of an event time (`YYYY-MM-DDTHH:mm:ss.SSS`, zone-less read as UTC, or with its `±HH:MM`). */
export function tsMs(ts: string): number {
  // The store reads one event's time three or four times in a row (request table, signature sightings, spill).
  if (ts === lastTs) return lastMs;
  lastMs = readTs(ts);
  lastTs = ts;
  return lastMs;
}

let lastTs = '';
let lastMs = Number.NaN;
/** The minute (`YYYY-MM-DDTHH:mm`) of the last time read by hand, and its ms: a log's lines come many to a minute. */
let minute = '\u0000';
let minuteMs = Number.NaN;

function readTs(ts: string): number {
  // Every event's time has this one shape: read by hand, it costs a tenth of Date.parse (once per line).
  if (ts.length === 23 && ts.charCodeAt(10) === 84 /* T */ && ts.charCodeAt(19) === 46 /* . */) {
    if (ts.startsWith(minute)) {
      const s = digits(ts, 17, 2);
      const ms = digits(ts, 20, 3);
      // As below: NaN (a letter) or second 60 leave it to Date.parse.
      if (s <= 59 && ms >= 0) return minuteMs + s * 1000 + ms;
    }
    const t = Date.UTC(
      digits(ts, 0, 4),
      digits(ts, 5, 2) - 1,
      digits(ts, 8, 2),
      digits(ts, 11, 2),
      digits(ts, 14, 2),
      digits(ts, 17, 2),
      digits(ts, 20, 3),
    );
    // Out-of-range fields (month 13, hour 25) Date.parse refuses, Date.UTC would roll over. Hour 24 is left to
    // Date.parse (it takes 24:00:00.000 only), and no minute of it is remembered.
    if (!Number.isNaN(t) && digits(ts, 5, 2) <= 12 && digits(ts, 8, 2) <= 31 && digits(ts, 11, 2) <= 23) {
      if (digits(ts, 14, 2) <= 59 && digits(ts, 17, 2) <= 59) {
        minute = ts.slice(0, 16);
        minuteMs = t - digits(ts, 17, 2) * 1000 - digits(ts, 20, 3);
        return t;
      }
    }
  }
  return Date.parse(ts.length > 23 ? ts : `${ts}Z`);
}

/** The number written in `n` digits at `at`, NaN when one is not a digit. */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    v = v * 10 + d;
  }
  return v;
}
