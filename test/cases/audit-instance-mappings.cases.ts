import { instanceMappings } from '../../src/audit/rules/instance-mappings.js';
import { PIKE } from '../../scripts/samples/cloud-pike.js';
import { caseTable } from '../helpers/case-table.js';
import { Db } from '../helpers/facts.js';
import { antelopeFacts, pikeFacts } from '../helpers/sample-facts.js';
import { softDeletedAndNullCell, unpaired } from '../helpers/audit-dbs.js';

/** audit instance-mappings: instances the API cannot find (seed 000), mappings to a cell gone, build requests left over. */

const RP1 = '11111111-1111-4111-8111-111111111111';
const I1 = 'e0000000-0000-4000-8000-000000000001';
const I2 = 'e0000000-0000-4000-8000-000000000002';

caseTable(instanceMappings, {
  valid: [
    { name: 'live instances, each mapped to its cell', db: () => new Db().compute(1, 'h1', RP1).instance(I1, 'h1').instance(I2, 'h1') },
    {
      name: 'a deleted instance without a mapping (archived mappings go with it), and a build request still in flight',
      db: () =>
        new Db()
          .compute(1, 'h1', RP1)
          .instance(I1, 'h1', { id: 31, deleted: 31, vm_state: 'deleted', __mapped: 0 })
          .row('nova_api', 'build_requests', { id: 1, instance_uuid: I2, project_id: 'p' }),
    },
    { name: 'seeds 001–004 (2023.1 sample): every live instance mapped', db: antelopeFacts },
  ],
  invalid: [
    {
      name: 'seed 000 (Pike sample): the running instance whose mapping was deleted, and four mappings to the deleted cell',
      db: pikeFacts,
      expect: [
        {
          code: 'missing-instance-mapping',
          cause: 'missing-instance-mapping',
          subject: { instanceUuid: PIKE.unmapped },
          explanation: /could not be found/,
          firstCommand: /^nova-manage cell_v2 map_instances --cell_uuid /,
        },
        { code: 'instance-mapping-bad-cell', cause: 'missing-cell', count: 4 },
      ],
    },
    {
      name: 'a mapping with cell_id NULL leaves the API blind (beside a soft-deleted instance): the cell is set by hand, map_instances would skip it',
      db: softDeletedAndNullCell,
      expect: [
        {
          code: 'missing-instance-mapping',
          cause: 'missing-instance-mapping',
          severity: 'error',
          subject: { instanceUuid: I2 },
          explanation: /cell_id NULL/,
          firstCommand:
            /^UPDATE nova_api\.instance_mappings SET cell_id = 2 WHERE instance_uuid = 'e0000000-0000-4000-8000-000000000002' AND cell_id IS NULL;$/,
        },
      ],
    },
    {
      name: 'a build request left behind by a build that reached its cell (beside computes and providers that do not pair)',
      db: unpaired,
      expect: [
        {
          code: 'stale-build-request',
          cause: 'stale-build-request',
          severity: 'info',
          subject: { instanceUuid: 'a0000000-0000-4000-8000-00000000000c' },
          firstCommand: 'openstack server show a0000000-0000-4000-8000-00000000000c',
        },
      ],
    },
  ],
});
