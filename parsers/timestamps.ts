/**
 * The timestamp pieces every log format shares. Events carry local wall time
 * as `YYYY-MM-DDTHH:MM:SS.mmm` (plus `±HH:MM` where the line states its zone).
 */

export const MONTHS: Readonly<Record<string, string>> = {
  Jan: '01',
  Feb: '02',
  Mar: '03',
  Apr: '04',
  May: '05',
  Jun: '06',
  Jul: '07',
  Aug: '08',
  Sep: '09',
  Oct: '10',
  Nov: '11',
  Dec: '12',
};

/** The month logs were collected in: syslog/journald lines have no year, and are never from after it. */
export interface YearMonth {
  year: number;
  /** 1–12 */
  month: number;
}

/** Fraction-of-second digits (any count, or none) → three digits of milliseconds. */
export function msOf(frac: string | undefined): string {
  if (frac === undefined) return '000';
  return frac.length === 3 ? frac : frac.length > 3 ? frac.slice(0, 3) : frac.padEnd(3, '0');
}

/** `Feb 16 09:03:40` (no year, no fraction): the year is the collection's, or the one before for a later month (a journal spanning New Year). */
export function syslogTs(ts: string, collected: YearMonth): string {
  const mon = MONTHS[ts.slice(0, 3)] ?? '01';
  const year = Number(mon) > collected.month ? collected.year - 1 : collected.year;
  const day = ts.slice(4, 6).trim().padStart(2, '0');
  return `${year}-${mon}-${day}T${ts.slice(7, 15)}.000`;
}

/** `2025-05-14T04:32:50.791Z` → `2025-05-14T04:32:50.791` */
export function isoZTs(ts: string): string {
  if (ts.charCodeAt(19) !== 46 /* . */) return `${ts.slice(0, 19)}.000`;
  let end = 20;
  while (end < ts.length && end < 23 && ts.charCodeAt(end) >= 48 && ts.charCodeAt(end) <= 57) end++;
  return `${ts.slice(0, 19)}.${msOf(ts.slice(20, end))}`;
}

/** A collector's timestamp of either kind: kubectl's ISO time or syslog's yearless one. */
export function collectorTime(ts: string, collected: YearMonth): string {
  return ts.includes('T') ? isoZTs(ts) : syslogTs(ts, collected);
}

/** `date`'s output, `Wed Oct  2 16:05:12 UTC 2024` → {year: 2024, month: 10}. */
export function yearMonthFromDate(text: string): YearMonth | undefined {
  const y = /\b(19|20)\d\d\b(?![\s\S]*\b(?:19|20)\d\d\b)/.exec(text);
  if (!y) return undefined;
  const m = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/.exec(text);
  // Without a month no line can be told to be later: December keeps every line in the year.
  return { year: Number(y[0]), month: m ? Number(MONTHS[m[1]]) : 12 };
}

export function currentYearMonth(): YearMonth {
  const now = new Date();
  return { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1 };
}
