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

export interface Report {
  schemaVersion: number;
  generatedAt: string;
  inputs: ReportInput[];
  coverage: Coverage & {
    events: { seen: number; retained: number; droppedAtCap: number };
    dumps: { host: string; path: string; databases: string[]; tailed: boolean; warnings: string[] }[];
  };
  hosts: ReportHost[];
  incidents: Incident[];
  findings: Finding[];
}
