import { entryInfo } from './journal-json.js';
import type { PrefixInfo } from './collector-line.js';

/**
 * journald's export format (`journalctl -o export`, systemd's
 * docs/JOURNAL_EXPORT_FORMATS.md and logs-show.c output_export): entries of
 * `FIELD=value\n` lines, an empty line after each. A value that is not
 * printable text, or holds a newline (a multi-line MESSAGE), is written as
 * `FIELD\n`, its size as a little-endian 64-bit integer, the bytes, `\n`. That
 * size is binary, so the stream is read as bytes, not lines.
 *
 * Only the fields that say who wrote an entry, where and when, and its
 * MESSAGE, are decoded; the others are skipped where they stand.
 */

/** Does a stream start like an export (its first field is one journalctl writes first)? */
export function isJournalExport(head: Buffer): boolean {
  const s = head.toString('latin1', 0, Math.min(head.length, 64));
  return /^(?:__CURSOR|__REALTIME_TIMESTAMP|__SEQNUM|_BOOT_ID|__MONOTONIC_TIMESTAMP)=/.test(s);
}

const WANTED = new Set([
  'MESSAGE',
  '__REALTIME_TIMESTAMP',
  '_SOURCE_REALTIME_TIMESTAMP',
  '_HOSTNAME',
  'SYSLOG_IDENTIFIER',
  'CONTAINER_NAME',
  '_COMM',
  '_SYSTEMD_UNIT',
  '_SYSTEMD_USER_UNIT',
  '_PID',
  'SYSLOG_PID',
]);

/** A field longer than this is skipped rather than held (a MESSAGE is cut to it). */
const MAX_FIELD = 1 << 20;

export interface ExportStats {
  bytes: number;
  /** Newline bytes seen, as a text reader would count lines. */
  lines: number;
  entries: number;
  /** Text that is not an export field (a truncated stream, garbage): skipped to the next newline. */
  badLines: number;
}

const NL = 10;

export class JournalExportReader {
  readonly stats: ExportStats = { bytes: 0, lines: 0, entries: 0, badLines: 0 };
  private buf: Buffer = Buffer.alloc(0);
  private fields = new Map<string, string>();
  private entryLine = 1;
  private sawField = false;
  /** Bytes of a binary value still to skip (one too big to hold), then its newline. */
  private skip = 0;

  constructor(private readonly onEntry: (info: PrefixInfo, raw: string, lineNo: number) => void) {}

  push(chunk: Buffer): void {
    this.stats.bytes += chunk.length;
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    this.parse(false);
  }

  end(): void {
    this.parse(true);
    if (this.buf.length > 0) this.stats.badLines++;
    this.buf = Buffer.alloc(0);
    this.flush();
  }

  private countLines(from: number, to: number): void {
    for (let i = this.buf.indexOf(NL, from); i !== -1 && i < to; i = this.buf.indexOf(NL, i + 1)) this.stats.lines++;
  }

  private parse(atEnd: boolean): void {
    const b = this.buf;
    let pos = 0;
    for (;;) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, b.length - pos);
        this.countLines(pos, pos + n);
        pos += n;
        this.skip -= n;
        if (this.skip > 0) break;
        continue;
      }
      const nl = b.indexOf(NL, pos);
      if (nl === -1) {
        // A field line with no end yet; one past any sane length is garbage.
        if (b.length - pos > MAX_FIELD) {
          this.stats.badLines++;
          pos = b.length;
        }
        if (atEnd && pos < b.length) {
          this.stats.badLines++;
          pos = b.length;
        }
        break;
      }
      if (nl === pos) {
        // An empty line ends the entry.
        this.stats.lines++;
        pos = nl + 1;
        this.flush();
        this.entryLine = this.stats.lines + 1;
        continue;
      }
      const eq = b.indexOf(61 /* = */, pos);
      if (eq !== -1 && eq < nl) {
        const name = b.toString('latin1', pos, eq);
        if (WANTED.has(name)) this.fields.set(name, b.toString('utf8', eq + 1, nl));
        this.sawField = true;
        this.stats.lines++;
        pos = nl + 1;
        continue;
      }
      // `NAME\n` + LE64 size + bytes + `\n`.
      const name = b.toString('latin1', pos, nl);
      if (!/^[A-Z0-9_]+$/.test(name)) {
        this.stats.badLines++;
        this.stats.lines++;
        pos = nl + 1;
        continue;
      }
      if (b.length - (nl + 1) < 8) break;
      const size = b.readBigUInt64LE(nl + 1);
      const start = nl + 9;
      this.stats.lines++;
      this.sawField = true;
      if (size > BigInt(MAX_FIELD)) {
        // Not held: skipped as it streams past, with its newline.
        this.skip = Number(size) + 1;
        pos = start;
        continue;
      }
      const end = start + Number(size);
      if (b.length < end + 1) {
        if (atEnd) {
          this.stats.badLines++;
          pos = b.length;
        }
        break;
      }
      if (WANTED.has(name)) this.fields.set(name, b.toString('utf8', start, end));
      this.countLines(start, end + 1);
      pos = end + 1;
    }
    this.buf = pos >= b.length ? Buffer.alloc(0) : b.subarray(pos);
  }

  private flush(): void {
    if (!this.sawField) return;
    const f = this.fields;
    this.fields = new Map();
    this.sawField = false;
    this.stats.entries++;
    const message = f.get('MESSAGE');
    const info = entryInfo((name) => f.get(name), message);
    // An entry with no MESSAGE at all (a coredump's metadata, an audit record) is no log line.
    if (message === undefined) {
      info.omitted = false;
      info.foreign = true;
    }
    const nl = message?.indexOf('\n') ?? -1;
    this.onEntry(info, nl === -1 ? (message ?? '') : message!.slice(0, nl), this.entryLine);
  }
}
