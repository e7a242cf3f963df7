/**
 * What was read and what was not, per host and file: the report's coverage
 * section and `events`' summary are built from this. Nothing skipped is
 * left uncounted.
 */

export interface FileCoverage {
  host: string;
  /** A loose file whose lines name several hosts (a central syslog, a journal of many machines): those hosts. */
  hosts?: string[];
  path: string;
  role: string;
  service?: string;
  layout?: string;
  bytes: number;
  lines: number;
  events: number;
  /** Continuation and traceback lines folded into events. */
  folded: number;
  /** Lines that could not be read as the role's format. */
  unparsed: number;
  /** Collector chatter (pebble) and non-service lines. */
  foreign: number;
  longLines: number;
  invalidUtf8Lines: number;
  nulLines: number;
  /** NUL bytes skipped (a run at the start, holes inside lines); set when there were any. */
  nulBytes?: number;
  /** Set when the text was not plain UTF-8 (`utf-16le`, `utf-16be`, `utf-8 with BOM`): it was decoded to UTF-8. */
  encoding?: string;
  /** sos kept only the tail: the file's head is missing. */
  truncatedHead?: boolean;
  /** The stream ended early (truncated or corrupt compression). */
  truncatedTail?: boolean;
  firstTs?: string;
  lastTs?: string;
  prefixes?: string[];
  /**
   * Collector times with no year (syslog, journalctl's short modes): the year
   * they were given, the last one when the file crosses New Year, and where it
   * came from: the file's own oslo timestamps, the journal's header, the
   * sosreport's date, the file's modification time, or today.
   */
  assumedYear?: { year: number; through?: number; from: 'oslo-timestamps' | 'journal-header' | 'sosreport-date' | 'file-mtime' | 'today' };
  /**
   * Collector times in UTC (journald's JSON and export, short-unix): the
   * offset added to them to match the service's own timestamps in the same
   * file, or `+00:00` with `none-found` when no line had both.
   */
  timeShift?: { offset: string; from: 'oslo-timestamps' | 'none-found' };
  /**
   * What the file was read as, in words: `oslo`, `oslo json`, a collector's prefix before it
   * (`syslog + oslo`), how a paste was undone (`paste (4-space indent, grep prefixes) + oslo`), `apache access`.
   */
  format?: string;
  /** The part of a pasted file this entry covers, as the paste named it (a grep path, a prompt's file or unit, a header). */
  source?: string;
  /** Events with no time of their own. */
  undated?: number;
  /**
   * `--since` / `--until` was given: lines of the file passed over unread (a plain oslo.log's lines
   * before and after the window), and events read but outside it, left out.
   */
  outsideWindow?: {
    linesPassedOver: number;
    eventsLeftOut: number;
    /** Reading stopped after this line, past `--until` (a file of its own, not an archive's member): the rest was not read. */
    stoppedAtLine?: number;
  };
  /** `--instance`: lines of this plain oslo.log naming neither the instance nor its requests, passed over unread. */
  outsideFocus?: { linesPassedOver: number };
  /** The first few lines not understood (`--verbose`), control characters shown escaped. */
  unparsedSample?: UnparsedSample[];
}

export interface UnparsedSample {
  line: number;
  text: string;
}

export const MAX_UNPARSED_SAMPLES = 5;
const SAMPLE_CHARS = 240;

/** A line not understood, as the coverage may show it: cut short, control characters escaped (`\x1b`). */
export function unparsedSample(line: number, text: string): UnparsedSample {
  const cut = text.length > SAMPLE_CHARS ? `${text.slice(0, SAMPLE_CHARS - 1)}…` : text;
  return { line, text: cut.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`) };
}

export interface UnreadFile {
  host: string;
  path: string;
  /** What it looked like, where its bytes were read (`text starting «…»`, `gzip holding binary data`). */
  what?: string;
}

export interface Warning {
  input: string;
  file?: string;
  message: string;
}

/** A path not read: permission denied, gone, a loop of links; or a FIFO, socket or device found in a folder and never opened. */
export interface UnreadablePath {
  /** The host whose tree holds it, when known. */
  host?: string;
  path: string;
  reason: string;
  /** What its path says it would have been read as (`oslo-log`, `mysqldump`…). */
  role?: string;
}

export interface InputCoverage {
  path: string;
  kind: string;
  host?: string;
}

export interface Coverage {
  inputs: InputCoverage[];
  files: FileCoverage[];
  /** Files not read: every one counted, the relevant-looking ones named. */
  unrecognised: { count: number; relevant: UnreadFile[]; other: UnreadFile[] };
  /** Links inside sosreports, not followed (sos stores their targets as files); those where a log or dump would be are named. */
  links: { count: number; relevant: { host: string; path: string; target: string }[] };
  warnings: Warning[];
  /** Paths that could not be read; present only when there is one (listed, never fatal unless nothing could be read). */
  unreadable?: UnreadablePath[];
}

/** Was anything understood at all: an event, or a file some of whose lines were read (a dump, a config)? */
export function readSomething(c: Pick<Coverage, 'files'>): boolean {
  return c.files.some((f) => f.events > 0 || (f.lines > 0 && f.unparsed < f.lines));
}

export function emptyCoverage(): Coverage {
  return { inputs: [], files: [], unrecognised: { count: 0, relevant: [], other: [] }, links: { count: 0, relevant: [] }, warnings: [] };
}

/** A file's coverage before anything is read from it. */
export function fileCoverage(f: {
  host: string;
  path: string;
  role: string;
  service?: string;
  layout?: string;
  bytes?: number;
  tailed?: boolean;
}): FileCoverage {
  const c: FileCoverage = {
    host: f.host,
    path: f.path,
    role: f.role,
    service: f.service,
    layout: f.layout,
    bytes: f.bytes ?? 0,
    lines: 0,
    events: 0,
    folded: 0,
    unparsed: 0,
    foreign: 0,
    longLines: 0,
    invalidUtf8Lines: 0,
    nulLines: 0,
  };
  if (f.tailed) c.truncatedHead = true;
  return c;
}
