import { monthNumber } from './month-names.js';

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

/** `2025-05-14T04:32:50.791Z` → `2025-05-14T04:32:50.791` */
export function isoZTs(ts: string): string {
  if (ts.charCodeAt(19) !== 46 /* . */) return `${ts.slice(0, 19)}.000`;
  let end = 20;
  while (end < ts.length && end < 23 && ts.charCodeAt(end) >= 48 && ts.charCodeAt(end) <= 57) end++;
  return `${ts.slice(0, 19)}.${msOf(ts.slice(20, end))}`;
}

/**
 * `date`'s output, `Wed Oct  2 16:05:12 UTC 2024` → {year: 2024, month: 10}.
 * sos runs `date` in the machine's locale: `mer. 2 oct. 2024 16:05:12 CEST`,
 * `2024年 10月  2日 水曜日 16:05:12 JST` name the month as journald's lines do.
 */
export function yearMonthFromDate(text: string): YearMonth | undefined {
  const y = /\b(19|20)\d\d\b(?![\s\S]*\b(?:19|20)\d\d\b)/.exec(text);
  if (!y) return undefined;
  const m = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/.exec(text);
  if (m) return { year: Number(y[0]), month: Number(MONTHS[m[1]]) };
  // Another locale: the first word that is a month name there (CJK months are digits and 月).
  for (const w of text.split(/[\s,]+/)) {
    const cjk = /^(\d{1,2})[月월]$/.exec(w);
    const month = cjk ? Number(cjk[1]) : /\d/.test(w) ? undefined : monthNumber(w);
    if (month !== undefined && month >= 1 && month <= 12) return { year: Number(y[0]), month };
  }
  // Without a month no line can be told to be later: December keeps every line in the year.
  return { year: Number(y[0]), month: 12 };
}
