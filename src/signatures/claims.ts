import type { Event } from '../model/event.js';
import type { Signature } from './signature.js';

/**
 * The compute's own resource claim before a build or a move (nova/compute/claims.py, Icehouse–Stein; placement claims
 * from Pike on, and Train removed these): what the instance asked for, then for each resource with a limit, the limit
 * and what was free under it. The claim fails when it asked for more than was free, and that failure is logged only at
 * DEBUG ("Insufficient compute resources: Free disk 18.00 GB < requested 60 GB") before the build is rescheduled, so an
 * INFO log shows it by these numbers alone. Read by structure: the resource names were translated (`_("disk")`), and
 * before Pike the whole line could be; the numbers and their units were not.
 */

export interface ClaimAsked {
  memoryMb?: number;
  diskGb?: number;
  vcpus?: number;
}

/** "Attempting claim[ on node N]: memory 2048 MB, disk 60 GB, vcpus 1 CPU" (Icehouse: ", VCPUs 1"; Kilo–Liberty: no vcpus). */
export function claimAsked(message: string): ClaimAsked | undefined {
  // The claim's first line has whole numbers only; the lines after it carry "%.02f" figures.
  if (/\d\.\d/.test(message)) return undefined;
  const mb = /(\d+) MB\b/.exec(message);
  const gb = /(\d+) GB\b/.exec(message);
  if (!mb || !gb || mb.index > gb.index) return undefined;
  const cpu = /(\d+) CPU\b/.exec(message) ?? /\bVCPUs (\d+)/.exec(message);
  return { memoryMb: Number(mb[1]), diskGb: Number(gb[1]), ...(cpu ? { vcpus: Number(cpu[1]) } : {}) };
}

export interface ClaimLimit {
  /** As logged (translated where the log was): memory, disk, vcpu. */
  type: string;
  unit: 'MB' | 'GB' | 'VCPU';
  limit: number;
  free: number;
}

const LIMIT = /^(?<type>.+?) \S+: (?<limit>-?\d+\.\d\d) (?<unit>MB|GB|VCPU), \S+: (?<free>-?\d+\.\d\d) \k<unit>\s*$/;

/** "disk limit: 199.00 GB, free: 18.00 GB": a limit and what was free under it, both "%.02f". */
export function claimLimit(message: string): ClaimLimit | undefined {
  const g = LIMIT.exec(message)?.groups;
  return g ? { type: g.type, unit: g.unit as ClaimLimit['unit'], limit: Number(g.limit), free: Number(g.free) } : undefined;
}

/** What the claim asked of the resource a limit line is about. */
export function askedOf(asked: ClaimAsked, unit: ClaimLimit['unit']): number | undefined {
  return unit === 'MB' ? asked.memoryMb : unit === 'GB' ? asked.diskGb : asked.vcpus;
}

export const computeClaimAttempt: Signature = {
  id: 'compute.claim-attempt',
  description: "A compute's resource claim for an instance: the memory, disk and vCPUs it asked of the host (before placement claimed).",
  source: 'nova/compute/claims.py Claim._claim_test (Icehouse–Stein; AUDIT before Kilo, INFO after)',
  routine: true,
  loggers: ['nova.compute.claims'],
  levels: ['AUDIT', 'INFO'],
  where: (e: Event) => !!e.instanceUuid && claimAsked(e.message) !== undefined,
  samples: [
    {
      line: 'INFO nova.compute.claims [req-ac70ea37-c0df-4909-8322-2...- - -] [instance: BE099D73-3273-489C-B468-1772C17A2A74] Attempting claim: memory 2048 MB, disk 60 GB, vcpus 1 CPU',
      seen: 'test/corpus/real/e-com-net-1176858659192385536-claim-disk-limit (Mitaka–Pike), copied without times',
      pasted: true,
    },
    {
      line: 'Sep 05 09:02:06 leg-004 nova-compute[15144]: INFO nova.compute.claims [None req-c8cd4884-6858-4438-ab57-07ac3adeefbe admin admin] [instance: b500a3d8-89b8-45ab-8725-c2420e6d7e98] Attempting claim on node leg-004: memory 2048 MB, disk 20 GB, vcpus 1 CPU',
      seen: 'test/corpus/real/github-lxc-lxc-issue1786 (devstack journal, Pike)',
    },
  ],
};

export const computeClaimLimit: Signature = {
  id: 'compute.claim-limit',
  description:
    "A compute's claim: a resource's limit (its total times the allocation ratio) and what was free under it; the claim fails when the instance asked for more.",
  source: 'nova/compute/claims.py Claim._test (Icehouse–Stein)',
  routine: true,
  loggers: ['nova.compute.claims'],
  levels: ['AUDIT', 'INFO'],
  where: (e: Event) => !!e.instanceUuid && claimLimit(e.message) !== undefined,
  samples: [
    {
      line: 'INFO nova.compute.claims [req-ac70ea37-c0df-4909-8322-2...- - -] [instance: BE099D73-3273-489C-B468-1772C17A2A74] disk limit: 199.00 GB, free: 18.00 GB',
      seen: 'test/corpus/real/e-com-net-1176858659192385536-claim-disk-limit (Mitaka–Pike), copied without times',
      pasted: true,
    },
  ],
};

export interface ClaimRefusal extends ClaimLimit {
  asked: number;
  /** nova's own reason for it, as ComputeResourcesUnavailable says it. */
  reason: string;
}

/**
 * A claim's limit line that refused the claim: the same instance's last claim attempt before it, in the same file,
 * asked for more than was free. Undefined when it fitted, or no attempt of it was read.
 */
export function claimRefusal(limitLine: Event & { seq: number }, events: readonly (Event & { seq: number })[]): ClaimRefusal | undefined {
  const l = claimLimit(limitLine.message);
  if (!l || !limitLine.instanceUuid) return undefined;
  let asked: ClaimAsked | undefined;
  for (const e of events)
    if (e.seq < limitLine.seq && e.file === limitLine.file && e.instanceUuid === limitLine.instanceUuid)
      asked = claimAsked(e.message) ?? asked;
  const n = asked ? askedOf(asked, l.unit) : undefined;
  if (n === undefined || n <= l.free) return undefined;
  return { ...l, asked: n, reason: `Free ${l.type} ${l.free.toFixed(2)} ${l.unit} < requested ${n} ${l.unit}` };
}

export interface ClaimTotal {
  unit: 'MB' | 'GB' | 'VCPU';
  total: number;
  used: number;
}

const TOTAL = /^(?<type>.+?): (?<total>\d+) (?<unit>MB|GB|VCPUs), \S+: (?<used>-?\d+\.\d\d) \k<unit>\s*$/;

/** "Total Memory: 15431 MB, used: 6656.00 MB": a resource's total on the host and what was used, as a claim began. */
export function claimTotal(message: string): ClaimTotal | undefined {
  const g = TOTAL.exec(message)?.groups;
  return g ? { unit: g.unit === 'VCPUs' ? 'VCPU' : (g.unit as 'MB' | 'GB'), total: Number(g.total), used: Number(g.used) } : undefined;
}

export const computeClaimTotal: Signature = {
  id: 'compute.claim-total',
  description: "A compute's claim: a resource's total on the host and what was used before it (what its limit is measured against).",
  source: 'nova/compute/claims.py Claim._test (Havana–Liberty; AUDIT before Kilo, INFO after)',
  routine: true,
  loggers: ['nova.compute.claims'],
  levels: ['AUDIT', 'INFO'],
  where: (e: Event) => !!e.instanceUuid && claimTotal(e.message) !== undefined,
  samples: [
    {
      line: '2014-04-22 11:22:47.244 1579 AUDIT nova.compute.claims [req-07b76f71-00c0-481e-a738-a4728d4164e8 e75374ede9834b41919d07e6a311401c e7dcfe9fe2f143d29e518e41a20553cf] [instance: 699ed187-e91a-4674-ad23-be4f13a84d10] Total Memory: 15431 MB, used: 6656.00 MB',
      seen: 'corpus OpenStackForensics/nova-compute.log (Havana, 2014)',
    },
  ],
};

export interface AuditFree {
  unit: 'MB' | 'GB';
  free: number;
}

/** "Free ram (MB): -7609", "Free disk (GB): -118": what the tracker's audit left free, negative when overcommitted. */
export function auditFree(message: string): AuditFree | undefined {
  const m = /^[^:()]+\((MB|GB)\): (-?\d+)\s*$/.exec(message);
  return m ? { unit: m[1] as 'MB' | 'GB', free: Number(m[2]) } : undefined;
}

/**
 * The resource tracker's periodic audit of the host (Grizzly–Icehouse: one AUDIT line per resource): what was free of its
 * total, whatever the allocation ratios allow above it. With a claim's total and limit it tells what a filter's
 * limit still left, at the audit's time.
 */
export const trackerAuditFree: Signature = {
  id: 'tracker.audit-free',
  description: "The resource tracker's periodic audit: the memory or disk left free of the host's total (negative when overcommitted).",
  source: 'nova/compute/resource_tracker.py _report_final_resource_view (Grizzly–Icehouse AUDIT; Juno kept the disk line only)',
  routine: true,
  hostWide: true,
  loggers: ['nova.compute.resource_tracker'],
  levels: ['AUDIT', 'INFO'],
  // nova's English words: `--instance` reads the host's lines holding them (a host-wide line names no request).
  pattern: /^Free (?:ram|disk) \((?:MB|GB)\): -?\d+\s*$/,
  samples: [
    {
      line: '2014-04-22 11:24:30.262 1579 AUDIT nova.compute.resource_tracker [-] Free ram (MB): -7609',
      seen: 'corpus OpenStackForensics/nova-compute.log (Havana, 2014)',
    },
  ],
};
