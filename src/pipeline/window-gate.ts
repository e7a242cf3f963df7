import { newlines } from '../../parsers/lines.js';
import { compareStampAt } from '../../parsers/record-cut.js';
import { stopAfter, type TimeWindow } from './window.js';

/**
 * The bytes of a plain oslo.log file, with the lines outside `--since` / `--until` passed over unread:
 * no text decoded, no line split, nothing parsed. Every record of such a file opens with its time
 * (`2026-01-01 06:00:00.004 …`, and its traceback lines repeat it), so:
 * - before the window: lines are passed over until the first one whose time is at or after `since`;
 *   every line before it is earlier (the first such line, not a search), so nothing in the window is lost,
 *   however the file's times go;
 * - after the window: the reader stops at the first line stamped later than `until` plus UNTIL_SLACK_MS
 *   (window.ts): a log is written in time order, give or take its processes' interleaving.
 * Lines without a time (a continuation, a wrapped message) go with the line before them. The events read
 * are still held to the window exactly (read-logs.ts); this only saves reading what cannot be in it.
 */

export interface GateSink {
  /** Bytes to read, in order (the line splitter's). */
  read(b: Buffer): void;
  /** Bytes passed over: `lines` newlines among them (a last line without one is counted at the end). */
  passed(bytes: number, lines: number, side: 'before' | 'after' | 'focus'): void;
  /** The window opens at this line: what the parser holds from before ends here. */
  opened(): void;
}

type State = 'lead' | 'before' | 'in' | 'after';

export class WindowGate {
  private state: State = 'lead';
  /** The start of a line too short yet to judge (fewer bytes than a time), held for the next chunk. */
  private pending: Buffer | undefined;
  /** The last chunk ended inside a line: the next one goes on with it. */
  private midLine = false;
  private readonly since: string | undefined;
  private readonly stop: string | undefined;

  /**
   * `w` has a since or an until. The first bytes pushed may begin inside a line the reader already
   * holds the start of (the file's first lines are read as usual, to tell what it is): they are read up
   * to its end before any line is judged.
   */
  constructor(
    w: TimeWindow,
    private readonly sink: GateSink,
  ) {
    this.since = w.since;
    this.stop = stopAfter(w);
  }

  /** Past the window (and its slack): nothing more of the file will be read. */
  get past(): boolean {
    return this.state === 'after';
  }

  push(chunk: Buffer): void {
    let b = chunk;
    if (this.pending) {
      b = Buffer.concat([this.pending, chunk]);
      this.pending = undefined;
    }
    let p = 0;
    if (this.state === 'lead') {
      const nl = b.indexOf(10);
      if (nl === -1) {
        this.sink.read(b);
        return;
      }
      this.sink.read(b.subarray(0, nl + 1));
      p = nl + 1;
      this.state = this.since !== undefined ? 'before' : 'in';
    }
    if (this.state === 'before') {
      p = this.scan(b, p, this.since!, 0, (from, to) => this.pass(b, from, to, 'before'));
      if (p < 0) return;
      this.sink.opened();
      this.state = 'in';
    }
    if (this.state === 'in') {
      if (this.stop === undefined) {
        if (p < b.length) this.sink.read(b.subarray(p));
        return;
      }
      p = this.scan(b, p, this.stop, 1, (from, to) => {
        if (to > from) this.sink.read(b.subarray(from, to));
      });
      if (p < 0) return;
      this.state = 'after';
    }
    // After the window: the rest is counted, not read (a last line cut by the chunk's end is counted once, at its newline or the end).
    this.pass(b, p, b.length, 'after');
    if (p < b.length) this.midLine = b[b.length - 1] !== 10;
  }

  /** The file has ended: a line held or cut short is read or passed over as its state says. */
  end(): void {
    const tail = this.pending;
    this.pending = undefined;
    if (this.state === 'in' || this.state === 'lead') {
      if (tail) this.sink.read(tail);
      return;
    }
    const side = this.state;
    if (tail) this.sink.passed(tail.length, 1, side);
    else if (this.midLine) this.sink.passed(0, 1, side);
    this.midLine = false;
  }

  /**
   * From `p` (a line start, or inside a line when the last chunk ended in one), the first line start
   * whose time compares with `bound` at least `atLeast` (0: at or after it; 1: after it); the bytes before
   * it go to `take`. -1 when the chunk holds none (all of it taken, a short line start held back).
   */
  private scan(b: Buffer, p: number, bound: string, atLeast: number, take: (from: number, to: number) => void): number {
    const from = p;
    if (this.midLine) {
      const nl = b.indexOf(10, p);
      if (nl === -1) {
        take(from, b.length);
        return -1;
      }
      p = nl + 1;
      this.midLine = false;
    }
    while (p < b.length) {
      const c = compareStampAt(b, p, bound);
      if (c !== undefined && c >= atLeast) {
        take(from, p);
        return p;
      }
      const nl = b.indexOf(10, p);
      if (nl === -1) {
        if (c === undefined && b.length - p < 23) {
          // Too short to tell yet: judged with the next chunk's bytes.
          take(from, p);
          this.pending = Buffer.from(b.subarray(p));
          return -1;
        }
        take(from, b.length);
        this.midLine = true;
        return -1;
      }
      p = nl + 1;
    }
    take(from, p);
    return -1;
  }

  private pass(b: Buffer, from: number, to: number, side: 'before' | 'after'): void {
    if (to <= from) return;
    this.sink.passed(to - from, newlines(b, from, to), side);
  }
}
