import type { Event, Service } from '../model/event.js';
import type { UnparsedSample } from '../model/coverage.js';
import { DEFAULT_MAX_LINE_CHARS, LineSplitter, type LineStats } from '../../parsers/lines.js';
import { OsloEventParser } from '../../parsers/oslo-events.js';
import type { YearMonth } from '../../parsers/timestamps.js';
import type { KeepRule } from '../correlate/classify.js';
import { DigestBuilder, type SpillFile, type StoreDigest } from '../correlate/store-digest.js';
import { parseZones, ZoneStamper } from './time.js';
import { DETECTORS } from '../detectors/index.js';
import { keepRule, unbuiltRule } from '../registry/keep.js';
import { tracker, type TimeSpan } from './track-file.js';

/**
 * One piece of a plain oslo.log file, parsed on its own (in a parse worker:
 * parse-worker.ts) into what the reader and the event store of the main
 * process would have made of its lines: the splitter's and the parser's
 * counts, what the events said of the file, and the store's digest.
 * read-logs.ts cuts the pieces where nothing folds across (parsers/record-cut.ts)
 * and takes the results in file order, so the run is the same as in one piece.
 */

/** What parsing a piece needs to know of its file, as plain data (it crosses a pipe). */
export interface PieceJob {
  host: string;
  file: string;
  service?: Service;
  collected?: YearMonth;
  /** The file's mtime in ms. */
  mtime?: number;
  hostFromCollector?: boolean;
  /** The file's path did not name its host, or its service: what its events name is noted. */
  hostGuessed: boolean;
  serviceKnown: boolean;
  maxLineChars?: number;
  /** Lines of the file before the piece. */
  linesBefore: number;
  /** `--tz` (the zones stamped on times as the event store gets them). */
  tz: readonly string[];
  /** The kinds of the detectors that run: what the store keeps is what they declare. */
  kinds: readonly string[];
}

export interface PieceResult {
  /** The piece read as plain oslo.log lines, as the main process read the file: else the result is not used. */
  plain: boolean;
  lines: LineStats;
  parse: {
    events: number;
    foldedLines: number;
    foreignLines: number;
    unparsedLines: number;
    droppedTracebackLines: number;
    undatedEvents: number;
    firstUnparsedLine?: number;
    unparsedSamples: UnparsedSample[];
  };
  track: TimeSpan & { hosts: string[]; services: string[]; self: string[] };
  digest: StoreDigest;
}

export interface PieceRules {
  keep: KeepRule;
  unbuilt: (level: Event['level'], logger: string, line: string) => boolean;
}

/** The keep and unbuilt rules of the registered detectors of these kinds (as analyze.ts builds them). */
export function pieceRules(kinds: readonly string[]): PieceRules {
  const detectors = DETECTORS.filter((d) => kinds.includes(d.kind));
  return { keep: keepRule(detectors), unbuilt: unbuiltRule(detectors) };
}

/** `spill`: where the context's JSON goes (a worker's file); else it travels in the digest's body. */
export function parsePiece(job: PieceJob, bytes: Buffer, rules: PieceRules, spill?: SpillFile): PieceResult {
  const digest = new DigestBuilder(rules.keep, spill);
  const zones = new ZoneStamper(parseZones([...job.tz]));
  const stamp = (ev: Event): void => {
    if (zones.zoneOf(ev.host)) ev.ts = zones.stamp(ev.host, ev.ts);
  };
  const span: TimeSpan = {};
  const named = { hosts: new Set<string>(), services: new Set<string>(), self: new Set<string>() };
  const parser = new OsloEventParser(
    {
      host: job.host,
      file: job.file,
      service: job.service,
      collected: job.collected,
      mtime: job.mtime === undefined ? undefined : new Date(job.mtime),
      hostFromCollector: job.hostFromCollector,
      unbuilt: rules.unbuilt,
    },
    tracker(span, named, job.hostGuessed, job.serviceKnown, (ev, ofLine) => {
      stamp(ev);
      digest.add(ev, ofLine);
    }),
    tracker(span, named, job.hostGuessed, job.serviceKnown, (ev) => {
      stamp(ev);
      digest.pass(ev);
    }),
  );
  const splitter = new LineSplitter((l, n) => parser.push(ownCopy(l), n), job.maxLineChars ?? DEFAULT_MAX_LINE_CHARS, job.linesBefore);
  splitter.push(bytes);
  splitter.end();
  parser.end();
  const s = parser.stats;
  return {
    plain: parser.plain,
    lines: { ...splitter.stats },
    parse: {
      events: s.events,
      foldedLines: s.foldedLines,
      foreignLines: s.foreignLines,
      unparsedLines: s.unparsedLines,
      droppedTracebackLines: s.droppedTracebackLines,
      undatedEvents: s.undatedEvents,
      firstUnparsedLine: s.firstUnparsedLine,
      unparsedSamples: s.unparsedSamples,
    },
    track: { firstTs: span.firstTs, lastTs: span.lastTs, hosts: [...named.hosts], services: [...named.services], self: [...named.self] },
    digest: digest.finish(),
  };
}

/**
 * A line comes as a slice of the text of its chunk, and so does every field
 * cut from it: one event kept (by the store, the TUI) would keep the whole
 * chunk alive. A line of its own keeps only itself. (V8 copies slices shorter
 * than 13 characters.)
 */
export function ownCopy(line: string): string {
  return line.length < 13 ? line : ` ${line}`.slice(1);
}
