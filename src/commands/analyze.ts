import type { Report } from '../model/report.js';
import { analyzeInputs } from '../pipeline/analyze.js';
import { redactDeep } from '../report/redact.js';
import { coverageText } from '../views/coverage-text.js';
import { reportJson, reportNdjson } from '../views/report-json.js';
import { reportSummary } from '../views/report-summary.js';

/** `nova-forensics analyze INPUT...`: incidents, findings, timelines, in the format asked. */

export type AnalyzeFormat = 'json' | 'ndjson' | 'summary';

export interface AnalyzeArgs {
  inputs: string[];
  host?: string;
  tz?: string[];
  format: AnalyzeFormat;
  redact?: boolean;
  verbose?: boolean;
}

export async function runAnalyze(a: AnalyzeArgs, out: { write(s: string): boolean }, err: { write(s: string): boolean }): Promise<Report> {
  const raw = await analyzeInputs(a.inputs, { host: a.host, tz: a.tz });
  const report = a.redact === false ? raw : redactDeep(raw);
  if (a.format === 'json') out.write(reportJson(report));
  else if (a.format === 'ndjson') out.write(reportNdjson(report));
  else out.write(reportSummary(report));
  if (a.verbose || a.format !== 'summary') err.write(`${coverageText(report.coverage, { verbose: a.verbose })}\n`);
  return report;
}
