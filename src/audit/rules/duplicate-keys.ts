import type { Finding } from '../../model/finding.js';
import type { AuditRule } from '../rule.js';

/**
 * A primary key held by more than one row of a dump. The database cannot
 * hold that, so the dump is not one consistent dump of the table (two dumps
 * appended, an edited or merged file) or the table's index is corrupt. The
 * facts keep every row, so sums over the table count the duplicates twice
 * (an allocation's usage, a provider's inventory): said here, once per table
 * and dump, before anyone trusts the other findings on it.
 */

/** What a duplicated row of each table would distort in the other findings. */
const EFFECTS: Record<string, string> = {
  allocations: 'provider usage counts these allocations more than once and capacity findings on their providers may be overstated',
  inventories: 'a provider may appear with its inventory twice',
  instances: 'an instance may be counted twice, and its allocations checked against either copy',
  compute_nodes: 'a compute node may be matched to its provider twice',
  instance_mappings: 'an instance may map to two cells',
};

export const duplicateKeys: AuditRule = {
  id: 'duplicate-keys',
  title: 'Primary keys held by more than one row of a dump',
  findings: [
    {
      code: 'duplicate-primary-key',
      title: 'A primary key is held by more than one row of a dump',
      checks:
        'a primary key (from the dump’s CREATE TABLE) held by more than one row of one dump, in the tables read; one finding per dump and table, with the key’s columns, how many keys and extra rows, and the first ten keys',
      causes: [
        {
          code: 'duplicate-rows',
          decidedBy:
            'two rows of one table in one file share their primary key: the file creates the table twice (two dumps appended; a restore keeps the last copy) or not (data-only dumps appended, an edited file or a corrupt index; a restore fails with ERROR 1062)',
        },
      ],
      severity: 'error',
      remediation:
        'look for the duplicates in the live database (GROUP BY the key HAVING COUNT(*) > 1) and check the table (mysqlcheck --extended); none there means only the file is damaged: take a new dump. Until then, sums over the table here (allocation usage) count the duplicates',
    },
  ],
  check(ix) {
    const findings: Finding[] = [];
    for (const dump of ix.facts.dumps) {
      for (const d of dump.duplicateKeys ?? []) {
        const cols = d.columns.join(', ');
        const effect = EFFECTS[d.table] ?? 'counts over this table include the duplicates';
        findings.push({
          code: 'duplicate-primary-key',
          cause: 'duplicate-rows',
          severity: 'error',
          subject: {},
          evidence: d.samples.map((s) => ({
            text: `${d.db}.${d.table}: ${cols} = ${s.key} is held by ${s.rows} rows in ${dump.path}`,
            source: { db: d.db, table: d.table, key: s.key },
          })),
          explanation:
            `${dump.path} holds ${d.extraRows} row(s) of ${d.db}.${d.table} whose primary key (${cols}) an earlier row already has, ` +
            `over ${d.keys} key value(s). ` +
            (d.createdTwice
              ? 'The file creates the table more than once: it is two dumps appended, and restoring it keeps only the last copy. '
              : 'A database cannot hold that: the file is not one consistent dump of the table (data-only dumps appended, an edited ' +
                'or merged file) or the table’s index is corrupt; restoring it fails with ERROR 1062 (Duplicate entry). ') +
            `Every row is kept in this analysis, so ${effect}.`,
          remediation: [
            {
              command: `mysql ${d.db} -e "SELECT ${cols}, COUNT(*) FROM ${d.table} GROUP BY ${cols} HAVING COUNT(*) > 1"`,
              why: 'on the live database: duplicates there mean a corrupt index; none mean only the dump file is damaged (take a new one)',
            },
            {
              command: `mysqlcheck --check --extended ${d.db} ${d.table}`,
              why: 'checks the table and its indexes',
            },
          ],
          details: {
            dump: dump.path,
            host: dump.host,
            db: d.db,
            table: d.table,
            key: d.columns,
            keys: d.keys,
            extraRows: d.extraRows,
            createdTwice: !!d.createdTwice,
          },
        });
      }
    }
    return findings;
  },
};
