import { KNOWN_COLUMNS as COLUMNS } from '../../src/facts/known-columns.js';
import type { DbRows, Row } from './model.js';

/**
 * CREATE TABLE statements for the sample databases, with the column order of
 * the real schemas (nova's alembic baselines, placement's initial revision;
 * ../shared/docs/nova-placement-reference.md section C). Types follow nova's
 * models closely enough for mysqldump to write what it writes for nova.
 */

const TEXT = new Set([
  'cpu_info',
  'user_data',
  'supported_instances',
  'pci_stats',
  'metrics',
  'extra_resources',
  'stats',
  'numa_topology',
  'spec',
  'details',
  'traceback',
  'transport_url',
  'database_connection',
  'key_data',
  'instance',
  'block_device_mappings',
  'tags',
  'description',
  'message',
]);
const FLOAT = new Set(['allocation_ratio', 'ram_allocation_ratio', 'cpu_allocation_ratio', 'disk_allocation_ratio', 'rxtx_factor']);
const BIGINT = new Set([
  'memory_total',
  'memory_processed',
  'memory_remaining',
  'disk_total',
  'disk_processed',
  'disk_remaining',
  'hypervisor_version',
]);
const STRINGS = new Set([
  'user_id',
  'project_id',
  'image_ref',
  'kernel_id',
  'ramdisk_id',
  'key_name',
  'vm_state',
  'hostname',
  'host',
  'reservation_id',
  'display_name',
  'display_description',
  'availability_zone',
  'os_type',
  'launched_on',
  'vm_mode',
  'uuid',
  'architecture',
  'root_device_name',
  'access_ip_v4',
  'access_ip_v6',
  'config_drive',
  'task_state',
  'default_ephemeral_device',
  'default_swap_device',
  'cell_name',
  'node',
  'locked_by',
  'ephemeral_key_uuid',
  'hypervisor_type',
  'hypervisor_hostname',
  'host_ip',
  'binary',
  'topic',
  'disabled_reason',
  'source_compute',
  'dest_compute',
  'dest_host',
  'status',
  'instance_uuid',
  'source_node',
  'dest_node',
  'migration_type',
  'action',
  'request_id',
  'event',
  'result',
  'name',
  'flavorid',
  'consumer_id',
  'external_id',
]);

function columnType(db: string, table: string, col: string): string {
  if (col === 'id') return 'int(11) NOT NULL AUTO_INCREMENT';
  if (col === 'can_host' || col === 'generation') return 'int(11) DEFAULT NULL';
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
export function sqlFor(db: DbRows, overrides: Record<string, Record<string, string[]>> = {}): string {
  const out: string[] = ['SET NAMES utf8mb4;'];
  for (const [name, tables] of Object.entries(db)) {
    if (!COLUMNS[name]) throw new Error(`no schema for database ${name}`);
    const schema = { ...COLUMNS[name], ...overrides[name] };
    out.push(`CREATE DATABASE \`${name}\` DEFAULT CHARACTER SET utf8mb3;`, `USE \`${name}\`;`);
    for (const [table, cols] of Object.entries(schema)) {
      const defs = cols.map((c) => `  \`${c}\` ${columnType(name, table, c)}`);
      out.push(`CREATE TABLE \`${table}\` (\n${defs.join(',\n')},\n  PRIMARY KEY (\`id\`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;`);
      const rows: Row[] = tables[table] ?? [];
      for (const r of rows) {
        const keys = Object.keys(r);
        const missing = cols.filter((c) => !(c in r));
        const extra = keys.filter((k) => !cols.includes(k));
        if (missing.length || extra.length)
          throw new Error(`${name}.${table}: row columns differ (missing ${missing.join(',')}; extra ${extra.join(',')})`);
        out.push(`INSERT INTO \`${table}\` VALUES (${cols.map((c) => literal(r[c])).join(',')});`);
      }
    }
    for (const t of Object.keys(tables)) if (!schema[t]) throw new Error(`${name}.${t}: not in the schema`);
  }
  return `${out.join('\n')}\n`;
}
