import { execFileSync, spawnSync } from 'node:child_process';
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Event } from '../src/model/event.js';
import type { Report } from '../src/model/report.js';
import { App } from '../src/views/tui/app.js';
import { TimelineIndex } from '../src/views/tui/timeline-index.js';

/**
 * The TUI's two figures: how long the first frame takes on the samples (the
 * real CLI in tmux, from spawn to the incident list on screen), and how long a
 * key takes to show on a whole timeline of 1,000,000 events (in process,
 * from the key to the changed frame). Targets: 1.5 s and 100 ms.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface TuiBench {
  /** Until the loading screen shows. */
  loadingFrameMs?: number;
  /** Until the incident list shows. */
  firstFrameMs?: number;
  firstFrameNote?: string;
  keys: { key: string; ms: number }[];
  indexBuildMs: number;
}

function firstFrame(): { ms?: number; loadingMs?: number; note?: string } {
  if (spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status !== 0) return { note: 'tmux not installed: first frame not measured' };
  const session = `nf-bench-${process.pid}`;
  const t0 = Date.now();
  execFileSync('tmux', [
    'new-session',
    '-d',
    '-s',
    session,
    '-x',
    '150',
    '-y',
    '40',
    '-c',
    ROOT,
    `node ${join(ROOT, 'dist', 'src', 'cli.js')} analyze samples/antelope-kolla; sleep 30`,
  ]);
  let loadingMs: number | undefined;
  try {
    while (Date.now() - t0 < 20_000) {
      const s = execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
      if (loadingMs === undefined && /reading \d+ input|reading the inputs|Incidents \(\d+\)/.test(s)) loadingMs = Date.now() - t0;
      if (/Incidents \(\d+\)/.test(s)) return { ms: Date.now() - t0, loadingMs };
      spawnSync('sleep', ['0.02']);
    }
    return { note: 'the first frame did not appear within 20 s' };
  } finally {
    spawnSync('tmux', ['kill-session', '-t', session], { stdio: 'ignore' });
  }
}

function syntheticEvents(n: number): Event[] {
  const hosts = ['ctl01.cloud.example', 'cmp01.cloud.example', 'cmp02.cloud.example'];
  const services = ['nova-conductor', 'nova-compute', 'nova-compute'] as const;
  const out: Event[] = new Array(n);
  const t0 = Date.UTC(2024, 9, 2);
  for (let i = 0; i < n; i++) {
    const h = i % 3;
    out[i] = {
      ts: new Date(t0 + i * 37).toISOString().slice(0, 23),
      host: hosts[h],
      service: services[h],
      file: `f${h}`,
      line: i + 1,
      level: i % 997 === 0 ? 'ERROR' : i % 101 === 0 ? 'WARNING' : 'INFO',
      logger: 'nova.compute.resource_tracker',
      requestId: `req-${(i % 5000).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
      message:
        i === n - 10
          ? 'needle: Instance b32e5792 is not being actively managed'
          : `Final resource view: name=${hosts[h]} phys_ram=196214MB used_ram=${i % 65536}MB`,
      raw: '',
    };
  }
  return out;
}

async function keyLatency(n: number): Promise<{ keys: { key: string; ms: number }[]; indexBuildMs: number }> {
  const events = syntheticEvents(n);
  const t0 = performance.now();
  const index = new TimelineIndex(events, new Map());
  const indexBuildMs = performance.now() - t0;
  const report = {
    schemaVersion: 1,
    generatedAt: '',
    inputs: [],
    coverage: {} as never,
    hosts: [],
    incidents: [],
    findings: [],
  } as unknown as Report;
  const r = render(
    createElement(App, {
      report,
      index,
      lookup: new Map(),
      width: 160,
      height: 45,
      color: false,
      onExport: () => '',
      initial: { screen: 'whole', row: 0 },
    }),
  );
  await new Promise((res) => setTimeout(res, 200));
  const measure = async (key: string): Promise<number> => {
    const before = r.lastFrame();
    const t = performance.now();
    r.stdin.write(key);
    while (r.lastFrame() === before && performance.now() - t < 5000) await new Promise((res) => setImmediate(res));
    return performance.now() - t;
  };
  const keys: { key: string; ms: number }[] = [];
  for (const [name, k] of [
    ['j', 'j'],
    ['G (last)', 'G'],
    ['g (first)', 'g'],
    ['Space (page)', ' '],
    ['e (next error)', 'e'],
    ['o (next of request)', 'o'],
  ] as const) {
    keys.push({ key: name, ms: await measure(k) });
  }
  // a search that walks most of the timeline
  for (const ch of '/needle') r.stdin.write(ch);
  await new Promise((res) => setTimeout(res, 100));
  const t = performance.now();
  keys.push({ key: '/needle Enter (first answer)', ms: await measure('\r') });
  while (/searching/.test(r.lastFrame() ?? '') && performance.now() - t < 10_000) await new Promise((res) => setTimeout(res, 5));
  keys.push({ key: '  … search of 1M rows done', ms: performance.now() - t });
  r.unmount();
  return { keys, indexBuildMs };
}

export async function benchTui(n = 1_000_000): Promise<TuiBench> {
  const f = firstFrame();
  const k = await keyLatency(n);
  return { loadingFrameMs: f.loadingMs, firstFrameMs: f.ms, firstFrameNote: f.note, ...k };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const b = await benchTui(Number(process.argv[2] ?? 1_000_000));
  process.stdout.write(
    `TUI on samples/antelope-kolla: loading screen after ${b.loadingFrameMs ?? '?'} ms, incident list after ${b.firstFrameMs !== undefined ? `${b.firstFrameMs} ms (target 1500)` : b.firstFrameNote}\n`,
  );
  process.stdout.write(`whole timeline of 1,000,000 events: index built in ${b.indexBuildMs.toFixed(0)} ms\n`);
  for (const k of b.keys) process.stdout.write(`  key ${k.key.padEnd(28)} ${k.ms.toFixed(1)} ms (target 100)\n`);
}
