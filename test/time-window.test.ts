import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import test from 'ava';
import { generateOsloLog } from '../bench/gen-oslo-log.js';
import type { Event } from '../src/model/event.js';
import type { FileCoverage } from '../src/model/coverage.js';
import type { Report } from '../src/model/report.js';
import { readLogFile } from '../src/pipeline/read-logs.js';
import { outsideWindow, stopAfter, timeWindow, type TimeWindow } from '../src/pipeline/window.js';
import { WindowGate } from '../src/pipeline/window-gate.js';
import { headerLine } from '../src/views/tui/text.js';
import type { SourceFile } from '../src/sources/walk.js';
import { cli } from './helpers/cli.js';
import { corpus, ROOT, withShared } from './helpers/shared.js';

/**
 * `--since` / `--until`: a plain oslo.log's lines outside the window are passed over unread
 * (src/pipeline/window-gate.ts), and that must never change which events are read inside it: the
 * events a windowed read gives are exactly those a whole read gives, held to the window, with the
 * same line numbers, whatever the chunks the bytes come in.
 */

const shared = withShared();

/** A small deterministic generator, for chunk sizes. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The file's bytes in chunks of 1..max bytes (a decompressor's or a pipe's odd sizes). */
function chunked(bytes: Buffer, max: number, seed: number): Readable {
  const next = lcg(seed);
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const n = 1 + Math.floor(next() * max);
    parts.push(bytes.subarray(at, at + n));
    at += n;
  }
  return Readable.from(parts);
}

function source(path: string, stream: Readable, extra: Partial<SourceFile> = {}): SourceFile {
  return {
    input: path,
    host: 'h',
    hostSource: 'unknown',
    displayPath: path,
    relPath: 'var/log/nova/nova-compute.log',
    role: { kind: 'oslo-log', service: 'nova-compute' },
    stream,
    ...extra,
  };
}

type Seen = [line: number, ts: string, level: string, message: string, exception: string | undefined];

const seen = (e: Event): Seen => [e.line, e.ts, e.level, e.message, e.exception?.type];

async function read(
  path: string,
  stream: Readable,
  window?: TimeWindow,
  extra: Partial<SourceFile> = {},
): Promise<{ events: Seen[]; cov: FileCoverage }> {
  const events: Seen[] = [];
  const [cov] = await readLogFile(
    source(path, stream, extra),
    { window },
    (e) => events.push(seen(e)),
    () => {},
  );
  return { events, cov };
}

/** The events a whole read gives inside `w`, against those a windowed read gives in chunks. */
async function sameInside(t: import('ava').ExecutionContext, path: string, w: TimeWindow, chunk: number): Promise<FileCoverage> {
  const bytes = readFileSync(path);
  const whole = await read(path, Readable.from([bytes]));
  const expected = whole.events.filter(([, ts]) => outsideWindow(w, ts) === undefined);
  t.true(expected.length > 0, `${path}: the window holds events`);
  t.true(expected.length < whole.events.length, `${path}: the window leaves events out`);
  for (const seed of [1, 2, 3]) {
    const windowed = await read(path, chunked(bytes, chunk, seed), w);
    t.deepEqual(windowed.events, expected, `${path}, chunks up to ${chunk} bytes, seed ${seed}`);
    // Every line is counted (read or passed over): an archive member is read to its end.
    t.is(windowed.cov.lines, whole.cov.lines);
    t.is(windowed.cov.bytes, whole.cov.bytes);
    if (seed === 3) return windowed.cov;
  }
  throw new Error('unreachable');
}

test('a generated mixed log (tracebacks every few hundred lines): the same events inside the window, passed over or not', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nf-window-'));
  try {
    const log = join(dir, 'mixed.log');
    const gen = generateOsloLog(log, 3_000_000, 7, 'mixed');
    t.true(gen.tracebacks > 5);
    // The generator's clock moves 2–40 ms an event: the window is the middle sixth of the file's events.
    const ts = (await read(log, Readable.from([readFileSync(log)]))).events.map(([, x]) => x);
    const w = { since: ts[Math.floor(ts.length / 3)], until: ts[Math.floor(ts.length / 2)] };
    for (const chunk of [97, 4096, 65_536]) {
      const cov = await sameInside(t, log, w, chunk);
      // The third before the window (but the first lines, read to tell the file's format); the file spans less than the slack after it.
      t.true(cov.outsideWindow!.linesPassedOver > gen.lines / 4, `${cov.outsideWindow!.linesPassedOver} of ${gen.lines} lines passed over`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

shared('a real compute log of six days (OpenStackForensics): the same events inside a window, passed over or not', async (t) => {
  const log = corpus('OpenStackForensics', 'nova-compute.log');
  // Its builds fail on 2014-04-17 and later; the first day is periodic tasks.
  const cov = await sameInside(t, log, timeWindow('2014-04-17 00:00', '2014-04-18 12:00')!, 8192);
  t.true(cov.outsideWindow!.linesPassedOver > 1000);
  await sameInside(t, log, timeWindow('2014-04-20 06:00', undefined)!, 300);
  await sameInside(t, log, timeWindow(undefined, '2014-04-17 09:00')!, 50);
});

shared('a real live-migration compute log (os-log-merger): the same events inside a two-minute window', async (t) => {
  const log = corpus('os-log-merger', 'debug-live-migration', 'logs', 'hp-ms-01-c29', 'var', 'log', 'nova', 'nova-compute.log');
  await sameInside(t, log, timeWindow('2015-10-29 10:52:30', '2015-10-29 10:54:30')!, 211);
});

test('a file of its own stops being read past --until and its slack, and says where', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nf-window-'));
  try {
    const log = join(dir, 'quiet.log');
    // 8 MB of the quiet log span about half an hour: a minute from its start, and ten of slack, stop early.
    const gen = generateOsloLog(log, 8_000_000, 11, 'quiet');
    const w = { until: '2026-01-01T06:01:00.000' };
    const bytes = readFileSync(log);
    const whole = await read(log, Readable.from([bytes]));
    const inside = whole.events.filter(([, ts]) => ts <= w.until);
    const r = await read(log, chunked(bytes, 65_536, 5), w, { loose: true, diskPath: log });
    t.deepEqual(r.events, inside);
    const stop = r.cov.outsideWindow!.stoppedAtLine!;
    t.true(stop < gen.lines, `stopped at line ${stop} of ${gen.lines}`);
    t.is(r.cov.lines, stop);
    // Stopped after the slack, not before: every line up to until + 10 minutes was read or counted.
    const lastRead = whole.events.filter(([line]) => line <= stop).at(-1)!;
    t.true(lastRead[1] > stopAfter(w)!.slice(0, 19) || lastRead[0] === stop, 'the stop is past the slack');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the gate, one chunk at a time: lines before since passed over, the window opened at the first later line, lines numbered as read', (t) => {
  const lines = [
    '2026-01-01 05:59:59.000 1 INFO a [-] early',
    '2026-01-01 05:59:59.500 1 ERROR a [-] Traceback (most recent call last):',
    '  File "x.py", line 1, in <module>',
    '2026-01-01 06:00:00.000 1 INFO a [-] first inside',
    '2026-01-01 06:00:01.000 1 INFO a [-] second',
    '2026-01-01 06:20:00.000 1 INFO a [-] past until and slack',
    'a continuation',
    '2026-01-01 06:05:00.000 1 INFO a [-] late but after the stop',
  ];
  const bytes = Buffer.from(`${lines.join('\n')}\n`);
  const read: string[] = [];
  const passed: [number, number, string][] = [];
  let opened = 0;
  const g = new WindowGate(
    { since: '2026-01-01T06:00:00.000', until: '2026-01-01T06:01:00.000' },
    { read: (b) => read.push(b.toString()), passed: (n, l, side) => passed.push([n, l, side]), opened: () => opened++ },
  );
  // The first byte is inside a line the reader holds the start of.
  g.push(Buffer.from('tail of a held line\n'));
  for (const b of bytes) g.push(Buffer.of(b));
  g.end();
  t.is(opened, 1);
  t.is(read.join(''), `tail of a held line\n${lines.slice(3, 5).join('\n')}\n`);
  const before = passed.filter(([, , s]) => s === 'before');
  const after = passed.filter(([, , s]) => s === 'after');
  t.is(
    before.reduce((a, [, l]) => a + l, 0),
    3,
  );
  t.is(
    after.reduce((a, [, l]) => a + l, 0),
    3,
  );
  t.is(passed.reduce((a, [n]) => a + n, 0) + read.join('').length, bytes.length + 'tail of a held line\n'.length);
  t.true(g.past);
});

test('a last line without a newline is counted once, read or passed over', (t) => {
  for (const [w, side] of [
    [{ since: '2026-01-01T07:00:00.000' }, 'before'],
    [{ until: '2025-12-31T00:00:00.000' }, 'after'],
  ] as const) {
    let lines = 0;
    let bytes = 0;
    const g = new WindowGate(w, {
      read: () => {},
      passed: (n, l, s) => {
        t.is(s, side);
        bytes += n;
        lines += l;
      },
      opened: () => t.fail('never opens'),
    });
    const buf = Buffer.from('lead\n2026-01-01 06:00:00.000 1 INFO a [-] x\n2026-01-01 06:00:01');
    g.push(buf);
    g.end();
    t.is(lines, 2, JSON.stringify(w));
    // All but the lead line, which the reader holds the start of.
    t.is(bytes, buf.length - 'lead\n'.length, JSON.stringify(w));
  }
});

test('windows as typed: local times, checked', (t) => {
  t.deepEqual(timeWindow('2018-12-27 15:05', '2018-12-27T16:00:30'), {
    since: '2018-12-27T15:05:00.000',
    until: '2018-12-27T16:00:30.000',
  });
  t.is(timeWindow(undefined, undefined), undefined);
  t.throws(() => timeWindow('yesterday', undefined), { message: /not a date and time: "yesterday"/ });
  t.throws(() => timeWindow('2018-12-27 16:00', '2018-12-27 15:00'), { message: /--until .* is before --since/ });
  t.is(stopAfter({ until: '2018-12-31T23:55:00.000' }), '2019-01-01T00:05:00.000');
  // An undated event (a pasted message) is never outside; a zoned time compares by its wall clock.
  t.is(outsideWindow({ since: '2018-12-27T15:05:00.000' }, ''), undefined);
  t.is(outsideWindow({ until: '2018-12-27T15:05:00.000' }, '2018-12-27T15:05:00.000+08:00'), undefined);
  t.is(outsideWindow({ until: '2018-12-27T15:05:00.000' }, '2018-12-27T15:05:00.001'), 'after');
});

test('analyze --since/--until on the samples: the incidents inside the window, the window said in every format', async (t) => {
  const samples = join(ROOT, 'samples', 'antelope-kolla');
  const all = JSON.parse((await cli(['analyze', samples, '--format', 'json', '--quiet'])).stdout) as Report;
  const args = ['analyze', samples, '--quiet', '--since', '2024-10-02 11:00', '--until', '2024-10-02 13:30'];
  const r = JSON.parse((await cli([...args, '--format', 'json'])).stdout) as Report;
  const starts = (rep: Report) =>
    rep.incidents
      .filter((i) => i.evidence.some((e) => 'file' in e.source))
      .map((i) => `${i.kind} ${i.instanceUuid}`)
      .sort();
  // The build of app-07 (11:20) and web-01's refused migration (13:00) are inside; the orphaned allocation on
  // cmp02 (its warnings begin at 14:01) is not.
  const inside = starts(r);
  t.true(inside.includes('failed-build d778647f-85df-4fcf-8300-6203f5487c82'), inside.join(', '));
  t.true(inside.includes('cpu-incompatible-migration b9f443a7-343a-4962-9231-68e9e6bd3206'));
  t.false(inside.some((x) => x.includes('b32e5792')));
  t.true(starts(all).some((x) => x.includes('b32e5792')));
  for (const i of r.incidents)
    for (const e of i.timeline) t.true(e.ts.slice(0, 23) >= '2024-10-02T11:00' && e.ts.slice(0, 23) <= '2024-10-02T13:30:00.000', e.ts);
  const w = r.coverage.window!;
  t.is(w.since, '2024-10-02T11:00:00.000');
  // The TUI's header gives the window as the span read.
  t.regex(headerLine(r), / · window 2024-10-02 11:00 – 2024-10-02 13:30 · /);
  t.true(w.linesPassedOver > 0 && w.eventsLeftOut > 0);
  const summary = (await cli([...args, '--format', 'summary'])).stdout;
  t.regex(summary, /Window \(--since\/--until\): only the logs from 2024-10-02T11:00:00\.000 until 2024-10-02T13:30:00\.000/);
  const md = await cli([...args, '--format', 'md']);
  t.regex(md.stdout, /Window \(--since\/--until\)/);
  t.regex(md.stderr, /Window \(--since\/--until\)/, 'the coverage on stderr says it too');
  const bad = await cli(['analyze', samples, '--since', 'last tuesday']);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /not a date and time: "last tuesday"/);
  t.notRegex(bad.stderr, /at .*\.js:\d+/, 'no stack trace');
});

test('a window on a log written to disk: what was not read is said, and the rest still analysed', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nf-window-'));
  try {
    const log = join(dir, 'nova-compute.log');
    writeFileSync(
      log,
      [
        '2026-01-01 06:00:00.000 7 INFO nova.compute.manager [req-11111111-2222-3333-4444-555555555555 - - - - -] [instance: 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0] Starting instance...',
        '2026-01-01 08:00:00.000 7 INFO nova.compute.manager [-] unrelated',
        '',
      ].join('\n'),
    );
    const r = await cli(['analyze', log, '--format', 'json', '--quiet', '--since', '2026-01-01 07:00']);
    t.is(r.code, 0, r.stderr);
    const rep = JSON.parse(r.stdout) as Report;
    t.deepEqual(rep.coverage.files[0].outsideWindow, { linesPassedOver: 0, eventsLeftOut: 1 });
    t.is(rep.coverage.files[0].firstTs, '2026-01-01T08:00:00.000');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('events --since/--until passes over the same lines and prints the same events as a whole read held to the window', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nf-window-'));
  try {
    const log = join(dir, 'nova-compute.log');
    generateOsloLog(log, 2_000_000, 13, 'mixed');
    const whole = (await cli(['events', log, '--no-progress'])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Event);
    const since = whole[Math.floor(whole.length / 3)].ts;
    const until = whole[Math.floor(whole.length / 2)].ts;
    const r = await cli(['events', log, '--no-progress', '--since', since, '--until', until]);
    t.is(r.code, 0, r.stderr);
    const windowed = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Event);
    const expected = whole.filter((e) => e.ts >= since && e.ts <= until);
    t.true(expected.length > 100);
    t.deepEqual(
      windowed.map((e) => [e.line, e.ts, e.message]),
      expected.map((e) => [e.line, e.ts, e.message]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
