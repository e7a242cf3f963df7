/**
 * A database finding: one per subject (an orphaned consumer, an unmapped
 * host, a provider and class…), so lists are exact and views group them.
 * The analysis report reuses this shape for its `findings` list.
 */

export type Severity = 'critical' | 'error' | 'warning' | 'info';

/** `orphan-allocation`, `unmapped-host`…: the audit rules list them (src/audit/rules, docs/detectors.md). */
export type FindingCode = string;

/** Why a finding holds: `instance-deleted`, `host-not-mapped`… (each rule lists its causes). */
export type CauseCode = string;

/** A log line or a database row. */
export type EvidenceSource = { host: string; file: string; line: number } | { db: string; table: string; key: string };

export interface Evidence {
  text: string;
  source: EvidenceSource;
  /** The text as written, when decoding changed it (escaped unicode). */
  raw?: string;
}

export interface Remediation {
  command: string;
  why: string;
}

export interface FindingSubject {
  consumerUuid?: string;
  instanceUuid?: string;
  migrationUuid?: string;
  host?: string;
  providerUuid?: string;
  resourceClass?: string;
  flavor?: string;
}

export interface Finding {
  code: FindingCode;
  cause: CauseCode;
  severity: Severity;
  subject: FindingSubject;
  /** What the subject holds or asks, by provider uuid then class, or by class. */
  resources?: Record<string, Record<string, number>> | Record<string, number>;
  evidence: Evidence[];
  explanation: string;
  remediation: Remediation[];
  /** Figures behind the explanation (capacity, headroom, max_unit…). */
  details?: Record<string, unknown>;
  /** Incidents that cite this finding in their evidence (set by the analysis, not the audit). */
  incidentIds?: string[];
}

export const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, error: 1, warning: 2, info: 3 };
