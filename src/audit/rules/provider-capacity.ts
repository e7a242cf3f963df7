import type { Finding } from '../../model/finding.js';
import { orphanUsage } from '../../facts/allocation-verdicts.js';
import type { DbIndex } from '../../facts/db-index.js';
import type { AuditRule } from '../rule.js';
import { placementAudit } from '../../facts/remediation-commands.js';
import { flavorRequests } from './flavor-requests.js';
import { amount } from '../../model/amounts.js';

/**
 * Per provider and class: used against capacity `(total - reserved) *
 * allocation_ratio` (placement's rule). Over capacity is an error; a provider
 * that cannot fit the smallest flavor, or has less than 5% left, is nearly
 * full (info). The share of orphan and doubled allocations is given, since
 * that is capacity an operator can win back.
 */

const NEARLY_FULL = 0.05;

export const providerCapacity: AuditRule = {
  id: 'provider-capacity',
  title: 'Providers over (or nearly at) capacity',
  findings: [
    {
      code: 'provider-over-capacity',
      title: 'A provider is over (or nearly at) capacity',
      checks:
        'per provider and class, usage above (total − reserved) × allocation_ratio; nearly full (less than 5% left, or less than the smallest flavor asks) is info; the orphaned and doubled share of the usage is given',
      causes: [{ code: 'insufficient-capacity', decidedBy: "the provider's usage against its capacity" }],
      severity: 'error, or info when nearly full',
      remediation: 'remove orphaned allocations, move instances off, or raise capacity',
    },
  ],
  check(ix: DbIndex) {
    const orphanUse = orphanUsage(ix);
    const smallest = new Map<string, number>();
    for (const f of flavorRequests(ix)) {
      for (const [rc, n] of Object.entries(f.resources)) smallest.set(rc, Math.min(smallest.get(rc) ?? Infinity, n));
    }
    const findings: Finding[] = [];
    for (const [pid, classes] of ix.inventories) {
      for (const rc of classes.keys()) {
        const u = ix.usage(pid, rc)!;
        const o = orphanUse.get(`${pid}|${rc}`);
        const over = u.used > u.capacity;
        const min = smallest.get(rc);
        const cannotFitSmallest = min !== undefined && u.headroom < min;
        const nearly = !over && (u.headroom < u.capacity * NEARLY_FULL || cannotFitSmallest);
        if (!over && !nearly) continue;
        const inv = u.inventory;
        const name = u.provider.name ?? u.provider.uuid;
        const fig = `${rc} used ${u.used} of capacity ${amount(u.capacity)} = (total ${inv.total} - reserved ${inv.reserved}) × allocation_ratio ${inv.allocationRatio}`;
        const orphanText = o
          ? ` Of the usage, ${o.orphan} ${rc} belong to allocations nothing justifies (${o.consumers.length} consumer${o.consumers.length > 1 ? 's' : ''}${o.doubled ? `, ${o.doubled} of it held by consumers doubled across hosts` : ''}); without them the headroom would be ${amount(u.headroom + o.orphan)}.`
          : '';
        findings.push({
          code: 'provider-over-capacity',
          cause: 'insufficient-capacity',
          severity: over ? 'error' : 'info',
          subject: { providerUuid: u.provider.uuid, resourceClass: rc, host: name },
          evidence: [
            {
              text: `${inv.source.db}.inventories: ${name} ${rc} total=${inv.total} reserved=${inv.reserved} allocation_ratio=${inv.allocationRatio} max_unit=${inv.maxUnit}`,
              source: inv.source,
            },
            {
              text: `${inv.source.db}.allocations: ${rc} used on ${name} sums to ${u.used}`,
              source: { db: inv.source.db, table: 'allocations', key: `resource_provider_id=${pid}` },
            },
          ],
          explanation: over
            ? `${name} is over capacity: ${fig}, headroom ${amount(u.headroom)}. Placement offers it for no request that needs ${rc}.${orphanText}`
            : `${name} is nearly full: ${fig}, headroom ${amount(u.headroom)}${cannotFitSmallest ? `, less than the smallest flavor's ${min} ${rc}` : ''}.${orphanText}`,
          remediation: o
            ? [
                {
                  command: `openstack resource provider show --allocations ${u.provider.uuid}`,
                  why: 'lists the consumers allocated here; the orphan-allocation findings give each orphan its own command',
                },
                ...[
                  placementAudit(ix, u.provider.uuid, false, "nova's own list of the orphaned allocations on this provider"),
                  placementAudit(ix, u.provider.uuid, true, 'removes them once reviewed, returning the capacity'),
                ].filter((x) => x !== undefined),
              ]
            : [
                {
                  command: `openstack resource provider usage show ${u.provider.uuid}`,
                  why: 'check the live usage; add capacity or move instances if it matches',
                },
              ],
          details: {
            total: inv.total,
            reserved: inv.reserved,
            allocationRatio: inv.allocationRatio,
            capacity: u.capacity,
            used: u.used,
            headroom: u.headroom,
            maxUnit: inv.maxUnit,
            orphanUsed: o?.orphan ?? 0,
            doubledUsed: o?.doubled ?? 0,
            smallestFlavor: min,
          },
        });
      }
    }
    return findings;
  },
};
