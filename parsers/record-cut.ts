/**
 * Where the bytes of a plain oslo.log file may be cut so that each piece
 * parses alone exactly as it would have in one piece (a parse worker takes
 * every other piece: src/pipeline/read-logs.ts). The cut goes before a line
 * that opens a record of its own for certain: oslo.log's default header,
 * `2026-01-01 06:00:00.004 1234 INFO nova.compute.manager …`, in the shape
 * `scanOsloHeader` reads (so the parser cannot decline it), at a level whose
 * line never folds into the record above — ERROR, TRACE and CRITICAL lines
 * without a context continue an open traceback, so no cut goes before them.
 * Everything else (a header the fast scan would not read, a continuation
 * line, another format) is simply not a place to cut.
 */

/** Levels whose header line always opens a new record. */
const OPENING_LEVELS: readonly Buffer[] = ['INFO ', 'DEBUG ', 'WARNING ', 'AUDIT '].map((l) => Buffer.from(l));

/** Where `YYYY-MM-DD HH:MM:SS.mmm` has digits (as in scanOsloHeader). */
const DIGIT_AT = Uint8Array.of(0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22);

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Whether the line starting at `p` is a header line of an opening level (all of it before `end`). */
export function opensRecord(b: Uint8Array, p: number, end = b.length): boolean {
  if (p + 32 > end) return false;
  for (let k = 0; k < DIGIT_AT.length; k++) if (!isDigit(b[p + DIGIT_AT[k]])) return false;
  const sep = b[p + 10];
  if (b[p + 4] !== 45 || b[p + 7] !== 45 || (sep !== 32 && sep !== 84) || b[p + 13] !== 58 || b[p + 16] !== 58 || b[p + 19] !== 46)
    return false;
  if (b[p + 23] !== 32 || !isDigit(b[p + 24])) return false;
  let i = p + 25;
  while (i < end && isDigit(b[i])) i++;
  if (i >= end || b[i] !== 32 || i - (p + 24) > 15) return false;
  i++;
  const level = OPENING_LEVELS.find((l) => i + l.length <= end && l.every((c, k) => b[i + k] === c));
  if (!level) return false;
  i += level.length;
  // A logger name: printable ASCII, no `[`, up to a space or the end of the line.
  const loggerStart = i;
  for (; i < end; i++) {
    const c = b[i];
    if (c === 32 || c === 10 || c === 13) break;
    if (c < 32 || c === 91 || c > 126) return false;
  }
  return i > loggerStart && i < end;
}

/**
 * The first place at or after `from` (and before `end`) that starts a line opening a record, or -1.
 * `from` itself counts when a line starts there.
 */
export function recordCut(b: Buffer, from: number, end = b.length): number {
  if (from === 0 && opensRecord(b, 0, end)) return 0;
  let nl = b.indexOf(10, from > 0 ? from - 1 : 0);
  while (nl !== -1 && nl + 1 < end) {
    if (opensRecord(b, nl + 1, end)) return nl + 1;
    nl = b.indexOf(10, nl + 1);
  }
  return -1;
}

/**
 * How the oslo.log time at the start of the line at `p` compares with `bound` (a written time,
 * `YYYY-MM-DDTHH:mm:ss.SSS`): negative, zero or positive; undefined when the line does not start with
 * one (a continuation line, another format) or it does not lie whole before `end`. The separator
 * between date and time (a space or `T`) is not compared.
 */
export function compareStampAt(b: Uint8Array, p: number, bound: string, end = b.length): number | undefined {
  if (p + 23 > end) return undefined;
  for (let k = 0; k < DIGIT_AT.length; k++) if (!isDigit(b[p + DIGIT_AT[k]])) return undefined;
  const sep = b[p + 10];
  if (b[p + 4] !== 45 || b[p + 7] !== 45 || (sep !== 32 && sep !== 84) || b[p + 13] !== 58 || b[p + 16] !== 58 || b[p + 19] !== 46)
    return undefined;
  for (let k = 0; k < 23; k++) {
    if (k === 10) continue;
    const d = b[p + k] - bound.charCodeAt(k);
    if (d !== 0) return d;
  }
  return 0;
}
