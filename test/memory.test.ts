import test from 'ava';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateOsloLog } from '../bench/gen-oslo-log.js';
import { measure } from '../bench/measure.js';
import { CLI } from './helpers/cli.js';

/**
 * Memory is bounded by design: `analyze` runs in a child process with a small
 * V8 heap (--max-old-space-size) on a log it could not hold, and its peak RSS
 * (the kernel's VmHWM) is checked against the target. A store that kept every
 * ERROR line, or events that kept their whole 256 KiB chunk alive, runs out of
 * that heap or past that RSS. Time is not asserted (benchmarks do that).
 */

const HEAP_MB = 160;
const RSS_TARGET_MB = 256;

const dir = mkdtempSync(join(tmpdir(), 'nf-memory-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

test('analyze on 120,000 ERROR lines: within a 160 MiB heap and 256 MiB RSS, the lines past the cap counted and said', async (t) => {
  const log = join(dir, 'errors.log');
  const gen = generateOsloLog(log, Number.POSITIVE_INFINITY, 20260101, 'errors', 120_000);
  t.is(gen.events, 120_000);
  const out = join(dir, 'errors.json');
  const m = await measure(['node', `--max-old-space-size=${HEAP_MB}`, CLI, 'analyze', log, '--format', 'json', '--quiet', '-o', out]);
  t.is(m.code, 0, m.stderr.slice(-2000));
  t.true(m.peakRssMB <= RSS_TARGET_MB, `peak RSS ${m.peakRssMB.toFixed(0)} MiB`);
  const report = JSON.parse(readFileSync(out, 'utf8')) as {
    coverage: { events: { seen: number; retained: number; droppedAtCap: number; letGo: number } };
  };
  const { seen, retained, droppedAtCap, letGo } = report.coverage.events;
  t.is(seen, 120_000);
  t.true(droppedAtCap > 0);
  // Every line accounted for: kept, dropped past the cap, or (an error no signature names, tied to nothing) let go.
  t.is(retained + droppedAtCap + letGo, 120_000);
  t.regex(m.stderr, /events past the memory cap of the event store were not kept/);
});

test('analyze on a 96 MiB mixed log (its chunks not kept alive, its story events capped): within a 128 MiB heap and 256 MiB RSS', async (t) => {
  const log = join(dir, 'mixed.log');
  generateOsloLog(log, 96 << 20);
  // The store before its cap covered every level, with events holding their chunks, ran out of a 128 MiB heap here.
  const m = await measure(['node', '--max-old-space-size=128', CLI, 'analyze', log, '--format', 'summary', '--quiet']);
  t.is(m.code, 0, `${m.signal ?? ''} ${m.stderr.slice(-2000)}`);
  t.true(m.peakRssMB <= RSS_TARGET_MB, `peak RSS ${m.peakRssMB.toFixed(0)} MiB`);
});
