import { spawn } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, type CliResult } from './cli.js';
import { ROOT } from './shared.js';

/**
 * Permission denied as the kernel says it. Root reads files whatever their
 * mode, so `chmod 000` alone proves nothing when the tests run as root (as
 * they do in the team's containers): there the CLI runs as `nobody` (uid and
 * gid 65534, no supplementary groups), set by `as-nobody.js` before the CLI
 * is loaded, and the fixture's other paths are made world-readable. As any
 * other user, `chmod 000` is enough and the CLI runs as that user.
 */

export const NOBODY = 65534;

export const isRoot = process.getuid?.() === 0;

/** Makes `path` unreadable: mode 000 (a folder can then be neither listed nor entered). */
export function denyAccess(path: string): void {
  chmodSync(path, 0o000);
}

/** Lets `nobody` reach `dirs` (mkdtemp makes them 0700). */
export function openUp(...dirs: string[]): void {
  for (const d of dirs) chmodSync(d, 0o755);
}

export function cliUnprivileged(args: string[]): Promise<CliResult> {
  const argv = isRoot ? [join(ROOT, 'dist', 'test', 'helpers', 'as-nobody.js'), CLI, ...args] : [CLI, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}
