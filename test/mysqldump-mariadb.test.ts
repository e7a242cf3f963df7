import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { MysqlDumpParser, type DumpWarning } from '../parsers/mysqldump.js';
import { EXPECTED, FIXTURES, ROOT, norm, type JsonValue } from './helpers/dump-fixtures.js';

/**
 * Runs scripts/make-dump-fixtures.sh against the MariaDB installed here and
 * checks the fresh dumps against rows.json, like the committed fixtures.
 * Without MariaDB the test is skipped (visible in ava's output); set
 * NOVA_FORENSICS_REQUIRE_MARIADB=1 (CI) to make that a failure instead.
 */

const SCRIPT = `${ROOT}scripts/make-dump-fixtures.sh`;

function findBinary(names: string[]): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/libexec'];
  for (const name of names) for (const dir of dirs) if (dir && existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}
const missing = [
  ['mariadbd', 'mysqld'],
  ['mariadb-install-db', 'mysql_install_db'],
  ['mariadb', 'mysql'],
  ['mariadb-dump', 'mysqldump'],
]
  .filter((alts) => !findBinary(alts))
  .map((alts) => alts[0]);
const required = process.env.NOVA_FORENSICS_REQUIRE_MARIADB === '1';

/** Processes whose command line mentions `dir` (a server the script failed to stop). */
function processesUsing(dir: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(dir)) out.push(`${pid}: ${cmd}`);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function runScript(out: string): { status: number | null; stderr: string; tmp: string | undefined } {
  const r = spawnSync('bash', [SCRIPT, out], { encoding: 'utf8', timeout: 180_000 });
  const tmp = /private data dir in (\S+)/.exec(r.stderr)?.[1];
  return { status: r.status, stderr: r.stderr, tmp };
}

if (missing.length === 0) {
  test('fresh dumps from a private MariaDB server hold exactly the rows of rows.json', (t) => {
    const out = mkdtempSync(join(tmpdir(), 'nova-dumps-test-'));
    try {
      const r = runScript(out);
      t.is(r.status, 0, r.stderr);
      t.truthy(r.tmp, 'the script names its temp dir');
      t.false(existsSync(r.tmp!), 'temp dir removed');
      t.deepEqual(processesUsing(r.tmp!), [], 'server stopped');
      t.deepEqual(readdirSync(out).sort(), Object.keys(FIXTURES).sort());
      for (const [name, dbs] of Object.entries(FIXTURES)) {
        const want = EXPECTED.filter((e) => dbs.includes(e.db));
        const keys = new Set(want.map((e) => `${e.db}.${e.table}`));
        const rows = new Map<string, Record<string, JsonValue>[]>();
        const columns = new Map<string, string[]>();
        const warnings: DumpWarning[] = [];
        const p = new MysqlDumpParser({
          wanted: (db, table) => keys.has(`${db}.${table}`),
          onRow: (db, table, row) => {
            const k = `${db}.${table}`;
            if (!rows.has(k)) rows.set(k, []);
            rows.get(k)!.push(Object.fromEntries(Object.entries(row).map(([c, v]) => [c, norm(v)])));
          },
          onTable: (db, table, cols) => columns.set(`${db}.${table}`, cols),
          onWarning: (w) => warnings.push(w),
        });
        p.push(readFileSync(join(out, name)));
        p.end();
        t.deepEqual(warnings, [], `${name}: no warnings`);
        for (const e of want) {
          const k = `${e.db}.${e.table}`;
          t.deepEqual(columns.get(k), e.columns, `${name}: columns of ${k}`);
          t.deepEqual(
            rows.get(k) ?? [],
            e.rows.map((r) => Object.fromEntries(e.columns.map((c, i) => [c, r[i]]))),
            `${name}: rows of ${k}`,
          );
        }
      }
      t.log(`MariaDB dumps made by ${SCRIPT} in ${out}`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('the fixture script stops its server and removes its temp dir when a step fails', (t) => {
    // /proc refuses new directories, so the run fails after the server has started and dumped.
    const r = runScript('/proc/nova-forensics-cannot-write-here');
    t.not(r.status, 0);
    t.truthy(r.tmp, r.stderr);
    t.false(existsSync(r.tmp!), 'temp dir removed');
    t.deepEqual(processesUsing(r.tmp!), [], 'server stopped');
  });
} else if (required) {
  test('MariaDB is required (NOVA_FORENSICS_REQUIRE_MARIADB=1)', (t) => {
    t.fail(`MariaDB binaries not found: ${missing.join(', ')}`);
  });
} else {
  test.skip(`fresh MariaDB dumps: SKIPPED, MariaDB binaries not found (${missing.join(', ')}); install mariadb-server mariadb-client`, () => {});
}
