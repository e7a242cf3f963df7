import {
  closeSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SEED, GEN_VERSION, ensureOsloLog, type EnsureResult } from './gen-oslo-log.js';
import { measure, run, runPipe, summariseCpuProfile, type Measurement } from './measure.js';

/**
 * `npm run bench` / `node dist/bench/run.js [options]`
 *
 *   --size-mb N          size of the generated oslo.log in MiB (default 1024)
 *   --only A[,B…]        events | gz | xz | lnav | dump | profile (repeatable;
 *                        default: all but profile)
 *   --keep               keep what this run generated in the data dir, so the
 *                        next run reuses it (files already cached are never removed)
 *   --data-dir DIR       default bench/data (git-ignored)
 *   --dump-size-mb N     size handed to the dump hook (default 512)
 *   --profile-size-mb N  size of the log `--only profile` profiles (default 200)
 *   --runs N             run each measurement N times and keep the median (default 1)
 *   --json FILE          also write the results as JSON
 *
 * Prints each measurement as it completes, then a table and the targets.
 * Targets are reported, never asserted: the exit status only says whether
 * every command ran.
 */

const MiB = 1 << 20;
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const SOS_ROOT = 'sosreport-bench-2026-01-01-abcdefg';
const TARGET_RATIO = 2.5;
const TARGET_RSS_MB = 256;

type Step = 'events' | 'gz' | 'xz' | 'lnav' | 'dump' | 'tui' | 'profile';
const STEPS: Step[] = ['events', 'gz', 'xz', 'lnav', 'dump', 'tui', 'profile'];
const DEFAULT_STEPS: Step[] = ['events', 'gz', 'xz', 'lnav', 'dump', 'tui'];

interface Options {
  sizeMB: number;
  only: Set<Step>;
  keep: boolean;
  dataDir: string;
  dumpSizeMB: number;
  profileSizeMB: number;
  runs: number;
  json?: string;
}

function usage(msg: string): never {
  process.stderr.write(
    `bench: ${msg}\nusage: node dist/bench/run.js [--size-mb N] [--only ${STEPS.join('|')}] [--keep] [--data-dir DIR] [--dump-size-mb N] [--profile-size-mb N] [--runs N] [--json FILE]\n`,
  );
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    sizeMB: 1024,
    only: new Set(),
    keep: false,
    dataDir: join(ROOT, 'bench', 'data'),
    dumpSizeMB: 512,
    profileSizeMB: 200,
    runs: 1,
  };
  const num = (name: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n <= 0) usage(`${name} wants a positive number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] =
      a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--size-mb':
        o.sizeMB = Math.round(num(flag, value()));
        break;
      case '--only':
        for (const s of (value() ?? '').split(',')) {
          if (!STEPS.includes(s as Step)) usage(`--only: unknown step "${s}"`);
          o.only.add(s as Step);
        }
        break;
      case '--keep':
        o.keep = true;
        break;
      case '--data-dir':
        o.dataDir = resolve(value() ?? usage('--data-dir wants a folder'));
        break;
      case '--dump-size-mb':
        o.dumpSizeMB = Math.round(num(flag, value()));
        break;
      case '--profile-size-mb':
        o.profileSizeMB = Math.round(num(flag, value()));
        break;
      case '--runs':
        o.runs = Math.round(num(flag, value()));
        break;
      case '--json':
        o.json = resolve(value() ?? usage('--json wants a file'));
        break;
      case '-h':
      case '--help':
        process.stdout.write(
          `usage: node dist/bench/run.js [--size-mb N] [--only ${STEPS.join('|')}] [--keep] [--data-dir DIR] [--dump-size-mb N] [--profile-size-mb N] [--runs N] [--json FILE]\n`,
        );
        process.exit(0);
        break;
      default:
        usage(`unknown option ${a}`);
    }
  }
  if (o.only.size === 0) o.only = new Set(DEFAULT_STEPS);
  return o;
}

// ───────────────────────────── results ─────────────────────────────

interface Row {
  name: string;
  /** Uncompressed log bytes the step read. */
  inputBytes: number;
  /** Size of what was handed to the command (compressed for gz/xz). */
  fileBytes?: number;
  wallSeconds?: number;
  mbPerSec?: number;
  linesPerSec?: number;
  peakRssMB?: number;
  childPeakRssMB?: number;
  cpuSeconds?: number;
  note?: string;
}

const rows: Row[] = [];
let failures = 0;

function fmt(n: number | undefined, digits = 1): string {
  return n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits);
}

function big(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '-';
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}

function say(s: string): void {
  process.stdout.write(`${s}\n`);
}

function median(ms: Measurement[]): Measurement {
  const sorted = [...ms].sort((a, b) => a.wallSeconds - b.wallSeconds);
  const m = sorted[(sorted.length - 1) >> 1];
  // RSS: the worst run, since the target is a ceiling.
  return { ...m, peakRssMB: Math.max(...ms.map((x) => x.peakRssMB)), childPeakRssMB: Math.max(...ms.map((x) => x.childPeakRssMB)) };
}

async function measured(argv: string[], runs: number, captureStdout = false): Promise<Measurement> {
  const all: Measurement[] = [];
  for (let i = 0; i < runs; i++) all.push(await measure(argv, { cwd: ROOT, captureStdout }));
  return median(all);
}

/** Sums the `lines` and `events` columns of the coverage table `events` prints on stderr. */
function coverageCounts(stderr: string): { lines: number; events: number; unparsed: number } | undefined {
  const text = stderr.split('\n');
  const at = text.findIndex((l) => l.trim() === 'Coverage');
  if (at === -1) return undefined;
  let lines = 0;
  let events = 0;
  let unparsed = 0;
  for (const l of text.slice(at + 2)) {
    if (!l.trim()) break;
    const t = l.trim().split(/\s+/);
    // … lines events folded unparsed first last (size holds a space, so count from the right)
    const numAt = (k: number): number => Number(t[t.length - k].replace(/,/g, ''));
    lines += numAt(6);
    events += numAt(5);
    unparsed += numAt(3);
  }
  return { lines, events, unparsed };
}

async function eventsStep(name: string, input: string, log: EnsureResult, o: Options): Promise<void> {
  const m = await measured(['node', CLI, 'events', input, '--no-progress'], o.runs);
  const mb = log.bytes / MiB;
  const row: Row = {
    name,
    inputBytes: log.bytes,
    fileBytes: statSync(input).size,
    wallSeconds: m.wallSeconds,
    mbPerSec: mb / m.wallSeconds,
    linesPerSec: log.lines / m.wallSeconds,
    peakRssMB: m.peakRssMB,
    childPeakRssMB: m.childPeakRssMB || undefined,
    cpuSeconds: m.cpuSeconds,
  };
  const cov = coverageCounts(m.stderr);
  const notes: string[] = [];
  if (m.code !== 0) {
    failures++;
    notes.push(`exit ${m.code ?? m.signal}`);
    process.stderr.write(m.stderr.slice(-4000));
  }
  if (cov) {
    if (cov.events !== log.events) notes.push(`${cov.events} events, generator wrote ${log.events}`);
    if (cov.lines !== log.lines) notes.push(`${cov.lines} lines read of ${log.lines}`);
    if (cov.unparsed > 0) notes.push(`${cov.unparsed} unparsed`);
  } else if (m.code === 0) notes.push('no coverage summary on stderr');
  if (notes.length) row.note = notes.join('; ');
  rows.push(row);
  const kids = m.children.map((k) => `${k.comm} ${fmt(k.peakRssMB, 0)} MiB, ${fmt(k.cpuSeconds)} s CPU`).join('; ');
  say(
    `${name}: ${fmt(mb)} MiB${row.fileBytes !== log.bytes ? ` (${fmt(row.fileBytes! / MiB)} MiB on disk)` : ''} in ${fmt(m.wallSeconds, 2)} s = ${fmt(row.mbPerSec)} MiB/s, ${big(row.linesPerSec)} lines/s, peak RSS ${fmt(m.peakRssMB, 0)} MiB, ${fmt(m.cpuSeconds)} s CPU` +
      `${kids ? ` [child: ${kids}]` : ''}${cov ? `; ${cov.events.toLocaleString('en-US')} events` : ''}${row.note ? ` — ${row.note}` : ''}`,
  );
}

// ───────────────────────────── inputs ─────────────────────────────

/** Files this run created, removed at the end unless --keep. */
const created: string[] = [];

async function ensureGz(log: EnsureResult): Promise<string> {
  const out = `${log.path}.gz`;
  if (existsSync(out)) return out;
  const t0 = Date.now();
  const tmp = `${out}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    await run(['gzip', '-1', '-c', log.path], { stdoutFd: fd });
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, out);
  created.push(out);
  say(`  gzip -1: ${fmt(statSync(out).size / MiB)} MiB in ${fmt((Date.now() - t0) / 1000)} s`);
  return out;
}

/** A sosreport-like `.tar.xz` holding the log as `SOS_ROOT/var/log/nova/nova-compute.log`. */
async function ensureXz(log: EnsureResult, dataDir: string, sizeMB: number): Promise<string> {
  const dir = join(dataDir, `sos-${sizeMB}M-s${log.seed}-v${GEN_VERSION}`);
  const out = join(dir, `${SOS_ROOT}.tar.xz`);
  if (existsSync(out)) return out;
  const t0 = Date.now();
  const fresh = !existsSync(dir);
  mkdirSync(dir, { recursive: true });
  if (fresh) created.push(dir);
  const stage = join(dir, 'stage');
  const member = join(stage, SOS_ROOT, 'var', 'log', 'nova');
  mkdirSync(member, { recursive: true });
  const target = join(member, 'nova-compute.log');
  rmSync(target, { force: true });
  try {
    linkSync(log.path, target);
  } catch {
    copyFileSync(log.path, target);
  }
  const tmp = `${out}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    await runPipe(
      ['tar', '-C', stage, '--owner=0', '--group=0', '--numeric-owner', '--mtime=2026-01-01 00:00:00', '--sort=name', '-cf', '-', SOS_ROOT],
      ['xz', '-T2', '-1', '-c'],
      fd,
    );
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    closeSync(fd);
    rmSync(stage, { recursive: true, force: true });
  }
  renameSync(tmp, out);
  if (!fresh) created.push(out);
  say(`  tar | xz -T2 -1: ${fmt(statSync(out).size / MiB)} MiB in ${fmt((Date.now() - t0) / 1000)} s`);
  return out;
}

function which(cmd: string): string | undefined {
  for (const d of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    const p = join(d, cmd);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Reads a file once so that the first measured command does not also pay for the disk. */
function warm(path: string): void {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(8 * MiB);
  try {
    while (readSync(fd, buf, 0, buf.length, null) > 0) {
      // page cache only
    }
  } finally {
    closeSync(fd);
  }
}

function bigLog(o: Options, sizeMB: number): EnsureResult {
  const log = ensureOsloLog(o.dataDir, sizeMB, DEFAULT_SEED);
  if (log.cached) warm(log.path);
  if (log.cached)
    say(
      `log: ${log.path} (cached): ${fmt(log.bytes / MiB)} MiB, ${log.lines.toLocaleString('en-US')} lines, ${log.events.toLocaleString('en-US')} events, ${log.tracebacks.toLocaleString('en-US')} tracebacks`,
    );
  else {
    created.push(log.path, `${log.path}.meta.json`);
    say(
      `log: generated ${log.path}: ${fmt(log.bytes / MiB)} MiB, ${log.lines.toLocaleString('en-US')} lines, ${log.events.toLocaleString('en-US')} events, ${log.tracebacks.toLocaleString('en-US')} tracebacks in ${fmt(log.seconds)} s (${fmt(log.bytes / MiB / log.seconds, 0)} MiB/s)`,
    );
  }
  return log;
}

// ───────────────────────────── steps ─────────────────────────────

const LNAV_QUERIES: { name: string; sql: string; note: string }[] = [
  // The comparison the target is about: lnav indexes the file (line starts, times, levels) and counts.
  { name: 'lnav (count(*) all_logs)', sql: ';SELECT count(*) FROM all_logs', note: 'messages' },
  // For context: a query that makes lnav tokenise every message body (its data scanner),
  // closer to what `events` does with each line than an index count.
  { name: 'lnav (log_msg_format)', sql: ';SELECT count(DISTINCT log_msg_format) FROM all_logs', note: 'distinct formats' },
];

async function lnavStep(log: EnsureResult, o: Options): Promise<void> {
  const lnav = which('lnav');
  if (!lnav) {
    say('lnav: lnav not installed: skipped');
    rows.push({ name: 'lnav', inputBytes: log.bytes, note: 'lnav not installed' });
    return;
  }
  // A private HOME keeps lnav's config, history and session files out of the user's.
  const home = mkdtempSync(join(tmpdir(), 'bench-lnav-'));
  try {
    for (const q of LNAV_QUERIES) {
      const all: Measurement[] = [];
      for (let i = 0; i < o.runs; i++) {
        all.push(
          await measure([lnav, '-n', '-c', q.sql, log.path], {
            cwd: ROOT,
            captureStdout: true,
            env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') },
          }),
        );
      }
      const m = median(all);
      const count = /(\d[\d,]*)\s*$/.exec((m.stdout ?? '').trim())?.[1];
      const mb = log.bytes / MiB;
      const row: Row = {
        name: q.name,
        inputBytes: log.bytes,
        fileBytes: log.bytes,
        wallSeconds: m.wallSeconds,
        mbPerSec: mb / m.wallSeconds,
        linesPerSec: log.lines / m.wallSeconds,
        peakRssMB: m.peakRssMB,
        cpuSeconds: m.cpuSeconds,
        note: m.code !== 0 ? `exit ${m.code ?? m.signal}` : count ? `${count} ${q.note}` : undefined,
      };
      if (m.code !== 0) {
        failures++;
        process.stderr.write(m.stderr.slice(-4000));
      }
      rows.push(row);
      say(
        `${q.name}: ${fmt(mb)} MiB in ${fmt(m.wallSeconds, 2)} s = ${fmt(row.mbPerSec)} MiB/s, peak RSS ${fmt(m.peakRssMB, 0)} MiB, ${fmt(m.cpuSeconds)} s CPU${count ? `; ${count} ${q.note}` : ''}`,
      );
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

interface DumpResult {
  mbPerSec: number;
  peakRssMB: number;
  rows: number;
  bytes: number;
}

async function dumpStep(o: Options): Promise<void> {
  const url = new URL('./dump.js', import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    say('dump: dist/bench/dump.js is absent (bench/dump.ts not written yet): skipped');
    rows.push({ name: `dump (${o.dumpSizeMB} MiB)`, inputBytes: o.dumpSizeMB * MiB, note: 'hook absent' });
    return;
  }
  let mod: { benchDump?: (a: { sizeMB: number; dir: string }) => Promise<DumpResult> | DumpResult };
  try {
    mod = (await import(url.href)) as typeof mod;
  } catch (e) {
    failures++;
    say(`dump: dist/bench/dump.js failed to load: ${(e as Error).message}`);
    return;
  }
  if (typeof mod.benchDump !== 'function') {
    say('dump: dist/bench/dump.js does not export benchDump({sizeMB, dir}): skipped');
    rows.push({ name: `dump (${o.dumpSizeMB} MiB)`, inputBytes: o.dumpSizeMB * MiB, note: 'no benchDump export' });
    return;
  }
  // A hook whose promise is left pending with nothing scheduled would end the process
  // silently (and lose the table): the loop running dry rejects it instead.
  let dry: (() => void) | undefined;
  const ranDry = new Promise<never>((_, reject) => {
    dry = () => reject(new Error('its promise never settled (nothing was left to run)'));
    process.once('beforeExit', dry);
  });
  try {
    const r = await Promise.race([Promise.resolve(mod.benchDump({ sizeMB: o.dumpSizeMB, dir: o.dataDir })), ranDry]);
    const mb = r.bytes / MiB;
    const wall = r.mbPerSec > 0 ? mb / r.mbPerSec : undefined;
    rows.push({
      name: 'dump (benchDump)',
      inputBytes: r.bytes,
      wallSeconds: wall,
      mbPerSec: r.mbPerSec,
      linesPerSec: wall ? r.rows / wall : undefined,
      peakRssMB: r.peakRssMB,
      note: `${r.rows.toLocaleString('en-US')} rows`,
    });
    say(
      `dump: ${fmt(mb)} MiB at ${fmt(r.mbPerSec)} MiB/s${wall ? ` (${fmt(wall, 2)} s)` : ''}, ${r.rows.toLocaleString('en-US')} rows, peak RSS ${fmt(r.peakRssMB, 0)} MiB`,
    );
  } catch (e) {
    failures++;
    say(`dump: benchDump failed: ${(e as Error).message}`);
    rows.push({ name: `dump (${o.dumpSizeMB} MiB)`, inputBytes: o.dumpSizeMB * MiB, note: 'failed' });
  } finally {
    if (dry) process.off('beforeExit', dry);
  }
}

/** The TUI's first frame on the samples (tmux) and key latency on a 1,000,000-event timeline. */
async function tuiStep(): Promise<void> {
  const { benchTui } = await import('./tui.js');
  const b = await benchTui(1_000_000);
  say(
    `tui: on samples/antelope-kolla the loading screen shows after ${b.loadingFrameMs ?? '?'} ms, the incident list after ${b.firstFrameMs !== undefined ? `${b.firstFrameMs} ms (target 1500)` : b.firstFrameNote}; 1M-event index built in ${fmt(b.indexBuildMs, 0)} ms`,
  );
  for (const k of b.keys) say(`tui:   key ${k.key.padEnd(28)} ${fmt(k.ms, 1)} ms`);
  rows.push({
    name: 'tui first frame (samples)',
    inputBytes: 0,
    wallSeconds: b.firstFrameMs !== undefined ? b.firstFrameMs / 1000 : undefined,
    note: b.firstFrameNote ?? 'target 1.5 s',
  });
  const worst = Math.max(...b.keys.filter((k) => !k.key.startsWith(' ')).map((k) => k.ms));
  rows.push({ name: 'tui worst key, 1M events', inputBytes: 0, wallSeconds: worst / 1000, note: 'target 100 ms' });
}

async function profileStep(o: Options): Promise<void> {
  const log = bigLog(o, o.profileSizeMB);
  const dir = mkdtempSync(join(tmpdir(), 'bench-prof-'));
  try {
    const m = await measure(['node', '--cpu-prof', `--cpu-prof-dir=${dir}`, CLI, 'events', log.path, '--no-progress'], { cwd: ROOT });
    if (m.code !== 0) {
      failures++;
      say(`profile: events exited ${m.code ?? m.signal}`);
      return;
    }
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) {
      failures++;
      say('profile: no .cpuprofile was written');
      return;
    }
    const s = summariseCpuProfile(join(dir, file), 20, ROOT);
    rows.push({
      name: 'events (plain, --cpu-prof)',
      inputBytes: log.bytes,
      fileBytes: log.bytes,
      wallSeconds: m.wallSeconds,
      mbPerSec: log.bytes / MiB / m.wallSeconds,
      linesPerSec: log.lines / m.wallSeconds,
      peakRssMB: m.peakRssMB,
      cpuSeconds: m.cpuSeconds,
      note: 'profiler on',
    });
    const pc = (ms: number): string => `${((100 * ms) / (s.totalMs || 1)).toFixed(1)}%`;
    say(
      `profile: events on ${fmt(log.bytes / MiB)} MiB in ${fmt(m.wallSeconds, 2)} s (${fmt(log.bytes / MiB / m.wallSeconds)} MiB/s with the profiler on); ${fmt(s.totalMs / 1000, 2)} s sampled, idle ${pc(s.idleMs)}, GC ${pc(s.gcMs)}`,
    );
    say('  top self time, by function:');
    for (const f of s.functions)
      say(`    ${f.percent.toFixed(1).padStart(5)}%  ${fmt(f.selfMs, 0).padStart(7)} ms  ${f.name}${f.where ? `  ${f.where}` : ''}`);
    say('  by file:');
    for (const f of s.files.slice(0, 12)) say(`    ${f.percent.toFixed(1).padStart(5)}%  ${fmt(f.selfMs, 0).padStart(7)} ms  ${f.name}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ───────────────────────────── report ─────────────────────────────

function table(): string {
  const head = ['measurement', 'input MiB', 'file MiB', 'wall s', 'MiB/s', 'lines/s', 'peak RSS MiB', 'child RSS MiB', 'note'];
  const body = rows.map((r) => [
    r.name,
    fmt(r.inputBytes / MiB),
    fmt(r.fileBytes === undefined ? undefined : r.fileBytes / MiB),
    fmt(r.wallSeconds, 2),
    fmt(r.mbPerSec),
    big(r.linesPerSec),
    fmt(r.peakRssMB, 0),
    fmt(r.childPeakRssMB, 0),
    r.note ?? '',
  ]);
  const all = [head, ...body];
  const w = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all
    .map((r) =>
      r
        .map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(w[i]) : c.padStart(w[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function targets(): string[] {
  const out: string[] = [];
  const ev = rows.find((r) => r.name === 'events (plain)');
  const ln = rows.find((r) => r.name === LNAV_QUERIES[0].name && r.mbPerSec !== undefined);
  if (ev?.mbPerSec && ln?.mbPerSec) {
    const ratio = ev.mbPerSec / ln.mbPerSec;
    out.push(
      `events throughput / lnav throughput: ${ratio.toFixed(2)}x (target >= ${TARGET_RATIO}x): ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}`,
    );
    const body = rows.find((r) => r.name === LNAV_QUERIES[1].name && r.mbPerSec !== undefined);
    if (body?.mbPerSec) out.push(`  (for context: events / lnav log_msg_format: ${(ev.mbPerSec / body.mbPerSec).toFixed(2)}x)`);
  } else out.push(`events throughput / lnav throughput: not measured (target >= ${TARGET_RATIO}x)`);
  for (const r of rows.filter((x) => x.name.startsWith('events') && !x.name.includes('cpu-prof') && x.peakRssMB !== undefined)) {
    const child = r.childPeakRssMB ? ` (+ ${fmt(r.childPeakRssMB, 0)} MiB in its decompressor child)` : '';
    out.push(
      `${r.name} peak RSS: ${fmt(r.peakRssMB, 0)} MiB${child} (target <= ${TARGET_RSS_MB} MiB): ${r.peakRssMB! <= TARGET_RSS_MB ? 'met' : 'NOT met'}`,
    );
  }
  return out;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const needLog = ['events', 'gz', 'xz', 'lnav'].some((s) => o.only.has(s as Step));
  if ((needLog || o.only.has('profile')) && !existsSync(CLI)) usage(`${CLI} is missing: run npm run build first`);
  say(
    `nova-forensics bench: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; steps: ${[...o.only].join(', ')}; data in ${o.dataDir}`,
  );
  mkdirSync(o.dataDir, { recursive: true });
  try {
    if (needLog) {
      const log = bigLog(o, o.sizeMB);
      if (o.only.has('events')) await eventsStep('events (plain)', log.path, log, o);
      if (o.only.has('gz')) {
        try {
          await eventsStep('events (.gz)', await ensureGz(log), log, o);
        } catch (e) {
          failures++;
          say(`gz: ${(e as Error).message}`);
        }
      }
      if (o.only.has('xz')) {
        try {
          await eventsStep('events (sos .tar.xz)', await ensureXz(log, o.dataDir, o.sizeMB), log, o);
        } catch (e) {
          failures++;
          say(`xz: ${(e as Error).message}`);
        }
      }
      if (o.only.has('lnav')) await lnavStep(log, o);
    }
    if (o.only.has('dump')) await dumpStep(o);
    if (o.only.has('tui')) await tuiStep();
    if (o.only.has('profile')) await profileStep(o);
  } finally {
    if (!o.keep) {
      for (const p of created.reverse()) rmSync(p, { recursive: true, force: true });
      if (created.length) say(`removed ${created.length} generated file(s) (--keep keeps them for the next run)`);
    }
  }

  say('');
  say(table());
  say('');
  say('Targets (reported, not asserted):');
  for (const t of targets()) say(`  ${t}`);
  say(`\nbench took ${fmt((Date.now() - started) / 1000)} s${failures ? `; ${failures} step(s) failed` : ''}`);
  if (o.json) {
    writeFileSync(
      o.json,
      `${JSON.stringify({ when: new Date().toISOString(), node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, sizeMB: o.sizeMB, rows, targets: targets() }, null, 2)}\n`,
    );
  }
  process.exitCode = failures ? 1 : 0;
}

await main();
