import { type Catalog, kindName, kindNames } from '../../model/catalog.js';
import type { Evidence } from '../../model/finding.js';
import { type Incident, incidentsByKind, type TimelineEntry } from '../../model/incident.js';
import type { Report, ReportHost } from '../../model/report.js';
import { visibleDeep, visibleText } from '../../report/sanitise.js';
import { findingDetail, sourceText, subjectText } from '../findings-markdown.js';
import { timeAssumptions } from '../coverage-text.js';
import { obfuscationLine } from '../obfuscation-note.js';
import { windowLine } from '../window-note.js';
import { focusLine } from '../focus-note.js';
import { cell, codeSpan as code, fence, inline } from './escape.js';
import { sequenceDiagram } from './mermaid.js';
import { cpuTable, providerTable } from './tables.js';

/**
 * The report as GitHub-flavoured Markdown an operator pastes into a ticket:
 * readable as plain text, rendered cleanly on GitHub and GitLab, safe to `cat`
 * in a terminal: text from the inputs is escaped, one line each, before it is
 * laid out, and the document is escaped again as it leaves (`sanitise.ts`).
 * Renders the report model only; it computes nothing the model does not hold.
 */

const MAX_TIMELINE_ROWS = 40;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function offsetText(h: ReportHost | undefined): string {
  if (!h) return '?';
  if (h.missing) return 'no sosreport';
  const o = h.clockOffset;
  if (o.method === 'reference') return 'reference';
  if (o.method === 'none') return 'unknown';
  const s = `${h.clockOffsetMs >= 0 ? '+' : '−'}${(Math.abs(h.clockOffsetMs) / 1000).toFixed(2)} s`;
  return o.uncertaintyMs !== undefined ? `${s} ± ${(o.uncertaintyMs / 1000).toFixed(2)}` : `${s} (${o.method})`;
}

function when(ts: string | undefined): string {
  return ts ? ts.replace('T', ' ').slice(0, 23) : '-';
}

function trim(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

function summaryParagraph(r: Report, catalog: Catalog): string {
  const hosts = r.hosts.filter((h) => !h.missing);
  // An archive is listed twice (the file, and the sosreport root inside it): count each report once.
  const sos = [
    ...new Set(
      r.inputs
        .map((i) => (i.path.split(':').pop() ?? i.path).split('/').filter(Boolean).pop() ?? '')
        .filter((n) => n.startsWith('sosreport-'))
        .map((n) => n.replace(/\.(?:tar(?:\.\w+)?|tgz|txz)$/, '')),
    ),
  ];
  // A host whose lines carry no time (a pasted excerpt) has no span to give.
  const spans = hosts
    .filter((h) => h.first || h.last)
    .map((h) => `${h.name} ${when(h.first)} – ${when(h.last)}`)
    .join('; ');
  const byKind = incidentsByKind(r.incidents);
  const counts = [...byKind.entries()].map(([k, n]) => `${n} ${kindNames(catalog, k, n)}`).join(', ');
  const found = [...byKind.values()].reduce((a, n) => a + n, 0);
  const folded = r.incidents.filter((i) => i.folds !== undefined);
  const foldedNote = folded.length
    ? ` (${plural(found - r.incidents.length + folded.length, 'incident')} past the first ones of their kind and cause are shown as ${plural(folded.length, 'entry', 'entries')}, one line each)`
    : '';
  const worst = r.incidents[0];
  const parts = [
    `Read ${plural(hosts.length, 'host')}${sos.length ? ` from ${plural(sos.length, 'sosreport')} (${sos.map(code).join(', ')})` : ''}; log time spans: ${spans || 'none dated'}.`,
    r.incidents.length ? `Found ${plural(found, 'incident')}: ${counts}${foldedNote}.` : 'Found no incident.',
    worst ? `Worst first: ${inline(worst.title)}.` : '',
    r.findings.length
      ? `The database dump adds ${plural(r.findings.length, 'finding')}.`
      : r.coverage.dumps.length
        ? 'The database dump shows no inconsistency.'
        : 'No database dump was among the inputs.',
  ];
  const missing = r.hosts.filter((h) => h.missing).map((h) => h.name);
  if (missing.length) parts.push(`Named but without a sosreport: ${missing.join(', ')}.`);
  if (r.coverage.window) parts.push(inline(windowLine(r.coverage.window)));
  if (r.coverage.focus) parts.push(inline(focusLine(r.coverage.focus)));
  return parts.filter(Boolean).join(' ');
}

function evidenceItems(ev: Evidence[]): string[] {
  const out: string[] = [];
  ev.forEach((e, n) => {
    out.push(`${n + 1}. ${inline(e.text.replace(/\n/g, ' '))} — ${code(sourceText(e.source))}`);
    if (e.raw && e.raw !== e.text) {
      out.push('   <details><summary>as written in the log</summary>', '', ...fence(e.raw).map((l) => `   ${l}`), '', '   </details>');
    }
  });
  return out;
}

function timelineTable(tl: TimelineEntry[], hosts: Map<string, ReportHost>): string[] {
  const rows = tl.length > MAX_TIMELINE_ROWS ? [...tl.slice(0, MAX_TIMELINE_ROWS / 2), ...tl.slice(-MAX_TIMELINE_ROWS / 2)] : tl;
  const out = ['| time (reference clock) | host (clock offset) | service | level | request | message |', '|---|---|---|---|---|---|'];
  rows.forEach((e, n) => {
    if (tl.length > MAX_TIMELINE_ROWS && n === MAX_TIMELINE_ROWS / 2)
      out.push(`| … | | | | | ${tl.length - MAX_TIMELINE_ROWS} more events in the JSON report |`);
    const req = e.requestId ? code(e.requestId.slice(0, 12)) : '';
    const msg = `${e.failing ? '**FAILED** ' : ''}${cell(trim(e.message, 140))}`;
    out.push(
      `| ${e.undated ? 'undated' : when(e.adjustedTs)} | ${e.host} (${offsetText(hosts.get(e.host))}) | ${e.service} | ${e.level} | ${req} | ${msg} |`,
    );
  });
  return out;
}

function incidentSection(i: Incident, n: number, hosts: Map<string, ReportHost>, catalog: Catalog): string[] {
  const out: string[] = [`## ${n}. ${inline(i.title)}`, ''];
  const facts = [
    `**Kind:** ${kindName(catalog, i.kind)}`,
    `**Severity:** ${i.severity}`,
    `**Cause:** ${code(i.cause.code)}`,
    i.instanceUuid ? `**Instance:** ${code(i.instanceUuid)}` : '',
    i.requestIds.length ? `**Request:** ${code(i.requestIds[0])}` : '',
    `**When:** ${when(i.start)}${i.end && i.end !== i.start ? ` – ${when(i.end)}` : ''}${i.count > 1 ? ` (seen ${i.count} times)` : ''}`,
    `**Hosts:** ${i.hosts.join(', ') || '-'}`,
    `**Id:** ${code(i.id)}`,
  ].filter(Boolean);
  out.push(facts.join(' · '), '');
  out.push('### What happened', '', inline(i.cause.summary), '');
  if (i.cause.code === 'insufficient-capacity' || i.cause.code === 'max-unit-exceeded') out.push(...providerTable(i), '');
  if (i.kind === 'cpu-incompatible-migration') out.push(...cpuTable(i), '');
  if (i.gaps.length) {
    out.push('**Missing evidence** — what could not be checked, and so limits this conclusion:', '');
    for (const g of i.gaps) out.push(`- ${inline(g)}`);
    out.push('');
  }
  out.push('### Evidence', '', ...evidenceItems(i.evidence), '');
  if (i.timeline.length) {
    out.push('### Timeline', '', ...timelineTable(i.timeline, hosts), '');
    const diagram = sequenceDiagram(i.timeline);
    if (diagram) out.push('### Request path', '', ...fence(diagram, 'mermaid'), '');
  }
  out.push(
    '### Remediation',
    '',
    '> Review before running: nothing here has been run, and the commands were written from the sosreports, not from the live cloud.',
    '',
  );
  for (const rem of i.remediation) out.push(`- ${inline(rem.why)}`, '', ...fence(rem.command, 'sh').map((l) => `  ${l}`), '');
  return out;
}

function findingsSection(r: Report): string[] {
  const free = r.findings.filter((f) => !f.incidentIds?.length);
  if (free.length === 0) return [];
  const out = ['## Database findings not tied to an incident', '', '| severity | finding | subject | cause |', '|---|---|---|---|'];
  for (const f of free) out.push(`| ${f.severity} | ${code(f.code)} | ${cell(subjectText(f))} | ${code(f.cause)} |`);
  out.push('');
  const shown = free.slice(0, 25);
  for (const f of shown) out.push(...findingDetail(f, '###'));
  if (free.length > shown.length)
    out.push(`… and ${free.length - shown.length} more of the same kinds: \`nova-forensics audit\` lists them all.`, '');
  return out;
}

function coverageSection(r: Report, verbose: boolean): string[] {
  const c = r.coverage;
  const out = ['## Coverage and gaps', ''];
  out.push('| host | clock offset | first | last | services |', '|---|---|---|---|---|');
  for (const h of r.hosts)
    out.push(`| ${h.name} | ${offsetText(h)} | ${when(h.first)} | ${when(h.last)} | ${h.services.join(', ') || '-'} |`);
  out.push('');
  const groups = new Map<string, { files: number; paths: Set<string>; lines: number; events: number; unparsed: number }>();
  for (const f of c.files) {
    const key = `${f.host}|${f.role}${f.service ? ` (${f.service})` : ''}|${f.format ?? '-'}`;
    const g = groups.get(key) ?? { files: 0, paths: new Set(), lines: 0, events: 0, unparsed: 0 };
    // A pasted file's sources are entries of their own, but one file.
    if (!g.paths.has(f.path)) g.files++;
    g.paths.add(f.path);
    g.lines += f.lines;
    g.events += f.events;
    g.unparsed += f.unparsed;
    groups.set(key, g);
  }
  out.push('| host | role | read as | files | lines | events / rows | not understood |', '|---|---|---|---:|---:|---:|---:|');
  for (const [key, g] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [host, role, format] = key.split('|');
    out.push(`| ${cell(host)} | ${role} | ${cell(format)} | ${g.files} | ${g.lines} | ${g.events} | ${g.unparsed} |`);
  }
  out.push('');
  const notes: string[] = [];
  notes.push(
    `${c.events.seen} log events read, ${c.events.retained} kept for correlation${c.events.letGo ? ` (${c.events.letGo} context lines let go when memory was short)` : ''}${c.events.droppedAtCap ? `, ${c.events.droppedAtCap} dropped past the cap` : ''}.`,
  );
  const undated = c.files.reduce((s, f) => s + (f.undated ?? 0), 0);
  if (undated)
    notes.push(`${undated} event(s) carry no time of their own (pasted without it): they are kept undated, in the order of their lines.`);
  for (const f of c.files.filter((x) => x.source !== undefined))
    notes.push(
      `${code(f.path)}, the part from ${code(f.source!)}: read as ${inline(f.format ?? f.role)}; ${f.lines} lines, ${f.events} events, ${f.unparsed} not understood${f.host !== 'unknown' ? ` (host ${cell(f.host)})` : ''}.`,
    );
  for (const f of c.files) {
    if (f.truncatedHead) notes.push(`${f.host}: ${code(f.path)} — sos kept only the tail; the beginning is missing.`);
    if (f.truncatedTail) notes.push(`${f.host}: ${code(f.path)} — ends early (truncated or corrupt).`);
    const assumed = timeAssumptions(f);
    if (assumed) notes.push(`${f.host}: ${code(f.path)} — ${inline(assumed)}.`);
  }
  if (c.dumps.length === 0)
    notes.push(
      'No database dump: allocations, inventories and mappings could not be checked (sos `-k openstack_database.dumpall=on` or `-k mysql.dbdump=on`).',
    );
  for (const d of c.dumps)
    notes.push(
      `Dump ${code(d.path)} (${d.host}): ${d.databases.join(', ') || 'no known database'}${d.tailed ? ', tailed copy' : ''}${d.warnings.length ? ` — ${d.warnings.slice(0, 3).join('; ')}` : ''}.`,
    );
  const missing = r.hosts.filter((h) => h.missing);
  if (missing.length) notes.push(`Hosts named in the logs or the database with no sosreport: ${missing.map((h) => h.name).join(', ')}.`);
  if (c.obfuscation) notes.push(inline(obfuscationLine(c.obfuscation)));
  if (c.unrecognised.count)
    notes.push(
      `${c.unrecognised.count} file(s) not read (${c.unrecognised.relevant.length} look relevant${
        c.unrecognised.relevant.length
          ? `: ${c.unrecognised.relevant
              .slice(0, 5)
              .map((f) => code(f.path.split(':').pop()!))
              .join(', ')}`
          : ''
      }).`,
    );
  if (c.links.count)
    notes.push(
      `${c.links.count} link(s) inside the sosreports not followed (their targets are read as files of their own)${
        c.links.relevant.length
          ? `; where a file read here would be: ${c.links.relevant
              .slice(0, 5)
              .map((f) => `${code(f.path.split(':').pop()!)} → ${code(f.target)}`)
              .join(', ')}`
          : ''
      }.`,
    );
  if (c.unreadable?.length)
    notes.push(
      `${c.unreadable.length} path(s) could not be read, listed and skipped: ${c.unreadable
        .slice(0, 10)
        .map((u) => `${code(u.path)} (${inline(u.reason)})`)
        .join(', ')}${c.unreadable.length > 10 ? ', …' : ''}.`,
    );
  for (const w of c.warnings.slice(0, 30)) notes.push(`Warning: ${w.file ? `${code(w.file)}: ` : ''}${inline(w.message)}`);
  for (const n of notes) out.push(`- ${n}`);
  out.push('');
  if (verbose) {
    const samples = c.files.filter((f) => f.unparsedSample?.length);
    if (samples.length) {
      out.push('Lines not understood (the first few of each file):', '');
      const text = samples.flatMap((f) => f.unparsedSample!.map((s) => `${f.path}:${s.line}: ${s.text}`)).join('\n');
      out.push(...fence(text), '');
    }
  }
  return out;
}

/** `catalog` names the kinds (src/registry builds it from the detectors); `verbose` adds the first lines not understood. */
export function reportMarkdown(report: Report, catalog: Catalog, opts: { verbose?: boolean } = {}): string {
  const r = visibleDeep(report);
  const hosts = new Map(r.hosts.map((h) => [h.name, h]));
  const out: string[] = ['# nova-forensics incident report', '', summaryParagraph(r, catalog), ''];
  if (r.incidents.length) {
    out.push('## Summary', '', '| # | id | when | kind | instance | cause | hosts |', '|---:|---|---|---|---|---|---|');
    r.incidents.forEach((i, n) => {
      out.push(
        `| ${n + 1} | ${code(i.id)} | ${when(i.start)} | ${kindName(catalog, i.kind)} | ${i.instanceUuid ? code(i.instanceUuid.slice(0, 8)) : '-'} | ${cell(`${i.cause.code}: ${trim(i.cause.summary, 110)}`)} | ${i.hosts.join(', ') || '-'} |`,
      );
    });
    out.push('');
  }
  for (const [n, i] of r.incidents.entries()) out.push(...incidentSection(i, n + 1, hosts, catalog));
  out.push(...findingsSection(r));
  out.push(...coverageSection(r, opts.verbose === true));
  out.push(
    `<sub>Generated by nova-forensics at ${r.generatedAt}, report schema ${r.schemaVersion}. Secrets in the inputs are redacted.${r.coverage.obfuscation ? ' Host names, addresses and ids are placeholders.' : ''}</sub>`,
    '',
  );
  return visibleText(out.join('\n'));
}
