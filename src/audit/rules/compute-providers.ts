import type { Finding } from '../../model/finding.js';
import type { AuditRule } from '../rule.js';

/** Compute nodes and resource providers should pair up by uuid: each side missing the other is a finding. */
export const computeProviders: AuditRule = {
  id: 'compute-providers',
  title: 'Compute nodes and providers that do not pair up',
  findings: [
    {
      code: 'compute-node-without-provider',
      title: 'A compute node has no resource provider',
      checks: 'a compute node whose uuid has no resource provider',
      causes: [{ code: 'provider-missing', decidedBy: "no resource_providers row with the compute node's uuid" }],
      severity: 'warning',
      remediation: 'restart the nova-compute of that host so that it recreates its provider, and check it can reach placement',
    },
    {
      code: 'provider-without-compute-node',
      title: 'A compute provider has no compute node',
      checks: 'a root provider with VCPU/MEMORY_MB/PCPU inventory and no compute node of its uuid (held back while a cell is not dumped)',
      causes: [{ code: 'stale-provider', decidedBy: "no compute_nodes row of the provider's uuid in any dumped cell" }],
      severity: 'warning when allocations remain, else info',
      remediation: 'move or delete its allocations, then delete the stale provider',
    },
  ],
  check(ix) {
    const p = ix.facts.placement;
    if (!p || ix.facts.cells.length === 0) return [];
    const findings: Finding[] = [];
    for (const cell of ix.facts.cells) {
      for (const cn of cell.computeNodes) {
        if (cn.deleted !== 0 || !cn.uuid || ix.providersByUuid.has(cn.uuid)) continue;
        findings.push({
          code: 'compute-node-without-provider',
          cause: 'provider-missing',
          severity: 'warning',
          subject: { host: cn.host, providerUuid: cn.uuid },
          evidence: [
            { text: `${cell.db}.compute_nodes: ${cn.hypervisorHostname ?? cn.host} uuid ${cn.uuid}`, source: cn.source },
            {
              text: `${p.db}.resource_providers: no provider with uuid ${cn.uuid}`,
              source: { db: p.db, table: 'resource_providers', key: cn.uuid },
            },
          ],
          explanation: `Compute node ${cn.hypervisorHostname ?? cn.host} has no resource provider: nova-compute did not (or could not) report it to placement, so the scheduler never considers it.`,
          remediation: [
            {
              command: `systemctl restart nova-compute   # on ${cn.host}, or restart its container`,
              why: 'the resource tracker creates the provider on start; check the compute log for placement errors if it does not',
            },
          ],
        });
      }
    }
    // A compute of a cell the dump lacks would back its provider: absence proves nothing then.
    const cellsComplete = ix.missingCells.length === 0;
    for (const rp of p.resourceProviders) {
      if (!cellsComplete) break;
      if (rp.parentProviderId !== undefined && rp.parentProviderId !== rp.id) continue;
      const inv = ix.inventories.get(rp.id);
      if (!inv || !(inv.has('VCPU') || inv.has('MEMORY_MB') || inv.has('PCPU'))) continue;
      if (ix.computeByUuid.has(rp.uuid)) continue;
      let holding = 0;
      for (const byP of ix.allocationsByConsumer.values()) if (byP.has(rp.id)) holding++;
      findings.push({
        code: 'provider-without-compute-node',
        cause: 'stale-provider',
        severity: holding > 0 ? 'warning' : 'info',
        subject: { providerUuid: rp.uuid, host: rp.name },
        evidence: [
          {
            text: `${p.db}.resource_providers: ${rp.name ?? ''} uuid ${rp.uuid}${holding ? `, ${holding} consumer(s) allocated` : ''}`,
            source: rp.source,
          },
          {
            text: `no compute_nodes row with uuid ${rp.uuid} in ${ix.facts.cells.map((c) => c.db).join(', ')}`,
            source: { db: ix.facts.cells[0].db, table: 'compute_nodes', key: rp.uuid },
          },
        ],
        explanation: `Provider ${rp.name ?? rp.uuid} offers compute resources but no compute node has its uuid: the compute service was deleted or its node re-created under a new uuid. ${holding ? 'Its allocations still count against it.' : 'It holds no allocations.'}`,
        remediation: holding
          ? [
              {
                command: `openstack resource provider show --allocations ${rp.uuid}`,
                why: 'find the allocations still on it before removing anything',
              },
            ]
          : [
              {
                command: `openstack resource provider delete ${rp.uuid}`,
                why: 'removes the provider no compute node backs; check no compute service will come back with this uuid',
              },
            ],
      });
    }
    return findings;
  },
};
