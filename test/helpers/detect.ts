import { audit } from '../../src/audit/audit.js';
import { DbIndex } from '../../src/facts/db-index.js';
import { estimateOffsets } from '../../src/correlate/clock.js';
import { EventStore } from '../../src/correlate/event-store.js';
import type { DetectContext, Detector } from '../../src/detectors/detector.js';
import { DETECTORS } from '../../src/detectors/index.js';
import { keepRule } from '../../src/registry/keep.js';
import type { DbFacts } from '../../src/model/db.js';
import type { Service } from '../../src/model/event.js';
import type { HostFacts } from '../../src/model/host.js';
import type { Incident } from '../../src/model/incident.js';
import { parsePastedText, parseQemuText, parseText } from './parse.js';

/** Runs one detector on log text (per host and service) and an optional hand-made database, as analyze does. */

export interface LogInput {
  host: string;
  service: Service;
  text: string;
  /** Read in paste mode (a fault, a client's error pasted alone). */
  paste?: boolean;
}

export function detect(
  detector: Detector,
  logs: LogInput[],
  facts: DbFacts = { cells: [], dumps: [] },
  hosts: HostFacts[] = [],
): Incident[] {
  const store = new EventStore(keepRule(DETECTORS));
  for (const l of logs) {
    // A guest's QEMU log (service `qemu`) is read by its own parser, as the pipeline reads libvirt/qemu/*.log.
    const events =
      l.service === 'qemu'
        ? parseQemuText(l.text, { host: l.host, file: `${l.host}/libvirt/qemu/instance.log` })
        : l.paste
          ? parsePastedText(l.text, { host: l.host, file: `${l.host}/${l.service}.log` }).events
          : parseText(l.text, { host: l.host, file: `${l.host}/${l.service}.log`, service: l.service }).events;
    for (const e of events) store.add(e);
  }
  const ix = new DbIndex(facts);
  const hostNames = [...new Set(logs.map((l) => l.host))];
  const ctx: DetectContext = {
    store,
    facts,
    ix,
    findings: audit(facts, ix),
    hosts: new Map(hosts.map((h) => [h.name, h])),
    offsets: new Map(estimateOffsets(store.requests.times, hostNames).map((o) => [o.host, o.offsetMs])),
    servicesRead: new Set(logs.filter((l) => !l.paste).map((l) => l.service)),
  };
  return detector.detect(ctx);
}

/** Lines as an oslo.log writes them: `ts pid LEVEL logger [ctx] msg`. */
export function line(ts: string, pid: number, level: string, logger: string, ctx: string, msg: string): string {
  return `${ts} ${pid} ${level} ${logger} ${ctx} ${msg}`;
}
