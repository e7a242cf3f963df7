import type { Event } from '../model/event.js';
import { fileCoverage, type FileCoverage, type Warning } from '../model/coverage.js';
import { DEFAULT_MAX_LINE_CHARS, LineSplitter } from '../../parsers/lines.js';
import { MAX_TRACEBACK_LINES, OsloEventParser } from '../../parsers/oslo-events.js';
import { parseAccessLine, parseErrorLine, type ApacheContext } from '../../parsers/apache.js';
import { DecodeError, openDecoded, type DecodeNotes, type Opened } from '../sources/decode.js';
import type { SourceFile } from '../sources/walk.js';
import { JournalctlMissing } from '../sources/journal-file.js';
import { isJournalStream, readJournalStream, type JournalRead } from './read-journal.js';

/**
 * One log file → events. Decompresses by magic (a `.log.2.gz` or a renamed
 * one alike), splits lines, hands them to the parser the role names, and
 * fills the file's coverage. A broken stream keeps what was read before it.
 */

export const LOG_ROLES: ReadonlySet<string> = new Set(['oslo-log', 'apache-access', 'apache-error']);

export interface ReadOptions {
  maxLineChars?: number;
}

interface LineConsumer {
  push(line: string, lineNo: number): void;
  end(): void;
  counts(): {
    events: number;
    folded: number;
    unparsed: number;
    foreign: number;
    prefixes?: string[];
    firstUnparsed?: number;
    droppedTraceback?: number;
  };
}

function apacheConsumer(kind: 'apache-access' | 'apache-error', ctx: ApacheContext, emit: (ev: Event) => void): LineConsumer {
  let events = 0;
  let unparsed = 0;
  const parse = kind === 'apache-access' ? parseAccessLine : parseErrorLine;
  return {
    push(line, lineNo) {
      if (line.length === 0) return;
      const ev = parse(line, lineNo, ctx);
      if (ev) {
        events++;
        emit(ev);
      } else unparsed++;
    },
    end() {},
    counts: () => ({ events, folded: 0, unparsed, foreign: 0 }),
  };
}

/**
 * A line comes as a slice of the 256 KiB text of its chunk, and so does every
 * field cut from it: one event kept (by the store, the TUI) would keep the
 * whole chunk alive, and a run kept about as much text as it read. A line of
 * its own keeps only itself. (V8 copies slices shorter than 13 characters.)
 */
function ownCopy(line: string): string {
  return line.length < 13 ? line : ` ${line}`.slice(1);
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

export async function readLogFile(
  file: SourceFile,
  opts: ReadOptions,
  emit: (ev: Event) => void,
  warn: (w: Warning) => void,
): Promise<FileCoverage> {
  const cov = fileCoverage({
    host: file.host,
    path: file.displayPath,
    role: file.role.kind,
    service: file.role.service,
    layout: file.role.layout,
    tailed: file.role.tailed,
  });

  // A loose file that does not say whose or what it is (a journal): what its events say, when they all agree.
  // Inside a host's tree the tree names the host (a later hostname file renames it as a whole).
  const guessHost = !!file.loose && (file.hostSource === 'unknown' || file.hostSource === 'folder-name');
  const eventHosts = new Set<string>();
  const eventServices = new Set<string>();
  const track = (ev: Event): void => {
    if (guessHost) eventHosts.add(ev.host);
    if (!file.role.service) eventServices.add(ev.service);
    if (ev.ts) {
      if (cov.firstTs === undefined || ev.ts < cov.firstTs) cov.firstTs = ev.ts;
      if (cov.lastTs === undefined || ev.ts > cov.lastTs) cov.lastTs = ev.ts;
    }
    emit(ev);
  };

  let consumer: LineConsumer;
  let oslo: OsloEventParser | undefined;
  if (file.role.kind === 'oslo-log') {
    const p = new OsloEventParser(
      {
        host: file.host,
        file: file.displayPath,
        service: file.role.service,
        collected: file.collected,
        mtime: file.mtime,
        hostFromCollector: guessHost,
      },
      track,
    );
    oslo = p;
    consumer = {
      push: (l, n) => p.push(l, n),
      end: () => p.end(),
      counts: () => ({
        events: p.stats.events,
        folded: p.stats.foldedLines,
        unparsed: p.stats.unparsedLines,
        foreign: p.stats.foreignLines,
        prefixes: p.stats.prefixes,
        firstUnparsed: p.stats.firstUnparsedLine,
        droppedTraceback: p.stats.droppedTracebackLines,
      }),
    };
  } else {
    consumer = apacheConsumer(
      file.role.kind as 'apache-access' | 'apache-error',
      { host: file.host, file: file.displayPath, service: file.role.service ?? 'httpd' },
      track,
    );
  }

  const splitter = new LineSplitter((l, n) => consumer.push(ownCopy(l), n), opts.maxLineChars);
  let leadingNuls = 0;
  let journal: JournalRead | undefined;
  try {
    const opened = withNotes(await openDecoded(file.stream), file);
    leadingNuls = opened.leadingNulBytes ?? 0;
    if (opened.encoding) {
      cov.encoding = opened.encoding;
      if (opened.encoding !== 'utf-8 with BOM')
        warn({ input: file.input, file: file.displayPath, message: `${encodingNote(opened)}: decoded to UTF-8 and read` });
    }
    if (oslo && isJournalStream(opened.head)) {
      // journald's export format and binary journals are entries, not lines.
      journal = await readJournalStream(opened.stream, opened.head, file.relPath.slice(file.relPath.lastIndexOf('/') + 1), oslo);
    } else if (opened.inner === 'binary' || opened.inner === 'tar') {
      warn({ input: file.input, file: file.displayPath, message: `expected a text log, found ${opened.inner} data: skipped` });
      for await (const _ of opened.stream) {
        // drain so the archive can go on
      }
      cov.unparsed = 1;
      return cov;
    } else for await (const chunk of opened.stream) splitter.push(chunk);
  } catch (e) {
    if (e instanceof JournalctlMissing) {
      warn({ input: file.input, file: file.displayPath, message: e.message });
      consumer.end();
      cov.unparsed = 1;
      return cov;
    }
    if (e instanceof DecodeError && e.complete) {
      warn({ input: file.input, file: file.displayPath, message: e.message });
    } else {
      cov.truncatedTail = true;
      const where = e instanceof DecodeError ? ` at compressed byte ${e.compressedBytes}` : '';
      warn({
        input: file.input,
        file: file.displayPath,
        message: `${(e as Error).message}${where}: read stopped after ${splitter.stats.lines} lines; those are kept`,
      });
    }
  }
  splitter.end();
  consumer.end();

  if (eventHosts.size === 1) cov.host = [...eventHosts][0];
  else if (eventHosts.size > 1) cov.hosts = [...eventHosts].sort();
  if (eventServices.size === 1 && !eventServices.has('unknown')) cov.service = [...eventServices][0] as FileCoverage['service'];
  const c = consumer.counts();
  const s = splitter.stats;
  Object.assign(cov, {
    bytes: journal?.bytes ?? s.bytes + leadingNuls,
    lines: journal?.lines ?? s.lines,
    events: c.events,
    folded: c.folded,
    unparsed: c.unparsed,
    foreign: c.foreign,
  });
  if (oslo?.stats.assumedYear) cov.assumedYear = oslo.stats.assumedYear;
  if (oslo?.stats.timeShift) cov.timeShift = oslo.stats.timeShift;
  cov.longLines = s.longLines;
  cov.invalidUtf8Lines = s.invalidUtf8Lines;
  cov.nulLines = s.nulLines;
  if (s.nulBytes + leadingNuls > 0) cov.nulBytes = s.nulBytes + leadingNuls;
  if (c.prefixes && c.prefixes.length > 0) cov.prefixes = c.prefixes;
  if (journal) cov.prefixes = [journal.format];
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
  if (c.unparsed > 0 && c.unparsed * 2 > s.lines) {
    const first = c.firstUnparsed !== undefined ? ` (first at line ${c.firstUnparsed})` : '';
    warn({
      input: file.input,
      file: file.displayPath,
      message: `${c.unparsed} of ${s.lines} lines are not in the ${file.role.kind} format${first}`,
    });
  }
  const omitted = oslo?.stats.omittedEntries;
  if (omitted) {
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
  if (c.droppedTraceback) {
    warn({
      input: file.input,
      file: file.displayPath,
      message: `${c.droppedTraceback} traceback line(s) past ${MAX_TRACEBACK_LINES} per event were not kept`,
    });
  }
  return cov;
}
