import type { StoredEvent } from '../../correlate/event-store.js';
import { tsMs } from '../../model/clock.js';
import {
  reportStaleAllocationDeleted,
  trackerAllocationsDeleted,
  trackerMoved,
  trackerNotFound,
  trackerNotManaged,
  trackerPeriodicAudit,
} from '../../signatures/compute.js';
import { match as signatureMatch, type Signature } from '../../signatures/signature.js';
import { type CliAllocation, cliAllocations, cliConsumerAllocations, type CliMigration, cliMigrations, cliServers } from '../cli-state.js';
import { type DetectContext, incidentId, sameHost, signalled } from '../detector.js';

/**
 * The resource tracker's complaints, one per host and consumer however many
 * periods repeated them, and whether each one still held when the logs end.
 */

/**
 * `pasted`: no tracker's line, the pasted CLI state shows the allocation (cliComplaints); `doubled`: the consumer's
 * own pasted allocations hold compute resources on two providers at once.
 */
export type Variant = 'not-managed' | 'moved' | 'not-found' | 'pasted' | 'doubled';

const VARIANTS: readonly [Signature, Variant][] = [
  [trackerNotManaged, 'not-managed'],
  [trackerMoved, 'moved'],
  [trackerNotFound, 'not-found'],
];

/** One host's complaint about one consumer, however many periods repeated it. */
export interface Complaint {
  host: string;
  consumer: string;
  variant: Variant;
  /** The host the instance moved to, as the "moved" line names it. */
  otherHost?: string;
  /** In read order. */
  events: StoredEvent[];
  /** The pasted provider allocation this complaint stands for (variant `pasted`). */
  cli?: CliAllocation;
  /** The finished move a pasted migration listing shows, from this host, where no `server show` was pasted. */
  cliMigration?: CliMigration;
  /** Variant `doubled`: the consumer's allocations of compute resources, a provider each (its `host` is the first's). */
  doubled?: CliAllocation[];
}

export function complaints(ctx: DetectContext): Complaint[] {
  const seen = new Map<number, { e: StoredEvent; variant: Variant; fields: Record<string, string> }>();
  for (const [sig, variant] of VARIANTS)
    for (const e of signalled(ctx, sig)) seen.set(e.seq, { e, variant, fields: signatureMatch(sig, e)! });
  const groups = new Map<string, Complaint>();
  for (const { e, variant, fields } of [...seen.values()].sort((a, b) => a.e.seq - b.e.seq)) {
    const key = `${e.host}|${fields.consumer}`;
    const g = groups.get(key) ?? { host: e.host, consumer: fields.consumer, variant, otherHost: fields.otherHost, events: [] };
    g.events.push(e);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** Statuses of a move that ended and moved the instance (novaclient and the API: `done` for evacuations, `confirmed` for resizes). */
const MOVED = new Set(['done', 'completed', 'confirmed', 'finished']);

/**
 * The allocations pasted CLI output shows left where the instance is not, when
 * no compute logged them: the provider's allocation of a consumer whose
 * pasted `server show` puts it on another host and not moving (no
 * task_state), or, with no `server show`, whose last move a pasted migration
 * listing shows finished from this host to another (an evacuation leaves the
 * source's allocation until that compute starts again). An allocation of a
 * server whose state is not pasted, or on its own host, or of a server in a
 * move, says nothing is wrong.
 */
export function cliComplaints(ctx: DetectContext, logged: readonly Complaint[]): Complaint[] {
  const servers = cliServers(ctx);
  const migrations = cliMigrations(ctx);
  const out: Complaint[] = [];
  for (const a of cliAllocations(ctx)) {
    const server = servers.get(a.consumer);
    const host = a.providerName ?? a.providerUuid;
    if (logged.some((g) => g.consumer === a.consumer && sameHost(g.host, host))) continue;
    if (server) {
      if (!server.host || server.taskState || sameHost(server.host, host)) continue;
      out.push({ host, consumer: a.consumer, variant: 'pasted', events: [a.source], cli: a });
      continue;
    }
    // The newest move (listings are newest first from API 2.59, by id before): by its time where printed.
    const last = migrations
      .filter((m) => m.instance === a.consumer)
      .reduce<CliMigration | undefined>((x, m) => (!x || (m.at ?? '') > (x.at ?? '') ? m : x), undefined);
    if (!last || !MOVED.has(last.status?.toLowerCase() ?? '') || !sameHost(last.source, host) || !last.dest || sameHost(last.dest, host))
      continue;
    out.push({ host, consumer: a.consumer, variant: 'pasted', events: [a.source], cli: a, cliMigration: last });
  }
  // A consumer's own allocations holding compute resources on two providers at once: an instance runs on one host,
  // so one of them is left over (an evacuation's source until its compute starts again, a move before Queens, a
  // failed move's claim). Not while a pasted state shows the server moving, nor where a compute's line or a
  // provider's pasted allocations already tell of the consumer.
  const byConsumer = new Map<string, CliAllocation[]>();
  for (const a of cliConsumerAllocations(ctx)) {
    if (!COMPUTE_CLASSES.some((rc) => (a.resources[rc] ?? 0) > 0)) continue;
    const list = byConsumer.get(a.consumer) ?? [];
    if (!list.some((x) => x.providerUuid === a.providerUuid)) list.push(a);
    byConsumer.set(a.consumer, list);
  }
  for (const [consumer, list] of byConsumer) {
    if (list.length < 2) continue;
    if (logged.some((g) => g.consumer === consumer) || out.some((g) => g.consumer === consumer)) continue;
    if (servers.get(consumer)?.taskState) continue;
    const moving = migrations.some(
      (m) => m.instance === consumer && !MOVED.has(m.status?.toLowerCase() ?? '') && !ENDED.test(m.status ?? ''),
    );
    if (moving) continue;
    out.push({
      host: list[0].providerUuid,
      consumer,
      variant: 'doubled',
      events: [...new Set(list.map((a) => a.source))],
      doubled: list,
    });
  }
  return out;
}

/** Resources only a compute node's own provider holds: two providers holding them for one consumer is one too many. */
const COMPUTE_CLASSES = ['VCPU', 'PCPU', 'MEMORY_MB'];
/** A move's statuses once it stopped without moving the instance. */
const ENDED = /^(?:error|failed|cancelled|canceled|reverted)$/i;

/** The id of the incident one host's complaint about one consumer makes alone (other detectors cite it). */
export function allocationIncidentId(host: string, consumer: string): string {
  return incidentId('unmanaged-allocation', `${host}|${consumer}`);
}

const after = (e: StoredEvent, t: number): boolean => tsMs(e.ts) > t;

/**
 * The tracker's periodic audits with their times and kinds, once per run: read again for each complaint,
 * their times were parsed complaints × audits times (a seventh of a troubled log's run).
 */
const auditsOf = new WeakMap<DetectContext, { e: StoredEvent; t: number; kind: 'start' | 'final' }[]>();
function periodicAudits(ctx: DetectContext): { e: StoredEvent; t: number; kind: 'start' | 'final' }[] {
  let list = auditsOf.get(ctx);
  if (!list) {
    list = signalled(ctx, trackerPeriodicAudit).map((e) => ({
      e,
      t: tsMs(e.ts),
      kind: signatureMatch(trackerPeriodicAudit, e)?.host !== undefined ? ('start' as const) : ('final' as const),
    }));
    auditsOf.set(ctx, list);
  }
  return list;
}

/**
 * Why a complaint no longer held when the logs end, if the logs say so:
 * the tracker deleted the allocation itself; the consumer turned out to be an
 * instance being built here (nova's own comment: a build racing the tracker
 * is the likelier reason for "not found"); or the tracker kept running its
 * period on this host without repeating the complaint (the allocation was
 * removed, or the instance is managed again). Else undefined: it still held.
 */
export function resolution(ctx: DetectContext, g: Complaint): { why: string; event?: StoredEvent } | undefined {
  const last = g.events[g.events.length - 1];
  const t = tsMs(last.ts);
  if (!Number.isFinite(t)) return undefined;
  const here = (e: StoredEvent): boolean => sameHost(e.host, g.host) && after(e, t);
  for (const sig of [trackerAllocationsDeleted, reportStaleAllocationDeleted]) {
    const healed = signalled(ctx, sig).find((e) => here(e) && signatureMatch(sig, e)?.consumer === g.consumer);
    if (healed) return { why: 'the resource tracker deleted the allocation itself', event: healed };
  }
  if (g.variant === 'not-found') {
    const built = ctx.store.related([], [g.consumer]).find((e) => e.instanceUuid === g.consumer && here(e));
    if (built)
      return { why: `instance ${g.consumer} was being built on ${g.host}: the allocation was the scheduler's claim`, event: built };
  }
  // When some complaints of this kind were not kept (past the memory cap), this one may have been repeated
  // after its last kept line: the audits must then follow the last complaint of the kind the store saw on
  // this host, whoever it named (claiming less: another consumer's repeats hold this one's settling back).
  let from = t;
  const sig = VARIANTS.find(([, v]) => v === g.variant)?.[0];
  if (sig && (ctx.store.stats.signatures[sig.id] ?? 0) > ctx.store.matching(sig.id).length)
    for (const [host, times] of ctx.store.lastSightings(sig.id))
      if (sameHost(host, g.host)) for (const x of times) from = Math.max(from, x);
  // The period's start and its final view each count once per period: two of a kind after the last complaint is a whole period without it.
  const byKind = new Map<string, StoredEvent[]>();
  for (const a of periodicAudits(ctx)) {
    if (!(a.t > from) || !sameHost(a.e.host, g.host)) continue;
    const list = byKind.get(a.kind) ?? [];
    list.push(a.e);
    byKind.set(a.kind, list);
  }
  for (const list of byKind.values())
    if (list.length >= 2)
      return {
        why: `the resource tracker of ${g.host} ran its periodic audit again without repeating the warning (until ${list[list.length - 1].ts})`,
        event: list[1],
      };
  // On a long log the audits themselves may have been let go past the memory cap: the store still noted when
  // the last ones ran. Three after the last complaint are two of one kind (start, final view), as above.
  for (const [host, times] of ctx.store.lastSightings(trackerPeriodicAudit.id)) {
    if (!sameHost(host, g.host)) continue;
    const later = times.filter((x) => x > from);
    if (later.length >= 3)
      return {
        why: `the resource tracker of ${g.host} ran its periodic audit at least ${later.length} more times without repeating the warning`,
      };
  }
  return undefined;
}

/**
 * The migration a consumer is, as the logs tell it when no dump does: a kept
 * line of some instance that names the consumer's uuid beside the word
 * migration ("Updating resource usage from migration <uuid>", "Created
 * allocations for migration <uuid>"). Its instance, and the line.
 */
export function migrationFromLogs(ctx: DetectContext, consumer: string): { instance: string; event: StoredEvent } | undefined {
  for (const e of ctx.store.related([], [consumer]))
    if (e.instanceUuid && e.instanceUuid !== consumer && /\bmigration\b/i.test(e.message)) return { instance: e.instanceUuid, event: e };
  return undefined;
}
