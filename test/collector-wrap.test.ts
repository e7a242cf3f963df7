import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Event } from '../src/model/event.js';
import { JournalExportReader } from '../parsers/journal-export.js';
import { OsloEventParser, type OsloParseStats } from '../parsers/oslo-events.js';
import { GLIBC_ABMON } from '../parsers/month-names.data.js';
import { parseText } from './helpers/parse.js';
import { corpus, withShared } from './helpers/shared.js';

/**
 * Property: a real log, wrapped line by line in any collector's format (with
 * another program's lines in between where the format mixes programs), gives
 * back the events of the log itself: time, level, logger, request, message,
 * traceback. The wrappers are built the way each collector writes (see the
 * samples in parsers/prefixes.ts); the times are those of the lines.
 */

const test = withShared();

const LOGS = [
  { path: ['hotsos', 'openstack', 'var', 'log', 'nova', 'nova-compute.log.1.gz'], from: 0, lines: 4000 },
  { path: ['OpenStackForensics', 'nova-compute.log'], from: 0, lines: 4000 },
  {
    path: ['os-log-merger', 'debug-router-net-vm-creation', 'logs', 'controller1', 'var', 'log', 'nova', 'nova-conductor.log'],
    from: 0,
    lines: 700,
  },
];

/** The log's lines; an empty line inside a record is kept (it folds into the record), the file's last newline is not a line. */
function readLog(p: string[]): string[] {
  const buf = readFileSync(corpus(...p));
  const lines = (p[p.length - 1].endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** sfc32, seeded: the same wrapping every run. */
function rng(seed: number): () => number {
  let a = seed;
  let b = seed ^ 0x9e3779b9;
  let c = 0x243f6a88;
  let d = 1;
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

interface LineTime {
  /** ms since 1970 of the line's oslo time read as UTC (the service logs in UTC here). */
  ms: number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function osloMs(line: string, last: number): number {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{3}))?/.exec(line);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7] ? +m[7] : 0) : last;
}

type Wrapper = (line: string, t: LineTime, r: () => number) => string;

const ENGLISH = GLIBC_ABMON.en;
const usec = (_t: LineTime, r: () => number) => `${pad(Math.floor(r() * 1000), 3)}${pad(Math.floor(r() * 1000), 3)}`;
const d = (t: LineTime) => new Date(t.ms);
const hms = (t: LineTime) => `${pad(d(t).getUTCHours())}:${pad(d(t).getUTCMinutes())}:${pad(d(t).getUTCSeconds())}`;
const ymd = (t: LineTime) => `${d(t).getUTCFullYear()}-${pad(d(t).getUTCMonth() + 1)}-${pad(d(t).getUTCDate())}`;
const iso = (t: LineTime) => `${ymd(t)}T${hms(t)}.${pad(d(t).getUTCMilliseconds(), 3)}`;

function monthIn(locale: string, t: LineTime): string {
  return GLIBC_ABMON[locale][d(t).getUTCMonth()];
}

const BOOT_MS = Date.UTC(2010, 0, 1);

/** Each wrapper, and whether the format mixes programs (then another program's lines are put in between). */
const WRAPPERS: { name: string; mixed: boolean; wrap: Wrapper }[] = [
  {
    name: 'syslog rfc3164 (rsyslog, day padded with a space)',
    mixed: true,
    wrap: (l, t) => `${ENGLISH[d(t).getUTCMonth()]} ${String(d(t).getUTCDate()).padStart(2, ' ')} ${hms(t)} cmp1 nova-compute[4242]: ${l}`,
  },
  {
    name: 'journalctl short, Hungarian',
    mixed: true,
    wrap: (l, t) => `${monthIn('hu', t)} ${pad(d(t).getUTCDate())} ${hms(t)} cmp1 nova-compute[4242]: ${l}`,
  },
  {
    name: 'journalctl short-precise, Japanese',
    mixed: true,
    wrap: (l, t, r) => `${monthIn('ja', t)} ${pad(d(t).getUTCDate())} ${hms(t)}.${usec(t, r)} cmp1 nova-compute[4242]: ${l}`,
  },
  {
    name: 'journalctl short-precise, Russian',
    mixed: true,
    wrap: (l, t, r) => `${monthIn('ru', t)} ${pad(d(t).getUTCDate())} ${hms(t)}.${usec(t, r)} cmp1 devstack@n-cpu.service[4242]: ${l}`,
  },
  {
    name: 'syslog rfc3339 (rsyslog)',
    mixed: true,
    wrap: (l, t, r) => `${ymd(t)}T${hms(t)}.${usec(t, r)}+00:00 cmp1 nova_compute[4242]: ${l}`,
  },
  { name: 'journalctl short-iso (systemd < 254)', mixed: true, wrap: (l, t) => `${ymd(t)}T${hms(t)}+0000 cmp1 nova-compute[4242]: ${l}` },
  {
    name: 'syslog rfc5424',
    mixed: true,
    wrap: (l, t, r) => `<14>1 ${ymd(t)}T${hms(t)}.${usec(t, r)}Z cmp1 nova-compute 4242 - - ${l}`,
  },
  {
    name: 'journalctl short-full',
    mixed: true,
    wrap: (l, t) =>
      `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d(t).getUTCDay()]} ${ymd(t)} ${hms(t)} UTC cmp1 edpm_nova_compute.service[4242]: ${l}`,
  },
  {
    name: 'journalctl short-monotonic',
    mixed: true,
    wrap: (l, t, r) => `[${String(Math.floor((t.ms - BOOT_MS) / 1000)).padStart(5, ' ')}.${usec(t, r)}] cmp1 nova-compute[4242]: ${l}`,
  },
  {
    name: 'journalctl short-unix',
    mixed: true,
    wrap: (l, t, r) => `${Math.floor(t.ms / 1000)}.${usec(t, r)} cmp1 nova-compute[4242]: ${l}`,
  },
  {
    name: 'journalctl -o json',
    mixed: true,
    wrap: (l, t) =>
      JSON.stringify({
        __REALTIME_TIMESTAMP: String(t.ms * 1000),
        _HOSTNAME: 'cmp1',
        SYSLOG_IDENTIFIER: 'nova-compute',
        _PID: '4242',
        MESSAGE: l,
        _SYSTEMD_UNIT: 'nova-compute.service',
      }),
  },
  {
    name: 'journalctl -o json-seq, bytes for the message',
    mixed: true,
    wrap: (l, t) =>
      `\x1e${JSON.stringify({ MESSAGE: [...Buffer.from(l)], _PID: '4242', SYSLOG_IDENTIFIER: 'nova-compute', __REALTIME_TIMESTAMP: String(t.ms * 1000) })}`,
  },
  { name: 'zuul job-output', mixed: true, wrap: (l, t, r) => `${ymd(t)} ${hms(t)}.${usec(t, r)} | compute1 | ${l}` },
  { name: 'kubectl logs --prefix', mixed: false, wrap: (l) => `[pod/nova-compute-0/nova-compute] ${l}` },
  {
    name: 'kubectl logs --prefix --timestamps',
    mixed: false,
    wrap: (l, t, r) => `[pod/nova-compute-0/nova-compute] ${iso(t)}${usec(t, r)}Z ${l}`,
  },
  { name: 'docker logs -t', mixed: false, wrap: (l, t, r) => `${iso(t)}${usec(t, r)}Z ${l}` },
  { name: 'podman logs -t', mixed: false, wrap: (l, t, r) => `${iso(t)}${usec(t, r)}+00:00 ${l}` },
];

/** Another program's lines a journal or syslog holds between nova's. */
function foreignLine(name: string, t: LineTime, r: () => number): string {
  const base = WRAPPERS.find((w) => w.name === name)!;
  const line = base.wrap('x', t, r);
  const other = r() < 0.5 ? 'kernel' : 'sshd';
  const msg =
    other === 'kernel'
      ? 'IPv6: ADDRCONF(NETDEV_CHANGE): tap1: link becomes ready'
      : 'Accepted publickey for stack from 10.0.0.1 port 50000 ssh2';
  if (name.startsWith('journalctl -o json'))
    return JSON.stringify({ __REALTIME_TIMESTAMP: String(t.ms * 1000), SYSLOG_IDENTIFIER: other, MESSAGE: msg });
  if (name === 'zuul job-output') return `${line.slice(0, line.indexOf(' | '))} | TASK [devstack : run stack.sh]`;
  if (name === 'syslog rfc5424') return line.replace(' nova-compute 4242 - - x', ` ${other} - - - ${msg}`);
  return line.replace(/ \S+\[4242\]: x$/, ` ${other}: ${msg}`);
}

/** The first event that differs, with its index, rather than two arrays of thousands. */
function sameEvents(
  t: import('ava').ExecutionContext,
  actual: ReturnType<typeof gist>[],
  expected: ReturnType<typeof gist>[],
  what: string,
): void {
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (JSON.stringify(actual[i]) !== JSON.stringify(expected[i])) {
      t.deepEqual(actual[i], expected[i], `${what}: event ${i} of ${expected.length} (got ${actual.length})`);
      return;
    }
  }
  t.pass();
}

function gist(e: Event) {
  return {
    ts: e.ts,
    level: e.level,
    logger: e.logger,
    requestId: e.requestId,
    instanceUuid: e.instanceUuid,
    message: e.message,
    traceback: e.traceback,
    exception: e.exception?.type,
  };
}

for (const log of LOGS) {
  test(`${log.path.join('/')}: wrapped in each collector's format, the same events come back`, (t) => {
    const lines = readLog(log.path).slice(log.from, log.from + log.lines);
    const reference = parseText(`${lines.join('\n')}\n`).events.map(gist);
    t.true(reference.length > 100);
    t.true(reference.some((e) => e.traceback && e.traceback.length > 3));
    WRAPPERS.forEach((w, k) => {
      const r = rng(20260101 + k);
      const out: string[] = [];
      let foreign = 0;
      let last = 0;
      for (const line of lines) {
        last = osloMs(line, last);
        if (w.mixed && r() < 0.05) {
          out.push(foreignLine(w.name, { ms: last }, r));
          foreign++;
        }
        out.push(w.wrap(line, { ms: last }, r));
      }
      const { events, stats } = parseText(`${out.join('\n')}\n`, { collected: { year: 2030, month: 1 } });
      // Another program's line is an event of that program; the CI executor's own banner is no one's.
      const others = events.filter((e) => e.service === 'kernel' || e.service === 'sshd');
      sameEvents(t, events.filter((e) => !others.includes(e)).map(gist), reference, w.name);
      t.is(stats.unparsedLines, 0, w.name);
      if (w.name === 'zuul job-output') t.is(stats.foreignLines, foreign, w.name);
      else {
        t.is(others.length, foreign, w.name);
        t.true(
          others.every((e) => e.ts !== '' && e.level === 'INFO' && !e.traceback),
          w.name,
        );
      }
    });
  });

  test(`${log.path.join('/')}: as CRI log lines, long lines split into partial (P) pieces, the same events come back`, (t) => {
    const lines = readLog(log.path).slice(log.from, log.from + log.lines);
    const reference = parseText(`${lines.join('\n')}\n`).events.map(gist);
    const r = rng(7);
    const out: string[] = [];
    let last = 0;
    for (const line of lines) {
      last = osloMs(line, last);
      const ts = `${iso({ ms: last })}${usec({ ms: last }, r)}Z`;
      const stream = r() < 0.5 ? 'stdout' : 'stderr';
      let rest = line;
      while (rest.length > 120 && r() < 0.7) {
        const cut = 40 + Math.floor(r() * 60);
        out.push(`${ts} ${stream} P ${rest.slice(0, cut)}`);
        rest = rest.slice(cut);
      }
      out.push(`${ts} ${stream} F ${rest}`);
    }
    const { events, stats } = parseText(`${out.join('\n')}\n`);
    sameEvents(t, events.map(gist), reference, 'cri');
    t.is(stats.unparsedLines, 0);
    t.deepEqual(stats.prefixes, ['cri']);
  });

  test(`${log.path.join('/')}: as journald export, each line an entry, the same events come back`, (t) => {
    const lines = readLog(log.path).slice(log.from, log.from + log.lines);
    const reference = parseText(`${lines.join('\n')}\n`).events.map(gist);
    const parts: Buffer[] = [];
    let last = 0;
    for (const line of lines) {
      last = osloMs(line, last);
      parts.push(
        Buffer.from(`__REALTIME_TIMESTAMP=${last * 1000}\n_HOSTNAME=cmp1\nSYSLOG_IDENTIFIER=nova-compute\n_PID=4242\nMESSAGE=${line}\n\n`),
      );
    }
    const events: Event[] = [];
    const p = new OsloEventParser({ host: 'h', file: 'f' }, (e) => events.push(e));
    const reader = new JournalExportReader((info, raw, n) => p.pushEntry(info, raw, n));
    const all = Buffer.concat(parts);
    // Chunks cut anywhere, as a pipe delivers them.
    for (let i = 0; i < all.length; i += 65_521) reader.push(all.subarray(i, i + 65_521));
    reader.end();
    p.end();
    const stats: OsloParseStats = p.stats;
    sameEvents(t, events.map(gist), reference, 'export');
    t.is(stats.unparsedLines, 0);
    t.true(events.every((e) => e.host === 'h'));
  });
}

test('the Havana log in the header shape of Essex and Folsom (no pid, no milliseconds): its TRACE lines still fold', (t) => {
  // Folsom's logging_default_format_string and logging_exception_prefix: `%(asctime)s %(levelname)s %(name)s …`, `%(asctime)s TRACE %(name)s %(instance)s`.
  const lines = readLog(['OpenStackForensics', 'nova-compute.log']);
  const folsom = lines.map((l) => l.replace(/^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\.\d{3} \d+ /, '$1 '));
  const reference = parseText(`${lines.join('\n')}\n`).events.map((e) => ({ ...gist(e), ts: `${e.ts.slice(0, 19)}.000` }));
  const { events, stats } = parseText(`${folsom.join('\n')}\n`);
  t.is(stats.unparsedLines, 0);
  t.true(stats.foldedLines > 1000);
  // Without pids, records of two processes in the same second could fold together; this log has none such.
  sameEvents(t, events.map(gist), reference, 'folsom');
});
