import type { Event, Level, Service } from '../model/event.js';
import { eventMatcher, levelRank, parseLevel } from '../model/event-filter.js';
import type { Coverage } from '../model/coverage.js';
import { ingest } from '../pipeline/ingest.js';
import { LOG_ROLES } from '../pipeline/read-logs.js';
import { parseTimeArg, parseZones, ZoneStamper } from '../pipeline/time.js';
import { timeWindow } from '../pipeline/window.js';
import { type OutputPolicy, policyEvent, policyText, policyValue, writeObfuscationMap } from '../report/output.js';
import { visibleLine, visibleText } from '../report/sanitise.js';
import { NdjsonWriter } from '../views/ndjson.js';
import { coverageText, fileLine } from '../views/coverage-text.js';
import { progressLine } from './progress.js';

/** `nova-forensics events INPUT...`: every log event as NDJSON, filtered. */

export interface EventsArgs {
  inputs: string[];
  since?: string;
  until?: string;
  host?: string;
  service?: string[];
  level?: string;
  requestId?: string;
  instance?: string;
  tz?: string[];
  summary?: boolean;
  verbose?: boolean;
  /** Secrets masked, names replaced: decided once for the run (cli.ts). */
  policy?: OutputPolicy;
  obfuscateMap?: string;
  progress?: boolean;
  /** Always include the raw line (by default only when decoding changed it). */
  raw?: boolean;
}

export function eventFilter(a: EventsArgs): (ev: Event) => boolean {
  const since = a.since ? parseTimeArg(a.since) : undefined;
  const until = a.until ? parseTimeArg(a.until) : undefined;
  const level = a.level ? parseLevel(a.level) : undefined;
  if (a.level && !level) throw new Error(`unknown level "${a.level}" (DEBUG, INFO, WARNING, ERROR, CRITICAL)`);
  const match = eventMatcher({
    host: a.host,
    services: a.service as Service[] | undefined,
    level,
    requestId: a.requestId,
    instance: a.instance,
  });
  return (ev) => {
    // Times compare as written text; an offset suffix (from --tz) sorts after its base.
    if (since && ev.ts.slice(0, 23) < since) return false;
    if (until && ev.ts.slice(0, 23) > until) return false;
    return match(ev);
  };
}

/**
 * `raw` is kept when decoding changed the text (escapes, colour codes): otherwise
 * the fields rebuild the line, and leaving it out halves the output. `--raw` keeps it always.
 */
function withoutRaw(ev: Event): Omit<Event, 'raw'> & { raw?: string } {
  if (ev.decoded) return ev;
  // The event is not used after it is written: dropping the field costs nothing, a copy would.
  (ev as { raw?: string }).raw = undefined;
  return ev;
}

interface Summary {
  byHost: Map<string, { events: number; levels: Map<string, number>; exceptions: Map<string, number>; services: Map<string, number> }>;
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

function summaryText(s: Summary): string {
  const out: string[] = ['Events'];
  for (const [host, h] of [...s.byHost.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const levels = [...h.levels.entries()].sort((a, b) => levelRank(b[0] as Level) - levelRank(a[0] as Level)).map(([k, v]) => `${k} ${v}`);
    const services = [...h.services.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`);
    out.push(`  ${visibleLine(host)}: ${h.events} events (${levels.join(', ')}); ${services.join(', ')}`);
    const ex = [...h.exceptions.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
    if (ex.length > 0) out.push(`    exceptions: ${ex.map(([k, v]) => `${visibleLine(k)} ×${v}`).join(', ')}`);
  }
  return visibleText(out.join('\n'));
}

export async function runEvents(
  a: EventsArgs,
  out: NodeJS.WritableStream & { write(s: string): boolean },
  err: NodeJS.WritableStream & { isTTY?: boolean },
): Promise<{ coverage: Coverage; written: number }> {
  const keep = eventFilter(a);
  const zones = new ZoneStamper(parseZones(a.tz ?? []));
  const writer = a.summary ? undefined : new NdjsonWriter(out as never);
  const summary: Summary = { byHost: new Map() };
  const policy = a.policy ?? { redact: true };
  const line = progressLine(a.inputs, err, a.progress !== false, policy);

  const coverage = await ingest(
    a.inputs,
    {
      host: a.host,
      // A plain oslo.log's lines outside --since/--until are passed over unread (pipeline/window-gate.ts).
      window: timeWindow(a.since, a.until),
      onFileRead: a.verbose
        ? (f) => {
            line.stop();
            err.write(`${fileLine(policyValue(f, policy))}\n`);
          }
        : undefined,
    },
    {
      event(ev) {
        if (zones.zoneOf(ev.host)) ev.ts = zones.stamp(ev.host, ev.ts);
        if (!keep(ev)) return;
        if (writer) {
          const out = policyEvent(ev, policy);
          writer.write(a.raw ? out : withoutRaw(out));
          return;
        }
        // counted as printed: masked (an exception type the parser cut from a key's line) and obfuscated
        const shown = policyEvent(ev, policy);
        let h = summary.byHost.get(shown.host);
        if (!h) summary.byHost.set(shown.host, (h = { events: 0, levels: new Map(), exceptions: new Map(), services: new Map() }));
        h.events++;
        bump(h.levels, shown.level);
        bump(h.services, shown.service);
        if (shown.exception) bump(h.exceptions, shown.exception.type);
      },
      pause: () => writer?.pause(),
      progress: line.onProgress,
    },
  );
  line.stop();
  await writer?.end();
  // The lines not understood (--verbose) are input text: masked like the events.
  const report = coverageText(policyValue(coverage, policy), {
    verbose: a.verbose,
    logRoles: LOG_ROLES,
    unusedNote: 'Found, not needed for events (read by audit and analyze)',
    obfuscation: policy.obfuscator?.summary(),
  });
  if (a.obfuscateMap && policy.obfuscator) {
    writeObfuscationMap(a.obfuscateMap, policy.obfuscator);
    err.write(
      `nova-forensics: wrote the obfuscation mapping to ${policyText(a.obfuscateMap, { redact: true })} (keep it private: it undoes the obfuscation)\n`,
    );
  }
  if (a.summary) {
    out.write(`${summaryText(summary)}\n\n${report}\n`);
  } else {
    err.write(`${report}\n`);
  }
  return { coverage, written: writer?.count ?? [...summary.byHost.values()].reduce((s, h) => s + h.events, 0) };
}
