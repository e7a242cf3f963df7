/**
 * What the databases say, as typed tables. Built from mysqldump rows by
 * src/facts; read by the audit rules and the detectors. Every row keeps where
 * it came from so evidence can cite `db.table key`.
 */

export interface RowSource {
  db: string;
  table: string;
  /** Primary key, or the uuid when the table's key is not meaningful to an operator. */
  key: string;
}

export interface CpuInfo {
  arch?: string;
  model?: string;
  vendor?: string;
  topology?: { cells?: number; sockets?: number; cores?: number; threads?: number };
  features: string[];
}

export interface Instance {
  source: RowSource;
  /** Cell database the row is in (`nova`, `nova_cell0`, `nova_cell1`…). */
  cellDb: string;
  id: number;
  uuid: string;
  displayName?: string;
  host?: string;
  node?: string;
  vmState?: string;
  taskState?: string;
  powerState?: number;
  /** As stored. Nova's own soft delete sets it to the row id; anything else non-zero was set by hand. */
  deleted: number;
  deletedAt?: string;
  vcpus?: number;
  memoryMb?: number;
  rootGb?: number;
  ephemeralGb?: number;
  projectId?: string;
  userId?: string;
  createdAt?: string;
  updatedAt?: string;
}

export interface ComputeNode {
  source: RowSource;
  cellDb: string;
  id: number;
  uuid?: string;
  host?: string;
  hypervisorHostname?: string;
  vcpus?: number;
  memoryMb?: number;
  localGb?: number;
  cpuInfo?: CpuInfo;
  cpuInfoRaw?: string;
  deleted: number;
  cpuAllocationRatio?: number;
  ramAllocationRatio?: number;
  diskAllocationRatio?: number;
  mapped?: number;
  createdAt?: string;
}

export interface Service {
  source: RowSource;
  cellDb: string;
  id: number;
  host?: string;
  binary?: string;
  topic?: string;
  disabled: boolean;
  disabledReason?: string;
  forcedDown: boolean;
  deleted: number;
  lastSeenUp?: string;
  updatedAt?: string;
  version?: number;
}

export interface Migration {
  source: RowSource;
  cellDb: string;
  id: number;
  uuid?: string;
  instanceUuid?: string;
  sourceCompute?: string;
  destCompute?: string;
  sourceNode?: string;
  destNode?: string;
  status?: string;
  migrationType?: string;
  deleted: number;
  createdAt?: string;
  updatedAt?: string;
}

export interface InstanceFault {
  source: RowSource;
  cellDb: string;
  id: number;
  instanceUuid?: string;
  code?: number;
  message?: string;
  details?: string;
  host?: string;
  createdAt?: string;
}

export interface InstanceAction {
  source: RowSource;
  cellDb: string;
  id: number;
  action?: string;
  instanceUuid?: string;
  requestId?: string;
  userId?: string;
  projectId?: string;
  startTime?: string;
  finishTime?: string;
  message?: string;
}

export interface InstanceActionEvent {
  source: RowSource;
  cellDb: string;
  id: number;
  actionId?: number;
  event?: string;
  result?: string;
  host?: string;
  startTime?: string;
  finishTime?: string;
  traceback?: string;
}

export interface CellMapping {
  source: RowSource;
  id: number;
  uuid: string;
  name?: string;
  /** Redacted as read: credentials never leave the parser. */
  transportUrl?: string;
  databaseConnection?: string;
  /** The database the connection names (`nova_cell0`), to join cells to the dump's databases. */
  databaseName?: string;
  disabled: boolean;
}

export interface HostMapping {
  source: RowSource;
  id: number;
  cellId?: number;
  host: string;
  /** When discover_hosts (or the scheduler's periodic discovery) mapped it: a build before then found no mapping. */
  createdAt?: string;
}

export interface InstanceMapping {
  source: RowSource;
  id: number;
  instanceUuid: string;
  cellId?: number;
  projectId?: string;
  queuedForDelete: boolean;
}

/** A flavor's sizes, as a request spec carries them and as nova_api.flavors stores them. */
export interface FlavorSizes {
  name?: string;
  vcpus?: number;
  memoryMb?: number;
  rootGb?: number;
  ephemeralGb?: number;
  swapMb?: number;
}

export interface FlavorRequest extends FlavorSizes {
  extraSpecs?: Record<string, string>;
}

export interface RequestSpec {
  source: RowSource;
  id: number;
  instanceUuid: string;
  flavor?: FlavorRequest;
  numInstances?: number;
  /** What placement is asked for, by resource class (flavor plus `resources:*` extra specs). */
  resources?: Record<string, number>;
  forcedHost?: string;
  availabilityZone?: string;
}

export interface BuildRequest {
  source: RowSource;
  id: number;
  instanceUuid?: string;
  projectId?: string;
  createdAt?: string;
}

export interface Flavor extends FlavorSizes {
  source: RowSource;
  id: number;
  flavorId?: string;
  disabled: boolean;
  isPublic: boolean;
}

export interface ResourceProvider {
  source: RowSource;
  id: number;
  uuid: string;
  name?: string;
  generation?: number;
  rootProviderId?: number;
  parentProviderId?: number;
  /** Placement had no such provider before then. */
  createdAt?: string;
}

export interface Inventory {
  source: RowSource;
  providerId: number;
  resourceClass: string;
  total: number;
  reserved: number;
  minUnit: number;
  maxUnit: number;
  stepSize: number;
  allocationRatio: number;
  createdAt?: string;
  /** The inventory was last changed then: before, its figures may have been others. */
  updatedAt?: string;
}

export interface Allocation {
  source: RowSource;
  id: number;
  providerId: number;
  consumerId: string;
  resourceClass: string;
  used: number;
  createdAt?: string;
}

export interface Consumer {
  source: RowSource;
  id: number;
  uuid: string;
  projectId?: number;
  userId?: number;
  generation?: number;
  consumerType?: string;
}

export interface CellFacts {
  db: string;
  instances: Instance[];
  /**
   * Rows `nova-manage db archive_deleted_rows` moved out of `instances` into
   * `shadow_instances` (source table `shadow_instances`): deleted instances
   * nova no longer finds, with their `deleted_at`. Nova records no archive time.
   */
  shadowInstances: Instance[];
  computeNodes: ComputeNode[];
  services: Service[];
  migrations: Migration[];
  instanceFaults: InstanceFault[];
  instanceActions: InstanceAction[];
  instanceActionEvents: InstanceActionEvent[];
  /** The guests' CPUs as nova recorded them at boot (`instance_extra.vcpu_model`): what a live migration's CPU check compares. */
  guestCpus?: GuestCpu[];
}

/** `instance_extra.vcpu_model` (a VirtCPUModel's JSON), for one instance. */
export interface GuestCpu {
  source: RowSource;
  instanceUuid: string;
  /** `host-model`, `host-passthrough`, `custom`. */
  mode?: string;
  model?: string;
  vendor?: string;
  arch?: string;
  /** The features the guest needs: policy `require` or `force` (not `disable`, `forbid`, `optional`). */
  features: string[];
}

export interface ApiFacts {
  db: string;
  cellMappings: CellMapping[];
  hostMappings: HostMapping[];
  instanceMappings: InstanceMapping[];
  requestSpecs: RequestSpec[];
  buildRequests: BuildRequest[];
  flavors: Flavor[];
}

export interface PlacementFacts {
  /** `placement`, or `nova_api` before Stein. */
  db: string;
  resourceProviders: ResourceProvider[];
  inventories: Inventory[];
  allocations: Allocation[];
  consumers: Consumer[];
  traits: string[];
  /** Each provider's traits (resource_provider_traits); absent when the dump has no such table. */
  providerTraits?: { providerId: number; trait: string }[];
  /** Each provider's aggregates by uuid (resource_provider_aggregates, placement_aggregates); absent when not dumped. */
  providerAggregates?: { providerId: number; aggregate: string }[];
}

/** Primary keys held by more than one row of one table in one dump (parsers/mysqldump-keys.ts finds them). */
export interface DuplicateKey {
  db: string;
  table: string;
  /** The primary key's columns. */
  columns: string[];
  /** Distinct key values held by more than one row. */
  keys: number;
  /** Rows beyond the first for each of those keys. */
  extraRows: number;
  /** The first duplicated keys (up to 10), each with how many rows hold it. */
  samples: { key: string; rows: number }[];
  /**
   * The file creates the table more than once (two dumps appended): a restore
   * keeps the last copy, but every copy's rows were read.
   */
  createdTwice?: boolean;
}

export interface DumpCoverage {
  host: string;
  path: string;
  databases: string[];
  tables: Record<string, number>;
  tailed: boolean;
  skippedHeadBytes: number;
  warnings: string[];
  /** Primary keys held by more than one row, in the tables read (parsers/mysqldump-keys.ts). */
  duplicateKeys?: DuplicateKey[];
}

export interface DbFacts {
  cells: CellFacts[];
  api?: ApiFacts;
  placement?: PlacementFacts;
  dumps: DumpCoverage[];
}
