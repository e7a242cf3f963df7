import type cliProgress from 'cli-progress';
import { createRequire } from 'node:module';
import type { Progress } from '../pipeline/ingest.js';
import { inputBytes } from '../pipeline/input-size.js';
import { ProgressMeter, progressText } from '../pipeline/progress-meter.js';
import { type OutputPolicy, policyHost } from '../report/output.js';

/**
 * The progress line on stderr: bytes read of the total, files, current host,
 * rate, time left. Only on a terminal, only without --quiet, and only once a
 * run has lasted a second (a small case finishes without it). cli-progress
 * redraws the one line in place and clears it at the end.
 */

export interface ProgressLine {
  onProgress?(p: Progress): void;
  /** Clears the line (before the report or a message is written). */
  stop(): void;
}

const SHOW_AFTER_MS = 1000;

/**
 * The host read comes from the inputs: `policy` decides what of it may be
 * printed (masked, obfuscated, escaped to one line: the line is redrawn in
 * place, a newline or ESC in it would break it or act on the terminal).
 */
export function progressLine(
  inputs: readonly string[],
  err: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  enabled: boolean,
  policy: OutputPolicy = { redact: true },
): ProgressLine {
  if (!enabled || err.isTTY !== true) return { stop() {} };
  const meter = new ProgressMeter(inputBytes(inputs));
  const started = Date.now();
  let bar: cliProgress.SingleBar | undefined;
  return {
    onProgress(p) {
      if (!bar) {
        if (Date.now() - started < SHOW_AFTER_MS) return;
        // Loaded only when a line is drawn: most runs (a pipe, --quiet, a small case) never draw one.
        const { SingleBar } = createRequire(import.meta.url)('cli-progress') as typeof cliProgress;
        bar = new SingleBar({
          stream: err,
          format: '{text}',
          hideCursor: true,
          clearOnComplete: true,
          linewrap: false,
          fps: 5,
        });
        bar.start(meter.total ?? 0, 0, { text: '' });
      }
      const f = meter.figures(p);
      bar.update(p.bytes, { text: progressText({ ...f, host: f.host && policyHost(f.host, policy) }) });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
