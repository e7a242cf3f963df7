import { incidentsByKind } from '../model/incident.js';
import type { Report } from '../model/report.js';
import { visibleDeep, visibleText } from '../report/sanitise.js';
import { obfuscationLine } from './obfuscation-note.js';
import { windowLine } from './window-note.js';
import { focusLine } from './focus-note.js';

/** A few lines per incident for a terminal: what, where, why. The Markdown report says it all. */
export function reportSummary(report: Report): string {
  // Text from the inputs is escaped, one line each, before it is laid out.
  const r = visibleDeep(report);
  const out: string[] = [];
  const hosts = r.hosts.filter((h) => !h.missing);
  const found = [...incidentsByKind(r.incidents).values()].reduce((a, n) => a + n, 0);
  const entries =
    found === r.incidents.length ? '' : ` (${r.incidents.length} entries: past the first of a kind and cause, one stands for the rest)`;
  out.push(`nova-forensics: ${found} incident(s)${entries}, ${r.findings.length} database finding(s) from ${hosts.length} host(s)`);
  if (r.coverage.window) out.push(windowLine(r.coverage.window));
  if (r.coverage.focus) out.push(focusLine(r.coverage.focus));
  for (const h of r.hosts) {
    const clock = h.missing
      ? 'no sosreport given'
      : h.clockOffset.method === 'reference'
        ? 'clock reference'
        : h.clockOffset.method === 'none'
          ? 'clock offset unknown'
          : `clock ${h.clockOffsetMs >= 0 ? '+' : ''}${(h.clockOffsetMs / 1000).toFixed(2)} s${h.clockOffset.uncertaintyMs !== undefined ? ` ± ${(h.clockOffset.uncertaintyMs / 1000).toFixed(2)}` : ''} (${h.clockOffset.method})`;
    out.push(`  ${h.name}: ${h.services.join(', ') || '-'}; ${clock}`);
  }
  out.push('');
  for (const i of r.incidents) {
    out.push(`[${i.severity.toUpperCase()}] ${i.start ? `${i.start} ` : ''}${i.title}`);
    out.push(`    cause ${i.cause.code}: ${i.cause.summary}`);
    if (i.count > 1) out.push(`    seen ${i.count} times`);
    if (i.gaps.length) out.push(`    missing: ${i.gaps.join('; ')}`);
    out.push(`    next: ${i.remediation[0] ? oneLine(i.remediation[0].command) : '-'}`);
  }
  if (r.findings.length) {
    const byCode = new Map<string, number>();
    for (const f of r.findings) byCode.set(f.code, (byCode.get(f.code) ?? 0) + 1);
    out.push('', `Database findings: ${[...byCode.entries()].map(([k, v]) => `${k} ×${v}`).join(', ')}`);
  }
  if (r.coverage.obfuscation) out.push('', obfuscationLine(r.coverage.obfuscation));
  return visibleText(`${out.join('\n')}\n`);
}

/**
 * A remedy on one line. Most are one command; a setting is several lines under a comment that says where
 * it goes (`# on cmp02, in nova.conf:` / `[workarounds]` / `skip_cpu_compare_on_dest = True`), and its
 * first line alone told nothing.
 */
function oneLine(command: string): string {
  return command
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' / ');
}
