import type { DbFacts } from '../../src/model/db.js';
import { FactsCollector } from '../../src/facts/collect.js';
import { ingestWithFacts } from '../../src/pipeline/read-facts.js';

/** Small hand-made databases for rule tests: rows in, facts out, through the real collector. */

type Row = Record<string, string | number | null>;

export class Db {
  private readonly c = new FactsCollector();
  private alloc = 0;

  constructor() {
    for (const t of ['instances', 'compute_nodes', 'services', 'migrations']) this.c.table('nova', t);
    for (const t of ['cell_mappings', 'host_mappings', 'instance_mappings', 'request_specs', 'build_requests', 'flavors'])
      this.c.table('nova_api', t);
    for (const t of ['resource_providers', 'inventories', 'allocations']) this.c.table('placement', t);
    this.c.row('nova_api', 'cell_mappings', {
      id: 1,
      uuid: '00000000-0000-0000-0000-000000000000',
      name: 'cell0',
      database_connection: 'mysql+pymysql://nova:pw@db/nova_cell0',
    });
    this.c.row('nova_api', 'cell_mappings', {
      id: 2,
      uuid: 'cccccccc-0000-0000-0000-000000000001',
      name: 'cell1',
      database_connection: 'mysql+pymysql://nova:pw@db/nova',
    });
  }

  compute(
    id: number,
    host: string,
    rpUuid: string,
    opts: {
      mapped?: boolean;
      nodeMapped?: 0 | 1;
      version?: number;
      vcpus?: number;
      memory?: number;
      ratio?: number;
      memRatio?: number;
      maxUnit?: number;
      reserved?: number;
      /** The provider's and its inventories' created_at (placement's rows). */
      createdAt?: string;
    } = {},
  ): this {
    this.c.row('nova', 'compute_nodes', {
      id,
      uuid: rpUuid,
      host,
      hypervisor_hostname: host,
      deleted: 0,
      vcpus: opts.vcpus ?? 16,
      ...(opts.nodeMapped !== undefined ? { mapped: opts.nodeMapped } : {}),
    });
    this.c.row('nova', 'services', {
      id,
      host,
      binary: 'nova-compute',
      topic: 'compute',
      deleted: 0,
      disabled: 0,
      forced_down: 0,
      version: opts.version ?? null,
    });
    if (opts.mapped !== false) this.c.row('nova_api', 'host_mappings', { id, cell_id: 2, host });
    this.c.row('placement', 'resource_providers', {
      id,
      uuid: rpUuid,
      name: host,
      generation: 1,
      root_provider_id: id,
      parent_provider_id: null,
      ...(opts.createdAt ? { created_at: opts.createdAt } : {}),
    });
    const inv = (rc: number, total: number, ratio: number, maxUnit = total, reserved = 0): void =>
      this.c.row('placement', 'inventories', {
        id: id * 10 + rc,
        resource_provider_id: id,
        resource_class_id: rc,
        total,
        reserved,
        min_unit: 1,
        max_unit: maxUnit,
        step_size: 1,
        allocation_ratio: ratio,
        ...(opts.createdAt ? { created_at: opts.createdAt } : {}),
      });
    inv(0, opts.vcpus ?? 16, opts.ratio ?? 4, opts.maxUnit ?? opts.vcpus ?? 16);
    inv(1, opts.memory ?? 32768, opts.memRatio ?? 1, opts.memory ?? 32768, opts.reserved ?? 0);
    inv(2, 500, 1);
    return this;
  }

  instance(uuid: string, host: string | null, o: Partial<Row> = {}): this {
    const row: Row = {
      id: Number(o.id ?? this.alloc + 1000),
      uuid,
      host,
      node: host,
      vm_state: 'active',
      deleted: 0,
      vcpus: 1,
      memory_mb: 1024,
      root_gb: 10,
      ...o,
    };
    this.c.row(String(o.__db ?? 'nova'), 'instances', row);
    if (o.__mapped !== 0)
      this.c.row('nova_api', 'instance_mappings', { id: row.id, instance_uuid: uuid, cell_id: o.__db === 'nova_cell0' ? 1 : 2 });
    return this;
  }

  allocate(consumer: string, rpId: number, vcpu = 1, mem = 1024, disk = 10): this {
    for (const [rc, used] of [
      [0, vcpu],
      [1, mem],
      [2, disk],
    ])
      this.c.row('placement', 'allocations', {
        id: ++this.alloc,
        resource_provider_id: rpId,
        consumer_id: consumer,
        resource_class_id: rc,
        used,
      });
    return this;
  }

  migration(uuid: string, instance: string, src: string, dst: string, status: string): this {
    this.c.row('nova', 'migrations', {
      id: this.alloc + 500,
      uuid,
      instance_uuid: instance,
      source_compute: src,
      dest_compute: dst,
      source_node: src,
      dest_node: dst,
      status,
      migration_type: 'live-migration',
      deleted: 0,
    });
    return this;
  }

  row(db: string, table: string, row: Row): this {
    this.c.row(db, table, row);
    return this;
  }

  facts(): DbFacts {
    this.c.table('nova_cell0', 'instances');
    this.c.table('nova_cell0', 'compute_nodes');
    return this.c.finish();
  }
}

export async function factsOf(path: string): Promise<DbFacts> {
  return (await ingestWithFacts([path], { logRoles: new Set() })).facts;
}
