import type { TuiOptions } from './run.js';

/**
 * Enters the alternate screen and says something at once: loading Ink and
 * React takes half a second, and the first frame should not wait for it.
 * The app itself is imported only here, so other commands never pay for it.
 */
export async function launchTui(inputs: string[], opts: TuiOptions): Promise<void> {
  const out = process.stdout;
  out.write('\x1b[?1049h\x1b[H\x1b[2J');
  out.write(`nova-forensics — reading ${inputs.length} input${inputs.length > 1 ? 's' : ''} (q or Ctrl-C to cancel)…\r\n`);
  const { runTui } = await import('./run.js');
  await runTui(inputs, { ...opts, alternateScreenEntered: true });
}
