import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Box, render, Text, useApp, useInput, useStdout } from 'ink';
import { useEffect, useState } from 'react';
import type { Event } from '../../model/event.js';
import type { Report } from '../../model/report.js';
import type { Catalog } from '../../model/catalog.js';
import { type OutputPolicy, policyHost, policyStore, policyText } from '../../report/output.js';
import { reportMarkdown } from '../markdown/report-md.js';
import { App } from './app.js';
import { printable } from './text.js';
import { TimelineIndex } from './timeline-index.js';

/**
 * The full-screen app: the loading screen while the inputs are read, then the
 * main screen. Runs in the terminal's alternate screen, which is restored on
 * exit, on errors and on signals.
 */

export interface TuiOptions {
  /** Secrets masked, names replaced (cli.ts); the default masks secrets. */
  policy?: OutputPolicy;
  /** Names the kinds in the exported report. */
  catalog: Catalog;
  /** The caller already switched to the alternate screen. */
  alternateScreenEntered?: boolean;
}

/** How far reading the inputs has got: the loading screen shows it. */
export interface Progress {
  files: number;
  bytes: number;
  current?: string;
  host?: string;
  /** The line `analyze` prints on a terminal: bytes of the total, files, host, rate, time left. */
  summary?: string;
}

/** Reads the inputs (the command wires the pipeline in): the report, and every kept event for the whole timeline. */
export type TuiLoader = (onProgress: (p: Progress) => void) => Promise<{ report: Report; events: readonly Event[] }>;

interface Loaded {
  report: Report;
  index: TimelineIndex;
  lookup: Map<string, Event>;
}

export interface ProgressView {
  files: number;
  bytes: number;
  current?: string;
  hosts: Map<string, { files: number; bytes: number }>;
  summary?: string;
}

function useSize(): { width: number; height: number } {
  const { stdout } = useStdout();
  const get = (): { width: number; height: number } => ({ width: stdout.columns || 100, height: stdout.rows || 30 });
  const [size, setSize] = useState(get);
  // biome-ignore lint/correctness/useExhaustiveDependencies: get reads stdout only; listening again on every render would be waste
  useEffect(() => {
    const on = (): void => setSize(get());
    stdout.on('resize', on);
    return () => {
      stdout.off('resize', on);
    };
  }, [stdout]);
  return size;
}

export function Loading(props: { progress: ProgressView; width: number; error?: string; policy?: OutputPolicy }) {
  const { exit } = useApp();
  useInput((input) => {
    if (input === 'q') exit();
  });
  const p = props.progress;
  const policy = props.policy ?? { redact: true };
  const shown = (s: string): string => printable(policyText(s, policy));
  // the hosts first: learned, they are replaced in the summary's host and the path below
  const hosts = [...p.hosts.entries()].map(([h, v]) => [policyHost(h, policy), v] as const);
  return (
    <Box flexDirection="column" width={props.width}>
      <Text color="cyan">nova-forensics — reading the inputs (q or Ctrl-C to cancel)</Text>
      <Text wrap="truncate-end">{p.summary ? shown(p.summary) : `${p.files} files, ${(p.bytes / (1 << 20)).toFixed(1)} MiB read`}</Text>
      {hosts.map(([h, v]) => (
        <Text key={h} wrap="truncate-end">{`  ${h}: ${v.files} files, ${(v.bytes / (1 << 20)).toFixed(1)} MiB`}</Text>
      ))}
      <Text wrap="truncate-end" color="gray">
        {p.current ? shown(`parsing ${p.current}`) : 'starting'}
      </Text>
      {props.error ? <Text color="red">{shown(props.error)}</Text> : null}
    </Box>
  );
}

function Root(props: {
  load: (onProgress: (p: Progress) => void) => Promise<Loaded>;
  color: boolean;
  onExport(report: Report): string;
  policy?: OutputPolicy;
}) {
  const { width, height } = useSize();
  const [progress, setProgress] = useState<ProgressView>({ files: 0, bytes: 0, hosts: new Map() });
  const [loaded, setLoaded] = useState<Loaded>();
  const [error, setError] = useState<string>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the inputs are loaded once, when the app mounts
  useEffect(() => {
    let last = 0;
    let prevBytes = 0;
    const hosts = new Map<string, { files: number; bytes: number }>();
    let current = '';
    props
      .load((p) => {
        const h = hosts.get(p.host ?? '?') ?? { files: 0, bytes: 0 };
        if (p.current !== current) {
          h.files++;
          current = p.current ?? '';
        }
        h.bytes += p.bytes - prevBytes;
        prevBytes = p.bytes;
        hosts.set(p.host ?? '?', h);
        const now = Date.now();
        if (now - last > 100) {
          last = now;
          setProgress({ files: p.files, bytes: p.bytes, current: p.current, hosts: new Map(hosts), summary: p.summary });
        }
      })
      .then(setLoaded, (e: Error) => setError(`failed: ${e.message}`));
  }, []);
  if (!loaded) return <Loading progress={progress} width={width} error={error} policy={props.policy} />;
  return (
    <App
      report={loaded.report}
      index={loaded.index}
      lookup={loaded.lookup}
      width={width}
      height={height}
      color={props.color}
      onExport={() => props.onExport(loaded.report)}
    />
  );
}

export async function runTui(read: TuiLoader, opts: TuiOptions): Promise<void> {
  const out = process.stdout;
  const color = !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    out.write('\x1b[?25h\x1b[?1049l');
  };
  if (!opts.alternateScreenEntered) out.write('\x1b[?1049h\x1b[H\x1b[2J');
  process.once('exit', restore);
  for (const sig of ['SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      restore();
      process.exit(128 + (sig === 'SIGTERM' ? 15 : 1));
    });
  }
  const load = async (onProgress: (p: Progress) => void): Promise<Loaded> => {
    const { report: raw, events: kept } = await read(onProgress);
    const { report, events } = policyStore(raw, kept, opts.policy ?? { redact: true });
    const offsets = new Map(report.hosts.map((h) => [h.name, h.clockOffsetMs]));
    const lookup = new Map<string, Event>();
    for (const e of events) lookup.set(`${e.file}\u0000${e.line}`, e);
    return { report, index: new TimelineIndex(events, offsets), lookup };
  };
  const onExport = (report: Report): string => {
    const name = `nova-forensics-report-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}.md`;
    let path = resolve(name);
    try {
      writeFileSync(path, reportMarkdown(report, opts.catalog));
    } catch {
      path = join(process.env.TMPDIR ?? '/tmp', name);
      writeFileSync(path, reportMarkdown(report, opts.catalog));
    }
    return path;
  };
  try {
    const app = render(<Root load={load} color={color} onExport={onExport} policy={opts.policy} />, {
      exitOnCtrlC: true,
      patchConsole: true,
    });
    await app.waitUntilExit();
  } finally {
    restore();
  }
}
