import type { Finding } from '../../model/finding.js';
import type { AuditRule } from '../rule.js';
import { mapInstances } from '../../facts/remediation-commands.js';

/**
 * nova_api knows where an instance lives only through instance_mappings:
 * without a row, the API answers 404 for a running VM (seed 000). Also:
 * mappings that point to a cell that no longer exists, and build requests
 * left behind by builds that did reach a cell.
 */
export const instanceMappings: AuditRule = {
  id: 'instance-mappings',
  title: 'Instances the API cannot find',
  findings: [
    {
      code: 'missing-instance-mapping',
      title: 'A live instance has no instance mapping',
      checks: 'a live instance in a cell without an instance_mappings row: the API answers 404',
      causes: [{ code: 'missing-instance-mapping', decidedBy: 'no instance_mappings row (or one with no cell) for a live instances row' }],
      severity: 'error',
      remediation: 'nova-manage cell_v2 map_instances for its cell',
    },
    {
      code: 'instance-mapping-bad-cell',
      title: 'An instance mapping names a cell that does not exist',
      checks: 'a mapping to a cell_id absent from cell_mappings',
      causes: [{ code: 'missing-cell', decidedBy: 'the cell_id has no cell_mappings row' }],
      severity: 'error',
      remediation: 'map the instance to its real cell again (nova-manage cell_v2 map_instances --reset)',
    },
    {
      code: 'stale-build-request',
      title: 'A build request outlived its build',
      checks: 'a build_requests row for an instance that exists in a cell',
      causes: [{ code: 'stale-build-request', decidedBy: 'the instance is in a cell database while its build request remains' }],
      severity: 'info',
      remediation: 'nothing urgent: the API may show the instance twice until the row goes',
    },
  ],
  check(ix) {
    const api = ix.facts.api;
    if (!api) return [];
    const findings: Finding[] = [];
    for (const cell of ix.facts.cells) {
      const mapping = ix.cellOfDb(cell.db);
      for (const i of cell.instances) {
        if (ix.isDeleted(i)) continue;
        // A mapping without a cell (a build that was never finished) leaves the API as blind as none.
        const existing = ix.instanceMappings.get(i.uuid);
        if (existing && existing.cellId !== undefined) continue;
        findings.push({
          code: 'missing-instance-mapping',
          cause: 'missing-instance-mapping',
          severity: 'error',
          subject: { instanceUuid: i.uuid, host: i.host },
          evidence: [
            {
              text: `${cell.db}.instances: ${i.uuid} (${i.displayName ?? ''}) vm_state=${i.vmState} host=${i.host ?? 'NULL'}, not deleted`,
              source: i.source,
            },
            existing
              ? { text: `${api.db}.instance_mappings: ${i.uuid} has cell_id NULL`, source: existing.source }
              : {
                  text: `${api.db}.instance_mappings: no row for ${i.uuid}`,
                  source: { db: api.db, table: 'instance_mappings', key: i.uuid },
                },
          ],
          explanation: `Instance ${i.uuid}${i.displayName ? ` (${i.displayName})` : ''} exists in ${cell.db}${i.host ? ` and runs on ${i.host}` : ''}, but nova_api.instance_mappings ${existing ? 'maps it to no cell (cell_id NULL)' : 'has no row for it'}. The API looks up an instance's cell through that table, so it answers "Instance ${i.uuid} could not be found." (HTTP 404) and no action on the server is possible, although the VM may be running.`,
          remediation: existing
            ? [
                {
                  command: `UPDATE nova_api.instance_mappings SET cell_id = ${mapping?.id ?? `<id of the cell whose database is ${cell.db}>`} WHERE instance_uuid = '${i.uuid}' AND cell_id IS NULL;`,
                  why: 'map_instances skips instances that have a mapping row, so the NULL cell must be set by hand; back up nova_api first',
                },
              ]
            : [
                mapInstances(
                  ix,
                  mapping?.uuid,
                  cell.db,
                  "creates instance_mappings rows for the cell's instances that have none; run it until it reports nothing left",
                ),
              ],
          details: { cellDb: cell.db, cellUuid: mapping?.uuid },
        });
      }
    }
    const cellIds = new Set(api.cellMappings.map((c) => c.id));
    for (const m of api.instanceMappings) {
      if (m.cellId === undefined || cellIds.has(m.cellId)) continue;
      findings.push({
        code: 'instance-mapping-bad-cell',
        cause: 'missing-cell',
        severity: 'error',
        subject: { instanceUuid: m.instanceUuid },
        evidence: [
          { text: `${api.db}.instance_mappings: ${m.instanceUuid} → cell_id ${m.cellId}`, source: m.source },
          {
            text: `${api.db}.cell_mappings: no cell with id ${m.cellId} (cells: ${[...cellIds].join(', ') || 'none'})`,
            source: { db: api.db, table: 'cell_mappings', key: String(m.cellId) },
          },
        ],
        explanation: `Instance ${m.instanceUuid} is mapped to cell ${m.cellId}, which is not in cell_mappings: the cell was removed while instances still pointed to it. The API cannot reach this instance.`,
        remediation: [
          {
            command: `nova-manage cell_v2 list_cells --verbose`,
            why: 'find the cell that holds the instance now, then re-map it (map_instances on that cell) or restore the cell mapping',
          },
        ],
      });
    }
    for (const b of api.buildRequests) {
      if (!b.instanceUuid) continue;
      const inst = ix.instance(b.instanceUuid);
      if (!inst) continue;
      findings.push({
        code: 'stale-build-request',
        cause: 'stale-build-request',
        severity: 'info',
        subject: { instanceUuid: b.instanceUuid },
        evidence: [
          { text: `${api.db}.build_requests: ${b.instanceUuid} created ${b.createdAt ?? '?'}`, source: b.source },
          { text: `${inst.cellDb}.instances: ${inst.uuid} exists (vm_state ${inst.vmState})`, source: inst.source },
        ],
        explanation: `A build request for ${b.instanceUuid} remains although the instance was created in ${inst.cellDb}: the conductor should have deleted it. The API may list the server twice or in a stale state.`,
        remediation: [
          {
            command: `openstack server show ${b.instanceUuid}`,
            why: 'check the server; a stale build request is removed when the server is deleted',
          },
        ],
      });
    }
    return findings;
  },
};
