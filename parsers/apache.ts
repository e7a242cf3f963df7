import type { Event, HttpInfo, Level, Service } from '../src/model/event.js';
import { exceptionInMessage } from './exceptions.js';
import { pattern } from './pattern.js';
import { placementQueryOf, splitUri } from './placement-request.js';
import { decodeLine } from './text-decode.js';
import { MONTHS, msOf } from './timestamps.js';

/**
 * httpd in front of the WSGI services: the access log (placement's
 * `placement_wsgi_access.log`, nova-api's) and the error log (`error_log`,
 * where horizon writes `NotFound: Instance … could not be found. (HTTP 404)
 * (Request-ID: req-…)`). One line, one event; no folding.
 */

export interface ApacheContext {
  host: string;
  file: string;
  service: Service;
}

export const ACCESS = pattern(
  String.raw`^(?<ip>\S+)[ ]\S+[ ]\S+[ ]\[(?<day>\d\d)\/(?<mon>\w{3})\/(?<year>\d{4}):(?<time>\d\d:\d\d:\d\d)(?:\.(?<frac>\d+))?[ ](?<zone>[+-]\d{4})\]
   [ ]"(?<method>[A-Z]+)[ ](?<uri>\S+)(?:[ ]HTTP\/[\d.]+)?"
   [ ](?<status>\d{3})[ ](?<len>\d+|-)
   (?:[ ](?<usecs>\d+))?
   (?:[ ]"(?<referer>[^"]*)"[ ]"(?<agent>[^"]*)")?`,
  'x',
);

export const ERROR = pattern(
  String.raw`^\[(?:\w{3}[ ])?(?<mon>\w{3})[ ]+(?<day>\d{1,2})[ ](?<time>\d\d:\d\d:\d\d)(?:\.(?<frac>\d+))?[ ](?<year>\d{4})\]
   [ ]\[(?:[\w-]*:)?(?<level>\w+)\]
   (?:[ ]\[pid[ ](?<pid>\d+)(?::tid[ ]\d+)?\])?
   (?:[ ]\[(?:remote|client)[ ][^\]]*\])?
   [ ]?(?<message>.*)$`,
  'xs',
);

const APACHE_LEVEL: Record<string, Level> = {
  emerg: 'CRITICAL',
  alert: 'CRITICAL',
  crit: 'CRITICAL',
  error: 'ERROR',
  warn: 'WARNING',
  notice: 'INFO',
  info: 'INFO',
  debug: 'DEBUG',
};

const REQUEST_ID = /\b(req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/;

function zoneOf(z: string): string {
  return `${z.slice(0, 3)}:${z.slice(3)}`;
}

/**
 * An access line's time, level and message, the message in the shape of placement's and nova's own request log
 * (`<ip> "<method> <uri>" status: <n> len: <n>`), which the oslo reader's request parsing takes as it is.
 */
export function accessRecord(line: string): { ts: string; level: Level; logger: string; message: string; http: HttpInfo } | undefined {
  // Cheap refusal first: the oslo reader asks this of lines that are no record of their own (traceback lines).
  if (line.indexOf('] "') === -1) return undefined;
  const m = ACCESS.exec(line);
  if (!m) return undefined;
  const g = m.groups!;
  const status = Number(g.status);
  const http: HttpInfo = { clientIp: g.ip, method: g.method, ...splitUri(g.uri), status };
  if (g.len !== '-') http.length = Number(g.len);
  if (g.usecs !== undefined) http.time = Number(g.usecs) / 1e6;
  return {
    ts: `${g.year}-${MONTHS[g.mon] ?? '01'}-${g.day}T${g.time}.${msOf(g.frac)}${zoneOf(g.zone)}`,
    level: status >= 500 ? 'ERROR' : 'INFO',
    logger: 'httpd.access',
    message: `${g.ip} "${g.method} ${g.uri}" status: ${status} len: ${g.len}`,
    http,
  };
}

export function parseAccessLine(line: string, lineNo: number, ctx: ApacheContext): Event | undefined {
  const a = accessRecord(line);
  if (!a) return undefined;
  const { http } = a;
  const ev: Event = {
    ts: a.ts,
    host: ctx.host,
    service: ctx.service,
    file: ctx.file,
    line: lineNo,
    level: a.level,
    logger: a.logger,
    message: a.message,
    raw: line,
    http,
  };
  const pq = placementQueryOf(http, ctx.service === 'placement-api');
  if (pq) ev.placementQuery = pq;
  return ev;
}

export function parseErrorLine(line: string, lineNo: number, ctx: ApacheContext): Event | undefined {
  const m = ERROR.exec(line);
  if (!m) return undefined;
  const g = m.groups!;
  const message = decodeLine(g.message);
  const ev: Event = {
    ts: `${g.year}-${MONTHS[g.mon] ?? '01'}-${g.day.padStart(2, '0')}T${g.time}.${msOf(g.frac)}`,
    host: ctx.host,
    service: ctx.service,
    file: ctx.file,
    line: lineNo,
    level: APACHE_LEVEL[g.level.toLowerCase()] ?? 'INFO',
    logger: 'httpd.error',
    message,
    raw: line,
  };
  if (message !== g.message) ev.decoded = true;
  if (g.pid) ev.pid = Number(g.pid);
  const rid = REQUEST_ID.exec(message);
  if (rid) ev.requestId = rid[1];
  const ex = exceptionInMessage(message);
  if (ex) ev.exception = ex;
  return ev;
}
