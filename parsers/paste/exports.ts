/**
 * A log aggregator's export, pasted or attached: Kibana's and OpenSearch
 * Dashboards' CSV export of a Discover search (a header row naming the
 * columns, one quoted row per document, a multi-line message inside its
 * quotes), lnav's `:write-csv-to`, and the documents of an Elasticsearch or
 * OpenSearch search as JSON lines (`_source` or the document itself, ECS
 * field names). The row's message is the log line the service wrote; its
 * other columns say when (`@timestamp`), on which host (`host.name`) and from
 * which file or unit (`log.file.path`): each file becomes a source of its own.
 */

import { MONTHS } from '../timestamps.js';

export interface ExportTable {
  kind: 'csv' | 'ndjson';
  /** CSV: the header's column names, in order. */
  columns: string[];
  text: string;
  time?: string;
  host?: string;
  file?: string;
}

export interface ExportRecord {
  /** The message: one or several lines (a traceback kept inside one document). */
  text: string;
  /** The aggregator's time for the document, `YYYY-MM-DDTHH:MM:SS.mmm`. */
  ts?: string;
  host?: string;
  file?: string;
}

/** Field names by what they hold, most specific first (ECS, Filebeat's older names, Loki's, lnav's). */
const TEXT_FIELDS = ['message', 'log_text', 'log', 'line', 'event.original', 'msg'];
const TIME_FIELDS = ['@timestamp', 'timestamp', 'log_time', 'time', 'date', 'Date', 'Time'];
const HOST_FIELDS = ['host.name', 'host.hostname', 'hostname', 'log_hostname', 'agent.hostname', 'kubernetes.node.name', 'host'];
const FILE_FIELDS = [
  'log.file.path',
  'log_path',
  'source',
  'file',
  'filename',
  'systemd.unit',
  'journald.unit',
  'kubernetes.container.name',
  'container.name',
  'service.name',
];

/** Splits one CSV line into fields, or says the record goes on (an open quote). */
function csvFields(text: string): { fields: string[]; open: boolean } {
  const fields: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += c;
    } else if (c === '"' && cur.length === 0) quoted = true;
    else if (c === ',') {
      fields.push(cur);
      cur = '';
    } else cur += c;
  }
  fields.push(cur);
  return { fields, open: quoted };
}

function pick(names: readonly string[], choices: readonly string[]): string | undefined {
  for (const c of choices) if (names.includes(c)) return c;
  return undefined;
}

/** A value of a JSON document by its ECS name: flattened (`"host.name"`) or nested (`host: {name}`). */
function field(doc: Record<string, unknown>, name: string): unknown {
  if (name in doc) return doc[name];
  let cur: unknown = doc;
  for (const part of name.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function docOf(line: string): Record<string, unknown> | undefined {
  const t = line.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return undefined;
  try {
    const o = JSON.parse(t) as unknown;
    if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined;
    const src = (o as Record<string, unknown>)._source;
    return (typeof src === 'object' && src !== null ? src : o) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function firstOf(doc: Record<string, unknown>, choices: readonly string[], kind: 'string' | 'any'): string | undefined {
  for (const c of choices) {
    const v = field(doc, c);
    if (typeof v === 'string' || (kind === 'any' && typeof v === 'number')) return c;
  }
  return undefined;
}

/**
 * Is this file an aggregator's export? A CSV header naming a message column
 * (and a time, host or file column), or JSON documents with a message and an
 * `@timestamp` (oslo's own JSON lines have `asctime` and are not exports).
 */
export function sniffExport(lines: readonly string[]): ExportTable | undefined {
  const first = lines.find((l) => l.trim().length > 0)?.trim();
  if (!first) return undefined;
  const doc = docOf(first);
  if (doc) {
    const text = firstOf(doc, TEXT_FIELDS, 'string');
    const time = firstOf(doc, TIME_FIELDS, 'any');
    if (!text || !time || !('@timestamp' in doc || field(doc, 'log.file.path') !== undefined || field(doc, 'host.name') !== undefined))
      return undefined;
    return {
      kind: 'ndjson',
      columns: [],
      text,
      time,
      host: firstOf(doc, HOST_FIELDS, 'string'),
      file: firstOf(doc, FILE_FIELDS, 'string'),
    };
  }
  const { fields, open } = csvFields(first);
  if (open || fields.length < 2 || !fields.every((f) => /^[@\w.-]{1,64}$/.test(f))) return undefined;
  const text = pick(fields, TEXT_FIELDS);
  const time = pick(fields, TIME_FIELDS);
  const host = pick(fields, HOST_FIELDS);
  const file = pick(fields, FILE_FIELDS);
  if (!text || !(time || host || file)) return undefined;
  return { kind: 'csv', columns: fields, text, time, host, file };
}

// Kibana Discover's default `dateFormat`: `MMM D, YYYY @ HH:mm:ss.SSS`.
const KIBANA_TIME = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}) @ (\d\d:\d\d:\d\d)(?:\.(\d{1,3}))?$/;
const ISO_TIME = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:[.,](\d+))?/;

/** The export's time as `YYYY-MM-DDTHH:MM:SS.mmm` (as the viewer showed it: no zone is applied). */
export function exportTime(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) {
    // Epoch seconds, milliseconds or nanoseconds (Loki).
    const ms = v > 1e17 ? v / 1e6 : v > 1e11 ? v : v * 1000;
    return new Date(ms).toISOString().slice(0, 23);
  }
  if (typeof v !== 'string') return undefined;
  const k = KIBANA_TIME.exec(v.trim());
  if (k && MONTHS[k[1]]) return `${k[3]}-${MONTHS[k[1]]}-${k[2].padStart(2, '0')}T${k[4]}.${(k[5] ?? '0').padEnd(3, '0').slice(0, 3)}`;
  const i = ISO_TIME.exec(v.trim());
  if (i) return `${i[1]}T${i[2]}.${(i[3] ?? '0').padEnd(3, '0').slice(0, 3)}`;
  if (/^\d{10,19}$/.test(v.trim())) return exportTime(Number(v.trim()));
  return undefined;
}

/**
 * Physical lines in, export records out: a CSV record ends where its quotes
 * close (a message with a traceback spans many lines); a JSON document is one
 * line. The header row and lines that are no record return `skip`.
 */
export class ExportReader {
  private open: { text: string; first: number } | undefined;
  private headerSeen = false;

  constructor(
    private readonly t: ExportTable,
    private readonly maxChars = 1 << 20,
  ) {}

  /** The record `line` completes (with the physical line it began on), `skip` for the header, undefined while one is open. */
  push(line: string, lineNo: number): { record: ExportRecord; first: number } | 'skip' | 'foreign' | undefined {
    if (this.t.kind === 'ndjson') {
      const doc = docOf(line);
      if (!doc) return 'foreign';
      const text = field(doc, this.t.text);
      if (typeof text !== 'string') return 'foreign';
      return {
        record: this.fromValues(text, this.t.time && field(doc, this.t.time), this.value(doc, 'host'), this.value(doc, 'file')),
        first: lineNo,
      };
    }
    if (!this.open) {
      if (!this.headerSeen && line.trim().length > 0) {
        this.headerSeen = true;
        return 'skip';
      }
      if (line.trim().length === 0) return 'foreign';
      this.open = { text: line, first: lineNo };
    } else if (this.open.text.length + line.length < this.maxChars) this.open.text += `\n${line}`;
    const { fields, open } = csvFields(this.open.text);
    if (open) return undefined;
    const first = this.open.first;
    this.open = undefined;
    const col = (name: string | undefined): string | undefined => (name ? fields[this.t.columns.indexOf(name)] : undefined);
    const text = col(this.t.text);
    if (text === undefined) return 'foreign';
    return { record: this.fromValues(text, col(this.t.time), col(this.t.host), col(this.t.file)), first };
  }

  /** A CSV record still open at the end of the file (its closing quote lost). */
  end(): { record: ExportRecord; first: number } | undefined {
    if (!this.open) return undefined;
    const { fields } = csvFields(`${this.open.text}"`);
    const first = this.open.first;
    this.open = undefined;
    const text = fields[this.t.columns.indexOf(this.t.text)];
    return text === undefined ? undefined : { record: this.fromValues(text, undefined, undefined, undefined), first };
  }

  private value(doc: Record<string, unknown>, what: 'host' | 'file'): string | undefined {
    const name = this.t[what];
    const v = name ? field(doc, name) : undefined;
    return typeof v === 'string' ? v : undefined;
  }

  private fromValues(text: string, time: unknown, host: string | undefined, file: string | undefined): ExportRecord {
    const r: ExportRecord = { text: text.replace(/\r$/, '') };
    const ts = exportTime(time);
    if (ts) r.ts = ts;
    if (host && host !== '-') r.host = host;
    if (file && file !== '-') r.file = file;
    return r;
  }
}
