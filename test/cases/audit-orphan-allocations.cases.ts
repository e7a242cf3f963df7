import { orphanAllocations } from '../../src/audit/rules/orphan-allocations.js';
import { UUIDS } from '../../scripts/samples/cloud-antelope.js';
import { PIKE } from '../../scripts/samples/cloud-pike.js';
import { caseTable, exact, has } from '../helpers/case-table.js';
import { cell2NotDumped, everyCellDumped, RP1, RP2, softDeletedAndNullCell, staleSecondProvider } from '../helpers/audit-dbs.js';
import { Db } from '../helpers/facts.js';
import { antelopeFacts, pikeFacts } from '../helpers/sample-facts.js';

/**
 * audit orphan-allocations: allocations no instance on that node nor a
 * migration in progress through it justifies (seeds 000, 003, 004), and the
 * commands to remove them, which follow the release (Pike has no unset).
 */

const STALE = 'a0000000-0000-4000-8000-000000000009';

caseTable(orphanAllocations, {
  valid: [
    {
      name: 'justified allocations: on the instance node, a migration in progress, a build in flight',
      db: () =>
        new Db()
          .compute(1, 'h1', RP1)
          .compute(2, 'h2', RP2)
          .instance('a0000000-0000-4000-8000-000000000001', 'h1')
          .allocate('a0000000-0000-4000-8000-000000000001', 1)
          // live migration h1 → h2 running: the migration holds h1, the instance h2 (its task_state says it is moving)
          .instance('a0000000-0000-4000-8000-000000000002', 'h1', { task_state: 'migrating' })
          .migration('b0000000-0000-4000-8000-000000000002', 'a0000000-0000-4000-8000-000000000002', 'h1', 'h2', 'running')
          .allocate('b0000000-0000-4000-8000-000000000002', 1)
          .allocate('a0000000-0000-4000-8000-000000000002', 2)
          // being built: no host yet, the scheduler claimed on h2
          .instance('a0000000-0000-4000-8000-000000000003', null, { vm_state: 'building' })
          .allocate('a0000000-0000-4000-8000-000000000003', 2),
    },
    { name: 'a consumer found in no dumped cell while a mapped cell is not dumped: it may live in cell2', db: cell2NotDumped },
    {
      name: 'a soft-deleted instance keeps its allocation (restorable), beside a live instance mapped to no cell',
      db: softDeletedAndNullCell,
    },
  ],
  invalid: [
    {
      name: 'seed 000 (Pike sample): the doubled consumer 01b6377f is one finding with both providers; 40+ deleted instances kept theirs',
      db: pikeFacts,
      expect: [
        {
          code: 'orphan-allocation',
          cause: 'unknown-consumer',
          where: { subject: { consumerUuid: PIKE.doubled } },
          resources: exact({
            [PIKE.rp.compute1]: { VCPU: 1, MEMORY_MB: 1024, DISK_GB: 10 },
            [PIKE.rp.compute3]: { VCPU: 1, MEMORY_MB: 1024, DISK_GB: 10 },
          }),
          details: { doubled: true },
          commands: [`openstack resource provider allocation delete ${PIKE.doubled}`],
        },
        // instances deleted in nova whose allocations stayed
        { code: 'orphan-allocation', cause: 'instance-deleted', where: { cause: 'instance-deleted' }, count: { min: 40 } },
      ],
      // the healthy VM
      none: [{ subject: { consumerUuid: PIKE.healthy } }],
    },
    {
      name: 'seed 003 (2023.1 sample): the instance deleted by hand (deleted=1, not its id) keeps 12 VCPU / 32768 MB / 80 GB on cmp02',
      db: antelopeFacts,
      expect: [
        {
          code: 'orphan-allocation',
          cause: 'instance-deleted',
          where: { subject: { consumerUuid: UUIDS.batch3 } },
          resources: exact({ [UUIDS.rp.cmp02]: { VCPU: 12, MEMORY_MB: 32768, DISK_GB: 80 } }),
          explanation: /deleted=1, but nova's own soft delete sets deleted to the row id 80123/,
        },
      ],
    },
    {
      name: 'seed 004 (2023.1 sample): the build buried in cell0 after landing on unmapped cmp03 left its claim there',
      db: antelopeFacts,
      expect: [{ code: 'orphan-allocation', cause: 'host-not-mapped', where: { subject: { consumerUuid: UUIDS.app07 } } }],
    },
    {
      name: '2023.1 sample: a failed migration still holding its source allocation; the completed one and live instances hold nothing',
      db: antelopeFacts,
      expect: [
        {
          code: 'orphan-allocation',
          cause: 'failed-migration',
          where: { subject: { consumerUuid: UUIDS.migOld } },
          subject: { migrationUuid: UUIDS.migOld },
        },
      ],
      // live instances on their own hosts are never orphans
      none: [UUIDS.migOk, UUIDS.web01, UUIDS.db01, UUIDS.cache02, UUIDS.web02].map((u) => ({ subject: { consumerUuid: u } })),
    },
    {
      name: 'a live instance with a stale second provider: one finding for that provider only, with a partial remediation',
      db: () => staleSecondProvider(),
      expect: [
        {
          code: 'orphan-allocation',
          cause: 'failed-migration',
          subject: { providerUuid: RP2, instanceUuid: STALE },
          commands: [/allocation unset --provider 22222222-/],
          // a live instance keeps its good allocation
          noCommands: [has('allocation delete')],
        },
      ],
    },
    {
      name: 'Pike (service version 22) has no allocation unset, placement audit or heal --force: the allocations are set again',
      db: () => staleSecondProvider(22),
      expect: [
        {
          code: 'orphan-allocation',
          cause: 'failed-migration',
          commands: [`openstack resource provider allocation set --allocation rp=${RP1},VCPU=1,MEMORY_MB=1024,DISK_GB=10 ${STALE}`],
          noCommands: [/allocation unset|placement audit|--force/],
        },
      ],
    },
    {
      name: 'Victoria (service version 53) has allocation unset and placement audit',
      db: () => staleSecondProvider(53),
      expect: [
        {
          code: 'orphan-allocation',
          cause: 'failed-migration',
          commands: [has('allocation unset --provider'), `nova-manage placement audit --resource_provider ${RP2} --verbose`],
        },
      ],
    },
    {
      name: 'every cell dumped: a consumer that is no instance in any cell nor a migration',
      db: everyCellDumped,
      expect: [
        {
          code: 'orphan-allocation',
          cause: 'unknown-consumer',
          subject: { consumerUuid: 'd0000000-0000-4000-8000-000000000001', instanceUuid: undefined },
          evidence: ['no instances row for d0000000-0000-4000-8000-000000000001 in nova, nova_cell0, and no migrations row with that uuid'],
        },
      ],
    },
    {
      name: 'a migration nova counts in progress ("running") whose instance no longer moves: never finished, its claim an orphan',
      db: () =>
        new Db()
          .compute(1, 'h1', RP1)
          .compute(2, 'h2', RP2)
          .instance('a0000000-0000-4000-8000-000000000004', 'h1')
          .migration('b0000000-0000-4000-8000-000000000004', 'a0000000-0000-4000-8000-000000000004', 'h1', 'h2', 'running')
          .allocate('b0000000-0000-4000-8000-000000000004', 1)
          .allocate('a0000000-0000-4000-8000-000000000004', 2),
      expect: [
        {
          code: 'orphan-allocation',
          cause: 'failed-migration',
          where: { subject: { consumerUuid: 'b0000000-0000-4000-8000-000000000004' } },
          explanation:
            /is still "running", but its instance is no longer moving \(vm_state active, task_state NULL\): the migration never finished/,
        },
        {
          code: 'orphan-allocation',
          cause: 'failed-migration',
          where: { subject: { consumerUuid: 'a0000000-0000-4000-8000-000000000004' } },
          explanation:
            /live-migration b0000000-0000-4000-8000-000000000004 through h2 is still "running" though the instance is no longer moving/,
        },
      ],
    },
    {
      name: 'an instance archived into shadow_instances (nova-manage db archive_deleted_rows) whose allocation stayed: instance-deleted',
      db: () =>
        new Db()
          .compute(1, 'h1', RP1)
          .row('nova', 'shadow_instances', {
            id: 77,
            uuid: 'a0000000-0000-4000-8000-000000000005',
            host: 'h1',
            node: 'h1',
            vm_state: 'deleted',
            deleted: 77,
            deleted_at: '2024-09-20 16:02:11',
          })
          .allocate('a0000000-0000-4000-8000-000000000005', 1),
      expect: [
        {
          code: 'orphan-allocation',
          cause: 'instance-deleted',
          explanation:
            /deleted at 2024-09-20 16:02:11 and its row archived into nova\.shadow_instances by nova-manage db archive_deleted_rows/,
          evidence: [
            /nova\.shadow_instances: a0000000-0000-4000-8000-000000000005 host=h1 vm_state=deleted deleted_at=2024-09-20 16:02:11/,
          ],
        },
      ],
    },
  ],
});
