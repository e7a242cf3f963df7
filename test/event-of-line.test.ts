import test from 'ava';
import { join } from 'node:path';
import { eventOfLine, OsloEventParser } from '../parsers/oslo-events.js';
import { fromSpilled, toSpilled } from '../src/correlate/classify.js';
import type { Event } from '../src/model/event.js';
import { analyze } from '../src/pipeline/analyze.js';
import { ingest } from '../src/pipeline/ingest.js';
import { REAL_CORPUS } from './helpers/real-corpus.js';
import { CORPUS, ROOT, SEEDS, withShared } from './helpers/shared.js';

/**
 * Context the event store spills is written as its raw line when its parser
 * says the line alone makes the event (`emit`'s `ofLine`), and made again by
 * `eventOfLine` when it is read back. The two must give the same event on
 * every line the parser says so of, and the parser must say so of no line
 * whose event depends on more (a traceback folded in, a collector's prefix,
 * a paste, a line with no time).
 */

const rebuilt = (ev: Event): Event | undefined => eventOfLine(ev.raw, ev.line, ev.host, ev.file, ev.service);

/** Through the spill's text, as the store reads it back (host and file are its columns). */
function roundTrip(ev: Event): Event {
  const back = fromSpilled<Event>(toSpilled(ev, true), ev.line, eventOfLine);
  back.host = ev.host;
  back.file = ev.file;
  return back;
}

test('an oslo line makes the same event again; a folded record, a prefixed or undated line is not said to', (t) => {
  const lines = [
    '2026-01-01 06:00:00.004 2849 DEBUG nova.compute.manager [None req-cb9394e4-3fd1-4f04-a119-d005c6160473 - - - - - -] [instance: 14301f60-27ee-4206-adc3-c403ec313d47] Creating image(s) _create_image /usr/lib/python3/dist-packages/nova/virt/libvirt/driver.py:5959',
    '2026-01-01 06:00:00.005 1590925 INFO placement.requestlog [None req-980fa9a4-4051-4cb5-a09e-2823505113c3 1825db07429cc5dc3c7e7429957b0473 b432ecef44ca8cf9b12e581284618826 - - default default] 10.0.0.4 "GET /allocation_candidates?resources=VCPU%3A1%2CMEMORY_MB%3A2048&limit=1000" status: 200 len: 53 microversion: 1.36',
    '2026-01-01 06:00:01.000 2849 WARNING nova.compute.manager [req-9c70f381-bfb1-4806-abcb-28e9ec42147b - - - - -] Instance 897666e1-5e07-47bf-9d96-24d2ea7244f6 is not being actively managed by this compute host but has allocations referencing this compute host: {\\u0027resources\\u0027: {\\u0027VCPU\\u0027: 1}}. Skipping heal of allocation because we do not know what to do.',
    '2026-01-01 06:00:02.000 2849 ERROR nova.compute.manager [req-9c70f381-bfb1-4806-abcb-28e9ec42147b - - - - -] [instance: 897666e1-5e07-47bf-9d96-24d2ea7244f6] Instance failed to spawn: nova.exception.PortBindingFailed: Binding failed for port 1',
    '2026-01-01 06:00:03.000 2849 ERROR nova.compute.manager Traceback (most recent call last):',
    '2026-01-01 06:00:03.000 2849 ERROR nova.compute.manager NoValidHost: No valid host was found.',
    '2026-01-01 06:00:04.000 2849 \u001b[00;32mDEBUG oslo_concurrency.lockutils [\u001b[00;36m-\u001b[00;32m] \u001b[01;35m\u001b[00;32mLock "compute_resources" acquired\u001b[00m',
  ];
  const got: [Event, boolean][] = [];
  const p = new OsloEventParser({ host: 'cmp1', file: 'nova-compute.log', service: 'nova-compute' }, (ev, ofLine) =>
    got.push([ev, !!ofLine]),
  );
  for (const [i, l] of lines.entries()) p.push(l, i + 1);
  p.end();
  t.deepEqual(
    got.map(([ev, ofLine]) => [ev.line, ofLine]),
    [
      [1, true],
      [2, true],
      [3, true],
      [4, true],
      // the traceback's first line opens a record its next line folds into
      [5, false],
      [7, true],
    ],
  );
  for (const [ev, ofLine] of got) if (ofLine) t.deepEqual(rebuilt(ev), ev, ev.raw);
  // What the line alone makes: the access line's query, the message's exception, escapes decoded, colours gone.
  t.deepEqual(got[1][0].placementQuery?.resources, { VCPU: 1, MEMORY_MB: 2048 });
  t.is(got[3][0].exception?.type, 'PortBindingFailed');
  t.true(got[2][0].decoded);
  t.is(got[5][0].message, 'Lock "compute_resources" acquired');

  // A journal's line: its prefix is the collector's, and the line alone does not say the event.
  const journal: [Event, boolean][] = [];
  const j = new OsloEventParser({ host: 'cmp1', file: 'journal.log' }, (ev, ofLine) => journal.push([ev, !!ofLine]));
  for (let i = 0; i < 40; i++)
    j.push(
      `Jan 01 06:00:${String(i).padStart(2, '0')} cmp1 nova-compute[2849]: ${lines[0].replace('06:00:00', `06:00:${String(i).padStart(2, '0')}`)}`,
      i + 1,
    );
  j.end();
  t.is(journal.length, 40);
  t.false(journal.some(([, o]) => o));
  // Nor an undated line, nor any line of a paste.
  t.is(eventOfLine(lines[0].slice(24), 1, 'h', 'f', 'nova-compute'), undefined);
  const pasted: boolean[] = [];
  const q = new OsloEventParser({ host: 'h', file: 'paste', paste: true }, (_ev, ofLine) => pasted.push(!!ofLine));
  for (const [i, l] of lines.slice(0, 4).entries()) q.push(l, i + 1);
  q.end();
  t.deepEqual(pasted, [false, false, false, false]);
});

test('a spilled line comes back with the time and service the reader gave it', (t) => {
  const line =
    '2026-01-01 06:00:00.072 284971 INFO nova.compute.resource_tracker [req-9c70f381-bfb1-4806-abcb-28e9ec42147b - - - - -] Final resource view: name=compute26 phys_ram=385437MB';
  const ev = eventOfLine(line, 7, 'cmp1', 'nova.log', 'nova-compute')!;
  // `--tz` stamps the zone on after the parser; a file's path names its service.
  ev.ts = `${ev.ts}+01:00`;
  t.deepEqual(roundTrip(ev), ev);
  const text = toSpilled(ev, true);
  t.true(text.endsWith(line));
  t.is(toSpilled(ev, false)[0], '{');
  t.throws(() => fromSpilled(`\u0000nova-compute\u0000${ev.ts}\u0000not a log line`, 7, eventOfLine), { message: /line 7/ });
});

withShared()('on every line of the real logs the parser says makes its event, the line makes it again', async (t) => {
  let ofLines = 0;
  let others = 0;
  const wrong: string[] = [];
  await ingest(
    [join(ROOT, 'samples'), SEEDS, REAL_CORPUS, CORPUS],
    {},
    {
      event(ev, ofLine) {
        if (!ofLine) {
          others++;
          return;
        }
        ofLines++;
        const again = rebuilt(ev);
        const back = roundTrip(ev);
        if ((JSON.stringify(again) !== JSON.stringify(ev) || JSON.stringify(back) !== JSON.stringify(ev)) && wrong.length < 10)
          wrong.push(`${ev.file}:${ev.line}`);
      },
    },
  );
  t.deepEqual(wrong, []);
  // Not vacuous: most lines of the real logs are plain oslo lines; tracebacks, journals and pastes are not.
  t.true(ofLines > 20_000 && others > 5_000, `${ofLines} lines made again, ${others} not`);
});

test('a report is the same whether spilled context is kept as its line or as JSON', async (t) => {
  const inputs = [join(ROOT, 'samples')];
  // A spill that moves to its file at once: every context line is written and read back.
  const store = { spillTo: { held: 0 } };
  const asLines = (await analyze(inputs, { store })).report;
  const asJson = (await analyze(inputs, { store: { ...store, rebuild: undefined } })).report;
  const strip = (r: typeof asLines): string => JSON.stringify({ ...r, generatedAt: '' });
  t.is(strip(asLines), strip(asJson));
  t.true(asLines.incidents.length > 0 && asLines.coverage.events.retained > 1000, `${asLines.coverage.events.retained} kept`);
});
