import type { Event } from '../../model/event.js';
import { type Incident, incidentsByKind } from '../../model/incident.js';
import type { Report } from '../../model/report.js';
import { visibleDeep, visibleLine } from '../../report/sanitise.js';

/**
 * What the panes say, as plain lines: the detail of an incident, the detail of
 * an event, the help. Kept out of the components so their length (for
 * scrolling) and content are known and testable.
 */

/**
 * One row of the screen, safe to put on the terminal: every control, C1,
 * bidi and invisible character escaped as the reports show them (`\x1b`,
 * `\u202e`), a newline too (a row is one line), tabs as a space.
 */
export function printable(text: string): string {
  return visibleLine(text.replace(/\t/g, ' '));
}

export function wrap(text: string, width: number, indent = ''): string[] {
  const out: string[] = [];
  const w = Math.max(10, width - indent.length);
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/(\s+)/)) {
      if ((line + word).length > w && line.trim()) {
        out.push(indent + line.trimEnd());
        line = word.trimStart();
        while (line.length > w) {
          out.push(indent + line.slice(0, w));
          line = line.slice(w);
        }
      } else line += word;
    }
    out.push(indent + line.trimEnd());
  }
  return out;
}

function src(s: Incident['evidence'][number]['source']): string {
  return 'db' in s ? `${s.db}.${s.table} ${s.key}` : `${s.host}:${s.file.split('/').slice(-3).join('/')}:${s.line}`;
}

export function incidentLines(incident: Incident | undefined, width: number): string[] {
  if (!incident) return ['No incident: nothing failed in the inputs read. Press t for the whole timeline.'];
  // text from the inputs escaped first: a newline in a file name must not start a line of its own
  const i = visibleDeep(incident);
  const out: string[] = [];
  out.push(...wrap(i.title, width));
  out.push(`cause ${i.cause.code} · ${i.severity} · ${i.count > 1 ? `seen ${i.count}× · ` : ''}${i.instanceUuid ?? ''}`);
  out.push('');
  out.push(...wrap(i.cause.summary, width));
  const missing = (i.cause.details.missingFeatures as string[] | undefined) ?? [];
  if (missing.length) out.push('', ...wrap(`missing CPU features: ${missing.join(', ')}`, width));
  if (i.gaps.length) {
    out.push('', 'Missing evidence:');
    for (const g of i.gaps) out.push(...wrap(`- ${g}`, width, '  ').map((l, n) => (n === 0 ? l.trimStart() : l)));
  }
  out.push('', 'Evidence:');
  for (const [n, e] of i.evidence.entries()) {
    out.push(
      ...wrap(`${n + 1}. ${e.text.replace(/\n/g, ' ')} [${src(e.source)}]`, width, '   ').map((l, k) => (k === 0 ? l.trimStart() : l)),
    );
  }
  out.push('', 'Remediation (review before running; nothing has been run):');
  for (const r of i.remediation) {
    out.push(...wrap(`- ${r.why}`, width));
    for (const c of r.command.split('\n')) out.push(`    $ ${c}`);
  }
  return out;
}

export function eventLines(event: Event | undefined, width: number): string[] {
  if (!event) return ['This event is not in the timeline kept for the TUI.'];
  const e = visibleDeep(event);
  const out: string[] = [];
  out.push(
    `${e.ts || 'undated (no time on the line)'}  ${e.host}  ${e.service}  ${e.level}  ${e.logger ?? ''}${e.pid !== undefined ? `  pid ${e.pid}` : ''}`,
  );
  out.push(`source ${e.file}:${e.line}${e.lineEnd && e.lineEnd !== e.line ? `-${e.lineEnd}` : ''}`);
  const ids = [
    e.requestId && `request ${e.requestId}`,
    e.globalRequestId && `global ${e.globalRequestId}`,
    e.instanceUuid && `instance ${e.instanceUuid}`,
    e.userId && `user ${e.userId}`,
    e.projectId && `project ${e.projectId}`,
  ].filter(Boolean);
  if (ids.length) out.push(...wrap(ids.join('  '), width));
  if (e.exception) out.push('', ...wrap(`exception ${e.exception.rawType}: ${e.exception.message}`, width));
  if (e.http)
    out.push(
      '',
      `http ${e.http.method} ${e.http.path}${e.http.status !== undefined ? ` → ${e.http.status}` : ''}${
        e.placementQuery?.resources
          ? `  asks ${Object.entries(e.placementQuery.resources)
              .map(([k, v]) => `${k}:${v}`)
              .join(',')}`
          : ''
      }`,
    );
  out.push('', 'Message:', ...wrap(e.message, width, '  '));
  if (e.traceback?.length) {
    out.push('', `Traceback and continuation (${e.traceback.length} lines):`);
    for (const l of e.traceback) out.push(...wrap(l, width, '  '));
  }
  out.push('', 'Raw line:', ...wrap(e.raw, width, '  '));
  return out;
}

export const HELP: [string, string][] = [
  ['j / k, ↓ / ↑', 'next / previous row'],
  ['g / G, Home / End', 'first / last row'],
  ['Space / b, PgDn / PgUp', 'page down / up'],
  ['Tab, Shift-Tab', 'next / previous pane (incidents, timeline, detail)'],
  ['Enter', 'open: incident → its timeline, event → its detail'],
  ['Esc', 'back: closes a detail, this help, the filter form or the search line, stops a running search; nothing on the main screen'],
  ['q', 'back; on the main screen quits (Ctrl-C quits anywhere)'],
  ['e / E', 'next / previous error'],
  ['w / W', 'next / previous warning'],
  ['o / O', 'next / previous event of the same request'],
  ['t', 'whole timeline of every host, at the incident'],
  ['/', 'search the whole timeline; n / N next / previous match'],
  ['f', 'filter the whole timeline: host, service, level, request, instance'],
  ['m', 'export the Markdown report to a file'],
  ['c', 'coverage: each file, as what it was read, what was not understood'],
  ['?', 'this help'],
];

export function headerLine(r: Report): string {
  const hosts = r.hosts.filter((h) => !h.missing);
  const first = hosts
    .map((h) => h.first)
    .filter(Boolean)
    .sort()[0];
  const last = hosts
    .map((h) => h.last)
    .filter(Boolean)
    .sort()
    .slice(-1)[0];
  // The list's title says how many rows; this, how many incidents.
  const byKind = incidentsByKind(r.incidents);
  const counts = [...byKind.entries()].map(([k, n]) => `${n} ${k}`).join(', ') || 'no incident';
  // With --since/--until the span is the window's, and says so: the logs outside it were not read.
  const w = r.coverage.window;
  const span = w
    ? `window ${w.since?.slice(0, 16).replace('T', ' ') ?? '…'} – ${w.until?.slice(0, 16).replace('T', ' ') ?? '…'}`
    : `${first?.slice(0, 16).replace('T', ' ') ?? '?'} – ${last?.slice(0, 16).replace('T', ' ') ?? '?'}`;
  const focus = r.coverage.focus ? ` · instance ${r.coverage.focus.instance.slice(0, 8)}` : '';
  return `nova-forensics · ${hosts.length} hosts (${hosts.map((h) => h.name.split('.')[0]).join(' ')}) · ${span}${focus} · ${counts} · ${r.findings.length} DB findings`;
}
