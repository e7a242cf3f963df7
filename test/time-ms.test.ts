import test from 'ava';
import { tsMs } from '../src/model/clock.js';

/** tsMs reads the one shape every event's time has by hand: it must agree with Date.parse everywhere. */

const byDate = (ts: string): number => Date.parse(ts.length > 23 ? ts : `${ts}Z`);
const same = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));

test('a time read by hand is the instant Date.parse reads, for 100,000 times across four centuries', (t) => {
  // A fixed sequence (no Math.random): a failure names the time.
  let x = 12345;
  for (let i = 0; i < 100_000; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const ts = new Date(-2e12 + (x / 2 ** 32) * 1.3e13).toISOString().slice(0, 23);
    if (!same(tsMs(ts), byDate(ts))) return t.fail(ts);
  }
  t.pass();
});

test('out-of-range fields, letters, other shapes and zones: as Date.parse says', (t) => {
  for (const ts of [
    '2024-02-29T23:59:59.999',
    '2023-02-29T10:00:00.000',
    '2024-04-31T08:00:00.000',
    '2024-13-01T00:00:00.000',
    '2024-10-32T08:00:00.000',
    '2024-10-02T24:00:00.000',
    '2024-10-02T24:00:30.000',
    '2024-10-02T24:30:00.000',
    '2024-10-02T25:00:00.000',
    '2024-10-02T08:60:00.000',
    '2024-10-02T08:00:60.000',
    '2024-1a-02T08:00:00.000',
    '2024-10-02 08:00:00.000',
    '2024-10-02T08:00:00.000+02:00',
    '2024-10-02T08:00:00.000-05:30',
    '',
  ])
    t.true(same(tsMs(ts), byDate(ts)), ts);
});

test('times one after another, many to a minute (a log): each as Date.parse reads it, across minutes, days and a leap day', (t) => {
  let checked = 0;
  for (let ms = Date.UTC(2024, 1, 28, 23, 58); ms < Date.UTC(2024, 2, 1, 0, 3); ms += 1733) {
    const ts = new Date(ms).toISOString().slice(0, 23);
    // Now and then a time no clock writes, in the same minute: second 60, a letter.
    for (const s of [ts, `${ts.slice(0, 17)}60.000`, `${ts.slice(0, 20)}0x1`, ts]) {
      if (!same(tsMs(s), byDate(s))) return t.fail(s);
      checked++;
    }
  }
  t.true(checked > 100_000, `${checked} times`);
});
