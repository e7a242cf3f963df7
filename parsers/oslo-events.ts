import type { Event, Service } from '../src/model/event.js';
import { exceptionInMessage, exceptionsInTraceback } from './exceptions.js';
import { parseBareOsloLine, parseOsloLine, splitDebugSuffix, type OsloLine } from './oslo-log.js';
import { placementQueryOf, parseAccessMessage, parsePlacementSearch } from './placement-request.js';
import { applyPrefixes, sniffPrefixes, type PrefixFormat } from './prefixes.js';
import { serviceFromLogger, serviceFromName } from './service-names.js';
import { decodeEscapes, stripColour } from './text-decode.js';
import { parseJsonLogLine } from './oslo-json.js';
import { collectorTime, currentYearMonth, type YearMonth } from './timestamps.js';

/**
 * Lines of one oslo.log file → Events, in file order. Folds into the event that
 * opened them:
 *  - unprefixed continuation lines (multi-line messages, the remote traceback
 *    inside a `…_Remote` exception's text);
 *  - exception-prefixed lines (`TS PID ERROR logger [instance: …] …`, or
 *    `TRACE` before Liberty): no context bracket, same pid and same record time.
 * Knows nothing of incidents.
 */

export interface OsloFileContext {
  host: string;
  file: string;
  /** From the file's path; tags and loggers are used when absent. */
  service?: Service;
  /** When the logs were collected, for collector timestamps without a year (journald); now if absent. */
  collected?: YearMonth;
  /** `host` is only a guess (a folder's name, or none): a syslog prefix's host name wins. */
  hostFromCollector?: boolean;
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
  /** First unparsed line number, for the warning. */
  firstUnparsedLine?: number;
  /** Prefix formats found on this file. */
  prefixes: string[];
  json: boolean;
}

const SNIFF_LINES = 32;
export const MAX_TRACEBACK_LINES = 400;

interface Open {
  ev: Event;
  pid?: number;
  traceback: string[];
}

export class OsloEventParser {
  readonly stats: OsloParseStats = {
    events: 0,
    foldedLines: 0,
    foreignLines: 0,
    unparsedLines: 0,
    droppedTracebackLines: 0,
    prefixes: [],
    json: false,
  };
  private sniffing: [string, number][] | undefined = [];
  private prefixes: PrefixFormat[] = [];
  private open: Open | undefined;
  private readonly collected: YearMonth;

  constructor(
    private readonly ctx: OsloFileContext,
    private readonly emit: (ev: Event) => void,
  ) {
    this.collected = ctx.collected ?? currentYearMonth();
  }

  push(line: string, lineNo: number): void {
    if (this.sniffing) {
      this.sniffing.push([line, lineNo]);
      if (this.sniffing.length >= SNIFF_LINES) this.replaySniffed();
      return;
    }
    this.take(line, lineNo);
  }

  end(): void {
    if (this.sniffing) this.replaySniffed();
    this.close();
  }

  private replaySniffed(): void {
    const buffered = this.sniffing!;
    this.sniffing = undefined;
    const lines = buffered.map(([l]) => l);
    this.prefixes = sniffPrefixes(lines);
    this.stats.prefixes = this.prefixes.map((p) => p.name);
    // The collector's prefix (kubectl, journald) stands before the JSON object.
    const texts = this.prefixes.length > 0 ? lines.map((l) => applyPrefixes(this.prefixes, l)?.rest ?? l) : lines;
    const firstText = texts.find((l) => l.trim().length > 0) ?? '';
    this.stats.json = firstText.trimStart().startsWith('{"') && parseJsonLogLine(firstText.trim()) !== undefined;
    for (const [l, n] of buffered) this.take(l, n);
  }

  private take(line: string, lineNo: number): void {
    let text = line;
    let tag: string | undefined;
    let collectorTs: string | undefined;
    let collectorPid: number | undefined;
    let collectorHost: string | undefined;
    if (this.prefixes.length > 0) {
      const p = applyPrefixes(this.prefixes, line);
      if (p) {
        if (p.foreign) {
          this.stats.foreignLines++;
          return;
        }
        text = p.rest;
        tag = p.tag;
        collectorTs = p.collectorTs;
        collectorPid = p.pid;
        if (this.ctx.hostFromCollector) collectorHost = p.host;
      }
    }

    if (this.stats.json && text.charCodeAt(0) === 123 /* { */) {
      const j = parseJsonLogLine(text);
      if (j) {
        this.close();
        this.openEvent(j.line, line, lineNo, tag, collectorHost);
        // The traceback is inside this one line: nothing is folded from the file.
        for (const t of j.traceback) this.addTraceback(stripColour(t));
        return;
      }
    }

    let h: OsloLine | undefined = parseOsloLine(text);
    if (!h && collectorTs !== undefined) {
      h = parseBareOsloLine(text);
      if (h) {
        h.ts = collectorTime(collectorTs, this.collected);
        h.pid = collectorPid;
      }
    }
    let plain = text;
    if (!h) {
      plain = stripColour(text);
      if (plain !== text) h = parseOsloLine(plain);
    }
    if (!h) {
      if (this.open) {
        this.fold(plain);
        this.open.ev.lineEnd = lineNo;
      } else if (collectorTs !== undefined && text.trim().length > 0) {
        // Text the service wrote outside oslo.log (eventlet warnings on stderr):
        // the collector dated it, so it stands as its own event.
        this.openEvent(
          {
            ts: collectorTime(collectorTs, this.collected),
            pid: collectorPid,
            level: 'INFO',
            logger: 'stderr',
            hasContext: false,
            message: text,
          },
          line,
          lineNo,
          tag,
          collectorHost,
        );
      } else {
        this.stats.unparsedLines++;
        this.stats.firstUnparsedLine ??= lineNo;
      }
      return;
    }
    const o = this.open;
    if (
      o &&
      !h.hasContext &&
      (h.level === 'ERROR' || h.level === 'TRACE' || h.level === 'CRITICAL') &&
      h.pid === o.pid &&
      h.ts === o.ev.ts
    ) {
      this.fold(stripColour(h.message));
      o.ev.lineEnd = lineNo;
      return;
    }
    this.close();
    this.openEvent(h, line, lineNo, tag, collectorHost);
  }

  private openEvent(h: OsloLine, raw: string, lineNo: number, tag: string | undefined, collectorHost?: string): void {
    let message = stripColour(h.message);
    let changed = message !== h.message;
    // Every field is created here, absent ones undefined (JSON leaves them out), in
    // the order they are written: one object shape for all events keeps property
    // access and JSON.stringify on V8's fast paths (docs/performance.md).
    const ev: Event = {
      ts: h.ts,
      host: collectorHost ?? this.ctx.host,
      service: this.ctx.service ?? serviceFromName(tag) ?? serviceFromLogger(h.logger) ?? 'unknown',
      file: this.ctx.file,
      line: lineNo,
      level: h.level,
      logger: h.logger,
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
    };
    if (h.level === 'DEBUG') {
      const s = splitDebugSuffix(message);
      if (s) {
        message = s.message;
        ev.codeLocation = { func: s.func, path: s.path, line: s.line };
      }
    }
    ev.message = decodeEscapes(message);
    if (ev.message !== message) changed = true;
    if (changed) ev.decoded = true;
    enrichRequest(ev);
    this.open = { ev, pid: h.pid, traceback: [] };
  }

  /** `text` is free of colour codes already. */
  private fold(text: string): void {
    this.stats.foldedLines++;
    this.addTraceback(text);
  }

  private addTraceback(text: string): void {
    const o = this.open!;
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
    const ev = o.ev;
    if (o.traceback.length > 0) ev.traceback = o.traceback;
    // DEBUG messages name exception classes rarely and are most of a log: only tracebacks count there.
    const fromMessage = ev.level === 'DEBUG' ? undefined : exceptionInMessage(ev.message);
    const chain = o.traceback.length > 0 ? exceptionsInTraceback(o.traceback) : [];
    if (fromMessage) chain.unshift(fromMessage);
    if (chain.length > 0) {
      // What was finally raised is the last exception line of the traceback.
      ev.exception = chain[chain.length - 1];
      if (chain.length > 1) ev.exceptionChain = chain;
    }
    this.stats.events++;
    this.emit(ev);
  }
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
