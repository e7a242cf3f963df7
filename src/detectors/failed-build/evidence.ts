import type { StoredEvent } from '../../correlate/event-store.js';
import { type TagRequest, tagRequestOf } from '../../facts/placement-tags.js';
import { dumpTimeMs, fitRequest, providersCreatedAfter, type ProviderFit } from '../../facts/placement-fit.js';
import { tsMs } from '../../model/clock.js';
import type { Evidence, Finding } from '../../model/finding.js';
import {
  filterReturnedZero,
  filtersRemovedAllHosts,
  filtersStartedEmpty,
  schedulerFiltersNoneRaised,
  schedulerPrePlacementEmptyReason,
  schedulerNoCandidates,
  schedulerNoCandidatesRaised,
  schedulerNoCandidatesRemote,
} from '../../signatures/scheduler.js';
import { matches } from '../../signatures/signature.js';
import {
  computeBuildAborted,
  computeBuildAndRunFailed,
  computeNetworkCleanupFailed,
  computeSpawnFailed,
} from '../../signatures/compute.js';
import { exceptionOfText } from '../../../parsers/exception-text.js';
import { errorFromLastHost, schedulerDriverInstanceError, schedulerDriverRunInstanceRaised } from '../../signatures/conductor.js';
import { claimRefusal, computeClaimLimit } from '../../signatures/claims.js';
import { match } from '../../signatures/signature.js';
import {
  COMPUTE_FAILURES,
  classifyEventFailure,
  classifyFailure,
  classifyReason,
  classifyFrames,
  type ComputeFailureKind,
  eventFailure,
  framesOf,
  tracedThrough,
  failureClasses,
  failureLabel,
  reprTraceback,
  isLibvirtErrorText,
  libvirtSpawnError,
  spawnReasonDriver,
  type VirtDriver,
} from '../../signatures/compute-failure.js';
import { type DetectContext, logEvidence } from '../detector.js';
import { ATTEMPT_SIGNATURES } from './builds.js';
import type { Build } from './builds.js';

/**
 * What the cause rules of one failed build read: the build, the events of its
 * request and instance, and — worked out once, when a rule first asks — what
 * placement was asked and what the dump says it could give. Nothing here
 * decides a cause.
 */

export interface BuildEvidence {
  ctx: DetectContext;
  build: Build;
  /** The request's and the instance's events, and the build's own signals. */
  related: readonly StoredEvent[];
  haveDump: boolean;
  /** Placement's side of the request; the candidate rules share it. */
  candidates(): Candidates;
  /** The attempts that failed on computes, in time order (a reschedule's "Error from last host" included). */
  attempts(): Attempt[];
  /** An attempt told by other builds' lines (shared-error.ts), after those of its own. */
  addAttempt(a: Attempt): void;
  /** The audit's finding of a code about this instance, if any. */
  finding(code: Finding['code'], test?: (f: Finding) => boolean): Finding | undefined;
}

export interface Attempt {
  host: string;
  /** The compute-side cause, when the error says one. */
  kind?: ComputeFailureKind;
  /** The error as a title names it: the telling exception class, or the text. */
  label: string;
  event: StoredEvent;
  /** The line is the compute's failed spawn (or build-and-run): its unclassified error is the hypervisor's. */
  spawn: boolean;
  /** The cause nova's own reason says (a BuildAbortException's "Failed to allocate the network(s)"), taken when nothing more telling was logged. */
  byReason?: ComputeFailureKind;
  /** The driver whose spawn failed, where the failure's reason says it (ironic's "Failed to provision instance"). */
  driver?: VirtDriver;
  /**
   * Another line that decided its cause: the host's earlier warning or error that named it (a vif-plugged timeout, a
   * driver's traceback through its VIF plugging), or the network cleanup that met the same error from neutron's client.
   */
  decidedBy?: StoredEvent;
  /** The cause is another build's, whose attempt failed with the same error text and whose lines decided it. */
  sameErrorAs?: { build: string; error: string };
}

export interface Requested {
  resources?: Record<string, number>;
  /** The traits and aggregates the placement query asked (known only from the query). */
  tags?: TagRequest;
  from?: string;
  evidence?: Evidence;
  /** The candidates query found by time, not by request id (placement did not log it before Pike). */
  byTime?: StoredEvent;
}

export interface Candidates {
  noCandidates?: StoredEvent;
  /**
   * `noCandidates` is not the scheduler's own line but what shows its raise on that path: a traceback quoting it
   * (schedulerNoCandidatesRaised), or the conductor's python 3 remote NoValidHost with an empty reason
   * (schedulerNoCandidatesRemote).
   */
  noCandidatesRaised?: 'traceback' | 'remote';
  /** placement's searches that found no provider. */
  search: StoredEvent[];
  requested: Requested;
  /** The flavor asks PCPU, which no provider reports: checked as VCPU, the query nova falls back to. */
  pcpuAsVcpu: boolean;
  /** Filters that returned no host, or removed all. */
  filterZero: StoredEvent[];
  /** The filters started with no host at all. */
  startedEmpty?: StoredEvent;
  /** The request against every provider of the dump (when the request and a dump are known). */
  fits?(): ProviderFit[];
  /** `related` plus the query found by time. */
  related: readonly StoredEvent[];
  /** When the build failed (its first dated failing line, adjusted): the dump's rows created later are left out of `fits`. */
  failedAt?: { ms: number; ts: string };
  /** Providers the dump holds that were created after the failure: placement could not offer them then. */
  createdLater: { uuid: string; name?: string; createdAt: string }[];
  /** Inventories changed after the failure: their figures then may have been others. */
  changedLater: { provider: string; resourceClass: string; updatedAt: string }[];
}

const isCandidatesQuery = (e: StoredEvent): boolean => !!e.placementQuery?.resources && !!e.http?.path.endsWith('allocation_candidates');

/**
 * Before placement logged the caller's request id (Pike), the query of a
 * build is found by time: the last candidates query before the scheduler gave
 * up, within the request's span.
 */
function queryByTime(ctx: DetectContext, related: readonly StoredEvent[]): StoredEvent | undefined {
  // Undated events have no time to search by.
  const own = related.filter((e) => e.service !== 'placement-api' && e.ts);
  if (own.length === 0) return undefined;
  const at = (e: StoredEvent): number => tsMs(e.ts) - (ctx.offsets.get(e.host) ?? 0);
  const from = Math.min(...own.map(at)) - 2_000;
  const to = Math.max(...own.filter((e) => e.level === 'ERROR' || e.level === 'WARNING').map(at), from + 2_000);
  if (!(from <= to)) return undefined;
  // The latest query at or before `to`; of queries logged at the same instant, the first read.
  const { t, events } = queriesByTime(ctx, at);
  let i = lowerBound(t, to, true) - 1;
  if (i < 0 || t[i] < from) return undefined;
  i = lowerBound(t, t[i], false);
  return events[i];
}

/**
 * The candidates queries that name no caller, sorted by adjusted time (then
 * read order), built once per run: scanning every stored event for each
 * failed build made detection grow with builds × events.
 */
const queriesIndex = new WeakMap<DetectContext, { t: number[]; events: StoredEvent[] }>();
function queriesByTime(ctx: DetectContext, at: (e: StoredEvent) => number): { t: number[]; events: StoredEvent[] } {
  let ix = queriesIndex.get(ctx);
  if (!ix) {
    const list: { t: number; e: StoredEvent }[] = [];
    for (const e of ctx.store.events) {
      if (!isCandidatesQuery(e) || e.globalRequestId) continue;
      const t = at(e);
      if (!Number.isNaN(t)) list.push({ t, e });
    }
    list.sort((a, b) => a.t - b.t || a.e.seq - b.e.seq);
    ix = { t: list.map((x) => x.t), events: list.map((x) => x.e) };
    queriesIndex.set(ctx, ix);
  }
  return ix;
}

/** The first index whose value is above `x` (`after`) or at least `x`. */
function lowerBound(sorted: number[], x: number, after: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x || (after && sorted[mid] === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** What the build asked: placement's query, else the request spec, else the instance record. */
function requested(ctx: DetectContext, b: Build, related: readonly StoredEvent[]): Requested {
  let q = related.find(isCandidatesQuery);
  let byTime: StoredEvent | undefined;
  if (!q) {
    q = queryByTime(ctx, related);
    byTime = q;
  }
  if (q)
    return {
      resources: q.placementQuery!.resources,
      tags: tagRequestOf(q.placementQuery),
      from: 'the placement query',
      byTime,
      evidence: logEvidence(
        q,
        `placement was asked GET ${q.http!.path}?${q.http!.query ?? ''} → ${Object.entries(q.placementQuery!.resources!)
          .map(([k, v]) => `${k}:${v}`)
          .join(', ')}${byTime ? " (matched by time: placement did not log the caller's request id)" : ''}`,
      ),
    };
  const spec = b.instanceUuid ? ctx.facts.api?.requestSpecs.find((s) => s.instanceUuid === b.instanceUuid) : undefined;
  if (spec?.resources)
    return {
      resources: spec.resources,
      from: 'the request spec',
      evidence: {
        text: `request spec of ${b.instanceUuid}: flavor ${spec.flavor?.name ?? '?'} asks ${Object.entries(spec.resources)
          .map(([k, v]) => `${k}:${v}`)
          .join(', ')}`,
        source: spec.source,
      },
    };
  const i = b.dbInstance;
  if (i && i.vcpus !== undefined) {
    const r: Record<string, number> = { VCPU: i.vcpus, MEMORY_MB: i.memoryMb ?? 0, DISK_GB: (i.rootGb ?? 0) + (i.ephemeralGb ?? 0) };
    return {
      resources: r,
      from: 'the instance record',
      evidence: { text: `${i.cellDb}.instances ${i.uuid}: vcpus=${i.vcpus} memory_mb=${i.memoryMb} root_gb=${i.rootGb}`, source: i.source },
    };
  }
  return {};
}

/** Does any provider have inventory of this class? */
export function offered(ctx: DetectContext, rc: string): boolean {
  for (const m of ctx.ix.inventories.values()) if (m.has(rc)) return true;
  return false;
}

/** The build's first dated failing line, host-offset-adjusted: the moment placement's state is rebuilt for. */
function failureTime(ctx: DetectContext, b: Build): { ms: number; ts: string } | undefined {
  let best: { ms: number; ts: string } | undefined;
  for (const e of b.signals) {
    if (!e.ts) continue;
    const ms = tsMs(e.ts) - (ctx.offsets.get(e.host) ?? 0);
    if (Number.isFinite(ms) && (!best || ms < best.ms)) best = { ms, ts: e.ts };
  }
  return best;
}

function gatherCandidates(ctx: DetectContext, b: Build, related: readonly StoredEvent[], haveDump: boolean): Candidates {
  const req = requested(ctx, b, related);
  const all = req.byTime ? [...related, req.byTime] : related;
  let pcpuAsVcpu = false;
  if (req.resources?.PCPU && req.from !== 'the placement query' && haveDump && !offered(ctx, 'PCPU')) {
    // No compute reports PCPU: nova asks VCPU instead (the fallback query; the only kind before Train).
    const { PCPU, ...rest } = req.resources;
    req.resources = { ...rest, VCPU: (rest.VCPU ?? 0) + PCPU };
    pcpuAsVcpu = true;
  }
  const filterZero = all.filter(
    (e) =>
      matches(filterReturnedZero, e) ||
      matches(filtersRemovedAllHosts, e) ||
      matches(schedulerFiltersNoneRaised, e) ||
      matches(schedulerPrePlacementEmptyReason, e) ||
      driverNoValidHost(e, all),
  );
  const resources = req.resources;
  let fits: ProviderFit[] | undefined;
  const failedAt = failureTime(ctx, b);
  const createdLater = failedAt && haveDump ? providersCreatedAfter(ctx.ix, failedAt.ms) : [];
  const changedLater: Candidates['changedLater'] = [];
  if (failedAt && haveDump && resources)
    for (const [pid, invs] of ctx.ix.inventories)
      for (const rc of Object.keys(resources)) {
        const inv = invs.get(rc);
        const rp = ctx.ix.providers.get(pid);
        if (inv?.updatedAt && rp && dumpTimeMs(inv.updatedAt) > failedAt.ms && !(dumpTimeMs(inv.createdAt) > failedAt.ms))
          changedLater.push({ provider: rp.name ?? rp.uuid, resourceClass: rc, updatedAt: inv.updatedAt });
      }
  return {
    failedAt,
    createdLater,
    changedLater,
    ...noCandidatesOf(all),
    search: all.filter((e) => e.placementSearch?.outcome === 'none'),
    requested: req,
    pcpuAsVcpu,
    filterZero,
    startedEmpty: all.find((e) => matches(filtersStartedEmpty, e)),
    fits: resources && haveDump ? () => (fits ??= fitRequest(ctx.ix, resources, failedAt?.ms)) : undefined,
    related: all,
  };
}

/**
 * The scheduler's own WARNING that set an instance to ERROR (Folsom–Icehouse, handle_schedule_error) with no exception
 * of its request logged before it: that function logs one for every error but NoValidHost, which the filter scheduler
 * raised, with an empty reason, when its filters and weighers had no host left for the instance.
 */
export function driverNoValidHost(e: StoredEvent, related: readonly StoredEvent[]): boolean {
  if (!matches(schedulerDriverInstanceError, e) || !e.requestId) return false;
  return !related.some((x) => x.requestId === e.requestId && x.seq < e.seq && matches(schedulerDriverRunInstanceRaised, x));
}

/** The scheduler's own "Got no allocation candidates", else a traceback of its raise on that path. */
function noCandidatesOf(all: readonly StoredEvent[]): Pick<Candidates, 'noCandidates' | 'noCandidatesRaised'> {
  const own = all.find((e) => matches(schedulerNoCandidates, e));
  if (own) return { noCandidates: own };
  const raised = all.find((e) => matches(schedulerNoCandidatesRaised, e));
  if (raised) return { noCandidates: raised, noCandidatesRaised: 'traceback' };
  const remote = all.find((e) => matches(schedulerNoCandidatesRemote, e));
  return remote ? { noCandidates: remote, noCandidatesRaised: 'remote' } : {};
}

const NEUTRON_API = /\bhttps?:\/\/\S+\/v2\.0\/(?:networks|ports|subnets|security-groups|floatingips)\b/;

function attempt(host: string, failure: { types: string[]; texts: string[] }, e: StoredEvent, spawn: boolean): Attempt {
  const classes = failureClasses(failure.types, failure.texts);
  const kind = classifyFailure(failure.types, failure.texts);
  const byReason = kind ? undefined : classifyReason(failure.texts);
  // A driver's own words that its spawn failed (ironic's node deploy), or libvirt's own error as the reason the build was
  // rescheduled or aborted with: the hypervisor's failure, whatever line carried it, and that error its label.
  const libvirtError = kind ? undefined : libvirtSpawnError(failure.texts);
  const driver = kind ? undefined : (spawnReasonDriver(failure.texts) ?? (libvirtError ? 'libvirt' : undefined));
  const first = libvirtError?.split('\n')[0];
  return {
    host,
    kind,
    label: first ? (first.length > 160 ? `${first.slice(0, 159)}…` : first) : failureLabel(classes, failure.texts[0]),
    event: e,
    spawn: spawn || !!driver,
    ...(byReason ? { byReason } : {}),
    ...(driver ? { driver } : {}),
  };
}

/** A compute's claim its own numbers refused: an attempt that failed there, in nova's words for it. */
function claimAttemptOf(e: StoredEvent, related: readonly StoredEvent[], kind: ComputeFailureKind | undefined): Attempt | undefined {
  if (!matches(computeClaimLimit, e)) return undefined;
  const r = claimRefusal(e, related);
  return r
    ? { host: e.host, kind, label: `the claim: ${r.reason} (limit ${r.limit.toFixed(2)} ${r.unit})`, event: e, spawn: false }
    : undefined;
}

/** One failed attempt, from a compute's line or from the conductor's "Error from last host". */
function attemptOf(e: StoredEvent): Attempt | undefined {
  const last = match(errorFromLastHost, e);
  if (last) return attempt(last.host, reprTraceback(last.error), e, false);
  // A pasted fault whose class is a compute's failure (BuildAbortException's image, PortBindingFailed…): an attempt on a
  // compute the fault does not name.
  if (e.pasted?.fault) {
    // The compute's own "Instance failed to spawn: <error>" pasted alone: its unclassified error is the hypervisor's.
    const a = attempt('unknown', eventFailure(e), e, matches(computeSpawnFailed, e));
    // A build aborted while talking to neutron's API (keystoneauth's connection error names its URL): its network.
    if (!a.kind && e.exception?.type === 'BuildAbortException' && NEUTRON_API.test(e.message))
      a.kind = COMPUTE_FAILURES.find((k) => k.code === 'network-setup-failed');
    // The fault is libvirt's own error, recorded as the compute met it before rescheduling: the guest's start failed.
    const fault = e.pasted.fault.message;
    if (!a.kind && !a.spawn && isLibvirtErrorText(fault)) {
      const first = fault.split('\n')[0];
      Object.assign(a, { spawn: true, driver: 'libvirt', label: first.length > 160 ? `${first.slice(0, 159)}…` : first });
    }
    return a.kind || a.spawn || a.byReason ? a : undefined;
  }
  // A compute's failed build that is not an ERROR (the DEBUG "was re-scheduled") only joins the attempt its ERROR made.
  if (e.service !== 'nova-compute' || ![...ATTEMPT_SIGNATURES, computeBuildAborted].some((s) => matches(s, e))) return undefined;
  const a = attempt(e.host, eventFailure(e), e, matches(computeSpawnFailed, e) || matches(computeBuildAndRunFailed, e));
  // Where no class names the cause, where the traceback failed does (an os-vif plug, the guest's start).
  const frames = framesOf(e);
  const byFrames = a.kind ? undefined : classifyFrames(frames);
  if (byFrames) Object.assign(a, { kind: byFrames.kind, spawn: a.spawn || byFrames.spawn });
  // A traceback quoted without its exception line is known by where it failed.
  if (byFrames && !e.exception) a.label = tracedThrough(frames);
  return a;
}

/**
 * One attempt per host, in time order: a compute writes several lines for one failure (the spawn error, then the
 * reschedule), and the conductor's "Error from last host" repeats it; the most specific cause any of them names wins.
 */
function gatherAttempts(related: readonly StoredEvent[]): Attempt[] {
  const byHost = new Map<string, Attempt>();
  const claimFailed = COMPUTE_FAILURES.find((k) => k.code === 'claim-failed');
  for (const a of related.map((e) => claimAttemptOf(e, related, claimFailed) ?? attemptOf(e))) {
    if (!a) continue;
    const host = a.host.split('.')[0];
    const seen = byHost.get(host);
    if (!seen) byHost.set(host, a);
    else {
      if (!seen.kind && a.kind) Object.assign(seen, { kind: a.kind, label: a.label });
      seen.spawn ||= a.spawn;
      seen.byReason ??= a.byReason;
    }
  }
  // An attempt whose own lines name no cause (BuildAbortException's "Failed to allocate the network(s)") takes the one
  // the same host logged for it just before: the libvirt driver's "Timeout waiting for [('network-vif-plugged'…", or
  // nova-docker's warning whose traceback failed in _attach_vifs.
  for (const [host, a] of byHost) {
    if (a.kind) continue;
    const before = related.filter(
      (e) => e.host.split('.')[0] === host && (e.level === 'WARNING' || e.level === 'ERROR') && e.seq !== a.event.seq && e.ts <= a.event.ts,
    );
    // Its class or template, else where its traceback failed (the driver's own warning through its VIF plugging).
    const told = before
      .map((x) => ({ event: x, kind: classifyEventFailure(x) ?? classifyFrames(framesOf(x))?.kind }))
      .findLast((t) => t.kind !== undefined);
    const by = told ?? neutronsError(a, related);
    a.kind = by?.kind ?? a.byReason;
    if (by) a.decidedBy = by.event;
  }
  return [...byHost.values()];
}

/** The least of an error's text compared: a shorter one ("Error", "None") says nothing of where it came from. */
const MIN_SHARED_ERROR = 16;

/**
 * The error a failed line carries as its own text: a BuildAbortException's reason (the build aborted with the text of
 * what it caught), else its exception's message. Undefined when shorter than MIN_SHARED_ERROR.
 */
export function failureErrorText(e: StoredEvent): string | undefined {
  const reasonOf = (t: string | undefined): string | undefined =>
    t ? exceptionOfText(t, ['BuildAbortException'])?.fields.reason : undefined;
  const text = reasonOf(e.exception?.message) ?? reasonOf(e.pasted?.fault?.message) ?? reasonOf(e.message) ?? e.exception?.message;
  return text && text.length >= MIN_SHARED_ERROR ? text : undefined;
}

/**
 * network-setup-failed, where the attempt's own error (a BuildAbortException's reason, else its exception's text) is
 * what neutron's client raised when the same host, in the same request, cleaned up the build's networks: keystoneauth's
 * MissingRequiredOptions for a [neutron] section without auth_url names no service, the cleanup line does.
 */
function neutronsError(a: Attempt, related: readonly StoredEvent[]): { kind: ComputeFailureKind; event: StoredEvent } | undefined {
  const e = a.event;
  if (!e.requestId) return undefined;
  const reason = failureErrorText(e);
  if (!reason) return undefined;
  const host = a.host.split('.')[0];
  const cleanup = related.find(
    (x) => x.requestId === e.requestId && x.host.split('.')[0] === host && match(computeNetworkCleanupFailed, x)?.error.startsWith(reason),
  );
  const kind = COMPUTE_FAILURES.find((k) => k.code === 'network-setup-failed');
  return cleanup && kind ? { kind, event: cleanup } : undefined;
}

export function gatherEvidence(ctx: DetectContext, build: Build, related: readonly StoredEvent[]): BuildEvidence {
  const haveDump = !!ctx.facts.placement;
  let candidates: Candidates | undefined;
  let attempts: Attempt[] | undefined;
  return {
    ctx,
    build,
    related,
    haveDump,
    candidates: () => (candidates ??= gatherCandidates(ctx, build, related, haveDump)),
    attempts: () => (attempts ??= gatherAttempts(related)),
    addAttempt: (a) => {
      (attempts ??= gatherAttempts(related)).push(a);
    },
    finding: (code, test) => ctx.findings.find((f) => f.code === code && (!test || test(f))),
  };
}
