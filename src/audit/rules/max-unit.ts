import type { Finding } from '../../model/finding.js';
import type { AuditRule } from '../rule.js';
import { flavorRequests } from './flavor-requests.js';

/**
 * Flavors no provider can ever take: a class asks more than the largest
 * `max_unit` of that class anywhere. `allocation_ratio` raises capacity, not
 * `max_unit` (libvirt sets max_unit = total: one guest cannot use more
 * physical CPUs than the host has), so overcommit does not help.
 */
export const maxUnit: AuditRule = {
  id: 'max-unit',
  title: 'Flavors larger than every provider’s max_unit',
  findings: [
    {
      code: 'max-unit-too-small',
      title: "A flavor asks more than any provider's max_unit",
      checks:
        "a flavor (from flavors or a request spec) asks a class beyond every provider's max_unit; allocation_ratio does not raise max_unit",
      causes: [{ code: 'max-unit-exceeded', decidedBy: "the flavor's amount against the largest max_unit of the class in inventories" }],
      severity: 'error when an instance asked it, else warning',
      remediation: 'use a flavor that fits a host, or add hosts large enough for it',
    },
  ],
  check(ix) {
    if (!ix.facts.placement) return [];
    const largest = new Map<string, { maxUnit: number; provider: string; ratio: number; total: number }>();
    for (const [pid, classes] of ix.inventories) {
      for (const [rc, inv] of classes) {
        const cur = largest.get(rc);
        if (!cur || inv.maxUnit > cur.maxUnit)
          largest.set(rc, {
            maxUnit: inv.maxUnit,
            provider: ix.providers.get(pid)?.name ?? String(pid),
            ratio: inv.allocationRatio,
            total: inv.total,
          });
      }
    }
    const findings: Finding[] = [];
    for (const f of flavorRequests(ix)) {
      for (const [rc, amount] of Object.entries(f.resources)) {
        const l = largest.get(rc);
        if (!l || amount <= l.maxUnit) continue;
        findings.push({
          code: 'max-unit-too-small',
          cause: 'max-unit-exceeded',
          severity: f.instances.length > 0 ? 'error' : 'warning',
          subject: { flavor: f.name, resourceClass: rc },
          resources: f.resources,
          evidence: [
            { text: `flavor ${f.name} asks ${rc}=${amount}`, source: f.source },
            {
              text: `largest ${rc} max_unit of any provider is ${l.maxUnit} (${l.provider}: total ${l.total}, allocation_ratio ${l.ratio})`,
              source: { db: ix.facts.placement!.db, table: 'inventories', key: `resource_class=${rc}` },
            },
          ],
          explanation: `Flavor ${f.name} asks ${amount} ${rc}, more than the largest ${rc} max_unit of any provider (${l.maxUnit} on ${l.provider}). Placement never returns a candidate for it, so every build fails with NoValidHost (reason ""), whatever the free capacity: allocation_ratio ${l.ratio} multiplies capacity, not max_unit.${f.instances.length ? ` Requested by ${f.instances.length} instance(s): ${f.instances.slice(0, 5).join(', ')}.` : ''}`,
          remediation: [
            {
              command: `openstack flavor show ${f.name}`,
              why: `review the flavor; a guest cannot have more ${rc} than one host offers (${l.maxUnit})`,
            },
            {
              command: `openstack server resize --flavor <a flavor with at most ${l.maxUnit} ${rc}> <server>`,
              why: 'use a flavor that fits a host, or add hosts large enough for this one',
            },
          ],
          details: { requested: amount, largestMaxUnit: l.maxUnit, provider: l.provider, allocationRatio: l.ratio, instances: f.instances },
        });
      }
    }
    return findings;
  },
};
