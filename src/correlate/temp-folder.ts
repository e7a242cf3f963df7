import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The signals that end a run early (Ctrl-C, a kill, a closed terminal). */
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * A temp folder of this process's own (0700, as mkdtemp makes it), removed
 * by `remove`, at exit, and on Ctrl-C, a kill or a closed terminal before the
 * signal ends the run as it would have (node runs no exit handlers then).
 * What the spill and the parse worker's pieces write goes here, nowhere else.
 */
export class TempFolder {
  readonly path: string;
  private gone = false;

  /** Throws when no folder can be made (no temp folder, a full disk). */
  constructor(prefix: string, parent: string = tmpdir()) {
    this.path = mkdtempSync(join(parent, prefix));
    process.on('exit', this.onExit);
    for (const sig of SIGNALS) process.once(sig, this.onSignal);
  }

  remove(): void {
    if (this.gone) return;
    this.gone = true;
    rmSync(this.path, { recursive: true, force: true });
    process.removeListener('exit', this.onExit);
    for (const sig of SIGNALS) process.removeListener(sig, this.onSignal);
  }

  private readonly onExit = (): void => this.remove();
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.remove();
    process.kill(process.pid, signal);
  };
}
