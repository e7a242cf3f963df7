import test from 'ava';
import { ALLOCATION_ROW_BYTES, parseAllocationsDumpInChild } from '../bench/dump.js';

/**
 * The dump reader streams inside one statement (issue 13 §3): placement's
 * allocations table as one INSERT line of 200 MiB, and a 200 MiB string value
 * inside such a line, are read in a child process whose heap is capped at
 * 64 MiB, the dump streamed into it as it is generated (no copy of it exists
 * anywhere). Peak RSS (the kernel's, from process.resourceUsage) must stay
 * under 256 MiB, and the rows must be those of the same table written as
 * INSERTs of 1,000 rows: compared by a hash of every row in order.
 */

const RSS_LIMIT_MB = 256;
const HEAP_MB = 64;
const MiB = 1 << 20;

test('a 200 MiB one-line INSERT: bounded memory, the same rows as many INSERTs', async (t) => {
  const rows = Math.round((200 * MiB) / ALLOCATION_ROW_BYTES);
  const one = await parseAllocationsDumpInChild({ rows, form: 'one-statement' }, HEAP_MB);
  const many = await parseAllocationsDumpInChild({ rows, form: 'many', rowsPerInsert: 1000 }, HEAP_MB);
  t.log(
    `one INSERT line: ${(one.bytes / MiB).toFixed(0)} MiB, ${one.rows} rows, peak RSS ${one.peakRssMB.toFixed(0)} MiB; ` +
      `INSERTs of 1,000 rows: peak RSS ${many.peakRssMB.toFixed(0)} MiB`,
  );
  t.true(one.bytes > 200 * MiB, `${one.bytes} bytes`);
  t.is(one.rows, rows);
  t.deepEqual(one.warnings, []);
  t.is(many.rows, rows);
  t.deepEqual(many.warnings, []);
  t.is(one.digest, many.digest, 'the same rows, in the same order');
  t.true(one.peakRssMB <= RSS_LIMIT_MB, `one INSERT line: peak RSS ${one.peakRssMB.toFixed(0)} MiB`);
  t.true(many.peakRssMB <= RSS_LIMIT_MB, `many INSERTs: peak RSS ${many.peakRssMB.toFixed(0)} MiB`);
});

test('a 200 MiB string value inside one INSERT line: its row is dropped with a warning, the rest read, bounded memory', async (t) => {
  const o = { rows: 60_000, hugeValueRow: 30_000, hugeValueBytes: 200 * MiB };
  const one = await parseAllocationsDumpInChild({ ...o, form: 'one-statement' }, HEAP_MB);
  const many = await parseAllocationsDumpInChild({ ...o, form: 'many', rowsPerInsert: 1000 }, HEAP_MB);
  t.log(`one INSERT line with a 200 MiB value: ${(one.bytes / MiB).toFixed(0)} MiB, peak RSS ${one.peakRssMB.toFixed(0)} MiB`);
  t.true(one.bytes > 200 * MiB);
  t.is(one.rows, o.rows - 1);
  t.is(many.rows, o.rows - 1);
  t.is(one.digest, many.digest);
  for (const r of [one, many]) {
    t.is(r.warnings.length, 1);
    t.regex(r.warnings[0], /^value longer than 16777216 bytes \(string at offset \d+\) in placement\.allocations; its row is dropped$/);
    t.true(r.peakRssMB <= RSS_LIMIT_MB, `${r.form}: peak RSS ${r.peakRssMB.toFixed(0)} MiB`);
  }
});
