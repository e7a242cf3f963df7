import type { StoredEvent } from '../../../correlate/event-store.js';
import type { Remediation } from '../../../model/finding.js';
import {
  askedOf,
  auditFree,
  claimAsked,
  claimLimit,
  claimTotal,
  computeClaimLimit,
  computeClaimTotal,
  type ClaimLimit,
  trackerAuditFree,
} from '../../../signatures/claims.js';
import { schedulerChoosingHost } from '../../../signatures/conductor.js';
import { match, matches } from '../../../signatures/signature.js';
import { tsMs } from '../../../model/clock.js';
import { type DetectContext, sameHost, signalled } from '../../detector.js';

/**
 * Folsom–Icehouse: a build the scheduler itself set to ERROR for NoValidHost (its WARNING with no exception before
 * it, evidence.ts `driverNoValidHost`). Its filters logged their counts at DEBUG only; what INFO logs still tell is
 * which instances of a multi-create it placed first ("Choosing host WeighedHost […] for instance …"), and the
 * computes' own claims of those instances (AUDIT), whose limits are the ones the scheduler's filters set
 * (RamFilter's memory limit: total × ram_allocation_ratio; DiskFilter's, CoreFilter's; "not specified" when the
 * filter is not enabled).
 */

export interface PlacedBefore {
  instances: number;
  hosts: string[];
}

/** What a host had left under a claim's limit after the last instance placed there, against what each asks. */
export interface LeftUnderLimit {
  host: string;
  /** The filter that sets this limit and would leave the host out. */
  filter: string;
  unit: ClaimLimit['unit'];
  limit: number;
  left: number;
  asked: number;
}

export interface DriverNoHost {
  /** Single-instance failures (no instance placed before): what each host's memory limit left at its last audit. */
  headroom?: Headroom[];
  /** What to look at when a limit told the filter (the hosts' own figures and the ratio behind the limit). */
  remediation: Remediation[];
  placedBefore?: PlacedBefore;
  /** Set when every host placed on had less left under one limit than an instance asks. */
  leftUnderLimit?: LeftUnderLimit[];
  /** The scheduler's placements and the claims that say what was left. */
  evidence: StoredEvent[];
  gap: string;
  summary: string;
}

/** The filter that sets each claim limit (nova/scheduler/filters: ram_filter, disk_filter, core_filter). */
const LIMIT_FILTER: Readonly<Record<ClaimLimit['unit'], string>> = { MB: 'RamFilter', GB: 'DiskFilter', VCPU: 'CoreFilter' };

const UNIT_NAME: Readonly<Record<ClaimLimit['unit'], string>> = { MB: 'memory', GB: 'disk', VCPU: 'vCPUs' };

/** The hypervisor's figures behind each limit, and the ratio the filter multiplied its total by. */
const UNIT_FIGURES: Readonly<Record<ClaimLimit['unit'], { fields: string; ratio: string }>> = {
  MB: { fields: '-c memory_mb -c memory_mb_used -c free_ram_mb', ratio: 'ram_allocation_ratio' },
  GB: { fields: '-c local_gb -c local_gb_used -c free_disk_gb', ratio: 'disk_allocation_ratio' },
  VCPU: { fields: '-c vcpus -c vcpus_used', ratio: 'cpu_allocation_ratio' },
};

function limitRemediation(left: readonly LeftUnderLimit[]): Remediation[] {
  return left.map((l) => ({
    command: `openstack hypervisor show ${l.host} ${UNIT_FIGURES[l.unit].fields}`,
    why: `${l.filter} allows the host's total ${UNIT_NAME[l.unit]} times ${UNIT_FIGURES[l.unit].ratio} (the limit of ${l.limit.toFixed(2)} ${l.unit}); the request's instances did not all fit under it: build fewer at once or with a smaller flavor, or add capacity (raising the ratio overcommits the host)`,
  }));
}

/** What a host's memory limit still left at its last audit before the failure. */
export interface Headroom {
  host: string;
  limit: number;
  left: number;
  auditedAt: string;
  /** The audit, and the claim lines that gave the host's total and limit. */
  events: StoredEvent[];
}

/**
 * Per compute whose audits were read (Grizzly–Icehouse "Free ram (MB)"), what RamFilter's limit left at its last
 * audit before the failure: the limit and the total from the host's last claims (any request), the used memory
 * from the audit (total − free). Empty unless every compute read shows its audit, total and limit.
 */
function headroomAt(ctx: DetectContext, failed: readonly StoredEvent[]): Headroom[] {
  const at = (e: StoredEvent): number => tsMs(e.ts) - (ctx.offsets.get(e.host) ?? 0);
  const when = Math.min(...failed.map(at));
  if (!Number.isFinite(when)) return [];
  const last = (list: readonly StoredEvent[], host: string, ok: (e: StoredEvent) => boolean) =>
    list.findLast((e) => e.host === host && at(e) <= when && ok(e));
  const audits = signalled(ctx, trackerAuditFree);
  const totals = signalled(ctx, computeClaimTotal);
  const limits = signalled(ctx, computeClaimLimit);
  // The computes whose logs were read (their audits); a compute whose log was not read is not counted.
  const hosts = [...new Set(audits.map((e) => e.host))];
  const out: Headroom[] = [];
  for (const host of hosts) {
    const audit = last(audits, host, (e) => auditFree(e.message)?.unit === 'MB');
    const total = last(totals, host, (e) => claimTotal(e.message)?.unit === 'MB');
    const limit = last(limits, host, (e) => claimLimit(e.message)?.unit === 'MB');
    if (!audit || !total || !limit) return [];
    const l = claimLimit(limit.message)!.limit;
    const used = claimTotal(total.message)!.total - auditFree(audit.message)!.free;
    out.push({ host, limit: l, left: l - used, auditedAt: audit.ts, events: [audit, total, limit] });
  }
  return out;
}

/** `failed`: the scheduler's WARNINGs of the request's instances it found no host for. */
export function driverNoHost(ctx: DetectContext, failed: readonly StoredEvent[], related: readonly StoredEvent[]): DriverNoHost {
  const request = failed[0]?.requestId;
  const failedIds = new Set(failed.map((e) => e.instanceUuid));
  const n = failedIds.size;
  const raised = 'and raised NoValidHost with an empty reason (Folsom–Icehouse)';
  const placed = related.filter((e) => {
    const m = match(schedulerChoosingHost, e);
    return m !== undefined && e.requestId === request && !failedIds.has(m.instance);
  });
  if (!placed.length) {
    const room = headroomAt(ctx, failed);
    const told = room.length
      ? ` At their last audits before it, the computes read had ${room.map((h) => `${h.host} ${h.left.toFixed(2)} MB of memory left under the ${h.limit.toFixed(2)} MB RamFilter allows (its claims' limit; audited ${h.auditedAt})`).join('; ')}: a flavor asking more memory than that could fit on none of them.`
      : '';
    return {
      remediation: [],
      ...(room.length ? { headroom: room } : {}),
      evidence: room.flatMap((h) => h.events),
      gap: room.length
        ? `${unknownFilterGap}; the instance's flavor is not in these lines, so whether its memory exceeded what the audits left is not known`
        : unknownFilterGap,
      summary: `The filter scheduler found no host for ${n === 1 ? 'the instance' : `any of the request's ${n} instances`}: its filters left none, ${raised}.${told}`,
    };
  }
  const hosts = [...new Set(placed.map((e) => match(schedulerChoosingHost, e)!.host))];
  const placedBefore = { instances: placed.length, hosts };
  const { left, claims } = leftAfterClaims(placed, related, hosts);
  const lead = `The filter scheduler gave ${placed.length} of the request's instances a host first (${hosts.join(', ')}), their resources taken from those hosts in its view, and found none for the last ${n === 1 ? 'one' : n}`;
  if (!left)
    return {
      remediation: [],
      placedBefore,
      evidence: placed,
      gap: unknownFilterGap,
      summary: `${lead}: its filters left none, ${raised}.`,
    };
  const said = left.map(
    (l) => `${l.host} had ${l.left.toFixed(2)} ${l.unit} of ${UNIT_NAME[l.unit]} left under its limit of ${l.limit.toFixed(2)} ${l.unit}`,
  );
  const filters = [...new Set(left.map((l) => l.filter))];
  return {
    remediation: limitRemediation(left),
    placedBefore,
    leftUnderLimit: left,
    evidence: [...placed, ...claims],
    gap: `${filters.join(', ')} is inferred, not read: the filters of these releases log their counts at DEBUG; the computes' claims of the instances placed carry the limit that filter set, and what was left under it`,
    summary: `${lead}: after them, in the computes' own claims, ${said.join('; ')}, less than the ${left[0].asked} ${left[0].unit} each instance asks, so ${filters.join(', ')} had no host left for it, ${raised}.`,
  };
}

const unknownFilterGap =
  "which filter removed the last host is not known: the filters of these releases (Folsom–Icehouse) log their counts at DEBUG, not read; the scheduler's WARNING that set the instance to ERROR, with no exception logged before it, is what its handle_schedule_error writes for NoValidHost alone, which the filter scheduler raised when no host was left for the instance";

/**
 * Per host placed on, the last claim of the instances placed there: for a limit under which less was left than
 * that instance asked (the next of the same flavor asks as much), the filter that set it. Undefined unless every
 * host shows one (a host with room left would have been chosen).
 */
function leftAfterClaims(
  placed: readonly StoredEvent[],
  related: readonly StoredEvent[],
  hosts: readonly string[],
): { left?: LeftUnderLimit[]; claims: StoredEvent[] } {
  const ids = new Set(placed.map((e) => match(schedulerChoosingHost, e)!.instance));
  const claims: StoredEvent[] = [];
  const out: LeftUnderLimit[] = [];
  for (const host of hosts) {
    const lines = related.filter((e) => e.instanceUuid && ids.has(e.instanceUuid) && sameHost(e.host, host));
    const limits = lines.filter((e) => matches(computeClaimLimit, e));
    let found: LeftUnderLimit | undefined;
    for (const unit of ['MB', 'GB', 'VCPU'] as const) {
      const last = limits.findLast((e) => claimLimit(e.message)?.unit === unit);
      if (!last) continue;
      const l = claimLimit(last.message)!;
      const attempt = lines.findLast((e) => e.seq < last.seq && e.instanceUuid === last.instanceUuid && claimAsked(e.message));
      const asked = attempt ? askedOf(claimAsked(attempt.message)!, unit) : undefined;
      if (asked === undefined || l.free - asked >= asked) continue;
      found = { host, filter: LIMIT_FILTER[unit], unit, limit: l.limit, left: l.free - asked, asked };
      claims.push(attempt!, last);
      break;
    }
    if (!found) return { claims: [] };
    out.push(found);
  }
  return { left: out, claims };
}
