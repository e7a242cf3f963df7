import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CorpusFolder,
  FAMILY_NAMES,
  judgeFolder,
  loadRealCorpus,
  type Manifest,
  type ParseResult,
  parseExcerpt,
  releaseFamily,
  type VerdictResult,
} from '../test/helpers/real-corpus.js';

/**
 * `npm run corpus-table`: the real-world corpus (test/corpus/real) as the
 * README shows it: per release family and per deployment, how many excerpts
 * and record lines, the share of record lines read as events, and the
 * incidents expected, found with the right cause, and raised where none was.
 * The figures come from the same functions the corpus test asserts on.
 */

interface Row {
  sources: number;
  excerpts: number;
  recordLines: number;
  understood: number;
  expected: number;
  rightCause: number;
  falseAlarms: number;
}

const empty = (): Row => ({ sources: 0, excerpts: 0, recordLines: 0, understood: 0, expected: 0, rightCause: 0, falseAlarms: 0 });

function add(into: Row, parses: ParseResult[], v: VerdictResult): void {
  into.sources++;
  into.excerpts += parses.length;
  for (const p of parses) {
    into.recordLines += p.recordLines;
    into.understood += Math.min(p.events, p.recordLines);
  }
  into.expected += v.expected.length;
  into.rightCause += v.rightCause;
  into.falseAlarms += v.falseAlarms.length;
}

function pct(n: number, d: number): string {
  return d === 0 ? '–' : `${((100 * n) / d).toFixed(1)}%`;
}

function table(title: string, rows: Map<string, Row>, order: string[]): string {
  const out = [
    `| ${title} | sources | excerpts | record lines | understood | incidents expected | found, right cause | false alarms |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const total = empty();
  for (const k of order) {
    const r = rows.get(k);
    if (!r) continue;
    for (const f of Object.keys(total) as (keyof Row)[]) total[f] += r[f];
    out.push(
      `| ${k} | ${r.sources} | ${r.excerpts} | ${r.recordLines} | ${pct(r.understood, r.recordLines)} | ${r.expected} | ${r.rightCause} | ${r.falseAlarms} |`,
    );
  }
  out.push(
    `| **all** | ${total.sources} | ${total.excerpts} | ${total.recordLines} | ${pct(total.understood, total.recordLines)} | ${total.expected} | ${total.rightCause} | ${total.falseAlarms} |`,
  );
  return out.join('\n');
}

async function main(): Promise<void> {
  const folders = loadRealCorpus();
  const invalid = folders.filter((f) => !f.manifest);
  for (const f of invalid) process.stderr.write(`${f.slug}: manifest not valid, left out: ${f.errors.join('; ')}\n`);
  const byFamily = new Map<string, Row>();
  const byDeployment = new Map<string, Row>();
  for (const f of folders.filter((x): x is CorpusFolder & { manifest: Manifest } => !!x.manifest)) {
    const parses: ParseResult[] = [];
    for (const e of f.manifest.excerpts) parses.push(await parseExcerpt(f.dir, e));
    const v = await judgeFolder(f);
    const fam = releaseFamily(f.manifest.release);
    if (!byFamily.has(fam)) byFamily.set(fam, empty());
    add(byFamily.get(fam)!, parses, v);
    if (!byDeployment.has(f.manifest.deployment)) byDeployment.set(f.manifest.deployment, empty());
    add(byDeployment.get(f.manifest.deployment)!, parses, v);
  }
  const deployments = [...byDeployment.keys()].sort((a, b) => (a === 'unknown' ? 1 : b === 'unknown' ? -1 : a.localeCompare(b)));
  const text =
    `${table('release family', byFamily, FAMILY_NAMES)}\n\n${table('deployment', byDeployment, deployments)}\n\n` +
    '"understood": record lines that became events (at most one per record line), over all record lines. ' +
    '"found, right cause": expected incidents reported with their kind, instance and cause; ' +
    '"false alarms": incidents reported that no verdict expects.\n';
  if (process.argv.includes('--readme')) writeReadme(text);
  else process.stdout.write(text);
}

/** `--readme`: the tables replace what stands between the README's corpus-table markers. */
function writeReadme(text: string): void {
  const path = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md');
  const readme = readFileSync(path, 'utf8');
  const open = '<!-- corpus-table: npm run corpus-table -- --readme -->\n';
  const close = '<!-- /corpus-table -->';
  const from = readme.indexOf(open);
  const to = readme.indexOf(close);
  if (from < 0 || to < from) throw new Error(`README.md has no ${open.trim()} … ${close} markers`);
  writeFileSync(path, `${readme.slice(0, from + open.length)}\n${text}\n${readme.slice(to)}`);
  process.stdout.write(`wrote the corpus tables into ${path}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
