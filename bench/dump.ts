import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MysqlDumpParser } from '../parsers/mysqldump.js';

/**
 * mysqldump parser benchmark. The dump is generated once per size and cached:
 * mostly tables a forensic run does not want (instance_system_metadata,
 * instance_extra JSON blobs, instance_info_caches), plus the placement, nova
 * and nova_api tables it does want. The parse runs in a child process so the
 * peak RSS is the parser's, not the generator's.
 *
 *   node dist/bench/dump.js [sizeMB=500] [dir] [forensic|none|all]
 *
 * `tables` picks what is turned into rows: the forensic set (default), none
 * (pure skipping) or every table (value building everywhere).
 */

export interface DumpBenchResult {
  mbPerSec: number;
  peakRssMB: number;
  rows: number;
  bytes: number;
}

/** Tables the benchmark turns into rows; everything else is skipped. */
const WANTED: Record<string, readonly string[]> = {
  nova: ['instances', 'compute_nodes', 'migrations', 'services'],
  nova_api: ['request_specs', 'instance_mappings'],
  placement: ['resource_providers', 'inventories', 'allocations', 'consumers', 'projects', 'users', 'resource_classes'],
};

export type BenchTables = 'forensic' | 'none' | 'all';

export async function benchDump(opts: { sizeMB: number; dir: string; tables?: BenchTables }): Promise<DumpBenchResult> {
  const file = await ensureDump(opts.sizeMB, opts.dir);
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', file, opts.tables ?? 'forensic'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`benchmark child exited with ${code}`);
  const r = JSON.parse(out) as { bytes: number; rows: number; seconds: number; maxRssKB: number };
  return { mbPerSec: r.bytes / (1 << 20) / r.seconds, peakRssMB: r.maxRssKB / 1024, rows: r.rows, bytes: r.bytes };
}

/** The parse itself (child side). */
async function runChild(file: string, tables: BenchTables): Promise<void> {
  let rows = 0;
  let warnings = 0;
  const parser = new MysqlDumpParser({
    wanted: tables === 'all' ? () => true : tables === 'none' ? () => false : (db, table) => WANTED[db]?.includes(table) ?? false,
    onRow: () => rows++,
    onWarning: (w) => {
      warnings++;
      process.stderr.write(`warning: ${w.message} @${w.offset}\n`);
    },
  });
  const t0 = process.hrtime.bigint();
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) parser.push(chunk as Buffer);
  parser.end();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (warnings > 0) throw new Error(`${warnings} warnings on the generated dump`);
  process.stdout.write(JSON.stringify({ bytes: parser.stats.bytes, rows, seconds, maxRssKB: process.resourceUsage().maxRSS }));
}

// ---- one statement for a whole table (issue 13 §3) ---------------------------------

export interface AllocationsDumpOptions {
  /** Rows of placement.allocations (three per consumer: VCPU, MEMORY_MB, DISK_GB, as nova writes them). */
  rows: number;
  /** `one-statement`: the whole table in one INSERT on one line; `many`: the same rows, `rowsPerInsert` to an INSERT. */
  form: 'one-statement' | 'many';
  rowsPerInsert?: number;
  /** This row's consumer_id is a string of `hugeValueBytes` bytes (a damaged row), written in 1 MiB pieces. */
  hugeValueRow?: number;
  hugeValueBytes?: number;
}

/** About how many bytes a generated allocations row takes: to size a dump in rows. */
export const ALLOCATION_ROW_BYTES = 84;

/**
 * A placement dump (MariaDB 10.11's header and CREATE TABLEs) whose
 * allocations table is `rows` rows, streamed as text pieces of about 64 KiB:
 * nothing is held but the piece being built. Row `id` is the same in either
 * form, so the two forms hold the same rows.
 */
export async function* allocationsDump(o: AllocationsDumpOptions): AsyncGenerator<string> {
  yield '/*M!999999\\- enable the sandbox mode */ \n-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)\n--\n-- Host: localhost    Database: placement\n';
  yield "/*!40101 SET NAMES utf8mb4 */;\n/*!40103 SET TIME_ZONE='+00:00' */;\n";
  yield 'DROP TABLE IF EXISTS `allocations`;\nCREATE TABLE `allocations` (\n  `created_at` datetime DEFAULT NULL,\n  `updated_at` datetime DEFAULT NULL,\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  `resource_provider_id` int(11) NOT NULL,\n  `consumer_id` varchar(36) NOT NULL,\n  `resource_class_id` int(11) NOT NULL,\n  `used` int(11) NOT NULL,\n  PRIMARY KEY (`id`),\n  KEY `allocations_resource_provider_class_used_idx` (`resource_provider_id`,`resource_class_id`,`used`),\n  KEY `allocations_consumer_id_idx` (`consumer_id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;\n\n';
  yield 'LOCK TABLES `allocations` WRITE;\n/*!40000 ALTER TABLE `allocations` DISABLE KEYS */;\n';
  const per = o.form === 'one-statement' ? o.rows : (o.rowsPerInsert ?? 1000);
  const used = [2, 4096, 40];
  let parts: string[] = [];
  let len = 0;
  for (let id = 1; id <= o.rows; id++) {
    const first = (id - 1) % per === 0;
    const sep = first ? `${id > 1 ? ';\n' : ''}INSERT INTO \`allocations\` VALUES ` : ',';
    const consumer = Math.ceil(id / 3);
    const rc = (id - 1) % 3;
    const date = `2024-0${1 + (consumer % 9)}-1${consumer % 10} 1${consumer % 10}:${10 + (consumer % 50)}:00`;
    if (id === o.hugeValueRow) {
      parts.push(`${sep}('${date}',NULL,${id},${1 + (consumer % 500)},'`);
      yield parts.join('');
      parts = [];
      len = 0;
      const mib = 'x'.repeat(1 << 20);
      let left = o.hugeValueBytes ?? 0;
      for (; left >= 1 << 20; left -= 1 << 20) yield mib;
      parts.push(`${'x'.repeat(left)}',${rc},${used[rc]})`);
      continue;
    }
    const uuid = `${consumer.toString(16).padStart(8, '0')}-aaaa-4bbb-8ccc-${(consumer * 7919).toString(16).padStart(12, '0').slice(-12)}`;
    const row = `${sep}('${date}',NULL,${id},${1 + (consumer % 500)},'${uuid}',${rc},${used[rc]})`;
    parts.push(row);
    len += row.length;
    if (len >= 1 << 16) {
      yield parts.join('');
      parts = [];
      len = 0;
    }
  }
  parts.push(';\n/*!40000 ALTER TABLE `allocations` ENABLE KEYS */;\nUNLOCK TABLES;\n-- Dump completed on 2024-03-01 10:00:00\n');
  yield parts.join('');
}

export interface OneStatementResult {
  form: 'one-statement' | 'many';
  bytes: number;
  rows: number;
  /** sha256 over the rows in order, to compare forms. */
  digest: string;
  warnings: string[];
  mbPerSec: number;
  /** MiB per second of the child's CPU time (user + system): steadier than wall time on a shared machine. */
  mbPerCpuSec: number;
  peakRssMB: number;
}

/**
 * Parses a generated allocations dump in a child process (stdin, 1 MiB reads)
 * with its heap capped, streaming the dump into it as it is generated: the
 * child's peak RSS is the reader's alone.
 */
export async function parseAllocationsDumpInChild(
  o: AllocationsDumpOptions,
  heapMB = 64,
  file?: string,
  /** Hash every row (to compare forms); the benchmark only counts them, so that MiB/s is the reader's. */
  hash = true,
): Promise<OneStatementResult> {
  if (file && !existsSync(file)) {
    // The benchmark reads a file, so that generating does not pace the reader.
    const tmp = `${file}.${process.pid}.tmp`;
    const out = createWriteStream(tmp);
    for await (const piece of allocationsDump(o)) if (!out.write(piece)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    renameSync(tmp, file);
  }
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${heapMB}`, fileURLToPath(import.meta.url), '--rows-child', hash ? 'hash' : 'count', ...(file ? [file] : [])],
    {
      stdio: [file ? 'ignore' : 'pipe', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const closed = once(child, 'close') as Promise<[number | null]>;
  if (!file) {
    // The test streams the dump as it is generated: no copy of it exists anywhere.
    const stdin = child.stdin!;
    stdin.on('error', () => {});
    for await (const piece of allocationsDump(o)) {
      if (!stdin.write(piece)) await Promise.race([once(stdin, 'drain'), closed]);
      if (child.exitCode !== null) break;
    }
    stdin.end();
  }
  const [code] = await closed;
  if (code !== 0) throw new Error(`dump reader child exited with ${code}`);
  const r = JSON.parse(out) as Omit<OneStatementResult, 'form' | 'mbPerSec' | 'mbPerCpuSec' | 'peakRssMB'> & {
    seconds: number;
    cpuSeconds: number;
    maxRssKB: number;
  };
  return {
    form: o.form,
    bytes: r.bytes,
    rows: r.rows,
    digest: r.digest,
    warnings: r.warnings,
    mbPerSec: r.bytes / (1 << 20) / r.seconds,
    mbPerCpuSec: r.bytes / (1 << 20) / r.cpuSeconds,
    peakRssMB: r.maxRssKB / 1024,
  };
}

/** The child of parseAllocationsDumpInChild: every table wanted, each row hashed as it comes. */
async function rowsChild(hashRows: boolean, file: string | undefined): Promise<void> {
  const hash = createHash('sha256');
  let rows = 0;
  const warnings: string[] = [];
  const parser = new MysqlDumpParser({
    wanted: () => true,
    onRow: (_db, _table, row) => {
      rows++;
      if (hashRows) hash.update(`${Object.values(row).join('\t')}\n`);
    },
    onWarning: (w) => warnings.push(w.message),
  });
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const input = file ? createReadStream(file, { highWaterMark: 1 << 20 }) : process.stdin;
  for await (const chunk of input) parser.push(chunk as Buffer);
  parser.end();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  process.stdout.write(
    JSON.stringify({
      bytes: parser.stats.bytes,
      rows,
      digest: hash.digest('hex'),
      warnings,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      maxRssKB: process.resourceUsage().maxRSS,
    }),
  );
}

// ---- dump generation ------------------------------------------------------------

async function ensureDump(sizeMB: number, dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-dump-${sizeMB}MB.sql`);
  if (existsSync(file) && statSync(file).size >= sizeMB * (1 << 20)) return file;
  const tmp = `${file}.${process.pid}.tmp`;
  await generate(tmp, sizeMB * (1 << 20));
  renameSync(tmp, file);
  return file;
}

function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function generate(path: string, target: number): Promise<void> {
  const out = createWriteStream(path);
  let written = 0;
  const write = async (s: string): Promise<void> => {
    written += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  const rnd = prng(7);
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
  const ts = () =>
    `'2024-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)} 1${Math.floor(rnd() * 9)}:${10 + Math.floor(rnd() * 49)}:00'`;
  const instances = Array.from({ length: 2000 }, uuid);
  const inst = () => instances[Math.floor(rnd() * instances.length)];

  /** One table: CREATE TABLE, then ~1 MB extended INSERT lines until `bytes` are written. */
  const table = async (name: string, cols: string[], bytes: number, row: (id: number) => string): Promise<void> => {
    await write(`\n--\n-- Table structure for table \`${name}\`\n--\n\nDROP TABLE IF EXISTS \`${name}\`;\n`);
    await write(
      `CREATE TABLE \`${name}\` (\n${cols.map((c) => `  \`${c}\` ${c.endsWith('_at') ? 'datetime' : c === 'id' ? 'int(11) NOT NULL' : 'text'} DEFAULT NULL`).join(',\n')},\n  PRIMARY KEY (\`id\`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;\n\n`,
    );
    await write(`LOCK TABLES \`${name}\` WRITE;\n/*!40000 ALTER TABLE \`${name}\` DISABLE KEYS */;\n`);
    const end = written + bytes;
    let id = 1;
    while (written < end) {
      const rows: string[] = [];
      let len = 0;
      do {
        const r = row(id++);
        rows.push(r);
        len += r.length + 1;
      } while (len < 1_000_000 && written + len < end);
      await write(`INSERT INTO \`${name}\` VALUES ${rows.join(',')};\n`);
    }
    await write(`/*!40000 ALTER TABLE \`${name}\` ENABLE KEYS */;\nUNLOCK TABLES;\n`);
  };
  const use = (db: string) =>
    write(
      `\n--\n-- Current Database: \`${db}\`\n--\n\nCREATE DATABASE /*!32312 IF NOT EXISTS*/ \`${db}\` /*!40100 DEFAULT CHARACTER SET utf8mb3 */;\n\nUSE \`${db}\`;\n`,
    );

  await write(
    '/*M!999999\\- enable the sandbox mode */ \n-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)\n--\n-- Host: localhost    Database: \n',
  );
  await write(
    "/*!40101 SET NAMES utf8mb4 */;\n/*!40103 SET TIME_ZONE='+00:00' */;\n/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\n",
  );

  // Shares of the target size; unwanted tables dominate.
  const share = (f: number) => Math.floor(target * f);
  await use('nova');
  const numa = JSON.stringify({
    'nova_object.name': 'InstanceNUMATopology',
    'nova_object.data': {
      cells: [{ 'nova_object.data': { id: 0, cpuset: [0, 1, 2, 3], memory: 4096, pagesize: null, cpu_pinning_raw: null } }],
    },
    'nova_object.version': '1.3',
  }).replace(/"/g, '\\"');
  const flavor = JSON.stringify({
    cur: {
      'nova_object.name': 'Flavor',
      'nova_object.data': { memory_mb: 4096, vcpus: 2, root_gb: 40, name: 'm1.medium', extra_specs: { 'hw:cpu_policy': 'dedicated' } },
    },
    old: null,
    new: null,
  }).replace(/"/g, '\\"');
  await table(
    'instance_extra',
    [
      'created_at',
      'updated_at',
      'deleted_at',
      'id',
      'instance_uuid',
      'numa_topology',
      'pci_requests',
      'flavor',
      'vcpu_model',
      'migration_context',
      'keypairs',
      'device_metadata',
      'trusted_certs',
      'vpmems',
      'resources',
    ],
    share(0.3),
    (id) =>
      `(${ts()},NULL,NULL,${id},'${inst()}','${numa}','[]','${flavor}',NULL,NULL,'{\\"nova_object.name\\": \\"KeyPairList\\", \\"nova_object.data\\": {\\"objects\\": []}}',NULL,NULL,NULL,NULL,0)`.replace(
        ',0)',
        ')',
      ),
  );
  const keys = [
    'image_base_image_ref',
    'image_disk_format',
    'image_min_ram',
    'image_os_distro',
    'owner_user_name',
    'clean_attempts',
    'image_hw_qemu_guest_agent',
  ];
  await table(
    'instance_system_metadata',
    ['created_at', 'updated_at', 'deleted_at', 'id', 'instance_uuid', 'key', 'value', 'deleted'],
    share(0.4),
    (id) => `(${ts()},NULL,NULL,${id},'${inst()}','${keys[id % keys.length]}','${id % 3 ? 'qcow2' : `it\\'s ${hex(20)}`}',0)`,
  );
  await table(
    'instance_info_caches',
    ['created_at', 'updated_at', 'deleted_at', 'id', 'network_info', 'instance_uuid', 'deleted'],
    share(0.15),
    (id) =>
      `(${ts()},${ts()},NULL,${id},'[{\\"id\\": \\"${uuid()}\\", \\"address\\": \\"fa:16:3e:${hex(2)}:${hex(2)}:${hex(2)}\\", \\"network\\": {\\"label\\": \\"private\\", \\"subnets\\": [{\\"cidr\\": \\"10.0.0.0/24\\"}]}}]','${inst()}',0)`,
  );
  const instCols = [
    'created_at',
    'updated_at',
    'deleted_at',
    'id',
    'user_id',
    'project_id',
    'vm_state',
    'memory_mb',
    'vcpus',
    'host',
    'display_name',
    'uuid',
    'task_state',
    'node',
    'deleted',
  ];
  await table(
    'instances',
    instCols,
    share(0.02),
    (id) =>
      `(${ts()},${ts()},NULL,${id},'${hex(32)}','${hex(32)}','${id % 7 ? 'active' : 'error'}',4096,2,'compute-${id % 50}','vm-${id} O\\'Brien',${id <= instances.length ? `'${instances[id - 1]}'` : `'${uuid()}'`},NULL,'compute-${id % 50}.example.org',0)`,
  );
  await table(
    'migrations',
    [
      'created_at',
      'updated_at',
      'deleted_at',
      'id',
      'source_compute',
      'dest_compute',
      'status',
      'instance_uuid',
      'migration_type',
      'uuid',
      'deleted',
    ],
    share(0.01),
    (id) =>
      `(${ts()},${ts()},NULL,${id},'compute-${id % 50}','compute-${(id + 1) % 50}','${id % 5 ? 'completed' : 'error'}','${inst()}','live-migration','${uuid()}',0)`,
  );
  await use('nova_api');
  await table(
    'request_specs',
    ['created_at', 'updated_at', 'id', 'instance_uuid', 'spec'],
    share(0.04),
    (id) =>
      `(${ts()},NULL,${id},'${inst()}','{\\"nova_object.name\\": \\"RequestSpec\\", \\"nova_object.data\\": {\\"flavor\\": ${flavor}, \\"num_instances\\": 1, \\"ignore_hosts\\": null, \\"scheduler_hints\\": {}}}')`,
  );
  await use('placement');
  await table(
    'resource_providers',
    ['created_at', 'updated_at', 'id', 'uuid', 'name', 'generation', 'root_provider_id', 'parent_provider_id'],
    200_000,
    (id) => `(${ts()},NULL,${id},'${uuid()}','compute-${id}.example.org',${id * 3},${id},NULL)`,
  );
  await table(
    'allocations',
    ['created_at', 'updated_at', 'id', 'resource_provider_id', 'consumer_id', 'resource_class_id', 'used'],
    share(0.05),
    (id) => `(${ts()},NULL,${id},${1 + (id % 50)},'${inst()}',${id % 3},${id % 3 === 1 ? 4096 : 2})`,
  );
  await table(
    'consumers',
    ['created_at', 'updated_at', 'id', 'uuid', 'project_id', 'user_id', 'generation', 'consumer_type_id'],
    share(0.01),
    (id) => `(${ts()},NULL,${id},'${uuid()}',1,1,${id % 4},1)`,
  );
  // Whatever is left goes to another unwanted table.
  await use('nova_cell0');
  await table(
    'instance_system_metadata',
    ['created_at', 'updated_at', 'deleted_at', 'id', 'instance_uuid', 'key', 'value', 'deleted'],
    Math.max(0, target - written),
    (id) => `(${ts()},NULL,NULL,${id},'${inst()}','${keys[id % keys.length]}','x',0)`,
  );
  await write('\n-- Dump completed on 2024-03-01 10:00:00\n');
  out.end();
  await once(out, 'finish');
}

// ---- command line ----------------------------------------------------------------

const self = fileURLToPath(import.meta.url);
if (process.argv[1] && pathToFileURL(process.argv[1]).href === pathToFileURL(self).href) {
  if (process.argv[2] === '--child') {
    await runChild(process.argv[3], process.argv[4] as BenchTables);
  } else if (process.argv[2] === '--rows-child') {
    await rowsChild(process.argv[3] === 'hash', process.argv[4]);
  } else if (process.argv[2] === 'one-statement') {
    // node dist/bench/dump.js one-statement [MiB=200]: the allocations table as one INSERT line, then as many INSERTs.
    const mib = Number(process.argv[3] ?? 200);
    const dir = process.argv[4] ?? join(tmpdir(), 'nova-forensics-bench');
    mkdirSync(dir, { recursive: true });
    const rows = Math.round((mib * (1 << 20)) / ALLOCATION_ROW_BYTES);
    for (const form of ['one-statement', 'many'] as const) {
      const r = await parseAllocationsDumpInChild({ rows, form }, 64, join(dir, `allocations-${form}-${rows}.sql`), false);
      console.log(
        `allocations as ${form === 'one-statement' ? 'one INSERT line' : 'INSERTs of 1,000 rows'}: ${(r.bytes / (1 << 20)).toFixed(0)} MiB, ${r.rows} rows, ${r.mbPerSec.toFixed(0)} MiB/s (${r.mbPerCpuSec.toFixed(0)} per CPU second), peak RSS ${r.peakRssMB.toFixed(0)} MiB (heap capped at 64 MiB)`,
      );
    }
    const big = await parseAllocationsDumpInChild(
      { rows: 100_000, form: 'one-statement', hugeValueRow: 50_000, hugeValueBytes: mib << 20 },
      64,
      join(dir, `allocations-string-${mib}.sql`),
      false,
    );
    console.log(
      `one INSERT line holding a ${mib} MiB string: ${(big.bytes / (1 << 20)).toFixed(0)} MiB, ${big.rows} rows, ${big.mbPerSec.toFixed(0)} MiB/s (${big.mbPerCpuSec.toFixed(0)} per CPU second), peak RSS ${big.peakRssMB.toFixed(0)} MiB; ${big.warnings.join('; ')}`,
    );
  } else {
    const sizeMB = Number(process.argv[2] ?? 500);
    const dir = process.argv[3] ?? join(tmpdir(), 'nova-forensics-bench');
    const tables = (process.argv[4] ?? 'forensic') as BenchTables;
    const r = await benchDump({ sizeMB, dir, tables });
    console.log(
      `mysqldump (${tables} tables): ${(r.bytes / (1 << 20)).toFixed(0)} MB, ${r.rows} rows built, ${r.mbPerSec.toFixed(0)} MB/s, peak RSS ${r.peakRssMB.toFixed(0)} MB`,
    );
  }
}
