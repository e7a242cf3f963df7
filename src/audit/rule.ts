import type { CauseCode, Finding, FindingCode } from '../model/finding.js';
import type { DbIndex } from '../facts/db-index.js';

/**
 * One database check, as data: what it looks for, the findings it makes (each
 * code with the causes it can name and what an operator does), and `check`,
 * which returns one finding per subject. The docs and the report schema are
 * derived from these (src/registry), never kept by hand.
 */

export interface FindingKind {
  code: FindingCode;
  title: string;
  /** What makes a finding of this code, in a sentence. */
  checks: string;
  /** The causes it can name, each with what decides it. */
  causes: readonly { code: CauseCode; decidedBy: string }[];
  /** How bad: a severity, or the rule for it. */
  severity: string;
  /** What an operator does about it. */
  remediation: string;
}

export interface AuditRule {
  id: string;
  title: string;
  findings: readonly FindingKind[];
  check(ix: DbIndex): Finding[];
}
