import test from 'ava';
import { EventStore, approxBytes, type KeepRule } from '../src/correlate/event-store.js';
import { RequestSpans } from '../src/correlate/request-spans.js';
import { tsMs } from '../src/model/clock.js';
import { DETECTORS } from '../src/detectors/index.js';
import type { HostSpan } from '../src/model/clock.js';
import { keepRule } from '../src/registry/keep.js';
import { computeBuildSucceeded, computePowerSync, trackerPeriodicAudit } from '../src/signatures/compute.js';
import type { Event } from '../src/model/event.js';
import { ingest } from '../src/pipeline/ingest.js';
import { parseText } from './helpers/parse.js';
import { CORPUS, ROOT, withShared } from './helpers/shared.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The store's cap and its request table, on lines as nova writes them. */

const ERROR_LINE = (i: number): string =>
  `2024-10-02 08:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(3, '0')} 2241 ERROR nova.conductor.manager [req-${String(i).padStart(8, '0')}-aaaa-4bbb-8ccc-dddddddddddd 3f1a 9b2c - default default] Failed to schedule instances: nova.exception_Remote.NoValidHost_Remote: No valid host was found.`;
const INFO_LINE = (i: number): string =>
  `2024-10-02 08:01:${String(i % 60).padStart(2, '0')}.${String(i).padStart(3, '0')} 2241 INFO nova.compute.manager [req-${String(i).padStart(8, '0')}-eeee-4fff-8aaa-bbbbbbbbbbbb 3f1a 9b2c - default default] [instance: 2f565c93-6eec-4a74-b8e8-f55638b56da3] Took 3.12 seconds to build instance.`;

/** Keeps every event, as context: what the cap and the reserve do is then all there is to see. */
const ALL: KeepRule = { signaturesOf: () => [], context: () => true };

const events = (lines: string[]): Event[] => parseText(`${lines.join('\n')}\n`, { host: 'ctl01', service: 'nova-conductor' }).events;

test('the cap counts every level: ERROR lines past it are dropped and counted, and the first one is named', (t) => {
  const store = new EventStore(ALL, { maxEvents: 10 });
  for (const e of events(Array.from({ length: 30 }, (_, i) => ERROR_LINE(i)))) store.add(e);
  t.is(store.events.length, 10);
  t.is(store.stats.retained, 10);
  t.is(store.stats.droppedAtCap, 20);
  t.deepEqual(store.stats.firstDropped, { file: 'f', line: 11 });
  // Every request is still seen by the clock's table, kept or not.
  t.is(store.requests.size, 30);
});

test('outside the reserve (a signature, or WARNING and above) events stop at three quarters of the cap; the reserve may fill the rest', (t) => {
  const store = new EventStore(ALL, { maxEvents: 8 });
  const evs = events([...Array.from({ length: 10 }, (_, i) => INFO_LINE(i)), ...Array.from({ length: 10 }, (_, i) => ERROR_LINE(i))]);
  for (const e of evs) store.add(e);
  t.is(store.events.filter((e) => e.level === 'INFO').length, 6);
  t.is(store.events.filter((e) => e.level === 'ERROR').length, 2);
  t.is(store.stats.droppedAtCap, 12);
});

test('the byte cap: estimated sizes add up to at most the cap, every level', (t) => {
  const evs = events(Array.from({ length: 40 }, (_, i) => ERROR_LINE(i)));
  const size = approxBytes(evs[0]);
  t.true(size > evs[0].raw.length);
  const store = new EventStore(ALL, { maxBytes: size * 12.5 });
  for (const e of evs) store.add(e);
  t.is(store.events.length, 12);
  t.true(store.bytes <= size * 12.5);
});

test('what is kept is a rule passed in (the registry derives it from the detectors); the reserve a predicate', (t) => {
  const evs = events([...Array.from({ length: 4 }, (_, i) => INFO_LINE(i)), ...Array.from({ length: 4 }, (_, i) => ERROR_LINE(i))]);
  const onlyExceptions = new EventStore({ signaturesOf: () => [], context: (e) => !!e.exception });
  for (const e of evs) onlyExceptions.add(e);
  t.deepEqual(
    onlyExceptions.events.map((e) => e.exception?.type),
    ['NoValidHost', 'NoValidHost', 'NoValidHost', 'NoValidHost'],
  );
  const infoFirst = new EventStore(ALL, { maxEvents: 4, reserve: (e) => e.level === 'INFO' });
  for (const e of [...evs].reverse()) infoFirst.add(e);
  t.deepEqual(
    infoFirst.events.map((e) => e.level),
    ['ERROR', 'ERROR', 'ERROR', 'INFO'],
  );
});

test('kept events index their request ids and every uuid they name, once each', (t) => {
  const store = new EventStore(ALL);
  const [e] = events([
    '2024-10-02 08:00:00.001 2241 WARNING nova.scheduler.utils [req-0a0a0a0a-aaaa-4bbb-8ccc-dddddddddddd 3f1a 9b2c - default default] [instance: 2f565c93-6eec-4a74-b8e8-f55638b56da3] Setting instance 2f565c93-6eec-4a74-b8e8-f55638b56da3 to ERROR state (migration 7c1d5f4e-93b1-4c55-9b41-0d5cb1a1a2c3, again 7c1d5f4e-93b1-4c55-9b41-0d5cb1a1a2c3).: nova.exception.NoValidHost: No valid host was found.',
  ]);
  store.add(e);
  t.is(store.byUuid.get('2f565c93-6eec-4a74-b8e8-f55638b56da3')?.length, 1);
  t.is(store.byUuid.get('7c1d5f4e-93b1-4c55-9b41-0d5cb1a1a2c3')?.length, 1);
  t.is(store.byRequest.get('req-0a0a0a0a-aaaa-4bbb-8ccc-dddddddddddd')?.length, 1);
});

/** The table the packed one replaced, kept here as the reference. */
class MapSpans {
  readonly requests = new Map<string, HostSpan[]>();
  see(id: string, ev: Event): void {
    let spans = this.requests.get(id);
    if (!spans) this.requests.set(id, (spans = []));
    for (const s of spans) {
      if (s.host === ev.host && s.service === ev.service) {
        if (ev.ts < s.first) s.first = ev.ts;
        return;
      }
    }
    spans.push({ host: ev.host, service: ev.service, first: ev.ts });
  }
}

const withCorpus = withShared();
withCorpus('the packed request table gives what a Map of spans gave, on the samples and the real corpus', async (t) => {
  for (const input of [join(ROOT, 'samples', 'antelope-kolla'), join(ROOT, 'samples', 'pike-rdo'), join(CORPUS, 'hotsos')]) {
    const store = new EventStore(keepRule(DETECTORS));
    const ref = new MapSpans();
    await ingest(
      [input],
      {},
      {
        event(ev) {
          store.add(ev);
          if (ev.requestId) ref.see(ev.requestId, ev);
          if (ev.globalRequestId && ev.globalRequestId !== ev.requestId) ref.see(ev.globalRequestId, ev);
        },
      },
    );
    t.true(ref.requests.size > 10, input);
    t.deepEqual([...store.requests], [...ref.requests.values()], input);
  }
});

test('the request table: full, it counts what it could not track; a renamed host follows', (t) => {
  const store = new EventStore(ALL, { maxRequests: 5 });
  const evs = events(Array.from({ length: 8 }, (_, i) => ERROR_LINE(i)));
  for (const e of evs) store.add(e);
  t.is(store.stats.requestsTracked, 5);
  t.is(store.stats.requestsUntracked, 3);
  store.renameHost('ctl01', 'ctl01.cloud.example', (file) => file.startsWith('f'));
  t.deepEqual(new Set([...store.requests].flat().map((s) => s.host)), new Set(['ctl01.cloud.example']));
  // A later line of a tracked request on the new name is the same place, an earlier time lowers its first sighting.
  const [again] = parseText(`${ERROR_LINE(0).replace('08:00:00.000', '07:59:59.000')}\n`, {
    host: 'ctl01.cloud.example',
    service: 'nova-conductor',
  }).events;
  store.add(again);
  t.deepEqual([...store.requests][0], [{ host: 'ctl01.cloud.example', service: 'nova-conductor', first: '2024-10-02T07:59:59.000' }]);
});

// ───────────────────── a full store lets go of untied context ─────────────────────

const REQ = (i: number): string => `req-${String(i).padStart(8, '0')}-aaaa-4bbb-8ccc-dddddddddddd`;
/** The scheduler's filter decisions (context of the requests they name: `keys`). */
const FILTER_LINE = (i: number): string =>
  `2024-10-02 08:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(3, '0')} 2241 DEBUG nova.filters [${REQ(i)} 3f1a 9b2c - default default] Filter ComputeFilter returned 2 host(s) get_filtered_objects /usr/lib/python3/dist-packages/nova/filters.py:104`;
/** Placement's search, naming no caller (context tied only by time: `time`). */
const QUERY_LINE = (s: number, ms: number): string =>
  `2024-10-02 08:01:${String(s).padStart(2, '0')}.${String(ms).padStart(3, '0')} 31 INFO placement.requestlog [req-${String(ms).padStart(8, '0')}-1111-4222-8333-444444444444 admin admin - default default] 10.0.0.5 "GET /allocation_candidates?resources=VCPU%3A${ms}%2CMEMORY_MB%3A2048&limit=1000" status: 200 len: 53 microversion: 1.36`;
const conductorError = (i: number, at: string): string =>
  ERROR_LINE(i)
    .replace(/^\S+ \S+/, `2024-10-02 ${at}`)
    .replace(/req-\d{8}/, REQ(i).slice(0, 12));

test('full, the store lets go of context no failure ties (not the newest tenth), keeps the context of failing requests, and takes new events instead of dropping them', (t) => {
  // The heap store's own sweep (what runs when context cannot be spilled).
  const store = new EventStore(keepRule(DETECTORS), { maxEvents: 40, spill: false });
  // 30 requests' filter decisions, then two of them fail at the conductor, then 30 more decisions.
  for (const e of events(Array.from({ length: 30 }, (_, i) => FILTER_LINE(i)))) store.add(e);
  for (const e of events([conductorError(3, '08:00:59.900'), conductorError(7, '08:00:59.950')])) store.add(e);
  for (const e of events(Array.from({ length: 30 }, (_, i) => FILTER_LINE(100 + i)))) store.add(e);
  t.is(store.stats.droppedAtCap, 0);
  t.true(store.stats.letGo > 0 && store.stats.sweeps > 0);
  t.is(store.stats.retained, store.events.length);
  const kept = (i: number): number => store.byRequest.get(REQ(i))?.length ?? 0;
  // Each failing request: its decision and its failure.
  t.is(kept(3), 2);
  t.is(kept(7), 2);
  // The newest decisions are all there; of the first 30, only the failing requests' are left.
  t.is(kept(129), 1);
  t.deepEqual(
    Array.from({ length: 30 }, (_, i) => i).filter((i) => kept(i) > 0),
    [3, 7],
  );
  // The let-go events are gone from every index; the order of what stays is the order read.
  t.false([...store.byRequest.values()].flat().some((e) => !store.events.includes(e)));
  t.deepEqual(
    store.events.map((e) => e.seq),
    [...store.events.map((e) => e.seq)].sort((a, b) => a - b),
  );
});

test('untied by any id, a placement search stays only as the last one before a failure', (t) => {
  const rule = keepRule(DETECTORS);
  const [q] = events([QUERY_LINE(0, 1)]);
  t.is(rule.role?.(q, rule.signaturesOf(q)), 'time');
  const store = new EventStore(rule, { maxEvents: 40, spill: false });
  // Queries every second; a build fails at 08:01:20.5 (its request names no placement query); more queries.
  for (const e of events(Array.from({ length: 20 }, (_, i) => QUERY_LINE(i, i + 1)))) store.add(e);
  for (const e of events([conductorError(5, '08:01:20.500')])) store.add(e);
  for (const e of events(Array.from({ length: 30 }, (_, i) => QUERY_LINE(21 + i, 21 + i + 1)))) store.add(e);
  t.is(store.stats.droppedAtCap, 0);
  const queries = store.events.filter((e) => e.placementQuery).map((e) => e.ts.slice(14));
  // The query read last before the failure (08:01:19) stays; the older ones went.
  t.true(queries.includes('01:19.020'));
  t.false(queries.includes('01:18.019'));
  t.false(queries.includes('01:00.001'));
});

test('spilled, a placement search untied by any id comes back as the last one before a failure or among the first four after it on its host', (t) => {
  const store = new EventStore(keepRule(DETECTORS), { maxEvents: 40 });
  for (const e of events(Array.from({ length: 20 }, (_, i) => QUERY_LINE(i, i + 1)))) store.add(e);
  for (const e of events([conductorError(5, '08:01:20.500')])) store.add(e);
  for (const e of events(Array.from({ length: 30 }, (_, i) => QUERY_LINE(21 + i, 21 + i + 1)))) store.add(e);
  t.is(store.stats.droppedAtCap, 0);
  t.deepEqual(
    store.events.filter((e) => e.placementQuery).map((e) => e.ts.slice(14)),
    ['01:19.020', '01:21.022', '01:22.023', '01:23.024', '01:24.025'],
  );
  t.is(store.stats.letGo, 45);
});

/** The broker unreachable (the OpenStack Operations Guide's line, test/corpus/real): an error no signature names, no ids. */
const BROKER_LINE = (s: number): string =>
  `2024-10-02 08:00:${String(s).padStart(2, '0')}.500 6619 ERROR nova.openstack.common.rpc.common [-] AMQP server on localhost:5672 is unreachable: [Errno 111] ECONNREFUSED. Trying again in 23 seconds.`;
/** The same outage met inside a request (a driver's ERROR under the request's context). */
const BROKER_IN_REQUEST = (i: number): string =>
  `2024-10-02 08:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(3, '0')} 2241 ERROR oslo.messaging._drivers.impl_rabbit [${REQ(1000 + i)} 3f1a 9b2c - default default] Connection failed: [Errno 111] ECONNREFUSED (retrying in 1.0 seconds): ConnectionRefusedError: [Errno 111] ECONNREFUSED`;

test('what the registry says a kept event is: failures are anchors, routine signatures, context and errors no signature names are not', (t) => {
  const rule = keepRule(DETECTORS);
  const roleOf = (line: string): string | undefined => {
    const [e] = events([line]);
    return rule.role?.(e, rule.signaturesOf(e));
  };
  t.is(roleOf(ERROR_LINE(1)), 'anchor');
  t.is(roleOf(FILTER_LINE(1)), 'keys');
  // Evidence, not incidents: of the request it names, or else of its host's state by time.
  t.is(roleOf(BROKER_IN_REQUEST(1)), 'keys');
  t.is(roleOf(BROKER_LINE(1)), 'time');
  // Routine signatures (healthy clouds write them all the time): by their instance when they name one, else by time.
  for (const sig of [computeBuildSucceeded, trackerPeriodicAudit, computePowerSync]) {
    t.true(sig.routine, sig.id);
    for (const s of sig.samples) {
      const [e] = events([s.line]);
      t.true(rule.signaturesOf(e).includes(sig.id), s.line);
      t.is(rule.role?.(e, rule.signaturesOf(e)), e.instanceUuid ? 'keys' : 'time', s.line);
    }
  }
});

test("a broker outage's errors do not take the anchors' room: failures after hundreds of them are kept, the errors of untied requests let go", (t) => {
  const store = new EventStore(keepRule(DETECTORS), { maxEvents: 40 });
  // 200 errors of requests nothing else names, then three failures, each after one more broker error.
  for (const e of events(Array.from({ length: 200 }, (_, i) => BROKER_IN_REQUEST(i)))) store.add(e);
  for (const i of [3, 5, 7]) for (const e of events([BROKER_LINE(50 + i), conductorError(i, `08:00:5${i}.900`)])) store.add(e);
  t.is(store.stats.droppedAtCap, 0);
  t.deepEqual(
    [3, 5, 7].map((i) => store.byRequest.get(REQ(i))?.length ?? 0),
    [1, 1, 1],
  );
  // The broker's `[-]` line just before each failure stays as its host's state; the untied requests' errors went.
  t.is(store.events.filter((e) => e.logger === 'nova.openstack.common.rpc.common').length, 3);
  t.true(store.events.filter((e) => e.logger === 'oslo.messaging._drivers.impl_rabbit').length < 40);
  t.true(store.stats.letGo >= 160, `${store.stats.letGo} let go`);
});

// ───────────────────── context waits in the spill until the input ends ─────────────────────

test('spilled, context read long before its failure is still there when the failure comes after the cap was passed; the heap store had let it go', (t) => {
  const feed = (store: EventStore): void => {
    // 60 requests' filter decisions (more than the cap), then request 3 fails at the conductor.
    for (const e of events(Array.from({ length: 60 }, (_, i) => FILTER_LINE(i)))) store.add(e);
    for (const e of events([conductorError(3, '08:00:59.900')])) store.add(e);
  };
  const spilled = new EventStore(keepRule(DETECTORS), { maxEvents: 40 });
  feed(spilled);
  const heap = new EventStore(keepRule(DETECTORS), { maxEvents: 40, spill: false });
  feed(heap);
  t.is(spilled.byRequest.get(REQ(3))?.length, 2);
  t.is(heap.byRequest.get(REQ(3))?.length, 1);
  // The other 59 decisions no failure ties were let go, and said so; nothing was dropped.
  t.is(spilled.stats.letGo, 59);
  t.is(spilled.stats.droppedAtCap, 0);
  t.is(spilled.stats.retained, spilled.events.length);
  t.deepEqual(
    spilled.events.map((e) => e.line),
    [4, 1],
  );
  t.deepEqual(
    spilled.events.map((e) => e.seq),
    [...spilled.events.map((e) => e.seq)].sort((a, b) => a - b),
  );
});

test('spilled, the store holds what the heap store held when everything fits: the same events in the same order, on the samples', async (t) => {
  for (const input of [join(ROOT, 'samples', 'antelope-kolla'), join(ROOT, 'samples', 'pike-rdo')]) {
    const spilled = new EventStore(keepRule(DETECTORS), { spillTo: { held: 4096 } });
    const heap = new EventStore(keepRule(DETECTORS), { spill: false });
    await ingest(
      [input],
      {},
      {
        event(ev) {
          spilled.add(ev);
          heap.add({ ...ev });
        },
      },
    );
    const view = (s: EventStore): string[] => s.events.map((e) => `${e.seq} ${e.host} ${e.line} ${e.message}`);
    t.true(heap.events.length > 100, input);
    t.deepEqual(view(spilled), view(heap), input);
    t.deepEqual([...spilled.byRequest.keys()], [...heap.byRequest.keys()], input);
    t.deepEqual(
      spilled.events.map((e) => JSON.stringify(e)),
      heap.events.map((e) => JSON.stringify(e)),
      input,
    );
  }
});

test('spilled past what it holds in memory, the context goes to a temp folder of its own, which is gone once read back', (t) => {
  const base = mkdtempSync(join(tmpdir(), 'nf-spill-test-'));
  try {
    const store = new EventStore(keepRule(DETECTORS), { maxEvents: 40, spillTo: { held: 1000, dir: base } });
    for (const e of events(Array.from({ length: 60 }, (_, i) => FILTER_LINE(i)))) store.add(e);
    t.is(readdirSync(base).length, 1);
    t.is(statSync(join(base, readdirSync(base)[0])).mode & 0o777, 0o700);
    for (const e of events([conductorError(7, '08:00:59.900'), conductorError(50, '08:00:59.950')])) store.add(e);
    t.is(store.byRequest.get(REQ(7))?.length, 2);
    t.is(store.byRequest.get(REQ(50))?.[0].message, events([FILTER_LINE(50)])[0].message);
    t.deepEqual(readdirSync(base), []);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('no temp folder to spill to: what was held in memory still comes back, the rest is counted as dropped and the reason kept', (t) => {
  const store = new EventStore(keepRule(DETECTORS), { spillTo: { held: 1000, dir: join(tmpdir(), 'nf-no-such-folder', 'deeper') } });
  for (const e of events(Array.from({ length: 60 }, (_, i) => FILTER_LINE(i)))) store.add(e);
  for (const e of events([conductorError(0, '08:00:59.900'), conductorError(59, '08:00:59.950')])) store.add(e);
  t.is(store.stats.spillFailed, 'ENOENT');
  t.true(store.stats.droppedAtCap > 0);
  // The first decisions were held; the failure of request 0 finds its own.
  t.is(store.byRequest.get(REQ(0))?.length, 2);
  t.is(store.byRequest.get(REQ(59))?.length, 1);
  t.is(store.stats.retained + store.stats.droppedAtCap + store.stats.letGo, 62);
});

test('over the cap, context tied by the failing request comes back before context tied only by an instance named hours away', (t) => {
  const INSTANCE = '2f565c93-6eec-4a74-b8e8-f55638b56da3';
  // An instance's periodic INFO steps at 06:00 (tied by its uuid only), then the failing request's decisions, then its failure at 08:00.
  const periodic = (i: number): string =>
    INFO_LINE(i)
      .replace('2024-10-02 08:01:', '2024-10-02 06:00:')
      .replace(/req-\d{8}-eeee/, `req-${String(900 + i).padStart(8, '0')}-eeee`);
  const failing = `2024-10-02 08:00:59.900 2241 ERROR nova.compute.manager [${REQ(5)} 3f1a 9b2c - default default] [instance: ${INSTANCE}] Instance failed to spawn: nova.exception.RescheduledException: Build of instance ${INSTANCE} was re-scheduled`;
  const store = new EventStore(keepRule(DETECTORS), { maxEvents: 12 });
  const lines = [...Array.from({ length: 20 }, (_, i) => periodic(i)), ...Array.from({ length: 5 }, () => FILTER_LINE(5)), failing];
  for (const e of events(lines)) store.add(e);
  const kept = store.events;
  // Cap 12: the failure; its 5 decisions (context, up to 9); then the instance's steps, whose routine signature
  // (a build that took 3.12 s) lets them fill the reserve up to 12: the 6 read first.
  t.is(kept.filter((e) => e.requestId === REQ(5)).length, 6);
  t.deepEqual(
    kept.filter((e) => e.requestId !== REQ(5)).map((e) => e.line),
    [1, 2, 3, 4, 5, 6],
  );
  t.is(store.stats.droppedAtCap, 14);
  t.deepEqual(store.stats.firstDropped, { file: 'f', line: 7 });
});

test('the request table keeps times as instants: a zoned time (--tz) comes back in UTC, the same instant the clock reads', (t) => {
  const spans = new RequestSpans(10);
  spans.see('req-1', 'cmp01', 'nova-compute', '2024-10-02T10:00:00.250+02:00');
  spans.see('req-1', 'cmp01', 'nova-compute', '2024-10-02T09:59:59.000+02:00');
  spans.see('req-1', 'ctl01', 'nova-conductor', '2024-10-02T07:59:58.125');
  const [one] = [...spans];
  t.deepEqual(one, [
    { host: 'cmp01', service: 'nova-compute', first: '2024-10-02T07:59:59.000Z' },
    { host: 'ctl01', service: 'nova-conductor', first: '2024-10-02T07:59:58.125' },
  ]);
  t.is(tsMs(one[0].first), tsMs('2024-10-02T09:59:59.000+02:00'));
});

test("over the cap, an anchor's nearest lines by its instance come back before that instance's other lines: the first after it however late, the last before it within the hour", (t) => {
  const INSTANCE = '2f565c93-6eec-4a74-b8e8-f55638b56da3';
  const step = (at: string, i: number): string =>
    `2024-10-02 ${at} 2241 INFO nova.compute.claims [req-${String(900 + i).padStart(8, '0')}-eeee-4fff-8aaa-bbbbbbbbbbbb 3f1a 9b2c - default default] [instance: ${INSTANCE}] Claim successful on node cmp01`;
  const failing = `2024-10-02 08:00:59.900 2241 ERROR nova.compute.manager [${REQ(5)} 3f1a 9b2c - default default] [instance: ${INSTANCE}] Instance failed to spawn: nova.exception.RescheduledException: Build of instance ${INSTANCE} was re-scheduled`;
  const lines = [
    // Within the hour before the failure (tier 1 by themselves): 07:10 … 07:55.
    ...Array.from({ length: 10 }, (_, i) => step(`07:${String(10 + i * 5).padStart(2, '0')}:00.000`, i)),
    failing,
    // Hours after it (tier 2 by themselves): 12:00 … 12:09.
    ...Array.from({ length: 10 }, (_, i) => step(`12:0${i}:00.000`, 20 + i)),
  ];
  const store = new EventStore(keepRule(DETECTORS), { maxEvents: 12 });
  for (const e of events(lines)) store.add(e);
  const times = store.events.filter((e) => e.level === 'INFO').map((e) => e.ts.slice(11, 16));
  // Room for 8 lines of context (three quarters of 12, less the failure): the 2 before it and 4 after it first,
  // then the rest of the hour before, oldest first.
  t.deepEqual(times, ['07:10', '07:15', '07:50', '07:55', '12:00', '12:01', '12:02', '12:03']);
  t.is(store.stats.droppedAtCap, 12);
});

test('while context is spilled, anchors fill at most half the caps: the rest is left to their context', (t) => {
  const store = new EventStore(keepRule(DETECTORS), { maxEvents: 20 });
  for (const e of events(Array.from({ length: 30 }, (_, i) => ERROR_LINE(i)))) store.add(e);
  t.is(store.events.length, 10);
  t.is(store.stats.droppedAtCap, 20);
  // The heap store (no spill) lets anchors fill all of it.
  const heap = new EventStore(keepRule(DETECTORS), { maxEvents: 20, spill: false });
  for (const e of events(Array.from({ length: 30 }, (_, i) => ERROR_LINE(i)))) heap.add(e);
  t.is(heap.events.length, 20);
});

test('a run ended by Ctrl-C or a kill removes its spill folder, and still ends by that signal', (t) => {
  const spillModule = new URL('../src/correlate/context-spill.js', import.meta.url).href;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const base = mkdtempSync(join(tmpdir(), 'nf-spill-signal-'));
    try {
      const script = `
        import { ContextSpill } from ${JSON.stringify(spillModule)};
        import { readdirSync } from 'node:fs';
        const spill = new ContextSpill({ held: 0, dir: ${JSON.stringify(base)} });
        const meta = { role: 1, t: 0, host: 'h', file: 'f', line: 1, size: 700, requestKeys: 0, keys: [] };
        spill.put(JSON.stringify({ raw: 'x'.repeat(100) }), meta, 0);
        spill.put(JSON.stringify({ raw: 'y'.repeat(100) }), meta, 1);
        process.stdout.write(String(readdirSync(${JSON.stringify(base)}).length));
        process.kill(process.pid, ${JSON.stringify(signal)});
        setTimeout(() => console.log('still running'), 2000);
      `;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
      t.is(r.stdout.trim(), '1', signal);
      t.is(r.signal, signal);
      t.deepEqual(readdirSync(base), [], signal);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  }
});
