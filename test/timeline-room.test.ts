import test from 'ava';
import type { StoredEvent } from '../src/correlate/event-store.js';
import { type DetectContext, FAILING_KEPT, MAX_TIMELINE, timeline } from '../src/detectors/detector.js';
import { failedBuild } from '../src/detectors/failed-build/index.js';
import { detect } from './helpers/detect.js';
import { parseText } from './helpers/parse.js';

/**
 * Timelines are bounded (src/detectors/detector.ts `timeline`): at most MAX_TIMELINE lines an incident, the
 * failing lines and those nearest them, and a report-wide room past which an incident keeps its failing lines
 * only. Each cut is said in the incident's gaps. On lines as the scheduler and the conductor write them.
 */

const REQ = 'req-5f1c2a3b-aaaa-4bbb-8ccc-dddddddddddd';
const at = (i: number): string =>
  `2024-10-02 08:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}`;
const decision = (i: number): string =>
  `${at(i)} 2241 DEBUG nova.filters [${REQ} 3f1a 9b2c - default default] Filter ComputeFilter returned ${i} host(s) get_filtered_objects /usr/lib/python3/dist-packages/nova/filters.py:104`;
const refusal = (i: number): string =>
  `${at(i)} 2241 ERROR nova.conductor.manager [${REQ} 3f1a 9b2c - default default] Failed to schedule instances: nova.exception_Remote.NoValidHost_Remote: No valid host was found. There are not enough hosts available.`;

/** The conductor's refusal after 150 of the scheduler's decisions for the same request, and 30 more after it. */
const log = (): string =>
  `${[...Array.from({ length: 150 }, (_, i) => decision(i)), refusal(150), ...Array.from({ length: 30 }, (_, i) => decision(151 + i))].join('\n')}\n`;

test('a build whose request wrote 180 lines shows the 100 nearest its failure, and says so', (t) => {
  const [inc] = detect(failedBuild, [{ host: 'ctl01', service: 'nova-conductor', text: log() }]);
  t.truthy(inc);
  t.is(inc.timeline.length, MAX_TIMELINE);
  const failing = inc.timeline.findIndex((e) => e.failing);
  t.true(failing >= 0, 'the failing line is kept');
  // Nearest first, earlier before later at one distance: all 30 after it, and the 69 right before it.
  t.is(inc.timeline.length - failing - 1, 30);
  t.regex(inc.timeline[0].message, /returned 81 host/);
  t.true(
    inc.gaps.some((g) => g.startsWith(`the timeline shows ${MAX_TIMELINE} of the incident's 181 lines`)),
    inc.gaps.join('\n'),
  );
});

const stored = (text: string): StoredEvent[] => parseText(text).events.map((e, seq) => Object.assign(e, { seq }) as StoredEvent);
const ctxWith = (left: number): DetectContext => ({ offsets: new Map(), timelineRoom: { left } }) as unknown as DetectContext;

test("the report's room: an incident takes what is left, then later ones keep only their failing lines", (t) => {
  const events = stored(log());
  const isRefusal = (e: StoredEvent): boolean => e.level === 'ERROR';
  const ctx = ctxWith(140);
  const gaps: string[] = [];
  t.is(timeline(ctx, events, isRefusal, gaps).length, MAX_TIMELINE);
  t.is(ctx.timelineRoom!.left, 40);
  t.is(timeline(ctx, events, isRefusal, gaps).length, 40);
  t.is(ctx.timelineRoom!.left, 0);
  const last = timeline(ctx, events, isRefusal, gaps);
  t.is(last.length, FAILING_KEPT);
  t.true(last.some((e) => e.failing));
  t.is(gaps.length, 3);
});

test('under the bound nothing is cut and nothing said; with no failing line the latest lines stay', (t) => {
  const few = stored(`${Array.from({ length: 20 }, (_, i) => decision(i)).join('\n')}\n`);
  const gaps: string[] = [];
  const ctx = ctxWith(1000);
  t.is(timeline(ctx, few, () => false, gaps).length, 20);
  t.deepEqual(gaps, []);
  t.is(ctx.timelineRoom!.left, 980);
  const many = stored(`${Array.from({ length: 150 }, (_, i) => decision(i)).join('\n')}\n`);
  const tl = timeline(ctx, many, () => false, gaps);
  t.is(tl.length, MAX_TIMELINE);
  t.regex(tl[0].message, /returned 50 host/);
  t.regex(tl[tl.length - 1].message, /returned 149 host/);
});
