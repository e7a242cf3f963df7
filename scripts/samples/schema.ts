import type { DbRows, Row } from './model.js';

/**
 * CREATE TABLE statements for the sample databases, with the column order of
 * the real schemas (nova's alembic baselines, placement's initial revision;
 * ../shared/docs/nova-placement-reference.md section C). Types follow nova's
 * models closely enough for mysqldump to write what it writes for nova.
 */

const CELL_TABLES: Record<string, string[]> = {
  instances: ['created_at', 'updated_at', 'deleted_at', 'id', 'internal_id', 'user_id', 'project_id', 'image_ref', 'kernel_id', 'ramdisk_id', 'launch_index', 'key_name', 'key_data', 'power_state', 'vm_state', 'memory_mb', 'vcpus', 'hostname', 'host', 'user_data', 'reservation_id', 'launched_at', 'terminated_at', 'display_name', 'display_description', 'availability_zone', 'locked', 'os_type', 'launched_on', 'instance_type_id', 'vm_mode', 'uuid', 'architecture', 'root_device_name', 'access_ip_v4', 'access_ip_v6', 'config_drive', 'task_state', 'default_ephemeral_device', 'default_swap_device', 'progress', 'auto_disk_config', 'shutdown_terminate', 'disable_terminate', 'root_gb', 'ephemeral_gb', 'cell_name', 'node', 'deleted', 'locked_by', 'cleaned', 'ephemeral_key_uuid', 'hidden', 'compute_id'],
  compute_nodes: ['created_at', 'updated_at', 'deleted_at', 'id', 'service_id', 'vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used', 'local_gb_used', 'hypervisor_type', 'hypervisor_version', 'cpu_info', 'disk_available_least', 'free_ram_mb', 'free_disk_gb', 'current_workload', 'running_vms', 'hypervisor_hostname', 'deleted', 'host_ip', 'supported_instances', 'pci_stats', 'metrics', 'extra_resources', 'stats', 'numa_topology', 'host', 'ram_allocation_ratio', 'cpu_allocation_ratio', 'uuid', 'disk_allocation_ratio', 'mapped'],
  services: ['created_at', 'updated_at', 'deleted_at', 'id', 'host', 'binary', 'topic', 'report_count', 'disabled', 'deleted', 'disabled_reason', 'last_seen_up', 'forced_down', 'version', 'uuid'],
  migrations: ['created_at', 'updated_at', 'deleted_at', 'id', 'source_compute', 'dest_compute', 'dest_host', 'status', 'instance_uuid', 'old_instance_type_id', 'new_instance_type_id', 'source_node', 'dest_node', 'deleted', 'migration_type', 'hidden', 'memory_total', 'memory_processed', 'memory_remaining', 'disk_total', 'disk_processed', 'disk_remaining', 'uuid', 'cross_cell_move', 'user_id', 'project_id', 'dest_compute_id'],
  instance_faults: ['created_at', 'updated_at', 'deleted_at', 'id', 'instance_uuid', 'code', 'message', 'details', 'host', 'deleted'],
  instance_actions: ['created_at', 'updated_at', 'deleted_at', 'id', 'action', 'instance_uuid', 'request_id', 'user_id', 'project_id', 'start_time', 'finish_time', 'message', 'deleted'],
  instance_actions_events: ['created_at', 'updated_at', 'deleted_at', 'id', 'event', 'action_id', 'start_time', 'finish_time', 'result', 'traceback', 'deleted', 'host', 'details'],
};

export const COLUMNS: Record<string, Record<string, string[]>> = {
  nova: CELL_TABLES,
  nova_cell0: CELL_TABLES,
  nova_api: {
    cell_mappings: ['created_at', 'updated_at', 'id', 'uuid', 'name', 'transport_url', 'database_connection', 'disabled'],
    host_mappings: ['created_at', 'updated_at', 'id', 'cell_id', 'host'],
    instance_mappings: ['created_at', 'updated_at', 'id', 'instance_uuid', 'cell_id', 'project_id', 'queued_for_delete', 'user_id'],
    request_specs: ['created_at', 'updated_at', 'id', 'instance_uuid', 'spec'],
    build_requests: ['created_at', 'updated_at', 'id', 'project_id', 'instance_uuid', 'instance', 'block_device_mappings', 'tags'],
    flavors: ['created_at', 'updated_at', 'name', 'id', 'memory_mb', 'vcpus', 'swap', 'vcpu_weight', 'flavorid', 'rxtx_factor', 'root_gb', 'ephemeral_gb', 'disabled', 'is_public', 'description'],
  },
  placement: {
    resource_providers: ['created_at', 'updated_at', 'id', 'uuid', 'name', 'generation', 'root_provider_id', 'parent_provider_id'],
    inventories: ['created_at', 'updated_at', 'id', 'resource_provider_id', 'resource_class_id', 'total', 'reserved', 'min_unit', 'max_unit', 'step_size', 'allocation_ratio'],
    allocations: ['created_at', 'updated_at', 'id', 'resource_provider_id', 'consumer_id', 'resource_class_id', 'used'],
    consumers: ['created_at', 'updated_at', 'id', 'uuid', 'project_id', 'user_id', 'generation', 'consumer_type_id'],
    consumer_types: ['created_at', 'updated_at', 'id', 'name'],
    projects: ['created_at', 'updated_at', 'id', 'external_id'],
    users: ['created_at', 'updated_at', 'id', 'external_id'],
    resource_classes: ['created_at', 'updated_at', 'id', 'name'],
    traits: ['created_at', 'updated_at', 'id', 'name'],
  },
};

const TEXT = new Set(['cpu_info', 'user_data', 'supported_instances', 'pci_stats', 'metrics', 'extra_resources', 'stats', 'numa_topology', 'spec', 'details', 'traceback', 'transport_url', 'database_connection', 'key_data', 'instance', 'block_device_mappings', 'tags', 'description', 'message']);
const FLOAT = new Set(['allocation_ratio', 'ram_allocation_ratio', 'cpu_allocation_ratio', 'disk_allocation_ratio', 'rxtx_factor']);
const BIGINT = new Set(['memory_total', 'memory_processed', 'memory_remaining', 'disk_total', 'disk_processed', 'disk_remaining', 'hypervisor_version']);
const STRINGS = new Set([
  'user_id', 'project_id', 'image_ref', 'kernel_id', 'ramdisk_id', 'key_name', 'vm_state', 'hostname', 'host', 'reservation_id', 'display_name', 'display_description',
  'availability_zone', 'os_type', 'launched_on', 'vm_mode', 'uuid', 'architecture', 'root_device_name', 'access_ip_v4', 'access_ip_v6', 'config_drive', 'task_state',
  'default_ephemeral_device', 'default_swap_device', 'cell_name', 'node', 'locked_by', 'ephemeral_key_uuid', 'hypervisor_type', 'hypervisor_hostname', 'host_ip',
  'binary', 'topic', 'disabled_reason', 'source_compute', 'dest_compute', 'dest_host', 'status', 'instance_uuid', 'source_node', 'dest_node', 'migration_type',
  'action', 'request_id', 'event', 'result', 'name', 'flavorid', 'consumer_id', 'external_id',
]);

function columnType(db: string, table: string, col: string): string {
  if (col === 'id') return 'int(11) NOT NULL AUTO_INCREMENT';
  if (col.endsWith('_at') || col === 'last_seen_up' || col === 'start_time' || col === 'finish_time') return 'datetime DEFAULT NULL';
  if (TEXT.has(col)) return col === 'spec' || col === 'instance' ? 'mediumtext' : 'text';
  if (FLOAT.has(col)) return 'float DEFAULT NULL';
  if (BIGINT.has(col)) return 'bigint(20) DEFAULT NULL';
  if (col === 'deleted' && db.startsWith('nova') && table !== 'instance_mappings') return 'int(11) DEFAULT NULL';
  if (STRINGS.has(col)) return col.endsWith('uuid') || col === 'consumer_id' ? 'varchar(36) DEFAULT NULL' : 'varchar(255) DEFAULT NULL';
  return 'int(11) DEFAULT NULL';
}

function literal(v: string | number | null): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return String(v);
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\0/g, '\\0')}'`;
}

/** SQL that creates the databases and fills them: fed to a real server, then dumped by a real mysqldump. */
export function sqlFor(db: DbRows): string {
  const out: string[] = ['SET NAMES utf8mb4;'];
  for (const [name, tables] of Object.entries(db)) {
    const schema = COLUMNS[name];
    if (!schema) throw new Error(`no schema for database ${name}`);
    out.push(`CREATE DATABASE \`${name}\` DEFAULT CHARACTER SET utf8mb3;`, `USE \`${name}\`;`);
    for (const [table, cols] of Object.entries(schema)) {
      const defs = cols.map((c) => `  \`${c}\` ${columnType(name, table, c)}`);
      out.push(`CREATE TABLE \`${table}\` (\n${defs.join(',\n')},\n  PRIMARY KEY (\`id\`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;`);
      const rows: Row[] = tables[table] ?? [];
      for (const r of rows) {
        const keys = Object.keys(r);
        const missing = cols.filter((c) => !(c in r));
        const extra = keys.filter((k) => !cols.includes(k));
        if (missing.length || extra.length) throw new Error(`${name}.${table}: row columns differ (missing ${missing.join(',')}; extra ${extra.join(',')})`);
        out.push(`INSERT INTO \`${table}\` VALUES (${cols.map((c) => literal(r[c])).join(',')});`);
      }
    }
    for (const t of Object.keys(tables)) if (!schema[t]) throw new Error(`${name}.${t}: not in the schema`);
  }
  return out.join('\n') + '\n';
}
