import type { Coverage, FileCoverage } from '../model/coverage.js';
import type { ObfuscationNote, ReportFocus, ReportWindow } from '../model/report.js';
import { visibleDeep, visibleLine, visibleText } from '../report/sanitise.js';
import { obfuscationLine } from './obfuscation-note.js';
import { windowLine } from './window-note.js';
import { focusLine } from './focus-note.js';

/**
 * The coverage summary as plain text for a terminal or a ticket: per host
 * and role, what was read; then what was not, and why. Paths, hosts and
 * messages from the inputs are escaped, one line each (`sanitise.ts`).
 */

function n(x: number): string {
  return x.toLocaleString('en-US');
}

function bytes(b: number): string {
  if (b >= 1 << 30) return `${(b / (1 << 30)).toFixed(1)} GiB`;
  if (b >= 1 << 20) return `${(b / (1 << 20)).toFixed(1)} MiB`;
  if (b >= 1 << 10) return `${(b / (1 << 10)).toFixed(1)} KiB`;
  return `${b} B`;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (i <= 2 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export interface CoverageTextOptions {
  verbose?: boolean;
  /** How many unrecognised relevant files to name without --verbose. */
  listLimit?: number;
  /** Roles that always get a row, even when empty. */
  logRoles?: ReadonlySet<string>;
  unusedNote?: string;
  /** Names were replaced by placeholders: say so. */
  obfuscation?: ObfuscationNote;
  /** `--since` / `--until` was given: what it left outside. */
  window?: ReportWindow;
  /** `--instance` was given: what the report left out. */
  focus?: ReportFocus;
}

export function coverageText(coverage: Coverage, opts: CoverageTextOptions = {}): string {
  const c = visibleDeep(coverage);
  const out: string[] = [];
  const groups = new Map<string, FileCoverage[]>();
  // Files a command found but did not need (a dump for `events`) are listed apart.
  const unused = new Map<string, Map<string, number>>();
  for (const f of c.files) {
    if (f.lines === 0 && f.bytes > 0 && !f.truncatedTail && !opts.logRoles?.has(f.role)) {
      let m = unused.get(f.host);
      if (!m) unused.set(f.host, (m = new Map()));
      m.set(f.role, (m.get(f.role) ?? 0) + 1);
      continue;
    }
    const key = `${f.host}\u0000${f.role}${f.service ? ` (${f.service})` : ''}\u0000${f.format ?? '-'}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(f);
  }
  const rows: string[][] = [['host', 'role', 'read as', 'files', 'size', 'lines', 'events', 'folded', 'unparsed', 'first', 'last']];
  for (const [key, files] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [host, role, format] = key.split('\u0000');
    const sum = (k: 'bytes' | 'lines' | 'events' | 'folded' | 'unparsed'): number => files.reduce((s, f) => s + f[k], 0);
    const firsts = files
      .map((f) => f.firstTs)
      .filter((x): x is string => !!x)
      .sort();
    const lasts = files
      .map((f) => f.lastTs)
      .filter((x): x is string => !!x)
      .sort();
    rows.push([
      host,
      role,
      format,
      // A pasted file's sources are entries of their own, but one file.
      n(new Set(files.map((f) => f.path)).size),
      bytes(sum('bytes')),
      n(sum('lines')),
      n(sum('events')),
      n(sum('folded')),
      n(sum('unparsed')),
      firsts[0]?.slice(0, 19) ?? '-',
      lasts[lasts.length - 1]?.slice(0, 19) ?? '-',
    ]);
  }
  out.push('Coverage');
  out.push(rows.length > 1 ? table(rows) : '  nothing was read');
  if (unused.size > 0) {
    out.push('', opts.unusedNote ?? 'Found, not needed by this command');
    for (const [host, roles] of [...unused.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      out.push(`  ${host}: ${[...roles.entries()].map(([r, k]) => (k > 1 ? `${r} ×${k}` : r)).join(', ')}`);
    }
  }

  const undated = c.files.reduce((s, f) => s + (f.undated ?? 0), 0);
  if (undated > 0)
    out.push(
      '',
      `${n(undated)} event(s) carry no time of their own (pasted without it): they are kept undated, in the order of their lines`,
    );

  const pasted = c.files.filter((f) => f.source !== undefined || f.format?.startsWith('paste'));
  if (pasted.length > 0) {
    out.push('', 'Pasted files, per source they name');
    for (const f of pasted) out.push(`  ${sourceLine(f)}`);
  }

  const notes: string[] = [];
  for (const f of c.files) {
    if (f.truncatedHead) notes.push(`${f.host}: ${f.path}: sos kept only the tail of this file; its beginning is missing`);
    if (f.truncatedTail) notes.push(`${f.host}: ${f.path}: the file ends early (truncated or corrupt)`);
  }
  if (notes.length > 0) out.push('', 'Partial files', ...notes.map((x) => `  ${x}`));

  const assumed = c.files.flatMap((f) => {
    const a = timeAssumptions(f);
    return a ? [`${f.host}: ${f.path}: ${a}`] : [];
  });
  if (assumed.length > 0) out.push('', 'Times completed (the collector wrote no year or zone)', ...assumed.map((x) => `  ${x}`));

  if (c.warnings.length > 0) {
    out.push('', `Warnings (${c.warnings.length})`);
    for (const w of c.warnings) out.push(`  ${w.file ?? w.input}: ${w.message}`);
  }

  if (c.unreadable?.length) out.push('', ...unreadableLines(c, opts.verbose ? Infinity : (opts.listLimit ?? 20)));

  if (opts.verbose) {
    const samples = c.files.filter((f) => f.unparsedSample?.length);
    if (samples.length > 0) {
      out.push('', 'Lines not understood (the first few of each file)');
      for (const f of samples) for (const s of f.unparsedSample!) out.push(`  ${f.path}:${s.line}: ${s.text}`);
    }
  }

  const u = c.unrecognised;
  if (u.count > 0) {
    const limit = opts.verbose ? Infinity : (opts.listLimit ?? 20);
    out.push('', `Not read: ${n(u.count)} file(s) nova-forensics has no reader for (${n(u.relevant.length)} look relevant)`);
    for (const f of u.relevant.slice(0, limit)) out.push(`  ${f.host}: ${f.path}${f.what ? ` (${f.what})` : ''}`);
    if (u.relevant.length > limit) out.push(`  … ${n(u.relevant.length - limit)} more (--verbose lists them all)`);
    if (opts.verbose) for (const f of u.other) out.push(`  ${f.host}: ${f.path}`);
  }
  const l = c.links;
  if (l.count > 0) {
    const limit = opts.verbose ? Infinity : (opts.listLimit ?? 20);
    out.push(
      '',
      `Links not followed: ${n(l.count)} (sos stores their targets as files of their own; ${n(l.relevant.length)} stand where a file read here would be)`,
    );
    for (const f of l.relevant.slice(0, limit)) out.push(`  ${f.host}: ${f.path} -> ${f.target}`);
    if (l.relevant.length > limit) out.push(`  … ${n(l.relevant.length - limit)} more (--verbose lists them all)`);
  }
  if (opts.window) out.push('', windowLine(opts.window));
  if (opts.focus) out.push('', focusLine(opts.focus));
  if (opts.obfuscation) out.push('', obfuscationLine(opts.obfuscation));
  return visibleText(out.join('\n'));
}

/** What nova-forensics reads, for a run that read nothing it could use. */
const EXPECTED = [
  'sosreports (archives, or folders as sos wrote them), sos collect bundles; logs and sosreports in a .zip or a tar',
  'nova and placement logs in oslo.log format: "2024-07-16 10:57:31.057 1234 ERROR nova.compute.manager [req-…] …"',
  'the same lines in journals, syslog and container logs, or pasted: indented, quoted, wrapped, grep output, a fault message',
  'mysqldumps of nova, nova_api and placement (audit and analyze)',
  "a host's nova.conf, virsh capabilities and virsh list --all, in its sosreport or beside its logs",
  "libvirt's own log and its guests' QEMU logs (libvirt/qemu/instance-….log)",
];

function under(input: string, path: string): boolean {
  return path === input || path.startsWith(`${input}:`) || path.startsWith(`${input}/`);
}

/**
 * Why nothing usable was read, input by input: what each one was (opened as
 * what, which files, what they looked like), what came of it, and what would
 * have been read. Never only "nothing usable".
 */
export function nothingUsableText(coverage: Coverage, inputs: readonly string[], what = 'nothing usable was read from the inputs'): string {
  // Names and lines come from the inputs: each stays on its line, escaped as the coverage is.
  const c = visibleDeep(coverage);
  const unreadable = c.unreadable ?? [];
  // Paths that could not be read come first, as a list of their own (what an operator fixes first).
  const out = unreadable.length ? [nothingReadMessage(c, what), 'each input:'] : [`${what}:`];
  for (const raw of inputs) {
    const input = visibleLine(raw);
    const stdin = input === '-' || input === 'stdin:-';
    const name = stdin ? 'stdin' : input;
    const opened = c.inputs.filter((i) => under(name, i.path));
    const files = c.files.filter((f) => under(name, f.path));
    const unread = [...c.unrecognised.relevant, ...c.unrecognised.other].filter((f) => under(name, f.path));
    const denied = unreadable.filter((u) => under(name, u.path));
    const warnings = c.warnings.filter((w) => w.input === input || w.input === name || under(name, w.file ?? ''));
    out.push(`  ${stdin ? '- (standard input)' : input}${opened.length ? `: ${[...new Set(opened.map((i) => i.kind))].join(', ')}` : ''}`);
    for (const w of warnings.slice(0, 5)) out.push(`    ${w.file && w.file !== name ? `${w.file}: ` : ''}${w.message}`);
    const self = (p: string): string => (p === name ? '' : `${p}: `);
    for (const f of files.slice(0, 10)) {
      const first = f.unparsedSample?.[0];
      out.push(
        `    ${self(f.path)}${f.source ? `[${f.source}] ` : ''}read as ${f.format ?? f.role}, ${n(f.lines)} lines, ${n(f.events)} events, ${n(f.unparsed)} not understood${first ? `; line ${first.line} was «${first.text}»` : ''}`,
      );
    }
    for (const f of unread.slice(0, 10)) out.push(`    ${self(f.path)}not read${f.what ? `: ${f.what}` : ''}`);
    if (denied.length) out.push(`    ${n(denied.length)} path(s) in it could not be read (listed above)`);
    if (!warnings.length && !files.length && !unread.length && !denied.length) out.push('    nothing was found in it');
  }
  out.push('what is read:', ...EXPECTED.map((e) => `  - ${e}`));
  return visibleText(out.join('\n'));
}

/** One source of a pasted file: what it is, as what it was read, what came of it. */
function sourceLine(f: FileCoverage): string {
  const what = [f.source ? `${f.source}` : 'unnamed part', f.host !== 'unknown' ? `host ${f.host}` : undefined, f.service]
    .filter(Boolean)
    .join(', ');
  return `${f.path} [${what}]: ${f.format ?? f.role}; ${n(f.lines)} lines, ${n(f.events)} events${f.undated ? ` (${n(f.undated)} undated)` : ''}, ${n(f.unparsed)} not understood`;
}

const YEAR_FROM: Record<NonNullable<FileCoverage['assumedYear']>['from'], string> = {
  'oslo-timestamps': "the file's own oslo timestamps",
  'journal-header': "journalctl's header (-- Logs begin at …)",
  'sosreport-date': "the sosreport's date",
  'file-mtime': "the file's modification time",
  today: 'no date found: counted back from today',
};

/**
 * What was assumed to date a file's collector times, and from what: the year
 * of `Jul 16 10:57:31`, the zone of journald's UTC times. Undefined when
 * nothing was.
 */
export function timeAssumptions(f: FileCoverage): string | undefined {
  const parts: string[] = [];
  const y = f.assumedYear;
  if (y) parts.push(`year ${y.year}${y.through && y.through !== y.year ? `–${y.through}` : ''} assumed, from ${YEAR_FROM[y.from]}`);
  const z = f.timeShift;
  if (z)
    parts.push(
      z.from === 'oslo-timestamps'
        ? `UTC journal times shifted by ${z.offset} to match the file's own oslo timestamps`
        : 'journal times kept in UTC (no line stated its own zone)',
    );
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** `--verbose`: one line per file read, and as what. */
export function fileLine(f: FileCoverage): string {
  const extra = [f.source, f.service, f.layout, f.truncatedHead ? 'tailed' : undefined].filter(Boolean).join(', ');
  return visibleLine(
    `read ${f.host}: ${f.path}${extra ? ` (${extra})` : ''} as ${f.format ?? f.role}: ${n(f.lines)} lines, ${n(f.events)} events${f.undated ? ` (${n(f.undated)} undated)` : ''}${f.unparsed ? `, ${n(f.unparsed)} not understood` : ''}`,
  );
}

/** Paths not read, each with why: the coverage section's list, and the whole message when nothing could be read. */
export function unreadableLines(c: Coverage, limit = Infinity): string[] {
  const u = c.unreadable ?? [];
  if (u.length === 0) return [];
  const out = [`Not readable: ${n(u.length)} path(s), listed and skipped`];
  for (const p of u.slice(0, limit))
    out.push(`  ${p.host ? `${p.host}: ` : ''}${p.path}: ${p.reason}${p.role ? ` (where a ${p.role} would be read)` : ''}`);
  if (u.length > limit) out.push(`  … ${n(u.length - limit)} more (--verbose lists them all)`);
  return out;
}

/**
 * The error when nothing usable was read: `what` (`nothing usable was read
 * from the inputs`), then every path that could not be read and why.
 */
export function nothingReadMessage(coverage: Coverage, what: string): string {
  const u = coverage.unreadable ?? [];
  if (u.length === 0) return what;
  // each path one line, escaped: a newline in a name starts no line of the message
  return [
    `${what}; ${u.length === 1 ? 'this path' : `these ${n(u.length)} paths`} could not be read:`,
    ...unreadableLines(visibleDeep(coverage)).slice(1),
  ].join('\n');
}
