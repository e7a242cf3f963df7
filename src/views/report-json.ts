import type { Report } from '../model/report.js';

/** The report model as JSON (documented in docs/report-schema.md), or as NDJSON: one line per record, typed. */

export function reportJson(r: Report): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

export function reportNdjson(r: Report): string {
  const lines: string[] = [];
  const { incidents, findings, ...head } = r;
  lines.push(JSON.stringify({ type: 'report', ...head }));
  for (const i of incidents) lines.push(JSON.stringify({ type: 'incident', ...i }));
  for (const f of findings) lines.push(JSON.stringify({ type: 'finding', ...f }));
  return `${lines.join('\n')}\n`;
}
