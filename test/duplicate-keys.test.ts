import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuplicateKeyTracker } from '../parsers/mysqldump-keys.js';
import { parseCreateTable } from '../parsers/mysqldump-sql.js';
import { DUMPS } from './helpers/dump-fixtures.js';

/**
 * Duplicate primary keys, the parts below the audit rule: the key read from
 * CREATE TABLE, and the tracker. The rule's findings on real dumps (a
 * data-only dump appended, a whole dump appended) are rows of
 * test/cases/audit-duplicate-keys.cases.ts.
 */

const PLACEMENT = readFileSync(join(DUMPS, 'placement-single-db.sql'), 'latin1');

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
