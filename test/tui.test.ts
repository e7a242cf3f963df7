import anyTest from 'ava';

// One app at a time: frames are timed, and concurrent renders would starve each other.
const test = anyTest.serial;
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { analyze } from '../src/pipeline/analyze.js';
import type { Event } from '../src/model/event.js';
import { App, type AppProps } from '../src/views/tui/app.js';
import { Loading } from '../src/views/tui/run.js';
import { initialState, onKey, type Ctx, type UiState } from '../src/views/tui/state.js';
import { eventLines, printable } from '../src/views/tui/text.js';
import { TimelineIndex } from '../src/views/tui/timeline-index.js';
import { HOSTS } from '../scripts/samples/cloud-antelope.js';

const loaded = (async () => {
  const { report, store } = await analyze(['samples/antelope-kolla']);
  const index = new TimelineIndex(store.events, new Map(report.hosts.map((h) => [h.name, h.clockOffsetMs])));
  const lookup = new Map(store.events.map((e) => [`${e.file}\u0000${e.line}`, e as Event]));
  return { report, index, lookup };
})();

// Ink renders at most 30 times a second: give each key time to show.
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 80));

async function app(over: Partial<AppProps> = {}) {
  const l = await loaded;
  // a fresh index per test: filters change it
  const index = new TimelineIndex(l.index.events, new Map(l.report.hosts.map((h) => [h.name, h.clockOffsetMs])));
  const exported: string[] = [];
  const props: AppProps = {
    report: l.report,
    index,
    lookup: l.lookup,
    width: 140,
    height: 36,
    color: false,
    onExport: () => {
      exported.push('x');
      return '/tmp/nf-report.md';
    },
    ...over,
  };
  const r = render(createElement(App, props));
  await tick();
  // After the last key, wait until the screen stops changing (a search runs in steps between frames): on a
  // loaded machine a fixed wait saw the frame before the app had drawn it.
  const settled = async (): Promise<string> => {
    let last = r.lastFrame() ?? '';
    for (let stable = 0, waited = 0; stable < 3 && waited < 5_000; waited += 80) {
      await tick();
      const now = r.lastFrame() ?? '';
      stable = now === last && !/searching /.test(now) ? stable + 1 : 0;
      last = now;
    }
    return last;
  };
  const keys = async (...ks: string[]): Promise<string> => {
    for (const k of ks) {
      r.stdin.write(k);
      await tick();
    }
    return settled();
  };
  return { r, keys, exported, index, report: l.report };
}

test('main screen: header, the five incidents, the detail of the first and its timeline; within rows−1, no wrapped line', async (t) => {
  const { r } = await app();
  const frame = r.lastFrame()!;
  t.regex(frame, /nova-forensics · 3 hosts/);
  t.regex(frame, /Incidents \(5\)/);
  t.regex(frame, /Build of bigvm \(5ae72bc6\) failed: 64 VCPU exceeds every provider's/);
  t.regex(frame, /Timeline of the incident \(12 events, reference clock\)/);
  const lines = frame.split('\n');
  t.true(lines.length <= 35, `${lines.length} lines`);
  t.true(
    lines.every((l) => stringWidth(l) <= 140),
    'long lines are truncated, not wrapped',
  );
  r.unmount();
});

test('select an incident, open its timeline event, go back', async (t) => {
  const { r, keys } = await app();
  let f = await keys('j', 'j');
  t.regex(f, /Live migration of web-01 \(b9f443a7\)/, 'the detail follows the selection');
  f = await keys('\t', '\r');
  t.regex(f, /^Event /m);
  t.regex(f, /Raw line:/);
  t.regex(f, /source .*nova-api\.log/);
  f = await keys('\u001b');
  t.regex(f, /Incidents \(5\)/);
  r.unmount();
});

test('follow a request with o/O and jump to errors with e in the incident timeline', async (t) => {
  const { r, keys } = await app();
  await keys('j', 'j', '\t');
  let f = await keys('e');
  t.regex(f, /Exception during message handling|CPU doesn't have compatibility/, 'e lands on the first error');
  f = await keys('o');
  t.notRegex(f, /this event has no request id/);
  f = await keys('E', 'E', 'E', 'E');
  t.regex(f, /no previous error/);
  r.unmount();
});

test('whole timeline: opened at the incident, searched with / and n, filtered to one host, then back', async (t) => {
  const { r, keys, index } = await app();
  let f = await keys('j', 'j', 't');
  t.regex(f, /Whole timeline · \d+\/\d+ events/);
  f = await keys('/', 'M', 'i', 'g', 'r', 'a', 't', 'i', 'o', 'n', 'P', 'r', 'e', '\r');
  t.regex(f, /search "MigrationPre"/);
  t.notRegex(f, /not found/);
  t.regex(f, /Exception during message handling: nova\.exception\.Migr/, 'the match is in view');
  f = await keys('n', 'n', 'n');
  t.regex(f, /no more "MigrationPre"/);
  const before = index.length;
  f = await keys('f');
  t.regex(f, /Filter the whole timeline/);
  f = await keys(...'cmp02'.split(''), '\r');
  t.true(index.length < before);
  t.regex(f, /filter host=cmp02/);
  const rows = f.split('\n').filter((l) => /^\d{4}-\d\d-\d\d /.test(l));
  t.true(rows.length > 0 && rows.every((l) => l.includes(' cmp02 ')));
  f = await keys('\u001b');
  t.regex(f, /Incidents \(5\)/);
  r.unmount();
});

test('m exports the Markdown report and says where; ? lists every key', async (t) => {
  const { r, keys, exported } = await app();
  let f = await keys('m');
  t.deepEqual(exported, ['x']);
  t.regex(f, /Markdown report written to \/tmp\/nf-report\.md/);
  f = await keys('?');
  for (const k of ['e / E', 'w / W', 'o / O', 'Tab', '/', 'f', 't', 'm']) t.true(f.includes(k), k);
  f = await keys('\u001b');
  t.regex(f, /Incidents/);
  r.unmount();
});

test('q quits from the main screen only; Esc and q go back elsewhere; Esc never quits', async (t) => {
  const l = await loaded;
  const ctx: Ctx = {
    report: l.report,
    index: l.index,
    page: { incidents: 10, timeline: 10, detail: 10, whole: 30, event: 30 },
    detailLines: 40,
    eventLines: 40,
  };
  const s0 = initialState();
  t.deepEqual(onKey(s0, ctx, 'q', {}).effect, { kind: 'quit' });
  const whole = onKey(s0, ctx, 't', {}).state;
  t.is(whole.screen, 'whole');
  const back = onKey(whole, ctx, 'q', {});
  t.is(back.effect, undefined);
  t.is(back.state.screen, 'main');
  // Esc on the main screen, however many times: no effect, the same place.
  const moved = onKey(s0, ctx, 'j', {}).state;
  let s = moved;
  for (let i = 0; i < 5; i++) {
    const r = onKey(s, ctx, '', { escape: true });
    t.is(r.effect, undefined);
    s = r.state;
  }
  t.deepEqual(s, moved);
  // Elsewhere Esc backs out one screen at a time, then stops at the main screen.
  const deep = onKey(onKey(onKey(s0, ctx, 't', {}).state, ctx, '', { return: true }).state, ctx, '?', {}).state;
  t.is(deep.screen, 'help');
  const screens: string[] = [];
  let d = deep;
  for (let i = 0; i < 5; i++) {
    const r = onKey(d, ctx, '', { escape: true });
    t.is(r.effect, undefined);
    d = r.state;
    screens.push(d.screen);
  }
  t.deepEqual(screens, ['event', 'whole', 'main', 'main', 'main']);
  // The filter form and the search line close on Esc.
  const form = onKey(whole, ctx, 'f', {}).state;
  t.is(form.screen, 'filters');
  t.is(onKey(form, ctx, '', { escape: true }).state.screen, 'whole');
  const typing = onKey(whole, ctx, '/', {}).state;
  t.is(typing.prompt, '');
  const closed = onKey(typing, ctx, '', { escape: true }).state;
  t.is(closed.prompt, undefined);
  t.is(closed.screen, 'whole');
  // A search still running is stopped by Esc, and the screen stays.
  const searching: UiState = { ...whole, searching: { text: 'x', dir: 1, next: 0, scanned: 10 } };
  const stopped = onKey(searching, ctx, '', { escape: true }).state;
  t.is(stopped.screen, 'whole');
  t.is(stopped.searching, undefined);
});

test('Esc pressed many times on each screen of the app never ends it: the next key still answers', async (t) => {
  const { r, keys } = await app();
  const esc = '\u001b';
  // After each burst of Esc, a key that changes the screen shows the app is still there.
  let f = await keys(esc, esc, esc, 't');
  t.regex(f, /Whole timeline/);
  f = await keys('\r', esc, esc, esc, esc, '?');
  t.regex(f, /Keys \(lnav's where it has them\)/);
  f = await keys(esc, esc, esc, 't', 'f');
  t.regex(f, /Filter the whole timeline/);
  f = await keys(esc, esc, esc, esc, 'j', '\t', '\r');
  t.regex(f, /^Event /m);
  f = await keys(esc, 't', '/', 'x', esc, esc, esc, esc, esc, 'j');
  t.regex(f, /Incidents \(5\)/);
  r.unmount();
});

test('colours only when allowed (NO_COLOR, dumb terminals); resize re-lays out', async (t) => {
  // FORCE_COLOR=1 for the tests (package.json): the terminal could colour, the app chooses not to.
  const colourCode = /\u001b\[(?:3[0-7]|9[0-7]|38;)/;
  const plain = await app({ color: false });
  t.false(colourCode.test(plain.r.lastFrame() ?? ''), 'no colour, only inverse for the selection');
  plain.r.unmount();
  const l = await loaded;
  const props: AppProps = { report: l.report, index: l.index, lookup: l.lookup, width: 140, height: 36, color: true, onExport: () => '' };
  const coloured = render(createElement(App, props));
  await tick();
  t.true(colourCode.test(coloured.lastFrame() ?? ''));
  coloured.rerender(createElement(App, { ...props, width: 80, height: 20 }));
  await tick();
  const small = (coloured.lastFrame() ?? '').split('\n');
  t.true(small.length <= 19);
  coloured.unmount();
});

test('the loading screen shows bytes and files per host', (t) => {
  const r = render(
    createElement(Loading, {
      width: 100,
      progress: {
        files: 4,
        bytes: 3 << 20,
        current: 'sosreport-cmp01/var/log/kolla/nova/nova-compute.log',
        hosts: new Map([[HOSTS.cmp01, { files: 4, bytes: 3 << 20 }]]),
      },
    }),
  );
  const f = r.lastFrame()!;
  t.regex(f, /4 files, 3\.0 MiB read/);
  t.regex(f, new RegExp(`${HOSTS.cmp01.replace(/\./g, '\\.')}: 4 files`));
  t.regex(f, /parsing sosreport-cmp01/);
  r.unmount();
});

test('the whole timeline index: a million events filter, search and page without walking them per key', (t) => {
  const n = 1_000_000;
  const base = {
    host: 'cmp01',
    service: 'nova-compute' as const,
    file: 'f',
    level: 'INFO' as const,
    message: 'Final resource view',
    raw: '',
  };
  const events: Event[] = new Array(n);
  for (let i = 0; i < n; i++)
    events[i] = {
      ...base,
      ts: new Date(Date.UTC(2024, 0, 1) + i * 10).toISOString().slice(0, 23),
      line: i + 1,
      level: i % 1000 === 0 ? 'ERROR' : 'INFO',
      requestId: `req-${i % 97}`,
    };
  const index = new TimelineIndex(events, new Map());
  t.is(index.length, n);
  const ctx: Ctx = {
    report: { incidents: [], hosts: [], findings: [] } as never,
    index,
    page: { incidents: 10, timeline: 10, detail: 10, whole: 40, event: 10 },
    detailLines: 1,
    eventLines: 1,
  };
  let s: UiState = { ...initialState(), screen: 'whole', row: 500_000 };
  s = onKey(s, ctx, 'G', {}).state;
  t.is(s.row, n - 1);
  s = onKey(s, ctx, 'E', {}).state;
  t.is(s.row, 999_000);
  s = onKey(s, ctx, 'O', {}).state;
  t.is(index.event(s.row)!.requestId, index.event(999_000)!.requestId);
  t.true(s.row < 999_000);
});

test('escape sequences in a raw log line reach the terminal as text, never as commands', (t) => {
  // A line that would clear the screen, set the title and ring the bell if printed as is.
  const raw = '2024-10-02 08:00:00.000 7 ERROR nova.compute.manager [-] boom \u001b[2J\u001b]0;owned\u0007 done\ttab';
  const lines = eventLines(
    {
      ts: '2024-10-02T08:00:00.000',
      host: 'cmp01',
      service: 'nova-compute',
      file: 'f',
      line: 1,
      level: 'ERROR',
      message: 'boom',
      raw,
    } as Event,
    200,
  ).map(printable);
  const shown = lines.join('\n');
  t.false(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(shown));
  t.true(shown.includes('boom \\x1b[2J\\x1b]0;owned\\x07 done tab'), shown);
});
