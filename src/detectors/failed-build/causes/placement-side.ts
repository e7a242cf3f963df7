import type { Evidence } from '../../../model/finding.js';
import { logEvidence } from '../../detector.js';
import type { Candidates } from '../evidence.js';

/**
 * What every cause decided on placement's side of a build starts from: the
 * query (or spec, or record) that says what was asked, placement's own "no
 * candidates" and empty searches; the request as details; and the PCPU
 * fallback, when it was assumed.
 */
export function placementSide(c: Candidates): { evidence: Evidence[]; details: Record<string, unknown>; gaps: string[] } {
  const evidence: Evidence[] = [];
  if (c.requested.evidence) evidence.push(c.requested.evidence);
  if (c.noCandidates) evidence.push(logEvidence(c.noCandidates));
  for (const s of c.search) evidence.push(logEvidence(s));
  const details: Record<string, unknown> = {};
  if (c.requested.resources) details.requested = c.requested.resources;
  const gaps = c.pcpuAsVcpu
    ? ['the flavor asks dedicated CPUs (PCPU), which no provider reports: checked as VCPU, the query nova falls back to']
    : [];
  // The dump is read later than the failure: what it holds that came after is not what placement saw.
  if (c.fits && c.createdLater.length) {
    details.createdAfterFailure = c.createdLater.map((p) => ({ name: p.name, uuid: p.uuid, createdAt: p.createdAt }));
    gaps.push(
      `${c.createdLater.map((p) => `${p.name ?? p.uuid} (created ${p.createdAt})`).join(', ')} did not exist at the failure (${c.failedAt!.ts}): left out of the fit`,
    );
  }
  if (c.fits && c.changedLater.length)
    gaps.push(
      `inventories changed after the failure, so their figures then are not known: ${c.changedLater.map((x) => `${x.provider} ${x.resourceClass} (updated ${x.updatedAt})`).join(', ')}`,
    );
  return { evidence, details, gaps };
}

/** The providers as the fit saw them, for the details. */
export function providerDetails(c: Candidates): unknown[] {
  return (c.fits?.() ?? []).map((p) => ({
    uuid: p.providerUuid,
    name: p.name,
    fits: p.fits,
    fitsWithoutOrphans: p.fitsWithoutOrphans,
    classes: p.classes,
  }));
}

/** The dump's fit of the request is what decides: the request and a dump are known, and no filter ran out of hosts. */
export function fitDecides(c: Candidates): boolean {
  return !!c.fits && c.filterZero.length === 0;
}

/** The byTime query joins the timeline of whatever verdict used it. */
export function queryEvents(c: Candidates): { events?: Candidates['related'][number][] } {
  return c.requested.byTime ? { events: [c.requested.byTime] } : {};
}
