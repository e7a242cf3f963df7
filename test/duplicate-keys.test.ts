import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuplicateKeyTracker } from '../parsers/mysqldump-keys.js';
import { parseCreateTable } from '../parsers/mysqldump-sql.js';
import { audit } from '../src/audit/audit.js';
import { ingestWithFacts } from '../src/pipeline/read-facts.js';
import { DUMPS } from './helpers/dump-fixtures.js';
import { tmp } from './helpers/fixture-tree.js';

/**
 * Duplicate primary keys: the real MariaDB dump of placement (fixture) with
 * the allocations rows dumped twice into one file, the two ways it happens:
 * a data-only dump appended (`mysqldump --no-create-info … >> dump.sql`: a
 * restore fails), and a whole dump appended to another (a restore keeps the
 * last copy). Either way the analysis read every row, and must say so.
 */

const PLACEMENT = readFileSync(join(DUMPS, 'placement-single-db.sql'), 'latin1');
const ALLOC_ROWS = 8;

async function findingsOf(sql: string) {
  const dir = tmp();
  const path = join(dir, 'placement.sql');
  writeFileSync(path, Buffer.from(sql, 'latin1'));
  const { facts } = await ingestWithFacts([path], { logRoles: new Set() });
  return { path, facts, findings: audit(facts) };
}

test('the primary key is read from CREATE TABLE, as SHOW CREATE TABLE and hand-written SQL write it', (t) => {
  const ct = parseCreateTable(
    PLACEMENT.slice(
      PLACEMENT.indexOf('CREATE TABLE `allocations`'),
      PLACEMENT.indexOf(';', PLACEMENT.indexOf('CREATE TABLE `allocations`')),
    ),
  );
  t.deepEqual(ct?.primaryKey, ['id']);
  t.deepEqual(
    parseCreateTable(
      'CREATE TABLE `rpt` (`resource_provider_id` int NOT NULL, `trait_id` int NOT NULL, PRIMARY KEY (`resource_provider_id`,`trait_id`), KEY `x` (`trait_id`))',
    )?.primaryKey,
    ['resource_provider_id', 'trait_id'],
  );
  t.deepEqual(parseCreateTable('CREATE TABLE t (id INT NOT NULL PRIMARY KEY, name TEXT)')?.primaryKey, ['id']);
  t.deepEqual(parseCreateTable('CREATE TABLE t (name varchar(200), PRIMARY KEY (`name`(32)))')?.primaryKey, ['name']);
  t.is(parseCreateTable('CREATE TABLE t (a INT, UNIQUE KEY u (a))')?.primaryKey, undefined);
});

test('keys in order, out of order, composite and textual: only keys held twice are reported, with their counts', (t) => {
  const k = new DuplicateKeyTracker();
  k.table('d', 'ids', ['id']);
  for (const id of [1, 2, 3, 5, 8, 13]) k.row('d', 'ids', { id });
  for (const id of [2, 13, 4, 4, 4, 100, 2]) k.row('d', 'ids', { id });
  k.table('d', 'pairs', ['a', 'b']);
  for (const [a, b] of [
    [1, 1],
    [1, 2],
    [2, 1],
    [1, 2],
  ])
    k.row('d', 'pairs', { a, b });
  k.table('d', 'names', ['name']);
  for (const name of ['b', 'a', 'B', 'é', 'a', 'b']) k.row('d', 'names', { name });
  k.table('d', 'nokey', undefined);
  for (let i = 0; i < 3; i++) k.row('d', 'nokey', { x: 1 });
  t.deepEqual(k.duplicates(), [
    {
      db: 'd',
      table: 'ids',
      columns: ['id'],
      keys: 3,
      extraRows: 5,
      samples: [
        { key: '2', rows: 3 },
        { key: '13', rows: 2 },
        { key: '4', rows: 3 },
      ],
    },
    { db: 'd', table: 'pairs', columns: ['a', 'b'], keys: 1, extraRows: 1, samples: [{ key: '1, 2', rows: 2 }] },
    {
      db: 'd',
      table: 'names',
      columns: ['name'],
      keys: 2,
      extraRows: 2,
      samples: [
        { key: 'a', rows: 2 },
        { key: 'b', rows: 2 },
      ],
    },
  ]);
});

test('a clean real dump: no duplicate-key finding', async (t) => {
  const { findings, facts } = await findingsOf(PLACEMENT);
  t.is(facts.placement?.allocations.length, ALLOC_ROWS);
  t.deepEqual(
    findings.filter((f) => f.code === 'duplicate-primary-key'),
    [],
  );
});

test('a data-only dump of allocations appended: one finding naming the table, the key and how many, restore fails', async (t) => {
  const insert = PLACEMENT.slice(
    PLACEMENT.indexOf('INSERT INTO `allocations`'),
    PLACEMENT.indexOf(';\n', PLACEMENT.indexOf('INSERT INTO `allocations`')) + 2,
  );
  const { findings, facts, path } = await findingsOf(
    `${PLACEMENT}\n-- appended: mysqldump --no-create-info placement allocations\n${insert}`,
  );
  t.is(facts.placement?.allocations.length, ALLOC_ROWS * 2, 'every row is read');
  const dup = findings.filter((f) => f.code === 'duplicate-primary-key');
  t.is(dup.length, 1);
  t.like(dup[0], {
    cause: 'duplicate-rows',
    severity: 'error',
    details: {
      dump: path,
      db: 'placement',
      table: 'allocations',
      key: ['id'],
      keys: ALLOC_ROWS,
      extraRows: ALLOC_ROWS,
      createdTwice: false,
    },
  });
  t.deepEqual(
    dup[0].evidence.map((e) => e.text),
    Array.from({ length: ALLOC_ROWS }, (_, i) => `placement.allocations: id = ${i + 1} is held by 2 rows in ${path}`),
  );
  t.deepEqual(dup[0].evidence[0].source, { db: 'placement', table: 'allocations', key: '1' });
  t.regex(dup[0].explanation, /ERROR 1062/);
  t.regex(dup[0].explanation, /provider usage counts these allocations more than once and capacity findings/);
  t.is(dup[0].remediation[0].command, 'mysql placement -e "SELECT id, COUNT(*) FROM allocations GROUP BY id HAVING COUNT(*) > 1"');
  t.is(findings[0].code, 'duplicate-primary-key', 'errors come first, and this one before the findings it may distort');
});

test('a whole dump appended to itself: every table with a key is reported once, as created twice', async (t) => {
  const { findings } = await findingsOf(PLACEMENT + PLACEMENT);
  const dup = findings.filter((f) => f.code === 'duplicate-primary-key');
  const tables = dup.map((f) => (f.details as { table: string }).table).sort();
  t.true(tables.includes('allocations') && tables.includes('resource_providers') && tables.includes('inventories'), tables.join(' '));
  for (const f of dup) {
    t.true((f.details as { createdTwice: boolean }).createdTwice);
    t.regex(f.explanation, /two dumps appended, and restoring it keeps only the last copy/);
  }
});
