import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Runs one command and measures it from the outside: wall time, and peak RSS
 * from the kernel's own high-water mark (`VmHWM` in /proc/PID/status), read
 * every ~20 ms while the process lives. VmHWM only grows, so the last reading
 * before exit is the peak to within one poll. Child processes (the `xz -dc`
 * nova-forensics spawns for .xz input) are found through
 * /proc/PID/task/TID/children, or, on kernels built without it, by scanning
 * /proc for their parent pid, and their peaks are reported separately.
 *
 * Nothing here asserts a time: it measures and returns numbers.
 */

export interface ChildPeak {
  pid: number;
  comm: string;
  peakRssMB: number;
  cpuSeconds: number;
}

export interface Measurement {
  argv: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  wallSeconds: number;
  /** Peak RSS (VmHWM) of the spawned process itself, in MiB. */
  peakRssMB: number;
  /** Largest peak among its descendants seen while polling, in MiB (0 when none). */
  childPeakRssMB: number;
  children: ChildPeak[];
  /** user+system CPU of the main process at the last poll (approximate). */
  cpuSeconds: number;
  polls: number;
  stderr: string;
  stdout?: string;
}

export interface MeasureOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Keep stdout (small outputs, e.g. lnav's count); otherwise it goes to /dev/null. */
  captureStdout?: boolean;
  pollMs?: number;
  /** Look for children every this many polls (a /proc scan when the children files are missing). */
  childEvery?: number;
}

const MiB = 1 << 20;
const CAPTURE_LIMIT = 4 * MiB;
const CLK_TCK = 100;

function readStatus(pid: number): { hwmKB: number; rssKB: number; comm: string } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return undefined;
  }
  const field = (name: string): number => {
    const i = text.indexOf(`\n${name}:`);
    if (i === -1) return 0;
    return Number.parseInt(text.slice(i + name.length + 2).trimStart(), 10) || 0;
  };
  const nl = text.indexOf('\n');
  const comm = text.startsWith('Name:') ? text.slice(5, nl).trim() : '?';
  return { hwmKB: field('VmHWM'), rssKB: field('VmRSS'), comm };
}

/** utime+stime (seconds) and parent pid from /proc/PID/stat. */
function readStat(pid: number): { ppid: number; cpu: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // `pid (comm) state ppid …`: comm may hold spaces and parens, so split after the last ')'.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / CLK_TCK };
}

let childrenFiles: boolean | undefined;

function childrenOf(pids: ReadonlySet<number>): number[] {
  const out: number[] = [];
  if (childrenFiles !== false) {
    for (const pid of pids) {
      let tasks: string[];
      try {
        tasks = readdirSync(`/proc/${pid}/task`);
      } catch {
        continue;
      }
      for (const t of tasks) {
        try {
          const text = readFileSync(`/proc/${pid}/task/${t}/children`, 'latin1').trim();
          childrenFiles = true;
          if (text) for (const c of text.split(/\s+/)) out.push(Number(c));
        } catch {
          if (childrenFiles === undefined) childrenFiles = false;
        }
      }
    }
    if (childrenFiles !== false) return out;
  }
  // No CONFIG_PROC_CHILDREN: one pass over /proc, matching parent pids.
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    const c = e.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    const pid = Number(e);
    if (pids.has(pid)) continue;
    const st = readStat(pid);
    if (st && pids.has(st.ppid)) out.push(pid);
  }
  return out;
}

export function measure(argv: string[], opts: MeasureOptions = {}): Promise<Measurement> {
  const pollMs = opts.pollMs ?? 20;
  const childEvery = opts.childEvery ?? 5;
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', opts.captureStdout ? 'pipe' : 'ignore', 'pipe'],
    });
    const pid = child.pid;
    if (pid === undefined) {
      child.once('error', reject);
      return;
    }
    let stderr = '';
    let stdout = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      if (stderr.length < CAPTURE_LIMIT) stderr += d;
    });
    if (opts.captureStdout) {
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (d: string) => {
        if (stdout.length < CAPTURE_LIMIT) stdout += d;
      });
    }

    let peakKB = 0;
    let cpu = 0;
    let polls = 0;
    const tree = new Set<number>([pid]);
    const kids = new Map<number, ChildPeak>();
    const poll = (): void => {
      polls++;
      const s = readStatus(pid);
      if (s) peakKB = Math.max(peakKB, s.hwmKB, s.rssKB);
      const st = readStat(pid);
      if (st && st.cpu > 0) cpu = st.cpu;
      if (polls % childEvery === 1) {
        for (const c of childrenOf(tree)) {
          if (!kids.has(c)) {
            tree.add(c);
            kids.set(c, { pid: c, comm: readStatus(c)?.comm ?? '?', peakRssMB: 0, cpuSeconds: 0 });
          }
        }
      }
      for (const k of kids.values()) {
        const ks = readStatus(k.pid);
        if (ks) k.peakRssMB = Math.max(k.peakRssMB, Math.max(ks.hwmKB, ks.rssKB) / 1024);
        const kst = readStat(k.pid);
        if (kst && kst.cpu > 0) k.cpuSeconds = kst.cpu;
      }
    };
    poll();
    const timer = setInterval(poll, pollMs);

    child.once('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.once('close', (code, signal) => {
      clearInterval(timer);
      const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const children = [...kids.values()].filter((k) => k.peakRssMB > 0);
      resolve({
        argv,
        code,
        signal,
        wallSeconds,
        peakRssMB: peakKB / 1024,
        childPeakRssMB: children.reduce((m, k) => Math.max(m, k.peakRssMB), 0),
        children,
        cpuSeconds: cpu,
        polls,
        stderr,
        stdout: opts.captureStdout ? stdout : undefined,
      });
    });
  });
}

/** Runs a command to completion (stderr inherited); rejects on a non-zero exit. */
export function run(argv: string[], opts: { cwd?: string; stdoutFd?: number } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: opts.cwd, stdio: ['ignore', opts.stdoutFd ?? 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${argv.join(' ')}: exit ${code ?? signal}`))));
  });
}

/** `a | b > fd`, both checked. */
export function runPipe(a: string[], b: string[], stdoutFd: number, cwd?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const first = spawn(a[0], a.slice(1), { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    const second = spawn(b[0], b.slice(1), { cwd, stdio: [first.stdout!, stdoutFd, 'inherit'] });
    // The pipe now belongs to the two children; holding its read end here would only keep it open.
    first.stdout!.destroy();
    let left = 2;
    const failures: string[] = [];
    const done =
      (argv: string[]) =>
      (code: number | null, signal: NodeJS.Signals | null): void => {
        if (code !== 0) failures.push(`${argv.join(' ')}: exit ${code ?? signal}`);
        if (--left === 0) failures.length ? reject(new Error(failures.join('; '))) : resolve();
      };
    first.once('error', reject);
    second.once('error', reject);
    first.once('exit', done(a));
    second.once('exit', done(b));
  });
}

// ───────────────────────────── CPU profiles ─────────────────────────────

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileEntry {
  name: string;
  where: string;
  selfMs: number;
  /** Share of all sampled time, idle included. */
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** `(idle)`: the main thread waiting (for input, for the output to drain). */
  idleMs: number;
  gcMs: number;
  functions: ProfileEntry[];
  /** Self time per source file (or `(garbage collector)`, `(program)`…). */
  files: ProfileEntry[];
}

function shortUrl(url: string, root?: string): string {
  let u = url.replace(/^file:\/\//, '');
  if (root && u.startsWith(root)) u = u.slice(root.length).replace(/^\//, '');
  const nm = u.lastIndexOf('/node_modules/');
  if (nm !== -1) u = u.slice(nm + 1);
  return u;
}

/** Self time per function and per file of a V8 `.cpuprofile` (from `node --cpu-prof`). */
export function summariseCpuProfile(path: string, top = 15, root?: string): ProfileSummary {
  const p = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  for (const n of p.nodes) byId.set(n.id, n);
  const selfUs = new Map<number, number>();
  if (p.samples && p.timeDeltas && p.samples.length === p.timeDeltas.length) {
    // timeDeltas[i] is the time since the previous sample: charge it to the sample after it.
    for (let i = 0; i < p.samples.length; i++) {
      const dt = p.timeDeltas[i + 1] ?? 0;
      selfUs.set(p.samples[i], (selfUs.get(p.samples[i]) ?? 0) + Math.max(0, dt));
    }
  } else {
    const hits = p.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0) || 1;
    const per = (p.endTime - p.startTime) / hits;
    for (const n of p.nodes) selfUs.set(n.id, (n.hitCount ?? 0) * per);
  }
  let total = 0;
  const fn = new Map<string, ProfileEntry>();
  const file = new Map<string, ProfileEntry>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (!n || us === 0) continue;
    total += us;
    const cf = n.callFrame;
    const name = cf.functionName || (cf.url ? '(anonymous)' : '(native)');
    const url = cf.url ? shortUrl(cf.url, root) : '';
    const where = url ? `${url}:${cf.lineNumber + 1}` : '';
    const key = `${name}\u0000${where}`;
    const e = fn.get(key) ?? { name, where, selfMs: 0, percent: 0 };
    e.selfMs += us / 1000;
    fn.set(key, e);
    const fkey = url || name;
    const fe = file.get(fkey) ?? { name: fkey, where: '', selfMs: 0, percent: 0 };
    fe.selfMs += us / 1000;
    file.set(fkey, fe);
  }
  const finish = (m: Map<string, ProfileEntry>): ProfileEntry[] =>
    [...m.values()]
      .map((e) => ({ ...e, percent: total > 0 ? (100 * e.selfMs * 1000) / total : 0 }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top);
  const special = (name: string): number => file.get(name)?.selfMs ?? 0;
  return {
    totalMs: total / 1000,
    idleMs: special('(idle)'),
    gcMs: special('(garbage collector)'),
    functions: finish(fn),
    files: finish(file),
  };
}
