import type { Coverage } from './coverage.js';
import type { Finding } from './finding.js';
import type { Incident } from './incident.js';
import type { ClockOffset } from './clock.js';

/** The one model every view renders (JSON, NDJSON, Markdown, TUI). Documented in docs/report-schema.md. */

export const SCHEMA_VERSION = 1;

export interface ReportInput {
  path: string;
  host?: string;
  kind: string;
}

export interface ReportHost {
  name: string;
  clockOffsetMs: number;
  clockOffset: Omit<ClockOffset, 'host'>;
  /** Time span of its logs, as written. */
  first?: string;
  last?: string;
  /** Named in other hosts' logs or the database, but no sosreport was given. */
  missing?: boolean;
  services: string[];
}

export interface ObfuscationNote {
  applied: true;
  /** A key was given, so the placeholders are the same in every run with it. */
  keyed: boolean;
  /** Every host read had been named by sos clean: its names and IPv4 addresses were kept as sos clean wrote them. */
  sosCleaned: boolean;
  /** Placeholders handed out, by kind (host, domain, ipv4, ipv6, mac, user, project, id). */
  counts: Record<string, number>;
}

export interface ReportWindow {
  since?: string;
  until?: string;
  /** Lines of plain oslo.log files passed over unread, before and after the window. */
  linesPassedOver: number;
  /** Events read but outside the window, left out. */
  eventsLeftOut: number;
}

/** `--instance`: the report keeps only what is about this instance; what it left out, counted. */
export interface ReportFocus {
  instance: string;
  /**
   * Incidents about other instances, of those the lines read show: with lines passed over (`linesPassedOver`),
   * fewer than the whole report holds, their lines mostly unread.
   */
  incidentsLeftOut: number;
  findingsLeftOut: number;
  /** The request ids a first pass found on its lines and rows (absent when the logs were read whole: a window, standard input). */
  requests?: number;
  /** Its migrations' uuids the first pass found in the dump's migrations rows (their allocations are the migrations'). */
  migrations?: number;
  /** Lines of plain oslo.logs naming neither the instance nor those requests, passed over unread. */
  linesPassedOver?: number;
}

export interface Report {
  schemaVersion: number;
  generatedAt: string;
  inputs: ReportInput[];
  coverage: Coverage & {
    /** `letGo`: context lines let go because no failure tied them (their request, instance or time) when the store was full (absent when none). */
    events: { seen: number; retained: number; droppedAtCap: number; letGo?: number };
    dumps: { host: string; path: string; databases: string[]; tailed: boolean; warnings: string[] }[];
    /** Set when host names, addresses and ids were replaced by placeholders (`--obfuscate`); the mapping is never in the report. */
    obfuscation?: ObfuscationNote;
    /** `--since` / `--until`: the logs were read for this window only (times as each host wrote them); what was left outside it. */
    window?: ReportWindow;
    /** `--instance`: only the incidents and database findings about this instance were kept. */
    focus?: ReportFocus;
  };
  hosts: ReportHost[];
  incidents: Incident[];
  findings: Finding[];
}
