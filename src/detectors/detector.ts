import { createHash } from 'node:crypto';
import type { DbIndex } from '../facts/db-index.js';
import type { EventStore, StoredEvent } from '../correlate/event-store.js';
import { tsMs } from '../model/clock.js';
import type { DbFacts } from '../model/db.js';
import type { Evidence, Finding, Remediation } from '../model/finding.js';
import type { HostFacts } from '../model/host.js';
import type { Incident, IncidentCause, IncidentKind, TimelineEntry } from '../model/incident.js';
import type { ContextSelector, Signature } from '../signatures/signature.js';
import { orderTs } from '../model/event.js';

/**
 * A detector finds one kind of incident. Each one is a module exporting one
 * object that says what it is — its kind, name and description, the ordered
 * causes it can conclude (what decides each, what an operator does), the log
 * signatures it keys on and the context its timelines keep — and `detect`.
 * Everything that lists kinds, causes or signatures (the report schema,
 * docs/detectors.md, the views' names, the CLI's --kind, the event store's
 * keep rule) is derived from these objects (src/registry), never kept by hand.
 */

export interface DetectContext {
  store: EventStore;
  facts: DbFacts;
  ix: DbIndex;
  findings: Finding[];
  hosts: Map<string, HostFacts>;
  /** Host clock minus the reference host's, ms. */
  offsets: Map<string, number>;
  /** Which logs were read at all, per service: missing logs limit what can be said. */
  servicesRead: Set<string>;
}

/** What one cause rule concludes for one operation. */
export interface Verdict {
  code: IncidentCause;
  summary: string;
  details: Record<string, unknown>;
  evidence: Evidence[];
  gaps: string[];
  remediation: Remediation[];
  /** Events the verdict rests on that the operation's own lines do not hold (a query matched by time): they join the timeline. */
  events?: StoredEvent[];
}

/**
 * A cause a detector can conclude. `decide` (where the detector decides by
 * rules) takes the evidence gathered for one operation and returns a verdict
 * or nothing; it reads its input and writes nothing else. The detector tries
 * its causes in the order listed; the first verdict wins.
 */
export interface Cause<E = never> {
  code: IncidentCause;
  title: string;
  /** What evidence decides it, in a sentence. */
  decidedBy: string;
  /** What an operator does about it, in a sentence. */
  action: string;
  /** The figures it puts in `cause.details`, for the docs. */
  details?: string;
  decide?(evidence: E): Verdict | undefined;
  /** The incident's title under this cause; `what` names the operation ("Build of vm1 (c2963f0d)"). */
  headline?(v: Verdict, what: string): string;
}

export interface Detector<E = never> {
  kind: IncidentKind;
  /** A short noun phrase, as views name one incident of the kind: "failed build". */
  name: string;
  /** A heading: "Builds that ended in ERROR". */
  title: string;
  /** One line: what the detector looks at and concludes. */
  description: string;
  /** Tried in this order; the last one holds whenever the others do not. */
  causes: readonly Cause<E>[];
  /** The figures every cause of the kind puts in `cause.details` (a cause may say its own). */
  details?: string;
  /** The log lines it keys on. */
  signatures: readonly Signature[];
  /** What else its timelines keep around the signatures' lines. */
  context: readonly ContextSelector[];
  detect(ctx: DetectContext): Incident[];
}

/** The verdict of the first cause that holds, and that cause. The order of `causes` is the order of precedence. */
export function decideCause<E>(causes: readonly Cause<E>[], evidence: E): Verdict & { by: Cause<E> } {
  for (const c of causes) {
    const v = c.decide?.(evidence);
    if (v) return { ...v, by: c };
  }
  throw new Error(`no cause held: the last of ${causes.map((c) => c.code).join(', ')} must always decide`);
}

/** The events of the store that carry a signature, in arrival order. */
export function signalled(ctx: DetectContext, sig: Signature): readonly StoredEvent[] {
  return ctx.store.matching(sig.id);
}

export function incidentId(kind: IncidentKind, key: string): string {
  return `${kind}:${createHash('sha1').update(key).digest('hex').slice(0, 8)}`;
}

export function sourceOf(e: StoredEvent): { host: string; file: string; line: number } {
  return { host: e.host, file: e.file, line: e.line };
}

/** An evidence item citing a log line; the raw text is kept when decoding changed it. */
export function logEvidence(e: StoredEvent, text?: string): Evidence {
  const ev: Evidence = {
    text: text ?? `${e.host} ${e.service} ${e.level} ${e.logger ?? ''}: ${firstLine(e.message)}`,
    source: sourceOf(e),
  };
  if (e.decoded) ev.raw = e.raw;
  return ev;
}

export function firstLine(s: string, max = 300): string {
  const nl = s.indexOf('\n');
  const line = nl === -1 ? s : s.slice(0, nl);
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function adjusted(ts: string, offsetMs: number): string {
  const ms = tsMs(ts);
  if (!Number.isFinite(ms)) return ts;
  return new Date(ms - offsetMs).toISOString().slice(0, 23);
}

/**
 * The incident's events, time-ordered after each host's clock offset is taken
 * out. An undated event (pasted without its time) keeps no time: it stands
 * right after the dated event its file put before it (first when none was).
 */
export function timeline(ctx: DetectContext, events: StoredEvent[], failing?: (e: StoredEvent) => boolean): TimelineEntry[] {
  const entries = events.map((e) => {
    const offset = ctx.offsets.get(e.host) ?? 0;
    const at = orderTs(e);
    const key = at ? adjusted(at, offset) : '';
    const t: TimelineEntry = {
      ts: e.ts,
      adjustedTs: e.ts ? adjusted(e.ts, offset) : '',
      host: e.host,
      service: e.service,
      level: e.level,
      logger: e.logger,
      requestId: e.requestId,
      globalRequestId: e.globalRequestId,
      instanceUuid: e.instanceUuid,
      message: firstLine(e.message, 500),
      source: sourceOf(e),
    };
    if (e.exception) t.exception = { type: e.exception.type, message: firstLine(e.exception.message) };
    if (failing?.(e)) t.failing = true;
    if (e.undated) t.undated = true;
    return [t, key, e.seq] as const;
  });
  entries.sort(([, a, i], [, b, j]) => (a < b ? -1 : a > b ? 1 : i - j));
  return entries.map(([t]) => t);
}

/** First and last time of a timeline: its dated entries' (an undated one has none to give). */
export function span(tl: TimelineEntry[]): { start?: string; end?: string } {
  const dated = tl.filter((t) => !t.undated);
  return { start: dated[0]?.adjustedTs, end: dated[dated.length - 1]?.adjustedTs };
}

/** Host names as logs and databases write them: `cmp01` and `cmp01.cloud.example` are one host. */
export function sameHost(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  return a === b || a.split('.')[0] === b.split('.')[0];
}

/** What the host's sosreport says (virsh, nova.conf), by full or short name. */
export function hostFacts(ctx: DetectContext, host: string): HostFacts | undefined {
  return ctx.hosts.get(host) ?? [...ctx.hosts.values()].find((h) => sameHost(h.name, host));
}

export const UUID_RE = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/;

export function short(uuid: string | undefined): string {
  return uuid ? uuid.slice(0, 8) : '?';
}

/** `{'resources': {'VCPU': 12, 'MEMORY_MB': 32768}}` (a python repr in a log message) → `{VCPU: 12, MEMORY_MB: 32768}`. */
export function resourcesFromRepr(text: string): Record<string, number> | undefined {
  const m = /'resources':\s*\{([^}]*)\}/.exec(text);
  if (!m) return undefined;
  const out: Record<string, number> = {};
  for (const p of m[1].matchAll(/u?'([A-Z0-9_]+)':\s*(\d+)/g)) out[p[1]] = Number(p[2]);
  return Object.keys(out).length > 0 ? out : undefined;
}
