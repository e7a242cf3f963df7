import type {
  Allocation,
  CellMapping,
  ComputeNode,
  DbFacts,
  Flavor,
  GuestCpu,
  Instance,
  InstanceMapping,
  Inventory,
  Migration,
  ResourceProvider,
} from '../model/db.js';
import { releaseFromServiceVersion, type NovaRelease } from './nova-release.js';

/**
 * Lookups the audit rules and detectors share, built once from the facts:
 * instances and migrations by uuid across cells, compute nodes by uuid and
 * node name, providers, usage per provider and class, allocations per consumer.
 */

/** Migration statuses nova treats as over (`migration_get_in_progress_by_host_and_node`). */
export const FINAL_MIGRATION_STATUSES: ReadonlySet<string> = new Set([
  'confirmed',
  'reverted',
  'error',
  'failed',
  'completed',
  'cancelled',
  'done',
]);
export const FAILED_MIGRATION_STATUSES: ReadonlySet<string> = new Set(['error', 'failed']);

/** Resource classes nova allocates for servers (nova-manage placement audit's NOVA_RCS). */
export const NOVA_RESOURCE_CLASSES: ReadonlySet<string> = new Set([
  'VCPU',
  'MEMORY_MB',
  'DISK_GB',
  'VGPU',
  'NET_BW_EGR_KILOBIT_PER_SEC',
  'NET_BW_IGR_KILOBIT_PER_SEC',
  'PCPU',
  'MEM_ENCRYPTION_CONTEXT',
]);

export const CELL0_UUID = '00000000-0000-0000-0000-000000000000';

export interface Usage {
  provider: ResourceProvider;
  inventory: Inventory;
  used: number;
  capacity: number;
  headroom: number;
}

export class DbIndex {
  readonly instances = new Map<string, Instance[]>();
  /** Rows archived into `shadow_instances`, by uuid: instances nova no longer finds at all. */
  readonly archived = new Map<string, Instance>();
  readonly migrations = new Map<string, Migration>();
  readonly migrationsByInstance = new Map<string, Migration[]>();
  readonly computeByUuid = new Map<string, ComputeNode>();
  readonly computeByNode = new Map<string, ComputeNode>();
  /** Guests' recorded CPUs (`instance_extra.vcpu_model`) by instance uuid. */
  readonly guestCpus = new Map<string, GuestCpu>();
  readonly providers = new Map<number, ResourceProvider>();
  readonly providersByUuid = new Map<string, ResourceProvider>();
  readonly inventories = new Map<number, Map<string, Inventory>>();
  /** consumer → provider id → class → used */
  readonly allocationsByConsumer = new Map<string, Map<number, Map<string, number>>>();
  readonly allocationRows = new Map<string, Allocation[]>();
  readonly usedByProvider = new Map<number, Map<string, number>>();
  readonly mappedHosts = new Set<string>();
  readonly instanceMappings = new Map<string, InstanceMapping>();
  readonly cellById = new Map<number, CellMapping>();
  readonly flavors: Flavor[];
  /** The release the newest service reports (a lower bound), for choosing commands. */
  readonly release: NovaRelease | undefined;
  /**
   * Cells nova_api maps whose database is not in the dump (cell0 aside): their
   * instances and compute nodes are unknown, so absence proves nothing there.
   */
  readonly missingCells: CellMapping[];

  constructor(readonly facts: DbFacts) {
    for (const cell of facts.cells) {
      for (const i of cell.instances) {
        const list = this.instances.get(i.uuid);
        if (list) list.push(i);
        else this.instances.set(i.uuid, [i]);
      }
      for (const i of cell.shadowInstances) this.archived.set(i.uuid, i);
      for (const m of cell.migrations) {
        if (m.uuid) this.migrations.set(m.uuid, m);
        if (m.instanceUuid) {
          const list = this.migrationsByInstance.get(m.instanceUuid);
          if (list) list.push(m);
          else this.migrationsByInstance.set(m.instanceUuid, [m]);
        }
      }
      for (const g of cell.guestCpus ?? []) this.guestCpus.set(g.instanceUuid, g);
      for (const c of cell.computeNodes) {
        if (c.deleted !== 0) continue;
        if (c.uuid) this.computeByUuid.set(c.uuid, c);
        if (c.hypervisorHostname) this.computeByNode.set(c.hypervisorHostname, c);
      }
    }
    const p = facts.placement;
    if (p) {
      for (const rp of p.resourceProviders) {
        this.providers.set(rp.id, rp);
        this.providersByUuid.set(rp.uuid, rp);
      }
      for (const inv of p.inventories) {
        let m = this.inventories.get(inv.providerId);
        if (!m) this.inventories.set(inv.providerId, (m = new Map()));
        m.set(inv.resourceClass, inv);
      }
      for (const a of p.allocations) {
        let byProvider = this.allocationsByConsumer.get(a.consumerId);
        if (!byProvider) this.allocationsByConsumer.set(a.consumerId, (byProvider = new Map()));
        let byClass = byProvider.get(a.providerId);
        if (!byClass) byProvider.set(a.providerId, (byClass = new Map()));
        byClass.set(a.resourceClass, (byClass.get(a.resourceClass) ?? 0) + a.used);
        let used = this.usedByProvider.get(a.providerId);
        if (!used) this.usedByProvider.set(a.providerId, (used = new Map()));
        used.set(a.resourceClass, (used.get(a.resourceClass) ?? 0) + a.used);
        const rows = this.allocationRows.get(a.consumerId);
        if (rows) rows.push(a);
        else this.allocationRows.set(a.consumerId, [a]);
      }
    }
    const api = facts.api;
    if (api) {
      for (const h of api.hostMappings) this.mappedHosts.add(h.host);
      for (const m of api.instanceMappings) this.instanceMappings.set(m.instanceUuid, m);
      for (const c of api.cellMappings) this.cellById.set(c.id, c);
    }
    this.flavors = api?.flavors ?? [];
    let newest = 0;
    for (const cell of facts.cells)
      for (const sv of cell.services) if (sv.deleted === 0 && (sv.version ?? 0) > newest) newest = sv.version!;
    this.release = releaseFromServiceVersion(newest);
    const dumped = new Set(facts.cells.map((c) => c.db));
    this.missingCells =
      facts.cells.length === 0
        ? []
        : (api?.cellMappings ?? []).filter((c) => !this.isCell0(c) && c.databaseName !== undefined && !dumped.has(c.databaseName));
  }

  /** The cell a dumped database is, by the database its connection names. */
  cellOfDb(db: string): CellMapping | undefined {
    return this.facts.api?.cellMappings.find((c) => c.databaseName === db);
  }

  /** cell0 holds builds that never reached a cell: by its fixed uuid, else by its database's name. */
  isCell0(cell: CellMapping | string): boolean {
    const mapping = typeof cell === 'string' ? this.cellOfDb(cell) : cell;
    if (mapping) return mapping.uuid === CELL0_UUID;
    return typeof cell === 'string' && cell.endsWith('cell0');
  }

  /** The live row of an instance, else its latest deleted one. */
  instance(uuid: string): Instance | undefined {
    const rows = this.instances.get(uuid);
    if (!rows) return undefined;
    return rows.find((r) => r.deleted === 0) ?? rows[rows.length - 1];
  }

  /** The provider tree's root: allocations on child providers (VGPU, bandwidth) belong to the compute node. */
  rootOf(rp: ResourceProvider): ResourceProvider {
    let cur = rp;
    for (let i = 0; i < 16 && cur.rootProviderId !== undefined && cur.rootProviderId !== cur.id; i++) {
      const next = this.providers.get(cur.rootProviderId);
      if (!next) break;
      cur = next;
    }
    return cur;
  }

  /** The compute node behind a provider (by uuid: compute_nodes.uuid is the root provider's uuid). */
  computeOf(rp: ResourceProvider): ComputeNode | undefined {
    return this.computeByUuid.get(this.rootOf(rp).uuid);
  }

  /** Provider of a node name (`instances.node`, `migrations.*_node`). */
  providerOfNode(node: string | undefined): ResourceProvider | undefined {
    if (!node) return undefined;
    const cn = this.computeByNode.get(node);
    if (cn?.uuid) return this.providersByUuid.get(cn.uuid);
    // Old or odd rows: the provider's name is the node name.
    for (const rp of this.providers.values()) if (rp.name === node) return rp;
    return undefined;
  }

  providerLabel(rp: ResourceProvider): string {
    return rp.name ? `${rp.name} (${rp.uuid})` : rp.uuid;
  }

  usage(providerId: number, rc: string): Usage | undefined {
    const provider = this.providers.get(providerId);
    const inventory = this.inventories.get(providerId)?.get(rc);
    if (!provider || !inventory) return undefined;
    const used = this.usedByProvider.get(providerId)?.get(rc) ?? 0;
    const capacity = (inventory.total - inventory.reserved) * inventory.allocationRatio;
    return { provider, inventory, used, capacity, headroom: capacity - used };
  }

  isFinal(m: Migration): boolean {
    return FINAL_MIGRATION_STATUSES.has(m.status ?? '');
  }

  /**
   * Is the instance row deleted, by nova's rule (deleted = id) or by hand (any
   * non-zero, or vm_state deleted)? Soft-deleted instances are not: they keep
   * host and allocations until reclaimed, and can be restored.
   */
  isDeleted(i: Instance): boolean {
    return i.deleted !== 0 || i.vmState === 'deleted';
  }

  /** nova's soft delete sets `deleted` to the row id; any other non-zero value was written by hand. */
  deletedByHand(i: Instance): boolean {
    return i.deleted !== 0 && i.deleted !== i.id;
  }
}
