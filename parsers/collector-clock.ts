import { monthNumber } from './month-names.js';
import type { ClockKind } from './collector-line.js';
import { msOf } from './timestamps.js';

/**
 * Turns a collector's timestamp (journald, syslog, a container runtime) into
 * the wall time events carry, `YYYY-MM-DDTHH:MM:SS.mmm`, for the lines that
 * have no oslo timestamp of their own (devstack's `LEVEL logger …`, stderr).
 *
 * What a collector leaves out is taken from the file itself and said:
 *  - the year of `Jul 16 10:57:31`: from the oslo timestamps in the file's
 *    other lines (the closest year to the latest one seen), else counted
 *    back from when the file ends (the sosreport's date, the file's mtime,
 *    today): a month after that end is the year before;
 *  - the zone of a UTC collector time (journald's JSON and export, short-unix,
 *    container runtimes): shifted to the zone the service's own oslo
 *    timestamps use, learned from a line that has both; UTC when none has;
 *  - the boot of a monotonic time: learned the same way, per boot.
 */

export type YearSource = 'oslo-timestamps' | 'journal-header' | 'sosreport-date' | 'file-mtime' | 'today';

export interface YearAssumption {
  year: number;
  /** The last year given, when the file crosses New Year. */
  through?: number;
  from: YearSource;
}

export interface ShiftAssumption {
  /** Added to the collector's time: `+02:00`, `+00:00`. */
  offset: string;
  from: 'oslo-timestamps' | 'none-found';
}

/** When a file's lines end, and how that is known: the fallback for the year of yearless times. */
export interface FileEnd {
  year: number;
  month: number;
  day?: number;
  from: Exclude<YearSource, 'oslo-timestamps' | 'journal-header'>;
}

const MINUTE = 60_000;
const QUARTER_HOUR = 15 * MINUTE;
const MAX_SHIFT = 14 * 60 * MINUTE;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Milliseconds since 1970 of a wall time read as UTC: only differences are used. */
function wallMs(y: number, mo: number, d: number, hh: number, mm: number, ss: number, ms: number): number {
  return Date.UTC(y, mo - 1, d, hh, mm, ss, ms);
}

export function formatWall(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** `2022-02-04T10:21:58.881` (an oslo time as events carry it) → ms. */
function osloMs(ts: string): number {
  return wallMs(
    +ts.slice(0, 4),
    +ts.slice(5, 7),
    +ts.slice(8, 10),
    +ts.slice(11, 13),
    +ts.slice(14, 16),
    +ts.slice(17, 19),
    +ts.slice(20, 23),
  );
}

interface Yearless {
  month: number;
  day: number;
  hh: number;
  mm: number;
  ss: number;
  ms: number;
}

/** `Jul 16 10:57:31`, ` 9月 05 09:02:02.137011`, `szept  5 …` → parts; undefined when the month is no month. */
export function parseYearless(ts: string): Yearless | undefined {
  const parts = ts.trim().split(/ +/);
  if (parts.length < 3) return undefined;
  const time = parts[parts.length - 1];
  const day = Number(parts[parts.length - 2]);
  const month = monthNumber(parts.slice(0, -2).join(' '));
  if (month === undefined || !(day >= 1 && day <= 31) || time.length < 8) return undefined;
  return {
    month,
    day,
    hh: +time.slice(0, 2),
    mm: +time.slice(3, 5),
    ss: +time.slice(6, 8),
    ms: +msOf(time.length > 9 ? time.slice(9) : undefined),
  };
}

export class CollectorClock {
  /** Year, month, day of the latest oslo time seen: yearless times take the closest year to it. */
  private anchor: { y: number; m: number; d: number } | undefined;
  private anchorFrom: YearSource = 'oslo-timestamps';
  private shiftMs: number | undefined;
  private bootMs: number | undefined;
  private minYear = Infinity;
  private maxYear = -Infinity;
  private yearFrom: YearSource | undefined;
  private usedUtc = false;

  constructor(private readonly end: FileEnd) {}

  /** Whether a line's oslo time can still teach this clock something (a year anchor is cheap to keep current). */
  needsShift(kind: ClockKind): boolean {
    return kind === 'monotonic' ? this.bootMs === undefined : kind !== 'yearless' && this.shiftMs === undefined;
  }

  /** A line with both a collector time and an oslo time (`osloTs` as events carry it). */
  observe(kind: ClockKind, raw: string, osloTs: string): void {
    if (osloTs.length < 23) return;
    const y = +osloTs.slice(0, 4);
    const m = +osloTs.slice(5, 7);
    const d = +osloTs.slice(8, 10);
    if (kind === 'yearless') {
      this.anchor = { y, m, d };
      this.anchorFrom = 'oslo-timestamps';
      return;
    }
    if (kind === 'monotonic') {
      if (this.bootMs === undefined) this.bootMs = osloMs(osloTs) - Number(raw) * 1000;
      return;
    }
    if (this.shiftMs !== undefined || kind === 'local' || kind === 'iso') {
      // A written local time is the host's: the oslo time is the service's, maybe a container in UTC. Either is as written.
      return;
    }
    const collector = this.utcMs(kind, raw);
    if (collector === undefined) return;
    const diff = osloMs(osloTs) - collector;
    const shift = Math.round(diff / QUARTER_HOUR) * QUARTER_HOUR;
    // A zone, not a delay: the two agree to a couple of minutes once shifted.
    if (Math.abs(shift) <= MAX_SHIFT && Math.abs(diff - shift) <= 2 * MINUTE) this.shiftMs = shift;
  }

  /**
   * An oslo time of the same file near a yearless line that is not its own (a paste mixing a host's syslog lines
   * with nova's): the year to take when no line anchored one.
   */
  nearOslo(osloTs: string): void {
    if (this.anchor || osloTs.length < 10) return;
    this.anchor = { y: +osloTs.slice(0, 4), m: +osloTs.slice(5, 7), d: +osloTs.slice(8, 10) };
    this.anchorFrom = 'oslo-timestamps';
  }

  /** A year the collector's own header states (`-- Logs begin at Wed 2017-03-29 …`), used until an oslo time says otherwise. */
  hintYear(year: number, month: number, day: number): void {
    if (this.anchor) return;
    this.anchor = { y: year, m: month, d: day };
    this.anchorFrom = 'journal-header';
  }

  /** A new boot: monotonic times start again. */
  newBoot(): void {
    this.bootMs = undefined;
  }

  /** Wall time of a collector timestamp; '' when it cannot be placed (a monotonic time with no anchor). */
  wall(kind: ClockKind, raw: string): string {
    switch (kind) {
      case 'yearless':
        return this.yearless(raw);
      case 'iso':
      case 'local':
        return asWritten(raw);
      case 'monotonic':
        return this.bootMs === undefined ? '' : formatWall(this.bootMs + Number(raw) * 1000);
      default: {
        const utc = this.utcMs(kind, raw);
        if (utc === undefined) return '';
        this.usedUtc = true;
        return formatWall(utc + (this.shiftMs ?? 0));
      }
    }
  }

  private utcMs(kind: ClockKind, raw: string): number | undefined {
    if (kind === 'epoch-us') {
      const n = Number(raw);
      return Number.isFinite(n) ? Math.floor(n / 1000) : undefined;
    }
    if (kind === 'epoch-s') {
      const n = Number(raw);
      return Number.isFinite(n) ? Math.round(n * 1000) : undefined;
    }
    return undefined;
  }

  private yearless(raw: string): string {
    const p = parseYearless(raw);
    if (!p) return '';
    let year: number;
    if (this.anchor) {
      // The closest of the anchor's year and its neighbours: a journal crossing New Year either way.
      const a = wallMs(this.anchor.y, this.anchor.m, this.anchor.d, 12, 0, 0, 0);
      year = this.anchor.y;
      let best = Infinity;
      for (const y of [this.anchor.y - 1, this.anchor.y, this.anchor.y + 1]) {
        const dist = Math.abs(wallMs(y, p.month, p.day, 12, 0, 0, 0) - a);
        if (dist < best) {
          best = dist;
          year = y;
        }
      }
      this.yearFrom = this.anchorFrom;
    } else {
      const e = this.end;
      const later = p.month > e.month || (p.month === e.month && e.day !== undefined && p.day > e.day + 1);
      year = later ? e.year - 1 : e.year;
      this.yearFrom ??= e.from;
    }
    if (year < this.minYear) this.minYear = year;
    if (year > this.maxYear) this.maxYear = year;
    return `${year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hh)}:${pad(p.mm)}:${pad(p.ss)}.${pad(p.ms, 3)}`;
  }

  /** The year given to yearless times, and why; undefined when no line needed one. */
  yearAssumption(): YearAssumption | undefined {
    if (this.yearFrom === undefined) return undefined;
    const a: YearAssumption = { year: this.minYear, from: this.yearFrom };
    if (this.maxYear !== this.minYear) a.through = this.maxYear;
    return a;
  }

  /** The shift given to UTC collector times, when any line used one. */
  shiftAssumption(): ShiftAssumption | undefined {
    if (this.shiftMs !== undefined && this.shiftMs !== 0) return { offset: offsetText(this.shiftMs / MINUTE), from: 'oslo-timestamps' };
    if (this.usedUtc) return { offset: '+00:00', from: this.shiftMs === 0 ? 'oslo-timestamps' : 'none-found' };
    return undefined;
  }
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** `2024-07-16T10:57:31.057075+02:00`, `… 10:57:31`, `2024-07-16 10:57:31.057075` → the wall time as written. */
export function asWritten(ts: string): string {
  const date = ts.slice(0, 10);
  const time = ts.slice(11, 19);
  let frac: string | undefined;
  if (ts.charCodeAt(19) === 46 /* . */) {
    let end = 20;
    while (end < ts.length && ts.charCodeAt(end) >= 48 && ts.charCodeAt(end) <= 57) end++;
    frac = ts.slice(20, end);
  }
  return `${date}T${time}.${msOf(frac)}`;
}

/** `date`'s output or an mtime → the end a yearless journal is counted back from. */
export function fileEndFrom(collected: { year: number; month: number } | undefined, mtime: Date | undefined, now = new Date()): FileEnd {
  if (collected) return { year: collected.year, month: collected.month, from: 'sosreport-date' };
  if (mtime && !Number.isNaN(mtime.getTime()) && mtime.getTime() > 0)
    return { year: mtime.getUTCFullYear(), month: mtime.getUTCMonth() + 1, day: mtime.getUTCDate(), from: 'file-mtime' };
  return { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1, day: now.getUTCDate(), from: 'today' };
}

/**
 * `Feb 16 09:03:40` (no year; a fraction and a month in any locale allowed):
 * the year is the collection's, or the one before for a later month (a
 * journal spanning New Year). The parser's CollectorClock does more (the year
 * from the file's own oslo times); this is the rule on its own.
 */
export function syslogTs(ts: string, collected: { year: number; month: number }): string {
  return new CollectorClock({ ...collected, from: 'sosreport-date' }).wall('yearless', ts);
}
