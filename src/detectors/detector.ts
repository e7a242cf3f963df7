import { createHash } from 'node:crypto';
import type { DbIndex } from '../facts/db-index.js';
import type { EventStore, StoredEvent } from '../correlate/event-store.js';
import { tsMs } from '../model/clock.js';
import type { DbFacts } from '../model/db.js';
import type { Evidence, Finding, Remediation } from '../model/finding.js';
import { type HostFacts, sameHost } from '../model/host.js';
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
  /** Timeline entries the report may still hold (`timeline`); absent: no bound but the per-incident one. */
  timelineRoom?: { left: number };
  /** Incidents of one kind and cause shown in full before the rest are folded into one (`IncidentList`); absent: all. */
  incidentsInFull?: number;
  /** `--instance`: only incidents about this instance are kept (`IncidentList`), the others counted as left out. */
  focus?: { instance: string; leftOut: number };
}

/**
 * Timelines are most of a report's memory: a cloud in trouble for days gives thousands of incidents, and a
 * request id reused over hours gives one incident hundreds of lines. An incident shows at most this many
 * (the failing lines and those nearest them), and a report at most `TIMELINE_ROOM` in all (~25 MB); past it,
 * an incident keeps only the `FAILING_KEPT` lines nearest its failure. Each one cut says so in its gaps.
 */
export const MAX_TIMELINE = 100;
export const TIMELINE_ROOM = 100_000;
export const FAILING_KEPT = 10;

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
  /** Its plural, when it is not the name and an `s`. */
  plural?: string;
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
 * Past `MAX_TIMELINE` lines, or the report's room (`DetectContext.timelineRoom`),
 * the lines nearest the failing ones are kept, and `gaps` (the incident's) says
 * how many were left out; the entries of the others are never made.
 */
export function timeline(
  ctx: DetectContext,
  events: StoredEvent[],
  failing?: (e: StoredEvent) => boolean,
  gaps?: string[],
): TimelineEntry[] {
  const order = events.map((e) => {
    const at = orderTs(e);
    return { e, key: at ? adjusted(at, ctx.offsets.get(e.host) ?? 0) : '', failing: !!failing?.(e) };
  });
  order.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.e.seq - b.e.seq));
  const room = ctx.timelineRoom;
  const cap = Math.min(MAX_TIMELINE, Math.max(room?.left ?? MAX_TIMELINE, FAILING_KEPT));
  const kept = order.length > cap ? nearestFailing(order, cap) : order;
  if (room) room.left -= kept.length;
  if (kept.length < order.length)
    gaps?.push(
      `the timeline shows ${kept.length} of the incident's ${order.length} lines, those nearest its failing ones: a report holds at most ${MAX_TIMELINE} per incident and ${TIMELINE_ROOM.toLocaleString('en')} in all, to stay within memory`,
    );
  return kept.map(({ e, failing }) => entryOf(ctx, e, failing));
}

/**
 * The `cap` entries nearest a failing one in time order (the latest ones when none fails), kept in that order.
 * At one distance the earlier line first: what led to the failure before what followed it.
 */
function nearestFailing<T extends { failing: boolean }>(order: readonly T[], cap: number): T[] {
  const n = order.length;
  const distance = new Array<number>(n);
  for (let i = 0, last = Number.NEGATIVE_INFINITY; i < n; i++) {
    if (order[i].failing) last = i;
    distance[i] = i - last;
  }
  for (let i = n - 1, next = Number.POSITIVE_INFINITY; i >= 0; i--) {
    if (order[i].failing) next = i;
    distance[i] = Math.min(distance[i], next - i);
  }
  // Nothing failing (every distance infinite): the latest lines.
  if (distance[0] === Number.POSITIVE_INFINITY) for (let i = 0; i < n; i++) distance[i] = n - i;
  const rank = [...order.keys()].sort((a, b) => distance[a] - distance[b] || a - b);
  const keep = new Set(rank.slice(0, cap));
  return order.filter((_, i) => keep.has(i));
}

function entryOf(ctx: DetectContext, e: StoredEvent, failing: boolean): TimelineEntry {
  const offset = ctx.offsets.get(e.host) ?? 0;
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
  if (failing) t.failing = true;
  if (e.undated) t.undated = true;
  return t;
}

/** First and last time of a timeline: its dated entries' (an undated one has none to give). */
export function span(tl: TimelineEntry[]): { start?: string; end?: string } {
  const dated = tl.filter((t) => !t.undated);
  return { start: dated[0]?.adjustedTs, end: dated[dated.length - 1]?.adjustedTs };
}

export { sameHost };

/** What the host's sosreport says (virsh, nova.conf), by full or short name. */
export function hostFacts(ctx: DetectContext, host: string): HostFacts | undefined {
  return ctx.hosts.get(host) ?? [...ctx.hosts.values()].find((h) => sameHost(h.name, host));
}

/**
 * A libvirt URI a migration's error names (`qemu+ssh://10.226.0.59/system`, `qemu+tcp://node-compute/system`):
 * the destination the source could not reach, and the connection a remedy tries again.
 */
export function libvirtUri(text: string | undefined): { uri: string; host: string; transport: string } | undefined {
  const m = text ? /\bqemu\+(\w+):\/\/(?:[^@/\s]*@)?([^/:\s]+)(?::\d+)?(?:\/[^\s:]*)?/.exec(text) : null;
  return m ? { uri: m[0], host: m[2], transport: m[1] } : undefined;
}

export const UUID_RE = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/;

/** A host as a sentence names it: a file that named no host was read as host `unknown` (src/sources/walk.ts). */
export function namedHost(...hosts: (string | undefined)[]): string | undefined {
  return hosts.find((h) => h && h !== 'unknown');
}

export function short(uuid: string | undefined): string {
  return uuid ? uuid.slice(0, 8) : '?';
}

/** `{'resources': {'VCPU': 12, 'MEMORY_MB': 32768}}` (a python repr in a log message) → `{VCPU: 12, MEMORY_MB: 32768}`. */
export function resourcesFromRepr(text: string): Record<string, number> | undefined {
  const m = /'resources':\s*\{([^}]*)\}/.exec(text);
  if (!m) return undefined;
  const out = amountsOf(m[1]);
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `'VCPU': 4, u'MEMORY_MB': 8192` (a python dict's body, as nova logs it and osc-placement prints it) → amounts by class. */
export function amountsOf(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of text.matchAll(/u?'([A-Z0-9_]+)':\s*(\d+)/g)) out[p[1]] = Number(p[2]);
  return out;
}
