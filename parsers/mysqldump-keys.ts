import type { DuplicateKey } from '../src/model/db.js';
import type { DumpValue } from './mysqldump.js';

/**
 * Duplicate primary keys among the rows a dump hands over. A primary key is
 * unique in the database, so two rows with one key mean the dump is not one
 * consistent dump of the table (two dumps appended, an edited file) or the
 * table's index is corrupt; either way every count over the table is wrong.
 *
 * mysqldump writes a table's rows in primary-key order, so keys normally
 * arrive increasing: they are kept in a sorted typed array (8 bytes a numeric
 * key) and a key at or below the last one is looked up by bisection. Keys
 * that arrive out of order (a text key in a collation JavaScript does not
 * share, appended rows) go to a Map. Memory grows with the rows of the tables
 * read, which the caller keeps anyway.
 */

const SAMPLES = 10;

class TableKeys {
  private nums = new Float64Array(1024);
  private strs: string[] = [];
  private n = 0;
  private numeric: boolean | undefined;
  private readonly outOfOrder = new Map<number | string, number>();
  /** Key → rows holding it, for keys seen more than once. */
  readonly dupes = new Map<string, number>();
  createdTwice = false;

  constructor(
    readonly db: string,
    readonly table: string,
    readonly columns: string[],
  ) {}

  add(row: Record<string, DumpValue>): void {
    const key = this.keyOf(row);
    if (key === undefined) return;
    if (this.numeric === undefined) this.numeric = typeof key === 'number';
    if ((typeof key === 'number') !== this.numeric) {
      this.seenOutOfOrder(key);
      return;
    }
    const last = this.n > 0 ? (this.numeric ? this.nums[this.n - 1] : this.strs[this.n - 1]) : undefined;
    if (last === undefined || key > last) {
      if (this.numeric) {
        if (this.n === this.nums.length) {
          const next = new Float64Array(this.nums.length * 2);
          next.set(this.nums);
          this.nums = next;
        }
        this.nums[this.n] = key as number;
      } else this.strs.push(key as string);
      this.n++;
      return;
    }
    if (this.inSorted(key)) this.bump(key, 1);
    else this.seenOutOfOrder(key);
  }

  private seenOutOfOrder(key: number | string): void {
    const seen = this.outOfOrder.get(key);
    if (seen === undefined && !this.inSorted(key)) this.outOfOrder.set(key, 1);
    else {
      this.outOfOrder.set(key, (seen ?? 1) + 1);
      this.bump(key, 1);
    }
  }

  private bump(key: number | string, by: number): void {
    const k = String(key);
    this.dupes.set(k, (this.dupes.get(k) ?? 1) + by);
  }

  private inSorted(key: number | string): boolean {
    if ((typeof key === 'number') !== this.numeric) return false;
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.numeric ? this.nums[mid] : this.strs[mid];
      if (v === key) return true;
      if (v < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** A number for a one-column integer key, else the values joined; undefined if a key column is missing or NULL. */
  private keyOf(row: Record<string, DumpValue>): number | string | undefined {
    if (this.columns.length === 1) return scalar(row[this.columns[0]]);
    const parts: string[] = [];
    for (const c of this.columns) {
      const v = scalar(row[c]);
      if (v === undefined) return undefined;
      parts.push(String(v));
    }
    return parts.join(', ');
  }
}

function scalar(v: DumpValue | undefined): number | string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number') return v;
  if (Buffer.isBuffer(v)) return `0x${v.toString('hex')}`;
  return v;
}

/** Feed it the dump's tables and rows; `duplicates()` says which keys were held by more than one row. */
export class DuplicateKeyTracker {
  private readonly tables = new Map<string, TableKeys>();

  /**
   * A CREATE TABLE: its primary key (none: its rows are not tracked). The
   * reader keeps the rows of every copy of a table a file creates twice, so
   * the keys of both copies are checked together, and the finding says so.
   */
  table(db: string, table: string, primaryKey: string[] | undefined): void {
    const k = `${db}.${table}`;
    const cur = this.tables.get(k);
    if (cur && primaryKey && cur.columns.join('\0') === primaryKey.join('\0')) cur.createdTwice = true;
    else if (primaryKey && primaryKey.length > 0) this.tables.set(k, new TableKeys(db, table, primaryKey));
    else this.tables.delete(k);
  }

  row(db: string, table: string, row: Record<string, DumpValue>): void {
    this.tables.get(`${db}.${table}`)?.add(row);
  }

  duplicates(): DuplicateKey[] {
    const out: DuplicateKey[] = [];
    for (const t of this.tables.values()) {
      if (t.dupes.size === 0) continue;
      let extra = 0;
      for (const n of t.dupes.values()) extra += n - 1;
      out.push({
        db: t.db,
        table: t.table,
        columns: t.columns,
        keys: t.dupes.size,
        extraRows: extra,
        samples: [...t.dupes.entries()].slice(0, SAMPLES).map(([key, rows]) => ({ key, rows })),
        ...(t.createdTwice ? { createdTwice: true } : {}),
      });
    }
    return out;
  }
}
