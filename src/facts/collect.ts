import type { DumpValue } from '../../parsers/mysqldump.js';
import type { ApiFacts, CellFacts, CpuInfo, DbFacts, DumpCoverage, GuestCpu, Instance, PlacementFacts, RowSource } from '../model/db.js';
import { redact } from '../report/redact.js';
import { resourceClassName } from './resource-classes.js';
import { parseRequestSpec, resourcesFromFlavor } from './request-spec.js';

/**
 * mysqldump rows → typed facts. Which database is a cell, the API database or
 * placement is told by the tables it holds, not by its name (cells are named
 * by operators; placement lived in nova_api before Stein). Only the tables
 * below are ever turned into rows.
 */

type Row = Record<string, DumpValue>;

const CELL_TABLES = new Set([
  'instances',
  'shadow_instances',
  'compute_nodes',
  'services',
  'migrations',
  'instance_faults',
  'instance_actions',
  'instance_actions_events',
  'instance_extra',
]);
/**
 * Tables of which only these columns are kept, each row cut as it arrives: instance_extra holds every
 * instance's flavor, NUMA topology and PCI requests as JSON, and only its CPU is read.
 */
const KEPT_COLUMNS: Readonly<Record<string, readonly string[] | undefined>> = {
  instance_extra: ['id', 'instance_uuid', 'deleted', 'vcpu_model'],
};
const API_TABLES = new Set(['cell_mappings', 'host_mappings', 'instance_mappings', 'request_specs', 'build_requests', 'flavors']);
const PLACEMENT_TABLES = new Set([
  'resource_providers',
  'inventories',
  'allocations',
  'consumers',
  'resource_classes',
  'traits',
  'consumer_types',
  'resource_provider_traits',
  'resource_provider_aggregates',
  'placement_aggregates',
]);

/** The parser's `wanted`: the same names in any database; which database is what is decided at the end. */
export function wantedTable(_db: string, table: string): boolean {
  return CELL_TABLES.has(table) || API_TABLES.has(table) || PLACEMENT_TABLES.has(table);
}

function str(v: DumpValue | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return String(v);
}

function num(v: DumpValue | undefined): number | undefined {
  if (v === null || v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(Buffer.isBuffer(v) ? v.toString('utf8') : v);
  return Number.isFinite(n) ? n : undefined;
}

function bool(v: DumpValue | undefined): boolean {
  if (Buffer.isBuffer(v)) return v.some((b) => b !== 0);
  return !!num(v);
}

export function parseCpuInfo(raw: string | undefined): CpuInfo | undefined {
  if (!raw) return undefined;
  try {
    const o = JSON.parse(raw) as Record<string, unknown>;
    const features = Array.isArray(o.features) ? o.features.filter((f): f is string => typeof f === 'string') : [];
    return {
      arch: typeof o.arch === 'string' ? o.arch : undefined,
      model: typeof o.model === 'string' ? o.model : undefined,
      vendor: typeof o.vendor === 'string' ? o.vendor : undefined,
      topology: typeof o.topology === 'object' && o.topology !== null ? (o.topology as CpuInfo['topology']) : undefined,
      features,
    };
  } catch {
    return undefined;
  }
}

/** `mysql+pymysql://nova:pw@10.0.0.10:3306/nova_cell0?charset=utf8` → `nova_cell0`. */
export function databaseOf(connection: string | undefined): string | undefined {
  if (!connection) return undefined;
  const m = /^[\w+.-]+:\/\/[^/]*\/([^?#/]+)/.exec(connection);
  return m ? decodeURIComponent(m[1]) : undefined;
}

interface RawDb {
  tables: Map<string, Row[]>;
}

/**
 * Several dumps can hold the same database: every controller of a Galera
 * cluster dumps the same nova. Rows are kept per dump, and each database is
 * taken from one dump (the one with the most rows), never merged.
 */
export class FactsCollector {
  private readonly dbs = new Map<string, Map<number, RawDb>>();
  readonly dumps: DumpCoverage[] = [];
  /** Dump number → its coverage, for dumps that were read (a skipped one has none). */
  private readonly records = new Map<number, DumpCoverage>();
  private current = 0;

  /** Rows that follow come from a new dump. */
  beginDump(): void {
    this.current++;
  }

  /** The dump begun last was read: its coverage joins the facts. */
  endDump(record: DumpCoverage): void {
    this.records.set(this.current, record);
    this.dumps.push(record);
  }

  private raw(db: string): RawDb {
    let byDump = this.dbs.get(db);
    if (!byDump) this.dbs.set(db, (byDump = new Map()));
    let d = byDump.get(this.current);
    if (!d) byDump.set(this.current, (d = { tables: new Map() }));
    return d;
  }

  row(db: string, table: string, row: Row): void {
    const kept = KEPT_COLUMNS[table];
    if (kept) row = Object.fromEntries(kept.map((c) => [c, row[c]]));
    const d = this.raw(db);
    let t = d.tables.get(table);
    if (!t) d.tables.set(table, (t = []));
    t.push(row);
  }

  /** Knows a database holds a table even when it has no rows (from CREATE TABLE). */
  table(db: string, table: string): void {
    if (!wantedTable(db, table)) return;
    const d = this.raw(db);
    if (!d.tables.has(table)) d.tables.set(table, []);
  }

  finish(): DbFacts {
    const facts: DbFacts = { cells: [], dumps: this.dumps };
    const placementCandidates: [string, RawDb][] = [];
    const chosen = new Map<string, RawDb>();
    for (const [name, byDump] of this.dbs) {
      const size = (d: RawDb): number => [...d.tables.values()].reduce((n, t) => n + t.length, 0);
      const best = [...byDump.entries()].sort(([, a], [, b]) => size(b) - size(a))[0];
      chosen.set(name, best[1]);
      if (byDump.size > 1) {
        for (const [i] of byDump) {
          const cov = this.records.get(i);
          if (cov && i !== best[0]) cov.warnings.push(`database ${name} is also in another dump; the copy with the most rows was used`);
        }
      }
    }
    for (const [name, d] of chosen) {
      if (d.tables.has('instances') && d.tables.has('compute_nodes')) facts.cells.push(cellFacts(name, d));
      if (d.tables.has('cell_mappings') && d.tables.has('host_mappings')) facts.api = apiFacts(name, d);
      if (d.tables.has('resource_providers') && d.tables.has('allocations')) placementCandidates.push([name, d]);
    }
    // Stein+ nova_api keeps empty copies of the placement tables: the one with providers wins, `placement` on a tie.
    placementCandidates.sort(
      ([an, a], [bn, b]) =>
        b.tables.get('resource_providers')!.length - a.tables.get('resource_providers')!.length ||
        (an === 'placement' ? -1 : bn === 'placement' ? 1 : 0),
    );
    if (placementCandidates.length > 0) facts.placement = placementFacts(...placementCandidates[0]);
    facts.cells.sort((a, b) => (a.db < b.db ? -1 : 1));
    return facts;
  }
}

function src(db: string, table: string, key: DumpValue | undefined): RowSource {
  return { db, table, key: str(key) ?? '?' };
}

/**
 * `instance_extra.vcpu_model`: `VirtCPUModel.to_json()`, a versioned object's primitive
 * (`{"nova_object.name": "VirtCPUModel", "nova_object.data": {…, "features": [{"nova_object.data": {"policy", "name"}}]}}`).
 */
export function parseVcpuModel(raw: string | undefined): Omit<GuestCpu, 'source' | 'instanceUuid'> | undefined {
  if (!raw) return undefined;
  try {
    const o = JSON.parse(raw) as { 'nova_object.data'?: Record<string, unknown> };
    const d = o?.['nova_object.data'];
    if (!d || typeof d !== 'object') return undefined;
    const text = (k: string): string | undefined => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
    const features: string[] = [];
    for (const f of Array.isArray(d.features) ? d.features : []) {
      const fd = (f as { 'nova_object.data'?: { name?: unknown; policy?: unknown } })?.['nova_object.data'];
      if (typeof fd?.name === 'string' && (fd.policy === undefined || fd.policy === 'require' || fd.policy === 'force'))
        features.push(fd.name);
    }
    return { mode: text('mode'), model: text('model'), vendor: text('vendor'), arch: text('arch'), features };
  } catch {
    return undefined;
  }
}

function cellFacts(db: string, d: RawDb): CellFacts {
  const rows = (t: string): Row[] => d.tables.get(t) ?? [];
  const instances = (table: 'instances' | 'shadow_instances'): Instance[] =>
    rows(table).map((r) => ({
      source: src(db, table, r.uuid ?? r.id),
      cellDb: db,
      id: num(r.id) ?? 0,
      uuid: str(r.uuid) ?? '',
      displayName: str(r.display_name),
      host: str(r.host),
      node: str(r.node),
      vmState: str(r.vm_state),
      taskState: str(r.task_state),
      powerState: num(r.power_state),
      deleted: num(r.deleted) ?? 0,
      deletedAt: str(r.deleted_at),
      vcpus: num(r.vcpus),
      memoryMb: num(r.memory_mb),
      rootGb: num(r.root_gb),
      ephemeralGb: num(r.ephemeral_gb),
      projectId: str(r.project_id),
      userId: str(r.user_id),
      createdAt: str(r.created_at),
      updatedAt: str(r.updated_at),
    }));
  return {
    db,
    instances: instances('instances'),
    shadowInstances: instances('shadow_instances'),
    computeNodes: rows('compute_nodes').map((r) => {
      const raw = str(r.cpu_info);
      return {
        source: src(db, 'compute_nodes', r.id),
        cellDb: db,
        id: num(r.id) ?? 0,
        uuid: str(r.uuid),
        host: str(r.host),
        hypervisorHostname: str(r.hypervisor_hostname),
        vcpus: num(r.vcpus),
        memoryMb: num(r.memory_mb),
        localGb: num(r.local_gb),
        cpuInfo: parseCpuInfo(raw),
        cpuInfoRaw: raw,
        deleted: num(r.deleted) ?? 0,
        cpuAllocationRatio: num(r.cpu_allocation_ratio),
        ramAllocationRatio: num(r.ram_allocation_ratio),
        diskAllocationRatio: num(r.disk_allocation_ratio),
        mapped: num(r.mapped),
        createdAt: str(r.created_at),
      };
    }),
    services: rows('services').map((r) => ({
      source: src(db, 'services', r.id),
      cellDb: db,
      id: num(r.id) ?? 0,
      host: str(r.host),
      binary: str(r.binary),
      topic: str(r.topic),
      disabled: bool(r.disabled),
      disabledReason: str(r.disabled_reason),
      forcedDown: bool(r.forced_down),
      deleted: num(r.deleted) ?? 0,
      lastSeenUp: str(r.last_seen_up),
      updatedAt: str(r.updated_at),
      version: num(r.version),
    })),
    migrations: rows('migrations').map((r) => ({
      source: src(db, 'migrations', r.uuid ?? r.id),
      cellDb: db,
      id: num(r.id) ?? 0,
      uuid: str(r.uuid),
      instanceUuid: str(r.instance_uuid),
      sourceCompute: str(r.source_compute),
      destCompute: str(r.dest_compute),
      sourceNode: str(r.source_node),
      destNode: str(r.dest_node),
      status: str(r.status),
      migrationType: str(r.migration_type),
      deleted: num(r.deleted) ?? 0,
      createdAt: str(r.created_at),
      updatedAt: str(r.updated_at),
    })),
    instanceFaults: rows('instance_faults').map((r) => ({
      source: src(db, 'instance_faults', r.id),
      cellDb: db,
      id: num(r.id) ?? 0,
      instanceUuid: str(r.instance_uuid),
      code: num(r.code),
      message: str(r.message),
      details: str(r.details),
      host: str(r.host),
      createdAt: str(r.created_at),
    })),
    instanceActions: rows('instance_actions').map((r) => ({
      source: src(db, 'instance_actions', r.id),
      cellDb: db,
      id: num(r.id) ?? 0,
      action: str(r.action),
      instanceUuid: str(r.instance_uuid),
      requestId: str(r.request_id),
      userId: str(r.user_id),
      projectId: str(r.project_id),
      startTime: str(r.start_time),
      finishTime: str(r.finish_time),
      message: str(r.message),
    })),
    guestCpus: rows('instance_extra').flatMap((r) => {
      const cpu = num(r.deleted) ? undefined : parseVcpuModel(str(r.vcpu_model));
      const uuid = str(r.instance_uuid);
      return cpu && uuid ? [{ source: src(db, 'instance_extra', r.instance_uuid), instanceUuid: uuid, ...cpu }] : [];
    }),
    instanceActionEvents: rows('instance_actions_events').map((r) => ({
      source: src(db, 'instance_actions_events', r.id),
      cellDb: db,
      id: num(r.id) ?? 0,
      actionId: num(r.action_id),
      event: str(r.event),
      result: str(r.result),
      host: str(r.host),
      startTime: str(r.start_time),
      finishTime: str(r.finish_time),
      traceback: str(r.traceback),
    })),
  };
}

function apiFacts(db: string, d: RawDb): ApiFacts {
  const rows = (t: string): Row[] => d.tables.get(t) ?? [];
  return {
    db,
    cellMappings: rows('cell_mappings').map((r) => {
      const conn = str(r.database_connection);
      return {
        source: src(db, 'cell_mappings', r.uuid ?? r.id),
        id: num(r.id) ?? 0,
        uuid: str(r.uuid) ?? '',
        name: str(r.name),
        transportUrl: str(r.transport_url) && redact(str(r.transport_url)!),
        databaseConnection: conn && redact(conn),
        databaseName: databaseOf(conn),
        disabled: bool(r.disabled),
      };
    }),
    hostMappings: rows('host_mappings').map((r) => ({
      source: src(db, 'host_mappings', r.host ?? r.id),
      id: num(r.id) ?? 0,
      cellId: num(r.cell_id),
      host: str(r.host) ?? '',
      createdAt: str(r.created_at),
    })),
    instanceMappings: rows('instance_mappings').map((r) => ({
      source: src(db, 'instance_mappings', r.instance_uuid ?? r.id),
      id: num(r.id) ?? 0,
      instanceUuid: str(r.instance_uuid) ?? '',
      cellId: num(r.cell_id),
      projectId: str(r.project_id),
      queuedForDelete: bool(r.queued_for_delete),
    })),
    requestSpecs: rows('request_specs').map((r) => {
      const spec = parseRequestSpec(str(r.spec) ?? '');
      return {
        source: src(db, 'request_specs', r.instance_uuid ?? r.id),
        id: num(r.id) ?? 0,
        instanceUuid: str(r.instance_uuid) ?? '',
        flavor: spec?.flavor,
        numInstances: spec?.numInstances,
        resources: spec?.flavor ? resourcesFromFlavor(spec.flavor) : undefined,
        forcedHost: spec?.forcedHost,
        availabilityZone: spec?.availabilityZone,
      };
    }),
    buildRequests: rows('build_requests').map((r) => ({
      source: src(db, 'build_requests', r.instance_uuid ?? r.id),
      id: num(r.id) ?? 0,
      instanceUuid: str(r.instance_uuid),
      projectId: str(r.project_id),
      createdAt: str(r.created_at),
    })),
    flavors: rows('flavors').map((r) => ({
      source: src(db, 'flavors', r.flavorid ?? r.id),
      id: num(r.id) ?? 0,
      flavorId: str(r.flavorid),
      name: str(r.name),
      vcpus: num(r.vcpus),
      memoryMb: num(r.memory_mb),
      rootGb: num(r.root_gb),
      ephemeralGb: num(r.ephemeral_gb),
      swapMb: num(r.swap),
      disabled: bool(r.disabled),
      isPublic: bool(r.is_public),
    })),
  };
}

function placementFacts(db: string, d: RawDb): PlacementFacts {
  const rows = (t: string): Row[] => d.tables.get(t) ?? [];
  const custom = new Map<number, string>();
  for (const r of rows('resource_classes')) {
    const id = num(r.id);
    const name = str(r.name);
    if (id !== undefined && name) custom.set(id, name);
  }
  const consumerTypes = new Map<number, string>();
  for (const r of rows('consumer_types')) {
    const id = num(r.id);
    const name = str(r.name);
    if (id !== undefined && name) consumerTypes.set(id, name);
  }
  return {
    db,
    resourceProviders: rows('resource_providers').map((r) => ({
      source: src(db, 'resource_providers', r.uuid ?? r.id),
      id: num(r.id) ?? 0,
      uuid: str(r.uuid) ?? '',
      name: str(r.name),
      generation: num(r.generation),
      rootProviderId: num(r.root_provider_id),
      parentProviderId: num(r.parent_provider_id),
      createdAt: str(r.created_at),
    })),
    inventories: rows('inventories').map((r) => ({
      source: src(db, 'inventories', r.id),
      providerId: num(r.resource_provider_id) ?? 0,
      resourceClass: resourceClassName(num(r.resource_class_id) ?? -1, custom),
      total: num(r.total) ?? 0,
      reserved: num(r.reserved) ?? 0,
      minUnit: num(r.min_unit) ?? 1,
      maxUnit: num(r.max_unit) ?? num(r.total) ?? 0,
      stepSize: num(r.step_size) ?? 1,
      allocationRatio: num(r.allocation_ratio) ?? 1,
      createdAt: str(r.created_at),
      updatedAt: str(r.updated_at),
    })),
    allocations: rows('allocations').map((r) => ({
      source: src(db, 'allocations', r.id),
      id: num(r.id) ?? 0,
      providerId: num(r.resource_provider_id) ?? 0,
      consumerId: str(r.consumer_id) ?? '',
      resourceClass: resourceClassName(num(r.resource_class_id) ?? -1, custom),
      used: num(r.used) ?? 0,
      createdAt: str(r.created_at),
    })),
    consumers: rows('consumers').map((r) => ({
      source: src(db, 'consumers', r.uuid ?? r.id),
      id: num(r.id) ?? 0,
      uuid: str(r.uuid) ?? '',
      projectId: num(r.project_id),
      userId: num(r.user_id),
      generation: num(r.generation),
      consumerType: consumerTypes.get(num(r.consumer_type_id) ?? -1),
    })),
    traits: rows('traits')
      .map((r) => str(r.name))
      .filter((x): x is string => !!x),
    ...providerTags(d),
  };
}

/** Which traits and aggregates each provider has, where the dump holds the association tables. */
function providerTags(d: RawDb): Pick<PlacementFacts, 'providerTraits' | 'providerAggregates'> {
  const rows = (t: string): Row[] => d.tables.get(t) ?? [];
  const out: Pick<PlacementFacts, 'providerTraits' | 'providerAggregates'> = {};
  if (d.tables.has('resource_provider_traits')) {
    const names = new Map<number, string>();
    for (const r of rows('traits')) {
      const id = num(r.id);
      const name = str(r.name);
      if (id !== undefined && name) names.set(id, name);
    }
    out.providerTraits = rows('resource_provider_traits').flatMap((r) => {
      const trait = names.get(num(r.trait_id) ?? -1);
      const providerId = num(r.resource_provider_id);
      return trait && providerId !== undefined ? [{ providerId, trait }] : [];
    });
  }
  if (d.tables.has('resource_provider_aggregates')) {
    const uuids = new Map<number, string>();
    for (const r of rows('placement_aggregates')) {
      const id = num(r.id);
      const uuid = str(r.uuid);
      if (id !== undefined && uuid) uuids.set(id, uuid);
    }
    out.providerAggregates = rows('resource_provider_aggregates').flatMap((r) => {
      const aggregate = uuids.get(num(r.aggregate_id) ?? -1);
      const providerId = num(r.resource_provider_id);
      return aggregate && providerId !== undefined ? [{ providerId, aggregate }] : [];
    });
  }
  return out;
}
