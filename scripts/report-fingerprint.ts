import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeInputs } from '../src/pipeline/analyze.js';

/**
 * The JSON report of every sample and every real-corpus input, without
 * `generatedAt`: what a refactor or a speed-up must leave byte-identical.
 *
 *   node dist/scripts/report-fingerprint.js --out /tmp/before   # on the old build
 *   node dist/scripts/report-fingerprint.js --out /tmp/after    # on the new one
 *   diff -r /tmp/before /tmp/after
 *
 * `--pieces BYTES` makes them with a parse worker (`--jobs 2`) and pieces of
 * that size (a few KiB cut every input many times): the same files must come out.
 *
 * Without --out it prints one sha256 per input. Inputs: the two samples, each
 * top-level entry of ../shared/corpus/real and of test/corpus/real (when present).
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function inputs(): { name: string; paths: string[] }[] {
  const out: { name: string; paths: string[] }[] = [];
  for (const s of ['antelope-kolla', 'pike-rdo']) out.push({ name: `samples__${s}`, paths: [join('samples', s)] });
  // Relative paths: two checkouts side by side give the same report.
  for (const [label, dir] of [
    ['shared', join('..', 'shared', 'corpus', 'real')],
    ['corpus', join('test', 'corpus', 'real')],
  ] as const) {
    if (!existsSync(dir)) continue;
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) out.push({ name: `${label}__${e.name}`, paths: [join(dir, e.name)] });
    }
  }
  return out;
}

async function main(): Promise<void> {
  process.chdir(ROOT);
  const i = process.argv.indexOf('--out');
  const outDir = i > 0 ? process.argv[i + 1] : undefined;
  if (outDir) mkdirSync(outDir, { recursive: true });
  const p = process.argv.indexOf('--pieces');
  const pieceBytes = p > 0 ? Number(process.argv[p + 1]) : undefined;
  for (const { name, paths } of inputs()) {
    const report = await analyzeInputs(paths, { parallel: pieceBytes ? { pieceBytes } : false });
    const { generatedAt: _g, ...rest } = report;
    const text = `${JSON.stringify(rest, null, 1)}\n`;
    if (outDir) writeFileSync(join(outDir, `${name}.json`), text);
    process.stdout.write(`${createHash('sha256').update(text).digest('hex').slice(0, 16)}  ${name}\n`);
  }
}

await main();
