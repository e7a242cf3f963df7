import { Box, Text, useApp, useInput } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Event, Level } from '../../model/event.js';
import type { Report } from '../../model/report.js';
import { continueSearch, FILTER_FIELDS, initialState, onKey, splitKeys, type Ctx, type KeyInfo, type UiState } from './state.js';
import { eventLines, headerLine, HELP, incidentLines, printable } from './text.js';
import { coverageText } from '../coverage-text.js';
import type { TimelineIndex } from './timeline-index.js';

/**
 * The main TUI: incident list, the selected incident's timeline and its
 * detail; the event detail; the whole timeline with filters and search;
 * help. Renders only the rows in view. Every key goes through `onKey`.
 */

export interface AppProps {
  report: Report;
  index: TimelineIndex;
  /** Events by `file\0line`, for the event detail. */
  lookup: ReadonlyMap<string, Event>;
  width: number;
  /** Terminal rows: the frame uses rows − 1 (Ink flickers at exactly rows). */
  height: number;
  color: boolean;
  onExport(): string;
  initial?: Partial<UiState>;
}

const LEVEL_COLOR: Partial<Record<Level, string>> = {
  ERROR: 'red',
  CRITICAL: 'redBright',
  WARNING: 'yellow',
  DEBUG: 'gray',
  TRACE: 'gray',
};
const HOST_COLORS = ['cyan', 'green', 'magenta', 'blue', 'yellowBright', 'cyanBright', 'greenBright', 'magentaBright'];

function hostColor(host: string): string {
  let h = 0;
  for (let i = 0; i < host.length; i++) h = (h * 31 + host.charCodeAt(i)) >>> 0;
  return HOST_COLORS[h % HOST_COLORS.length];
}

/** The window of `len` rows of height `h` that keeps `cursor` in view, centred. */
export function windowOf(cursor: number, len: number, h: number): [number, number] {
  const top = Math.max(0, Math.min(cursor - Math.floor(h / 2), len - h));
  return [top, Math.min(len, top + h)];
}

function short(s: string | undefined, n: number): string {
  return s ? s.slice(0, n) : '';
}

function Row(props: { text: string; selected?: boolean; color?: string; width: number; useColor: boolean }) {
  return (
    <Box width={props.width} height={1}>
      <Text wrap="truncate-end" inverse={props.selected} color={props.useColor ? props.color : undefined}>
        {printable(props.text) || ' '}
      </Text>
    </Box>
  );
}

function Pane(props: { title: string; focused: boolean; width: number; height: number; useColor: boolean; children?: React.ReactNode }) {
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      <Text wrap="truncate-end" bold={props.focused} color={props.useColor && props.focused ? 'cyan' : undefined}>
        {`${props.focused ? '▶ ' : '  '}${props.title}`}
      </Text>
      {props.children}
    </Box>
  );
}

export function App(props: AppProps) {
  const { report, index, lookup, width, color } = props;
  const height = Math.max(8, props.height - 1);
  const [state, setStateRaw] = useState<UiState>(() => ({ ...initialState(), ...props.initial }));
  // Keys can arrive faster than renders: each one must see the state the previous one left.
  const current = useRef(state);
  const setState = (s: UiState): void => {
    current.current = s;
    setStateRaw(s);
  };
  const { exit } = useApp();

  const topH = Math.max(4, Math.floor((height - 2) * 0.5));
  const bottomH = Math.max(3, height - 2 - topH);
  const listW = Math.max(30, Math.floor(width * 0.42));
  const detailW = Math.max(20, width - listW - 1);
  const incident = report.incidents[state.incident];
  const detail = useMemo(() => incidentLines(incident, detailW - 2), [incident, detailW]);
  const openEvent = state.open ? lookup.get(`${state.open.file}\u0000${state.open.line}`) : undefined;
  const evLines = useMemo(() => (state.screen === 'event' ? eventLines(openEvent, width - 2) : []), [state.screen, openEvent, width]);
  const covLines = useMemo(
    () => coverageText(report.coverage, { verbose: true, window: report.coverage.window, focus: report.coverage.focus }).split('\n'),
    [report],
  );

  const ctx: Ctx = {
    report,
    index,
    page: { incidents: topH - 1, timeline: bottomH - 1, detail: topH - 1, whole: height - 3, event: height - 3 },
    detailLines: detail.length,
    eventLines: evLines.length,
    coverageLines: covLines.length,
  };

  // A search runs in steps between frames, so keys and the screen stay live.
  // biome-ignore lint/correctness/useExhaustiveDependencies: setState only writes the ref and the state; a new one each render must not restart the search
  useEffect(() => {
    if (!state.searching) return;
    const t = setTimeout(() => setState(continueSearch(current.current, index)), 0);
    return () => clearTimeout(t);
  }, [state.searching, index]);

  const press = (input: string, key: KeyInfo): boolean => {
    const { state: next, effect } = onKey(current.current, ctx, input, key);
    if (effect?.kind === 'quit') {
      exit();
      return false;
    }
    if (effect?.kind === 'export') {
      let msg: string;
      try {
        msg = `Markdown report written to ${props.onExport()}`;
      } catch (e) {
        msg = `export failed: ${(e as Error).message}`;
      }
      setState({ ...next, status: msg });
      return true;
    }
    setState(next);
    return true;
  };

  useInput((input, key) => {
    // Keys typed faster than a read (or pasted) arrive as one chunk: take them one by one.
    if (input.length > 1 && !key.ctrl && !key.meta) {
      for (const ch of splitKeys(input)) if (!press(ch.input, ch.key)) return;
      return;
    }
    press(input, key);
  });

  const status = state.prompt !== undefined ? `/${state.prompt}█` : (state.status ?? keysHint(state));
  const statusLine = <Row text={status} width={width} useColor={color} color={state.status ? 'yellow' : 'gray'} />;

  if (state.screen === 'help') {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Row text="Keys (lnav's where it has them) — Esc or ? to close" width={width} useColor={color} color="cyan" />
        {HELP.slice(0, height - 2).map(([k, d]) => (
          <Row key={k} text={`  ${k.padEnd(24)} ${d}`} width={width} useColor={color} />
        ))}
      </Box>
    );
  }

  if (state.screen === 'coverage') {
    const [a, b] = [state.coverageTop, Math.min(covLines.length, state.coverageTop + height - 2)];
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Row text="Coverage: what was read, as what, and what was not — Esc back" width={width} useColor={color} color="cyan" />
        {covLines.slice(a, b).map((l, n) => (
          <Row key={a + n} text={l} width={width} useColor={color} />
        ))}
        <Box flexGrow={1} />
        {statusLine}
      </Box>
    );
  }

  if (state.screen === 'event') {
    const [a, b] = [state.eventTop, Math.min(evLines.length, state.eventTop + height - 2)];
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Row
          text={`Event ${state.open?.file.split('/').slice(-2).join('/') ?? ''}:${state.open?.line ?? ''} — Esc back`}
          width={width}
          useColor={color}
          color="cyan"
        />
        {evLines.slice(a, b).map((l, n) => (
          <Row key={a + n} text={l} width={width} useColor={color} />
        ))}
        <Box flexGrow={1} />
        {statusLine}
      </Box>
    );
  }

  if (state.screen === 'filters') {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Row text="Filter the whole timeline — Tab/↑↓ field, type, Enter apply, Esc cancel" width={width} useColor={color} color="cyan" />
        {FILTER_FIELDS.map((f, n) => (
          <Row
            key={f}
            text={`  ${f.padEnd(10)} ${state.filterDraft[f]}${n === state.filterField ? '█' : ''}`}
            selected={n === state.filterField}
            width={width}
            useColor={color}
          />
        ))}
        <Row
          text="  level keeps that level and above; host matches a prefix; instance also matches uuids in messages"
          width={width}
          useColor={color}
          color="gray"
        />
      </Box>
    );
  }

  if (state.screen === 'whole') {
    const h = height - 2;
    const [a, b] = windowOf(state.row, index.length, h);
    const rows = [];
    for (let r = a; r < b; r++) {
      const e = index.event(r)!;
      const text = `${index.adjusted(r)} ${e.host.split('.')[0].padEnd(10).slice(0, 10)} ${e.service.padEnd(14).slice(0, 14)} ${e.level.padEnd(7)} ${short(e.requestId, 12).padEnd(12)} ${e.message.split('\n')[0]}`;
      rows.push(
        <Row
          key={r}
          text={text}
          selected={r === state.row}
          color={LEVEL_COLOR[e.level] ?? hostColor(e.host)}
          width={width}
          useColor={color}
        />,
      );
    }
    const f = Object.entries(index.filters)
      .filter(([, v]) => v)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Row
          text={`Whole timeline · ${state.row + 1}/${index.length} events${f ? ` · filter ${f}` : ''}${state.search ? ` · search "${state.search}"` : ''}`}
          width={width}
          useColor={color}
          color="cyan"
        />
        {rows}
        <Box flexGrow={1} />
        {statusLine}
      </Box>
    );
  }

  // main
  const [ia, ib] = windowOf(state.incident, report.incidents.length, topH - 1);
  const tl = incident?.timeline ?? [];
  const [ta, tb] = windowOf(state.tlRow, tl.length, bottomH - 1);
  const hostOffset = new Map(report.hosts.map((h) => [h.name, h.clockOffsetMs]));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Row text={headerLine(report)} width={width} useColor={color} color="cyan" />
      <Box flexDirection="row" height={topH}>
        <Pane
          title={`Incidents (${report.incidents.length})`}
          focused={state.pane === 'incidents'}
          width={listW}
          height={topH}
          useColor={color}
        >
          {report.incidents.slice(ia, ib).map((i, n) => (
            <Row
              key={i.id}
              text={`${i.severity === 'error' ? 'E' : i.severity === 'warning' ? 'W' : 'i'} ${(i.start ?? '').slice(5, 16).replace('T', ' ')} ${i.kind.padEnd(26).slice(0, 26)} ${short(i.instanceUuid, 8)} ${i.cause.code}`}
              selected={ia + n === state.incident}
              color={i.severity === 'error' ? 'red' : 'yellow'}
              width={listW}
              useColor={color}
            />
          ))}
        </Pane>
        <Box width={1} />
        <Pane title="Detail" focused={state.pane === 'detail'} width={detailW} height={topH} useColor={color}>
          {detail.slice(state.detailTop, state.detailTop + topH - 1).map((l, n) => (
            <Row key={n} text={l} width={detailW} useColor={color} />
          ))}
        </Pane>
      </Box>
      <Pane
        title={`Timeline of the incident (${tl.length} events, reference clock)`}
        focused={state.pane === 'timeline'}
        width={width}
        height={bottomH}
        useColor={color}
      >
        {tl.slice(ta, tb).map((e, n) => {
          const off = hostOffset.get(e.host);
          const text = `${e.failing ? '✗' : ' '} ${e.undated ? 'undated     ' : e.adjustedTs.slice(11)} ${(e.host.split('.')[0] + (off ? `(${off > 0 ? '+' : ''}${(off / 1000).toFixed(1)}s)` : '')).padEnd(16).slice(0, 16)} ${e.service.padEnd(14).slice(0, 14)} ${e.level.padEnd(7)} ${short(e.requestId, 12).padEnd(12)} ${e.message}`;
          return (
            <Row
              key={ta + n}
              text={text}
              selected={state.pane === 'timeline' && ta + n === state.tlRow}
              color={e.failing ? 'redBright' : (LEVEL_COLOR[e.level] ?? hostColor(e.host))}
              width={width}
              useColor={color}
            />
          );
        })}
      </Pane>
      {statusLine}
    </Box>
  );
}

function keysHint(s: UiState): string {
  if (s.screen === 'whole')
    return 'j/k move · e/E w/W errors/warnings · o/O same request · / search n/N · f filter · Enter detail · Esc back · ? help';
  return 'j/k move · Tab pane · Enter open · e/E w/W o/O jump · t whole timeline · c coverage · m export · ? help · q quit';
}
