import { writeFileSync } from 'node:fs';
import type { Report } from '../model/report.js';
import { analyzeInputs } from '../pipeline/analyze.js';
import { CATALOG, detectorsOf } from '../registry/index.js';
import { redactDeep } from '../report/redact.js';
import { coverageText } from '../views/coverage-text.js';
import { reportJson, reportNdjson } from '../views/report-json.js';
import { reportSummary } from '../views/report-summary.js';
import { reportMarkdown } from '../views/markdown/report-md.js';

/** `nova-forensics analyze INPUT...`: incidents, findings, timelines, in the format asked. */

export type AnalyzeFormat = 'json' | 'ndjson' | 'md' | 'summary' | 'auto' | 'tui';

export interface AnalyzeArgs {
  inputs: string[];
  host?: string;
  tz?: string[];
  format: AnalyzeFormat;
  redact?: boolean;
  verbose?: boolean;
  /** Write to this file rather than `out`. */
  output?: string;
  /** Only incidents of these kinds: the other detectors do not run. */
  kinds?: string[];
}

export async function runAnalyze(a: AnalyzeArgs, out: { write(s: string): boolean }, err: { write(s: string): boolean }): Promise<Report> {
  const raw = await analyzeInputs(a.inputs, { host: a.host, tz: a.tz, detectors: detectorsOf(a.kinds) });
  const report = a.redact === false ? raw : redactDeep(raw);
  const text =
    a.format === 'json'
      ? reportJson(report)
      : a.format === 'ndjson'
        ? reportNdjson(report)
        : a.format === 'md'
          ? reportMarkdown(report, CATALOG)
          : reportSummary(report);
  if (a.output) {
    writeFileSync(a.output, text);
    err.write(`nova-forensics: wrote ${a.output}\n`);
  } else out.write(text);
  if (a.verbose || a.format !== 'summary') err.write(`${coverageText(report.coverage, { verbose: a.verbose })}\n`);
  return report;
}
