import { pattern } from './pattern.js';

/**
 * Statement-level helpers for the mysqldump parser. They run on one
 * statement's head (everything before the row values), a few KB at most, so
 * plain strings and regexes are fine here; the byte-level work lives in
 * mysqldump.ts.
 */

/** How a quoted value of a column is turned into a DumpValue. */
export const Kind = {
  Text: 0,
  /** BINARY, VARBINARY, *BLOB, spatial types: bytes, not text → Buffer. */
  Binary: 1,
  /** BIT(n): raw big-endian bytes → number (Buffer past 2^53). */
  Bit: 2,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export interface ColumnDef {
  name: string;
  /** Base type, lower case: `varchar`, `bit`, `mediumblob`… */
  type: string;
  kind: Kind;
}

export interface TableName {
  db?: string;
  table: string;
}

const IDENT = String.raw`(?: \` (?:[^\`]|\`\`)+ \` | " (?:[^"]|"")+ " | [\w$]+ )`;
const QUALIFIED = String.raw`(?<first> ${IDENT}) (?: \s* \. \s* (?<second> ${IDENT}) )?`;

const INSERT_HEAD = pattern(
  String.raw`^ \s* (?<verb> INSERT | REPLACE )
     (?: \s+ (?: LOW_PRIORITY | DELAYED | HIGH_PRIORITY | IGNORE ) )*
     (?: \s+ INTO )? \s+ ${QUALIFIED} \s*
     (?: \( (?<cols> [^)]* ) \) \s* )?
     VALUES? \s* $`,
  'xi',
);
const CREATE_TABLE = pattern(
  String.raw`^ \s* CREATE \s+ (?: OR \s+ REPLACE \s+ )? (?: TEMPORARY \s+ )? TABLE \s+
     (?: IF \s+ NOT \s+ EXISTS \s+ )? ${QUALIFIED} \s*`,
  'xi',
);
const USE_DB = pattern(String.raw`^ \s* USE \s+ (?<db> ${IDENT}) \s* $`, 'xi');
const SET_NAMES = pattern(String.raw`^ \s* SET \s+ NAMES \s+ ['"]? (?<cs> \w+ )`, 'xi');
// Comment patterns run on the text after `--`.
const CURRENT_DB = pattern(String.raw`^ \s* Current \s+ Database: \s* (?<db> ${IDENT}) \s* $`, 'xi');
/** `-- Host: localhost    Database: nova` in the header of a one-database dump. */
const HEADER_DB = pattern(String.raw`^ \s* Host: .*? \s Database: \s* (?<db> \S+ ) \s* $`, 'xi');
const DUMP_HEADER = /^\s*(?:MySQL|MariaDB) dump \d/;
const PG_HEADER = /^\s*PostgreSQL database dump/;
const FIRST_WORD = /^\s*([A-Za-z_]+)/;

/** Strips `` `quotes` `` / `"quotes"` and undoes their doubling. */
export function unquote(id: string): string {
  const q = id[0];
  if ((q === '`' || q === '"') && id.length >= 2 && id[id.length - 1] === q) {
    return id
      .slice(1, -1)
      .split(q + q)
      .join(q);
  }
  return id;
}

function qualified(g: Record<string, string | undefined>): TableName {
  return g.second !== undefined ? { db: unquote(g.first!), table: unquote(g.second) } : { table: unquote(g.first!) };
}

/** Splits a comma list of identifiers that may be quoted (and hold commas). */
function splitIdentifiers(list: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = '';
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (q) {
      cur += c;
      if (c === q) {
        if (list[i + 1] === q) cur += list[++i];
        else q = '';
      }
    } else if (c === '`' || c === '"') {
      q = c;
      cur += c;
    } else if (c === ',') {
      out.push(unquote(cur.trim()));
      cur = '';
    } else {
      cur += c;
    }
  }
  if (cur.trim()) out.push(unquote(cur.trim()));
  return out;
}

export interface InsertHead extends TableName {
  /** From `INSERT INTO t (a, b) VALUES` (--complete-insert). */
  columns?: string[];
}

/** `INSERT [IGNORE] INTO `t` [(cols)] VALUES`, or undefined if the head is another INSERT form. */
export function parseInsertHead(head: string): InsertHead | undefined {
  const m = INSERT_HEAD.exec(head);
  if (!m?.groups) return undefined;
  const name = qualified(m.groups);
  return m.groups.cols !== undefined ? { ...name, columns: splitIdentifiers(m.groups.cols) } : name;
}

export function parseUse(head: string): string | undefined {
  const m = USE_DB.exec(head);
  return m?.groups ? unquote(m.groups.db) : undefined;
}

export function parseSetNames(head: string): string | undefined {
  return SET_NAMES.exec(head)?.groups?.cs.toLowerCase();
}

/** `-- Current Database: `nova`` (written by --databases / --all-databases). */
export function parseCurrentDatabase(comment: string): string | undefined {
  const m = CURRENT_DB.exec(comment);
  return m?.groups ? unquote(m.groups.db) : undefined;
}

export function parseHeaderDatabase(comment: string): string | undefined {
  const db = HEADER_DB.exec(comment)?.groups?.db;
  return db ? unquote(db) : undefined;
}

/** What a `--` comment between statements tells about the dump. */
export function dumpComment(comment: string): { db?: string; headerDb?: string; mysqldump?: boolean; postgres?: boolean } {
  const cur = parseCurrentDatabase(comment);
  if (cur !== undefined) return { db: cur, mysqldump: true };
  const header = parseHeaderDatabase(comment);
  if (header !== undefined) return { headerDb: header, mysqldump: true };
  if (DUMP_HEADER.test(comment)) return { mysqldump: true };
  if (PG_HEADER.test(comment)) return { postgres: true };
  return {};
}

export function firstWord(head: string): string {
  return FIRST_WORD.exec(head)?.[1].toUpperCase() ?? '';
}

const NOT_COLUMNS = new Set([
  'PRIMARY',
  'KEY',
  'INDEX',
  'UNIQUE',
  'CONSTRAINT',
  'FOREIGN',
  'FULLTEXT',
  'SPATIAL',
  'CHECK',
  'PERIOD',
  'VECTOR',
]);
const BINARY_TYPES = new Set([
  'binary',
  'varbinary',
  'tinyblob',
  'blob',
  'mediumblob',
  'longblob',
  'geometry',
  'point',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
  'multipolygon',
  'geometrycollection',
  'geomcollection',
]);

export interface CreateTable extends TableName {
  /** Empty for `CREATE TABLE … LIKE` / `AS SELECT`. */
  columns: ColumnDef[];
  /** The PRIMARY KEY's columns, in key order, when the table has one. */
  primaryKey?: string[];
}

/**
 * Column names, types and order of a CREATE TABLE; KEY, CONSTRAINT, CHECK…
 * lines are left out. Undefined if the statement is not a CREATE TABLE.
 */
export function parseCreateTable(head: string): CreateTable | undefined {
  const m = CREATE_TABLE.exec(head);
  if (!m?.groups) return undefined;
  const name = qualified(m.groups);
  const columns: ColumnDef[] = [];
  let primaryKey: string[] | undefined;
  let p = m[0].length;
  if (head[p] !== '(') return { ...name, columns };
  let depth = 1;
  let start = ++p;
  for (; p < head.length && depth > 0; p++) {
    const c = head[p];
    if (c === "'" || c === '"' || c === '`') {
      // Quoted text (defaults, comments, enum members, names) may hold , ( ).
      for (p++; p < head.length && head[p] !== c; p++) if (head[p] === '\\' && c !== '`') p++;
    } else if (c === '(') depth++;
    else if (c === ')' || (c === ',' && depth === 1)) {
      if (c === ')' && --depth > 0) continue;
      const def = head.slice(start, p);
      const col = columnDef(def);
      if (col) {
        columns.push(col);
        if (INLINE_PRIMARY.test(def)) primaryKey ??= [col.name];
      } else primaryKey = primaryKeyOf(def) ?? primaryKey;
      start = p + 1;
    }
  }
  return primaryKey ? { ...name, columns, primaryKey } : { ...name, columns };
}

/** `PRIMARY KEY (`a`,`b`(10)) USING BTREE`, as SHOW CREATE TABLE writes it. */
const PRIMARY_KEY = pattern(
  String.raw`^ \s* (?: CONSTRAINT (?: \s+ ${IDENT} )? \s+ )? PRIMARY \s+ KEY \s* (?: USING \s+ \w+ \s* )? \( (?<cols> .* ) \)`,
  'xis',
);
/** `id int NOT NULL PRIMARY KEY` (hand-written SQL; mysqldump writes the key on its own line). */
const INLINE_PRIMARY = /\bPRIMARY\s+KEY\b/i;

function primaryKeyOf(def: string): string[] | undefined {
  const m = PRIMARY_KEY.exec(def);
  if (!m?.groups) return undefined;
  // A key prefix (`name`(10)) is the column's first bytes: the column still names the key.
  return splitIdentifiers(m.groups.cols.replace(/\(\s*\d+\s*\)/g, '')).map((c) => c.replace(/\s+(?:ASC|DESC)$/i, ''));
}

const COLUMN = pattern(String.raw`^ \s* (?<name> ${IDENT}) \s+ (?<type> [A-Za-z]\w* )`, 'x');

function columnDef(def: string): ColumnDef | undefined {
  const m = COLUMN.exec(def);
  if (!m?.groups) return undefined;
  const raw = m.groups.name;
  if (raw[0] !== '`' && raw[0] !== '"' && NOT_COLUMNS.has(raw.toUpperCase())) return undefined;
  const type = m.groups.type.toLowerCase();
  let kind: Kind = Kind.Text;
  if (type === 'bit') kind = Kind.Bit;
  else if (BINARY_TYPES.has(type) || /\bCHARACTER\s+SET\s+binary\b/i.test(def)) kind = Kind.Binary;
  return { name: unquote(raw), type, kind };
}
