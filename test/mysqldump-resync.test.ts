import test from 'ava';
import { readFileSync } from 'node:fs';
import { MysqlDumpParser, type DumpWarning, type MysqlDumpOptions } from '../parsers/mysqldump.js';
import { DUMPS, EXPECTED, norm, type JsonValue } from './helpers/dump-fixtures.js';

/**
 * A damaged dump loses what is damaged, not what follows it. mysqldump never
 * writes a raw newline inside a quoted value, so a string still open at a line
 * end was cut (a line truncated by a disk error, an editor, a bad copy): the
 * reader goes on at the next statement (or, in MariaDB's one-row-per-line
 * INSERTs, the next row), names the table, and says how much was lost. The
 * dumps are the real MariaDB ones of test/fixtures/dumps, damaged by cutting
 * one line short; every table the damage does not touch must still give
 * exactly the rows of rows.json.
 */

interface Parsed {
  rows: Map<string, JsonValue[][]>;
  warnings: DumpWarning[];
}

function parse(buf: Buffer, opts: Partial<MysqlDumpOptions> = {}, chunk = 0): Parsed {
  const rows = new Map<string, JsonValue[][]>();
  const warnings: DumpWarning[] = [];
  const p = new MysqlDumpParser({
    wanted: () => true,
    onRow: (db, table, row) => {
      const k = `${db}.${table}`;
      if (!rows.has(k)) rows.set(k, []);
      rows.get(k)!.push(Object.values(row).map(norm));
    },
    onWarning: (w) => warnings.push(w),
    ...opts,
  });
  if (chunk === 0) p.push(buf);
  else for (let i = 0; i < buf.length; i += chunk) p.push(buf.subarray(i, i + chunk));
  p.end();
  return { rows, warnings };
}

/** MariaDB's one-row-per-line INSERTs as MySQL writes them: one line per statement (strings hold no raw newline). */
function oneLinePerInsert(sql: string): string {
  return sql.replace(/ VALUES\n\(/g, ' VALUES (').replace(/\),\n\(/g, '),(');
}

/** Cuts the line holding `marker` right after it: the rest of that line is gone, the next line follows. */
function cutLineAfter(sql: string, marker: string): string {
  const at = sql.indexOf(marker);
  if (at === -1) throw new Error(`no ${marker}`);
  return sql.slice(0, at + marker.length) + sql.slice(sql.indexOf('\n', at));
}

const expected = (db: string, table: string): JsonValue[][] => EXPECTED.find((t) => t.db === db && t.table === table)!.rows;
const DBS = ['nova', 'nova_api', 'nova_cell0', 'placement'];

/** Every table of rows.json but `except` comes back whole. */
function assertOthersWhole(t: import('ava').ExecutionContext, r: Parsed, except: string[]): void {
  for (const e of EXPECTED) {
    const key = `${e.db}.${e.table}`;
    if (!DBS.includes(e.db) || except.includes(key)) continue;
    t.deepEqual(r.rows.get(key) ?? [], e.rows, key);
  }
}

const SQL = readFileSync(`${DUMPS}default.sql`, 'latin1');
// Row 1 of nova.instances holds a public key; the line is cut inside it.
const MARK = "'ssh-rsa AAAAB";

test('MariaDB layout: a string cut at a line end loses its row only; every later table is whole', (t) => {
  const damaged = Buffer.from(cutLineAfter(SQL, MARK), 'latin1');
  for (const chunk of [0, 1, 7, 4096]) {
    const r = parse(damaged, {}, chunk);
    t.deepEqual(
      r.rows.get('nova.instances'),
      expected('nova', 'instances').filter((row) => row[3] !== 1),
      `chunk ${chunk}`,
    );
    assertOthersWhole(t, r, ['nova.instances']);
    t.is(r.warnings.length, 1, JSON.stringify(r.warnings));
    t.like(r.warnings[0], { db: 'nova', table: 'instances' });
    t.regex(
      r.warnings[0].message,
      /^unterminated string at offset \d+ \(a raw newline inside a quoted value, which mysqldump never writes\) in the INSERT into nova\.instances \(started at offset \d+\): the row at offset \d+ is dropped; reading goes on with the next row at offset \d+$/,
    );
  }
});

test('MySQL layout (one line per INSERT): the rest of the damaged statement is lost and estimated; every later table is whole', (t) => {
  const oneLine = oneLinePerInsert(SQL);
  t.deepEqual(parse(Buffer.from(oneLine, 'latin1')).warnings, [], 'the one-line form reads clean');
  // A stray byte in row 2 of nova.instances: the quote that closed 'vm-2' is gone, so the string runs to the line end.
  const row2 = oneLine.indexOf(",('2024-03-01 10:00:00','2024-03-01 10:05:00',NULL,2,NULL,");
  const quote = oneLine.indexOf("'vm-2',", row2) + 5;
  const strayQuote = Buffer.from(oneLine.slice(0, quote) + oneLine.slice(quote + 1), 'latin1');
  // The line cut short inside row 2: what followed is not in the file at all.
  const cut = Buffer.from(oneLine.slice(0, row2 + 60) + oneLine.slice(oneLine.indexOf('\n', row2)), 'latin1');
  for (const chunk of [0, 3, 4096]) {
    // The quote gone: the string closes at the next quote, the row breaks there, and the rest of the
    // statement is skipped up to the raw newline its open string reaches.
    const stray = parse(strayQuote, {}, chunk);
    t.deepEqual(
      stray.rows.get('nova.instances'),
      expected('nova', 'instances').filter((row) => row[3] === 1),
    );
    assertOthersWhole(t, stray, ['nova.instances']);
    t.deepEqual(
      stray.warnings.map((w) => w.message.replace(/\d+/g, 'N')),
      [
        'syntax error in the INSERT into nova.instances (started at offset N): expected "," or ")" after a value, found "r"; this row and the rest of the statement skipped (N rows of it read)',
        'unterminated string at offset N in the rest of the INSERT into nova.instances (skipped after the error above): a raw newline inside a quoted value, which mysqldump never writes; reading goes on with the next statement at offset N; about N rows (N bytes from offset N) were lost',
      ],
    );
    t.regex(stray.warnings[1].message, /about 2 rows/);

    const r = parse(cut, {}, chunk);
    t.deepEqual(
      r.rows.get('nova.instances'),
      expected('nova', 'instances').filter((row) => row[3] === 1),
    );
    assertOthersWhole(t, r, ['nova.instances']);
    t.is(r.warnings.length, 1, JSON.stringify(r.warnings));
    t.regex(
      r.warnings[0].message,
      /in the INSERT into nova\.instances \(started at offset \d+\): the row at offset \d+ and the rest of the statement \(about 1 rows, 60 bytes\) are lost, 1 rows of it were read; reading goes on with the next statement at offset \d+$/,
    );
  }
});

test('a string cut in a table nobody reads no longer swallows the tables after it', (t) => {
  // nova.instance_system_metadata comes before nova.instances, migrations, services… and is not wanted.
  const damaged = Buffer.from(
    cutLineAfter(oneLinePerInsert(SQL), "INSERT INTO `instance_system_metadata` VALUES ('2024-03-01 10:00:00',NULL,NULL,1,'"),
    'latin1',
  );
  const r = parse(damaged, { wanted: (_db, table) => table !== 'instance_system_metadata' });
  assertOthersWhole(t, r, ['nova.instance_system_metadata']);
  t.deepEqual(
    r.warnings.map((w) => w.message.replace(/\d+/g, 'N')),
    [
      'unterminated string at offset N in the INSERT into nova.instance_system_metadata (a table not read) that started at offset N: a raw newline inside a quoted value, which mysqldump never writes; reading goes on with the next statement at offset N',
    ],
  );
});

test('a line cut between values, or a statement without its end: the next statement is read', (t) => {
  const oneLine = oneLinePerInsert(SQL);
  // The allocations INSERT cut right after a value: no string open, no `;`.
  const at = oneLine.indexOf('INSERT INTO `allocations` VALUES');
  const cutAt = oneLine.indexOf("',", oneLine.indexOf('),(', at)) + 2;
  const damaged = Buffer.from(oneLine.slice(0, cutAt) + oneLine.slice(oneLine.indexOf('\n', at)), 'latin1');
  for (const chunk of [0, 5]) {
    const r = parse(damaged, {}, chunk);
    t.deepEqual(r.rows.get('placement.allocations'), expected('placement', 'allocations').slice(0, 1));
    assertOthersWhole(t, r, ['placement.allocations']);
    t.is(r.warnings.length, 1);
    t.regex(
      r.warnings[0].message,
      /^a row cut short \(a statement starts where its values should go on\) in the INSERT into placement\.allocations .*: the row at offset \d+ and the rest of the statement \(about \d+ rows, \d+ bytes\) are lost, 1 rows of it were read/,
    );
  }
  // The `;` alone lost: every row was read, the next statement too.
  const noEnd = Buffer.from(oneLine.replace(/(INSERT INTO `consumers` VALUES [^\n]*\));\n/, '$1\n'), 'latin1');
  const r = parse(noEnd);
  assertOthersWhole(t, r, []);
  t.deepEqual(
    r.warnings.map((w) => w.message.replace(/\d+/g, 'N')),
    [
      'a statement without its end (a line cut short?) in the INSERT into placement.consumers (started at offset N): its N rows were read; reading goes on with the next statement at offset N',
    ],
  );
});
