import type { OsloLog, Line } from './oslo.js';

/** A sample cloud: hosts with their sosreport files, and the databases the controller's dump holds. */

export interface SampleHost {
  /** FQDN, as the hostname file and the logs say. */
  name: string;
  /** `sosreport-<host>-<date>-<random>` */
  sosName: string;
  /** How the sosreport is shipped: sos's default .tar.xz, a .tar.gz, or extracted. */
  pack: 'xz' | 'gzip' | 'dir';
  clockOffsetMs: number;
  /** Files by path under the sosreport root. */
  files: Map<string, string | Buffer>;
  logs: Map<string, OsloLog>;
  access: Map<string, Line[]>;
}

export type Row = Record<string, string | number | null>;
/** database → table → rows, columns in the order of the real schema. */
export type DbRows = Record<string, Record<string, Row[]>>;

export interface Cloud {
  name: string;
  description: string;
  hosts: SampleHost[];
  db: DbRows;
  /** Which host's sosreport carries the dump, and where. */
  dumpHost: string;
  dumpPath: string;
  /** Column lists of an older release, per database and table, over the current ones. */
  schema?: Record<string, Record<string, string[]>>;
  /** What the tests assert about this cloud (uuids, request ids, figures). */
  expect: Record<string, unknown>;
}
