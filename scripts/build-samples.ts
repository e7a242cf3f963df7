import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAntelope } from './samples/cloud-antelope.js';
import { buildPike } from './samples/cloud-pike.js';
import { mariadbAvailable, PrivateMariaDB } from './samples/mariadb.js';
import type { Cloud } from './samples/model.js';
import { linesText } from './samples/oslo.js';
import { sqlFor } from './samples/schema.js';

/**
 * Builds samples/: one folder per sample cloud, each host's sosreport as sos
 * ships it (.tar.xz, .tar.gz or extracted). Logs are written from the
 * scenarios in scripts/samples; the database dump comes from a real MariaDB
 * through the real mysqldump. Output is byte-for-byte reproducible.
 *
 *   npm run samples            (needs xz, gzip, tar and MariaDB; installs nothing)
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'samples');
const MTIME = '2024-10-02 16:05:00';

async function realDump(cloud: Cloud): Promise<string> {
  if (!mariadbAvailable()) throw new Error('MariaDB is needed to write the sample dumps: apt-get install mariadb-server mariadb-client');
  const db = new PrivateMariaDB();
  try {
    await db.start();
    db.run(sqlFor(cloud.db, cloud.schema));
    // sos's openstack_database plugin with dumpall=on: mysqldump --opt --all-databases.
    // The server's own `mysql` schema is left out to keep the sample small.
    return db.dump(['--opt', '--skip-dump-date', '--databases', ...Object.keys(cloud.db)]);
  } finally {
    await db.stop();
  }
}

function writeTree(base: string, cloudDump: string | undefined, host: Cloud['hosts'][number], dumpPath: string): void {
  const put = (rel: string, data: string | Buffer): void => {
    const p = join(base, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, data);
  };
  for (const [rel, data] of host.files) put(rel, data);
  for (const [rel, log] of host.logs) put(rel, log.text());
  for (const [rel, lines] of host.access) put(rel, linesText(lines));
  if (cloudDump !== undefined) put(dumpPath, cloudDump);
  // sos links the top-level convenience names into sos_commands.
  symlinkSync('sos_commands/host/hostname', join(base, 'hostname'));
}

function pack(stage: string, name: string, how: 'xz' | 'gzip', out: string): void {
  const tarArgs = ['--sort=name', `--mtime=${MTIME}`, '--owner=0', '--group=0', '--numeric-owner', '-C', stage, '-cf', '-', name];
  const tarBytes = execFileSync('tar', tarArgs, { maxBuffer: 1 << 30 });
  const packed =
    how === 'xz'
      ? execFileSync('xz', ['-9e', '-T1', '-c'], { input: tarBytes, maxBuffer: 1 << 30 })
      : execFileSync('gzip', ['-9n', '-c'], { input: tarBytes, maxBuffer: 1 << 30 });
  writeFileSync(out, packed);
}

async function buildCloud(cloud: Cloud): Promise<void> {
  const dump = await realDump(cloud);
  const dest = join(OUT, cloud.name);
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const stage = mkdtempSync(join(tmpdir(), 'nf-samples-'));
  try {
    for (const host of cloud.hosts) {
      const base = join(stage, host.sosName);
      writeTree(base, host.name === cloud.dumpHost ? dump : undefined, host, cloud.dumpPath);
      if (host.pack === 'dir') cpSync(base, join(dest, host.sosName), { recursive: true, verbatimSymlinks: true });
      else pack(stage, host.sosName, host.pack, join(dest, `${host.sosName}.tar.${host.pack === 'xz' ? 'xz' : 'gz'}`));
    }
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  process.stdout.write(`samples/${cloud.name}: ${cloud.description}\n`);
}

await buildCloud(buildAntelope());
await buildCloud(buildPike());
