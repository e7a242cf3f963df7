import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DumpValue } from '../../parsers/mysqldump.js';

// Compiled to dist/test/helpers/; fixtures and rows.json stay in the source tree.
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DUMPS = `${ROOT}test/fixtures/dumps/`;

/** A row value as rows.json spells it: BLOBs as `{hex}`. */
export type JsonValue = string | number | null | { hex: string };
export interface ExpectedTable {
  db: string;
  table: string;
  columns: string[];
  rows: JsonValue[][];
}
/** The rows scripts/make-dump-fixtures.sh loads into MariaDB before dumping. */
export const EXPECTED: ExpectedTable[] = JSON.parse(readFileSync(`${ROOT}scripts/dump-fixtures/rows.json`, 'utf8')).tables;

/** Which databases each fixture holds (see scripts/make-dump-fixtures.sh). */
export const FIXTURES: Record<string, string[]> = {
  'default.sql': ['nova', 'nova_api', 'nova_cell0', 'placement'],
  'complete-insert.sql': ['nova'],
  'skip-extended-insert.sql': ['nova'],
  'hex-blob.sql': ['nova'],
  'all-databases.sql': ['nova', 'nova_api', 'nova_cell0', 'placement'],
  'placement-single-db.sql': ['placement'],
};

export const norm = (v: DumpValue): JsonValue => (Buffer.isBuffer(v) ? { hex: v.toString('hex') } : v);
