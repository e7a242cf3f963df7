import type { Evidence, Finding } from '../../model/finding.js';
import type { AuditRule } from '../rule.js';
import { discoverHosts } from '../../facts/remediation-commands.js';

/**
 * Computes nova knows (compute_nodes, nova-compute services) that have no
 * host_mappings row: the scheduler may pick them, and the conductor then buries
 * the build in cell0 ("No host-to-cell mapping found for selected host").
 */
export const unmappedHosts: AuditRule = {
  id: 'unmapped-hosts',
  title: 'Compute hosts missing from host_mappings',
  findings: [
    {
      code: 'unmapped-host',
      title: 'A compute host is missing from host_mappings',
      checks: 'a compute in compute_nodes or services without a host_mappings row',
      causes: [{ code: 'host-not-mapped', decidedBy: 'no host_mappings row for the host' }],
      severity: 'error',
      remediation: 'nova-manage cell_v2 discover_hosts (with --by-service when the node is already flagged mapped)',
    },
  ],
  check(ix) {
    const api = ix.facts.api;
    if (!api) return [];
    const seen = new Map<string, Evidence[]>();
    const cellOf = new Map<string, string>();
    /** Hosts plain discover_hosts would map: a compute_nodes row with mapped=0 (or a release without the column). */
    const discoverable = new Set<string>();
    for (const cell of ix.facts.cells) {
      for (const cn of cell.computeNodes) {
        if (cn.deleted !== 0 || !cn.host || ix.mappedHosts.has(cn.host)) continue;
        const ev = seen.get(cn.host) ?? [];
        ev.push({
          text: `${cell.db}.compute_nodes: ${cn.hypervisorHostname ?? cn.host} (uuid ${cn.uuid ?? '?'}) on host ${cn.host}${cn.mapped === 0 ? ', mapped=0' : ''}`,
          source: cn.source,
        });
        seen.set(cn.host, ev);
        cellOf.set(cn.host, cell.db);
        if (cn.mapped !== 1) discoverable.add(cn.host);
      }
      for (const s of cell.services) {
        if (s.deleted !== 0 || s.binary !== 'nova-compute' || !s.host || ix.mappedHosts.has(s.host)) continue;
        const ev = seen.get(s.host) ?? [];
        ev.push({
          text: `${cell.db}.services: nova-compute on ${s.host}, last seen ${s.lastSeenUp ?? s.updatedAt ?? '?'}${s.disabled ? ', disabled' : ''}`,
          source: s.source,
        });
        seen.set(s.host, ev);
        cellOf.set(s.host, cell.db);
      }
    }
    const findings: Finding[] = [];
    for (const [host, evidence] of seen) {
      const cellDb = cellOf.get(host)!;
      const cell = ix.cellOfDb(cellDb);
      evidence.push({
        text: `${api.db}.host_mappings: no row for ${host} (${api.hostMappings.length} hosts are mapped)`,
        source: { db: api.db, table: 'host_mappings', key: host },
      });
      findings.push({
        code: 'unmapped-host',
        cause: 'host-not-mapped',
        severity: 'error',
        subject: { host },
        evidence,
        explanation: `${host} runs nova-compute in ${cellDb}, but nova_api.host_mappings has no row for it: nova-manage cell_v2 discover_hosts was not run after it was added. The scheduler can still pick it (placement has its provider), and every build sent there is buried in cell0 with "No host-to-cell mapping found for selected host".`,
        remediation: [
          discoverHosts(
            ix,
            cell?.uuid,
            !discoverable.has(host),
            'creates the missing host_mappings row so builds on this host reach its cell; or set [scheduler] discover_hosts_in_cells_interval to have the scheduler do it periodically',
          ),
        ],
        details: { cellDb, cellUuid: cell?.uuid },
      });
    }
    return findings;
  },
};
