import type { Event, Service } from '../src/model/event.js';
import { MAX_UNPARSED_SAMPLES, unparsedSample, type UnparsedSample } from '../src/model/coverage.js';
import { exceptionInMessage, exceptionsInTraceback } from './exceptions.js';
import {
  FaultReader,
  faultInText,
  INSTANCE_DIR,
  moveIn,
  NAMED_INSTANCE,
  pastedResult,
  relayedFault,
  type PastedFault,
  moveOfRefusal,
} from './fault-text.js';
import { exceptionOfText } from './exception-text.js';
import { pastedMessage } from './paste/messages.js';
import { promptOf } from './paste/prompt.js';
import { isTracebackLine, startsUndatedRecord, withoutTimeOfDay } from './paste/shapes.js';
import { hasCodeSuffix, parseBareOsloLine, parseOsloLine, splitDebugSuffix, type OsloLine } from './oslo-log.js';
import { placementQueryOf, parseAccessMessage, parsePlacementSearch } from './placement-request.js';
import { accessRecord } from './apache.js';
import { programLine, programService, standaloneProgramLine, type ProgramLine } from './program-lines.js';
import {
  applyPrefix,
  applyPrefixes,
  PREFIX_FORMATS,
  prefixOfOwnLine,
  sniffPrefixes,
  type PrefixFormat,
  type PrefixInfo,
} from './prefixes.js';
import { serviceFromLogger, serviceFromName } from './service-names.js';
import { decodeEscapes, stripColour } from './text-decode.js';
import { parseJsonLogLine } from './oslo-json.js';
import type { YearMonth } from './timestamps.js';
import { CollectorClock, fileEndFrom, type ShiftAssumption, type YearAssumption } from './collector-clock.js';

/**
 * Lines of one oslo.log file → Events, in file order. Folds into the event that
 * opened them:
 *  - unprefixed continuation lines (multi-line messages, the remote traceback
 *    inside a `…_Remote` exception's text);
 *  - exception-prefixed lines (`TS PID ERROR logger [instance: …] …`, or
 *    `TRACE` before Liberty): no context bracket, same pid and same record time.
 * A pasted excerpt (`paste` in the context) also has lines with no time: an
 * oslo line without its time (`WARNING nova.compute.manager [req-…] …`) or a
 * message alone (a `server show` fault, a line from a web UI). They are events
 * too, marked undated and placed by their position (never given a time). A
 * message alone is an event only where its structure says it is one: it names
 * an exception class, or it is the text of one of nova's exceptions.
 * Knows nothing of incidents.
 */

export interface OsloFileContext {
  host: string;
  file: string;
  /** From the file's path; tags and loggers are used when absent. */
  service?: Service;
  /** When the logs were collected, for collector timestamps without a year (journald); the file's mtime, then now, if absent. */
  collected?: YearMonth;
  /** The file's modification time: when a journal or syslog file without `collected` ends. */
  mtime?: Date;
  /** `host` is only a guess (a folder's name, or none): a syslog prefix's host name wins. */
  hostFromCollector?: boolean;
  /** A pasted excerpt: undated lines are events, and a blank line ends what folds into the event above. */
  paste?: boolean;
  /**
   * The file captures the service's own output too (devstack's screen logs): a
   * line it printed outside oslo.log that folds into no record is an undated event of its own.
   */
  stdout?: boolean;
  /**
   * Records that cannot matter to the reader's caller, told from their level,
   * logger and line alone (src/registry/keep.ts): such a record, if nothing
   * folds into it, is counted and handed to `passed` as it was read, without
   * its message decoded, its DEBUG suffix split or its access line parsed.
   * Absent: every record is built in full (`events` prints them all).
   */
  unbuilt?: (level: Event['level'], logger: string, line: string) => boolean;
}

export interface OsloParseStats {
  events: number;
  /** Lines folded into the event above them. */
  foldedLines: number;
  /** Lines a collector wrote about itself (pebble), not the service's. */
  foreignLines: number;
  /** Lines that are not oslo.log and could not be folded: the count the coverage shows. */
  unparsedLines: number;
  /** Traceback lines dropped past the per-event cap. */
  droppedTracebackLines: number;
  /**
   * Journal entries whose MESSAGE journalctl left out: `null` in JSON past
   * 4096 bytes, `[121B blob data]` in the text modes for a message that is not
   * printable UTF-8 (older systemd: colour codes too). Counted as unparsed.
   */
  omittedEntries?: { count: number; blob: number };
  /** First unparsed line number, for the warning. */
  firstUnparsedLine?: number;
  /** The first few unparsed lines, for `--verbose`. */
  unparsedSamples: UnparsedSample[];
  /** Events with no time of their own (pasted lines). */
  undatedEvents: number;
  /** Prefix formats found on this file. */
  prefixes: string[];
  json: boolean;
  /** The year given to collector times that have none (syslog, journald short), and why. */
  assumedYear?: YearAssumption;
  /** The shift given to UTC collector times (journald JSON and export, short-unix) to match the service's own times. */
  timeShift?: ShiftAssumption;
}

const SNIFF_LINES = 32;
/** What journalctl prints in place of a message that is not printable text (logs-show.c: `[%s blob data]`, FORMAT_BYTES). */
const BLOB_DATA = /^\[\d+(?:\.\d+)?[BKMGTPE] blob data\]$/;
/**
 * How far a file whose collector times lack a year or zone is read ahead for
 * a line that states both (a full oslo line in a journal), before its first
 * lines are dated: bounded, so memory stays bounded.
 */
const LOOKAHEAD_LINES = 2000;
const LOOKAHEAD_CHARS = 4 << 20;
/** A traceback's last line: a Python exception class (dotted or not) and its message. */
const EXCEPTION_LINE = /^[\w.]+(?:Error|Exception|_Remote)\b|^(?:[a-z_]\w*\.)*[A-Z]\w*: /;
export const MAX_TRACEBACK_LINES = 400;

interface Open {
  ev: Event;
  pid?: number;
  /** The pid the collector gave the line that opened the event (journald, syslog). */
  collectorPid?: number;
  traceback: string[];
  /** Opened by a line whose time came from the collector (devstack's bare lines): its tracebacks are spread over a second. */
  collectorTime?: boolean;
  /** A pasted message's exception, named by its text (parsers/paste/messages.ts). */
  named?: Event['exception'];
  /** A line that stands alone (kolla_start's, pasted): nothing folds into it. */
  single?: true;
  /** The command a standalone program line named. */
  command?: string;
  /** Opened unbuilt (OsloFileContext.unbuilt): its message is the line's, undecoded, until something folds into it. */
  unbuilt?: boolean;
  /** Opened by a message pasted alone (no header): the server's fault or a client's error it may be. */
  pastedMessage?: boolean;
  /** Opened by a dated oslo line read as it is (no collector prefix, no paste): `eventOfLine` makes it again, if nothing folds in. */
  ofLine?: true;
  /** Its line ended inside its context (`[req-… -` / ` default default] Instance …`): the line, its prefix. */
  cutContext?: { text: string; p: PrefixInfo | undefined; inUuid?: boolean };
}

/** A record's context opened and not closed on its line: a copy that wrapped it (an editor, a notes file). */
const CUT_CONTEXT = /^\[(?:None )?req-[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}(?: [^\]]*)?$/;
/** A record's instance bracket cut inside its uuid (a terminal's copy, wrapped at its width: no blank at the cut). */
const CUT_INSTANCE = /^\[instance: [0-9a-f-]{1,35}$/;

export class OsloEventParser {
  readonly stats: OsloParseStats = {
    events: 0,
    foldedLines: 0,
    foreignLines: 0,
    unparsedLines: 0,
    droppedTracebackLines: 0,
    unparsedSamples: [],
    undatedEvents: 0,
    prefixes: [],
    json: false,
  };
  private sniffing: [string, number, number, string | undefined][] | undefined = [];
  /** Chars held while reading ahead for a line that dates the collector's times. */
  private sniffChars = 0;
  private lookingAhead = false;
  private prefixes: PrefixFormat[] = [];
  /** The chosen formats mix programs (journals, syslog, CI output): lines not nova's are foreign. */
  private mixed = false;
  private chatter: RegExp[] = [];
  /** The collector indents a message's further lines to where the first began (journalctl). */
  private indents = false;
  private open: Open | undefined;
  private readonly clock: CollectorClock;
  /** A CRI partial line's text, waiting for the line that ends it. */
  private partial: string | undefined;
  /** Width of the last prefix: journalctl indents a message's further lines by it. */
  private prefixWidth = 0;
  /** The last entry was another program's and unreadable (a blob): its unprefixed further lines are too. */
  private lastForeign = false;
  /**
   * Another program's event, open beside nova's (parsers/program-lines.ts): a
   * journal interleaves programs, so libvirtd's line between two lines of one
   * nova record must not end it. Its own unprefixed further lines fold into it.
   */
  private aside: Open | undefined;
  /** The last entry was that other program's. */
  private lastAside = false;
  /** Other programs' events closed while nova's open one, which began first, is not: emitted after it, in line order. */
  private asideDone: Event[] = [];
  /** The last record's first line was left out by journalctl: its further lines have nothing to fold into. */
  private lostRecord = false;
  private lastEntry: PrefixInfo | undefined;
  private readonly novaTags = new Map<string, boolean>();
  /** The service each collector tag or unit names (`devstack@n-cpu.service` → nova-compute), looked up once per name. */
  private readonly tagServices = new Map<string, Service | null>();
  /** Paste mode: a blank line came after the open event. */
  private gap = false;
  /** Paste mode: the open event's folded lines are a traceback, which a blank line does not end. */
  private inTraceback = false;
  /** The time of the last dated event: what an undated one comes after. */
  private lastTs: string | undefined;
  /** The last time an oslo line wrote itself (not one a collector's yearless time was turned into): a year to go by. */
  private lastOwnTs: string | undefined;
  /** Paste mode: a program's line that is its only beside a sibling, waiting for the next line. */
  private held: { program: ProgramLine; plain: string; raw: string; lineNo: number; lastLineNo: number } | undefined;
  /** Paste mode: faults, clients' errors, CLI tables and Heat's events are read before the oslo parser sees a line. */
  private readonly faults: FaultReader | undefined;
  /** Commands typed in a paste while its first lines are still being sniffed: applied in line order. */
  private pendingTyped: [number, string][] = [];

  constructor(
    private readonly ctx: OsloFileContext,
    /** `ofLine`: the event is what `eventOfLine` makes of its raw line (its host, file and service aside). */
    private readonly emit: (ev: Event, ofLine?: boolean) => void,
    /** Records passed over unbuilt (see OsloFileContext.unbuilt): the caller still counts them and their request ids. */
    private readonly passed: (ev: Event) => void = emit,
  ) {
    this.clock = new CollectorClock(fileEndFrom(ctx.collected, ctx.mtime));
    if (ctx.paste)
      this.faults = new FaultReader(
        (f, first, last, raw, lines) => this.takeFault(f, first, last, raw, lines),
        (l, n, last) => this.takeLine(l, n, last),
        () => this.stats.foreignLines++,
      );
  }

  /**
   * `lastLineNo`: a pasted line that was wrapped ends on a later physical line.
   * `exportTs`: the time an aggregator's export gave the line's record.
   */
  push(line: string, lineNo: number, lastLineNo = lineNo, exportTs?: string): void {
    if (this.sniffing) {
      this.sniffing.push([line, lineNo, lastLineNo, exportTs]);
      if (this.lookingAhead) {
        this.sniffChars += line.length;
        if (this.observeAnchor(line) || this.sniffing.length >= LOOKAHEAD_LINES || this.sniffChars >= LOOKAHEAD_CHARS) this.replay();
      } else if (this.sniffing.length >= SNIFF_LINES) this.decide();
      return;
    }
    this.take(line, lineNo, lastLineNo, exportTs);
  }

  /**
   * One journald entry read from a structured stream (`journalctl -o export`,
   * a binary journal): its fields stand in for a prefix, MESSAGE is the text.
   */
  pushEntry(entry: PrefixInfo, raw: string, lineNo: number): void {
    if (this.sniffing) {
      // Entries need no sniffing: the stream said what they are.
      this.sniffing = undefined;
      this.mixed = true;
      this.stats.prefixes = ['journald export'];
    }
    this.takeEntry(entry, raw, lineNo);
  }

  end(): void {
    if (this.sniffing) {
      if (this.lookingAhead) this.replay();
      else this.decide(true);
    }
    for (const [, command] of this.pendingTyped.splice(0)) this.applyTyped(command);
    this.faults?.end();
    if (this.partial !== undefined) {
      // A partial line the stream never ended: what there is still counts.
      const text = this.partial;
      this.partial = undefined;
      this.takeText(text, text, this.open?.ev.lineEnd ?? this.open?.ev.line ?? 0, undefined);
    }
    if (this.held) this.settleHeld(undefined);
    this.closeAside();
    this.close();
    this.stats.assumedYear = this.clock.yearAssumption();
    this.stats.timeShift = this.clock.shiftAssumption();
  }

  /**
   * At a line that begins a record of its own (parsers/record-cut.ts), in a plain oslo.log file (no
   * collector prefix, not JSON, not pasted, not a captured stdout): closes the open event as that line
   * would, so that the lines after it may be parsed elsewhere (a parse worker) and handed on after this
   * one's. False, and nothing done, while the first lines are still sniffed or when the file is not so.
   */
  closeAtCut(): boolean {
    if (!this.plain) return false;
    this.close();
    return true;
  }

  /**
   * Whether the file's lines are read as oslo.log's own (no collector prefix, not JSON, not pasted, not a
   * captured stdout), once the first lines have said so; undefined while they are still sniffed. A reader
   * may then judge a line by the time it opens with (src/pipeline/window-gate.ts).
   */
  get readsOsloLines(): boolean | undefined {
    if (this.sniffing !== undefined) return undefined;
    return this.prefixes.length === 0 && !this.stats.json && !this.ctx.paste && !this.ctx.stdout;
  }

  /** Whether the file was read as plain oslo.log lines (see `closeAtCut`). */
  get plain(): boolean {
    return (
      this.sniffing === undefined &&
      this.prefixes.length === 0 &&
      !this.stats.json &&
      !this.ctx.paste &&
      !this.ctx.stdout &&
      this.partial === undefined &&
      this.held === undefined &&
      this.aside === undefined &&
      this.asideDone.length === 0 &&
      this.pendingTyped.length === 0
    );
  }

  /** The sniffed lines say which prefixes the file has; read ahead if their times need an anchor none of them gave. */
  private decide(atEnd = false): void {
    const buffered = this.sniffing!;
    const lines = buffered.map(([l]) => l);
    // A ticket's own sentences around a pasted log (`Here is the log:`) say nothing of the log's prefixes.
    const logLines = this.ctx.paste ? lines.filter((l) => !isProse(l)) : lines;
    this.prefixes = sniffPrefixes(logLines.length > 0 ? logLines : lines);
    this.stats.prefixes = this.prefixes.map((p) => p.name);
    this.mixed = this.prefixes.some((p) => p.mixed);
    this.chatter = this.prefixes.flatMap((p) => (p.chatter ? [p.chatter] : []));
    this.indents = this.prefixes.some((p) => p.indentsContinuation);
    // The collector's prefix (kubectl, journald) stands before the JSON object.
    const texts = this.prefixes.length > 0 ? lines.map((l) => applyPrefixes(this.prefixes, l)?.rest ?? l) : lines;
    const firstText = texts.find((l) => l.trim().length > 0) ?? '';
    this.stats.json = firstText.trimStart().startsWith('{"') && parseJsonLogLine(firstText.trim()) !== undefined;
    if (!this.needsAnchor(lines) || lines.some((l) => this.observeAnchor(l)) || atEnd) {
      this.replay();
      return;
    }
    this.lookingAhead = true;
    for (const l of lines) this.sniffChars += l.length;
  }

  /** Collector times that lack a year, a zone or a boot: worth reading ahead for a line that has them. */
  private needsAnchor(lines: readonly string[]): boolean {
    if (this.prefixes.length === 0) return false;
    for (const l of lines) {
      const c = applyPrefixes(this.prefixes, l)?.clock;
      if (c !== undefined) return c !== 'iso' && c !== 'local';
    }
    return false;
  }

  private replay(): void {
    const buffered = this.sniffing!;
    this.sniffing = undefined;
    this.lookingAhead = false;
    for (const [l, n, last, ts] of buffered) this.take(l, n, last, ts);
  }

  /** A line with both a collector time and an oslo time teaches the clock its year, zone or boot; true if it did. */
  private observeAnchor(line: string): boolean {
    const p = applyPrefixes(this.prefixes, line);
    if (!p || p.collectorTs === undefined || p.clock === undefined || p.clock === 'iso' || p.clock === 'local') return false;
    const h = parseOsloLine(p.rest);
    if (!h || h.ts === '') return false;
    this.clock.observe(p.clock, p.collectorTs, h.ts);
    return true;
  }

  /**
   * A command typed in a paste (its prompt line, kept from the log lines): a move's command (`openstack server
   * migrate …`) says what the fault or error after it is the outcome of.
   */
  typed(command: string, lineNo: number): void {
    if (!this.faults) return;
    if (this.sniffing) this.pendingTyped.push([lineNo, command]);
    else this.applyTyped(command);
  }

  private applyTyped(command: string): void {
    this.close();
    this.faults!.typed(promptOf(command)?.command ?? command);
  }

  private take(line: string, lineNo: number, lastLineNo = lineNo, exportTs?: string): void {
    while (this.pendingTyped.length > 0 && this.pendingTyped[0][0] < lineNo) this.applyTyped(this.pendingTyped.shift()![1]);
    if (this.faults && exportTs === undefined) this.faults.push(line, lineNo, lastLineNo);
    else this.takeLine(line, lineNo, lastLineNo, exportTs);
  }

  /** A fault, a client's error, a CLI table or a Heat event (parsers/fault-text.ts): one event, its details its traceback. */
  private takeFault(f: PastedFault, first: number, last: number, raw: string, lines: number): void {
    this.close();
    this.openEvent({ ts: f.ts ?? '', level: f.level, logger: '', hasContext: false, message: f.message }, raw, first, undefined);
    const o = this.open!;
    if (last !== first) o.ev.lineEnd = last;
    this.stats.foldedLines += lines - 1;
    if (f.requestId) o.ev.requestId = f.requestId;
    if (f.instanceUuid) o.ev.instanceUuid = f.instanceUuid;
    o.named = f.exception;
    for (const d of f.details ?? []) this.addTraceback(d);
    o.ev.pasted = pastedResult(f);
    this.close();
  }

  private takeLine(line: string, lineNo: number, lastLineNo = lineNo, exportTs?: string): void {
    // An export's row dates a message that has no time of its own, as a collector's prefix does.
    const exported: PrefixInfo | undefined = exportTs !== undefined ? { rest: line, collectorTs: exportTs, clock: 'local' } : undefined;
    if (this.ctx.paste && exported === undefined && this.takeOwnLine(line, lineNo, lastLineNo)) return;
    if (this.prefixes.length === 0) {
      if (this.lastAside) {
        // The line after another program's: nova's again (a paste of this reader's own lines has no continuation of it).
        this.lastAside = false;
        this.closeAside();
      }
      this.takeText(line, line, lineNo, exported, undefined, lastLineNo);
      return;
    }
    for (const c of this.chatter) {
      if (c.test(line)) {
        this.chatterLine(line);
        return;
      }
    }
    const p = applyPrefixes(this.prefixes, line);
    if (!p) {
      // journalctl indents a message's further lines to where its first began.
      const w = this.prefixWidth;
      const indented = this.indents && w > 0 && line.length > w && line.charCodeAt(0) === 32 && line.charCodeAt(w - 1) === 32;
      if (this.lastForeign) this.stats.foreignLines++;
      else if (this.lastAside) this.foldAside(indented ? line.slice(w) : line, lineNo);
      else if (indented) {
        // The same entry's next line: the same program's, on the same host.
        const text = line.slice(w);
        this.takeText(text, line, lineNo, this.lastEntry && { ...this.lastEntry, rest: text });
      } else this.takeText(line, line, lineNo, exported, undefined, lastLineNo);
      return;
    }
    if (p.foreign) {
      this.stats.foreignLines++;
      return;
    }
    if (p.partial) {
      this.partial = (this.partial ?? '') + p.rest;
      this.stats.foldedLines++;
      return;
    }
    if (this.partial !== undefined) {
      p.rest = this.partial + p.rest;
      this.partial = undefined;
    } else this.prefixWidth = line.length - p.rest.length;
    this.lastEntry = p;
    this.takeEntry(p, line, lineNo, lastLineNo);
  }

  /**
   * A pasted line whose own prefix says what it is (parsers/prefixes.ts `standsAlone`: libvirtd's line, a syslog
   * line of a host) where the formats chosen for the paste do not cover it: read as that format's line, another
   * program's or nova's by its tag, as in a mixed file. False when the line is not one.
   */
  private takeOwnLine(line: string, lineNo: number, lastLineNo: number): boolean {
    const own = prefixOfOwnLine(line);
    if (!own || (this.prefixes.length > 0 && applyPrefixes(this.prefixes, line))) return false;
    const name = `${own.via ? `${own.via.name} + ` : ''}${own.format.name} (its lines alone)`;
    if (!this.stats.prefixes.includes(name)) this.stats.prefixes.push(name);
    // Only a time nova wrote: one the collector's yearless time was given would lend the clock its own guess back.
    if (own.info.clock === 'yearless' && this.lastOwnTs) this.clock.nearOslo(this.lastOwnTs);
    const mixed = this.mixed;
    this.mixed = true;
    this.takeEntry(own.info, line, lineNo, lastLineNo);
    this.mixed = mixed;
    return true;
  }

  /** `-- Boot … --` and the like: the collector's, not the service's; some say when. */
  private chatterLine(line: string): void {
    this.stats.foreignLines++;
    if (line.startsWith('-- Boot ') || line.startsWith('-- Reboot')) this.clock.newBoot();
    const begin = /^-- (?:Logs|Journal) begins? at \w+ (\d{4})-(\d\d)-(\d\d)/.exec(line);
    if (begin) this.clock.hintYear(+begin[1], +begin[2], +begin[3]);
  }

  /** A line or entry the collector attributed: another program's is foreign in a mixed file. */
  private takeEntry(p: PrefixInfo, raw: string, lineNo: number, lastLineNo = lineNo): void {
    const blob = !p.omitted && p.rest.endsWith(' blob data]') && BLOB_DATA.test(p.rest);
    if (p.omitted || blob) {
      // journalctl left the MESSAGE out (null past 4096 bytes, a blob without --all): nothing of it can be read.
      // Another program's entry is foreign whatever it held.
      if (this.mixed && this.isNovaTag(p) === false) {
        this.stats.foreignLines++;
        this.lastForeign = true;
        this.lastAside = false;
        return;
      }
      const o = (this.stats.omittedEntries ??= { count: 0, blob: 0 });
      o.count++;
      if (blob) o.blob++;
      this.stats.unparsedLines++;
      this.stats.firstUnparsedLine ??= lineNo;
      this.lastForeign = false;
      this.close();
      this.lostRecord = true;
      return;
    }
    const nl = p.rest.indexOf('\n');
    const first = nl === -1 ? p.rest : p.rest.slice(0, nl);
    let h: OsloLine | undefined;
    if (this.mixed) {
      const nova = this.isNovaTag(p);
      if (nova !== true) {
        h = parseOsloLine(first);
        // A tag that is not nova's: an oslo line of a nova logger still is (a wrapper's tag, `python3`).
        // No tag at all (CI output): an oslo line, or a line continuing the nova record above.
        const keep =
          nova === false
            ? h !== undefined && serviceFromLogger(h.logger) !== undefined
            : h !== undefined ||
              parseBareOsloLine(first) !== undefined ||
              (this.open !== undefined && !this.lastForeign && !this.lastAside && programLine(first) === undefined);
        if (!keep) {
          // Another program's line (libvirtd's, the CI job's own output): an event of that program.
          this.lastForeign = false;
          this.takeProgramLine(p, first, raw, lineNo, lastLineNo);
          if (nl !== -1) for (const more of p.rest.slice(nl + 1).split('\n')) this.foldAside(more, lineNo);
          return;
        }
      }
    }
    this.lastForeign = false;
    if (this.lastAside) {
      this.lastAside = false;
      this.closeAside();
    }
    // A pasted line a wrap had cut ends on a later physical line.
    this.takeText(first, raw, lineNo, p, h, lastLineNo);
    if (nl !== -1) {
      // A journal entry's MESSAGE with several lines (oslo.log's journal handler): the rest follows as continuation lines.
      for (const more of p.rest.slice(nl + 1).split('\n')) this.takeText(more, raw, lineNo, { ...p, rest: more });
    }
  }

  /**
   * A line another program wrote, as an event of that program: the collector's
   * tag or unit names it (`libvirtd`, `avahi-daemon`), else the line does
   * (devstack's xtrace), else it is `unknown`'s. Its time is the collector's.
   */
  private takeProgramLine(p: PrefixInfo, text: string, raw: string, lineNo: number, lastLineNo: number): void {
    this.closeAside();
    const name = p.tag ?? p.unit;
    const known = programLine(text);
    const service = name !== undefined ? programService(name) : (known?.program ?? 'unknown');
    // Opened beside nova's event, which stays open with its paste state.
    const main = this.open;
    const { gap, inTraceback } = this;
    this.open = undefined;
    this.openProgramEvent(known, text, raw, lineNo, p, service);
    this.aside = this.open;
    if (lastLineNo !== lineNo) this.aside!.ev.lineEnd = lastLineNo;
    this.open = main;
    this.gap = gap;
    this.inTraceback = inTraceback;
    this.lastAside = true;
  }

  /** A further line of the other program's entry (journalctl's indented one, or one a paste lost the indent of). */
  private foldAside(text: string, lineNo: number): void {
    const o = this.aside;
    if (!o) {
      this.stats.foreignLines++;
      return;
    }
    this.stats.foldedLines++;
    if (o.traceback.length >= MAX_TRACEBACK_LINES) this.stats.droppedTracebackLines++;
    else o.traceback.push(decodeEscapes(stripColour(text)));
    o.ev.lineEnd = lineNo;
  }

  private closeAside(): void {
    const o = this.aside;
    if (!o) return;
    this.aside = undefined;
    const ev = this.finish(o);
    if (this.open) this.asideDone.push(ev);
    else this.emit(ev);
  }

  private openProgramEvent(
    known: ProgramLine | undefined,
    text: string,
    raw: string,
    lineNo: number,
    p: PrefixInfo | undefined,
    service: Service,
  ): void {
    this.close();
    const ts = p?.collectorTs !== undefined ? this.clock.wall(p.clock!, p.collectorTs) : '';
    this.openEvent(
      { ts, pid: p?.pid, level: known?.level ?? 'INFO', logger: known?.logger ?? '', hasContext: false, message: known?.message ?? text },
      raw,
      lineNo,
      p,
      this.ctx.hostFromCollector ? p?.host : undefined,
      service,
    );
  }

  /**
   * Whether the line's program is nova's: its identifier says, else its unit
   * (a `sudo` nova-compute runs is in nova-compute's unit, and is not nova).
   * Undefined when the line names neither.
   */
  private isNovaTag(p: PrefixInfo): boolean | undefined {
    const name = p.tag ?? p.unit;
    if (name === undefined) return undefined;
    let v = this.novaTags.get(name);
    if (v === undefined) {
      v = serviceFromName(name) !== undefined;
      this.novaTags.set(name, v);
    }
    return v;
  }

  private tagService(name: string | undefined): Service | undefined {
    if (name === undefined) return undefined;
    let v = this.tagServices.get(name);
    if (v === undefined) {
      v = serviceFromName(name) ?? null;
      this.tagServices.set(name, v);
    }
    return v ?? undefined;
  }

  private takeText(text: string, line: string, lineNo: number, p: PrefixInfo | undefined, parsed?: OsloLine, lastLineNo = lineNo): void {
    if (this.held) this.settleHeld(text);
    const collectorTs = p?.collectorTs;
    const collectorPid = p?.pid;
    const collectorHost = this.ctx.hostFromCollector ? p?.host : undefined;

    if (this.ctx.paste && text.trim().length === 0) {
      // A blank line in a paste: the furniture between blocks, not the service's.
      this.stats.foreignLines++;
      if (this.open) this.gap = true;
      return;
    }

    if (this.stats.json && text.charCodeAt(0) === 123 /* { */) {
      const j = parseJsonLogLine(text);
      if (j) {
        this.close();
        this.openEvent(j.line, line, lineNo, p, collectorHost);
        // The traceback is inside this one line: nothing is folded from the file.
        for (const t of j.traceback) this.addTraceback(stripColour(t));
        return;
      }
    }

    let h: OsloLine | undefined = parsed ?? parseOsloLine(text);
    let plain = text;
    if (!h) {
      // devstack colours the level, the context and the suffix (`journalctl -a`, `-o cat`, json's byte arrays keep them).
      plain = stripColour(text);
      if (plain !== text) h = parseOsloLine(plain);
    }
    let bare = false;
    if (h) {
      if (h.ts !== '') this.lastOwnTs = h.ts;
      if (collectorTs !== undefined && h.ts !== '' && (p!.clock === 'yearless' || this.clock.needsShift(p!.clock!)))
        this.clock.observe(p!.clock!, collectorTs, h.ts);
    } else if (collectorTs !== undefined) {
      h = parseBareOsloLine(plain);
      if (h) {
        h.ts = this.clock.wall(p!.clock!, collectorTs);
        h.pid = collectorPid;
        bare = true;
      }
    }
    // Pasted without its time: the oslo line as devstack's journal or a copy from a viewer has it.
    let timeOfDay = false;
    if (!h && this.ctx.paste && startsUndatedRecord(plain)) {
      const t = withoutTimeOfDay(plain);
      h = parseBareOsloLine(t ? t.rest : plain);
      if (h && t?.pid !== undefined) h.pid = t.pid;
      timeOfDay = !!h && !!t;
    }
    if (!h) {
      // httpd's access line among the service's own (a pod's or a container's output, where mod_wsgi's application
      // log and httpd's access log meet): a record of its own, never a line of the record above it.
      const access = accessRecord(plain);
      if (access) {
        this.close();
        this.openEvent(
          { ts: access.ts, pid: collectorPid, level: access.level, logger: access.logger, hasContext: false, message: access.message },
          line,
          lineNo,
          p,
          collectorHost,
        );
        this.open!.single = true;
        if (lastLineNo !== lineNo) this.open!.ev.lineEnd = lastLineNo;
        return;
      }
      // A loose file's line of libvirtd's own, or of a host's syslog, between nova's (a paste's were taken before).
      if (p === undefined && !this.ctx.paste && this.takeOwnLine(line, lineNo, lastLineNo)) return;
      const o = this.open;
      if (this.lostRecord) {
        this.stats.unparsedLines++;
      } else if (
        o &&
        !o.single &&
        (collectorPid === undefined || o.collectorPid === undefined || o.collectorPid === collectorPid) &&
        this.foldsAfterGap(plain)
      ) {
        if (o.cutContext && o.traceback.length === 0 && this.joinCutContext(o, plain, lastLineNo)) return;
        this.gap = false;
        this.fold(plain);
        o.ev.lineEnd = lastLineNo;
      } else if (collectorTs !== undefined && text.trim().length > 0) {
        // Text the service wrote outside oslo.log (eventlet warnings on stderr):
        // the collector dated it, so it stands as its own event.
        this.close();
        this.openEvent(
          {
            ts: this.clock.wall(p!.clock!, collectorTs),
            pid: collectorPid,
            level: 'INFO',
            logger: 'stderr',
            hasContext: false,
            message: text,
          },
          line,
          lineNo,
          p,
          collectorHost,
        );
      } else if (this.ctx.paste && this.takeMessageOnly(plain, line, lineNo, lastLineNo)) {
        // a message alone, made an undated event
      } else if (this.ctx.stdout && !this.ctx.paste && plain.trim().length > 0 && !isTracebackLine(plain)) {
        // What the service printed on its own into a file that captures its output (a library's print()).
        this.openProgramEvent(
          { level: 'INFO', logger: 'stdout', message: plain.trim() },
          plain,
          line,
          lineNo,
          undefined,
          this.ctx.service ?? 'unknown',
        );
        if (lastLineNo !== lineNo) this.open!.ev.lineEnd = lastLineNo;
      } else {
        if (this.ctx.paste) this.close();
        this.stats.unparsedLines++;
        this.stats.firstUnparsedLine ??= lineNo;
        if (this.stats.unparsedSamples.length < MAX_UNPARSED_SAMPLES) this.stats.unparsedSamples.push(unparsedSample(lineNo, line));
      }
      return;
    }
    this.lostRecord = false;
    const o = this.open;
    if (
      timeOfDay &&
      o &&
      o.ev.ts === '' &&
      !o.ev.logger &&
      o.pid === undefined &&
      o.traceback.length === 0 &&
      !h.hasContext &&
      h.message.startsWith('Traceback (most recent call last)')
    ) {
      // The traceback of a message pasted without its prefix, its own lines with their time of day still on: the
      // record's level, logger and process are theirs.
      o.pid = h.pid;
      o.ev.pid = h.pid;
      o.ev.logger = h.logger;
      // A record that lost its prefix in the copy, not a fault or a client's message pasted alone.
      o.pastedMessage = false;
      this.gap = false;
      this.fold(stripColour(h.message));
      o.ev.lineEnd = lastLineNo;
      return;
    }
    if (
      o &&
      !h.hasContext &&
      (h.level === 'ERROR' || h.level === 'TRACE' || h.level === 'CRITICAL') &&
      h.pid === o.pid &&
      (h.ts === o.ev.ts || (bare && o.collectorTime === true && withinASecond(h.ts, o.ev.ts))) &&
      // Undated lines have no pid or time to match: the logger must.
      (h.ts !== '' || h.logger === o.ev.logger)
    ) {
      this.gap = false;
      this.fold(stripColour(h.message));
      o.ev.lineEnd = lastLineNo;
      return;
    }
    if (!h.hasContext && h.ts !== '' && (h.level === 'ERROR' || h.level === 'TRACE' || h.level === 'CRITICAL') && h.message.trim() === '') {
      // The empty last line oslo writes under a traceback, its record not here (before an excerpt's first line,
      // or cut away): nothing to make an event of, and the record open stays open.
      this.stats.foldedLines++;
      return;
    }
    this.close();
    this.openEvent(h, line, lineNo, p, collectorHost);
    if (!h.hasContext && h.ts !== '' && !this.open!.unbuilt && CUT_CONTEXT.test(h.message)) this.open!.cutContext = { text: plain, p };
    else if (h.hasContext && !h.instanceUuid && !this.open!.unbuilt && CUT_INSTANCE.test(h.message))
      this.open!.cutContext = { text: plain, p, inUuid: true };
    if (bare) this.open!.collectorTime = true;
    // A line of its own, dated, as `eventOfLine` reads it: what the event is follows from the line alone.
    else if (p === undefined && parsed === undefined && h.ts !== '' && !this.ctx.paste && !this.ctx.stdout) this.open!.ofLine = true;
    if (lastLineNo !== lineNo) this.open!.ev.lineEnd = lastLineNo;
  }

  /**
   * The line after one cut inside its context, closing it: the two are the record's first line, read again
   * as one (the event opened by the first is dropped unseen). False when joined they are no better.
   */
  private joinCutContext(o: Open, plain: string, lastLineNo: number): boolean {
    const { text: first, p, inUuid } = o.cutContext!;
    o.cutContext = undefined;
    const joined = inUuid || first.endsWith(' ') || plain.startsWith(' ') ? first + plain : `${first} ${plain}`;
    const h = parseOsloLine(joined);
    if (!h?.hasContext || (inUuid && !h.instanceUuid)) return false;
    this.open = undefined;
    this.stats.foldedLines++;
    this.takeText(joined, o.ev.raw, o.ev.line, p, h, lastLineNo);
    return true;
  }

  /**
   * Does a line with no header continue the open event? Always, in a log file.
   * In a paste a blank line ends the event's text: after one, only a traceback
   * (which nova's remote tracebacks break with blank lines) goes on.
   */
  private foldsAfterGap(plain: string): boolean {
    if (!this.ctx.paste) return true;
    const traceback = isTracebackLine(plain);
    if (traceback) this.inTraceback = true;
    if (!this.gap) return true;
    // The exception line that ends a traceback: `NoValidHost: …`, `oslo_messaging.exceptions.MessagingTimeout: …`.
    return traceback || (this.inTraceback && (plain.charCodeAt(0) === 32 || EXCEPTION_LINE.test(plain)));
  }

  /**
   * A pasted line with no header that is a message of its own (a `server show`
   * fault, a dashboard's error, a client's error with its request id, an
   * exception's text: parsers/paste/messages.ts), or the start of a traceback
   * pasted without its log line: an undated ERROR event. A traceback's message
   * is its last exception line, known when the event closes.
   */
  private takeMessageOnly(plain: string, raw: string, lineNo: number, lastLineNo: number): boolean {
    const program = standaloneProgramLine(plain.trim());
    if (program) {
      // A container's own output pasted with the service's: kolla_start's lines.
      const o = this.open;
      if (program.paired && !(o?.single && o.command === program.command && o.ev.logger === program.logger)) {
        // Its sibling may come next (stderr's trace and stdout's echo arrive in either order).
        this.held = { program, plain, raw, lineNo, lastLineNo };
        return true;
      }
      this.takeStandalone(program, plain, raw, lineNo, lastLineNo);
      return true;
    }
    const traceback = plain.startsWith('Traceback (most recent call last)');
    const m = traceback ? undefined : pastedMessage(plain);
    if (!m && !traceback) return false;
    this.close();
    this.openEvent(
      { ts: '', level: m?.level ?? 'ERROR', logger: m?.logger ?? '', hasContext: false, message: m?.message ?? '' },
      raw,
      lineNo,
      undefined,
    );
    const o = this.open!;
    if (lastLineNo !== lineNo) o.ev.lineEnd = lastLineNo;
    if (traceback) {
      o.traceback.push(plain);
      this.inTraceback = true;
      return true;
    }
    if (m!.requestId) o.ev.requestId = m!.requestId;
    o.named = m!.exception;
    o.pastedMessage = true;
    const uuid = m!.fields?.instance_uuid ?? m!.fields?.instance_id ?? m!.instanceUuid;
    if (uuid && UUID.test(uuid)) o.ev.instanceUuid = uuid;
    return true;
  }

  private takeStandalone(program: ProgramLine, plain: string, raw: string, lineNo: number, lastLineNo: number): void {
    this.openProgramEvent(program, plain, raw, lineNo, undefined, this.ctx.service ?? program.program ?? 'unknown');
    const o = this.open!;
    o.single = true;
    o.command = program.command;
    if (lastLineNo !== lineNo) o.ev.lineEnd = lastLineNo;
  }

  /** A held line whose sibling may follow: an event when `next` is that sibling, else not understood. */
  private settleHeld(next: string | undefined): void {
    const h = this.held!;
    this.held = undefined;
    const sibling = next === undefined ? undefined : standaloneProgramLine(next.trim());
    if (sibling && !sibling.paired && sibling.logger === h.program.logger && sibling.command === h.program.command) {
      this.takeStandalone(h.program, h.plain, h.raw, h.lineNo, h.lastLineNo);
      return;
    }
    this.close();
    this.stats.unparsedLines++;
    this.stats.firstUnparsedLine ??= h.lineNo;
    if (this.stats.unparsedSamples.length < MAX_UNPARSED_SAMPLES) this.stats.unparsedSamples.push(unparsedSample(h.lineNo, h.raw));
  }

  private openEvent(h: OsloLine, raw: string, lineNo: number, p: PrefixInfo | undefined, collectorHost?: string, program?: Service): void {
    const undated = h.ts === '';
    const ev = newEvent(
      h,
      raw,
      lineNo,
      collectorHost ?? this.ctx.host,
      program ?? this.ctx.service ?? this.tagService(p?.tag) ?? this.tagService(p?.unit) ?? serviceFromLogger(h.logger) ?? 'unknown',
      this.ctx.file,
    );
    if (undated) {
      ev.undated = true;
      ev.afterTs = this.lastTs;
      this.stats.undatedEvents++;
    } else this.lastTs = h.ts;
    this.gap = false;
    this.inTraceback = false;
    // Another program's lines fold straight into their event (foldAside): they are always built.
    const unbuilt = program === undefined && this.ctx.unbuilt?.(h.level, h.logger, raw) === true;
    this.open = { ev, pid: h.pid, collectorPid: p?.pid, traceback: [], unbuilt };
    if (unbuilt) ev.message = h.message;
    else build(ev, h.message);
  }

  /** `text` is free of colour codes already. */
  private fold(text: string): void {
    this.stats.foldedLines++;
    this.addTraceback(text);
  }

  private addTraceback(text: string): void {
    const o = this.open!;
    if (o.unbuilt) {
      // A traceback may name what its caller keys on: the record is built after all.
      o.unbuilt = false;
      build(o.ev, o.ev.message);
    }
    if (o.traceback.length >= MAX_TRACEBACK_LINES) {
      this.stats.droppedTracebackLines++;
      return;
    }
    o.traceback.push(decodeEscapes(text));
  }

  private close(): void {
    const o = this.open;
    if (!o) return;
    this.open = undefined;
    const ev = this.finish(o);
    if (o.unbuilt) this.passed(ev);
    // Nothing folded into it (a fold sets `lineEnd`).
    else this.emit(ev, o.ofLine === true && ev.lineEnd === undefined);
    if (this.asideDone.length > 0) {
      for (const ev of this.asideDone) this.emit(ev);
      this.asideDone = [];
    }
  }

  /** An event's folded lines said what they hold: its traceback, the exception it ends with. */
  private finish(o: Open): Event {
    const ev = o.ev;
    if (o.unbuilt) {
      this.stats.events++;
      return ev;
    }
    // A message pasted alone and hard-wrapped (a commit message, a mail): its indented lines are its own words, not a
    // traceback, when none is a frame and none opens a block (a fault's dict).
    if (o.pastedMessage && o.traceback.length > 0 && isWrappedProse(ev.message, o.traceback)) {
      ev.message = [ev.message, ...o.traceback.map((l) => l.trim())].join(' ');
      o.traceback = [];
      // The class its first line named is named again with all of its words.
      if (o.named) o.named = exceptionInMessage(ev.message) ?? o.named;
    }
    if (o.traceback.length > 0) ev.traceback = o.traceback;
    nameExceptions(ev, o.traceback, o.named);
    // A traceback pasted alone says what it is in its last exception line.
    if (ev.message === '' && o.traceback.length > 0)
      ev.message = ev.exception ? `${ev.exception.rawType}: ${ev.exception.message}` : o.traceback[0];
    if (o.pastedMessage && !ev.pasted) ev.pasted = pastedMessageResult(ev);
    if (!ev.pasted && ev.exception && ev.level === 'ERROR') ev.pasted = relayedFault(ev.exception);
    if (ev.pasted?.fault) {
      // The command typed above it: the move it asked for, the server it named.
      ev.pasted.move ??= this.faults?.commandMove;
      if (ev.pasted.move && ev.pasted.move === this.faults?.commandMove) ev.pasted.destination ??= this.faults.commandHost;
      ev.instanceUuid ??= this.faults?.commandServer;
    }
    this.stats.events++;
    return ev;
  }
}

/**
 * An event as every record opens: every field created, absent ones undefined (JSON leaves them out), in
 * the order they are written: one object shape for all events keeps property access and JSON.stringify
 * on V8's fast paths (docs/performance.md).
 */
function newEvent(h: OsloLine, raw: string, lineNo: number, host: string, service: Service, file: string): Event {
  return {
    ts: h.ts,
    host,
    service,
    file,
    line: lineNo,
    level: h.level,
    logger: h.logger || undefined,
    message: '',
    raw,
    pid: h.pid,
    globalRequestId: h.globalRequestId || undefined,
    requestId: h.requestId || undefined,
    userId: h.userId || undefined,
    projectId: h.projectId || undefined,
    instanceUuid: h.instanceUuid || undefined,
    codeLocation: undefined,
    decoded: undefined,
    http: undefined,
    placementQuery: undefined,
    placementSearch: undefined,
    lineEnd: undefined,
    traceback: undefined,
    exception: undefined,
    exceptionChain: undefined,
    undated: undefined,
    afterTs: undefined,
    pasted: undefined,
  };
}

/** `raise exception.VirtualInterfaceCreateException()`: a frame's source line raising one of nova's exceptions. */
const RAISE_FRAME = /^\s*raise exception\.([A-Z]\w*)\(/;

/** The exceptions a record names: in its message (`named` when its text said so), then its traceback's. */
function nameExceptions(ev: Event, traceback: readonly string[], named: Event['exception']): void {
  // DEBUG messages name exception classes rarely and are most of a log: only tracebacks count there.
  const fromMessage = named ?? (ev.level === 'DEBUG' ? undefined : exceptionInMessage(ev.message));
  const chain = traceback.length > 0 ? exceptionsInTraceback(traceback) : [];
  // A traceback cut before its exception line (a paste's end, a copy cut short) whose last line is nova's own raise
  // statement: what it raised is that class, its message unknown.
  if (chain.length === 0 && traceback.length > 0) {
    let last = traceback.length - 1;
    while (last > 0 && traceback[last].trim() === '') last--;
    const raised = RAISE_FRAME.exec(traceback[last]);
    if (raised) chain.push({ type: raised[1], rawType: raised[1], message: '' });
  }
  if (fromMessage) chain.unshift(fromMessage);
  if (chain.length > 0) {
    // What was finally raised is the last exception line of the traceback.
    ev.exception = chain[chain.length - 1];
    if (chain.length > 1) ev.exceptionChain = chain;
  }
}

/**
 * The event a dated oslo.log line read as it is makes when nothing folds into it, as `OsloEventParser`
 * makes it (it says so: its `emit`'s `ofLine`), with the host, file and service given. The event store
 * keeps such context as its line rather than as JSON, and makes the event again when it is needed
 * (src/correlate/classify.ts `toSpilled`): most context is never needed. Undefined for any other line.
 */
export function eventOfLine(line: string, lineNo: number, host: string, file: string, service: Service): Event | undefined {
  let h = parseOsloLine(line);
  if (!h) {
    const plain = stripColour(line);
    if (plain !== line) h = parseOsloLine(plain);
  }
  if (!h || h.ts === '') return undefined;
  const ev = newEvent(h, line, lineNo, host, service, file);
  build(ev, h.message);
  nameExceptions(ev, [], undefined);
  return ev;
}

/** The lines under a pasted message continue its sentence: no traceback frame, no block (`{`, a `Details:` heading). */
function isWrappedProse(message: string, lines: readonly string[]): boolean {
  if (message === '' || /[:{[]\s*$/.test(message)) return false;
  // Indented, or at the message's own indent going on with its sentence (a lower-case word, then a space: a dotted
  // exception path such as `oslo_messaging.exceptions.MessagingTimeout:` has no space in its first word).
  return lines.every(
    (l) => (/^\s+\S/.test(l) || /^[a-z]+ \S/.test(l)) && !/^\s*(?:File "|Traceback \(most recent call last\))/.test(l) && !/[{}]/.test(l),
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A message pasted alone: a client's exception quoting the server's fault
 * (tempest's `BuildErrorException: Server <id> failed to build … Details:
 * {'message': …, 'code': 500, …}`), or the fault's message by itself.
 */
function pastedMessageResult(ev: Event): Event['pasted'] {
  const text = [ev.message, ...(ev.traceback ?? [])].join('\n');
  const f = text.includes('message') ? faultInText(text) : undefined;
  if (f) {
    // The client names the server it waited for.
    // The instance nova's context names, else a uuid that is not a request id's (`req-<uuid>` is the request).
    const server =
      NAMED_INSTANCE.exec(ev.message)?.[1] ??
      /(?<!req-)\b([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/.exec(ev.message)?.[1];
    if (!ev.instanceUuid && server) ev.instanceUuid = server;
    if (f.exception) ev.exception = f.exception;
    return pastedResult({ ...f, shape: 'fault-dict', level: 'ERROR' });
  }
  // The instance the text names (scheduler utils' "Exceeded max scheduling attempts 5 for instance <uuid>").
  ev.instanceUuid ??= NAMED_INSTANCE.exec(ev.message)?.[1];
  // A move's own command or frames in what was pasted (the source's copy of the disk out of `<uuid>_resize`), or the
  // action an API refusal names.
  const refusal = ev.exception ? exceptionOfText(ev.exception.message, [ev.exception.type]) : undefined;
  const move = moveIn(text) ?? moveOfRefusal(refusal?.type, refusal?.fields);
  if (move) {
    ev.instanceUuid ??= INSTANCE_DIR.exec(text)?.[1];
    return { shape: 'message', fault: { message: ev.message }, move };
  }
  return { shape: 'message', fault: { message: ev.message } };
}

/**
 * A ticket's own words around a pasted log: a line no collector prefix, oslo header, JSON record, traceback or nova
 * message reads, and no CLI table's row or rule (a table is output beside the log, and counts against its prefix).
 */
function isProse(line: string): boolean {
  const t = line.trimStart();
  if (
    t === '' ||
    t.startsWith('|') ||
    t.startsWith('+-') ||
    t.startsWith('{') ||
    isTracebackLine(t) ||
    parseOsloLine(t) ||
    parseBareOsloLine(t) ||
    pastedMessage(t)
  )
    return false;
  return !PREFIX_FORMATS.some((f) => applyPrefix(f, line) !== undefined);
}

/** Two wall times (`YYYY-MM-DDTHH:MM:SS.mmm`) at most a second apart: journald stamps each line of one record on its own. */
function withinASecond(a: string, b: string): boolean {
  if (a.slice(0, 16) !== b.slice(0, 16)) return false;
  const sa = +a.slice(17, 19) * 1000 + +a.slice(20, 23);
  const sb = +b.slice(17, 19) * 1000 + +b.slice(20, 23);
  return Math.abs(sa - sb) <= 1000;
}

/** The message of an opened record, decoded: colour codes, DEBUG suffix, escapes; then its access line or placement search. */
function build(ev: Event, written: string): void {
  let message = stripColour(written);
  let changed = message !== written;
  if (ev.level === 'DEBUG' || hasCodeSuffix(message)) {
    const s = splitDebugSuffix(message);
    if (s) {
      message = s.message;
      ev.codeLocation = { func: s.func, path: s.path, line: s.line };
      // Essex–Havana and devstack's screen logs state the pid only in the suffix.
      if (ev.pid === undefined && s.pid !== undefined) ev.pid = s.pid;
    }
  }
  ev.message = decodeEscapes(message);
  if (ev.message !== message) changed = true;
  if (changed) ev.decoded = true;
  enrichRequest(ev);
}

function enrichRequest(ev: Event): void {
  const logger = ev.logger ?? '';
  const http = parseAccessMessage(ev.message);
  if (http) {
    ev.http = http;
    const q = placementQueryOf(http, logger.includes('placement'));
    if (q) ev.placementQuery = q;
    return;
  }
  if (logger.includes('placement.objects')) {
    const s = parsePlacementSearch(ev.message);
    if (s) ev.placementSearch = s;
  }
}
