import { fileCoverage, type FileCoverage, type Warning } from '../model/coverage.js';
import { MysqlDumpParser } from '../../parsers/mysqldump.js';
import { DuplicateKeyTracker } from '../../parsers/mysqldump-keys.js';
import { knownColumns } from '../facts/known-columns.js';
import { wantedTable, type FactsCollector } from '../facts/collect.js';
import { DecodeError, openDecoded } from '../sources/decode.js';
import type { SourceFile } from '../sources/walk.js';
import { encodingNote, withNotes } from './read-logs.js';

/**
 * One mysqldump (plain or compressed, whole or sos's tailed copy) → rows of the
 * tables the analysis reads, into the facts collector. Everything else in the
 * dump is skipped without building values.
 */
const MAX_DUMP_WARNINGS = 50;

export async function readDumpFile(file: SourceFile, facts: FactsCollector, warn: (w: Warning) => void): Promise<FileCoverage> {
  const cov = fileCoverage({
    host: file.host,
    path: file.displayPath,
    role: 'mysqldump',
    layout: file.role.layout,
    tailed: file.role.tailed,
  });
  const dumpWarnings: string[] = [];
  let moreWarnings = 0;
  facts.beginDump();
  const databases = new Set<string>();
  const keys = new DuplicateKeyTracker();
  const parser = new MysqlDumpParser({
    wanted: wantedTable,
    onRow: (db, table, row) => {
      databases.add(db);
      keys.row(db, table, row);
      facts.row(db, table, row);
    },
    onTable: (db, table, _columns, primaryKey) => {
      databases.add(db);
      if (wantedTable(db, table)) keys.table(db, table, primaryKey);
      facts.table(db, table);
    },
    onWarning: (w) => {
      // The parser caps its own warnings per table; this keeps the report readable across tables, counting the rest.
      if (dumpWarnings.length >= MAX_DUMP_WARNINGS) {
        moreWarnings++;
        return;
      }
      const msg = `${w.message}${w.table ? ` (table ${w.db ? `${w.db}.` : ''}${w.table})` : ''} at byte ${w.offset}`;
      dumpWarnings.push(msg);
      warn({ input: file.input, file: file.displayPath, message: msg });
    },
    tailed: file.role.tailed,
    fallbackColumns: knownColumns,
    // `mysqldump placement > placement.sql` names no database inside: take it from the file name.
    defaultDb: /(?:^|\/)(nova\w*|placement)\.sql(?:\.gz|\.xz|\.bz2|\.zst)?$/.exec(file.relPath)?.[1],
  });
  try {
    const opened = withNotes(await openDecoded(file.stream), file);
    if (opened.inner === 'binary' || opened.inner === 'tar') {
      warn({ input: file.input, file: file.displayPath, message: `expected a mysqldump, found ${opened.inner} data: skipped` });
      for await (const _ of opened.stream) {
        // drain
      }
      return cov;
    }
    if (opened.leadingNulBytes) {
      cov.nulBytes = opened.leadingNulBytes;
      const msg = `${opened.leadingNulBytes} NUL byte(s) at the start skipped; byte offsets below count from the first byte after them`;
      dumpWarnings.push(msg);
      warn({ input: file.input, file: file.displayPath, message: msg });
    }
    if (opened.encoding) {
      cov.encoding = opened.encoding;
      if (opened.encoding !== 'utf-8 with BOM') {
        const msg = `${encodingNote(opened)}: decoded to UTF-8 and read; byte offsets below are of the UTF-8 text`;
        dumpWarnings.push(msg);
        warn({ input: file.input, file: file.displayPath, message: msg });
      }
    }
    for await (const chunk of opened.stream) parser.push(chunk);
  } catch (e) {
    if (e instanceof DecodeError && e.complete) {
      dumpWarnings.push(e.message);
      warn({ input: file.input, file: file.displayPath, message: e.message });
    } else {
      cov.truncatedTail = true;
      const where = e instanceof DecodeError ? ` at compressed byte ${e.compressedBytes}` : '';
      warn({ input: file.input, file: file.displayPath, message: `${(e as Error).message}${where}: the dump was read up to there` });
    }
  }
  parser.end();
  if (moreWarnings > 0) {
    const msg = `${moreWarnings} more warning(s) in this dump not listed`;
    dumpWarnings.push(msg);
    warn({ input: file.input, file: file.displayPath, message: msg });
  }
  const duplicateKeys = keys.duplicates();
  const s = parser.stats;
  cov.bytes = s.bytes;
  cov.lines = s.statements;
  cov.events = s.rows;
  // skippedStatements counts INSERTs of tables skipped on purpose: not unparsed. Problems are warnings.
  cov.unparsed = s.warnings;
  facts.endDump({
    host: file.host,
    path: file.displayPath,
    databases: [...databases].sort(),
    tables: s.tables,
    tailed: !!file.role.tailed,
    skippedHeadBytes: s.skippedHeadBytes,
    warnings: dumpWarnings,
    ...(duplicateKeys.length > 0 ? { duplicateKeys } : {}),
  });
  return cov;
}
