import { cellsDumped } from '../../src/audit/rules/cells-dumped.js';
import { caseTable } from '../helpers/case-table.js';
import { cell2NotDumped, everyCellDumped, RP1 } from '../helpers/audit-dbs.js';
import { Db } from '../helpers/facts.js';
import { antelopeFacts, pikeFacts } from '../helpers/sample-facts.js';

/** audit cells-dumped: cells nova_api maps that the dump does not hold. */

caseTable(cellsDumped, {
  valid: [
    { name: 'cell0 and cell1 mapped, both dumped', db: () => new Db().compute(1, 'h1', RP1) },
    { name: 'every cell dumped, beside a provider and a consumer no cell knows', db: everyCellDumped },
    { name: 'seed 000 (Pike sample): the deleted cell is gone from cell_mappings too, the mapped ones are dumped', db: pikeFacts },
    { name: 'seeds 001–004 (2023.1 sample): every mapped cell dumped', db: antelopeFacts },
    { name: 'no nova_api in the dump: no cell mapping to hold the cells against', db: () => ({ cells: [], dumps: [] }) },
  ],
  invalid: [
    {
      name: 'a cell mapped but not dumped: said once, with its database',
      db: cell2NotDumped,
      expect: [
        {
          code: 'cell-not-dumped',
          cause: 'missing-cell',
          severity: 'warning',
          details: { database: 'nova_cell2', cellName: 'cell2', cellUuid: 'cccccccc-0000-0000-0000-000000000002' },
          firstCommand: /^mysqldump --single-transaction --databases nova_cell2 /,
        },
      ],
    },
  ],
});
