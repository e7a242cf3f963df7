import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway MariaDB server in a temp folder, on a socket only, so the
 * sample dumps are written by the real mysqldump rather than imitated.
 */

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

export function mariadbAvailable(): boolean {
  return (which('mariadbd') || existsSync('/usr/sbin/mariadbd')) && which('mariadb-install-db') && which('mysqldump');
}

export class PrivateMariaDB {
  private readonly dir = mkdtempSync(join(tmpdir(), 'nf-mariadb-'));
  private server?: ChildProcess;
  readonly socket = join(this.dir, 'sock');

  async start(): Promise<void> {
    const user = process.getuid?.() === 0 ? ['--user=root'] : [];
    execFileSync(
      'mariadb-install-db',
      ['--no-defaults', `--datadir=${join(this.dir, 'data')}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...user],
      { stdio: 'ignore' },
    );
    const bin = which('mariadbd') ? 'mariadbd' : '/usr/sbin/mariadbd';
    this.server = spawn(
      bin,
      [
        '--no-defaults',
        `--datadir=${join(this.dir, 'data')}`,
        `--socket=${this.socket}`,
        '--skip-networking',
        `--pid-file=${join(this.dir, 'pid')}`,
        `--log-error=${join(this.dir, 'err.log')}`,
        ...user,
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 200; i++) {
      if (spawnSync('mariadb', ['--no-defaults', `--socket=${this.socket}`, '-uroot', '-e', 'SELECT 1'], { stdio: 'ignore' }).status === 0)
        return;
      await new Promise((r) => setTimeout(r, 100));
    }
    await this.stop();
    throw new Error('the private MariaDB server did not start');
  }

  run(sql: string): void {
    execFileSync('mariadb', ['--no-defaults', `--socket=${this.socket}`, '-uroot'], {
      input: sql,
      stdio: ['pipe', 'ignore', 'inherit'],
      maxBuffer: 1 << 30,
    });
  }

  dump(args: string[]): string {
    return execFileSync('mysqldump', ['--no-defaults', `--socket=${this.socket}`, '-uroot', ...args], { maxBuffer: 1 << 30 }).toString(
      'utf8',
    );
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
