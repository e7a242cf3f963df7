import type { Level } from '../../model/event.js';
import type { Incident, TimelineEntry } from '../../model/incident.js';
import type { Report } from '../../model/report.js';
import type { TimelineFilters, TimelineIndex } from './timeline-index.js';
import { levelRank, parseLevel } from '../../model/event-filter.js';

/**
 * The TUI's state and what each key does to it, as pure functions, so key
 * flows are tested without a terminal. Keys follow lnav where it has one:
 * e/E errors, w/W warnings, / with n/N, g/G, Space/b pages, ? help.
 */

export type Pane = 'incidents' | 'timeline' | 'detail';
export type Screen = 'main' | 'event' | 'whole' | 'help' | 'filters' | 'coverage';

export interface EventRef {
  host: string;
  file: string;
  line: number;
}

export interface UiState {
  screen: Screen;
  /** Screens to go back to with Esc/q. */
  back: Screen[];
  pane: Pane;
  incident: number;
  /** Cursor in the selected incident's timeline. */
  tlRow: number;
  detailTop: number;
  eventTop: number;
  /** First line shown of the coverage screen. */
  coverageTop: number;
  /** The event the event-detail screen shows. */
  open?: EventRef;
  /** Cursor in the whole timeline. */
  row: number;
  /** Typing a search (`/`) at the bottom line. */
  prompt?: string;
  search?: string;
  /** A search under way: it goes on between frames (see continueSearch). */
  searching?: { text: string; dir: 1 | -1; next: number; scanned: number };
  filterField: number;
  filterDraft: Record<keyof TimelineFilters, string>;
  status?: string;
}

export interface KeyInfo {
  upArrow?: boolean;
  downArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  shift?: boolean;
  ctrl?: boolean;
  backspace?: boolean;
  delete?: boolean;
  meta?: boolean;
}

export interface Ctx {
  report: Report;
  index: TimelineIndex;
  /** Rows the lists have on screen, for paging. */
  page: { incidents: number; timeline: number; detail: number; whole: number; event: number };
  /** Lines of the selected incident's detail pane, of the open event, and of the coverage. */
  detailLines: number;
  eventLines: number;
  coverageLines?: number;
}

export type Effect = { kind: 'quit' } | { kind: 'export' } | undefined;

export const FILTER_FIELDS: (keyof TimelineFilters)[] = ['host', 'service', 'level', 'requestId', 'instance'];

export function initialState(): UiState {
  return {
    screen: 'main',
    back: [],
    pane: 'incidents',
    incident: 0,
    tlRow: 0,
    detailTop: 0,
    eventTop: 0,
    coverageTop: 0,
    row: 0,
    filterField: 0,
    filterDraft: { host: '', service: '', level: '', requestId: '', instance: '' },
  };
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

export function selectedIncident(s: UiState, r: Report): Incident | undefined {
  return r.incidents[s.incident];
}

function timelineOf(s: UiState, r: Report): TimelineEntry[] {
  return selectedIncident(s, r)?.timeline ?? [];
}

/** Up/down/page/home/end on a list of `len` rows: the new cursor. */
function move(cur: number, len: number, page: number, input: string, key: KeyInfo): number | undefined {
  if (len === 0) return undefined;
  if (key.downArrow || input === 'j') return clamp(cur + 1, 0, len - 1);
  if (key.upArrow || input === 'k') return clamp(cur - 1, 0, len - 1);
  if (key.pageDown || input === ' ') return clamp(cur + page, 0, len - 1);
  if (key.pageUp || input === 'b') return clamp(cur - page, 0, len - 1);
  if (key.home || input === 'g') return 0;
  if (key.end || input === 'G') return len - 1;
  return undefined;
}

const isError = (level: Level): boolean => levelRank(level) >= levelRank('ERROR');
const isWarning = (level: Level): boolean => level === 'WARNING';

function findIn<T>(list: readonly T[], from: number, dir: 1 | -1, test: (t: T) => boolean): number {
  for (let i = from + dir; i >= 0 && i < list.length; i += dir) if (test(list[i])) return i;
  return -1;
}

function push(s: UiState, screen: Screen): UiState {
  return { ...s, back: [...s.back, s.screen], screen, status: undefined };
}

function pop(s: UiState): UiState {
  const back = [...s.back];
  const screen = back.pop() ?? 'main';
  return { ...s, back, screen, status: undefined };
}

interface Leveled {
  level: Level;
  requestId?: string;
  globalRequestId?: string;
}

/**
 * e/E, w/W, o/O: the next or previous error, warning, or event of the same
 * request, through `find` (an array scan, or the timeline index).
 */
function seek(
  input: string,
  here: Leveled | undefined,
  cur: number,
  find: (from: number, dir: 1 | -1, test: (t: Leveled) => boolean) => number,
): { row?: number; status?: string } | undefined {
  const lower = input.toLowerCase();
  if (lower !== 'e' && lower !== 'w' && lower !== 'o') return undefined;
  const dir: 1 | -1 = input === lower ? 1 : -1;
  let test: (t: Leveled) => boolean;
  let what: string;
  if (lower === 'e') {
    test = (t) => isError(t.level);
    what = 'error';
  } else if (lower === 'w') {
    test = (t) => isWarning(t.level);
    what = 'warning';
  } else {
    const req = here?.requestId ?? here?.globalRequestId;
    if (!req) return { status: 'this event has no request id' };
    test = (t) => t.requestId === req || t.globalRequestId === req;
    what = `event of ${req.slice(0, 12)}`;
  }
  const row = find(cur, dir, test);
  return row === -1 ? { status: `no ${dir === 1 ? 'next' : 'previous'} ${what}` } : { row };
}

export function applyFilters(index: TimelineIndex, draft: UiState['filterDraft']): TimelineFilters {
  const f: TimelineFilters = {};
  for (const k of FILTER_FIELDS) {
    const v = draft[k].trim();
    if (!v) continue;
    if (k === 'level') f.level = parseLevel(v);
    else f[k] = v;
  }
  index.setFilters(f);
  return f;
}

/** One key: the new state and what the app must do besides rendering. */
export function onKey(s: UiState, ctx: Ctx, input: string, key: KeyInfo): { state: UiState; effect?: Effect } {
  const r = ctx.report;

  // Typing a search at the bottom line.
  if (s.prompt !== undefined) {
    if (key.escape) return { state: { ...s, prompt: undefined } };
    if (key.return) {
      const text = s.prompt;
      if (!text) return { state: { ...s, prompt: undefined } };
      return {
        state: {
          ...s,
          prompt: undefined,
          search: text,
          searching: { text, dir: 1, next: s.row, scanned: 0 },
          status: `searching "${text}"…`,
        },
      };
    }
    if (key.backspace || key.delete) return { state: { ...s, prompt: s.prompt.slice(0, -1) } };
    if (input && !key.ctrl) return { state: { ...s, prompt: s.prompt + input } };
    return { state: s };
  }

  // The filter form.
  if (s.screen === 'filters') {
    if (key.escape) return { state: pop(s) };
    if (key.return) {
      applyFilters(ctx.index, s.filterDraft);
      return { state: { ...pop(s), row: 0, status: `${ctx.index.length} events match` } };
    }
    if (key.tab || key.downArrow) return { state: { ...s, filterField: (s.filterField + 1) % FILTER_FIELDS.length } };
    if (key.upArrow) return { state: { ...s, filterField: (s.filterField + FILTER_FIELDS.length - 1) % FILTER_FIELDS.length } };
    const field = FILTER_FIELDS[s.filterField];
    if (key.backspace || key.delete)
      return { state: { ...s, filterDraft: { ...s.filterDraft, [field]: s.filterDraft[field].slice(0, -1) } } };
    if (input && !key.ctrl) return { state: { ...s, filterDraft: { ...s.filterDraft, [field]: s.filterDraft[field] + input } } };
    return { state: s };
  }

  if (input === '?') return { state: s.screen === 'help' ? pop(s) : push(s, 'help') };
  if (s.screen === 'help') return { state: key.escape || input === 'q' ? pop(s) : s };

  // Esc backs out one step (a search still running, else the screen) and does nothing on the main
  // screen: pressed once too often it must not lose the user's place. Only q quits, as in lnav.
  if (key.escape) {
    if (s.searching) return { state: { ...s, searching: undefined, status: `search "${s.searching.text}" stopped` } };
    return { state: s.screen === 'main' ? s : pop(s) };
  }
  if (input === 'q') {
    if (s.screen === 'main') return { state: s, effect: { kind: 'quit' } };
    return { state: pop(s) };
  }
  if (input === 'm') return { state: s, effect: { kind: 'export' } };
  if (input === 'c' && s.screen !== 'coverage') return { state: { ...push(s, 'coverage'), coverageTop: 0 } };
  if (s.screen === 'coverage') {
    const lines = ctx.coverageLines ?? 0;
    const m = move(s.coverageTop, Math.max(1, lines - ctx.page.event + 1), ctx.page.event, input, key);
    return { state: m === undefined ? s : { ...s, coverageTop: m } };
  }
  if (input === 't' && s.screen !== 'whole') {
    // Open the whole timeline at the selected incident's failing moment.
    const tl = timelineOf(s, r);
    const at = tl.find((e) => e.failing) ?? tl[0];
    const row = at ? ctx.index.rowAtOrAfter(Date.parse(`${at.adjustedTs}Z`)) : s.row;
    return { state: { ...push(s, 'whole'), row } };
  }

  if (s.screen === 'event') {
    const m = move(s.eventTop, Math.max(1, ctx.eventLines - ctx.page.event + 1), ctx.page.event, input, key);
    return { state: m === undefined ? s : { ...s, eventTop: m } };
  }

  if (s.screen === 'whole') {
    const idx = ctx.index;
    if (input === '/') return { state: { ...s, prompt: '' } };
    if (input === 'f') return { state: push(s, 'filters') };
    if ((input === 'n' || input === 'N') && s.search) {
      const dir = input === 'n' ? 1 : -1;
      return { state: { ...s, searching: { text: s.search, dir, next: s.row + dir, scanned: 0 }, status: `searching "${s.search}"…` } };
    }
    const j = seek(input, idx.event(s.row), s.row, (from, dir, test) => idx.find(from, dir, test));
    if (j) return { state: { ...s, row: j.row ?? s.row, status: j.status } };
    if (key.return) {
      const e = idx.event(s.row);
      return { state: e ? { ...push(s, 'event'), open: { host: e.host, file: e.file, line: e.line }, eventTop: 0 } : s };
    }
    const m = move(s.row, idx.length, ctx.page.whole, input, key);
    return { state: m === undefined ? s : { ...s, row: m, status: undefined } };
  }

  // main screen
  if (key.tab) {
    const order: Pane[] = ['incidents', 'timeline', 'detail'];
    const next = order[(order.indexOf(s.pane) + (key.shift ? 2 : 1)) % 3];
    return { state: { ...s, pane: next } };
  }
  if (s.pane === 'incidents') {
    if (key.return) return { state: { ...s, pane: 'timeline' } };
    const m = move(s.incident, r.incidents.length, ctx.page.incidents, input, key);
    if (m !== undefined) return { state: { ...s, incident: m, tlRow: 0, detailTop: 0, status: undefined } };
    const levels: Leveled[] = r.incidents.map((i) => ({
      level: i.severity === 'error' || i.severity === 'critical' ? 'ERROR' : 'WARNING',
    }));
    const j =
      input.toLowerCase() === 'o' ? undefined : seek(input, undefined, s.incident, (from, dir, test) => findIn(levels, from, dir, test));
    if (j) return { state: { ...s, incident: j.row ?? s.incident, tlRow: 0, detailTop: 0, status: j.status } };
    return { state: s };
  }
  if (s.pane === 'timeline') {
    const tl = timelineOf(s, r);
    if (key.return) {
      const e = tl[s.tlRow];
      return { state: e ? { ...push(s, 'event'), open: e.source, eventTop: 0 } : s };
    }
    const j = seek(input, tl[s.tlRow], s.tlRow, (from, dir, test) => findIn(tl, from, dir, test));
    if (j) return { state: { ...s, tlRow: j.row ?? s.tlRow, status: j.status } };
    const m = move(s.tlRow, tl.length, ctx.page.timeline, input, key);
    return { state: m === undefined ? s : { ...s, tlRow: m, status: undefined } };
  }
  // detail pane: scroll
  const m = move(s.detailTop, Math.max(1, ctx.detailLines - ctx.page.detail + 1), ctx.page.detail, input, key);
  return { state: m === undefined ? s : { ...s, detailTop: m } };
}

/** A chunk of typed characters as single keys: Tab, Enter, Backspace and Esc keep their meaning. */
export function splitKeys(chunk: string): { input: string; key: KeyInfo }[] {
  return [...chunk].map((ch) => {
    if (ch === '\t') return { input: '', key: { tab: true } };
    if (ch === '\r' || ch === '\n') return { input: '', key: { return: true } };
    if (ch === '\x7f' || ch === '\b') return { input: '', key: { backspace: true } };
    if (ch === '\x1b') return { input: '', key: { escape: true } };
    return { input: ch, key: {} };
  });
}

/** Runs a pending search for up to `budget` rows: the app calls it between frames until it ends. */
export function continueSearch(s: UiState, index: TimelineIndex, budget = 100_000): UiState {
  const q = s.searching;
  if (!q) return s;
  if (q.next < 0 || q.next >= index.length) return { ...s, searching: undefined, status: `no more "${q.text}"` };
  const step = index.searchStep(q.next, q.dir, q.text, budget);
  if (step.row !== -1) return { ...s, row: step.row, searching: undefined, status: undefined };
  if (step.next === -1)
    return { ...s, searching: undefined, status: q.scanned === 0 && s.row === 0 ? `"${q.text}" not found` : `no more "${q.text}"` };
  const scanned = q.scanned + budget;
  return { ...s, searching: { ...q, next: step.next, scanned }, status: `searching "${q.text}"… ${scanned.toLocaleString('en-US')} rows` };
}
