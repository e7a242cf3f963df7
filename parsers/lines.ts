import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a byte stream into lines without ever holding more than one line
 * (capped) plus one chunk. split2 re-scans its growing buffer on every chunk,
 * which is quadratic on a 100 MB line; here a line past `maxLineChars` is cut
 * and the rest of it skipped, so time and memory stay linear and bounded.
 */

export interface LineStats {
  bytes: number;
  lines: number;
  /** Lines longer than the cap, cut to it. */
  longLines: number;
  /** Lines that held bytes that are not UTF-8 (decoded as U+FFFD). */
  invalidUtf8Lines: number;
  /** Lines that held NUL bytes (copytruncate holes, binary garbage); NULs are removed. */
  nulLines: number;
  /** NUL bytes removed (before decoding: a run of them never counts toward a line's length). */
  nulBytes: number;
  /** First line number cut for length, for the warning. */
  firstLongLine?: number;
}

export type LineSink = (line: string, lineNo: number) => void;

export const DEFAULT_MAX_LINE_CHARS = 1 << 20;

/** Bytes decoded at a time (see `pushText`). */
const TEXT_PIECE = 32 * 1024;

/** Newline bytes in b[from, to): a stretch of a file's bytes counted as lines without splitting them. */
export function newlines(b: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = b.indexOf(10, from); i !== -1 && i < to; i = b.indexOf(10, i + 1)) n++;
  return n;
}

export class LineSplitter {
  readonly stats: LineStats = { bytes: 0, lines: 0, longLines: 0, invalidUtf8Lines: 0, nulLines: 0, nulBytes: 0 };
  private readonly decoder = new StringDecoder('utf8');
  private carry = '';
  private overlong = false;
  private lineNo = 0;
  /** NULs were removed from the line being assembled. */
  private nulInLine = false;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLineChars = DEFAULT_MAX_LINE_CHARS,
    /** Lines of the file before these bytes (a piece a parse worker reads): the first is numbered one more. */
    linesBefore = 0,
  ) {
    this.lineNo = linesBefore;
  }

  /**
   * The bytes after those pushed so far, up to a line's end, were split elsewhere (a parse worker's
   * splitter, `stats` its counts, its line numbers already the file's): counted as if pushed here.
   */
  continueAfter(stats: LineStats): void {
    const s = this.stats;
    s.bytes += stats.bytes;
    s.lines += stats.lines;
    s.longLines += stats.longLines;
    s.invalidUtf8Lines += stats.invalidUtf8Lines;
    s.nulLines += stats.nulLines;
    s.nulBytes += stats.nulBytes;
    s.firstLongLine ??= stats.firstLongLine;
    this.lineNo += stats.lines;
  }

  /**
   * NULs are dropped as bytes, before decoding (0x00 is never part of a UTF-8
   * sequence): a hole of megabytes of them, as a crash or copytruncate leaves,
   * then costs nothing and never pushes the text after it past the line cap.
   */
  push(chunk: Buffer): void {
    this.stats.bytes += chunk.length;
    let z = chunk.indexOf(0);
    if (z === -1) {
      this.pushText(chunk);
      return;
    }
    let s = 0;
    const n = chunk.length;
    while (z !== -1) {
      if (z > s) this.pushText(chunk.subarray(s, z));
      let e = z + 1;
      while (e < n && chunk[e] === 0) e++;
      this.stats.nulBytes += e - z;
      this.nulInLine = true;
      s = e;
      z = s < n ? chunk.indexOf(0, s) : -1;
    }
    if (s < n) this.pushText(chunk.subarray(s));
  }

  end(): void {
    const tail = this.decoder.end();
    if (tail) this.consume(tail, tail.indexOf('\uFFFD') !== -1);
    if (this.carry.length > 0 || this.overlong || this.nulInLine) this.emitCarry();
  }

  /**
   * Decoded in pieces of at most TEXT_PIECE bytes: a string past V8's regular
   * object size (128 KiB) goes to the large-object space, which only a full
   * collection frees, so 256 KiB chunk texts piled up as garbage faster than
   * the collector came (peak RSS grew with the input). A piece's text dies young.
   */
  private pushText(b: Buffer): void {
    for (let s = 0; s < b.length; s += TEXT_PIECE) {
      const text = this.decoder.write(s === 0 && b.length <= TEXT_PIECE ? b : b.subarray(s, s + TEXT_PIECE));
      this.consume(text, text.indexOf('\uFFFD') !== -1);
    }
  }

  private consume(text: string, hasBad: boolean): void {
    let nl = text.indexOf('\n');
    if (nl === -1) {
      this.append(text);
      return;
    }
    if (this.carry.length > 0 || this.overlong) {
      this.append(text.slice(0, nl));
      this.emitCarry();
    } else {
      this.emit(text.slice(0, nl), hasBad, false);
    }
    let start = nl + 1;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      this.emit(text.slice(start, nl), hasBad, false);
      start = nl + 1;
    }
    if (start < text.length) this.append(start === 0 ? text : text.slice(start));
  }

  private append(s: string): void {
    if (this.overlong) return;
    // One char past the cap, so that the CR of a CRLF line does not make it long.
    const room = this.maxLineChars + 1;
    if (this.carry.length + s.length > room) {
      this.carry = (this.carry + s).slice(0, room);
      this.overlong = true;
    } else {
      this.carry += s;
    }
  }

  /** The carried line spans earlier chunks, whose bad-UTF-8 flags are not the current one's: check it. */
  private emitCarry(): void {
    const line = this.carry;
    const cut = this.overlong;
    this.carry = '';
    this.overlong = false;
    this.emit(line, true, cut);
  }

  private emit(line: string, hasBad: boolean, cut: boolean): void {
    this.lineNo++;
    this.stats.lines++;
    if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    if (cut || line.length > this.maxLineChars) {
      this.stats.longLines++;
      this.stats.firstLongLine ??= this.lineNo;
      if (line.length > this.maxLineChars) line = line.slice(0, this.maxLineChars);
    }
    if (hasBad && line.indexOf('\uFFFD') !== -1) this.stats.invalidUtf8Lines++;
    if (this.nulInLine) {
      this.stats.nulLines++;
      this.nulInLine = false;
    }
    this.sink(line, this.lineNo);
  }
}
