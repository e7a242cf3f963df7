/**
 * What a collector's prefix says about a line: the types the prefix formats,
 * journald's JSON and export readers and the parser share.
 */

/**
 * How a collector's time reads, so the parser can turn it into wall time:
 *  - `yearless`: `Jul 16 10:57:31[.ffffff]`, the month in the machine's locale;
 *  - `iso`: RFC 3339 with its offset (`…+02:00`, `…+0200`, `…Z`): the wall time as written;
 *  - `local`: a full date and time with no usable offset (Zuul, `Tue 2024-07-16 10:57:31 CEST`);
 *  - `epoch-s`, `epoch-us`: seconds (short-unix) or microseconds (journald's JSON and export) since 1970, UTC;
 *  - `monotonic`: seconds since boot (`journalctl -o short-monotonic`).
 */
export type ClockKind = 'yearless' | 'iso' | 'local' | 'epoch-s' | 'epoch-us' | 'monotonic';

export interface PrefixInfo {
  /** The line with the prefix removed. A journal entry's MESSAGE may hold several lines. */
  rest: string;
  /** Container or syslog tag, a hint for the service (`nova-conductor`, `nova_compute`). */
  tag?: string;
  /** The systemd unit (`devstack@n-cpu.service`, `edpm_nova_compute.service`), another hint. */
  unit?: string;
  /** Collector timestamp, used when the rest has none of its own (devstack journald). */
  collectorTs?: string;
  clock?: ClockKind;
  /** The host the collector names (syslog), for files that do not say whose they are. */
  host?: string;
  pid?: number;
  /** The collector says this line is its own chatter, not the service's (pebble). */
  foreign?: boolean;
  /** A CRI partial line (`P`): the rest continues on the next line of the stream. */
  partial?: boolean;
  /** journald left the message out (longer than its JSON threshold): nothing to read. */
  omitted?: boolean;
}
