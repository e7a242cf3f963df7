import {
  closeSync,
  copyFileSync,
  createReadStream,
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
  writeSync,
} from 'node:fs';
import { createInterface } from 'node:readline';
import { cpus, tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SEED, ensureOsloLog, type EnsureResult, type Mix } from './gen-oslo-log.js';
import { measure, run, runPipe, summariseCpuProfile, type Measurement } from './measure.js';

/**
 * `npm run bench` / `node dist/bench/run.js [options]`
 *
 *   --size-mb A[,B…]     sizes of the generated logs in MiB (default 300,1024)
 *   --mix M[,M…]         quiet | mixed (default both): what the logs hold
 *   --only S[,S…]        events | analyze | jobs | window | instance | gz | xz | lnav | paste | errors | growth | dump |
 *                        tui | profile (repeatable; default: all but growth and profile)
 *   --keep               keep what this run generated in the data dir, so the
 *                        next run reuses it (files already cached are never removed)
 *   --data-dir DIR       default bench/data (git-ignored)
 *   --dump-size-mb N     size handed to the dump hook (default 512)
 *   --errors N           ERROR lines of the `errors` log (default 1,000,000)
 *   --growth-sizes-mb L  sizes of the mixed logs `growth` times analyze on (default 50,100,200,400)
 *   --profile-size-mb N  size of the mixed log `profile` profiles (default 200)
 *   --profile-command C  analyze | events (default analyze)
 *   --runs N             run each measurement N times and keep the median (default 1)
 *   --json FILE          also write the results as JSON
 *
 * For each mix and size: `analyze` (the main job) and `events` on the plain
 * log; `analyze` on its `.gz` and on a sosreport `.tar.xz` of it, with
 * `gzip -dc` and `xz -dc` over the same files; lnav's `count(*)` over the
 * plain log; `events` on a pasted copy of the plain log (paste mode) beside
 * `events` on the log itself. Then `analyze` on a log of ERROR lines only. Prints each
 * measurement as it completes, then a table, the ratios and the targets.
 * Targets are reported, never asserted: the exit status only says whether
 * every command ran.
 */

const MiB = 1 << 20;
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const SOS_ROOT = 'sosreport-bench-2026-01-01-abcdefg';
const TARGET_LNAV_RATIO = 0.5;
const TARGET_XZ_RATIO = 1.5;
/** time(k·x) ≤ 1.1 · k · time(x): 2.2x the time for twice the input. */
const TARGET_GROWTH = 1.1;
const TARGET_RSS_MB = 256;
/** Paste mode reads at least half as fast as an ordinary oslo log (issue 10). */
const TARGET_PASTE_RATIO = 0.5;

type Step =
  | 'events'
  | 'analyze'
  | 'jobs'
  | 'window'
  | 'instance'
  | 'gz'
  | 'xz'
  | 'lnav'
  | 'paste'
  | 'errors'
  | 'growth'
  | 'dump'
  | 'tui'
  | 'profile';
const STEPS: Step[] = [
  'events',
  'analyze',
  'jobs',
  'window',
  'instance',
  'gz',
  'xz',
  'lnav',
  'paste',
  'errors',
  'growth',
  'dump',
  'tui',
  'profile',
];
const DEFAULT_STEPS: Step[] = ['events', 'analyze', 'jobs', 'window', 'instance', 'gz', 'xz', 'lnav', 'paste', 'errors', 'dump', 'tui'];
type LogMix = 'quiet' | 'mixed';

interface Options {
  sizes: number[];
  mixes: LogMix[];
  only: Set<Step>;
  keep: boolean;
  dataDir: string;
  dumpSizeMB: number;
  errors: number;
  growthSizes: number[];
  profileSizeMB: number;
  profileCommand: 'analyze' | 'events';
  runs: number;
  json?: string;
}

const USAGE = `usage: node dist/bench/run.js [--size-mb A[,B]] [--mix quiet,mixed] [--only ${STEPS.join('|')}] [--keep] [--data-dir DIR] [--dump-size-mb N] [--errors N] [--growth-sizes-mb L] [--profile-size-mb N] [--profile-command analyze|events] [--runs N] [--json FILE]\n`;

function usage(msg: string): never {
  process.stderr.write(`bench: ${msg}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    sizes: [300, 1024],
    mixes: ['quiet', 'mixed'],
    only: new Set(),
    keep: false,
    dataDir: join(ROOT, 'bench', 'data'),
    dumpSizeMB: 512,
    errors: 1_000_000,
    growthSizes: [50, 100, 200, 400],
    profileSizeMB: 200,
    profileCommand: 'analyze',
    runs: 1,
  };
  const num = (name: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n <= 0) usage(`${name} wants a positive number`);
    return n;
  };
  const nums = (name: string, v: string | undefined): number[] => (v ?? '').split(',').map((x) => Math.round(num(name, x)));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] =
      a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--size-mb':
        o.sizes = nums(flag, value());
        break;
      case '--mix':
        o.mixes = (value() ?? '').split(',').map((m) => (m === 'quiet' || m === 'mixed' ? m : usage(`--mix: unknown mix "${m}"`)));
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
      case '--errors':
        o.errors = Math.round(num(flag, value()));
        break;
      case '--growth-sizes-mb':
        o.growthSizes = nums(flag, value());
        break;
      case '--profile-size-mb':
        o.profileSizeMB = Math.round(num(flag, value()));
        break;
      case '--profile-command': {
        const c = value();
        if (c !== 'analyze' && c !== 'events') usage('--profile-command wants analyze or events');
        o.profileCommand = c;
        break;
      }
      case '--runs':
        o.runs = Math.round(num(flag, value()));
        break;
      case '--json':
        o.json = resolve(value() ?? usage('--json wants a file'));
        break;
      case '-h':
      case '--help':
        process.stdout.write(USAGE);
        process.exit(0);
        break;
      default:
        usage(`unknown option ${a}`);
    }
  }
  if (o.only.size === 0) o.only = new Set(DEFAULT_STEPS);
  o.sizes.sort((x, y) => x - y);
  return o;
}

// ───────────────────────────── results ─────────────────────────────

interface Row {
  name: string;
  /** What was run on what, for the ratios: command (analyze, events, lnav, xz -dc…), mix, size, variant. */
  key?: { command: string; mix?: string; sizeMB?: number; variant?: string };
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

/** The command line of `events` or `analyze` on one input, its output thrown away. */
function cliArgs(command: 'events' | 'analyze', input: string, extra: readonly string[] = []): string[] {
  return command === 'events'
    ? ['node', CLI, 'events', input, '--no-progress', ...extra]
    : ['node', CLI, 'analyze', input, '--format', 'json', '--quiet', ...extra];
}

/** `events` or `analyze` on one input: throughput, RSS, CPU, and a check that every line was read. */
async function cliStep(
  command: 'events' | 'analyze',
  variant: string,
  input: string,
  log: EnsureResult,
  mix: string,
  o: Options,
  extra: readonly string[] = [],
  /** The whole log is read (every event and line counted): not so with `--since` / `--until`. */
  whole = true,
): Promise<Measurement> {
  const name = `${command} ${mix} ${fmt(log.bytes / MiB, 0)}M (${variant})`;
  const m = await measured(cliArgs(command, input, extra), o.runs);
  const mb = log.bytes / MiB;
  const row: Row = {
    name,
    key: { command, mix, sizeMB: Math.round(log.bytes / MiB), variant },
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
  if (cov && whole) {
    if (cov.events !== log.events) notes.push(`${cov.events} events, generator wrote ${log.events}`);
    if (cov.lines !== log.lines) notes.push(`${cov.lines} lines read of ${log.lines}`);
    if (cov.unparsed > 0) notes.push(`${cov.unparsed} unparsed`);
  } else if (!cov && m.code === 0) notes.push('no coverage summary on stderr');
  const dropped = /(\d+) events past the memory cap/.exec(m.stderr)?.[1];
  if (dropped) notes.push(`${Number(dropped).toLocaleString('en-US')} events past the store's cap`);
  if (notes.length) row.note = notes.join('; ');
  rows.push(row);
  const kids = m.children.map((k) => `${k.comm} ${fmt(k.peakRssMB, 0)} MiB, ${fmt(k.cpuSeconds)} s CPU`).join('; ');
  say(
    `${name}: ${fmt(mb)} MiB${row.fileBytes !== log.bytes ? ` (${fmt(row.fileBytes! / MiB)} MiB on disk)` : ''} in ${fmt(m.wallSeconds, 2)} s = ${fmt(row.mbPerSec)} MiB/s, ${big(row.linesPerSec)} lines/s, peak RSS ${fmt(m.peakRssMB, 0)} MiB, ${fmt(m.cpuSeconds)} s CPU` +
      `${kids ? ` [child: ${kids}]` : ''}${cov ? `; ${cov.events.toLocaleString('en-US')} events` : ''}${row.note ? ` — ${row.note}` : ''}`,
  );
  return m;
}

/**
 * `--since` / `--until` for the hour in the middle of the log (what a support engineer asks when the ticket
 * says when it failed): a plain log's lines outside are passed over unread, an archive's decompressed and counted.
 */
function windowArgs(log: EnsureResult): { args: string[]; what: string } {
  const first = Date.parse(`${log.firstTs.slice(0, 23).replace(' ', 'T')}Z`);
  const last = Date.parse(`${log.lastTs.slice(0, 23).replace(' ', 'T')}Z`);
  const since = first + Math.floor((last - first) / 2 / 3_600_000) * 3_600_000;
  const text = (ms: number) => new Date(ms).toISOString().slice(0, 19);
  const hours = (last - first) / 3_600_000;
  return { args: ['--since', text(since), '--until', text(since + 3_600_000)], what: `--since/--until: 1 h of ${fmt(hours, 1)} h` };
}

/**
 * `--instance` for the first instance a line names in the middle of the log (what a support engineer asks when the
 * ticket names a server): a first pass finds its requests, then a plain log's other lines are passed over unread.
 */
function instanceArgs(log: EnsureResult): { args: string[]; what: string } {
  const fd = openSync(log.path, 'r');
  const b = Buffer.alloc(1 << 20);
  const n = readSync(fd, b, 0, b.length, Math.floor(log.bytes / 2));
  closeSync(fd);
  const m = /\[instance: ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\]/.exec(b.toString('latin1', 0, n));
  if (!m) throw new Error('no instance named in the middle of the log');
  return { args: ['--instance', m[1]], what: `--instance ${m[1].slice(0, 8)}` };
}

/** `gzip -dc` or `xz -dc` over an archive, to /dev/null: the floor `analyze` on it is compared with. */
async function decompressStep(tool: 'gzip' | 'xz', file: string, log: EnsureResult, mix: string, o: Options): Promise<void> {
  const name = `${tool} -dc ${mix} ${fmt(log.bytes / MiB, 0)}M`;
  if (!which(tool)) {
    say(`${name}: ${tool} not installed: skipped`);
    return;
  }
  const m = await measured([tool, '-dc', file], o.runs);
  if (m.code !== 0) failures++;
  rows.push({
    name,
    key: { command: `${tool} -dc`, mix, sizeMB: Math.round(log.bytes / MiB) },
    inputBytes: log.bytes,
    fileBytes: statSync(file).size,
    wallSeconds: m.wallSeconds,
    mbPerSec: log.bytes / MiB / m.wallSeconds,
    linesPerSec: log.lines / m.wallSeconds,
    peakRssMB: m.peakRssMB,
    cpuSeconds: m.cpuSeconds,
    note: m.code !== 0 ? `exit ${m.code ?? m.signal}` : undefined,
  });
  say(`${name}: ${fmt(m.wallSeconds, 2)} s = ${fmt(log.bytes / MiB / m.wallSeconds)} MiB/s of log, ${fmt(m.cpuSeconds)} s CPU`);
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
async function ensureXz(log: EnsureResult, dataDir: string): Promise<string> {
  const dir = join(dataDir, `sos-${basename(log.path, '.log')}`);
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

function bigLog(o: Options, sizeMB: number, mix: Mix = 'mixed', maxEvents = Infinity): EnsureResult {
  const log = ensureOsloLog(o.dataDir, sizeMB, DEFAULT_SEED, mix, maxEvents);
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

/** lnav over the plain log; the message-reading query only where `withFormats` (it is slow, and the same on every log). */
async function lnavStep(log: EnsureResult, mix: string, o: Options, withFormats: boolean): Promise<void> {
  const lnav = which('lnav');
  if (!lnav) {
    say('lnav: lnav not installed: skipped');
    rows.push({ name: 'lnav', inputBytes: log.bytes, note: 'lnav not installed' });
    return;
  }
  // A private HOME keeps lnav's config, history and session files out of the user's.
  const home = mkdtempSync(join(tmpdir(), 'bench-lnav-'));
  try {
    for (const q of withFormats ? LNAV_QUERIES : LNAV_QUERIES.slice(0, 1)) {
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
        name: `${q.name} ${mix} ${fmt(mb, 0)}M`,
        key: { command: q.name, mix, sizeMB: Math.round(mb) },
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
        `${row.name}: ${fmt(mb)} MiB in ${fmt(m.wallSeconds, 2)} s = ${fmt(row.mbPerSec)} MiB/s, peak RSS ${fmt(m.peakRssMB, 0)} MiB, ${fmt(m.cpuSeconds)} s CPU${count ? `; ${count} ${q.note}` : ''}`,
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
  const cmd = o.profileCommand;
  try {
    const [node, ...rest] = cliArgs(cmd, log.path);
    const m = await measure([node, '--cpu-prof', `--cpu-prof-dir=${dir}`, ...rest], { cwd: ROOT });
    if (m.code !== 0) {
      failures++;
      say(`profile: ${cmd} exited ${m.code ?? m.signal}`);
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
      name: `${cmd} mixed ${fmt(log.bytes / MiB, 0)}M (plain, --cpu-prof)`,
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
      `profile: ${cmd} on ${fmt(log.bytes / MiB)} MiB in ${fmt(m.wallSeconds, 2)} s (${fmt(log.bytes / MiB / m.wallSeconds)} MiB/s with the profiler on); ${fmt(s.totalMs / 1000, 2)} s sampled, idle ${pc(s.idleMs)}, GC ${pc(s.gcMs)}`,
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

/** Where a terminal 200 columns wide cuts the pasted lines (after the indent the paste adds to each). */
const PASTE_WIDTH = 200;
const PASTE_INDENT = '    ';
const PASTE_GREP = 'var/log/nova/nova-compute.log:';

/**
 * The plain log as an operator pastes it into a ticket: `grep -r` output (the
 * file's path before each line), cut by a terminal 200 columns wide, inside a
 * Markdown code block (4 spaces before every physical line). Paste mode has
 * all three to undo on every line; the events must be the log's.
 */
async function ensurePaste(log: EnsureResult): Promise<string> {
  const out = `${log.path}.paste.txt`;
  if (existsSync(out) && statSync(out).mtimeMs >= statSync(log.path).mtimeMs) return out;
  const tmp = `${out}.part`;
  const fd = openSync(tmp, 'w');
  let pending: string[] = [];
  let bytes = 0;
  const flush = (): void => {
    const b = Buffer.from(pending.join(''));
    writeSync(fd, b);
    pending = [];
    bytes = 0;
  };
  try {
    for await (const line of createInterface({ input: createReadStream(log.path), crlfDelay: Infinity })) {
      const full = `${PASTE_GREP}${line}`;
      for (let i = 0; i === 0 || i < full.length; i += PASTE_WIDTH) {
        const piece = `${PASTE_INDENT}${full.slice(i, i + PASTE_WIDTH)}\n`;
        pending.push(piece);
        bytes += piece.length;
      }
      if (bytes >= 1 << 20) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, out);
  created.push(out);
  return out;
}

/** `events` on the pasted copy, beside `events` on the log itself in the same run: paste mode's cost. */
async function pasteStep(paste: string, log: EnsureResult, mix: string, o: Options): Promise<void> {
  const size = fmt(log.bytes / MiB, 0);
  // The oslo figure it is held to comes from this run, on the same machine state.
  if (!find('events', mix, Math.round(log.bytes / MiB), 'plain')) await cliStep('events', 'plain', log.path, log, mix, o);
  const name = `events ${mix} ${size}M (paste: grep -r, 200-col terminal wrap, 4-space indent)`;
  const m = await measured(cliArgs('events', paste), o.runs);
  const fileBytes = statSync(paste).size;
  const row: Row = {
    name,
    key: { command: 'events', mix, sizeMB: Math.round(log.bytes / MiB), variant: 'paste' },
    inputBytes: fileBytes,
    fileBytes,
    wallSeconds: m.wallSeconds,
    mbPerSec: fileBytes / MiB / m.wallSeconds,
    linesPerSec: log.lines / m.wallSeconds,
    peakRssMB: m.peakRssMB,
    cpuSeconds: m.cpuSeconds,
  };
  const notes: string[] = [];
  if (m.code !== 0) {
    failures++;
    notes.push(`exit ${m.code ?? m.signal}`);
    process.stderr.write(m.stderr.slice(-4000));
  }
  const cov = coverageCounts(m.stderr);
  if (cov && cov.events !== log.events) notes.push(`${cov.events} events, generator wrote ${log.events}`);
  if (cov && cov.unparsed > 0) notes.push(`${cov.unparsed} unparsed`);
  const format = /(paste \([^)]*\) \+ oslo)/.exec(m.stderr)?.[1];
  notes.push(format ? `read as ${format}` : 'not read as a paste');
  row.note = notes.join('; ');
  rows.push(row);
  say(
    `${name}: ${fmt(fileBytes / MiB)} MiB in ${fmt(m.wallSeconds, 2)} s = ${fmt(row.mbPerSec)} MiB/s, ${big(row.linesPerSec)} log lines/s, peak RSS ${fmt(m.peakRssMB, 0)} MiB, ${fmt(m.cpuSeconds)} s CPU${cov ? `; ${cov.events.toLocaleString('en-US')} events` : ''} — ${row.note}`,
  );
}

/** `analyze` on a log of ERROR lines only: the store's cap must hold memory whatever the level. */
async function errorsStep(o: Options): Promise<void> {
  const log = bigLog(o, 0, 'errors', o.errors);
  await cliStep('analyze', 'plain', log.path, log, `errors ${log.events.toLocaleString('en-US')} lines`, o);
}

/** `analyze` on the mixed log at growing sizes: time and RSS against the smallest. */
async function growthStep(o: Options): Promise<void> {
  const measured: { mb: number; m: Measurement }[] = [];
  for (const size of o.growthSizes) {
    const log = bigLog(o, size);
    measured.push({ mb: log.bytes / MiB, m: await cliStep('analyze', 'growth', log.path, log, 'mixed', o) });
  }
  say('growth of analyze on the mixed log:');
  say('  MiB    wall s  x size  x time  CPU s  peak RSS MiB');
  const [first] = measured;
  for (const { mb, m } of measured)
    say(
      `  ${fmt(mb, 0).padStart(4)}  ${fmt(m.wallSeconds, 2).padStart(7)}  ${fmt(mb / first.mb, 2).padStart(6)}  ${fmt(m.wallSeconds / first.m.wallSeconds, 2).padStart(6)}  ${fmt(m.cpuSeconds).padStart(5)}  ${fmt(m.peakRssMB, 0).padStart(12)}`,
    );
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

function find(command: string, mix?: string, sizeMB?: number, variant?: string): Row | undefined {
  return rows.find(
    (r) =>
      r.key?.command === command &&
      (mix === undefined || r.key.mix === mix) &&
      (sizeMB === undefined || r.key.sizeMB === sizeMB) &&
      (variant === undefined || r.key.variant === variant) &&
      r.wallSeconds !== undefined,
  );
}

const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');

function targets(o: Options): string[] {
  const out: string[] = [];
  for (const mix of o.mixes) {
    for (const size of o.sizes) {
      const a = find('analyze', mix, size, 'plain');
      const ln = find(LNAV_QUERIES[0].name, mix, size);
      if (a?.mbPerSec && ln?.mbPerSec) {
        const r = a.mbPerSec / ln.mbPerSec;
        out.push(
          `analyze / lnav count(*), ${mix} ${size} MiB: ${r.toFixed(2)}x (target >= ${TARGET_LNAV_RATIO}x): ${verdict(r >= TARGET_LNAV_RATIO)}`,
        );
      }
      const j = find('analyze', mix, size, 'plain, --jobs 2');
      if (a?.wallSeconds && j?.wallSeconds)
        out.push(
          `  analyze --jobs 2 / one process, ${mix} ${size} MiB: ${(j.wallSeconds / a.wallSeconds).toFixed(2)}x the time, peak RSS ${fmt(j.peakRssMB ?? 0, 0)} MiB + ${fmt(j.childPeakRssMB ?? 0, 0)} MiB in the worker (one process: ${fmt(a.peakRssMB ?? 0, 0)} MiB)`,
        );
      const e = find('events', mix, size, 'plain');
      if (e?.mbPerSec && ln?.mbPerSec) out.push(`  events / lnav count(*), ${mix} ${size} MiB: ${(e.mbPerSec / ln.mbPerSec).toFixed(2)}x`);
      const fmts = find(LNAV_QUERIES[1].name, mix, size);
      if (a?.mbPerSec && fmts?.mbPerSec) out.push(`  analyze / lnav log_msg_format: ${(a.mbPerSec / fmts.mbPerSec).toFixed(2)}x`);
      const ev = find('events', mix, size, 'plain');
      const pa = find('events', mix, size, 'paste');
      if (ev?.mbPerSec && pa?.mbPerSec) {
        const r = pa.mbPerSec / ev.mbPerSec;
        // MiB per CPU second as well: on a shared machine the wall clock moves with the neighbours' load.
        const cpu = ev.cpuSeconds && pa.cpuSeconds ? pa.inputBytes / pa.cpuSeconds / (ev.inputBytes / ev.cpuSeconds) : undefined;
        out.push(
          `events on a paste / on the oslo log, ${mix} ${size} MiB: ${r.toFixed(2)}x the MiB/s${cpu ? `, ${cpu.toFixed(2)}x the MiB per CPU second` : ''} (target >= ${TARGET_PASTE_RATIO}x): ${verdict(r >= TARGET_PASTE_RATIO)}`,
        );
      }
      const ax = find('analyze', mix, size, 'sos .tar.xz');
      const xz = find('xz -dc', mix, size);
      if (ax?.wallSeconds && xz?.wallSeconds) {
        const r = ax.wallSeconds / xz.wallSeconds;
        out.push(
          `analyze .tar.xz / xz -dc, ${mix} ${size} MiB: ${r.toFixed(2)}x the time (target <= ${TARGET_XZ_RATIO}x): ${verdict(r <= TARGET_XZ_RATIO)}`,
        );
      }
      const ag = find('analyze', mix, size, '.gz');
      const gz = find('gzip -dc', mix, size);
      if (ag?.wallSeconds && gz?.wallSeconds)
        out.push(`  analyze .gz / gzip -dc, ${mix} ${size} MiB: ${(ag.wallSeconds / gz.wallSeconds).toFixed(2)}x the time`);
    }
    // Growth: each size against the smallest, time and RSS at most linear.
    const [small, ...larger] = o.sizes;
    for (const size of larger) {
      const a = find('analyze', mix, small, 'plain');
      const b = find('analyze', mix, size, 'plain');
      if (!a?.wallSeconds || !b?.wallSeconds) continue;
      const k = b.inputBytes / a.inputBytes;
      const t = b.wallSeconds / a.wallSeconds;
      const cpu = a.cpuSeconds && b.cpuSeconds ? b.cpuSeconds / a.cpuSeconds : undefined;
      out.push(
        `analyze ${mix} ${small} -> ${size} MiB: ${k.toFixed(2)}x the input, ${t.toFixed(2)}x the time${cpu ? ` (${cpu.toFixed(2)}x the CPU)` : ''}, ${((b.peakRssMB ?? 0) / (a.peakRssMB || 1)).toFixed(2)}x the RSS (target: time <= ${(TARGET_GROWTH * k).toFixed(2)}x, RSS <= ${k.toFixed(2)}x): ${verdict(t <= TARGET_GROWTH * k && (b.peakRssMB ?? 0) <= k * (a.peakRssMB ?? 0))}`,
      );
    }
  }
  for (const r of rows.filter((x) => (x.key?.command === 'analyze' || x.key?.command === 'events') && x.peakRssMB !== undefined)) {
    const child = r.childPeakRssMB ? ` (+ ${fmt(r.childPeakRssMB, 0)} MiB in its largest child: decompressor or parse worker)` : '';
    out.push(
      `${r.name} peak RSS: ${fmt(r.peakRssMB, 0)} MiB${child} (target <= ${TARGET_RSS_MB} MiB): ${verdict(r.peakRssMB! <= TARGET_RSS_MB)}`,
    );
  }
  return out;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const needLog = ['events', 'analyze', 'window', 'instance', 'gz', 'xz', 'lnav', 'paste'].some((s) => o.only.has(s as Step));
  if ((needLog || ['profile', 'errors', 'growth'].some((s) => o.only.has(s as Step))) && !existsSync(CLI))
    usage(`${CLI} is missing: run npm run build first`);
  say(
    `nova-forensics bench: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; steps: ${[...o.only].join(', ')}; sizes ${o.sizes.join(', ')} MiB; logs ${o.mixes.join(', ')}; data in ${o.dataDir}`,
  );
  mkdirSync(o.dataDir, { recursive: true });
  const archive = async (what: string, make: () => Promise<string>, use: (file: string) => Promise<void>): Promise<void> => {
    try {
      await use(await make());
    } catch (e) {
      failures++;
      say(`${what}: ${(e as Error).message}`);
    }
  };
  try {
    if (needLog) {
      for (const mix of o.mixes) {
        for (const size of o.sizes) {
          const log = bigLog(o, size, mix);
          if (o.only.has('analyze')) await cliStep('analyze', 'plain', log.path, log, mix, o);
          // A parse worker beside the main process (off by default: docs/performance.md says why).
          if (o.only.has('jobs')) await cliStep('analyze', 'plain, --jobs 2', log.path, log, mix, o, ['--jobs', '2']);
          if (o.only.has('events')) await cliStep('events', 'plain', log.path, log, mix, o);
          // What a ticket names, read alone: its hour, or its server.
          for (const [step, argsOf] of [
            ['window', windowArgs],
            ['instance', instanceArgs],
          ] as const) {
            if (!o.only.has(step)) continue;
            const w = argsOf(log);
            await cliStep('analyze', `plain, ${w.what}`, log.path, log, mix, o, w.args, false);
            if (o.only.has('xz'))
              await archive(
                'xz',
                () => ensureXz(log, o.dataDir),
                (xz) => cliStep('analyze', `sos .tar.xz, ${w.what}`, xz, log, mix, o, w.args, false).then(() => {}),
              );
          }
          if (o.only.has('paste'))
            await archive(
              'paste',
              () => ensurePaste(log),
              (paste) => pasteStep(paste, log, mix, o),
            );
          if (o.only.has('lnav')) await lnavStep(log, mix, o, mix === 'mixed' && size === o.sizes[o.sizes.length - 1]);
          if (o.only.has('gz'))
            await archive(
              'gz',
              () => ensureGz(log),
              async (gz) => {
                await cliStep('analyze', '.gz', gz, log, mix, o);
                await decompressStep('gzip', gz, log, mix, o);
              },
            );
          if (o.only.has('xz'))
            await archive(
              'xz',
              () => ensureXz(log, o.dataDir),
              async (xz) => {
                await cliStep('analyze', 'sos .tar.xz', xz, log, mix, o);
                await decompressStep('xz', xz, log, mix, o);
              },
            );
        }
      }
    }
    if (o.only.has('errors')) await errorsStep(o);
    if (o.only.has('growth')) await growthStep(o);
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
  for (const t of targets(o)) say(`  ${t}`);
  say(`\nbench took ${fmt((Date.now() - started) / 1000)} s${failures ? `; ${failures} step(s) failed` : ''}`);
  if (o.json) {
    writeFileSync(
      o.json,
      `${JSON.stringify({ when: new Date().toISOString(), node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, sizes: o.sizes, mixes: o.mixes, rows, targets: targets(o) }, null, 2)}\n`,
    );
  }
  process.exitCode = failures ? 1 : 0;
}

await main();
