import test from 'ava';
import { readFileSync } from 'node:fs';
import { MysqlDumpParser, type DumpValue, type DumpWarning, type MysqlDumpOptions, type MysqlDumpStats } from '../parsers/mysqldump.js';
import { DUMPS, EXPECTED, FIXTURES, norm, type ExpectedTable, type JsonValue } from './helpers/dump-fixtures.js';

interface Parsed {
  rows: { db: string; table: string; row: Record<string, JsonValue> }[];
  tables: Record<string, string[]>;
  warnings: DumpWarning[];
  stats: MysqlDumpStats;
}

function parse(input: Buffer | string, opts: Partial<MysqlDumpOptions> = {}, chunkSizes?: (i: number) => number): Parsed {
  const out: Parsed = { rows: [], tables: {}, warnings: [], stats: undefined as unknown as MysqlDumpStats };
  const p = new MysqlDumpParser({
    wanted: () => true,
    onRow: (db, table, row) => out.rows.push({ db, table, row: Object.fromEntries(Object.entries(row).map(([k, v]) => [k, norm(v)])) }),
    onTable: (db, table, columns) => {
      out.tables[`${db}.${table}`] = columns;
    },
    onWarning: (w) => out.warnings.push(w),
    ...opts,
  });
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  if (!chunkSizes) p.push(buf);
  else
    for (let i = 0, k = 0; i < buf.length; k++) {
      const size = Math.max(1, chunkSizes(k));
      p.push(buf.subarray(i, i + size));
      i += size;
    }
  p.end();
  out.stats = p.stats;
  return out;
}

const rowsOf = (r: Parsed, db: string, table: string) => r.rows.filter((x) => x.db === db && x.table === table).map((x) => x.row);
const asObjects = (t: ExpectedTable) => t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));
const messages = (r: Parsed) => r.warnings.map((w) => w.message);

/** Deterministic PRNG (mulberry32) for chunk sizes and garbage. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Parses one dump and checks it against rows.json (test/mysqldump-mariadb.test.ts has a copy for fresh dumps). */
function checkAgainstRowsJson(t: import('ava').ExecutionContext, file: string, dbs: string[]): void {
  const want = EXPECTED.filter((e) => dbs.includes(e.db));
  const keys = new Set(want.map((e) => `${e.db}.${e.table}`));
  const r = parse(readFileSync(file), { wanted: (db, table) => keys.has(`${db}.${table}`) });
  t.deepEqual(r.warnings, [], `${file}: a real dump parses without warnings`);
  for (const e of want) {
    const key = `${e.db}.${e.table}`;
    t.deepEqual(r.tables[key], e.columns, `${file}: CREATE TABLE columns of ${key}`);
    t.deepEqual(rowsOf(r, e.db, e.table), asObjects(e), `${file}: rows of ${key}`);
    t.is(r.stats.tables[key], e.rows.length, `${file}: stats.tables[${key}]`);
  }
  t.deepEqual(Object.keys(r.stats.tables).sort(), [...keys].sort(), `${file}: only wanted tables built rows`);
  t.is(
    r.stats.rows,
    want.reduce((n, e) => n + e.rows.length, 0),
  );
}

const T2 = 'CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  `name` varchar(20) DEFAULT NULL,\n  PRIMARY KEY (`id`)\n);\n';
const opts2: Partial<MysqlDumpOptions> = { defaultDb: 'd' };

// ---- (a) committed fixtures against rows.json --------------------------------

for (const [name, dbs] of Object.entries(FIXTURES)) {
  test(`fixture ${name}: every row equals rows.json`, (t) => {
    checkAgainstRowsJson(t, DUMPS + name, dbs);
  });
}

test('fixtures are in the layouts they are named after', (t) => {
  const read = (f: string) => readFileSync(DUMPS + f, 'latin1');
  const def = read('default.sql');
  t.true(def.startsWith('/*M!999999\\- enable the sandbox mode */'), 'MariaDB 10.11+ first line');
  t.regex(def, /^-- Current Database: `nova_cell0`$/m);
  t.regex(def, /^DELIMITER ;;$/m, 'a trigger in a DELIMITER block');
  t.regex(def, /^INSERT INTO `instances` VALUES\n\(/m, 'extended insert, one row per line');
  t.regex(read('complete-insert.sql'), /^INSERT INTO `instances` \(`created_at`, `updated_at`/m);
  t.is((read('skip-extended-insert.sql').match(/^INSERT INTO `instance_system_metadata` VALUES \(/gm) ?? []).length, 40);
  t.regex(read('hex-blob.sql'), /\(1,0x000102030405/);
  t.regex(def, /\(1,'\\0\x01\x02\x03/, 'without --hex-blob the blob is a quoted, escaped string');
  const all = read('all-databases.sql');
  t.regex(all, /^-- Current Database: `mysql`$/m);
  t.regex(all, /^CREATE DEFINER=`root`@`localhost` PROCEDURE `fixture_noop`\(\)$/m, '--routines');
  t.regex(all, /EVENT `fixture_event`/, '--events');
  const single = read('placement-single-db.sql');
  t.notRegex(single, /^USE /m);
  t.regex(single, /^-- Host: localhost\s+Database: placement$/m);
});

test('all-databases: every table of every schema, mysql included, parses without warnings', (t) => {
  const r = parse(readFileSync(`${DUMPS}all-databases.sql`));
  t.deepEqual(r.warnings, []);
  const root = rowsOf(r, 'mysql', 'global_priv').find((row) => row.User === 'root');
  t.truthy(root, 'mysql.global_priv has the root account');
  t.regex(String(root!.Priv), /^\{.*"access":/);
  t.is(rowsOf(r, 'nova_cell0', 'instances').length, 1);
  t.deepEqual(r.tables['nova.instances'], EXPECTED[0].columns);
});

test('placement-single-db: the header names the database; defaultDb overrides it', (t) => {
  const buf = readFileSync(`${DUMPS}placement-single-db.sql`);
  t.is(parse(buf).stats.tables['placement.allocations'], 8);
  const r = parse(buf, { defaultDb: 'placement_copy' });
  t.is(r.stats.tables['placement_copy.allocations'], 8);
  t.false('placement.allocations' in r.stats.tables);
});

// ---- (c) chunk boundaries ------------------------------------------------------

for (const name of Object.keys(FIXTURES)) {
  test(`fixture ${name}: identical results for chunks of 1, 7, 4096 and random sizes`, (t) => {
    const buf = readFileSync(DUMPS + name);
    const whole = parse(buf);
    t.true(whole.rows.length > 0);
    for (const size of [1, 7, 4096])
      t.deepEqual(
        parse(buf, {}, () => size),
        whole,
        `chunks of ${size}`,
      );
    for (const seed of [1, 2, 3]) {
      const r = rng(seed);
      t.deepEqual(
        parse(buf, {}, () => 1 + Math.floor(r() * 300)),
        whole,
        `random chunks, seed ${seed}`,
      );
    }
  });
}

test('chunk boundaries inside escapes, doubled quotes, UTF-8 and keywords', (t) => {
  const sql =
    'CREATE TABLE `t` (\n  `id` int,\n  `s` text,\n  `b` blob,\n  `x` bit(9)\n);\n' +
    "INSERT INTO `t` VALUES (1,'a\\'b''c\\\\d\\0\\n漢😀\\%\\_',_binary 'z\\0\xff',b'100000001'),(2,NULL,0x00ff,0x0101);\n" +
    "REPLACE INTO `t` VALUES (3,'dq \\\"x\\\"','','\\0\\0');\n";
  const buf = Buffer.concat([
    Buffer.from(sql.slice(0, sql.indexOf('\xff')), 'utf8'),
    Buffer.from([0xff]),
    Buffer.from(sql.slice(sql.indexOf('\xff') + 1), 'utf8'),
  ]);
  const whole = parse(buf, opts2);
  t.deepEqual(
    whole.rows.map((x) => x.row),
    [
      { id: 1, s: "a'b'c\\d\0\n漢😀\\%\\_", b: { hex: '7a00ff' }, x: 257 },
      { id: 2, s: null, b: { hex: '00ff' }, x: 257 },
      { id: 3, s: 'dq "x"', b: { hex: '' }, x: 0 },
    ],
  );
  t.deepEqual(whole.warnings, []);
  for (let size = 1; size <= 16; size++)
    t.deepEqual(
      parse(buf, opts2, () => size),
      whole,
      `chunks of ${size}`,
    );
});

// ---- (d) skipping unwanted tables --------------------------------------------

test('unwanted tables build no rows and their INSERTs are counted as skipped', (t) => {
  const buf = readFileSync(`${DUMPS}default.sql`);
  const seen = new Set<string>();
  const r = parse(buf, {
    wanted: (db, table) => {
      seen.add(`${db}.${table}`);
      return db === 'placement' && table === 'allocations';
    },
  });
  t.deepEqual(Object.keys(r.stats.tables), ['placement.allocations']);
  t.true(r.rows.every((x) => x.table === 'allocations'));
  t.is(r.rows.length, 8);
  const inserts = buf.toString('latin1').match(/^INSERT INTO /gm)!.length;
  t.is(r.stats.skippedStatements, inserts - 1);
  t.true(seen.has('nova.instance_system_metadata') && seen.has('nova_cell0.instances'), 'wanted() is asked with the right database');
});

test('skipping does not read values: malformed rows of an unwanted table cause no warning', (t) => {
  // Unbalanced parentheses, a function call, a bare word: only quotes and `;` matter when skipping.
  const sql =
    "CREATE TABLE big (a int);\nINSERT INTO big VALUES (1,'x;y'),(2,NOW(),((,'it''s \\' ; ok'),oops;\nINSERT INTO small VALUES (7);\n";
  const skipped = parse(sql, { wanted: (_db, table) => table === 'small', defaultDb: 'd', fallbackColumns: () => ['a'] });
  t.deepEqual(skipped.warnings, []);
  t.deepEqual(
    skipped.rows.map((x) => x.row),
    [{ a: 7 }],
  );
  t.is(skipped.stats.skippedStatements, 1);
  const read = parse(sql, { defaultDb: 'd', fallbackColumns: () => ['a'] });
  t.true(
    read.warnings.some((w) => /syntax error in the INSERT into d\.big/.test(w.message)),
    'the same rows, wanted, are errors',
  );
});

test('skipping a 40 MB unrelated table is fast', (t) => {
  const row =
    "('2024-03-01 10:00:00',NULL,NULL,12345,'1381aaaa-bbbb-4ccc-8ddd-000000000001','image_base_image_ref','it''s a \\'value\\' ; (x)',0)";
  const line = `INSERT INTO \`instance_system_metadata\` VALUES ${Array(5000).fill(row).join(',')};\n`;
  const buf = Buffer.from(line.repeat(Math.ceil((40 << 20) / line.length)));
  const p = new MysqlDumpParser({ wanted: (_db, table) => table !== 'instance_system_metadata', onRow: () => t.fail('no row expected') });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < buf.length; i += 1 << 16) p.push(buf.subarray(i, i + (1 << 16)));
  p.end();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  t.log(`skipped ${(buf.length / 1e6).toFixed(0)} MB in ${seconds.toFixed(2)} s (${(buf.length / 1e6 / seconds).toFixed(0)} MB/s)`);
  t.is(p.stats.skippedStatements, Math.ceil((40 << 20) / line.length));
  t.is(p.stats.warnings, 1, 'only the missing-database warning');
  t.true(seconds < 4, `40 MB skipped in ${seconds.toFixed(2)} s`);
});

// ---- (e) tailed dumps ----------------------------------------------------------

const expectedOf = (db: string, table: string) => EXPECTED.find((e) => e.db === db && e.table === table)!;
const fallback = (db: string, table: string) =>
  EXPECTED.find((e) => e.db === (db === 'nova_cell0' ? 'nova' : db) && e.table === table)?.columns;

test('tailed: a cut inside a multi-line INSERT resumes at the next statement', (t) => {
  const buf = readFileSync(`${DUMPS}default.sql`);
  const text = buf.toString('latin1');
  const ins = text.indexOf('INSERT INTO `instances` VALUES');
  const cut = ins + 700; // inside the rows of nova.instances
  const resume = text.indexOf('\n/*!40000 ALTER TABLE `instances` ENABLE KEYS */;', cut) + 1;
  const r = parse(buf.subarray(cut), { tailed: true, defaultDb: 'nova' });
  t.is(r.stats.skippedHeadBytes, resume - cut);
  t.deepEqual(
    r.warnings.map((w) => [w.message, w.offset]),
    [[`tailed dump: skipped ${resume - cut} bytes of cut statements before the first statement start`, resume - cut]],
  );
  t.deepEqual(rowsOf(r, 'nova', 'instances'), [], 'the cut statement is lost whole');
  for (const [db, table] of [
    ['nova', 'migrations'],
    ['nova', 'services'],
    ['nova_api', 'request_specs'],
    ['nova_cell0', 'instances'],
    ['placement', 'allocations'],
  ]) {
    t.deepEqual(rowsOf(r, db, table), asObjects(expectedOf(db, table)), `${db}.${table} after the cut`);
  }
});

test('tailed: an INSERT whose CREATE TABLE was cut off uses fallbackColumns', (t) => {
  const buf = readFileSync(`${DUMPS}skip-extended-insert.sql`);
  const text = buf.toString('latin1');
  const second = text.indexOf('INSERT INTO `instances` VALUES (', text.indexOf('INSERT INTO `instances` VALUES (') + 1);
  t.true(second > 0);
  const cut = second + 50;
  const asked: string[] = [];
  const r = parse(buf.subarray(cut), {
    tailed: true,
    defaultDb: 'nova',
    fallbackColumns: (db, table) => {
      asked.push(`${db}.${table}`);
      return fallback(db, table);
    },
  });
  t.deepEqual(asked, ['nova.instances'], 'asked once per statement without CREATE TABLE');
  t.deepEqual(rowsOf(r, 'nova', 'instances'), asObjects(expectedOf('nova', 'instances')).slice(2));
  t.deepEqual(rowsOf(r, 'nova', 'migrations'), asObjects(expectedOf('nova', 'migrations')));
  t.is(r.stats.skippedHeadBytes, text.indexOf('\nINSERT', cut) + 1 - cut);
  t.is(r.warnings.length, 1);

  const without = parse(buf.subarray(cut), { tailed: true, defaultDb: 'nova' });
  t.deepEqual(rowsOf(without, 'nova', 'instances'), []);
  t.true(
    messages(without).includes('no column names for nova.instances: no CREATE TABLE seen and no fallback columns; its INSERTs are skipped'),
  );
  t.deepEqual(rowsOf(without, 'nova', 'services'), asObjects(expectedOf('nova', 'services')));
});

test('tailed: wherever the cut falls, every row read is a real row, and tables after the cut are complete', (t) => {
  const real = new Map(EXPECTED.map((e) => [`${e.db}.${e.table}`, new Set(asObjects(e).map((row) => JSON.stringify(row)))]));
  // A consumer's fallback knows the nova/placement column names, not types: fixture_types (blobs) gets none.
  const names = (db: string, table: string) => (table === 'fixture_types' ? undefined : fallback(db, table));
  for (const name of ['default.sql', 'skip-extended-insert.sql']) {
    const buf = readFileSync(DUMPS + name);
    const text = buf.toString('latin1');
    const sections = EXPECTED.filter((e) => FIXTURES[name].includes(e.db)).map((e) => {
      const dbAt = text.indexOf(`-- Current Database: \`${e.db}\``);
      return { e, dbAt, createAt: text.indexOf(`CREATE TABLE \`${e.table}\``, dbAt) };
    });
    let checked = 0;
    for (let cut = 1; cut < buf.length; cut += name === 'default.sql' ? 61 : 29) {
      const r = parse(buf.subarray(cut), { tailed: true, defaultDb: 'nova', fallbackColumns: names });
      for (const x of r.rows) {
        // Rows read before the first USE / Current Database are put in defaultDb (nova), whatever schema they came from.
        const dbs = x.db === 'nova' ? FIXTURES[name] : [x.db];
        if (!dbs.some((db) => real.get(`${db}.${x.table}`)?.has(JSON.stringify(x.row)))) {
          t.fail(`${name} cut at ${cut}: unexpected row in ${x.db}.${x.table}: ${JSON.stringify(x.row).slice(0, 200)}`);
          return;
        }
      }
      for (const { e, dbAt, createAt } of sections) {
        if (dbAt >= cut && createAt > cut)
          t.is(rowsOf(r, e.db, e.table).length, e.rows.length, `${name} cut at ${cut}: ${e.db}.${e.table}`);
      }
      checked++;
    }
    t.log(`${name}: ${checked} cut offsets`);
  }
});

test('tailed: no statement start at all', (t) => {
  const r = parse("(1,'a'),\n(2,'b'),\n(3,'c');", { tailed: true });
  t.is(r.stats.skippedHeadBytes, 26);
  t.deepEqual(messages(r), ['tailed dump: no statement start found in 26 bytes; nothing read']);
});

// ---- (f) bad input ---------------------------------------------------------------

test('truncated inside a string: earlier rows kept, warning with offset and table', (t) => {
  const sql = `${T2}INSERT INTO \`t\` VALUES (1,'one'),(2,'two'),(3,'thr`;
  const r = parse(sql, opts2);
  t.deepEqual(
    r.rows.map((x) => x.row),
    [
      { id: 1, name: 'one' },
      { id: 2, name: 'two' },
    ],
  );
  t.is(r.warnings.length, 1);
  const w = r.warnings[0];
  t.like(w, { offset: Buffer.byteLength(sql), db: 'd', table: 't' });
  t.is(
    w.message,
    `dump ends inside the INSERT into d.t that started at offset ${T2.length}, in an unterminated string that started at offset ${sql.lastIndexOf("'")}: ` +
      `truncated dump? 2 complete rows of it were read; the incomplete row at offset ${sql.lastIndexOf('(')} is dropped`,
  );
});

test('truncated between rows, inside CREATE TABLE, inside a skipped INSERT, inside a comment', (t) => {
  const a = parse(`${T2}INSERT INTO \`t\` VALUES (1,'one'),`, opts2);
  t.is(a.rows.length, 1);
  t.regex(a.warnings[0].message, /^dump ends inside the INSERT into d\.t .*1 complete rows of it were read$/);
  const b = parse('CREATE TABLE `t` (\n  `id` int,', opts2);
  t.regex(
    b.warnings[0].message,
    /^dump ends inside the statement that started at offset 0 \("CREATE TABLE `t` \( `id` int,"\): truncated dump\?$/,
  );
  const c = parse(`${T2}INSERT INTO \`t\` VALUES (1,'on`, { ...opts2, wanted: () => false });
  t.deepEqual(messages(c), [
    `dump ends inside the INSERT into d.t that started at offset ${T2.length}, in an unterminated string (truncated?)`,
  ]);
  const d = parse(`${T2}/*!40101 SET NAMES`, opts2);
  t.is(d.warnings[0].message, `dump ends inside the statement that started at offset ${T2.length + 9} ("SET NAMES"): truncated dump?`);
  t.deepEqual(messages(parse(`${T2}/* a comment`, opts2)), ['dump ends inside a /* comment */: truncated dump?']);
});

test('unknown statements are reported and skipped; later rows are read', (t) => {
  const sql = `${T2}FROBNICATE \`t\` WITH 'x;y';\nINSERT INTO \`t\` VALUES (1,'a');\n`;
  const r = parse(sql, opts2);
  t.deepEqual(r.warnings, [{ message: 'unknown statement skipped: "FROBNICATE `t` WITH \'x;y\'"', offset: T2.length }]);
  t.deepEqual(
    r.rows.map((x) => x.row),
    [{ id: 1, name: 'a' }],
  );
});

test('value count differing from the columns: row skipped with a warning, others kept', (t) => {
  const ins = "INSERT INTO `t` VALUES (1,'a'),(2),(3,'c','extra'),(4,'d');\n";
  const r = parse(T2 + ins, opts2);
  t.deepEqual(
    r.rows.map((x) => x.row),
    [
      { id: 1, name: 'a' },
      { id: 4, name: 'd' },
    ],
  );
  t.deepEqual(r.warnings, [
    {
      message: `row at offset ${T2.length + ins.indexOf('(2)')} has 1 values but d.t has 2 columns; row skipped`,
      offset: T2.length + ins.indexOf('(2)'),
      db: 'd',
      table: 't',
    },
    {
      message: `row at offset ${T2.length + ins.indexOf('(3,')} has 3 values but d.t has 2 columns; row skipped`,
      offset: T2.length + ins.indexOf('(3,'),
      db: 'd',
      table: 't',
    },
  ]);
});

test('a table with unexpected columns is read by its own CREATE TABLE', (t) => {
  const sql =
    'CREATE TABLE `allocations` (\n  `id` int NOT NULL,\n  `surprise` json DEFAULT NULL,\n  `consumer_id` varchar(36) NOT NULL,\n' +
    '  `used` int NOT NULL,\n  KEY `x` (`consumer_id`),\n  CONSTRAINT `c` CHECK (`used` > 0)\n);\n' +
    "INSERT INTO `allocations` VALUES (1,'{\\\"a\\\": 1}','c0ffee',5);\n";
  const r = parse(sql, { defaultDb: 'placement' });
  t.deepEqual(r.tables, { 'placement.allocations': ['id', 'surprise', 'consumer_id', 'used'] });
  t.deepEqual(r.rows[0].row, { id: 1, surprise: '{"a": 1}', consumer_id: 'c0ffee', used: 5 });
});

test('binary garbage: no throw, no rows, gives up with a warning', (t) => {
  const r = rng(42);
  const buf = Buffer.alloc(3 << 20);
  for (let i = 0; i < buf.length; i++) buf[i] = Math.floor(r() * 256);
  for (const tailed of [false, true]) {
    const res = parse(buf, { tailed }, () => 65536);
    t.is(res.rows.length, 0);
    t.true(res.warnings.length >= 1);
    if (!tailed)
      t.true(
        res.warnings.some((w) => /not a mysqldump/.test(w.message)),
        'gave up',
      );
  }
});

test('a dump of another application: PostgreSQL is recognised, SQLite statements are reported', (t) => {
  const pg =
    "--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\nCOPY public.instances (id, uuid) FROM stdin;\n1\tabc\n\\.\nINSERT INTO public.t VALUES (1, 'x');\n";
  const a = parse(pg);
  t.deepEqual(a.rows, []);
  t.deepEqual(messages(a), ['this is a PostgreSQL dump, not a mysqldump; nothing read']);
  const sqlite = "PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCREATE TABLE t(a,b);\nINSERT INTO t VALUES(1,'x');\nCOMMIT;\n";
  const b = parse(sqlite);
  t.deepEqual(messages(b), [
    'unknown statement skipped: "PRAGMA foreign_keys=OFF"',
    'INSERT into `t` before any USE / Current Database and no defaultDb: database name is empty',
    'no column names for .t: no CREATE TABLE seen and no fallback columns; its INSERTs are skipped',
  ]);
});

test('syntax errors inside VALUES skip the rest of that statement only', (t) => {
  const ins =
    "INSERT INTO `t` VALUES (1,'a'),(2,NOW()),(3,'c');\n" +
    "INSERT INTO `t` VALUES (4,'d'x),(5,'f');\n" +
    "INSERT INTO `t` VALUES (6,'g') ON DUPLICATE KEY UPDATE name='h';\n" +
    "INSERT INTO `t` VALUES (7,'i');\n";
  const r = parse(T2 + ins, opts2);
  t.deepEqual(
    r.rows.map((x) => x.row.id),
    [1, 6, 7],
  );
  const at = (s: string) => ins.indexOf(s);
  t.deepEqual(
    r.warnings.map((w) => [w.offset - T2.length, w.message.replace(/ \(started at offset \d+\)/, ''), w.table]),
    [
      [
        at('()'),
        'syntax error in the INSERT into d.t: function call NOW(…) where a value should be; this row and the rest of the statement skipped (1 rows of it read)',
        't',
      ],
      [
        at('x)'),
        'syntax error in the INSERT into d.t: expected "," or ")" after a value, found "x"; this row and the rest of the statement skipped (0 rows of it read)',
        't',
      ],
      [
        at('ON DUP'),
        'syntax error in the INSERT into d.t: expected "," or the end of the INSERT after a row, found "O"; the rest of the statement skipped (1 rows of it read)',
        't',
      ],
    ],
  );
});

test('unrecognised bare words are kept as text with a warning', (t) => {
  const r = parse(`${T2}INSERT INTO \`t\` VALUES (1,DEFAULT);\n`, opts2);
  t.deepEqual(r.rows[0].row, { id: 1, name: 'DEFAULT' });
  t.deepEqual(messages(r), ['unrecognised value "DEFAULT" in d.t; kept as text']);
});

test('warnings are capped per table and summarised', (t) => {
  const rows = Array.from({ length: 100 }, (_, i) => `(${i})`).join(',');
  const r = parse(`${T2}INSERT INTO \`t\` VALUES ${rows};\n`, opts2);
  t.is(r.stats.warnings, 100);
  t.is(r.warnings.length, 21);
  t.like(r.warnings[20], { message: '80 more warnings like the above were not reported', db: 'd', table: 't' });
});

test('statements that change rows, INSERT … SELECT, and INSERTs before any database are reported', (t) => {
  const r = parse(
    'INSERT INTO t VALUES (1);\nUSE `d`;\n' +
      T2 +
      "DELETE FROM `t` WHERE id = 1;\nINSERT INTO `t` SELECT * FROM `u`;\nUPDATE `t` SET name = 'x';\n",
    { fallbackColumns: () => ['id'] },
  );
  t.deepEqual(messages(r), [
    'INSERT into `t` before any USE / Current Database and no defaultDb: database name is empty',
    'DELETE statement in the dump is not applied: rows are reported as inserted ("DELETE FROM `t` WHERE id = 1")',
    'INSERT statement without a VALUES list (INSERT … SELECT / SET?) not read: "INSERT INTO `t` SELECT * FROM `u`"',
    'UPDATE statement in the dump is not applied: rows are reported as inserted ("UPDATE `t` SET name = \'x\'")',
  ]);
  t.deepEqual(r.rows, [{ db: '', table: 't', row: { id: 1 } }]);
});

// ---- values, statements and layouts ---------------------------------------------

test('value literals', (t) => {
  const cases: [string, DumpValue][] = [
    ["'\\0\\'\\\"\\b\\n\\r\\t\\Z\\\\\\%\\_\\x\\é'", '\0\'"\b\n\r\t\x1a\\\\%\\_xé'],
    ["'it''s'", "it's"],
    ["''", ''],
    ["N'national'", 'national'],
    ["_utf8mb4'intro'", 'intro'],
    ["_utf8mb4 'spaced'", 'spaced'],
    ["_latin1'caf\xe9'", 'café'],
    ["_binary 'ab'", Buffer.from('ab')],
    ["X'4142'", Buffer.from('AB')],
    ["x''", Buffer.alloc(0)],
    ['0x4142', Buffer.from('AB')],
    ['0xABC', Buffer.from([0x0a, 0xbc])],
    ['_binary 0x00', Buffer.from([0])],
    ["b'101'", 5],
    ["B''", 0],
    ['NULL', null],
    ['null', null],
    ['TRUE', 1],
    ['-1', -1],
    ['+2', 2],
    ['1.50', 1.5],
    ['.5', 0.5],
    ['-1.5e-10', -1.5e-10],
    ['1E300', 1e300],
    ['9007199254740991', 9007199254740991],
    ['9007199254740993', '9007199254740993'],
    ['-9223372036854775808', '-9223372036854775808'],
    ['18446744073709551615', '18446744073709551615'],
    ['  7  ', 7],
  ];
  for (const [lit, want] of cases) {
    const buf = Buffer.concat([
      Buffer.from('INSERT INTO `t` VALUES ('),
      Buffer.from(lit, lit.includes('\xe9') && lit.startsWith('_latin1') ? 'latin1' : 'utf8'),
      Buffer.from(');'),
    ]);
    const r = parse(buf, { defaultDb: 'd', fallbackColumns: () => ['v'] });
    t.deepEqual(r.warnings, [], lit);
    t.deepEqual(r.rows[0]?.row.v, norm(want), lit);
  }
  const wide = parse("INSERT INTO `t` VALUES (b'11111111111111111111111111111111111111111111111111111111111111');", {
    defaultDb: 'd',
    fallbackColumns: () => ['v'],
  });
  t.deepEqual(wide.rows[0].row.v, { hex: '3fffffffffffffff' }, 'b-strings past 2^53 stay bytes');
});

test('BIT columns give numbers whatever the layout; binary columns give Buffers', (t) => {
  const create =
    'CREATE TABLE `t` (\n  `b1` bit(1),\n  `b64` bit(64),\n  `vb` varbinary(8),\n  `pt` point,\n  `c` char(4) CHARACTER SET binary\n);\n';
  const r = parse(
    create +
      "INSERT INTO `t` VALUES ('\x01','\\0\\0\\0\\0\\0\\0\x01\x00','a\\0','\\0\\0','x'),(_binary '',0x00000000000000ff,0x61,NULL,_binary 'y'),(b'1',0xffffffffffffffff,'',NULL,NULL);\n",
    opts2,
  );
  t.deepEqual(r.warnings, []);
  t.deepEqual(
    r.rows.map((x) => x.row),
    [
      { b1: 1, b64: 256, vb: { hex: '6100' }, pt: { hex: '0000' }, c: { hex: '78' } },
      { b1: 0, b64: 255, vb: { hex: '61' }, pt: null, c: { hex: '79' } },
      { b1: 1, b64: { hex: 'ffffffffffffffff' }, vb: { hex: '' }, pt: null, c: null },
    ],
  );
});

test('INSERT forms: REPLACE, IGNORE, qualified and ANSI-quoted names, column lists in any order', (t) => {
  const sql =
    'CREATE TABLE `t` (`a` int, `b` varchar(9));\n' +
    "INSERT IGNORE INTO `t` VALUES (1,'x');\n" +
    "REPLACE INTO `t` VALUES (2,'y');\n" +
    "INSERT LOW_PRIORITY IGNORE INTO `t` (`b`, `a`) VALUES ('z',3);\n" +
    "insert into other.t values (4,'w');\n" +
    'INSERT INTO "t" ("a") VALUE (5);\n' +
    'INSERT INTO `we``ird` VALUES(6);\n';
  const r = parse(sql, {
    defaultDb: 'd',
    fallbackColumns: (db, table) => (db === 'other' ? ['a', 'b'] : table === 'we`ird' ? ['a'] : undefined),
  });
  t.deepEqual(r.warnings, []);
  t.deepEqual(r.rows, [
    { db: 'd', table: 't', row: { a: 1, b: 'x' } },
    { db: 'd', table: 't', row: { a: 2, b: 'y' } },
    { db: 'd', table: 't', row: { b: 'z', a: 3 } },
    { db: 'other', table: 't', row: { a: 4, b: 'w' } },
    { db: 'd', table: 't', row: { a: 5 } },
    { db: 'd', table: 'we`ird', row: { a: 6 } },
  ]);
});

test('DELIMITER blocks: routines are skipped, INSERTs inside a block still read', (t) => {
  const sql =
    T2 +
    'DELIMITER ;;\n' +
    "CREATE DEFINER=`root`@`localhost` PROCEDURE `p`()\nbegin select 'a;b'; select \"c;;d\"; -- it's ;;\n select 1; end\n;;\n" +
    "/*!50003 CREATE*/ /*!50003 TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN SET @x = ';;'; END */;;\n" +
    "INSERT INTO `t` VALUES (1,'in;;block');;\n" +
    "INSERT INTO `skipme` VALUES (1,'x;;y');;\n" +
    'DELIMITER ;\n' +
    "INSERT INTO `t` VALUES (2,'after');\n";
  const r = parse(sql, { defaultDb: 'd', wanted: (_db, table) => table === 't' });
  t.deepEqual(r.warnings, []);
  t.deepEqual(
    r.rows.map((x) => x.row),
    [
      { id: 1, name: 'in;;block' },
      { id: 2, name: 'after' },
    ],
  );
  t.is(r.stats.skippedStatements, 1);
  t.is(r.stats.statements, 6);
});

test('MySQL 8.0 layout: single-line extended INSERT, _binary values, GTID and conditional comments', (t) => {
  // Shape of mysqldump 8.0 output (Distrib 8.0.3x); data made up.
  const sql = [
    '-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)',
    '--',
    '-- Host: localhost    Database: placement',
    '-- ------------------------------------------------------',
    '-- Server version\t8.0.36',
    '',
    '/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;',
    '/*!50503 SET NAMES utf8mb4 */;',
    "/*!40103 SET TIME_ZONE='+00:00' */;",
    'SET @MYSQLDUMP_TEMP_LOG_BIN = @@SESSION.SQL_LOG_BIN;',
    "/*!50717 SELECT COUNT(*) INTO @rocksdb_has_p_s_session_variables FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'performance_schema' AND TABLE_NAME = 'session_variables' */;",
    "/*!50717 SET @rocksdb_get_is_supported = IF (@rocksdb_has_p_s_session_variables, 'SELECT COUNT(*) INTO @rocksdb_bulk_load_allowed FROM performance_schema.session_variables WHERE VARIABLE_NAME=\\'rocksdb_bulk_load\\'', 'SELECT 0') */;",
    '/*!50717 PREPARE s FROM @rocksdb_get_is_supported */;',
    '/*!50717 EXECUTE s */;',
    '/*!50717 DEALLOCATE PREPARE s */;',
    'SET @@SESSION.SQL_LOG_BIN= 0;',
    "SET @@GLOBAL.GTID_PURGED=/*!80000 '+'*/ '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77';",
    '',
    'DROP TABLE IF EXISTS `consumers`;',
    '/*!40101 SET @saved_cs_client     = @@character_set_client */;',
    '/*!50503 SET character_set_client = utf8mb4 */;',
    'CREATE TABLE `consumers` (',
    '  `id` int NOT NULL AUTO_INCREMENT,',
    '  `uuid` varchar(36) CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL,',
    "  `flag` bit(1) NOT NULL DEFAULT b'0',",
    '  `token` varbinary(16) DEFAULT NULL,',
    '  PRIMARY KEY (`id`)',
    ") ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb3 /*!80016 DEFAULT ENCRYPTION='N' */;",
    '/*!40101 SET character_set_client = @saved_cs_client */;',
    'LOCK TABLES `consumers` WRITE;',
    '/*!40000 ALTER TABLE `consumers` DISABLE KEYS */;',
    "INSERT INTO `consumers` VALUES (1,'c1',_binary '\x01',_binary '\\0\\n\\Z'),(2,'c2',_binary '\\0',NULL);",
    '/*!40000 ALTER TABLE `consumers` ENABLE KEYS */;',
    'UNLOCK TABLES;',
    'SET @@SESSION.SQL_LOG_BIN = @MYSQLDUMP_TEMP_LOG_BIN;',
    '-- Dump completed on 2024-03-01 10:00:00',
    '',
  ].join('\n');
  const r = parse(sql);
  t.deepEqual(r.warnings, []);
  t.deepEqual(r.rows, [
    { db: 'placement', table: 'consumers', row: { id: 1, uuid: 'c1', flag: 1, token: { hex: '000a1a' } } },
    { db: 'placement', table: 'consumers', row: { id: 2, uuid: 'c2', flag: 0, token: null } },
  ]);
});

test('MariaDB 11 header: sandbox comment, /*M! comments, no semicolon after the sandbox line', (t) => {
  const sql = [
    '/*M!999999\\- enable the sandbox mode */ ',
    '-- MariaDB dump 10.19-11.4.5-MariaDB, for debian-linux-gnu (x86_64)',
    '/*!40101 SET NAMES utf8mb4 */;',
    '/*M!100616 SET @OLD_NOTE_VERBOSITY=@@NOTE_VERBOSITY, NOTE_VERBOSITY=0 */;',
    'USE `nova`;',
    "INSERT INTO `services` VALUES (1,'compute-0');",
    '/*M!100616 SET NOTE_VERBOSITY=@OLD_NOTE_VERBOSITY */;',
    '',
  ].join('\n');
  const r = parse(sql, { fallbackColumns: () => ['id', 'host'] });
  t.deepEqual(r.warnings, []);
  t.deepEqual(r.rows, [{ db: 'nova', table: 'services', row: { id: 1, host: 'compute-0' } }]);
  t.is(r.stats.statements, 5);
});

test('mutated dumps: never a throw, and chunking never changes the result', (t) => {
  const files = Object.keys(FIXTURES).map((f) => readFileSync(DUMPS + f));
  const r = rng(2024);
  const special = Buffer.from('\'"`\\;()*/-#\n,_0xbNULL!M');
  const opts = (tailed: boolean): Partial<MysqlDumpOptions> => ({
    tailed,
    defaultDb: 'x',
    wanted: (_db, table) => table.length % 3 !== 0,
    fallbackColumns: (_db, table) => (table.length % 2 ? ['a', 'b'] : undefined),
  });
  for (let iter = 0; iter < 300; iter++) {
    let buf = Buffer.from(files[Math.floor(r() * files.length)]);
    for (let m = Math.floor(r() * 10); m > 0; m--) {
      const pos = Math.floor(r() * buf.length);
      const kind = r();
      if (kind < 0.4) buf[pos] = r() < 0.7 ? special[Math.floor(r() * special.length)] : Math.floor(r() * 256);
      else if (kind < 0.55) buf = Buffer.concat([buf.subarray(0, pos), buf.subarray(pos + Math.floor(r() * 50))]);
      else if (kind < 0.7) {
        // A line cut short: the resynchronisation at the next line must not depend on chunking either.
        const nl = buf.indexOf(0x0a, pos);
        if (nl !== -1) buf = Buffer.concat([buf.subarray(0, pos), buf.subarray(nl)]);
      } else if (kind < 0.9)
        buf = Buffer.concat([buf.subarray(0, pos), special.subarray(m % special.length, (m % special.length) + 1), buf.subarray(pos)]);
      else buf = buf.subarray(0, pos);
    }
    const tailed = r() < 0.3;
    const input = tailed ? buf.subarray(Math.floor(r() * buf.length)) : buf;
    const whole = parse(input, opts(tailed));
    const max = 1 + Math.floor(r() * 50);
    const chunked = parse(input, opts(tailed), () => 1 + Math.floor(r() * max));
    if (JSON.stringify(whole) !== JSON.stringify(chunked)) {
      t.deepEqual(chunked, whole, `iteration ${iter}`);
      return;
    }
  }
  t.pass();
});

test('a UTF-8 byte-order mark and DELIMITER lines with trailing comments', (t) => {
  const sql =
    '\ufeff-- MySQL dump 10.13\n/*!40101 SET NAMES utf8mb4 */;\nDELIMITER $$ -- for the routine\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\nDELIMITER ;\nINSERT INTO `t` VALUES (1);\n';
  const r = parse(sql, { defaultDb: 'd', fallbackColumns: () => ['a'] });
  t.deepEqual(r.warnings, []);
  t.deepEqual(
    r.rows.map((x) => x.row),
    [{ a: 1 }],
  );
});

test('SET NAMES latin1 decodes strings as latin1', (t) => {
  const buf = Buffer.concat([
    Buffer.from("/*!40101 SET NAMES latin1 */;\nINSERT INTO `t` VALUES ('caf"),
    Buffer.from([0xe9]),
    Buffer.from("');\n"),
  ]);
  t.is(parse(buf, { defaultDb: 'd', fallbackColumns: () => ['s'] }).rows[0].row.s, 'café');
});

test('stats count statements, rows, skipped statements and bytes', (t) => {
  const sql = `${T2}INSERT INTO \`t\` VALUES (1,'a'),(2,'b');\nINSERT INTO \`u\` VALUES (1);\nUNLOCK TABLES;\n`;
  const r = parse(sql, { defaultDb: 'd', wanted: (_db, table) => table === 't' });
  t.deepEqual(r.stats, {
    bytes: Buffer.byteLength(sql),
    statements: 4,
    rows: 2,
    skippedStatements: 1,
    skippedHeadBytes: 0,
    tables: { 'd.t': 2 },
    warnings: 0,
  });
});
