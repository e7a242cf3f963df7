import { basename } from 'node:path';
import type { Event, Service } from '../model/event.js';
import {
  fileCoverage,
  MAX_UNPARSED_SAMPLES,
  unparsedSample,
  type FileCoverage,
  type UnparsedSample,
  type Warning,
} from '../model/coverage.js';
import { DEFAULT_MAX_LINE_CHARS, LineSplitter, newlines } from '../../parsers/lines.js';
import { MAX_TRACEBACK_LINES, OsloEventParser, type OsloParseStats } from '../../parsers/oslo-events.js';
import { QEMU_LOG_LINE, QemuLogParser, type QemuLogContext } from '../../parsers/qemu-log.js';
import { parseAccessLine, parseErrorLine, type ApacheContext } from '../../parsers/apache.js';
import {
  describePaste,
  PASTE_SNIFF_LINES,
  PasteReader,
  sniffPaste,
  type LogicalLine,
  type PasteProfile,
} from '../../parsers/paste/unpaste.js';
import { serviceFromName } from '../../parsers/service-names.js';
import { DecodeError, openDecoded, type DecodeNotes, type Opened } from '../sources/decode.js';
import { diskChunks, diskPathOf } from '../sources/file-chunks.js';
import { hostFromSosName } from '../sources/roles.js';
import type { SourceFile } from '../sources/walk.js';
import { JournalctlMissing } from '../sources/journal-file.js';
import { isJournalStream, readJournalStream, type JournalRead } from './read-journal.js';
import { mergeTrack, tracker } from './track-file.js';
import { ownCopy, type PieceJob, type PieceResult } from './piece-parse.js';
import type { StoreDigest } from '../correlate/store-digest.js';
import { recordCut } from '../../parsers/record-cut.js';
import { outsideWindow, type TimeWindow } from './window.js';
import { WindowGate } from './window-gate.js';
import { FocusGate, type FocusNeedles, needlesOn } from './focus-gate.js';

/**
 * One log file → events. Decompresses by magic (a `.log.2.gz` or a renamed
 * one alike), splits lines, hands them to the parser the role names, and
 * fills the file's coverage. A broken stream keeps what was read before it.
 *
 * An oslo log's first lines are sniffed once for paste mode
 * (parsers/paste/unpaste.ts): an ordinary log goes straight to the oslo
 * parser; a pasted excerpt goes through the paste reader first, and each
 * source it names (a grep path, the file a prompt's command read, a header)
 * gets a parser and a coverage entry of its own.
 */

export const LOG_ROLES: ReadonlySet<string> = new Set(['oslo-log', 'apache-access', 'apache-error', 'qemu-log']);

/**
 * Another process to parse pieces of big plain oslo.log files in (the second core: piece-offload.ts).
 * The reader cuts a file into pieces at lines that open a record (parsers/record-cut.ts), parses every
 * other one itself and hands the ones between to `parse`; it takes each result in file order, as if it
 * had read those lines itself, and hands the events' digest to `replay` (the event store's).
 */
export interface PieceOffload {
  /** Bytes of a piece handed on. */
  readonly pieceBytes: number;
  /** Pieces it may hold at once, and holds now. */
  readonly capacity: number;
  readonly held: number;
  /** Parse here when it holds all it may (one worker beside this process); else wait for it (several). */
  readonly hereWhenFull: boolean;
  /**
   * The piece's result; or its bytes back when it could not be parsed there (the reader parses them
   * itself). `bytes` are the reader's to reuse once this returns.
   */
  parse(job: Omit<PieceJob, 'tz' | 'kinds'>, bytes: Buffer): Promise<PieceResult | Buffer>;
  /** The same, parsed in this process (`bytes` need not outlive the call). */
  parseHere(job: Omit<PieceJob, 'tz' | 'kinds'>, bytes: Buffer): PieceResult;
  /** A file big enough for pieces is being read: the worker may start now (it takes a while to). */
  warm(): void;
  replay(d: StoreDigest): void;
}

export interface ReadOptions {
  maxLineChars?: number;
  /** `analyze` sets it (its events go to an event store only): `events` prints every event, in order, itself. */
  offload?: PieceOffload;
  /** The reader read the file by itself (not through its stream) up to this byte: for the progress line. */
  readTo?(bytes: number): void;
  /** DEBUG records the caller cannot use, passed over unbuilt (OsloFileContext.unbuilt); `analyze` sets it, `events` never. */
  unbuilt?: (level: Event['level'], logger: string, line: string) => boolean;
  /** A loose file whose host is a guess: the hosts its compute named as its own (src/signatures/self-naming.ts), when any. */
  selfNamed?(hosts: string[]): void;
  /**
   * `--since` / `--until`: events outside are left out (counted in the file's coverage), and a plain
   * oslo.log's lines outside are passed over unread (window-gate.ts). Not with `offload`.
   */
  window?: TimeWindow;
  /**
   * `--instance`: a plain oslo.log's lines that hold none of these (the instance's uuid, its requests' ids) are
   * passed over unread (focus-gate.ts). Not with `window` or `offload`.
   */
  focus?: FocusNeedles;
}

interface Counts {
  events: number;
  folded: number;
  unparsed: number;
  foreign: number;
  prefixes?: string[];
  firstUnparsed?: number;
  droppedTraceback?: number;
  samples: UnparsedSample[];
  undated?: number;
  json?: boolean;
}

/** The parser of one part of a file (the whole file, unless a paste names several sources). */
interface Part {
  cov: FileCoverage;
  push(line: string, lineNo: number, lastLineNo?: number, ts?: string): void;
  end(): void;
  counts(): Counts;
  /** Hosts and services its events named, for a file that does not say, and the host its compute named as its own. */
  hosts: Set<string>;
  services: Set<string>;
  self: Set<string>;
  /** Physical lines joined into the line above (unwrapped), counted as folded. */
  joined: number;
  /** An oslo part's parser: a journal stream's entries go to it, and it says what year and shift it assumed. */
  oslo?: OsloEventParser;
  /** Events outside `--since` / `--until`, left out. */
  leftOut?: { events: number };
}

/** What a one-format part starts with: its coverage, nothing named yet, nothing joined. */
function partShell(cov: FileCoverage): Pick<Part, 'cov' | 'hosts' | 'services' | 'self' | 'joined'> {
  return { cov, hosts: new Set(), services: new Set(), self: new Set(), joined: 0 };
}

function apachePart(kind: 'apache-access' | 'apache-error', ctx: ApacheContext, cov: FileCoverage, emit: (ev: Event) => void): Part {
  let events = 0;
  let unparsed = 0;
  const samples: UnparsedSample[] = [];
  let firstUnparsed: number | undefined;
  const parse = kind === 'apache-access' ? parseAccessLine : parseErrorLine;
  return {
    ...partShell(cov),
    push(line, lineNo) {
      if (line.length === 0) return;
      const ev = parse(line, lineNo, ctx);
      if (ev) {
        events++;
        emit(ev);
      } else {
        unparsed++;
        firstUnparsed ??= lineNo;
        if (samples.length < MAX_UNPARSED_SAMPLES) samples.push(unparsedSample(lineNo, line));
      }
    },
    end() {},
    counts: () => ({ events, folded: 0, unparsed, foreign: 0, samples, firstUnparsed }),
  };
}

function qemuPart(ctx: QemuLogContext, cov: FileCoverage, emit: (ev: Event) => void, pasted = false): Part {
  const p = new QemuLogParser(ctx, emit, { pasted });
  return {
    ...partShell(cov),
    push: (line, lineNo) => p.push(line, lineNo),
    end: () => p.end(),
    counts: () => ({ events: p.stats.events, folded: p.stats.folded, unparsed: 0, foreign: 0, samples: [] }),
  };
}

/** A paste's source named as a guest's QEMU log (a prompt's `cat …/libvirt/qemu/instance-….log`, a header). */
const QEMU_SOURCE = /(?:^|\/)libvirt\/qemu\/[^/]+\.(?:log|txt)(?:\.\d+)?(?:\.gz)?$/;

/** A file saved under a guest's domain name (`instance-0000abcd.log`, `subnode-2-instance-0000001b.log`: a ticket's attachment). */
const QEMU_FILE_NAME = /\binstance-[0-9a-f]{8}\b[^/\\]*\.(?:log|txt)$/;

/**
 * A paste's source is a guest's QEMU log: its name says so (a prompt's `cat …/libvirt/qemu/instance-….log`, a header,
 * or the file's own name where the paste names none), or its first line is libvirt's or QEMU's own (a banner, a stamped
 * line).
 */
function isQemuPaste(l: LogicalLine, fileName: string): boolean {
  const name = l.source.name;
  if (name) return QEMU_SOURCE.test(name) || (!l.markup && QEMU_LOG_LINE.test(l.text));
  return QEMU_FILE_NAME.test(fileName) || (!l.markup && QEMU_LOG_LINE.test(l.text));
}

/** A loose file was decoded by the walker, which sniffed it: what it found is the file's. */
export function withNotes(o: Opened, file: SourceFile): Opened {
  const d = file.decoded;
  if (!d) return o;
  return {
    ...o,
    encoding: o.encoding ?? d.encoding,
    encodingGuessed: o.encodingGuessed ?? d.encodingGuessed,
    leadingNulBytes: (o.leadingNulBytes ?? 0) + (d.leadingNulBytes ?? 0) || undefined,
  };
}

/** `a UTF-16LE text (from its byte-order mark)`, for the coverage. */
export function encodingNote(o: DecodeNotes): string {
  return `a ${o.encoding?.toUpperCase()} text (${o.encodingGuessed ? 'no byte-order mark: told by its NUL pattern' : 'from its byte-order mark'})`;
}

/** Finished pieces waiting for an earlier one, at most. */
const AHEAD = 6;

/** A gate is fed what it was fed when files were read as streams, 256 KiB at a time (`readGated`). */
const GATED_SLICE = 256 * 1024;

/** A piece parsed elsewhere (PieceResult.parse), counted into the file's parser's stats. */
function mergeParse(s: OsloParseStats, r: PieceResult['parse']): void {
  s.events += r.events;
  s.foldedLines += r.foldedLines;
  s.foreignLines += r.foreignLines;
  s.unparsedLines += r.unparsedLines;
  s.droppedTracebackLines += r.droppedTracebackLines;
  s.undatedEvents += r.undatedEvents;
  s.firstUnparsedLine ??= r.firstUnparsedLine;
  for (const u of r.unparsedSamples) if (s.unparsedSamples.length < MAX_UNPARSED_SAMPLES) s.unparsedSamples.push(u);
}

function osloCounts(s: OsloParseStats): Counts {
  return {
    events: s.events,
    folded: s.foldedLines,
    unparsed: s.unparsedLines,
    foreign: s.foreignLines,
    prefixes: s.prefixes,
    firstUnparsed: s.firstUnparsedLine,
    droppedTraceback: s.droppedTracebackLines,
    samples: s.unparsedSamples,
    undated: s.undatedEvents,
    json: s.json,
  };
}

/** The format in words: how a paste was undone, a collector's prefixes, then the record format. */
function formatName(role: string, c: Counts, paste: string[] | undefined): string {
  if (role !== 'oslo-log') return role.replace('-', ' ');
  const parts: string[] = [];
  // A paste with nothing to undo (message-only lines, level-only lines) is still read as one: say so.
  if (paste) parts.push(`paste (${paste.length > 0 ? paste.join(', ') : 'nothing to undo'})`);
  parts.push(...(c.prefixes ?? []));
  parts.push(c.json ? 'oslo json' : 'oslo');
  return parts.join(' + ');
}

/** What an oslo part reads a source of a paste as: its host and service, where the paste names them. */
function sourceOf(hint: LogicalLine['source']): { host?: string; service?: Service; label?: string } {
  if (!hint.name && !hint.host) return {};
  const name = hint.name;
  let host = hint.host;
  if (name) for (const seg of name.split('/')) if (seg.startsWith('sosreport-')) host = hostFromSosName(seg) ?? host;
  return { host, service: name ? serviceFromName(basename(name)) : undefined, label: name };
}

export async function readLogFile(
  file: SourceFile,
  opts: ReadOptions,
  /** `ofLine`: parsers/oslo-events.ts `eventOfLine` makes the event again from its raw line. */
  emit: (ev: Event, ofLine?: boolean) => void,
  warn: (w: Warning) => void,
  /** Records passed over unbuilt (ReadOptions.unbuilt): counted as events, never given to `emit`. */
  passed: (ev: Event) => void = emit,
): Promise<FileCoverage[]> {
  // A loose file that does not say whose or what it is (a journal): what its events say, when they all agree.
  // Inside a host's tree the tree names the host (a later hostname file renames it as a whole).
  const guessHost = !!file.loose && (file.hostSource === 'unknown' || file.hostSource === 'folder-name');

  const newCov = (source?: { host?: string; service?: Service; label?: string }): FileCoverage => {
    const cov = fileCoverage({
      host: source?.host ?? file.host,
      path: file.displayPath,
      role: file.role.kind,
      service: source?.service ?? file.role.service,
      layout: file.role.layout,
      tailed: file.role.tailed,
    });
    if (source?.label) cov.source = source.label;
    return cov;
  };

  /** The events of one part held to the window (before its first and last times are noted): those outside are counted. */
  const window = opts.window;
  const inWindow = <T extends (ev: Event, ofLine?: boolean) => void>(sink: T, leftOut: { events: number }): T =>
    (window
      ? (ev: Event, ofLine?: boolean) => {
          if (outsideWindow(window, ev.ts) !== undefined) leftOut.events++;
          else sink(ev, ofLine);
        }
      : sink) as T;

  const osloPart = (source: ReturnType<typeof sourceOf>, paste: boolean): Part => {
    const cov = newCov(source);
    const leftOut = { events: 0 };
    const hosts = new Set<string>();
    const services = new Set<string>();
    const self = new Set<string>();
    const service = source.service ?? file.role.service;
    // A syslog prefix's host still wins over the one a path or a prompt named: it is the machine's own name.
    const hostGuessed = guessHost;
    const p = new OsloEventParser(
      {
        host: source.host ?? file.host,
        file: file.displayPath,
        service,
        collected: file.collected,
        mtime: file.mtime,
        hostFromCollector: hostGuessed,
        paste,
        unbuilt: opts.unbuilt,
        // devstack's screen sessions wrote what the service printed into its log.
        stdout: file.role.layout === 'devstack-screen',
      },
      inWindow(tracker(cov, { hosts, services, self }, hostGuessed, !!service, emit), leftOut),
      inWindow(tracker(cov, { hosts, services, self }, hostGuessed, !!service, passed), leftOut),
    );
    return {
      cov,
      hosts,
      services,
      self,
      joined: 0,
      oslo: p,
      leftOut,
      push: (l, n, last, ts) => p.push(l, n, last, ts),
      end: () => p.end(),
      counts: () => osloCounts(p.stats),
    };
  };

  /** A pasted guest's QEMU log (isQemuPaste): read by its own parser, as a paste. */
  const qemuPastePart = (source: ReturnType<typeof sourceOf>): Part => {
    const cov = newCov(source);
    cov.role = 'qemu-log';
    const seen = { hosts: new Set<string>(), services: new Set<string>(), self: new Set<string>() };
    const leftOut = { events: 0 };
    const sink = inWindow(tracker(cov, seen, guessHost, false, emit), leftOut);
    const part = qemuPart({ host: source.host ?? file.host, file: file.displayPath }, cov, sink, true);
    return Object.assign(part, { leftOut, hosts: seen.hosts, services: seen.services, self: seen.self });
  };

  const parts: Part[] = [];
  let paste: { profile: PasteProfile; reader: PasteReader } | undefined;
  let push: (line: string, lineNo: number) => void;
  let finish: () => void;

  if (file.role.kind === 'oslo-log') {
    // Sniff the first lines once: ordinary logs are handed to one parser directly from then on.
    const head: [string, number][] = [];
    const decide = (): void => {
      const profile = sniffPaste(head.map(([l]) => l));
      if (!profile) {
        const part = osloPart({}, false);
        parts.push(part);
        push = part.push;
        finish = () => part.end();
      } else {
        const bySource = new Map<string, Part>();
        // Bytes of the physical lines the reader still holds (a wrap it may join), in line order, dropped once routed.
        const held: number[] = [];
        let heldFrom = 0;
        let heldHead = 0;
        const route = (l: LogicalLine): void => {
          const key = `${l.source.host ?? ''}\u0000${l.source.name ?? ''}`;
          let part = bySource.get(key);
          if (!part) {
            part = isQemuPaste(l, file.displayPath) ? qemuPastePart(sourceOf(l.source)) : osloPart(sourceOf(l.source), true);
            bySource.set(key, part);
            parts.push(part);
          }
          if (!l.inner) {
            part.cov.lines += l.last - l.first + 1;
            // Lines come out in order: the held bytes up to this line's last are its own (or furniture's before it).
            while (heldHead < held.length && heldFrom + heldHead <= l.last) part.cov.bytes += held[heldHead++];
            if (heldHead > 1024 && heldHead * 2 > held.length) {
              held.splice(0, heldHead);
              heldFrom += heldHead;
              heldHead = 0;
            }
            part.joined += l.last - l.first;
          }
          // The paste's furniture (blank lines, prompts, headers, grep's `--`) counts as foreign and ends what folds.
          // A command typed says what the output after it is (a move's command: its fault is the move's).
          if (l.markup === 'prompt') part.oslo?.typed(l.text, l.first);
          if (l.markup) part.push('', l.first);
          else part.push(l.text, l.first, l.last, l.ts);
        };
        const reader = new PasteReader(profile, route, opts.maxLineChars);
        paste = { profile, reader };
        push = (l, n) => {
          if (held.length === heldHead && heldHead > 0) {
            held.length = 0;
            heldHead = 0;
          }
          if (held.length === 0) heldFrom = n;
          held.push(Buffer.byteLength(l) + 1);
          reader.push(l, n);
        };
        finish = () => {
          reader.end();
          for (const part of parts) part.end();
        };
      }
      for (const [l, n] of head) push(l, n);
      head.length = 0;
    };
    push = (l, n) => {
      head.push([l, n]);
      if (head.length >= PASTE_SNIFF_LINES) decide();
    };
    finish = () => {
      decide();
      finish();
    };
  } else {
    const cov = newCov();
    const seen = { hosts: new Set<string>(), services: new Set<string>(), self: new Set<string>() };
    const leftOut = { events: 0 };
    const sink = inWindow(tracker(cov, seen, guessHost, !!file.role.service, emit), leftOut);
    const part =
      file.role.kind === 'qemu-log'
        ? qemuPart({ host: file.host, file: file.displayPath }, cov, sink)
        : apachePart(
            file.role.kind as 'apache-access' | 'apache-error',
            { host: file.host, file: file.displayPath, service: file.role.service ?? 'httpd' },
            cov,
            sink,
          );
    part.leftOut = leftOut;
    part.hosts = seen.hosts;
    part.services = seen.services;
    part.self = seen.self;
    parts.push(part);
    push = (l, n) => parts[0].push(l, n);
    finish = () => parts[0].end();
  }

  const splitter = new LineSplitter((l, n) => push(ownCopy(l), n), opts.maxLineChars);
  /** Lines of the file passed over unread, outside the window (readWindowed). */
  const passedOver: { before: number; after: number; focus: number; stoppedAtLine?: number } = { before: 0, after: 0, focus: 0 };
  let leadingNuls = 0;
  let encoding: FileCoverage['encoding'];
  let truncatedTail = false;
  let journal: JournalRead | undefined;
  try {
    const opened = withNotes(await openDecoded(file.stream), file);
    leadingNuls = opened.leadingNulBytes ?? 0;
    if (opened.encoding) {
      encoding = opened.encoding;
      if (opened.encoding !== 'utf-8 with BOM')
        warn({ input: file.input, file: file.displayPath, message: `${encodingNote(opened)}: decoded to UTF-8 and read` });
    }
    if (file.role.kind === 'oslo-log' && isJournalStream(opened.head)) {
      // journald's export format and binary journals are entries, not lines: no paste to sniff.
      const part = osloPart({}, false);
      parts.push(part);
      push = () => {};
      finish = () => part.end();
      journal = await readJournalStream(opened.stream, opened.head, file.relPath.slice(file.relPath.lastIndexOf('/') + 1), part.oslo!);
    } else if (opened.inner === 'binary' || opened.inner === 'tar') {
      warn({ input: file.input, file: file.displayPath, message: `expected a text log, found ${opened.inner} data: skipped` });
      for await (const _ of opened.stream) {
        // drain so the archive can go on
      }
      const cov = newCov();
      cov.unparsed = 1;
      cov.format = `${opened.inner} data`;
      if (encoding) cov.encoding = encoding;
      return [cov];
    } else {
      // A file on disk as it is is read by position (`fromDisk`), its stream left to the walker to close.
      const disk = diskPathOf(file.diskPath, opened);
      if (opts.offload && file.role.kind === 'oslo-log' && !opened.encoding && file.role.layout !== 'devstack-screen')
        await readInPieces(disk ? diskChunks(disk, true) : opened.stream, opts.offload);
      else if ((window || opts.focus) && file.role.kind === 'oslo-log' && !opened.encoding)
        await readGated(disk ? diskChunks(disk, false) : opened.stream, window, opts.focus);
      else for await (const chunk of disk ? diskChunks(disk, false) : opened.stream) splitter.push(chunk);
    }
  } catch (e) {
    if (e instanceof JournalctlMissing) {
      warn({ input: file.input, file: file.displayPath, message: e.message });
      finish();
      const cov = parts[0]?.cov ?? newCov();
      cov.unparsed = 1;
      return [cov];
    }
    if (e instanceof DecodeError && e.complete) {
      warn({ input: file.input, file: file.displayPath, message: e.message });
    } else {
      truncatedTail = true;
      const where = e instanceof DecodeError ? ` at compressed byte ${e.compressedBytes}` : '';
      warn({
        input: file.input,
        file: file.displayPath,
        message: `${(e as Error).message}${where}: read stopped after ${splitter.stats.lines} lines; those are kept`,
      });
    }
  }
  splitter.end();
  finish();
  return collect();

  /**
   * Once the first lines are read and the file is plain oslo.log (`OsloEventParser.closeAtCut`), its bytes
   * are cut into pieces at lines that open a record; each piece is parsed on its own, by a parse worker
   * (`off.parse`, up to `off.capacity` at a time) or, with one worker, here (`off.parseHere`) when it holds
   * all it may, and the results are taken in file order, as if the lines were read here one by one (at most
   * AHEAD finished ones wait for an earlier one). Bytes wait in one buffer, reused (a fresh one per piece
   * cost more in page faults than the copying), of about two pieces: until the file is known plain, and
   * when no cut is found in two pieces' worth, the lines go to the file's own parser as usual.
   */
  async function readInPieces(stream: AsyncIterable<Buffer>, off: PieceOffload): Promise<void> {
    const size = off.pieceBytes;
    let buf = Buffer.allocUnsafe(2 * size);
    let used = 0;
    /** Lines in the bytes handed on so far (parsed by the file's parser or as pieces). */
    let lines = 0;
    /** Pieces in file order, not yet taken. */
    const queue: (PieceResult | Buffer | Promise<PieceResult | Buffer>)[] = [];
    let cutting = false;
    let readSoFar = 0;
    const oslo = (): OsloEventParser | undefined => (paste === undefined && parts.length === 1 ? parts[0].oslo : undefined);
    const take = (r: PieceResult | Buffer): void => {
      const part = parts[0];
      if (Buffer.isBuffer(r)) {
        // Given back: the file's parser reads it, and ends it where the piece ends.
        splitter.push(r);
        part.oslo!.closeAtCut();
        return;
      }
      splitter.continueAfter(r.lines);
      mergeParse(part.oslo!.stats, r.parse);
      mergeTrack(part.cov, part, r.track);
      off.replay(r.digest);
    };
    /** Takes the pieces at the head of the queue that are ready; with `all`, waits for every one. */
    const drain = async (all: boolean): Promise<void> => {
      while (queue.length > 0) {
        const head = queue[0];
        if (head instanceof Promise) {
          if (!all && queue.length <= AHEAD) return;
          // Its handler (below) puts the result in its place first.
          await head;
          continue;
        }
        // Not a promise: `head` is what shift() returns.
        void queue.shift();
        take(head);
      }
    };
    const piece = (b: Buffer): void => {
      const job = jobFor(lines);
      lines += newlines(b, 0, b.length);
      if (off.held < off.capacity) {
        const p = off.parse(job, b);
        // A finished piece is put in its place at once: the next drain takes it without waiting.
        p.then(
          (r) => {
            const k = queue.indexOf(p);
            if (k >= 0) queue[k] = r;
          },
          () => {},
        );
        queue.push(p);
      } else {
        const r = off.parseHere(job, b);
        // Not read as plain oslo.log on its own (rare): the file's parser reads it, in its turn.
        queue.push(r.plain ? r : Buffer.from(b));
      }
    };
    /** With several workers this process only reads and takes results: when they hold all they may, it waits. */
    const room = async (): Promise<void> => {
      while (!off.hereWhenFull && off.held >= off.capacity) {
        const oldest = queue.find((x) => x instanceof Promise);
        if (!oldest) return;
        await oldest;
      }
    };
    /** Parses or hands on what `buf` holds up to its last cut (all of it when `final`); how many bytes it took. */
    const consume = async (final: boolean): Promise<number> => {
      const b = buf.subarray(0, used);
      if (!cutting) {
        off.warm();
        const p = oslo();
        const first = p?.plain ? recordCut(b, 0) : -1;
        if (first < 0 || final) {
          splitter.push(b);
          lines += newlines(b, 0, b.length);
          return b.length;
        }
        // The file's parser ends at the cut; from here on, pieces.
        splitter.push(b.subarray(0, first));
        lines += newlines(b, 0, first);
        p!.closeAtCut();
        cutting = true;
        return first;
      }
      let at = 0;
      for (;;) {
        const end = final && used - at <= size ? -1 : recordCut(b, at + size);
        if (end < 0) break;
        await room();
        piece(b.subarray(at, end));
        at = end;
        // A turn of the event loop: the worker's answers come in (a piece parsed here holds it for a while).
        await new Promise((resolve) => setImmediate(resolve));
        await drain(false);
      }
      if (final && at < used) {
        await room();
        piece(b.subarray(at, used));
      }
      await drain(final);
      if (!final && used - at > 2 * size) {
        // No line opens a record in two pieces' worth (a line of megabytes, a traceback without end): the
        // file's parser takes it, after every piece before it, and cutting starts again at the next cut.
        await drain(true);
        splitter.push(b.subarray(at, used));
        lines += newlines(b, at, used);
        cutting = false;
        return used;
      }
      return final ? used : at;
    };
    try {
      for await (const chunk of stream) {
        if (used + chunk.length > buf.length) {
          const bigger = Buffer.allocUnsafe(Math.max(2 * buf.length, used + chunk.length));
          buf.copy(bigger, 0, 0, used);
          buf = bigger;
        }
        chunk.copy(buf, used);
        used += chunk.length;
        opts.readTo?.((readSoFar += chunk.length));
        if (used < size + (size >> 2)) continue;
        const took = await consume(false);
        buf.copyWithin(0, took, used);
        used -= took;
      }
    } finally {
      // The end, or a broken stream: what was read is parsed (in order) before anything else is said.
      await consume(true);
    }
  }

  /**
   * The file read through a gate once its first lines say it is oslo.log's own lines (no collector prefix, not
   * pasted, not JSON): with a window, those before `since` and after `until` (window-gate.ts); else those naming
   * neither the instance asked about nor its requests (focus-gate.ts). Lines passed over are counted as lines of
   * the file, numbered as if read. Any other file is read whole (its events still held to the window).
   */
  async function readGated(stream: AsyncIterable<Buffer>, w: TimeWindow | undefined, focus: FocusNeedles | undefined): Promise<void> {
    /** undefined: the first lines are still being told; null: not a file to gate. */
    let gate: WindowGate | FocusGate | null | undefined;
    let stopped = false;
    const blank = { longLines: 0, invalidUtf8Lines: 0, nulLines: 0, nulBytes: 0 };
    reading: for await (const read of stream)
      for (let at = 0; at < read.length; at += GATED_SLICE) {
        // In slices as they were read before (walk.ts read 256 KiB at a time): the first slice is read whole,
        // before a gate knows the file, and a window's reader stops at the end of the slice its stop is in.
        const chunk = read.length > GATED_SLICE ? read.subarray(at, at + GATED_SLICE) : read;
        if (gate) {
          gate.push(chunk);
          // A file of its own (not an archive's member, which is read through to get to the next): no need to read on.
          if (gate.past && (file.diskPath || file.loose)) {
            stopped = true;
            break reading;
          }
          continue;
        }
        splitter.push(chunk);
        if (gate === null) continue;
        if (paste !== undefined || parts.length > 1) gate = null;
        else if (parts.length === 1) {
          const oslo = parts[0].oslo;
          const own = oslo?.readsOsloLines;
          if (own !== undefined) {
            const sink = {
              read: (b: Buffer) => splitter.push(b),
              passed: (bytes: number, lines: number, side: 'before' | 'after' | 'focus') => {
                splitter.continueAfter({ bytes, lines, ...blank });
                passedOver[side] += lines;
              },
              opened: () => void oslo!.closeAtCut(),
            };
            gate = !own ? null : w ? new WindowGate(w, sink) : new FocusGate(needlesOn(focus!, file.host), sink);
          }
        }
      }
    gate?.end();
    // The last line counted is the last one of the chunk the stop came in (its end unread when it was cut).
    if (stopped) passedOver.stoppedAtLine = splitter.stats.lines;
  }

  function jobFor(linesBefore: number): Omit<PieceJob, 'tz' | 'kinds'> {
    return {
      host: file.host,
      file: file.displayPath,
      service: file.role.service,
      collected: file.collected,
      mtime: file.mtime?.getTime(),
      hostFromCollector: guessHost,
      hostGuessed: guessHost,
      serviceKnown: !!file.role.service,
      maxLineChars: opts.maxLineChars,
      linesBefore,
    };
  }

  function collect(): FileCoverage[] {
    const s = splitter.stats;
    const described = paste ? describePaste(paste.profile, paste.reader.seen) : undefined;
    const out: FileCoverage[] = [];
    let unparsedTotal = 0;
    let firstUnparsed: number | undefined;
    let dropped = 0;
    for (const part of parts) {
      const cov = part.cov;
      const c = part.counts();
      if (!paste) {
        Object.assign(cov, { bytes: journal?.bytes ?? s.bytes + leadingNuls, lines: journal?.lines ?? s.lines });
      } else if (cov.lines === 0 && c.events === 0 && parts.length > 1) {
        continue;
      }
      Object.assign(cov, { events: c.events, folded: c.folded + part.joined, unparsed: c.unparsed, foreign: c.foreign });
      cov.format = formatName(file.role.kind, c, described);
      if (c.prefixes && c.prefixes.length > 0) cov.prefixes = c.prefixes;
      if (journal) cov.prefixes = [journal.format];
      if (part.oslo?.stats.assumedYear) cov.assumedYear = part.oslo.stats.assumedYear;
      if (part.oslo?.stats.timeShift) cov.timeShift = part.oslo.stats.timeShift;
      if (c.undated) cov.undated = c.undated;
      if (opts.focus && !window && parts.length === 1) cov.outsideFocus = { linesPassedOver: passedOver.focus };
      if (window) {
        const passed = parts.length === 1 ? passedOver.before + passedOver.after : 0;
        cov.outsideWindow = { linesPassedOver: passed, eventsLeftOut: part.leftOut?.events ?? 0 };
        if (passedOver.stoppedAtLine !== undefined && parts.length === 1) cov.outsideWindow.stoppedAtLine = passedOver.stoppedAtLine;
      }
      if (c.samples.length > 0) cov.unparsedSample = c.samples;
      if (part.hosts.size === 1) cov.host = [...part.hosts][0];
      else if (part.hosts.size > 1) cov.hosts = [...part.hosts].sort();
      if (part.services.size === 1 && !part.services.has('unknown')) cov.service = [...part.services][0] as FileCoverage['service'];
      unparsedTotal += c.unparsed;
      if (c.firstUnparsed !== undefined && (firstUnparsed === undefined || c.firstUnparsed < firstUnparsed))
        firstUnparsed = c.firstUnparsed;
      dropped += c.droppedTraceback ?? 0;
      out.push(cov);
    }
    if (out.length === 0) out.push(Object.assign(newCov(), { bytes: s.bytes + leadingNuls, lines: s.lines }));
    const self = new Set(parts.flatMap((p) => [...p.self]));
    if (self.size > 0) opts.selfNamed?.([...self]);
    // The file's own counts (decoding, long lines, bad UTF-8, NULs, a cut stream) go on its first entry.
    const first = out[0];
    if (paste) first.bytes += leadingNuls;
    if (encoding) first.encoding = encoding;
    if (truncatedTail) first.truncatedTail = true;
    first.longLines = s.longLines;
    first.invalidUtf8Lines = s.invalidUtf8Lines;
    first.nulLines = s.nulLines;
    if (s.nulBytes + leadingNuls > 0) first.nulBytes = s.nulBytes + leadingNuls;

    if (s.longLines > 0)
      warn({
        input: file.input,
        file: file.displayPath,
        message: `${s.longLines} line(s) longer than ${opts.maxLineChars ?? DEFAULT_MAX_LINE_CHARS} characters were cut (first at line ${s.firstLongLine})`,
      });
    if (s.invalidUtf8Lines > 0)
      warn({ input: file.input, file: file.displayPath, message: `${s.invalidUtf8Lines} line(s) are not valid UTF-8 (shown with U+FFFD)` });
    if (leadingNuls > 0)
      warn({
        input: file.input,
        file: file.displayPath,
        message: `${leadingNuls} NUL byte(s) at the start skipped (what a crash leaves in a preallocated file); the ${s.lines} line(s) after them were read`,
      });
    if (s.nulLines > 0)
      warn({
        input: file.input,
        file: file.displayPath,
        message: `${s.nulLines} line(s) held NUL bytes (${s.nulBytes} removed: copytruncate holes or binary garbage); the rest of each line was read`,
      });
    if (unparsedTotal > 0 && unparsedTotal * 2 > s.lines) {
      const at = firstUnparsed !== undefined ? ` (first at line ${firstUnparsed})` : '';
      warn({
        input: file.input,
        file: file.displayPath,
        message: `${unparsedTotal} of ${s.lines} lines are not in the ${file.role.kind} format${at}`,
      });
    }
    const omitted = { count: 0, blob: 0 };
    for (const part of parts) {
      omitted.count += part.oslo?.stats.omittedEntries?.count ?? 0;
      omitted.blob += part.oslo?.stats.omittedEntries?.blob ?? 0;
    }
    if (omitted.count) {
      const how = [
        omitted.blob ? `${omitted.blob} printed as \`[… blob data]\` (not printable UTF-8)` : '',
        omitted.count > omitted.blob ? `${omitted.count - omitted.blob} longer than 4096 bytes (null in JSON)` : '',
      ]
        .filter(Boolean)
        .join(', ');
      warn({
        input: file.input,
        file: file.displayPath,
        message: `${omitted.count} journal entr${omitted.count === 1 ? 'y' : 'ies'} of nova's had no message to read: journalctl left it out, ${how}; export again with \`journalctl --all\` or \`-o export\``,
      });
    }
    if (dropped) {
      warn({
        input: file.input,
        file: file.displayPath,
        message: `${dropped} traceback line(s) past ${MAX_TRACEBACK_LINES} per event were not kept`,
      });
    }
    return out;
  }
}
