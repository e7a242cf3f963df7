import test from 'ava';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import type { Event } from '../src/model/event.js';
import { ingest, type Walk } from '../src/pipeline/ingest.js';
import { walkInputs, type WalkVisitor } from '../src/sources/walk.js';
import { WalkRecorder } from '../src/sources/walk-recording.js';
import { osloLine, sosTree, tar, tmp } from './helpers/fixture-tree.js';

/**
 * `--instance` walks its inputs twice; src/sources/walk-recording.ts records the first walk of an archive (each
 * file's bytes copied to a temp folder) and tells the second from the copies. What the second pass is told must
 * be what walking the archive again would tell it: the same calls in the same order, the same bytes, the same
 * errors where an archive or a file breaks off. These inputs hold the cases the walker has: a good sosreport
 * `.tar.xz`, one cut short, a loose `.gz` log whole and one cut short, a plain log and a folder (not recorded).
 */

function inputs(): { all: string[]; archives: string[]; plain: string[] } {
  const dir = tmp();
  const root = 'sosreport-cmp01-2024-10-02-abcdefg';
  sosTree(dir, root, 'cmp01');
  const good = tar(dir, root, join(tmp(), `${root}.tar.xz`), 'xz');
  const whole = readFileSync(good);
  const cut = join(tmp(), 'sosreport-cut-2024-10-02-abcdefg.tar.xz');
  writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
  const lines = Array.from({ length: 5000 }, (_, i) =>
    osloLine(`2024-10-01 10:00:${String(i % 60).padStart(2, '0')}.000`, 'INFO', 'nova.compute.manager', `line ${i} ${'x'.repeat(40)}`),
  ).join('\n');
  const gz = gzipSync(lines);
  const loose = tmp();
  const gzWhole = join(loose, 'nova-conductor.log.2.gz');
  writeFileSync(gzWhole, gz);
  const gzCut = join(loose, 'nova-compute.log.1.gz');
  writeFileSync(gzCut, gz.subarray(0, Math.floor(gz.length / 2)));
  const plain = join(loose, 'nova-scheduler.log');
  writeFileSync(plain, `${lines}\n`);
  const folder = tmp();
  sosTree(folder, 'sosreport-cmp02-2024-10-02-hijklmn', 'cmp02');
  return { all: [good, cut, gzWhole, gzCut, plain, folder], archives: [good, cut, gzWhole, gzCut], plain: [plain, folder] };
}

/** Everything a walk tells its visitor, in order, each file's bytes read whole (and where its reading broke). */
async function told(walk: Walk, all: readonly string[]): Promise<unknown[]> {
  const out: unknown[] = [];
  const v: WalkVisitor = {
    async file(f) {
      const { stream, diskPath: _d, ...meta } = f;
      const chunks: Buffer[] = [];
      let error: string | undefined;
      try {
        for await (const c of stream) chunks.push(Buffer.from(c));
      } catch (e) {
        error = (e as Error).message;
      }
      out.push({ file: meta, bytes: Buffer.concat(chunks).toString('base64'), error });
    },
    unrecognised: (...a) => void out.push({ unrecognised: a }),
    link: (...a) => void out.push({ link: a }),
    warn: (...a) => void out.push({ warn: a }),
    unreadable: (...a) => void out.push({ unreadable: a }),
    input: (...a) => void out.push({ input: a }),
    hostRenamed: (...a) => void out.push({ hostRenamed: a }),
  };
  await walk(all, {}, v);
  return out;
}

/** A first pass as `--instance`'s: it reads some files whole, the first chunk of others, and leaves the rest. */
const firstPass: WalkVisitor = {
  async file(f) {
    if (f.relPath.endsWith('.gz')) for await (const _ of f.stream) break;
    else if (f.relPath.includes('nova')) for await (const _ of f.stream);
  },
  unrecognised() {},
  warn() {},
};

test('a recorded walk tells the second pass what walking again would, from copies: archives are not read again', async (t) => {
  const { all, archives, plain } = inputs();
  const again = await told(walkInputs, all);
  const folder = tmp();
  const recorder = new WalkRecorder(folder);
  await recorder.walk(all, {}, firstPass);
  t.deepEqual(
    all.map((i) => recorder.recorded(i)),
    all.map((i) => archives.includes(i)),
  );
  t.true(readdirSync(folder).length > 0);
  // The archives are gone: the second pass can only read their copies.
  for (const a of archives) renameSync(a, `${a}.moved`);
  const replayed = await told((i, o, v) => recorder.replay(i, o, v), all);
  t.deepEqual(replayed, again);
  // The cut archive's and the cut gzip's errors are told where walking met them.
  t.true(again.some((c) => (c as { error?: string }).error !== undefined));
  t.true(plain.length === 2);
});

test('the reading of a recorded walk: the same events and coverage as reading the inputs again', async (t) => {
  const { all } = inputs();
  const read = async (walk?: Walk) => {
    const events: Event[] = [];
    const coverage = await ingest(all, walk ? { walk } : {}, { event: (e) => events.push(e) });
    return { events: events.map((e) => `${e.file}:${e.line} ${e.level} ${e.message}`), coverage };
  };
  const again = await read();
  const recorder = new WalkRecorder(tmp());
  await recorder.walk(all, {}, firstPass);
  const replayed = await read((i, o, v) => recorder.replay(i, o, v));
  t.deepEqual(replayed.events, again.events);
  t.deepEqual(replayed.coverage, again.coverage);
  t.true(again.events.length > 5000);
  t.true(again.coverage.warnings.length >= 2, 'the cut archive and the cut gzip are said');
});

test('past its budget of disk an archive is not recorded (its copies removed) and is walked again', async (t) => {
  const { all, archives } = inputs();
  const again = await told(walkInputs, all);
  const folder = tmp();
  // Room for the sosreports' small members, not for the loose gzips' 600 KB of lines each.
  const recorder = new WalkRecorder(folder, 200_000);
  await recorder.walk(all, {}, firstPass);
  t.deepEqual(
    archives.map((a) => recorder.recorded(a)),
    [true, true, false, false],
  );
  t.deepEqual(await told((i, o, v) => recorder.replay(i, o, v), all), again);
  // What is left in the folder are the copies of the inputs recorded, one per file.
  const recordedFiles = (again as { file?: { input: string } }[]).filter((c) => c.file && recorder.recorded(c.file.input)).length;
  t.true(recordedFiles > 0);
  t.is(readdirSync(folder).length, recordedFiles);
});

test("the room a recording given up took is the next input's", async (t) => {
  const { archives } = inputs();
  const [, , whole, cut] = archives;
  const w = gunzipSync(readFileSync(whole)).length;
  const c = gunzipSync(readFileSync(cut), { finishFlush: constants.Z_SYNC_FLUSH }).length;
  t.true(c < w);
  // Room for the cut gzip's lines, not for the whole one's: the whole one, first, takes room until it is given up.
  const recorder = new WalkRecorder(tmp(), Math.floor((w + c) / 2));
  await recorder.walk([whole, cut], {}, firstPass);
  t.false(recorder.recorded(whole));
  t.true(recorder.recorded(cut));
});
