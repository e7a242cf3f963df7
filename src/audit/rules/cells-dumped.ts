import type { Finding } from '../../model/finding.js';
import type { AuditRule } from '../rule.js';

/**
 * Every cell nova_api maps should be in the dump. A missing one is said first,
 * because what it holds is unknown: the orphan and stale-provider rules hold
 * back on consumers and providers not found in the dumped cells.
 */
export const cellsDumped: AuditRule = {
  id: 'cells-dumped',
  title: 'Cells mapped in nova_api but absent from the dump',
  findings: [
    {
      code: 'cell-not-dumped',
      title: 'A mapped cell is not in the dump',
      checks:
        'a cell in cell_mappings (cell0 aside) whose database is not in the dump; consumers not found in the dumped cells are then not called orphans',
      causes: [{ code: 'missing-cell', decidedBy: 'the cell database named by cell_mappings has no tables in any dump read' }],
      severity: 'warning',
      remediation: 'dump that cell database too (mysqldump nova_cellN) and analyse again',
    },
  ],
  check(ix) {
    const api = ix.facts.api;
    if (!api) return [];
    const dumped = ix.facts.cells.map((c) => c.db).join(', ');
    return ix.missingCells.map(
      (cell): Finding => ({
        code: 'cell-not-dumped',
        cause: 'missing-cell',
        severity: 'warning',
        subject: {},
        evidence: [
          {
            text: `${api.db}.cell_mappings: cell ${cell.name ?? ''} ${cell.uuid} uses database ${cell.databaseName}; the dump holds ${dumped}`,
            source: cell.source,
          },
        ],
        explanation: `Cell ${cell.name ?? cell.uuid} (database ${cell.databaseName}) is mapped but was not dumped: its instances, migrations and compute nodes are unknown here. Allocations of consumers and providers not found in the dumped cells are not reported as orphaned or stale.`,
        remediation: [
          {
            command: `mysqldump --single-transaction --databases ${cell.databaseName} | gzip > ${cell.databaseName}.sql.gz   # on that cell's database host`,
            why: 'add this dump to the inputs to check the whole cloud',
          },
        ],
        details: { cellUuid: cell.uuid, cellName: cell.name, database: cell.databaseName },
      }),
    );
  },
};
