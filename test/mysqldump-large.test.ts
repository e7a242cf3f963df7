import test from 'ava';
import { randomBytes } from 'node:crypto';
import { MAX_VALUE_BYTES, MysqlDumpParser, type DumpWarning, type MysqlDumpOptions } from '../parsers/mysqldump.js';

/** Large inputs: memory stays bounded and time linear, whatever the line length. */

const CREATE = 'CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  `name` varchar(255) DEFAULT NULL,\n  `note` text,\n  `ratio` float\n);\n';

interface Run {
  rows: number;
  warnings: DumpWarning[];
  maxRetained: number;
  seconds: number;
  parser: MysqlDumpParser;
}

function run(buf: Buffer, chunk: number, opts: Partial<MysqlDumpOptions> = {}, onRow?: MysqlDumpOptions['onRow']): Run {
  let rows = 0;
  const warnings: DumpWarning[] = [];
  const parser = new MysqlDumpParser({
    wanted: () => true,
    onRow: onRow ?? (() => rows++),
    onWarning: (w) => warnings.push(w),
    defaultDb: 'd',
    ...opts,
  });
  let maxRetained = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < buf.length; i += chunk) {
    parser.push(buf.subarray(i, i + chunk));
    maxRetained = Math.max(maxRetained, parser.retainedBytes);
  }
  parser.end();
  return { rows: onRow ? parser.stats.rows : rows, warnings, maxRetained, seconds: Number(process.hrtime.bigint() - t0) / 1e9, parser };
}

function bigInsert(targetBytes: number): { buf: Buffer; rows: number } {
  const parts: string[] = [];
  let len = 0;
  let id = 0;
  while (len < targetBytes) {
    id++;
    const row = `(${id},'instance-${id} O\\'Brien \\"漢字\\" \\\\ ${'x'.repeat(id % 40)}',${id % 5 ? 'NULL' : `'note ${id};'`},${(id % 17) / 4})`;
    parts.push(row);
    len += row.length + 1;
  }
  return { buf: Buffer.from(`${CREATE}INSERT INTO \`t\` VALUES ${parts.join(',')};\n`), rows: id };
}

test('a 20 MB single-line INSERT is read row by row: every row, bounded buffers', (t) => {
  const { buf, rows } = bigInsert(20 << 20);
  t.true(buf.length > 20 << 20);
  t.is(buf.indexOf(0x0a, CREATE.length), buf.length - 1, 'one line');
  let last: Record<string, unknown> | undefined;
  let count = 0;
  const r = run(buf, 1 << 16, {}, (_db, _table, row) => {
    count++;
    last = row;
  });
  t.deepEqual(r.warnings, []);
  t.is(count, rows);
  t.is(r.parser.stats.tables['d.t'], rows);
  t.deepEqual(last, {
    id: rows,
    name: `instance-${rows} O'Brien "漢字" \\ ${'x'.repeat(rows % 40)}`,
    note: rows % 5 ? null : `note ${rows};`,
    ratio: (rows % 17) / 4,
  });
  t.true(r.maxRetained < 1 << 20, `parser held at most ${r.maxRetained} bytes`);
  t.log(
    `${rows} rows from a ${(buf.length / 1e6).toFixed(1)} MB line in ${r.seconds.toFixed(2)} s; parser buffers peaked at ${r.maxRetained} bytes`,
  );

  const whole = run(buf, buf.length);
  t.is(whole.rows, rows, 'the same line pushed as one chunk');
  const skipped = run(buf, 1 << 16, { wanted: () => false });
  t.is(skipped.rows, 0);
  t.is(skipped.parser.stats.skippedStatements, 1);
  t.true(skipped.maxRetained < 1 << 20);
});

test('a 100 MB garbage line without a newline ends quickly, tailed or not', (t) => {
  const buf = randomBytes(100 << 20);
  for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) buf[i] = 0x20;
  const plain = run(buf, 1 << 20);
  t.is(plain.rows, 0);
  t.true(plain.warnings.some((w) => /not a mysqldump/.test(w.message)));
  t.true(plain.seconds < 5, `${plain.seconds.toFixed(2)} s`);
  t.true(plain.maxRetained < 2 << 20);

  const tailed = run(buf, 1 << 20, { tailed: true });
  t.is(tailed.parser.stats.skippedHeadBytes, buf.length);
  t.deepEqual(
    tailed.warnings.map((w) => w.message),
    [`tailed dump: no statement start found in ${buf.length} bytes; nothing read`],
  );
  t.true(tailed.seconds < 5, `${tailed.seconds.toFixed(2)} s`);
  t.log(`plain ${plain.seconds.toFixed(2)} s, tailed ${tailed.seconds.toFixed(2)} s`);
});

test('a 100 MB unterminated string in a wanted table: value capped, prior rows kept, linear time', (t) => {
  const head = Buffer.from(`${CREATE}INSERT INTO \`t\` VALUES (1,'ok',NULL,1),(2,'`);
  const body = Buffer.alloc(100 << 20, 'a');
  const r = run(Buffer.concat([head, body]), 1 << 20);
  t.is(r.rows, 1);
  t.true(r.maxRetained <= MAX_VALUE_BYTES + (2 << 20), `held ${r.maxRetained} bytes`);
  t.true(r.seconds < 10, `${r.seconds.toFixed(2)} s`);
  t.deepEqual(
    r.warnings.map((w) => w.message),
    [
      `dump ends inside the INSERT into d.t that started at offset ${CREATE.length}, in an unterminated string that started at offset ${head.length - 1}: ` +
        `truncated dump? 1 complete rows of it were read; the incomplete row at offset ${head.lastIndexOf('(')} is dropped`,
    ],
  );
});

test('a value over 16 MB drops its row with a warning; the next row is read', (t) => {
  const big = 'z'.repeat(MAX_VALUE_BYTES + 10);
  const sql = `${CREATE}INSERT INTO \`t\` VALUES (1,'a',NULL,1),(2,'${big}',NULL,2),(3,'c','\\'',3);\n`;
  const seen: unknown[] = [];
  const r = run(Buffer.from(sql), 1 << 20, {}, (_db, _t, row) => seen.push(row.id));
  t.deepEqual(seen, [1, 3]);
  t.is(r.warnings.length, 1);
  t.like(r.warnings[0], { db: 'd', table: 't', offset: sql.indexOf("'zzz") });
  t.regex(r.warnings[0].message, /^value longer than 16777216 bytes \(string at offset \d+\) in d\.t; its row is dropped$/);
  const oneChunk = run(Buffer.from(sql), sql.length, {}, () => {});
  t.is(oneChunk.rows, 2, 'also when the value lies in one chunk');
});
