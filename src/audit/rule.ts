import type { Finding, FindingCode } from '../model/finding.js';
import type { DbIndex } from '../facts/db-index.js';

/** One database check: what it looks for, and the findings it returns (one per subject). */
export interface AuditRule {
  id: string;
  title: string;
  codes: FindingCode[];
  run(ix: DbIndex): Finding[];
}
