import {
  Kind,
  dumpComment,
  firstWord,
  parseCreateTable,
  parseInsertHead,
  parseSetNames,
  parseUse,
  type CreateTable,
  type InsertHead,
} from './mysqldump-sql.js';

/**
 * Streaming reader for mysqldump output (MySQL 5.x/8.x, MariaDB 10.x/11):
 * bytes in, rows of the wanted tables out. It is a byte-level state machine
 * that can stop and resume at any byte, so chunks may end anywhere (inside a
 * string, an escape, a UTF-8 character, a keyword). Statement heads (a few KB)
 * are buffered, capped; INSERT values never are: each row is built as its
 * bytes arrive, and the INSERTs of unwanted tables are only scanned for their
 * end (indexOf on quotes and `;`), without building a single value.
 * Bad input never throws: it becomes a warning with the byte offset.
 */

export type DumpValue = string | number | null | Buffer;

export interface DumpWarning {
  message: string;
  /** Byte offset in the input (counted from the first byte pushed, tailed head included). */
  offset: number;
  db?: string;
  table?: string;
}

export interface MysqlDumpOptions {
  /** Which tables to turn into rows; every other table's INSERTs are skipped WITHOUT building values. */
  wanted(db: string, table: string): boolean;
  onRow(db: string, table: string, row: Record<string, DumpValue>): void;
  /** From CREATE TABLE: column names in order (KEY/CONSTRAINT lines left out), and the primary key's columns. */
  onTable?(db: string, table: string, columns: string[], primaryKey?: string[]): void;
  onWarning?(w: DumpWarning): void;
  /** Database to assume before any `-- Current Database:` / `USE` (e.g. a single-db dump). */
  defaultDb?: string;
  /** The dump is sos's tailed copy: it starts mid-statement; skip to the first statement start and report how many bytes were lost. */
  tailed?: boolean;
  /** Column names to use when an INSERT has no column list and no CREATE TABLE was seen (tailed dumps). */
  fallbackColumns?(db: string, table: string): string[] | undefined;
}

export interface MysqlDumpStats {
  bytes: number;
  /** Complete statements (comments and DELIMITER commands not counted). */
  statements: number;
  /** Rows handed to onRow. */
  rows: number;
  /** INSERT statements skipped whole: table not wanted, or no column names known. */
  skippedStatements: number;
  /** Bytes skipped at the start of a tailed dump before the first statement. */
  skippedHeadBytes: number;
  /** "db.table" -> rows turned into values. */
  tables: Record<string, number>;
  /** Every problem found, including those past the per-table reporting cap. */
  warnings: number;
}

/** A single value longer than this is dropped (with its row) and warned about. */
export const MAX_VALUE_BYTES = 16 << 20;
/** Sum of one row's values; past it the row is dropped. */
const MAX_ROW_BYTES = 64 << 20;
/** Statement heads (CREATE TABLE, SET…) are kept up to this size for classification. */
const MAX_HEAD_BYTES = 1 << 20;
/** Give up on input that shows nothing of a dump in its first MB (binary garbage, another format). */
const GIVE_UP_BYTES = 1 << 20;
/** onWarning calls per table (or per dump for table-less warnings); the rest are counted and summarised at end(). */
const WARNINGS_PER_TABLE = 20;
/** Values stored per row beyond the column count, so a runaway row stays bounded. */
const EXTRA_VALUES = 64;
/** Bytes a tailed dump needs at a line start to tell whether a statement begins there. */
const TAIL_PEEK = 16;

const QUOTE = 0x27;
const DQUOTE = 0x22;
const BACKTICK = 0x60;
const BSLASH = 0x5c;
const SEMI = 0x3b;
const LPAREN = 0x28;
const RPAREN = 0x29;
const COMMA = 0x2c;
const NL = 0x0a;
const SLASH = 0x2f;
const STAR = 0x2a;
const DASH = 0x2d;
const HASH = 0x23;
const BANG = 0x21;
const SPACE = 0x20;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

// Top-level states.
const S_TAIL = 0;
const S_HEAD = 1;
const S_VALUES = 2;
const S_SKIP = 3;
const S_DEAD = 4;
const S_ENDED = 5;

// Inside a statement head.
const H_CODE = 0;
const H_SQ = 1;
const H_SQ_ESC = 2;
const H_DQ = 3;
const H_DQ_ESC = 4;
const H_BT = 5;
const H_LINE = 6;
const H_BLOCK = 7;
const H_BLOCK_STAR = 8;
const H_SLASH = 9;
const H_CMT_OPEN = 10;
const H_CMT_M = 11;
const H_CMT_VER = 12;
const H_DASH = 13;
const H_DASH2 = 14;
const H_STAR = 15;

// Inside INSERT values.
const V_ROW = 0;
const V_VAL = 1;
const V_TOK = 2;
const V_STR = 3;
const V_STR_ESC = 4;
const V_STR_QUOTE = 5;
const V_AFTER = 6;
const V_NEXT = 7;
const V_DELIM = 8;

// How a quoted string becomes a value (column kinds first, then literal prefixes).
const K_TEXT = Kind.Text;
const K_BINARY = Kind.Binary;
const K_BIT = Kind.Bit;
const K_BITSTR = 3;
const K_HEXSTR = 4;
const K_LATIN1 = 5;
const K_NONE = -1;

/** Bytes of unquoted value tokens: NULL, numbers, 0x…, _binary, b/x prefixes. */
const TOKEN = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9_.+-]/.test(ch)) TOKEN[c] = 1;
}

/** What `\x` stands for inside a quoted string; 0 = the byte itself. `\%` and `\_` keep their backslash. */
const ESCAPES = new Int16Array(256);
ESCAPES[0x30] = 0x00; // \0
ESCAPES[0x62] = 0x08; // \b
ESCAPES[0x6e] = 0x0a; // \n
ESCAPES[0x72] = 0x0d; // \r
ESCAPES[0x74] = 0x09; // \t
ESCAPES[0x5a] = 0x1a; // \Z
ESCAPES[0x25] = -1; // \%
ESCAPES[0x5f] = -1; // \_
const HAS_ESCAPE = new Uint8Array(256);
for (const c of [0x30, 0x62, 0x6e, 0x72, 0x74, 0x5a, 0x25, 0x5f]) HAS_ESCAPE[c] = 1;

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const HEX = /^[0-9a-fA-F]*$/;
const BITS = /^[01]*$/;
const TAIL_START = /^(?:INSERT\s|REPLACE\s|--|\/\*|#|LOCK\s+TABLES|UNLOCK\s+TABLES|DROP\s|CREATE\s|USE\s|SET\s|DELIMITER\s|ALTER\s)/i;

// What follows a raw newline where mysqldump writes none (lineAfterNewline).
const LINE_TEXT = 0;
const LINE_STATEMENT = 1;
const LINE_ROW = 2;
const LINE_MORE = 3;

/** Statements a dump holds that carry no rows and need no warning. */
const KNOWN = new Set([
  'SET',
  'USE',
  'CREATE',
  'DROP',
  'ALTER',
  'LOCK',
  'UNLOCK',
  'GRANT',
  'REVOKE',
  'FLUSH',
  'START',
  'BEGIN',
  'COMMIT',
  'ROLLBACK',
  'SAVEPOINT',
  'RELEASE',
  'SELECT',
  'DO',
  'PREPARE',
  'EXECUTE',
  'DEALLOCATE',
  'CHANGE',
  'RESET',
  'RENAME',
  'INSTALL',
  'UNINSTALL',
  'XA',
  'CALL',
  'ANALYZE',
  'OPTIMIZE',
]);
/** Statements that change rows; a dump should not hold them, and they are not applied. */
const NOT_APPLIED = new Set(['DELETE', 'UPDATE', 'TRUNCATE', 'LOAD']);

const isBlank = (c: number): boolean => c === SPACE || (c >= 0x09 && c <= 0x0d);
const isIdentByte = (c: number): boolean => TOKEN[c] === 1 || c === 0x24 || c >= 0x80;

interface TableInfo {
  columns: string[];
  kinds: Kind[];
  byName: Map<string, Kind>;
}

interface InsertContext {
  db: string;
  table: string;
  key: string;
  columns: string[];
  kinds: Kind[] | undefined;
  start: number;
}

export class MysqlDumpParser {
  readonly stats: MysqlDumpStats = { bytes: 0, statements: 0, rows: 0, skippedStatements: 0, skippedHeadBytes: 0, tables: {}, warnings: 0 };

  private state: number;
  /** Absolute offset of the first byte of the chunk being scanned. */
  private base = 0;
  private db: string | undefined;
  private headerDb: string | undefined;
  private enc: BufferEncoding = 'utf8';
  private recognized = false;
  private readonly tables = new Map<string, TableInfo>();
  private readonly warnCounts = new Map<string, { count: number; db?: string; table?: string }>();
  private readonly warnedTables = new Set<string>();
  /** fallbackColumns answers, asked once per table. */
  private readonly fallbacks = new Map<string, string[] | undefined>();
  private warnedCharset = false;

  private delim: Buffer = Buffer.from(';');
  /** Bytes of the delimiter matched so far. */
  private dm = 0;

  // Statement head.
  private head = Buffer.allocUnsafe(4096);
  private headLen = 0;
  private headCode = false;
  private headOverflow = false;
  private stmtStart = 0;
  private hq = H_CODE;
  private condOpen = false;
  private insertCandidate = false;
  private delimCandidate = false;
  private delimCmd = false;
  /** Skipping a statement through the head scanner (non-`;` delimiters). */
  private discard = false;
  private comment = Buffer.allocUnsafe(512);
  /** Bytes captured of a `--` comment between statements; -1 when not capturing. */
  private commentLen = -1;
  private lastHead: Buffer | undefined;
  private lastInsert: InsertHead | undefined;

  // INSERT values.
  private ins: InsertContext | undefined;
  private vs = V_ROW;
  private readonly vals: DumpValue[] = [];
  private vi = 0;
  private rowStart = 0;
  private rowBad = false;
  private rowBytes = 0;
  private stmtRows = 0;
  /** Offset of the INSERT's first `(`: with stmtRows, the average row size, to estimate what a cut loses. */
  private valuesAt = 0;
  /** The rows of this INSERT are on lines of their own (MariaDB 10.11+): a broken row can be dropped alone. */
  private rowsOnLines = false;
  /** A raw newline was passed between values or rows: a statement may start at the next byte. */
  private nlSeen = false;
  private tok = '';
  private prefix = K_NONE;
  private strKind = K_TEXT as number;
  private strFrom = 0;
  private strAt = 0;
  private acc = Buffer.allocUnsafe(0);
  private accLen = 0;
  private accUsed = false;
  private strOver = false;

  // Skipped INSERT.
  private skipDb = '';
  private skipTable = '';
  /** The skipped INSERT is a wanted one's rest, after a syntax error (its rows so far stay in stmtRows). */
  private skipAfterError = false;
  private skInStr = false;
  private skEsc = false;
  private skChunk = -1;
  private skNq = -2;
  private skNs = -2;
  private skNb = -2;
  private skNn = -2;
  private skStrAt = 0;
  /** Counts feed() calls, so cached search positions are only reused within their chunk. */
  private chunkNo = 0;

  // Tailed start.
  private tailCarry: Buffer | undefined;
  private tailLineStart = false;
  private ending = false;

  constructor(private readonly opts: MysqlDumpOptions) {
    this.state = opts.tailed ? S_TAIL : S_HEAD;
  }

  /** Bytes the parser holds between calls (head, value and carry buffers): bounded, whatever the input. */
  get retainedBytes(): number {
    return this.head.length + this.acc.length + this.comment.length + (this.tailCarry?.length ?? 0) + (this.lastHead?.length ?? 0);
  }

  push(chunk: Buffer): void {
    if (this.state === S_ENDED) return;
    this.stats.bytes += chunk.length;
    let b = chunk;
    if (this.tailCarry) {
      b = Buffer.concat([this.tailCarry, chunk]);
      this.base -= this.tailCarry.length;
      this.tailCarry = undefined;
    }
    this.feed(b);
    if (!this.recognized && this.state !== S_TAIL && this.state !== S_DEAD && this.base - this.stats.skippedHeadBytes > GIVE_UP_BYTES) {
      this.warn(
        'no mysqldump statement or header in the first MB: not a mysqldump (binary data or another format?); rest ignored',
        this.base,
        undefined,
        undefined,
        true,
      );
      this.state = S_DEAD;
    }
  }

  end(): void {
    if (this.state === S_ENDED) return;
    if (this.tailCarry) {
      const carry = this.tailCarry;
      this.tailCarry = undefined;
      this.ending = true;
      this.base -= carry.length;
      this.feed(carry);
    }
    const end = this.base;
    switch (this.state) {
      case S_TAIL:
        this.stats.skippedHeadBytes = end;
        this.warn(`tailed dump: no statement start found in ${end} bytes; nothing read`, end, undefined, undefined, true);
        break;
      case S_HEAD:
        if (this.hq === H_LINE) this.endLineComment();
        if (this.discard) {
          this.warn(
            `dump ends inside the INSERT into ${this.skipDb}.${this.skipTable} that started at offset ${this.stmtStart} (truncated?)`,
            end,
            this.skipDb,
            this.skipTable,
            true,
          );
        } else if (this.hq === H_BLOCK || this.hq === H_BLOCK_STAR) {
          this.warn('dump ends inside a /* comment */: truncated dump?', end, undefined, undefined, true);
        } else if (this.headCode || this.hq === H_SLASH || this.hq === H_DASH) {
          const inQuote = this.hq >= H_SQ && this.hq <= H_BT;
          this.warn(
            `dump ends inside ${inQuote ? 'a quoted string of ' : ''}the statement that started at offset ${this.stmtStart} ` +
              `(${JSON.stringify(this.headPreview())}): truncated dump?`,
            end,
            undefined,
            undefined,
            true,
          );
        }
        break;
      case S_VALUES: {
        const ins = this.ins!;
        const inString = this.vs === V_STR || this.vs === V_STR_ESC;
        const partial = this.vs !== V_ROW && this.vs !== V_NEXT && this.vs !== V_DELIM;
        this.warn(
          `dump ends inside the INSERT into ${ins.key} that started at offset ${ins.start}` +
            (inString ? `, in an unterminated string that started at offset ${this.strAt}` : '') +
            `: truncated dump? ${this.stmtRows} complete rows of it were read` +
            (partial ? `; the incomplete row at offset ${this.rowStart} is dropped` : ''),
          end,
          ins.db,
          ins.table,
        );
        break;
      }
      case S_SKIP:
        this.warn(
          `dump ends inside the INSERT into ${this.skipDb}.${this.skipTable} that started at offset ${this.stmtStart}` +
            `${this.skInStr ? ', in an unterminated string' : ''} (truncated?)`,
          end,
          this.skipDb,
          this.skipTable,
          true,
        );
        break;
    }
    for (const [, w] of this.warnCounts) {
      if (w.count > WARNINGS_PER_TABLE) {
        this.emitWarning({
          message: `${w.count - WARNINGS_PER_TABLE} more warnings like the above were not reported`,
          offset: end,
          ...(w.db ? { db: w.db } : {}),
          ...(w.table ? { table: w.table } : {}),
        });
      }
    }
    this.state = S_ENDED;
  }

  private feed(b: Buffer): void {
    this.chunkNo++;
    const n = b.length;
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case S_HEAD:
          i = this.scanHead(b, i);
          break;
        case S_VALUES:
          i = this.scanValues(b, i);
          break;
        case S_SKIP:
          i = this.scanSkip(b, i);
          break;
        case S_TAIL:
          i = this.scanTail(b, i);
          break;
        default:
          i = n;
      }
    }
    this.base += n;
  }

  // ---- tailed start ----------------------------------------------------------

  /**
   * mysqldump escapes newlines inside strings, so every raw newline ends a
   * line of SQL; the first line that starts like a statement is where a
   * tailed dump can be read from. Lines of rows (`(1,'a'),`) and CREATE TABLE
   * bodies are skipped with the cut statement.
   */
  private scanTail(b: Buffer, i: number): number {
    const n = b.length;
    for (;;) {
      if (this.tailLineStart) {
        if (i === n) return n;
        if (n - i < TAIL_PEEK && !this.ending && b.indexOf(NL, i) === -1) {
          this.tailCarry = Buffer.from(b.subarray(i));
          return n;
        }
        if (TAIL_START.test(b.toString('latin1', i, Math.min(n, i + TAIL_PEEK)))) {
          this.stats.skippedHeadBytes = this.base + i;
          if (this.base + i > 0) {
            this.warn(
              `tailed dump: skipped ${this.base + i} bytes of cut statements before the first statement start`,
              this.base + i,
              undefined,
              undefined,
              true,
            );
          }
          this.state = S_HEAD;
          return i;
        }
        this.tailLineStart = false;
      }
      const nl = b.indexOf(NL, i);
      if (nl === -1) return n;
      i = nl + 1;
      this.tailLineStart = true;
    }
  }

  // ---- statement heads -------------------------------------------------------

  private scanHead(b: Buffer, i: number): number {
    const n = b.length;
    while (i < n) {
      const c = b[i];
      switch (this.hq) {
        case H_CODE: {
          if (this.delimCmd) {
            // `DELIMITER ;;` is a client command that ends at the newline.
            if (c === NL) this.endDelimiterCommand();
            else this.put(c, i);
            i++;
            continue;
          }
          if (c === this.delim[this.dm]) {
            i++;
            if (++this.dm === this.delim.length) {
              this.dm = 0;
              this.endStatement();
              if (this.state !== S_HEAD) return i;
            }
            continue;
          }
          if (this.dm > 0) {
            // A partial delimiter match was plain code after all.
            for (let k = 0; k < this.dm; k++) this.put(this.delim[k], i);
            this.dm = 0;
            continue;
          }
          switch (c) {
            case QUOTE:
              this.hq = H_SQ;
              break;
            case DQUOTE:
              this.hq = H_DQ;
              break;
            case BACKTICK:
              this.hq = H_BT;
              break;
            case SLASH:
              this.hq = H_SLASH;
              i++;
              continue;
            case DASH:
              this.hq = H_DASH;
              i++;
              continue;
            case HASH:
              this.startLineComment();
              i++;
              continue;
            case STAR:
              if (this.condOpen) {
                this.hq = H_STAR;
                i++;
                continue;
              }
              break;
            case LPAREN:
              if (this.insertCandidate) {
                this.valuesAt = this.base + i;
                if (this.tryValues()) return i;
              }
              break;
          }
          this.put(c, i);
          i++;
          continue;
        }
        case H_SQ:
        case H_DQ: {
          const q = this.hq === H_SQ ? QUOTE : DQUOTE;
          let j = i;
          while (j < n) {
            const d = b[j];
            if (d === q || d === BSLASH) break;
            j++;
          }
          this.putRange(b, i, j);
          if (j === n) return n;
          this.put(b[j], j);
          if (b[j] === BSLASH) this.hq = this.hq === H_SQ ? H_SQ_ESC : H_DQ_ESC;
          else this.hq = H_CODE;
          i = j + 1;
          continue;
        }
        case H_SQ_ESC:
          this.put(c, i);
          this.hq = H_SQ;
          i++;
          continue;
        case H_DQ_ESC:
          this.put(c, i);
          this.hq = H_DQ;
          i++;
          continue;
        case H_BT: {
          let j = b.indexOf(BACKTICK, i);
          if (j === -1) j = n;
          this.putRange(b, i, j);
          if (j === n) return n;
          this.put(BACKTICK, j);
          this.hq = H_CODE;
          i = j + 1;
          continue;
        }
        case H_LINE: {
          const j = b.indexOf(NL, i);
          const e = j === -1 ? n : j;
          if (this.commentLen >= 0) {
            const take = Math.min(e - i, this.comment.length - this.commentLen);
            if (take > 0) this.commentLen += b.copy(this.comment, this.commentLen, i, i + take);
          }
          if (j === -1) return n;
          this.endLineComment();
          if (this.state !== S_HEAD) return n;
          this.hq = H_CODE;
          i = j; // the newline is whitespace, and ends a DELIMITER line
          continue;
        }
        case H_BLOCK: {
          const j = b.indexOf(STAR, i);
          if (j === -1) return n;
          this.hq = H_BLOCK_STAR;
          i = j + 1;
          continue;
        }
        case H_BLOCK_STAR:
          if (c === SLASH) {
            this.hq = H_CODE;
            this.put(SPACE, i);
          } else if (c !== STAR) this.hq = H_BLOCK;
          i++;
          continue;
        case H_SLASH:
          if (c === STAR) {
            this.hq = H_CMT_OPEN;
            i++;
          } else {
            this.put(SLASH, i - 1);
            this.hq = H_CODE;
          }
          continue;
        case H_CMT_OPEN:
          if (c === BANG) {
            this.hq = H_CMT_VER;
            i++;
          } else if (c === 0x4d /* M */) {
            this.hq = H_CMT_M;
            i++;
          } else this.hq = H_BLOCK;
          continue;
        case H_CMT_M:
          if (c === BANG) {
            this.hq = H_CMT_VER;
            i++;
          } else this.hq = H_BLOCK;
          continue;
        case H_CMT_VER:
          if (c >= 0x30 && c <= 0x39) {
            i++;
            continue;
          }
          if (c === BSLASH && !this.headCode) {
            // `/*M!999999\- enable the sandbox mode */`: a mariadb client command, not SQL, and no `;` follows.
            this.hq = H_BLOCK;
            i++;
            continue;
          }
          // `/*!40101 SET … */`: executable comment, its body is code.
          this.condOpen = true;
          this.put(SPACE, i);
          this.hq = H_CODE;
          continue;
        case H_STAR:
          if (c === SLASH) {
            this.condOpen = false;
            this.put(SPACE, i);
            i++;
          } else this.put(STAR, i - 1);
          this.hq = H_CODE;
          continue;
        case H_DASH:
          if (c === DASH) {
            this.hq = H_DASH2;
            i++;
          } else {
            this.put(DASH, i - 1);
            this.hq = H_CODE;
          }
          continue;
        case H_DASH2:
          if (c <= SPACE) {
            this.startLineComment();
          } else {
            this.put(DASH, i - 2);
            this.put(DASH, i - 1);
            this.hq = H_CODE;
          }
          continue;
      }
    }
    return i;
  }

  /** Appends one byte of code to the head; leading blanks are dropped, and the first code byte starts the statement. */
  private put(c: number, i: number): void {
    if (this.discard) return;
    if (!this.headCode) {
      if (isBlank(c)) return;
      const at = this.base + i;
      if (at < 3 && c === UTF8_BOM[at]) return; // a byte-order mark before the first line
      this.headCode = true;
      this.stmtStart = this.base + i;
      this.insertCandidate = c === 0x49 || c === 0x69 || c === 0x52 || c === 0x72; // I i R r
      this.delimCandidate = c === 0x44 || c === 0x64; // D d
    } else if (this.delimCandidate && this.headLen === 9 && isBlank(c)) {
      this.delimCmd = this.head.toString('latin1', 0, 9).toUpperCase() === 'DELIMITER';
      this.delimCandidate = false;
    }
    if (this.headLen === this.head.length && !this.growHead(1)) return;
    this.head[this.headLen++] = c;
  }

  private putRange(b: Buffer, s: number, e: number): void {
    if (this.discard || e <= s) return;
    const len = e - s;
    if (this.headLen + len > this.head.length && !this.growHead(len)) {
      const room = this.head.length - this.headLen;
      if (room > 0) this.headLen += b.copy(this.head, this.headLen, s, s + room);
      return;
    }
    if (len <= 64) {
      const h = this.head;
      let k = this.headLen;
      for (let x = s; x < e; x++) h[k++] = b[x];
      this.headLen = k;
    } else this.headLen += b.copy(this.head, this.headLen, s, e);
  }

  private growHead(need: number): boolean {
    if (this.head.length >= MAX_HEAD_BYTES) {
      this.headOverflow = true;
      return false;
    }
    let size = this.head.length * 2;
    while (size < this.headLen + need && size < MAX_HEAD_BYTES) size *= 2;
    const next = Buffer.allocUnsafe(Math.min(size, MAX_HEAD_BYTES));
    this.head.copy(next, 0, 0, this.headLen);
    this.head = next;
    return this.headLen + need <= this.head.length || this.growHead(need);
  }

  private resetHead(): void {
    this.headLen = 0;
    this.headCode = false;
    this.headOverflow = false;
    this.insertCandidate = false;
    this.delimCandidate = false;
    this.delimCmd = false;
    this.condOpen = false;
    this.discard = false;
    this.hq = H_CODE;
    this.dm = 0;
    if (this.head.length > 64 << 10) this.head = Buffer.allocUnsafe(4096);
  }

  private headPreview(): string {
    return this.head.toString('utf8', 0, Math.min(this.headLen, 60)).replace(/\s+/g, ' ').trim();
  }

  private startLineComment(): void {
    this.hq = H_LINE;
    this.commentLen = this.headCode ? -1 : 0;
  }

  private endLineComment(): void {
    if (this.commentLen < 0) return;
    const info = dumpComment(this.comment.toString('utf8', 0, this.commentLen));
    this.commentLen = -1;
    if (info.mysqldump) this.recognized = true;
    if (info.db !== undefined) this.db = info.db;
    if (info.headerDb !== undefined) this.headerDb = info.headerDb;
    if (info.postgres) {
      this.warn('this is a PostgreSQL dump, not a mysqldump; nothing read', this.base, undefined, undefined, true);
      this.state = S_DEAD;
    }
  }

  private endDelimiterCommand(): void {
    // The client takes the first word after DELIMITER.
    const d = this.head.toString('utf8', 9, this.headLen).trim().split(/\s+/)[0];
    if (d) this.delim = Buffer.from(d, 'utf8');
    this.recognized = true;
    this.resetHead();
  }

  private currentDb(): string {
    return this.db ?? this.opts.defaultDb ?? this.headerDb ?? '';
  }

  private endStatement(): void {
    if (this.discard) {
      this.stats.statements++;
      this.resetHead();
      return;
    }
    if (this.headCode) {
      this.stats.statements++;
      this.classify();
    }
    this.resetHead();
  }

  private classify(): void {
    const text = this.head.toString('utf8', 0, this.headLen);
    const word = firstWord(text);
    const at = this.stmtStart;
    if (word === 'USE') {
      const db = parseUse(text);
      if (db !== undefined) {
        this.db = db;
        this.recognized = true;
        return;
      }
    } else if (word === 'SET') {
      this.recognized = true;
      const cs = parseSetNames(text);
      if (cs) this.setCharset(cs, at);
      return;
    } else if (word === 'CREATE') {
      this.recognized = true;
      const ct = parseCreateTable(text);
      if (ct) {
        if (this.headOverflow)
          this.warn(`CREATE TABLE longer than ${MAX_HEAD_BYTES} bytes; its columns were not read`, at, ct.db ?? this.currentDb(), ct.table);
        else this.defineTable(ct);
      }
      return;
    } else if (word === 'INSERT' || word === 'REPLACE') {
      this.recognized = true;
      this.warn(`${word} statement without a VALUES list (INSERT … SELECT / SET?) not read: ${JSON.stringify(this.headPreview())}`, at);
      return;
    } else if (NOT_APPLIED.has(word)) {
      this.recognized = true;
      this.warn(`${word} statement in the dump is not applied: rows are reported as inserted (${JSON.stringify(this.headPreview())})`, at);
      return;
    } else if (KNOWN.has(word)) {
      this.recognized = true;
      return;
    }
    this.warn(`unknown statement skipped: ${JSON.stringify(this.headPreview())}`, at);
  }

  private setCharset(cs: string, at: number): void {
    if (cs.startsWith('utf8')) this.enc = 'utf8';
    else if (cs === 'latin1' || cs === 'ascii') this.enc = 'latin1';
    else if (!this.warnedCharset) {
      this.warnedCharset = true;
      this.warn(`SET NAMES ${cs}: strings are decoded as UTF-8`, at);
    }
  }

  private defineTable(ct: CreateTable): void {
    const db = ct.db ?? this.currentDb();
    if (ct.columns.length === 0) return; // CREATE TABLE … LIKE / AS SELECT
    const columns = ct.columns.map((c) => c.name);
    const kinds = ct.columns.map((c) => c.kind);
    this.tables.set(`${db}.${ct.table}`, { columns, kinds, byName: new Map(ct.columns.map((c) => [c.name, c.kind])) });
    this.opts.onTable?.(db, ct.table, columns, ct.primaryKey);
  }

  /** At an unquoted `(` of an INSERT head: if the head ends with VALUES, the rows start here. */
  private tryValues(): boolean {
    if (this.headOverflow) return false;
    const h = this.head;
    let e = this.headLen;
    let newline = false;
    while (e > 0 && isBlank(h[e - 1])) if (h[--e] === NL) newline = true;
    let k = e;
    if (k > 0 && (h[k - 1] | 0x20) === 0x73) k--; // VALUES or VALUE
    if (
      k < 5 ||
      (h[k - 5] | 0x20) !== 0x76 ||
      (h[k - 4] | 0x20) !== 0x61 ||
      (h[k - 3] | 0x20) !== 0x6c ||
      (h[k - 2] | 0x20) !== 0x75 ||
      (h[k - 1] | 0x20) !== 0x65 ||
      (k > 5 && isIdentByte(h[k - 6]))
    ) {
      return false;
    }
    // Consecutive INSERTs into one table (--skip-extended-insert) share their head.
    let parsed: InsertHead | undefined;
    const last = this.lastHead;
    if (last && last.length === this.headLen && h.compare(last, 0, last.length, 0, this.headLen) === 0) {
      parsed = this.lastInsert;
    } else {
      parsed = parseInsertHead(h.toString('utf8', 0, this.headLen));
      this.lastHead = Buffer.from(h.subarray(0, this.headLen));
      this.lastInsert = parsed;
    }
    if (!parsed) return false;
    this.startInsert(parsed);
    // `VALUES` then a newline: MariaDB's one-row-per-line layout.
    this.rowsOnLines = newline;
    return true;
  }

  private startInsert(p: InsertHead): void {
    const db = p.db ?? this.currentDb();
    const table = p.table;
    const key = `${db}.${table}`;
    const start = this.stmtStart;
    this.recognized = true;
    this.resetHead();
    this.stmtStart = start;
    if (db === '' && !this.warnedTables.has(key)) {
      this.warnedTables.add(key);
      this.warn(`INSERT into \`${table}\` before any USE / Current Database and no defaultDb: database name is empty`, start, db, table);
    }
    if (!this.opts.wanted(db, table)) {
      this.stats.skippedStatements++;
      this.enterSkip(db, table);
      return;
    }
    const info = this.tables.get(key);
    let columns: string[] | undefined;
    let kinds: Kind[] | undefined;
    if (p.columns) {
      columns = p.columns;
      if (info) kinds = columns.map((c) => info.byName.get(c) ?? Kind.Text);
    } else if (info) {
      columns = info.columns;
      kinds = info.kinds;
    } else {
      if (!this.fallbacks.has(key)) this.fallbacks.set(key, this.opts.fallbackColumns?.(db, table));
      columns = this.fallbacks.get(key);
      if (!columns) {
        if (!this.warnedTables.has(`?${key}`)) {
          this.warnedTables.add(`?${key}`);
          this.warn(`no column names for ${key}: no CREATE TABLE seen and no fallback columns; its INSERTs are skipped`, start, db, table);
        }
        this.stats.skippedStatements++;
        this.enterSkip(db, table);
        return;
      }
    }
    this.ins = { db, table, key, columns, kinds, start };
    this.stats.tables[key] ??= 0;
    this.stmtRows = 0;
    this.rowsOnLines = false;
    this.nlSeen = false;
    this.vs = V_ROW;
    this.state = S_VALUES;
  }

  // ---- skipped INSERT --------------------------------------------------------

  private enterSkip(db: string, table: string, afterError = false): void {
    this.skipDb = db;
    this.skipTable = table;
    this.skipAfterError = afterError;
    this.ins = undefined;
    if (this.delim.length === 1 && this.delim[0] === SEMI) {
      this.state = S_SKIP;
      this.skInStr = false;
      this.skEsc = false;
    } else {
      // Rare (an INSERT inside a DELIMITER block): let the head scanner find the delimiter.
      const start = this.stmtStart;
      this.state = S_HEAD;
      this.resetHead();
      this.headCode = true;
      this.discard = true;
      this.stmtStart = start;
    }
  }

  /**
   * Finds the `;` that ends a skipped INSERT. Values are only quoted with `'`
   * in a dump, so it is enough to know whether we are inside a quoted string;
   * each indexOf result is reused until passed, so a row costs about three
   * native searches. mysqldump never writes a raw newline inside a string, so
   * one there means the string was cut: the next line is looked at, and if it
   * starts a statement (or a row, in MariaDB's one-row-per-line INSERTs) the
   * scan goes on from there instead of pairing every later quote wrongly.
   */
  private scanSkip(b: Buffer, i: number): number {
    const n = b.length;
    let inStr = this.skInStr;
    if (this.skEsc) {
      this.skEsc = false;
      i++;
    }
    // Positions found earlier in this chunk stay valid (-1: none left in it).
    if (this.skChunk !== this.chunkNo) {
      this.skChunk = this.chunkNo;
      this.skNq = this.skNs = this.skNb = this.skNn = -2;
    }
    let nq = this.skNq;
    let ns = this.skNs;
    let nb = this.skNb;
    let nn = this.skNn;
    // Line ends matter inside strings; between values only in the rest of a wanted INSERT that broke (an
    // unwanted table's INSERT that lost its `;` ends at the next `;`, mysqldump's ENABLE KEYS or UNLOCK TABLES).
    const lines = this.skipAfterError;
    while (i < n) {
      if (nq !== -1 && nq < i) nq = b.indexOf(QUOTE, i);
      if ((inStr || lines) && nn !== -1 && nn < i) nn = b.indexOf(NL, i);
      if (!inStr) {
        if (ns !== -1 && ns < i) ns = b.indexOf(SEMI, i);
        if (ns !== -1 && (nq === -1 || ns < nq) && (!lines || nn === -1 || ns < nn)) {
          this.saveSkip(nq, ns, nb, nn, false);
          this.stats.statements++;
          this.state = S_HEAD;
          this.resetHead();
          return ns + 1;
        }
        if (lines && nn !== -1 && (nq === -1 || nn < nq)) {
          // A line end between values: a row line of MariaDB's layout, or a statement that lost its `;`.
          const next = this.lineAfterNewline(b, nn + 1);
          if (next === LINE_MORE) {
            this.saveSkip(nq, ns, nb, nn, inStr);
            return this.carryFrom(b, nn);
          }
          if (next === LINE_STATEMENT) {
            this.saveSkip(nq, ns, nb, nn, inStr);
            this.warn(
              `${this.skippedInsert()} has no end before the next statement at offset ${this.base + nn + 1} (a line cut short?); ` +
                `reading goes on there${this.skippedRows(this.base + nn + 1)}`,
              this.base + nn + 1,
              this.skipDb,
              this.skipTable,
            );
            this.stats.statements++;
            this.state = S_HEAD;
            this.resetHead();
            return nn + 1;
          }
          i = nn + 1;
          continue;
        }
        if (nq === -1) {
          i = n;
          break;
        }
        inStr = true;
        this.skStrAt = this.base + nq;
        i = nq + 1;
      } else {
        if (nb !== -1 && nb < i) nb = b.indexOf(BSLASH, i);
        if (nn !== -1 && (nq === -1 || nn < nq) && (nb === -1 || nn < nb)) {
          const next = this.lineAfterNewline(b, nn + 1);
          if (next === LINE_MORE) {
            this.saveSkip(nq, ns, nb, nn, inStr);
            return this.carryFrom(b, nn);
          }
          if (next !== LINE_TEXT) {
            const where = this.base + nn + 1;
            this.warn(
              `unterminated string at offset ${this.skStrAt} in ${this.skippedInsert()}: ` +
                `a raw newline inside a quoted value, which mysqldump never writes; reading goes on with the next ${next === LINE_ROW ? 'row' : 'statement'} at offset ${where}` +
                (next === LINE_STATEMENT ? this.skippedRows(where) : ''),
              this.skStrAt,
              this.skipDb,
              this.skipTable,
            );
            inStr = false;
            if (next === LINE_STATEMENT) {
              this.saveSkip(nq, ns, nb, nn, inStr);
              this.stats.statements++;
              this.state = S_HEAD;
              this.resetHead();
              return nn + 1;
            }
          }
          i = nn + 1;
          continue;
        }
        if (nb !== -1 && (nq === -1 || nb < nq)) {
          if (nb + 1 >= n) {
            this.skEsc = true;
            i = n;
            break;
          }
          i = nb + 2;
          continue;
        }
        if (nq === -1) {
          i = n;
          break;
        }
        // A closing quote; a doubled '' just reopens at the next byte.
        inStr = false;
        i = nq + 1;
      }
    }
    this.skInStr = inStr;
    return i;
  }

  private saveSkip(nq: number, ns: number, nb: number, nn: number, inStr: boolean): void {
    this.skNq = nq;
    this.skNs = ns;
    this.skNb = nb;
    this.skNn = nn;
    this.skInStr = inStr;
  }

  // ---- resynchronising after a raw newline ----------------------------------

  private skippedInsert(): string {
    return this.skipAfterError
      ? `the rest of the INSERT into ${this.skipDb}.${this.skipTable} (skipped after the error above)`
      : `the INSERT into ${this.skipDb}.${this.skipTable} (a table not read) that started at offset ${this.stmtStart}`;
  }

  /** After a syntax error in a wanted table: what the skip lost, estimated, when it ends. */
  private skippedRows(end: number): string {
    if (!this.skipAfterError) return '';
    return `; ${this.rowsIn(end - this.rowStart)} (${end - this.rowStart} bytes from offset ${this.rowStart}) were lost`;
  }

  /**
   * What the line that starts at `i` is, after a raw newline where mysqldump
   * never writes one (inside a string, between values): a statement, a row
   * of a one-row-per-line INSERT, anything else; or LINE_MORE when the chunk
   * ends too soon to tell (the caller carries the bytes to the next chunk).
   */
  private lineAfterNewline(b: Buffer, i: number): number {
    const n = b.length;
    if (i < n && b[i] === LPAREN) return LINE_ROW;
    if (n - i < TAIL_PEEK && !this.ending && b.indexOf(NL, i) === -1) return LINE_MORE;
    if (i >= n) return LINE_TEXT;
    const c = b[i] | 0x20;
    // Statements start with a letter, `--`, `/*` or `#`: test the pattern only then.
    if (!((c >= 0x61 && c <= 0x7a) || c === DASH || c === SLASH || b[i] === HASH)) return LINE_TEXT;
    return TAIL_START.test(b.toString('latin1', i, Math.min(n, i + TAIL_PEEK))) ? LINE_STATEMENT : LINE_TEXT;
  }

  /** Keeps `b[i…]` for the next push, which rescans it with the bytes that follow. */
  private carryFrom(b: Buffer, i: number): number {
    this.tailCarry = Buffer.from(b.subarray(i));
    return b.length;
  }

  /** Estimated rows in `bytes` of this INSERT, from the average row so far. */
  private rowsIn(bytes: number): string {
    if (this.stmtRows === 0) return 'at least 1 row';
    const avg = (this.rowStart - this.valuesAt) / this.stmtRows;
    return `about ${Math.max(1, Math.round(bytes / Math.max(avg, 1)))} rows`;
  }

  /** A cut string or a statement with no end in a wanted table: drop what is lost, say how much, go on at `at`. */
  private resync(at: number, next: number, what: string): void {
    const ins = this.ins!;
    const where = this.base + at;
    const inRow = this.vs !== V_ROW && this.vs !== V_NEXT;
    let outcome: string;
    if (next === LINE_ROW) outcome = `the row at offset ${this.rowStart} is dropped; reading goes on with the next row at offset ${where}`;
    else if (inRow) {
      const lost = where - this.rowStart;
      outcome =
        `the row at offset ${this.rowStart} and the rest of the statement (${this.rowsIn(lost)}, ${lost} bytes) are lost, ` +
        `${this.stmtRows} rows of it were read; reading goes on with the next statement at offset ${where}`;
    } else outcome = `its ${this.stmtRows} rows were read; reading goes on with the next statement at offset ${where}`;
    this.warn(
      `${what} in the INSERT into ${ins.key} (started at offset ${ins.start}): ${outcome}`,
      inRow ? this.rowStart : where,
      ins.db,
      ins.table,
    );
    this.tok = '';
    this.prefix = K_NONE;
    this.accLen = 0;
    this.accUsed = false;
    this.strOver = false;
    if (this.acc.length > 1 << 20) this.acc = Buffer.allocUnsafe(0);
    this.nlSeen = false;
    if (next === LINE_ROW) {
      this.vs = V_ROW;
      return;
    }
    this.stats.statements++;
    this.ins = undefined;
    this.state = S_HEAD;
    this.resetHead();
  }

  // ---- wanted INSERT values --------------------------------------------------

  private scanValues(b: Buffer, i: number): number {
    const n = b.length;
    while (i < n) {
      switch (this.vs) {
        case V_STR:
          i = this.scanString(b, i);
          if (this.state !== S_VALUES) return i;
          continue;
        case V_ROW: {
          const c = b[i];
          if (c === LPAREN) {
            this.vi = 0;
            this.rowBad = false;
            this.rowBytes = 0;
            this.rowStart = this.base + i;
            this.nlSeen = false;
            this.vs = V_VAL;
            i++;
          } else if (isBlank(c)) {
            if (c === NL) this.nlSeen = this.rowsOnLines = true;
            i++;
          } else return this.syntax(b, i, `expected "(" to start a row, found ${describe(c)}`);
          continue;
        }
        case V_VAL: {
          const c = b[i];
          if (this.nlSeen && !isBlank(c)) {
            // mysqldump breaks lines between rows only: a line that starts inside a row may be the next statement.
            const next = this.lineAfterNewline(b, i);
            if (next === LINE_MORE) return this.carryFrom(b, i);
            this.nlSeen = false;
            if (next === LINE_STATEMENT) {
              this.resync(i, next, 'a row cut short (a statement starts where its values should go on)');
              return i;
            }
          }
          if (c === QUOTE) {
            this.beginString(i);
            i++;
          } else if (TOKEN[c] === 1) {
            this.tok = '';
            this.vs = V_TOK;
          } else if (isBlank(c)) {
            if (c === NL) this.nlSeen = true;
            i++;
          } else if (c === RPAREN && this.vi === 0 && this.prefix === K_NONE) {
            this.endRow();
            i++;
          } else return this.syntax(b, i, `expected a value, found ${describe(c)}`);
          continue;
        }
        case V_TOK: {
          let j = i;
          while (j < n && TOKEN[b[j]] === 1) j++;
          if (j === n) {
            this.tok += latin1(b, i, n);
            if (this.tok.length > 4096) return this.syntax(b, i, 'unquoted value longer than 4096 bytes');
            return n;
          }
          if (this.tok === '' && this.prefix === K_NONE && b[j] !== QUOTE && b[j] !== LPAREN) {
            // Most tokens are NULL or small integers: read them from the bytes, no string.
            const v = quickToken(b, i, j);
            if (v !== undefined) {
              this.pushValue(v);
              i = j;
              continue;
            }
          }
          const text = this.tok === '' ? latin1(b, i, j) : this.tok + latin1(b, i, j);
          this.tok = '';
          i = j;
          if (b[j] === QUOTE) {
            // b'0101', x'ff', N'…', _binary'…'
            const k = prefixKind(text, this.enc);
            if (k === K_NONE || this.prefix !== K_NONE) return this.syntax(b, j, `unexpected quote after ${JSON.stringify(text)}`);
            this.prefix = k;
            this.beginString(j);
            i = j + 1;
          } else if (text.charCodeAt(0) === 0x5f /* _ */ && this.prefix === K_NONE) {
            // `_binary '…'`: a charset introducer, the value follows.
            const k = prefixKind(text, this.enc);
            if (k === K_NONE) return this.syntax(b, j, `unknown value ${JSON.stringify(text)}`);
            this.prefix = k;
            this.vs = V_VAL;
          } else if (b[j] === LPAREN) {
            return this.syntax(b, j, `function call ${text}(…) where a value should be`);
          } else this.bareValue(text, j);
          continue;
        }
        case V_STR_ESC:
          this.escape(b[i]);
          i++;
          this.vs = V_STR;
          continue;
        case V_STR_QUOTE:
          // The previous chunk ended on a quote: '' is a quote inside the string, anything else closed it.
          if (b[i] === QUOTE) {
            this.accByte(QUOTE);
            i++;
            this.vs = V_STR;
          } else this.finishString(undefined, 0, 0);
          continue;
        case V_AFTER: {
          const c = b[i];
          if (c === COMMA) {
            this.vs = V_VAL;
            i++;
          } else if (c === RPAREN) {
            this.endRow();
            i++;
          } else if (isBlank(c)) {
            if (c === NL) this.nlSeen = true;
            i++;
          } else return this.syntax(b, i, `expected "," or ")" after a value, found ${describe(c)}`);
          continue;
        }
        case V_NEXT: {
          const c = b[i];
          if (c === COMMA) {
            this.vs = V_ROW;
            i++;
          } else if (c === this.delim[0]) {
            i++;
            if (this.delim.length === 1) {
              this.endInsert();
              return i;
            }
            this.dm = 1;
            this.vs = V_DELIM;
          } else if (isBlank(c)) {
            if (c === NL) this.nlSeen = true;
            i++;
          } else return this.syntax(b, i, `expected "," or the end of the INSERT after a row, found ${describe(c)}`);
          continue;
        }
        case V_DELIM:
          if (b[i] !== this.delim[this.dm]) return this.syntax(b, i, 'expected the statement delimiter');
          i++;
          if (++this.dm === this.delim.length) {
            this.dm = 0;
            this.endInsert();
            return i;
          }
          continue;
      }
    }
    // A string opened on the chunk's last byte continues in `acc`: its start index belongs to this chunk.
    if (this.vs === V_STR) this.accUsed = true;
    return i;
  }

  /** Warns, drops the current row and skips the rest of the statement, or goes on at the statement that starts the line. */
  private syntax(b: Buffer, i: number, what: string): number {
    if (this.nlSeen) {
      const next = this.lineAfterNewline(b, i);
      if (next === LINE_MORE) return this.carryFrom(b, i);
      this.nlSeen = false;
      if (next === LINE_STATEMENT) {
        this.resync(i, next, 'a statement without its end (a line cut short?)');
        return i;
      }
    }
    const ins = this.ins!;
    const inRow = this.vs !== V_ROW && this.vs !== V_NEXT;
    this.warn(
      `syntax error in the INSERT into ${ins.key} (started at offset ${ins.start}): ${what}; ` +
        `${inRow ? 'this row and ' : ''}the rest of the statement skipped (${this.stmtRows} rows of it read)`,
      this.base + i,
      ins.db,
      ins.table,
    );
    this.tok = '';
    this.prefix = K_NONE;
    this.accLen = 0;
    this.accUsed = false;
    this.enterSkip(ins.db, ins.table, true);
    return i;
  }

  private colKind(): number {
    const kinds = this.ins!.kinds;
    return kinds !== undefined && this.vi < kinds.length ? kinds[this.vi] : K_TEXT;
  }

  private beginString(i: number): void {
    this.strKind = this.prefix !== K_NONE ? this.prefix : this.colKind();
    this.prefix = K_NONE;
    this.strFrom = i + 1;
    this.strAt = this.base + i;
    this.accLen = 0;
    this.accUsed = false;
    this.strOver = false;
    this.vs = V_STR;
  }

  /**
   * Reads string bytes up to the closing quote; escapes and chunk ends spill
   * into `acc`, plain strings are decoded in place. A raw newline is never in
   * a string mysqldump wrote: if the next line starts a statement (or a row of
   * a one-row-per-line INSERT), the string was cut, and reading goes on there.
   */
  private scanString(b: Buffer, i: number): number {
    const n = b.length;
    let s = i;
    let p = i;
    for (;;) {
      let j = p;
      while (j < n) {
        const c = b[j];
        if (c === QUOTE || c === BSLASH || c === NL) break;
        j++;
      }
      if (j === n) {
        this.accRange(b, s, n);
        return n;
      }
      if (b[j] === NL) {
        const next = this.lineAfterNewline(b, j + 1);
        if (next === LINE_TEXT || (next === LINE_ROW && !this.rowsOnLines)) {
          p = j + 1;
          continue;
        }
        this.accRange(b, s, j);
        if (next === LINE_MORE) return this.carryFrom(b, j);
        this.resync(
          j + 1,
          next,
          `unterminated string at offset ${this.strAt} (a raw newline inside a quoted value, which mysqldump never writes)`,
        );
        return j + 1;
      }
      if (b[j] === BSLASH) {
        this.accRange(b, s, j);
        if (j + 1 === n) {
          this.vs = V_STR_ESC;
          return n;
        }
        this.escape(b[j + 1]);
        s = p = j + 2;
        continue;
      }
      if (j + 1 === n) {
        this.accRange(b, s, j);
        this.vs = V_STR_QUOTE;
        return n;
      }
      if (b[j + 1] === QUOTE) {
        this.accRange(b, s, j + 1);
        s = p = j + 2;
        continue;
      }
      if (this.accUsed) {
        this.accRange(b, s, j);
        this.finishString(undefined, 0, 0);
      } else this.finishString(b, this.strFrom, j);
      return j + 1;
    }
  }

  private accRange(b: Buffer, s: number, e: number): void {
    this.accUsed = true;
    const len = e - s;
    if (len <= 0 || this.strOver) return;
    if (this.accLen + len > MAX_VALUE_BYTES) {
      this.strOver = true;
      return;
    }
    if (this.accLen + len > this.acc.length) this.growAcc(this.accLen + len);
    if (len <= 64) {
      // Between escapes (JSON's \" every few bytes) a byte loop beats Buffer#copy's call cost.
      const acc = this.acc;
      let k = this.accLen;
      for (let x = s; x < e; x++) acc[k++] = b[x];
      this.accLen = k;
    } else {
      b.copy(this.acc, this.accLen, s, e);
      this.accLen += len;
    }
  }

  private accByte(c: number): void {
    this.accUsed = true;
    if (this.strOver) return;
    if (this.accLen + 1 > MAX_VALUE_BYTES) {
      this.strOver = true;
      return;
    }
    if (this.accLen === this.acc.length) this.growAcc(this.accLen + 1);
    this.acc[this.accLen++] = c;
  }

  private growAcc(need: number): void {
    let size = Math.max(this.acc.length * 2, 64 << 10);
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(Math.min(size, MAX_VALUE_BYTES));
    this.acc.copy(next, 0, 0, this.accLen);
    this.acc = next;
  }

  private escape(c: number): void {
    if (HAS_ESCAPE[c] === 1) {
      const e = ESCAPES[c];
      if (e === -1) {
        // MySQL keeps the backslash of \% and \_ (they are LIKE escapes).
        this.accByte(BSLASH);
        this.accByte(c);
      } else this.accByte(e);
    } else this.accByte(c);
  }

  /** Ends a string: `b[s, e)` when it lay in one chunk without escapes, else the bytes in `acc`. */
  private finishString(b: Buffer | undefined, s: number, e: number): void {
    const src = b ?? this.acc;
    const from = b ? s : 0;
    const to = b ? e : this.accLen;
    let v: DumpValue = null;
    if (this.strOver || to - from > MAX_VALUE_BYTES) {
      const ins = this.ins!;
      this.warn(
        `value longer than ${MAX_VALUE_BYTES} bytes (string at offset ${this.strAt}) in ${ins.key}; its row is dropped`,
        this.strAt,
        ins.db,
        ins.table,
      );
      this.rowBad = true;
    } else {
      switch (this.strKind) {
        case K_TEXT:
          v = this.enc === 'utf8' ? utf8(src, from, to) : latin1(src, from, to);
          break;
        case K_LATIN1:
          v = latin1(src, from, to);
          break;
        case K_BINARY:
        case K_BIT:
          v = Buffer.from(src.subarray(from, to));
          break;
        case K_BITSTR:
          v = bitString(src.toString('latin1', from, to)) ?? null;
          if (v === null) this.badValue(`b'${src.toString('latin1', from, Math.min(to, from + 40))}'`);
          break;
        case K_HEXSTR:
          v = hexValue(src.toString('latin1', from, to)) ?? null;
          if (v === null) this.badValue(`x'${src.toString('latin1', from, Math.min(to, from + 40))}'`);
          break;
      }
    }
    this.rowBytes += to - from;
    if (this.rowBytes > MAX_ROW_BYTES && !this.rowBad) {
      const ins = this.ins!;
      this.warn(
        `row at offset ${this.rowStart} in ${ins.key} is longer than ${MAX_ROW_BYTES} bytes; dropped`,
        this.rowStart,
        ins.db,
        ins.table,
      );
      this.rowBad = true;
    }
    this.accLen = 0;
    this.accUsed = false;
    if (this.acc.length > 1 << 20) this.acc = Buffer.allocUnsafe(0);
    this.pushValue(v);
  }

  private badValue(text: string): void {
    const ins = this.ins!;
    this.warn(`invalid literal ${text} in ${ins.key} at row offset ${this.rowStart}; its row is dropped`, this.rowStart, ins.db, ins.table);
    this.rowBad = true;
  }

  private bareValue(text: string, i: number): void {
    const prefix = this.prefix;
    this.prefix = K_NONE;
    let v = bare(text);
    if (v === undefined) {
      const ins = this.ins!;
      this.warn(
        `unrecognised value ${JSON.stringify(text.slice(0, 60))} in ${ins.key}; kept as text`,
        this.base + i - text.length,
        ins.db,
        ins.table,
      );
      v = text;
    } else if (prefix === K_BINARY && typeof v === 'string') v = Buffer.from(v, 'latin1');
    this.pushValue(v);
  }

  private pushValue(v: DumpValue): void {
    const ins = this.ins!;
    if (ins.kinds !== undefined && this.vi < ins.kinds.length && ins.kinds[this.vi] === K_BIT && Buffer.isBuffer(v)) v = bitsValue(v);
    if (this.vi < ins.columns.length + EXTRA_VALUES) this.vals[this.vi] = v;
    this.vi++;
    this.vs = V_AFTER;
  }

  private endRow(): void {
    const ins = this.ins!;
    this.vs = V_NEXT;
    this.stmtRows++;
    if (this.rowBad) return;
    const cols = ins.columns;
    if (this.vi !== cols.length) {
      this.warn(
        `row at offset ${this.rowStart} has ${this.vi} values but ${ins.key} has ${cols.length} columns; row skipped`,
        this.rowStart,
        ins.db,
        ins.table,
      );
      return;
    }
    const row: Record<string, DumpValue> = {};
    const vals = this.vals;
    for (let k = 0; k < cols.length; k++) row[cols[k]] = vals[k];
    this.stats.rows++;
    this.stats.tables[ins.key]++;
    this.opts.onRow(ins.db, ins.table, row);
  }

  private endInsert(): void {
    this.stats.statements++;
    this.ins = undefined;
    this.state = S_HEAD;
    this.resetHead();
  }

  // ---- warnings --------------------------------------------------------------

  /** Reports a problem; past WARNINGS_PER_TABLE for one table only counted, unless `always` (dump-level facts, truncation). */
  private warn(message: string, offset: number, db?: string, table?: string, always = false): void {
    this.stats.warnings++;
    const key = table !== undefined ? `${db ?? ''}.${table}` : '';
    let w = this.warnCounts.get(key);
    if (!w) {
      w = { count: 0, db, table };
      this.warnCounts.set(key, w);
    }
    if (++w.count > WARNINGS_PER_TABLE && !always) return;
    const out: DumpWarning = { message, offset };
    if (db) out.db = db;
    if (table !== undefined) out.table = table;
    this.emitWarning(out);
  }

  private emitWarning(w: DumpWarning): void {
    this.opts.onWarning?.(w);
  }
}

// Buffer#toString looks the encoding up and range-checks on every call; the
// per-encoding slice methods behind it do not. Fall back if they ever go away.
type Slicer = (b: Buffer, s: number, e: number) => string;
const proto = Buffer.prototype as unknown as { utf8Slice?: unknown; latin1Slice?: unknown };
const utf8: Slicer =
  typeof proto.utf8Slice === 'function'
    ? (b, s, e) => (b as unknown as { utf8Slice(s: number, e: number): string }).utf8Slice(s, e)
    : (b, s, e) => b.toString('utf8', s, e);
const latin1: Slicer =
  typeof proto.latin1Slice === 'function'
    ? (b, s, e) => (b as unknown as { latin1Slice(s: number, e: number): string }).latin1Slice(s, e)
    : (b, s, e) => b.toString('latin1', s, e);

/** NULL or an integer of up to 15 digits, straight from the bytes; undefined for anything else. */
function quickToken(b: Buffer, s: number, e: number): number | null | undefined {
  const len = e - s;
  if (len === 4 && (b[s] | 0x20) === 0x6e && (b[s + 1] | 0x20) === 0x75 && (b[s + 2] | 0x20) === 0x6c && (b[s + 3] | 0x20) === 0x6c)
    return null;
  let k = s;
  let neg = false;
  if (b[k] === DASH) {
    neg = true;
    k++;
  }
  if (k === e || e - k > 15) return undefined;
  let v = 0;
  for (; k < e; k++) {
    const d = b[k] - 0x30;
    if (d < 0 || d > 9) return undefined;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

function describe(c: number): string {
  return c >= 0x21 && c < 0x7f ? JSON.stringify(String.fromCharCode(c)) : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/** The string kind a literal prefix asks for, or K_NONE if `text` is not a prefix. */
function prefixKind(text: string, enc: BufferEncoding): number {
  if (text.length === 1) {
    const c = text.charCodeAt(0) | 0x20;
    if (c === 0x62) return K_BITSTR; // b'…'
    if (c === 0x78) return K_HEXSTR; // x'…'
    if (c === 0x6e) return enc === 'latin1' ? K_LATIN1 : K_TEXT; // N'…'
    return K_NONE;
  }
  if (text.charCodeAt(0) !== 0x5f) return K_NONE;
  const cs = text.slice(1).toLowerCase();
  if (cs === 'binary') return K_BINARY;
  if (cs === 'latin1' || cs === 'ascii') return K_LATIN1;
  if (/^[a-z0-9]+$/.test(cs)) return K_TEXT;
  return K_NONE;
}

/** Unquoted tokens: NULL, numbers, 0x… (--hex-blob); undefined if none of those. */
function bare(text: string): DumpValue | undefined {
  const c = text.charCodeAt(0);
  if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e) {
    if (c === 0x30 && text.length > 1) {
      const t = text.charCodeAt(1) | 0x20;
      if (t === 0x78) return hexValue(text.slice(2)); // 0xCAFE
      if (t === 0x62) return bitString(text.slice(2)); // 0b0101
    }
    if (!NUMBER.test(text)) return undefined;
    const v = Number(text);
    if (!Number.isFinite(v)) return undefined;
    // BIGINTs past 2^53 keep their digits rather than silently change.
    if (!Number.isSafeInteger(v) && INTEGER.test(text)) return text;
    return v;
  }
  switch (text.toUpperCase()) {
    case 'NULL':
      return null;
    case 'TRUE':
      return 1;
    case 'FALSE':
      return 0;
  }
  return undefined;
}

function hexValue(hex: string): Buffer | undefined {
  if (!HEX.test(hex)) return undefined;
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
}

/** b'0101' → number; past 53 significant bits → Buffer (big-endian). */
function bitString(bits: string): number | Buffer | undefined {
  if (!BITS.test(bits)) return undefined;
  const sig = bits.replace(/^0+/, '');
  if (sig.length <= 53) return sig === '' ? 0 : parseInt(sig, 2);
  const padded = sig.padStart(Math.ceil(sig.length / 8) * 8, '0');
  const out = Buffer.alloc(padded.length / 8);
  for (let k = 0; k < out.length; k++) out[k] = parseInt(padded.slice(k * 8, k * 8 + 8), 2);
  return out;
}

/** BIT(n) column bytes → number, or the Buffer if the value passes 2^53. */
function bitsValue(buf: Buffer): number | Buffer {
  let v = 0;
  for (let k = 0; k < buf.length; k++) v = v * 256 + buf[k];
  return Number.isSafeInteger(v) ? v : buf;
}
