import test from 'ava';
import { join } from 'node:path';
import { uuidsIn } from '../src/correlate/classify.js';
import { ingest } from '../src/pipeline/ingest.js';
import { REAL_CORPUS } from './helpers/real-corpus.js';
import { CORPUS, ROOT, SEEDS, withShared } from './helpers/shared.js';

/**
 * `uuidsIn` replaced a regex with a lookbehind (a hand scan is several times
 * faster on every kept event's message); it must find exactly what the regex
 * found, on the edges below and on every message and raw line of the real logs.
 */
const UUID = /(?<!req-)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;
const byRegex = (s: string): string[] => [...s.matchAll(UUID)].map((m) => m[0]);

const U = '8f4b2d1c-3a5e-4c6d-9e7f-0a1b2c3d4e5f';
const cases: [string, string[]][] = [
  [`Instance ${U} has allocations`, [U]],
  [U, [U]],
  [`[instance: ${U}]`, [U]],
  [`req-${U}`, []],
  [`(req-${U}) ${U}`, [U]],
  [`xreq-${U}`, []],
  [`Xreq-${U}`, []],
  [`a${U}`, []],
  [`${U}a`, []],
  [`${U}_`, []],
  [`_${U}`, []],
  [`-${U}-`, [U]],
  [`${U.toUpperCase()}`, []],
  [`${U.slice(0, 35)}`, []],
  [`${U.slice(0, 35)}g`, []],
  [`${U}${U}`, []],
  [`${U},${U}`, [U, U]],
  [`${U}-${U}`, [U, U]],
  [`12345678-${U}`, [U]],
  [`--------${U}`, [U]],
  ['allocations: {"8f4b2d1c-3a5e-4c6d-9e7f-0a1b2c3d4e5f": {}}', [U]],
  [`é${U}`, [U]],
  ['', []],
  ['no dash here', []],
];

test('uuidsIn finds what the regex finds on the edge cases', (t) => {
  for (const [s, want] of cases) {
    t.deepEqual(byRegex(s), want, `the regex on ${s}`);
    t.deepEqual(uuidsIn(s), want, s);
  }
});

withShared()('uuidsIn finds what the regex finds on every message and line of the real logs', async (t) => {
  let texts = 0;
  let found = 0;
  const wrong: string[] = [];
  await ingest(
    [join(ROOT, 'samples'), SEEDS, REAL_CORPUS, CORPUS],
    {},
    {
      event(ev) {
        for (const s of [ev.message, ev.raw, ...(ev.traceback ?? [])]) {
          texts++;
          const want = byRegex(s);
          found += want.length;
          const got = uuidsIn(s);
          if (got.join() !== want.join() && wrong.length < 10) wrong.push(s.slice(0, 200));
        }
      },
    },
  );
  t.deepEqual(wrong, []);
  // Not vacuous: the real logs name instances, providers and migrations by uuid everywhere.
  t.true(texts > 50_000 && found > 10_000, `${texts} texts, ${found} uuids`);
});
