import { analyze } from '../pipeline/analyze.js';
import { inputBytes } from '../pipeline/input-size.js';
import { ProgressMeter, progressText } from '../pipeline/progress-meter.js';
import { CATALOG, detectorsOf } from '../registry/index.js';
import type { TuiOptions } from '../views/tui/run.js';
import type { TimeWindow } from '../pipeline/window.js';

/**
 * `analyze` on a terminal: the full-screen app. Enters the alternate screen and
 * says something at once: loading Ink and React takes half a second, and the
 * first frame should not wait for it. The app is imported only here, so other
 * commands never pay for it.
 */
export async function launchTui(
  inputs: string[],
  opts: Omit<TuiOptions, 'catalog'> & { host?: string; tz?: string[]; kinds?: string[]; window?: TimeWindow; instance?: string },
): Promise<void> {
  const out = process.stdout;
  // Ink draws nothing until exit when CI or CONTINUOUS_INTEGRATION is set
  // (is-in-ci, read once at import). Both ends are a terminal here, so a
  // person asked for the live app: a CI job's shell must not look hung.
  for (const key of ['CI', 'CONTINUOUS_INTEGRATION']) if (key in process.env) process.env[key] = 'false';
  out.write('\x1b[?1049h\x1b[H\x1b[2J');
  out.write(`nova-forensics — reading ${inputs.length} input${inputs.length > 1 ? 's' : ''} (q or Ctrl-C to cancel)…\r\n`);
  const { runTui } = await import('../views/tui/run.js');
  await runTui(
    async (progress) => {
      // The same line analyze prints on a terminal, for the loading screen.
      const meter = new ProgressMeter(inputBytes(inputs));
      const { report, store } = await analyze(inputs, {
        host: opts.host,
        tz: opts.tz,
        progress: (p) => progress({ ...p, summary: progressText(meter.figures(p)) }),
        detectors: detectorsOf(opts.kinds),
        window: opts.window,
        instance: opts.instance,
      });
      return { report, events: store.events };
    },
    { ...opts, catalog: CATALOG, alternateScreenEntered: true },
  );
}
