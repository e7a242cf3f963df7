import { newlines } from '../../parsers/lines.js';
import type { GateSink } from './window-gate.js';

/**
 * The bytes of a plain oslo.log file with `--instance`, the lines that name neither the instance nor one of its
 * requests passed over unread: no text decoded, nothing parsed. The instance's uuid and its migrations' (focus-scan.ts)
 * are searched for in each chunk with `Buffer.indexOf`, its request ids by each `req-` met (one search, whatever
 * their number: a set holds them); a line holding one is read, and so are the lines after it that go on with its
 * record: those that open no record (a multi-line message; a line that opens one starts with its date), and those
 * that start as its first did, up to its logger. oslo.log writes a traceback's lines with its
 * `logging_exception_prefix` (`%(asctime)s.%(msecs)03d %(process)d ERROR %(name)s %(instance)s`): the record's
 * time, process, level and logger, and no request. Every other line is counted, so the lines read keep their numbers.
 */

/** A line held longer than this without its end is judged on what it holds so far (a 100 MB line is never held whole). */
const MAX_HELD = 1 << 20;
const REQ = Buffer.from('req-', 'latin1');
/** `req-` and a uuid. */
const REQ_LENGTH = 40;

/** What a line must hold to be read: one of these uuids, one of these request ids, or one of these texts. */
export interface FocusNeedles {
  uuids: readonly string[];
  requests: ReadonlySet<string>;
  /** The words of the host-wide signatures (src/registry/keep.ts `hostWideTexts`): the tracker's audits, the power sync. */
  texts?: readonly string[];
  /** The hosts whose logs `texts` are searched in (those the instance's uuid stands in); absent: every host's. */
  textHosts?: ReadonlySet<string>;
}

/** The needles of a file of `host`: the texts only on the hosts they are searched on. */
export function needlesOn(needles: FocusNeedles, host: string): FocusNeedles {
  return !needles.textHosts || needles.textHosts.has(host) ? needles : { ...needles, texts: [] };
}

export class FocusGate {
  /** The start of a line whose end has not come yet. */
  private pending: Buffer | undefined;
  /** The first bytes may begin inside a line the reader already holds the start of: read to its end first. */
  private lead = true;
  /** Whether the last line judged was read: a line that opens no record goes with it. */
  private keptLast = true;
  /** The start of the last record read, up to the end of its logger: its traceback's lines start so. */
  private recordHead: Buffer | undefined;
  /** A line judged before its end (longer than MAX_HELD): what to do with its rest. */
  private midLine: 'read' | 'pass' | undefined;

  /** The uuids and the texts, each searched for with `indexOf`. */
  private readonly uuids: readonly Buffer[];
  /** The requests' first eight hex digits, as numbers (`hexKey`). */
  private readonly requestKeys: Set<number>;
  /** The run of lines being gathered (`run`): its bytes, where it is in them, and whether it is read. */
  private runBuffer: Buffer | undefined;
  private runStart = 0;
  private runEnd = 0;
  private runRead = false;

  constructor(
    private readonly needles: FocusNeedles,
    private readonly sink: GateSink,
  ) {
    this.uuids = [...needles.uuids.map((u) => Buffer.from(u, 'latin1')), ...(needles.texts ?? []).map((x) => Buffer.from(x, 'utf8'))];
    this.requestKeys = new Set([...needles.requests].map((r) => hexKey(Buffer.from(r, 'latin1'), REQ.length)));
  }

  /** Never past: any later line may name the instance. */
  get past(): boolean {
    return false;
  }

  push(chunk: Buffer): void {
    let b = chunk;
    if (this.pending) {
      // Only the held line's end joins it: the rest of the chunk is judged where it lies (a copy of every chunk
      // was a tenth of a run).
      const nl = chunk.indexOf(10);
      const line = Buffer.concat([this.pending, nl === -1 ? chunk : chunk.subarray(0, nl + 1)]);
      this.pending = undefined;
      if (nl === -1) b = line;
      else {
        this.judge(line, 0, line.length);
        b = chunk.subarray(nl + 1);
      }
    }
    let p = 0;
    if (this.lead || this.midLine) {
      const nl = b.indexOf(10);
      const to = nl === -1 ? b.length : nl + 1;
      if (this.midLine === 'pass') this.sink.passed(to, nl === -1 ? 0 : 1, 'focus');
      else this.sink.read(b.subarray(0, to));
      if (nl === -1) return;
      this.lead = false;
      this.midLine = undefined;
      p = to;
    }
    const end = b.lastIndexOf(10) + 1;
    if (end > p) this.judge(b, p, end);
    const from = Math.max(p, end);
    if (from < b.length) {
      if (b.length - from > MAX_HELD) {
        // Too long to hold: judged now on its start, its rest follows the same way.
        const read = this.keeps(b, from, b.length);
        if (read) this.sink.read(b.subarray(from));
        else this.sink.passed(b.length - from, 0, 'focus');
        this.midLine = read ? 'read' : 'pass';
        this.keptLast = read;
      } else this.pending = Buffer.from(b.subarray(from));
    }
  }

  /** The file has ended: a last line without its newline is judged like any other. */
  end(): void {
    const tail = this.pending;
    this.pending = undefined;
    if (!tail) return;
    if (this.keeps(tail, 0, tail.length)) this.sink.read(tail);
    else this.sink.passed(tail.length, 1, 'focus');
  }

  /**
   * The whole lines of `b` from `p` to `end` (just after a newline). Only the lines around a hit are looked at one
   * by one: between two hits the lines go with the last read while they open no record, the rest are passed over.
   */
  private judge(b: Buffer, p: number, end: number): void {
    let cur = p;
    for (const h of this.hits(b, p, end)) {
      if (h < cur) continue;
      const start = Math.max(cur, b.lastIndexOf(10, h) + 1);
      this.between(b, cur, start);
      const next = b.indexOf(10, h) + 1;
      this.run(b, start, next, true);
      this.readRecord(b, start, next);
      cur = next;
    }
    this.between(b, cur, end);
    this.flush();
  }

  /** Whole lines that hold no needle: those that open no record after a line read go with it, the rest are passed over. */
  private between(b: Buffer, from: number, to: number): void {
    let s = from;
    if (this.keptLast) while (s < to && this.goesOn(b, s)) s = b.indexOf(10, s) + 1;
    this.run(b, from, s, true);
    if (s >= to) return;
    this.run(b, s, to, false);
    this.keptLast = false;
  }

  private keeps(b: Buffer, from: number, to: number): boolean {
    if (this.keptLast && this.goesOn(b, from)) return true;
    if (this.hits(b, from, to).length === 0) return false;
    this.readRecord(b, from, to);
    return true;
  }

  /** A line read for what it holds: its record's head, when it opens one, is what the lines of its traceback start with. */
  private readRecord(b: Buffer, start: number, end: number): void {
    this.keptLast = true;
    if (!opensRecord(b, start)) return;
    // Date, time, process, level, logger: the fifth space ends the head.
    let at = start;
    for (let k = 0; k < 5 && at !== -1; k++) at = b.indexOf(32, at + (k === 0 ? 0 : 1));
    this.recordHead = at !== -1 && at < end ? Buffer.from(b.subarray(start, at)) : undefined;
  }

  /** Whether the line at `s` goes on with the record read last: it opens none, or starts as that record's head. */
  private goesOn(b: Buffer, s: number): boolean {
    if (!opensRecord(b, s)) return true;
    const head = this.recordHead;
    if (!head || s + head.length >= b.length || b.compare(head, 0, head.length, s, s + head.length) !== 0) return false;
    // Its logger ends there: a space, or the line's end (a traceback's blank line has nothing after it).
    const after = b[s + head.length];
    return after === 32 || after === 10 || after === 13;
  }

  /**
   * Where in `b[from, to)` a needle stands, in order. A request id is looked up by the number its first eight hex
   * digits make, and compared whole only when that is one of the needles': no string for every `req-` met.
   */
  private hits(b: Buffer, from: number, to: number): number[] {
    const hits: number[] = [];
    for (const n of this.uuids) for (let i = b.indexOf(n, from); i !== -1 && i < to; i = b.indexOf(n, i + n.length)) hits.push(i);
    if (this.requestKeys.size > 0)
      for (let i = b.indexOf(REQ, from); i !== -1 && i < to; i = b.indexOf(REQ, i + REQ_LENGTH)) {
        const k = hexKey(b, i + REQ.length);
        if (k >= 0 && this.requestKeys.has(k) && this.needles.requests.has(b.toString('latin1', i, i + REQ_LENGTH))) hits.push(i);
      }
    return this.uuids.length > 0 ? hits.sort((x, y) => x - y) : hits;
  }

  /** Bytes of `b` read or passed over, in order: a run goes to the sink when the next is of the other kind (or at `flush`). */
  private run(b: Buffer, from: number, to: number, read: boolean): void {
    if (to <= from) return;
    if (read !== this.runRead || b !== this.runBuffer) {
      this.flush();
      this.runBuffer = b;
      this.runStart = from;
      this.runRead = read;
    }
    this.runEnd = to;
  }

  private flush(): void {
    const b = this.runBuffer;
    this.runBuffer = undefined;
    if (!b) return;
    if (this.runRead) {
      this.sink.read(b.subarray(this.runStart, this.runEnd));
      return;
    }
    this.sink.passed(this.runEnd - this.runStart, newlines(b, this.runStart, this.runEnd), 'focus');
    // What the parser holds open ends here: the next line read is no continuation of it.
    this.sink.opened();
  }
}

/** The number the 8 hex digits at `at` make (lower case, as nova writes them), or -1. */
function hexKey(b: Buffer, at: number): number {
  let k = 0;
  for (let i = at; i < at + 8; i++) {
    const c = b[i];
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (d < 0) return -1;
    k = k * 16 + d;
  }
  return k;
}

const digit = (c: number | undefined): boolean => c !== undefined && c >= 48 && c <= 57;

/** A plain oslo.log line that opens a record starts with its date (`2024-`); a message's own lines may start with a digit. */
function opensRecord(b: Buffer, s: number): boolean {
  return digit(b[s]) && digit(b[s + 1]) && digit(b[s + 2]) && digit(b[s + 3]) && b[s + 4] === 45;
}
