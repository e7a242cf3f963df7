import { spawn } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, type CliResult } from './cli.js';
import { ROOT } from './shared.js';

/**
 * Permission denied as the kernel says it. Root reads files whatever their
 * mode, so `chmod 000` alone proves nothing when the tests run as root (as
 * they do in the team's containers): there the CLI runs without the
 * capabilities that bypass file modes (setpriv), or else as `nobody` (uid and
 * gid 65534, no supplementary groups, set by `as-nobody.js`), with the
 * fixture's other paths made world-readable. As any other user, `chmod 000`
 * is enough and the CLI runs as that user.
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

/**
 * As root, util-linux's setpriv drops the capabilities that let root ignore file modes (CAP_DAC_OVERRIDE,
 * CAP_DAC_READ_SEARCH) and stays uid 0, so the checkout stays readable wherever it is (a fresh clone under a 0700
 * mktemp folder is out of nobody's reach); without setpriv, as-nobody.js drops to uid 65534.
 */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));
const DROP = '-dac_override,-dac_read_search';

export function cliUnprivileged(args: string[]): Promise<CliResult> {
  const [cmd, argv] =
    isRoot && SETPRIV
      ? [SETPRIV, ['--bounding-set', DROP, '--inh-caps', DROP, process.execPath, CLI, ...args]]
      : [process.execPath, isRoot ? [join(ROOT, 'dist', 'test', 'helpers', 'as-nobody.js'), CLI, ...args] : [CLI, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}
