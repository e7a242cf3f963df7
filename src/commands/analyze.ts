import { closeSync, openSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import type { Report } from '../model/report.js';
import { analyzeInputs } from '../pipeline/analyze.js';
import { CATALOG, detectorsOf } from '../registry/index.js';
import { redactDeep } from '../report/redact.js';
import { coverageText } from '../views/coverage-text.js';
import { reportJsonPieces, reportNdjsonPieces } from '../views/report-json.js';
import { reportSummary } from '../views/report-summary.js';
import { reportMarkdown } from '../views/markdown/report-md.js';
import { progressLine } from './progress.js';

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
  /** The progress line on stderr when it is a terminal (default true; --quiet turns it off). */
  progress?: boolean;
}

export async function runAnalyze(
  a: AnalyzeArgs,
  out: { write(s: string): boolean },
  err: NodeJS.WritableStream & { write(s: string): boolean; isTTY?: boolean },
): Promise<Report> {
  const line = progressLine(a.inputs, err, a.progress !== false);
  let report: Report;
  try {
    report = await analyzeInputs(a.inputs, { host: a.host, tz: a.tz, detectors: detectorsOf(a.kinds), progress: line.onProgress });
  } finally {
    line.stop();
  }
  // The unredacted report is let go before the text is made: two copies of a big report at once cost memory.
  if (a.redact !== false) report = redactDeep(report);
  // JSON comes in pieces (an incident at a time): a report of thousands of incidents is never one string.
  const pieces: Iterable<string> =
    a.format === 'json'
      ? reportJsonPieces(report)
      : a.format === 'ndjson'
        ? reportNdjsonPieces(report)
        : [a.format === 'md' ? reportMarkdown(report, CATALOG) : reportSummary(report)];
  if (a.output) {
    const fd = openSync(a.output, 'w');
    try {
      for (const p of pieces) writeSync(fd, p);
    } finally {
      closeSync(fd);
    }
    err.write(`nova-forensics: wrote ${a.output}\n`);
  } else {
    for (const p of pieces) if (!out.write(p) && 'once' in out) await once(out as unknown as NodeJS.EventEmitter, 'drain');
  }
  if (a.verbose || a.format !== 'summary') err.write(`${coverageText(report.coverage, { verbose: a.verbose })}\n`);
  return report;
}
