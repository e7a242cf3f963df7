import test from 'ava';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContextSpill, hashKey, type SpilledMeta } from '../src/correlate/context-spill.js';
import { grown, resized } from '../src/correlate/grown.js';
import { collectGarbage, HeapGovernor } from '../src/pipeline/collect-garbage.js';
import { detached } from '../src/correlate/request-spans.js';
import { getHeapStatistics } from 'node:v8';

/** The context spill's columns, and how their memory is given back (a 1 GiB log's peak RSS depended on it). */

const line = (i: number): string =>
  `2024-10-02 08:00:${String(i % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')} 2241 DEBUG nova.scheduler.host_manager [req-${String(i).padStart(8, '0')}-aaaa-4bbb-8ccc-dddddddddddd 3f1a 9b2c - default default] Update host state from compute node: ComputeNode(cpu_allocation_ratio=16.0,host='cmp${i % 3}')`;

const meta = (i: number): SpilledMeta => ({
  role: 1,
  t: Date.UTC(2024, 9, 2, 8, 0, i % 60),
  host: `cmp${i % 3}`,
  file: `/var/log/nova/nova-scheduler.log.${i % 2}`,
  line: i + 1,
  size: 700 + i,
  requestKeys: 1,
  keys: [hashKey(`req-${String(i).padStart(8, '0')}-aaaa-4bbb-8ccc-dddddddddddd`), hashKey(`uuid-${i}`)],
});

test('read back, the spill keeps the events asked for, numbered anew in the order spilled, each with its own JSON, place, line and keys', (t) => {
  const base = mkdtempSync(join(tmpdir(), 'nf-spill-cols-'));
  try {
    // Past 64 KiB the JSON goes to the spill's file: both the held chunks and the file are read back.
    const spill = new ContextSpill({ held: 64 * 1024, dir: base });
    const n = 5000;
    for (let i = 0; i < n; i++) t.true(spill.put(JSON.stringify({ raw: line(i) }), meta(i), 10 * i + 3));
    t.is(readdirSync(base).length, 1);
    const got: number[] = [];
    spill.drain(
      (i) => i % 7 === 0 || i === n - 1,
      (i, json) => {
        // i counts the events kept; what it names is the original's.
        t.is(i, got.length);
        const orig = (spill.seqOf(i) - 3) / 10;
        got.push(orig);
        t.is(JSON.parse(json).raw, line(orig));
        t.is(spill.lineOf(i), orig + 1);
        t.is(spill.hostOf(i), `cmp${orig % 3}`);
        t.is(spill.fileOf(i), `/var/log/nova/nova-scheduler.log.${orig % 2}`);
        t.is(spill.sizeOf(i), 700 + orig);
        t.true(spill.tiedByRequest(i, new Set([hashKey(`req-${String(orig).padStart(8, '0')}-aaaa-4bbb-8ccc-dddddddddddd`)])));
        t.deepEqual([...spill.uuidHashes(i)], [hashKey(`uuid-${orig}`)]);
      },
    );
    const want = Array.from({ length: n }, (_, i) => i).filter((i) => i % 7 === 0 || i === n - 1);
    t.deepEqual(got, want);
    t.is(spill.count, want.length);
    t.is(spill.failed, undefined);
    t.deepEqual(readdirSync(base), []);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('a grown or resized table keeps its items, and the old one is given up at once (empty afterwards)', (t) => {
  const a = Float64Array.from({ length: 10_000 }, (_, i) => i * 1.5);
  const b = grown(a);
  t.is(b.length, 20_000);
  t.is(b[9_999], 9_999 * 1.5);
  t.is(b[10_000], 0);
  t.is(a.length, 0);
  t.is(a.buffer.byteLength, 0);
  const c = resized(b, 10);
  t.deepEqual([...c], [0, 1.5, 3, 4.5, 6, 7.5, 9, 10.5, 12, 13.5]);
  t.is(b.length, 0);
  const d = grown(Int32Array.of(7, 8), 5);
  t.deepEqual([...d], [7, 8, 0, 0, 0]);
});

test.serial('a phase boundary can collect garbage without --expose-gc, and leaves the global object as it was', async (t) => {
  const hadGc = typeof (globalThis as { gc?: unknown }).gc;
  let ref: WeakRef<object> | undefined;
  (() => {
    ref = new WeakRef({ big: new Array(100_000).fill('x') });
  })();
  // A WeakRef's target stays alive until the job that made it ends.
  await new Promise((r) => setImmediate(r));
  collectGarbage(Number.POSITIVE_INFINITY);
  t.not(ref?.deref(), undefined, 'a heap below the threshold is not collected');
  // deref() kept it alive for this job too.
  await new Promise((r) => setImmediate(r));
  collectGarbage(0);
  t.is(ref?.deref(), undefined);
  t.is(typeof (globalThis as { gc?: unknown }).gc, hadGc);
});

test.serial('during ingest the governor collects only past its floor and its growth over what the last collection left', async (t) => {
  const made = (): WeakRef<object> => new WeakRef({ big: new Array(100_000).fill('y') });
  let ref = made();
  await new Promise((r) => setImmediate(r));
  // Asked every 4 ticks; a floor no heap reaches: never.
  const high = new HeapGovernor(Number.POSITIVE_INFINITY, 1.5, 4);
  for (let i = 0; i < 8; i++) high.tick();
  t.not(ref.deref(), undefined);
  await new Promise((r) => setImmediate(r));
  const low = new HeapGovernor(0, 1.5, 4);
  for (let i = 0; i < 3; i++) low.tick();
  t.not(ref.deref(), undefined, 'not before its fourth tick');
  await new Promise((r) => setImmediate(r));
  low.tick();
  t.is(ref.deref(), undefined, 'the fourth collects');
  // Right after, the heap is what that collection left: no growth, no collection.
  ref = made();
  await new Promise((r) => setImmediate(r));
  for (let i = 0; i < 4; i++) low.tick();
  t.not(ref.deref(), undefined, 'no growth since, no collection');
  // A parse worker's digest stands for many events: one tick of them counts them all (analyze's `replay`).
  const digests = new HeapGovernor(0, 1.5, 4);
  ref = made();
  await new Promise((r) => setImmediate(r));
  digests.tick(3);
  t.not(ref.deref(), undefined, 'three events: not yet');
  await new Promise((r) => setImmediate(r));
  digests.tick(2);
  t.is(ref.deref(), undefined, 'five: collected');
});

test.serial('during ingest the governor collects when Buffers past its slack pile up outside the heap, whatever the heap', async (t) => {
  const piled = async (): Promise<WeakRef<Buffer>> => {
    let b: Buffer | undefined = Buffer.alloc(32 * 2 ** 20, 1);
    const ref = new WeakRef(b);
    b = undefined;
    await new Promise((r) => setImmediate(r));
    return ref;
  };
  // Its heap rule never fires (a floor no heap reaches); the slack is what is asked.
  const wide = new HeapGovernor(Number.POSITIVE_INFINITY, 1.5, 1, 2 ** 30);
  wide.tick();
  const kept = await piled();
  wide.tick();
  t.not(kept.deref(), undefined, 'within its slack: not collected');
  collectGarbage(0);
  await new Promise((r) => setImmediate(r));
  const narrow = new HeapGovernor(Number.POSITIVE_INFINITY, 1.5, 1, 16 * 2 ** 20);
  narrow.tick();
  const ref = await piled();
  narrow.tick();
  t.is(ref.deref(), undefined, '32 MiB over the least it saw: collected');
});

test('told the most it will hold, the spill grows to that at once past 65,536 events and keeps every one', (t) => {
  const spill = new ContextSpill({ rows: 70_000 });
  const n = 70_000;
  let refused = 0;
  for (let i = 0; i < n; i++) if (!spill.put(`{"raw":"${i}"}`, meta(i), i)) refused++;
  t.is(refused, 0);
  t.is(spill.count, n);
  let read = 0;
  spill.drain(
    (i) => i % 1000 === 999 || i === 65_536,
    (i, json) => {
      t.is(JSON.parse(json).raw, String(spill.seqOf(i)));
      t.is(spill.lineOf(i), spill.seqOf(i) + 1);
      read++;
    },
  );
  t.is(read, 71);
});

test.serial('a detached request id keeps only itself: 200 lines of 256 KiB are freed, the ids they were cut from stay', async (t) => {
  const ids: string[] = [];
  const heap = (): number => getHeapStatistics().used_heap_size;
  collectGarbage(0);
  const before = heap();
  (() => {
    for (let i = 0; i < 200; i++) {
      // A line of its own (a repeat of text is a flat string once sliced): the id a slice of it.
      const line =
        `${String(i).padStart(6, '0')} [None req-cb9394e4-3fd1-4f04-a119-${String(i).padStart(12, '0')} - - -] ${'x'.repeat(256 << 10)}`.slice(
          0,
        );
      const at = line.indexOf('req-');
      ids.push(detached(line.slice(at, at + 40)));
    }
  })();
  await new Promise((r) => setImmediate(r));
  collectGarbage(0);
  const grew = heap() - before;
  t.true(grew < 8 << 20, `the heap grew by ${(grew / 2 ** 20).toFixed(1)} MiB for 200 ids (the lines were 50 MiB)`);
  t.is(ids[199], 'req-cb9394e4-3fd1-4f04-a119-000000000199');
});
