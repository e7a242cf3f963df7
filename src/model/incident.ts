import type { Evidence, Remediation, Severity } from './finding.js';
import type { Level, Service } from './event.js';

/**
 * One failing operation, explained: what happened, why (a cause code with a
 * summary and its figures), the evidence chain, the timeline across hosts,
 * and what an operator would do about it.
 */

/** `failed-build`, `cpu-incompatible-migration`…: the detectors list them (src/detectors, docs/detectors.md); the schema enumerates them. */
export type IncidentKind = string;

/** A cause code of a detector (docs/detectors.md): `max-unit-exceeded`, `host-not-mapped`… or `unknown`. */
export type IncidentCause = string;

/** A log event as the timeline shows it: the clock offset of its host applied. */
export interface TimelineEntry {
  /** As written on the host. */
  ts: string;
  /** Reference-host time: ts minus the host's clock offset. */
  adjustedTs: string;
  host: string;
  service: Service;
  level: Level;
  logger?: string;
  requestId?: string;
  globalRequestId?: string;
  instanceUuid?: string;
  message: string;
  exception?: { type: string; message: string };
  source: { host: string; file: string; line: number };
  /** The failing step of the incident. */
  failing?: boolean;
  /** The line had no time (pasted without it): `ts` and `adjustedTs` are empty, its place is its position in its file. */
  undated?: true;
}

export interface Incident {
  id: string;
  kind: IncidentKind;
  title: string;
  severity: Severity;
  instanceUuid?: string;
  /** The failing request's id first. */
  requestIds: string[];
  hosts: string[];
  start?: string;
  end?: string;
  /** How many times this failure was seen (a periodic warning, a retried request). */
  count: number;
  /**
   * Set when this incident stands for this many of its kind and cause past the first ones shown in full
   * (src/detectors/incident-list.ts): its timeline holds one failing line of each, its details their instances.
   */
  folds?: number;
  cause: { code: IncidentCause; summary: string; details: Record<string, unknown> };
  evidence: Evidence[];
  timeline: TimelineEntry[];
  remediation: Remediation[];
  /** What evidence was missing and how that limits the cause. */
  gaps: string[];
}

/** One resource class of one provider against a request: placement's candidate rule, with the figures. */
export interface ClassFit {
  resourceClass: string;
  requested: number;
  used: number;
  capacity: number;
  headroom: number;
  maxUnit: number;
  /** Usage by allocations nothing justifies (orphans), and the part of it held by doubled consumers. */
  orphanUsed: number;
  doubledUsed: number;
  fits: boolean;
  reason?: 'max_unit' | 'capacity' | 'min_unit' | 'step_size' | 'no inventory';
}

/** Incidents per kind, in the order first met; one that stands for many (`folds`) counts as that many. */
export function incidentsByKind(incidents: readonly Incident[]): Map<IncidentKind, number> {
  const byKind = new Map<IncidentKind, number>();
  for (const i of incidents) byKind.set(i.kind, (byKind.get(i.kind) ?? 0) + (i.folds ?? 1));
  return byKind;
}
