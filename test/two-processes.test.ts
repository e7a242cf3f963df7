import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { analyze, type AnalyzeOptions } from '../src/pipeline/analyze.js';
import type { Report } from '../src/model/report.js';
import { tmp } from './helpers/fixture-tree.js';
import { CORPUS, ROOT, withShared } from './helpers/shared.js';

/**
 * `--jobs 2`: big plain logs cut into pieces, every other one parsed by a parse worker, the results taken in
 * file order. The report must be the one a single process makes, byte for byte but its time of making —
 * incidents, timelines, coverage counts, unparsed samples, request sightings behind the clock offsets. Pieces
 * of 16 KiB make the samples and the real corpus cut dozens of times (the real size is 4 MiB).
 */

const PIECE = 16 * 1024;

/** The antelope sample's nova-compute.log (kolla, 2023.1), the bytes the built cases start from. */
const computeLog = (): Buffer =>
  readFileSync(
    join(ROOT, 'samples', 'antelope-kolla', 'sosreport-cmp02-2024-10-02-tnfoubc', 'var', 'log', 'kolla', 'nova', 'nova-compute.log'),
  );

const json = (r: Report): string => JSON.stringify({ ...r, generatedAt: '' });

async function both(inputs: string[], parallel: Omit<NonNullable<Exclude<AnalyzeOptions['parallel'], false>>, 'done'> = {}) {
  const one = (await analyze(inputs, { parallel: false })).report;
  let pieces = { worker: 0, here: 0 };
  const two = (
    await analyze(inputs, {
      parallel: {
        pieceBytes: PIECE,
        ...parallel,
        done: (p) => {
          pieces = p;
        },
      },
    })
  ).report;
  return { one, two, pieces };
}

test('the antelope sample: the same report from two processes, many pieces parsed by the worker', async (t) => {
  const { one, two, pieces } = await both([join(ROOT, 'samples', 'antelope-kolla')]);
  t.true(one.incidents.length > 0);
  t.true(pieces.worker >= 5, `pieces parsed by the worker: ${pieces.worker}`);
  t.is(json(two), json(one));
});

test('the pike sample: the same report from two processes', async (t) => {
  const { one, two } = await both([join(ROOT, 'samples', 'pike-rdo')]);
  t.is(json(two), json(one));
});

withShared()('real logs (hotsos): the same report from two processes', async (t) => {
  const { one, two, pieces } = await both([join(CORPUS, 'hotsos')]);
  t.true(pieces.worker + pieces.here > 10, JSON.stringify(pieces));
  t.is(json(two), json(one));
});

withShared()('real logs a collector prefixed (loghub): never cut, the same report', async (t) => {
  const { one, two, pieces } = await both([join(CORPUS, 'loghub-openstack')]);
  t.deepEqual(pieces, { worker: 0, here: 0 });
  t.is(json(two), json(one));
});

test('two workers (`--jobs 3`: this process only reads and takes results): the same report', async (t) => {
  const { one, two, pieces } = await both([join(ROOT, 'samples', 'antelope-kolla')], { workers: 2 });
  t.is(pieces.here, 0);
  t.true(pieces.worker >= 5, `pieces parsed by the workers: ${pieces.worker}`);
  t.is(json(two), json(one));
});

test('a compressed log (read through its stream, not by position): the same report', async (t) => {
  const dir = tmp('gz-pieces');
  const log = computeLog();
  writeFileSync(join(dir, 'nova-compute.log.1.gz'), gzipSync(log));
  const { one, two, pieces } = await both([dir]);
  t.true(pieces.worker >= 3, `pieces parsed by the worker: ${pieces.worker}`);
  t.is(json(two), json(one));
});

test('a line of megabytes in the middle (no place to cut for many pieces): read by the parser of the file, the same report', async (t) => {
  const dir = tmp('long-line-pieces');
  const log = computeLog();
  // What a crash leaves: a run of garbage with no line end, then the log goes on. Before it, more than a
  // read's worth of lines (the log four times over), so that pieces are being cut when it comes.
  writeFileSync(join(dir, 'nova-compute.log'), Buffer.concat([log, log, log, log, Buffer.alloc(3 << 20, 'x'), Buffer.from('\n'), log]));
  const { one, two, pieces } = await both([dir]);
  t.true(pieces.worker >= 3, `pieces parsed by the worker: ${pieces.worker}`);
  t.is(json(two), json(one));
});

test('a worker that dies at once: every piece is parsed here instead, the same report', async (t) => {
  const dead = join(tmp('dead-worker'), 'worker.mjs');
  writeFileSync(dead, 'process.exit(3);\n');
  const { one, two, pieces } = await both([join(ROOT, 'samples', 'antelope-kolla')], { script: dead });
  t.is(pieces.worker, 0);
  t.is(json(two), json(one));
});

test('a store that makes no event again from its line (spilled context as JSON) gets no parse worker, whose context comes as lines', async (t) => {
  const inputs = [join(ROOT, 'samples', 'antelope-kolla')];
  let pieces: { worker: number; here: number } | undefined;
  const asJson = (await analyze(inputs, { store: { rebuild: undefined }, parallel: { pieceBytes: PIECE, done: (p) => (pieces = p) } }))
    .report;
  t.is(pieces, undefined);
  t.is(json(asJson), json((await analyze(inputs, { parallel: false })).report));
});
