import { closeSync, openSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import type { Report } from '../model/report.js';
import { analyze } from '../pipeline/analyze.js';
import { CATALOG, detectorsOf } from '../registry/index.js';
import { type OutputPolicy, policyReport, policyText, writeObfuscationMap } from '../report/output.js';
import { coverageText } from '../views/coverage-text.js';
import { reportJsonPieces, reportNdjsonPieces } from '../views/report-json.js';
import { reportSummary } from '../views/report-summary.js';
import { reportMarkdown } from '../views/markdown/report-md.js';
import { progressLine } from './progress.js';
import type { TimeWindow } from '../pipeline/window.js';

/** `nova-forensics analyze INPUT...`: incidents, findings, timelines, in the format asked. */

export type AnalyzeFormat = 'json' | 'ndjson' | 'md' | 'summary' | 'auto' | 'tui';

export interface AnalyzeArgs {
  inputs: string[];
  host?: string;
  tz?: string[];
  format: AnalyzeFormat;
  /** Secrets masked, names replaced: decided once for the run (cli.ts). */
  policy?: OutputPolicy;
  /** `--obfuscate-map FILE`. */
  obfuscateMap?: string;
  verbose?: boolean;
  /** Write to this file rather than `out`. */
  output?: string;
  /** Only incidents of these kinds: the other detectors do not run. */
  kinds?: string[];
  /** The progress line on stderr when it is a terminal (default true; --quiet turns it off). */
  progress?: boolean;
  /** `--jobs`: 2 or more parses big plain logs in a parse worker too. */
  jobs?: number;
  /** `--since` / `--until` (pipeline/window.ts). */
  window?: TimeWindow;
  /** `--instance`: the report keeps what is about this instance. */
  instance?: string;
}

export async function runAnalyze(
  a: AnalyzeArgs,
  out: { write(s: string): boolean },
  err: NodeJS.WritableStream & { write(s: string): boolean; isTTY?: boolean },
): Promise<Report> {
  const policy = a.policy ?? { redact: true };
  const line = progressLine(a.inputs, err, a.progress !== false, policy);
  let analyzed: Awaited<ReturnType<typeof analyze>> | undefined;
  try {
    analyzed = await analyze(a.inputs, {
      host: a.host,
      tz: a.tz,
      detectors: detectorsOf(a.kinds),
      progress: line.onProgress,
      parallel: (a.jobs ?? 1) > 1 ? { workers: a.jobs! - 1 } : false,
      window: a.window,
      instance: a.instance,
    });
  } finally {
    line.stop();
  }
  // the events behind the report lend it the secret values they held (a key on one line, its value on the next)
  // The lines not understood are shown with --verbose only.
  const report = withSamplesIf(a.verbose === true, policyReport(analyzed.report, policy, analyzed.store.events));
  // The unpoliced report and its store are let go before the text is made: two copies of a big report at once cost memory.
  analyzed = undefined;
  // JSON comes in pieces (an incident at a time): a report of thousands of incidents is never one string.
  const pieces: Iterable<string> =
    a.format === 'json'
      ? reportJsonPieces(report)
      : a.format === 'ndjson'
        ? reportNdjsonPieces(report)
        : [a.format === 'md' ? reportMarkdown(report, CATALOG, { verbose: a.verbose }) : reportSummary(report)];
  if (a.output) {
    const fd = openSync(a.output, 'w');
    try {
      for (const p of pieces) writeSync(fd, p);
    } finally {
      closeSync(fd);
    }
    err.write(`nova-forensics: wrote ${policyText(a.output, { redact: true })}\n`);
  } else {
    for (const p of pieces) if (!out.write(p) && 'once' in out) await once(out as unknown as NodeJS.EventEmitter, 'drain');
  }
  if (a.obfuscateMap && a.policy?.obfuscator) {
    writeObfuscationMap(a.obfuscateMap, a.policy?.obfuscator);
    err.write(
      `nova-forensics: wrote the obfuscation mapping to ${policyText(a.obfuscateMap, { redact: true })} (keep it private: it undoes the obfuscation)\n`,
    );
  }
  if (a.verbose || a.format !== 'summary')
    err.write(
      `${coverageText(report.coverage, { verbose: a.verbose, obfuscation: report.coverage.obfuscation, window: report.coverage.window, focus: report.coverage.focus })}\n`,
    );
  return report;
}

/** The lines not understood are shown with --verbose only, in every format. */
function withSamplesIf(verbose: boolean, r: Report): Report {
  if (verbose) return r;
  return { ...r, coverage: { ...r.coverage, files: r.coverage.files.map(({ unparsedSample: _s, ...f }) => f) } };
}
