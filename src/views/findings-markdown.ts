import type { DumpCoverage } from '../model/db.js';
import { SEVERITY_ORDER, type Finding, type FindingCode } from '../model/finding.js';
import { visibleDeep, visibleText } from '../report/sanitise.js';
import { cell, codeSpan, fence, inline } from './markdown/escape.js';

/**
 * Database findings as Markdown: a summary table per code, then each finding
 * with its explanation, evidence and the commands to review. Grouping is the
 * view's job; the model keeps one finding per subject.
 */

const TITLES: Record<FindingCode, string> = {
  'duplicate-primary-key': 'Primary keys held by more than one row of a dump',
  'cell-not-dumped': 'Cells mapped in nova_api but absent from the dump',
  'unmapped-host': 'Compute hosts missing from host_mappings',
  'missing-instance-mapping': 'Instances without an instance mapping (the API answers 404)',
  'instance-mapping-bad-cell': 'Instance mappings pointing to a missing cell',
  'stale-build-request': 'Stale build requests',
  'max-unit-too-small': 'Flavors larger than every provider’s max_unit',
  'provider-over-capacity': 'Providers over or nearly at capacity',
  'orphan-allocation': 'Allocations nothing justifies',
  'compute-node-without-provider': 'Compute nodes without a resource provider',
  'provider-without-compute-node': 'Resource providers without a compute node',
};

export function subjectText(f: Finding): string {
  const s = f.subject;
  return [
    s.host && `host ${s.host}`,
    s.instanceUuid && `instance ${s.instanceUuid}`,
    s.consumerUuid && s.consumerUuid !== s.instanceUuid && `consumer ${s.consumerUuid}`,
    s.providerUuid && `provider ${s.providerUuid}`,
    s.resourceClass,
    s.flavor && `flavor ${s.flavor}`,
  ]
    .filter(Boolean)
    .join(', ');
}

export function sourceText(src: Finding['evidence'][number]['source']): string {
  return 'db' in src ? `${src.db}.${src.table} ${src.key}` : `${src.host}:${src.file}:${src.line}`;
}

export function findingDetail(f: Finding, heading = '####'): string[] {
  const out: string[] = [
    `${heading} ${f.severity.toUpperCase()}: ${inline(subjectText(f))}`,
    '',
    inline(f.explanation),
    '',
    `Cause: ${codeSpan(f.cause)}`,
    '',
    'Evidence:',
    '',
  ];
  for (const [i, e] of f.evidence.entries())
    out.push(`${i + 1}. ${inline(e.text.replace(/\n/g, ' '))} — ${codeSpan(sourceText(e.source))}`);
  if (f.remediation.length > 0) {
    out.push('', 'Remediation (review before running; nothing here has been run):', '');
    for (const r of f.remediation) out.push(`- ${inline(r.why)}`, '', ...fence(r.command, 'sh').map((l) => `  ${l}`), '');
  }
  out.push('');
  return out;
}

export function findingsMarkdown(
  rawFindings: Finding[],
  rawDumps: DumpCoverage[],
  title = 'nova-forensics database audit',
  note?: string,
): string {
  // Text from the inputs is escaped, one line each, before it is laid out (`sanitise.ts`).
  const findings = visibleDeep(rawFindings);
  const dumps = visibleDeep(rawDumps);
  const out: string[] = [`# ${title}`, ''];
  if (note) out.push(note, '');
  if (dumps.length === 0) {
    out.push(
      'No database dump was found in the inputs: nothing to audit. sos writes one with `-k openstack_database.dump=on` (nova databases) or `-k openstack_database.dumpall=on` / `-k mysql.dbdump=on` (placement too).',
      '',
    );
    return visibleText(out.join('\n'));
  }
  out.push('Dumps read:', '');
  for (const d of dumps)
    out.push(
      `- \`${d.path}\` (${d.host}): ${d.databases.join(', ') || 'no database recognised'}${d.tailed ? ` — sos kept only the tail; ${d.skippedHeadBytes} bytes skipped` : ''}${d.warnings.length ? ` — ${d.warnings.length} warning(s)` : ''}`,
    );
  out.push('');
  if (findings.length === 0) {
    out.push('No findings: allocations, mappings and capacity are consistent.', '');
    return visibleText(out.join('\n'));
  }
  const byCode = new Map<FindingCode, Finding[]>();
  for (const f of findings) {
    const l = byCode.get(f.code);
    if (l) l.push(f);
    else byCode.set(f.code, [f]);
  }
  const order = [...byCode.entries()].sort(
    ([, a], [, b]) => Math.min(...a.map((f) => SEVERITY_ORDER[f.severity])) - Math.min(...b.map((f) => SEVERITY_ORDER[f.severity])),
  );
  out.push('| finding | count | worst | causes |', '|---|---:|---|---|');
  for (const [code, fs] of order) {
    const worst = fs.reduce((w, f) => (SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[w] ? f.severity : w), fs[0].severity);
    const causes = [...new Set(fs.map((f) => f.cause))].map((c) => `\`${c}\``).join(', ');
    out.push(`| ${TITLES[code]} (\`${code}\`) | ${fs.length} | ${worst} | ${causes} |`);
  }
  out.push('');
  for (const [code, fs] of order) {
    out.push(`## ${TITLES[code]}`, '');
    out.push('| severity | subject | cause |', '|---|---|---|');
    for (const f of fs) out.push(`| ${f.severity} | ${cell(subjectText(f))} | \`${f.cause}\` |`);
    out.push('');
    for (const f of fs) out.push(...findingDetail(f));
  }
  return visibleText(out.join('\n'));
}
