import type { Progress } from './ingest.js';

/**
 * Progress figures from ingest's counters: bytes read of the total (when the
 * inputs' size is known), the rate since the start, and the time left at that
 * rate. One place, so the terminal line and the TUI's loading screen say the
 * same.
 */

export interface ProgressFigures {
  bytes: number;
  /** Bytes the inputs hold, when known (plain files, folders, tar, gzip and xz trailers). */
  total?: number;
  files: number;
  host?: string;
  current?: string;
  /** A pass before the reading, said first. */
  phase?: string;
  /** Bytes per second since the start. */
  rate?: number;
  /** Seconds left at that rate, when the total is known. */
  etaSeconds?: number;
  elapsedSeconds: number;
}

export class ProgressMeter {
  private readonly started: number;

  constructor(
    readonly total: number | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  figures(p: Progress): ProgressFigures {
    const elapsedSeconds = (this.now() - this.started) / 1000;
    const rate = elapsedSeconds > 0.2 ? p.bytes / elapsedSeconds : undefined;
    // What is read can pass the estimate (members of an archive not counted in it): then there is no ETA.
    const left = this.total !== undefined && p.bytes < this.total ? this.total - p.bytes : undefined;
    return {
      bytes: p.bytes,
      total: this.total,
      files: p.files,
      host: p.host,
      current: p.current,
      ...(p.phase ? { phase: p.phase } : {}),
      rate,
      etaSeconds: left !== undefined && rate ? left / rate : undefined,
      elapsedSeconds,
    };
  }
}

export function mib(bytes: number): string {
  return `${(bytes / (1 << 20)).toFixed(bytes < 10 << 20 ? 1 : 0)} MiB`;
}

export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** One line: `412 MiB of 1.9 GiB (21%), 3 files, host cmp01, 38 MiB/s, about 40 s left`. */
export function progressText(f: ProgressFigures): string {
  const parts: string[] = f.phase ? [f.phase] : [];
  const pct = f.total ? Math.min(99, Math.floor((100 * f.bytes) / f.total)) : undefined;
  parts.push(f.total ? `${mib(f.bytes)} of ${mib(f.total)} (${pct}%)` : `${mib(f.bytes)} read`);
  parts.push(`${f.files} file${f.files === 1 ? '' : 's'}`);
  if (f.host) parts.push(`host ${f.host}`);
  if (f.rate) parts.push(`${mib(f.rate)}/s`);
  if (f.etaSeconds !== undefined) parts.push(`about ${duration(f.etaSeconds)} left`);
  return parts.join(', ');
}
