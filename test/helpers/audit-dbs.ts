import { Db } from './facts.js';

/** Hand-made databases that several audit rules' tables read: each rule's rows say what that rule makes of them. */

export const RP1 = '11111111-1111-4111-8111-111111111111';
export const RP2 = '22222222-2222-4222-8222-222222222222';
const RP9 = '99999999-9999-4999-8999-999999999999';

/** A root provider with VCPU inventory and no compute node of its uuid (h9), and on h1 a consumer no cell knows. */
function withStrayProvider(db: Db): Db {
  return db
    .row('placement', 'resource_providers', { id: 9, uuid: RP9, name: 'h9', generation: 1, root_provider_id: 9, parent_provider_id: null })
    .row('placement', 'inventories', {
      id: 90,
      resource_provider_id: 9,
      resource_class_id: 0,
      total: 16,
      reserved: 0,
      min_unit: 1,
      max_unit: 16,
      step_size: 1,
      allocation_ratio: 4,
    })
    .allocate('d0000000-0000-4000-8000-000000000001', 1);
}

/** h9 and that consumer, while cell2, mapped in nova_api, was not dumped: both may belong to it. */
export const cell2NotDumped = (): Db =>
  withStrayProvider(
    new Db().compute(1, 'h1', RP1).row('nova_api', 'cell_mappings', {
      id: 3,
      uuid: 'cccccccc-0000-0000-0000-000000000002',
      name: 'cell2',
      database_connection: 'mysql+pymysql://nova:pw@db2/nova_cell2',
    }),
  );

/** The same cloud with every cell dumped: h9 and that consumer belong to nothing. */
export const everyCellDumped = (): Db => withStrayProvider(new Db().compute(1, 'h1', RP1));

/** Compute nodes and providers that do not pair (h7 without provider, "gone" without compute node), and a stale build request. */
export const unpaired = (): Db =>
  new Db()
    .compute(1, 'h1', RP1)
    .row('nova', 'compute_nodes', {
      id: 7,
      uuid: '77777777-7777-4777-8777-777777777777',
      host: 'h7',
      hypervisor_hostname: 'h7',
      deleted: 0,
    })
    .row('nova_api', 'host_mappings', { id: 7, cell_id: 2, host: 'h7' })
    .row('placement', 'resource_providers', { id: 9, uuid: RP9, name: 'gone', root_provider_id: 9, parent_provider_id: null })
    .row('placement', 'inventories', {
      id: 91,
      resource_provider_id: 9,
      resource_class_id: 0,
      total: 8,
      reserved: 0,
      min_unit: 1,
      max_unit: 8,
      step_size: 1,
      allocation_ratio: 16,
    })
    .instance('a0000000-0000-4000-8000-00000000000c', 'h1')
    .allocate('a0000000-0000-4000-8000-00000000000c', 1)
    .row('nova_api', 'build_requests', { id: 1, instance_uuid: 'a0000000-0000-4000-8000-00000000000c', project_id: 'p' });

/** A live instance on h1 with a second allocation on h2, left by a failed move h2 → h1; services at `version`. */
export const staleSecondProvider = (version?: number): Db =>
  new Db()
    .compute(1, 'h1', RP1, version !== undefined ? { version } : {})
    .compute(2, 'h2', RP2, version !== undefined ? { version } : {})
    .instance('a0000000-0000-4000-8000-000000000009', 'h1')
    .migration('b0000000-0000-4000-8000-000000000009', 'a0000000-0000-4000-8000-000000000009', 'h2', 'h1', 'error')
    .allocate('a0000000-0000-4000-8000-000000000009', 1)
    .allocate('a0000000-0000-4000-8000-000000000009', 2);

/** A soft-deleted instance (restorable) holding its allocation, and a live one whose mapping has cell_id NULL. */
export const softDeletedAndNullCell = (): Db =>
  new Db()
    .compute(1, 'h1', RP1)
    .instance('e0000000-0000-4000-8000-000000000001', 'h1', { vm_state: 'soft-delete' })
    .allocate('e0000000-0000-4000-8000-000000000001', 1)
    .instance('e0000000-0000-4000-8000-000000000002', 'h1', { __mapped: 0 })
    .row('nova_api', 'instance_mappings', { id: 77, instance_uuid: 'e0000000-0000-4000-8000-000000000002', cell_id: null });
