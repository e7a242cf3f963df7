import { fileCoverage, type FileCoverage, type Warning } from '../model/coverage.js';
import { MysqlDumpParser } from '../../parsers/mysqldump.js';
import { knownColumns } from '../facts/known-columns.js';
import { wantedTable, type FactsCollector } from '../facts/collect.js';
import { DecodeError, openDecoded } from '../sources/decode.js';
import type { SourceFile } from '../sources/walk.js';

/**
 * One mysqldump (plain or compressed, whole or sos's tailed copy) → rows of the
 * tables the analysis reads, into the facts collector. Everything else in the
 * dump is skipped without building values.
 */
export async function readDumpFile(file: SourceFile, facts: FactsCollector, warn: (w: Warning) => void): Promise<FileCoverage> {
  const cov = fileCoverage({ host: file.host, path: file.displayPath, role: 'mysqldump', layout: file.role.layout, tailed: file.role.tailed });
  const dumpWarnings: string[] = [];
  facts.beginDump();
  const databases = new Set<string>();
  const parser = new MysqlDumpParser({
    wanted: wantedTable,
    onRow: (db, table, row) => {
      databases.add(db);
      facts.row(db, table, row);
    },
    onTable: (db, table) => {
      databases.add(db);
      facts.table(db, table);
    },
    onWarning: (w) => {
      const msg = `${w.message}${w.table ? ` (table ${w.db ? `${w.db}.` : ''}${w.table})` : ''} at byte ${w.offset}`;
      // The parser caps its own warnings per table; these keep the report readable across tables.
      if (dumpWarnings.length < 50) dumpWarnings.push(msg);
      if (dumpWarnings.length <= 50) warn({ input: file.input, file: file.displayPath, message: msg });
    },
    tailed: file.role.tailed,
    fallbackColumns: knownColumns,
    // `mysqldump placement > placement.sql` names no database inside: take it from the file name.
    defaultDb: /(?:^|\/)(nova\w*|placement)\.sql(?:\.gz|\.xz)?$/.exec(file.relPath)?.[1],
  });
  try {
    const opened = await openDecoded(file.stream);
    if (opened.inner === 'binary' || opened.inner === 'tar') {
      warn({ input: file.input, file: file.displayPath, message: `expected a mysqldump, found ${opened.inner} data: skipped` });
      for await (const _ of opened.stream) {
        // drain
      }
      return cov;
    }
    for await (const chunk of opened.stream) parser.push(chunk);
  } catch (e) {
    cov.truncatedTail = true;
    const where = e instanceof DecodeError ? ` at compressed byte ${e.compressedBytes}` : '';
    warn({ input: file.input, file: file.displayPath, message: `${(e as Error).message}${where}: the dump was read up to there` });
  }
  parser.end();
  const s = parser.stats;
  cov.bytes = s.bytes;
  cov.lines = s.statements;
  cov.events = s.rows;
  // skippedStatements counts INSERTs of tables skipped on purpose: not unparsed. Problems are warnings.
  cov.unparsed = s.warnings;
  facts.dumps.push({
    host: file.host,
    path: file.displayPath,
    databases: [...databases].sort(),
    tables: s.tables,
    tailed: !!file.role.tailed,
    skippedHeadBytes: s.skippedHeadBytes,
    warnings: dumpWarnings,
  });
  return cov;
}
