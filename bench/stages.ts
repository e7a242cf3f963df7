import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { EventStore } from '../src/correlate/event-store.js';
import { DETECTORS } from '../src/detectors/index.js';
import { keepRule } from '../src/registry/keep.js';
import { analyze, type AnalyzeOptions } from '../src/pipeline/analyze.js';
import { policyReport } from '../src/report/output.js';
import { reportJson } from '../src/views/report-json.js';
import { LineSplitter } from '../parsers/lines.js';
import { parseOsloLine } from '../parsers/oslo-log.js';
import { OsloEventParser } from '../parsers/oslo-events.js';

/**
 * Where `analyze`'s time goes, stage by stage, in CPU seconds (steadier than
 * wall time on a shared machine). The ingest stages are measured cumulatively
 * on the same file: read; + split lines; + the oslo header of every line;
 * + full events (context, folding, exceptions, placement queries); + the event
 * store. The stage's own cost is the difference with the row above. Then one
 * real `analyze` run gives ingest, correlate, detect and report, and the JSON
 * output is timed on its report.
 *
 *   node dist/bench/stages.js LOG [LOG…] [--runs N]   (median of N, default 1)
 */

const MiB = 1 << 20;

function cpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function pass(path: string, onChunk: (c: Buffer) => void): Promise<void> {
  for await (const c of createReadStream(path, { highWaterMark: 256 * 1024 })) onChunk(c as Buffer);
}

const own = (l: string): string => (l.length < 13 ? l : ` ${l}`.slice(1));
/** What each stage produced, printed at the end so no stage's work can be optimised away. */
const produced: number[] = [];

type Stage = { name: string; run: (path: string) => Promise<void> };

const STAGES: Stage[] = [
  { name: 'read (256 KiB chunks)', run: (p) => pass(p, () => {}) },
  {
    name: '+ split lines (decode UTF-8, own copies)',
    run: async (p) => {
      let n = 0;
      const s = new LineSplitter((l) => {
        n += own(l).length;
      });
      await pass(p, (c) => s.push(c));
      s.end();
      produced.push(n);
    },
  },
  {
    name: '+ oslo header of every line',
    run: async (p) => {
      let n = 0;
      const s = new LineSplitter((l) => {
        if (parseOsloLine(own(l))) n++;
      });
      await pass(p, (c) => s.push(c));
      s.end();
      produced.push(n);
    },
  },
  {
    name: '+ event build (context, folding, exceptions, queries)',
    run: async (p) => {
      let n = 0;
      const parser = new OsloEventParser({ host: 'h', file: p }, () => {
        n++;
      });
      const s = new LineSplitter((l, i) => parser.push(own(l), i));
      await pass(p, (c) => s.push(c));
      s.end();
      parser.end();
      produced.push(n);
    },
  },
  {
    name: '+ event store (keep, index, request table)',
    run: async (p) => {
      const store = new EventStore(keepRule(DETECTORS));
      const parser = new OsloEventParser({ host: 'h', file: p }, (e) => store.add(e));
      const s = new LineSplitter((l, i) => parser.push(own(l), i));
      await pass(p, (c) => s.push(c));
      s.end();
      parser.end();
    },
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[(s.length - 1) >> 1];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const ri = args.indexOf('--runs');
  const runs = ri === -1 ? 1 : Number(args.splice(ri, 2)[1]);
  for (const path of args) {
    let bytes = 0;
    await pass(path, (c) => {
      bytes += c.length;
    });
    const mb = bytes / MiB;
    process.stdout.write(`\n${basename(path)}: ${mb.toFixed(0)} MiB, CPU seconds (median of ${runs})\n`);
    process.stdout.write('| stage | cumulative s | stage s | share of analyze |\n|---|---:|---:|---:|\n');
    const cum: { name: string; s: number }[] = [];
    for (const st of STAGES) {
      const xs: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = cpu();
        await st.run(path);
        xs.push(cpu() - t0);
      }
      cum.push({ name: st.name, s: median(xs) });
    }
    const phases: NonNullable<AnalyzeOptions['timings']>[] = [];
    const outs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const timings: NonNullable<AnalyzeOptions['timings']> = {};
      const { report, store } = await analyze([path], { timings });
      const t0 = cpu();
      // as runAnalyze does: the stored events lend the report the secret values they held
      reportJson(policyReport(report, { redact: true }, store.events));
      outs.push(cpu() - t0);
      phases.push(timings);
    }
    const ph = (k: 'ingest' | 'correlate' | 'detect' | 'report'): number => median(phases.map((p) => (p[k] ?? 0) / 1000));
    const out = median(outs);
    const total = ph('ingest') + ph('correlate') + ph('detect') + ph('report') + out;
    let prev = 0;
    for (const c of cum) {
      process.stdout.write(
        `| ${c.name} | ${c.s.toFixed(2)} | ${(c.s - prev).toFixed(2)} | ${((100 * (c.s - prev)) / total).toFixed(0)}% |\n`,
      );
      prev = c.s;
    }
    const rows: [string, number][] = [
      ['analyze: ingest (walk, all of the above)', ph('ingest')],
      ['analyze: correlate (db index, audit, clock offsets)', ph('correlate')],
      ['analyze: detect (every detector)', ph('detect')],
      ['analyze: report (hosts, links)', ph('report')],
      ['output: redact (report and stored events) + JSON', out],
    ];
    for (const [n, s] of rows) process.stdout.write(`| ${n} | | ${s.toFixed(2)} | ${((100 * s) / total).toFixed(0)}% |\n`);
    process.stdout.write(`| **analyze + output** | | **${total.toFixed(2)}** | ${(mb / total).toFixed(1)} MiB per CPU s |\n`);
  }
  process.stderr.write(`(stages produced: ${produced.join(', ')})\n`);
}

await main();
