import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { gzipSync } from 'node:zlib';

/**
 * A small sosreport tree built in a temp folder, then packed with the
 * system's tar, xz and gzip the way sos does, so archive reading is tested on
 * what real tools write.
 */

/**
 * The folders this test process made, removed as it exits: left behind, every `npm test` added some sixty of them
 * (about 60 MB) to the machine's temp folder. A folder a test left unreadable on purpose is skipped if it cannot go.
 */
const made: string[] = [];
process.once('exit', () => {
  for (const dir of made)
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {}
});

export function tmp(prefix = 'nf-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function write(path: string, data: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

export function osloLine(ts: string, level: string, logger: string, msg: string, pid = 4242): string {
  return `${ts} ${pid} ${level} ${logger} [req-11111111-2222-3333-4444-555555555555 - - - - -] ${msg}`;
}

/** Builds `<dir>/<root>/…` and returns its path. Three rotations of nova-compute, a tailed nova-api. */
export function sosTree(dir: string, root: string, host: string, opts: { tripleo?: boolean } = {}): string {
  const base = join(dir, root);
  write(join(base, 'sos_commands', 'host', 'hostname'), `${host}\n`);
  symlinkSync('sos_commands/host/hostname', join(base, 'hostname'));
  write(join(base, 'version.txt'), 'sosreport: 4.5.6\n');
  const logDir = opts.tripleo ? join(base, 'var', 'log', 'containers', 'nova') : join(base, 'var', 'log', 'nova');
  write(
    join(logDir, 'nova-compute.log.2.gz'),
    gzipSync(`${osloLine('2024-10-01 10:00:00.000', 'INFO', 'nova.compute.manager', 'oldest')}\n`),
  );
  write(join(logDir, 'nova-compute.log.1'), `${osloLine('2024-10-01 11:00:00.000', 'INFO', 'nova.compute.manager', 'middle')}\n`);
  write(
    join(logDir, 'nova-compute.log'),
    [
      osloLine('2024-10-01 12:00:00.000', 'ERROR', 'nova.compute.manager', 'newest: boom: NoValidHost_Remote: No valid host was found. '),
      '2024-10-01 12:00:00.000 4242 ERROR nova.compute.manager Traceback (most recent call last):',
      '2024-10-01 12:00:00.000 4242 ERROR nova.compute.manager   File "/usr/lib/python3/dist-packages/nova/x.py", line 1, in f',
      '2024-10-01 12:00:00.000 4242 ERROR nova.compute.manager nova.exception.NoValidHost: No valid host was found. ',
      osloLine('2024-10-01 12:00:01.000', 'WARNING', 'nova.compute.manager', 'after'),
      '',
    ].join('\n'),
  );
  const tailed = join(base, 'sos_strings', 'openstack_nova', 'var.log.nova.nova-api.log.tailed');
  write(
    tailed,
    'cut mid-line by sos\n' +
      osloLine(
        '2024-10-01 12:30:00.000',
        'INFO',
        'nova.api.openstack.requestlog',
        '10.0.0.1 "GET /v2.1/servers" status: 200 len: 10 microversion: 2.1 time: 0.1',
      ) +
      '\n',
  );
  if (!opts.tripleo) symlinkSync('../../../sos_strings/openstack_nova/var.log.nova.nova-api.log.tailed', join(logDir, 'nova-api.log'));
  write(join(base, 'var', 'log', 'messages'), 'Oct  1 12:00:00 host kernel: hello\n');
  write(join(base, 'etc', 'nova', 'nova.conf'), '[DEFAULT]\ntransport_url = rabbit://nova:s3cr3t@ctl:5672/\n');
  return base;
}

export function tar(dir: string, root: string, out: string, compress: '' | 'xz' | 'gzip'): string {
  const flag = compress === 'xz' ? ['-J'] : compress === 'gzip' ? ['-z'] : [];
  // sos writes its archive with python's tarfile, which adds a folder's entries sorted by name.
  execFileSync('tar', ['--sort=name', '-c', ...flag, '-f', out, '-C', dir, root]);
  return out;
}

/**
 * Zips `<dir>/<root>` (files only, links skipped as most zip tools do) into `out`, member names starting with
 * `<root>/`, the way a ticket's attachments are zipped; `extra` adds members by name (any bytes, any name).
 */
export async function zip(dir: string, root: string, out: string, extra: Record<string, Buffer> = {}): Promise<string> {
  const z = new ZipFile();
  const add = (rel: string): void => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) add(p);
      else if (e.isFile()) z.addFile(join(dir, p), p);
    }
  };
  if (root) add(root);
  for (const [name, data] of Object.entries(extra)) z.addBuffer(data, name);
  z.end();
  const done = finished(z.outputStream.pipe(createWriteStream(out)));
  await done;
  return out;
}
