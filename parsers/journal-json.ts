import type { PrefixInfo } from './collector-line.js';

/**
 * One journald entry as `journalctl -o json` writes it (systemd's
 * logs-show.c, output_json): an object of the entry's fields, in no fixed
 * order. A value is a string when it is printable UTF-8, an array of byte
 * values when it is not, null when it is longer than journalctl's 4096-byte
 * threshold (without `--all`), and an array of those when the field occurs
 * more than once in the entry.
 */

type JsonValue = string | number[] | null | (string | number[] | null)[];

function isBytes(v: unknown): v is number[] {
  return Array.isArray(v) && (v.length === 0 || typeof v[0] === 'number');
}

/** A field's text: bytes decoded as UTF-8, the first of repeated values. */
export function journalFieldText(v: JsonValue | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (isBytes(v)) return Buffer.from(v).toString('utf8');
  for (const x of v) {
    const t = journalFieldText(x);
    if (t !== undefined) return t;
  }
  return undefined;
}

/** The fields that name who wrote the entry, when and where; the rest of the entry is left alone. */
export function entryInfo(fields: (name: string) => string | undefined, message: string | undefined): PrefixInfo {
  const pid = fields('_PID') ?? fields('SYSLOG_PID');
  const info: PrefixInfo = {
    rest: message ?? '',
    tag: fields('SYSLOG_IDENTIFIER') ?? fields('CONTAINER_NAME') ?? fields('_COMM'),
    unit: fields('_SYSTEMD_UNIT') ?? fields('_SYSTEMD_USER_UNIT'),
    // journalctl shows the time the program stated when it sent one (syslog, the native protocol).
    collectorTs: fields('_SOURCE_REALTIME_TIMESTAMP') ?? fields('__REALTIME_TIMESTAMP'),
    clock: 'epoch-us',
    host: fields('_HOSTNAME'),
    pid: pid && /^\d+$/.test(pid) ? Number(pid) : undefined,
  };
  if (message === undefined) info.omitted = true;
  return info;
}

/** `{"__REALTIME_TIMESTAMP":"…","MESSAGE":"…",…}` → PrefixInfo; undefined for JSON that is not a journal entry. */
export function journalJsonEntry(text: string): PrefixInfo | undefined {
  let o: Record<string, JsonValue>;
  try {
    o = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (o === null || typeof o !== 'object' || !('MESSAGE' in o) || !('__REALTIME_TIMESTAMP' in o)) return undefined;
  return entryInfo((name) => journalFieldText(o[name]), journalFieldText(o.MESSAGE));
}
