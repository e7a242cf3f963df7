import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import test from 'ava';
import { AUDIT_RULES, DETECTORS } from '../src/registry/index.js';
import { declareTests, TABLES, type Table, tableName } from './helpers/case-table.js';

/**
 * The case tables of test/cases: each `<kind>.cases.ts` (a detector) and
 * `audit-<rule id>.cases.ts` (an audit rule) holds a table; loaded here, each
 * row becomes a test. Then the registry is held against them: every detector and rule
 * has its table, in the file named for it; every cause and finding code has an
 * invalid row; every table has valid rows. Adding a cause without a row fails.
 */

const CASES = join(dirname(fileURLToPath(import.meta.url)), 'cases');
const files = readdirSync(CASES)
  .filter((f) => f.endsWith('.cases.js'))
  .sort();
const fileOf = new Map<Table, string>();
for (const f of files) {
  const before = TABLES.length;
  await import(pathToFileURL(join(CASES, f)).href);
  for (const t of TABLES.slice(before)) fileOf.set(t, f);
}
for (const t of TABLES) declareTests(t);

const fileFor = (t: Table): string => (t.type === 'detector' ? `${t.subject.kind}.cases.js` : `audit-${t.subject.id}.cases.js`);

test('each case file holds the one table it is named for, of a registered detector or rule', (t) => {
  t.true(files.length > 0, `no case files in ${CASES}`);
  for (const f of files) t.deepEqual(TABLES.filter((x) => fileOf.get(x) === f).map(fileFor), [f], f);
  for (const x of TABLES)
    t.true(
      x.type === 'detector' ? DETECTORS.includes(x.subject) : AUDIT_RULES.includes(x.subject),
      `${tableName(x)} is not in the registry (src/registry/index.ts)`,
    );
});

test('every detector and audit rule of the registry has a case table, with at least two valid rows', (t) => {
  for (const d of DETECTORS) {
    const table = TABLES.find((x) => x.subject === d);
    t.truthy(table, `no test/cases/${d.kind}.cases.ts`);
    t.true((table?.valid.length ?? 0) >= 2, `${d.kind}: fewer than two valid rows`);
  }
  for (const r of AUDIT_RULES) {
    const table = TABLES.find((x) => x.subject === r);
    t.truthy(table, `no test/cases/audit-${r.id}.cases.ts`);
    t.true((table?.valid.length ?? 0) >= 2, `audit ${r.id}: fewer than two valid rows`);
  }
});

test("every cause of every detector has an invalid row, and every row's cause is one the detector lists", (t) => {
  for (const x of TABLES) {
    if (x.type !== 'detector') continue;
    const d = x.subject;
    for (const [n, c] of d.causes.entries()) {
      // Several causes may share a code (unmanaged-allocation's two unknowns): their rows name the rule.
      const shared = d.causes.filter((o) => o.code === c.code).length > 1;
      const rows = x.invalid.filter((r) => r.expect.cause === c.code && (!shared || r.expect.rule === c.title));
      t.true(rows.length > 0, `${d.kind}: cause ${n + 1} ${c.code} "${c.title}" has no invalid row${shared ? ' naming its rule' : ''}`);
    }
    for (const r of x.invalid) {
      t.true(
        d.causes.some((c) => c.code === r.expect.cause),
        `${d.kind} › ${r.name}: ${r.expect.cause} is no cause of the detector`,
      );
      // A rule may conclude another code than its own (unmanaged-allocation's "now runs on another host" says failed-migration
      // when the audit does): the row names the rule by its title, and the run checks that it decided.
      if (r.expect.rule !== undefined)
        t.true(
          d.causes.some((c) => c.title === r.expect.rule),
          `${d.kind} › ${r.name}: no cause titled "${r.expect.rule}"`,
        );
    }
  }
});

test("every finding code of every audit rule, with each of its causes, has an invalid row; and every row's code and cause are the rule's", (t) => {
  for (const x of TABLES) {
    if (x.type !== 'rule') continue;
    const r = x.subject;
    const expected = x.invalid.flatMap((row) => row.expect.map((e) => ({ row: row.name, code: e.code, cause: e.cause })));
    for (const f of r.findings)
      for (const c of f.causes)
        t.true(
          expected.some((e) => e.code === f.code && e.cause === c.code),
          `audit ${r.id}: finding ${f.code} with cause ${c.code} has no invalid row`,
        );
    for (const e of expected)
      t.true(
        r.findings.some((f) => f.code === e.code && f.causes.some((c) => c.code === e.cause)),
        `audit ${r.id} › ${e.row}: ${e.code}/${e.cause} is not a finding the rule lists`,
      );
  }
});
