import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { duplicateKeys } from '../../src/audit/rules/duplicate-keys.js';
import type { DbFacts } from '../../src/model/db.js';
import { caseTable } from '../helpers/case-table.js';
import { DUMPS } from '../helpers/dump-fixtures.js';
import { factsOf } from '../helpers/facts.js';
import { tmp } from '../helpers/fixture-tree.js';
import { antelopeFacts, pikeFacts } from '../helpers/sample-facts.js';

/**
 * audit duplicate-keys: a primary key held by more than one row of a dump.
 * The dumps are real (MariaDB's, test/fixtures/dumps), their rows dumped twice
 * into one file the two ways that happens.
 */

const PLACEMENT = (): string => readFileSync(join(DUMPS, 'placement-single-db.sql'), 'latin1');

/** The facts of `sql` written as placement.sql and read like any input. */
function dump(sql: () => string): () => Promise<DbFacts> {
  return () => {
    const path = join(tmp(), 'placement.sql');
    writeFileSync(path, Buffer.from(sql(), 'latin1'));
    return factsOf(path);
  };
}

/** `mysqldump --no-create-info placement allocations >> placement.sql`: the allocations INSERT again, without its CREATE TABLE. */
function dataOnlyAppended(): string {
  const p = PLACEMENT();
  const at = p.indexOf('INSERT INTO `allocations`');
  return `${p}\n${p.slice(at, p.indexOf(';\n', at) + 2)}`;
}

caseTable(duplicateKeys, {
  valid: [
    { name: 'the MariaDB placement dump as written: every key once', db: dump(PLACEMENT) },
    { name: 'the MariaDB --all-databases dump: every key once in four databases', db: () => factsOf(join(DUMPS, 'all-databases.sql')) },
    { name: 'seed 000 (Pike sample)', db: pikeFacts },
    { name: 'seeds 001–004 (2023.1 sample)', db: antelopeFacts },
  ],
  invalid: [
    {
      name: 'a data-only dump of allocations appended: eight keys twice, and a restore would fail',
      db: dump(dataOnlyAppended),
      expect: [
        {
          code: 'duplicate-primary-key',
          cause: 'duplicate-rows',
          severity: 'error',
          details: { db: 'placement', table: 'allocations', key: ['id'], keys: 8, extraRows: 8, createdTwice: false },
          explanation: /ERROR 1062.*provider usage counts these allocations more than once/,
          evidence: [/^placement\.allocations: id = 1 is held by 2 rows in .*placement\.sql$/],
          firstCommand: 'mysql placement -e "SELECT id, COUNT(*) FROM allocations GROUP BY id HAVING COUNT(*) > 1"',
        },
      ],
    },
    {
      name: 'the whole dump appended to itself: each table with a key said once, as created twice',
      db: dump(() => PLACEMENT() + PLACEMENT()),
      expect: [
        {
          code: 'duplicate-primary-key',
          cause: 'duplicate-rows',
          where: { details: { table: 'allocations' } },
          details: { keys: 8, extraRows: 8, createdTwice: true },
          explanation: /two dumps appended, and restoring it keeps only the last copy/,
        },
        {
          code: 'duplicate-primary-key',
          cause: 'duplicate-rows',
          where: { details: { table: 'resource_providers' } },
          details: { createdTwice: true },
        },
      ],
    },
  ],
});
