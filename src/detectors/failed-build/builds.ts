import type { StoredEvent } from '../../correlate/event-store.js';
import type { Instance } from '../../model/db.js';
import {
  computeBuildAborted,
  computeBuildAndRunFailed,
  computeBuildTraceback,
  computeInstanceFailure,
  computeNetworkSetupFailed,
  computeBlockDevicePrepFailed,
  computeNotifiedFault,
  computeRescheduled,
  computeSpawnFailed,
} from '../../signatures/compute.js';
import {
  buildFailureClassOfText,
  conductorBuildCastFailed,
  conductorHostNotMapped,
  errorFromLastHost,
  conductorScheduleFailed,
  schedulerDriverInstanceError,
  schedulerUtilsBuildFailedText,
  schedulerUtilsExceededAttempts,
  schedulerUtilsInstanceError,
  schedulerUtilsMoveFailed,
} from '../../signatures/conductor.js';
import {
  filtersRemovedAllHosts,
  filtersStartedEmpty,
  checkTypeOf,
  schedulerIgnoringHosts,
  schedulerNoCandidates,
  schedulerNotEnoughHosts,
  schedulerStartingToSchedule,
} from '../../signatures/scheduler.js';
import { claimRefusal, computeClaimLimit } from '../../signatures/claims.js';
import { moveInstanceState } from '../../signatures/move.js';
import { match, matches, type Signature } from '../../signatures/signature.js';
import { type DetectContext, signalled, UUID_RE } from '../detector.js';
import { isCpuRefusal } from '../../signatures/libvirt.js';
import { type CliListedServer, cliListedServers, neverRanInError } from '../cli-state.js';
import { collectMoves } from '../failed-move/moves.js';
import { comparable, faultText, pastedFailures, tieNote } from '../pasted-faults.js';

/**
 * The builds that failed, one per instance (or request, where no line names
 * the instance), from the lines that say so: the conductor's ERROR, scheduler
 * utils' warnings, a compute's BuildAbortException; where the conductor's log
 * is missing, the scheduler's own final refusal; and instances buried in cell0.
 */

export interface Build {
  key: string;
  instanceUuid?: string;
  requestIds: Set<string>;
  signals: StoredEvent[];
  dbInstance?: Instance;
  /** Only the scheduler's refusal was read: no conductor or compute line of the failure. */
  schedulerOnly?: boolean;
  /** The refusal was taken to end the build though no line says how many instances the request asked for. */
  finalAssumed?: boolean;
  /** Its end is scheduler utils' "Setting instance to ERROR state." naming no exception (Kilo and before). */
  endedUnnamed?: boolean;
  /** Only failed attempts were read (a compute's error, a reschedule): nothing says the build as a whole failed. */
  attemptsOnly?: boolean;
  /** A multi-create whose scheduling failed: every instance of the request, this build's first. */
  instances?: string[];
  /** How a pasted fault that named no server was tied to this build, said in the incident's gaps. */
  tiedBy?: string[];
  /** Its rows in a pasted server listing (in ERROR, never run). */
  listed?: CliListedServer[];
}

/** A compute failed one attempt of the build; the conductor may have rescheduled it elsewhere. */
export const ATTEMPT_SIGNATURES: readonly Signature[] = [
  computeSpawnFailed,
  computeBuildAndRunFailed,
  computeNetworkSetupFailed,
  computeBlockDevicePrepFailed,
  computeRescheduled,
  computeInstanceFailure,
  computeBuildTraceback,
  computeNotifiedFault,
  errorFromLastHost,
];

/** Signatures that say a build failed, whichever service wrote them. */
export const FAILURE_SIGNATURES: readonly Signature[] = [
  conductorScheduleFailed,
  conductorHostNotMapped,
  conductorBuildCastFailed,
  schedulerUtilsInstanceError,
  schedulerUtilsExceededAttempts,
  schedulerDriverInstanceError,
  computeBuildAborted,
];

const UUIDS = new RegExp(UUID_RE.source, 'g');

/** The exception a failure signal names: its class where the line has one, else from the text scheduler utils logged. */
export function failureClass(e: StoredEvent | undefined): string | undefined {
  if (!e) return undefined;
  if (e.exception) return e.exception.type;
  return buildFailureClassOfText(e.message);
}

/**
 * A pasted fault that names nothing may be the logged build's failure seen from outside only if it says the same:
 * its class among the build's, or (naming none) its text in one of the build's lines. A ticket quoting several
 * failures pastes one build's logs beside another's fault.
 */
function sameFailure(fault: StoredEvent, signals: readonly StoredEvent[]): boolean {
  const cls = fault.exception?.type;
  if (cls) return signals.some((s) => s.exception?.type === cls || !!s.exceptionChain?.some((x) => x.type === cls));
  const text = faultText(fault);
  return text.length > 0 && signals.some((s) => comparable(s.message).includes(text));
}

/** Faults that end a build whatever failed its attempts: the attempts' error is not theirs to contradict. */
const ENDING_CLASSES: ReadonlySet<string> = new Set(['MaxRetriesExceeded', 'NoValidHost']);

/**
 * A server seen only in pasted output (its fault, a listing's row) may be the build a nameless attempt failed: when
 * it has no fault (a listing's row), a fault that ends any build (retries exhausted, no valid host), or the attempt's
 * own (its class, or its text where it names none).
 */
function mayBeAttemptOf(b: Build, attempt: Build): boolean {
  const faults = b.signals.filter((e) => e.pasted?.fault);
  return faults.every((f) => {
    const cls = f.exception?.type;
    return (cls !== undefined && ENDING_CLASSES.has(cls)) || sameFailure(f, attempt.signals);
  });
}

/** The events of several signatures, each once, in arrival order. */
function union(ctx: DetectContext, sigs: readonly Signature[]): StoredEvent[] {
  const out = new Map<number, StoredEvent>();
  for (const s of sigs) for (const e of signalled(ctx, s)) out.set(e.seq, e);
  return [...out.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * A refusal that ended the request. No candidates always raises NoValidHost.
 * Filters that removed every host may be the re-run that picks alternates for
 * the 2nd and later instances of a multi-create (Queens+), after which the
 * build goes on: final only with the scheduler's own "not enough hosts", with
 * filters that started empty (the first pass had none either), for a
 * request of one instance, or for a line with no request at all (pasted
 * alone: nothing of a multi-create around it).
 */
function refusalIsFinal(ctx: DetectContext, e: StoredEvent): 'final' | 'assumed' | undefined {
  if (matches(schedulerNoCandidates, e)) return 'final';
  // The line alone (pasted, no request id): nothing says a multi-create's build went on.
  if (!e.requestId) return 'final';
  const events = e.requestId ? (ctx.store.byRequest.get(e.requestId) ?? []) : [];
  if (events.some((x) => matches(schedulerNotEnoughHosts, x) || matches(filtersStartedEmpty, x))) return 'final';
  const list = events.map((x) => match(schedulerStartingToSchedule, x)).find((m) => m !== undefined);
  if (list) return [...list.instances.matchAll(UUIDS)].length === 1 ? 'final' : undefined;
  // How many instances the request asked for is not read (INFO logs, an excerpt). Where the conductor's log
  // was read, its silence says the build went on; where it was not, nothing says so, and before Queens
  // (no alternates) the refusal always ended the build: the incident's gap says the rest was inferred.
  return ctx.servicesRead.has('nova-conductor') ? undefined : 'assumed';
}

export function collectBuilds(ctx: DetectContext): Build[] {
  const byKey = new Map<string, Build>();
  // The conductor's errors name no instance; the request's other lines do.
  const instanceOfRequest = (req: string): string | undefined => {
    const events = ctx.store.byRequest.get(req) ?? [];
    for (const e of events) if (e.instanceUuid && e.logger === 'nova.scheduler.utils') return e.instanceUuid;
    const named = new Set<string>();
    for (const e of events) {
      const list = match(schedulerStartingToSchedule, e);
      if (list) for (const u of list.instances.matchAll(UUIDS)) named.add(u[0]);
      const put = e.http?.method === 'PUT' ? /^\/(?:placement\/)?allocations\/([0-9a-f-]{36})$/.exec(e.http.path) : null;
      if (put) named.add(put[1]);
    }
    return named.size === 1 ? [...named][0] : undefined;
  };
  const add = (key: string, inst: string | undefined, e: StoredEvent, schedulerOnly?: boolean): void => {
    let b = byKey.get(key);
    if (!b) byKey.set(key, (b = { key, instanceUuid: inst, requestIds: new Set(), signals: [], schedulerOnly }));
    if (e.requestId) b.requestIds.add(e.requestId);
    b.signals.push(e);
  };
  const known = (): Set<string> => new Set([...byKey.values()].flatMap((b) => [...b.requestIds]));

  for (const e of union(ctx, FAILURE_SIGNATURES)) {
    // scheduler-utils "Failed to compute_task_migrate_server" is a move, not a build; so is an instance set back to
    // ACTIVE (or STOPPED…) with the NoValidHost that refused its move (Queens+ appends the exception to the line).
    if (matches(schedulerUtilsMoveFailed, e)) continue;
    const setBack = match(moveInstanceState, e);
    if (setBack && setBack.state !== 'ERROR') continue;
    const req = e.requestId;
    const inst = e.instanceUuid ?? match(schedulerUtilsExceededAttempts, e)?.instance ?? (req ? instanceOfRequest(req) : undefined);
    add(inst ?? req ?? `${e.host}:${e.file}:${e.line}`, inst, e);
  }

  // scheduler utils' "Failed to compute_task_build_instances: <exception text>" (the text without its class):
  // a failure of its own only where no line above names the request or the instance (a one-line excerpt).
  const named = known();
  for (const e of signalled(ctx, schedulerUtilsBuildFailedText)) {
    const req = e.requestId;
    const inst = e.instanceUuid ?? (req ? instanceOfRequest(req) : undefined);
    if ((req && named.has(req)) || (inst && byKey.has(inst))) continue;
    add(inst ?? req ?? `${e.host}:${e.file}:${e.line}`, inst, e);
  }

  // Where no conductor line of the request was read, the scheduler's refusal is the only line of the failure
  // (the conductor logs every scheduling failure it gets back, a build's or a move's, under the same request id).
  const seen = known();
  const conductorSaw = (req: string): boolean => (ctx.store.byRequest.get(req) ?? []).some((x) => x.service === 'nova-conductor');
  for (const e of union(ctx, [filtersRemovedAllHosts, schedulerNoCandidates])) {
    const req = e.requestId;
    if (req && (seen.has(req) || conductorSaw(req))) continue;
    // The scheduler leaving hosts out is a move's request (its source): not a build's refusal.
    if (req && (ctx.store.byRequest.get(req) ?? []).some((x) => matches(schedulerIgnoringHosts, x) || checkTypeOf(x) !== undefined))
      continue;
    const inst = e.instanceUuid ?? match(filtersRemovedAllHosts, e)?.instance ?? (req ? instanceOfRequest(req) : undefined);
    // Without the instance neither the database nor the API can tell a build from a move (a resize refused at INFO).
    const finality = inst ? refusalIsFinal(ctx, e) : undefined;
    if (!inst || !finality) continue;
    const existing = byKey.get(inst);
    if (existing && !existing.schedulerOnly) continue;
    add(inst, inst, e, true);
    if (finality === 'assumed') byKey.get(inst)!.finalAssumed = true;
  }
  // Server faults pasted alone (../pasted-faults.ts): the failure seen from outside, one incident with the logged one of
  // its instance or request. A fault that shows a move, or of an instance a move failed for, is the failed-move detector's.
  const moved = new Set(collectMoves(ctx).flatMap((m) => (m.instanceUuid ? [m.instanceUuid] : [])));
  for (const f of pastedFailures(ctx)) {
    // The client's `ERROR (BadRequest): Unacceptable CPU info: …` is a live migration's refusal, not a build's.
    if (f.move || (f.instanceUuid && moved.has(f.instanceUuid)) || isCpuRefusal(f.event)) continue;
    const req = f.requestId;
    const key = f.instanceUuid ?? req ?? `${f.event.file}:pasted`;
    let b = byKey.get(key) ?? (req ? [...byKey.values()].find((x) => x.requestIds.has(req)) : undefined);
    // A fault that names nothing, beside the logs of one failed build: that build's.
    const logged = [...byKey.values()].filter((x) => !x.signals.some((e) => e.pasted));
    if (!b && !f.instanceUuid && !req && logged.length === 1 && sameFailure(f.event, logged[0].signals)) {
      b = logged[0];
      (b.tiedBy ??= []).push(`a pasted fault names no server: taken to be the one failed build the logs show`);
    }
    if (!b) byKey.set(key, (b = { key, instanceUuid: f.instanceUuid, requestIds: new Set(), signals: [] }));
    if (req) b.requestIds.add(req);
    b.instanceUuid ??= f.instanceUuid;
    // The fault says the server is in ERROR: what the scheduler's refusal or a failed attempt only suggested.
    b.schedulerOnly = false;
    b.attemptsOnly = false;
    for (const e of [f.event, ...(f.refusal ? [f.refusal] : [])]) if (!b.signals.includes(e)) b.signals.push(e);
    const tie = tieNote(f.tiedBy, f.instanceUuid, req);
    if (tie && !b.tiedBy?.includes(tie)) (b.tiedBy ??= []).push(tie);
  }
  // A pasted server listing's server in ERROR that never ran (../cli-state.ts): its build failed, whatever the lines
  // read say of it; one incident with the logged one of its instance.
  for (const row of cliListedServers(ctx)) {
    if (!neverRanInError(row) || moved.has(row.uuid)) continue;
    let b = byKey.get(row.uuid);
    if (!b) byKey.set(row.uuid, (b = { key: row.uuid, instanceUuid: row.uuid, requestIds: new Set(), signals: [] }));
    // The listing says the server is in ERROR: what the scheduler's refusal or a failed attempt only suggested.
    b.schedulerOnly = false;
    b.attemptsOnly = false;
    (b.listed ??= []).push(row);
    if (!b.signals.includes(row.event)) b.signals.push(row.event);
  }
  // Failed attempts: a compute's error, a reschedule. Where nothing above names the build, the attempts stand for it
  // (a compute's log alone, an excerpt): the incident says the outcome is not known.
  for (const e of union(ctx, ATTEMPT_SIGNATURES)) {
    const req = e.requestId;
    const inst = e.instanceUuid ?? (req ? instanceOfRequest(req) : undefined);
    const key = inst ?? req ?? `${e.host}:${e.file}:${e.line}`;
    // An attempt that aborts the build (no reschedule follows it) says the build as a whole failed.
    const ends = matches(computeBlockDevicePrepFailed, e);
    const existing = byKey.get(key);
    if (existing) {
      if (!existing.signals.includes(e)) existing.signals.push(e);
      if (req) existing.requestIds.add(req);
      if (ends) existing.attemptsOnly = false;
      continue;
    }
    add(key, inst, e);
    byKey.get(key)!.attemptsOnly = !ends;
  }
  // A compute's claim its numbers refused (../../signatures/claims.ts): an attempt, whose reschedule only DEBUG logs.
  // A move's claim on its destination is logged alike (MoveClaim): an instance whose move failed is the move's.
  for (const e of signalled(ctx, computeClaimLimit)) {
    if (!e.instanceUuid || moved.has(e.instanceUuid) || !claimRefusal(e, ctx.store.related([], [e.instanceUuid]))) continue;
    const existing = byKey.get(e.instanceUuid);
    if (existing) {
      if (!existing.signals.includes(e)) existing.signals.push(e);
      continue;
    }
    add(e.instanceUuid, e.instanceUuid, e);
    byKey.get(e.instanceUuid)!.attemptsOnly = true;
  }
  // Kilo and before set the instance to ERROR without naming the exception (scheduler utils' WARNING): the
  // attempts' build ended there, whatever ended it.
  for (const e of signalled(ctx, moveInstanceState)) {
    if (!e.instanceUuid || match(moveInstanceState, e)?.state !== 'ERROR') continue;
    const b = byKey.get(e.instanceUuid);
    if (!b?.attemptsOnly) continue;
    b.attemptsOnly = false;
    b.endedUnnamed = true;
    if (!b.signals.includes(e)) b.signals.push(e);
  }
  // A compute's failed attempt (or its error pasted alone) that names no instance, beside pasted servers in ERROR that
  // no line of theirs explains: when exactly one of them can be that attempt's build (its fault names no other
  // failure), the attempt is its.
  const nameless = [...byKey.values()].filter((b) => !b.instanceUuid && (b.attemptsOnly || b.signals.every((e) => e.pasted)));
  if (nameless.length === 1) {
    const attempt = nameless[0];
    const seenOnly = [...byKey.values()].filter(
      (b) => b !== attempt && b.instanceUuid && !b.dbInstance && b.signals.every((e) => e.pasted) && mayBeAttemptOf(b, attempt),
    );
    if (seenOnly.length === 1) {
      const b = seenOnly[0];
      byKey.delete(attempt.key);
      for (const e of attempt.signals) if (!b.signals.includes(e)) b.signals.push(e);
      for (const r of attempt.requestIds) b.requestIds.add(r);
      (b.tiedBy ??= []).push(
        `the compute's failed attempt names no instance: taken to be ${b.instanceUuid}'s, the one server the pasted output shows failed that another failure does not explain`,
      );
    }
  }
  // Builds buried in cell0 that left no log here: the database still tells.
  for (const cell of ctx.facts.cells) {
    for (const i of cell.instances) {
      if (i.vmState !== 'error' || i.deleted !== 0) continue;
      if (!ctx.ix.isCell0(cell.db)) continue;
      const b = byKey.get(i.uuid) ?? { key: i.uuid, instanceUuid: i.uuid, requestIds: new Set<string>(), signals: [] };
      b.dbInstance = i;
      // Buried in cell0: the database confirms what the scheduler's refusal only suggested.
      b.schedulerOnly = false;
      b.attemptsOnly = false;
      byKey.set(i.uuid, b);
    }
  }
  for (const b of byKey.values()) if (b.instanceUuid && !b.dbInstance) b.dbInstance = ctx.ix.instance(b.instanceUuid);
  return foldMultiCreate(ctx, [...byKey.values()]);
}

/**
 * A multi-create (min_count > 1) whose scheduling failed is one failure of one request: the conductor sets every
 * instance to ERROR with the same NoValidHost. Builds of one request that failed before any compute (no attempt
 * read) become one, naming every instance: those the lines name, and those the scheduler said it was scheduling.
 * Attempts on computes stay apart: each instance failed on its own host for its own reason.
 */
function foldMultiCreate(ctx: DetectContext, builds: Build[]): Build[] {
  const byRequest = new Map<string, Build[]>();
  for (const b of builds) {
    if (b.attemptsOnly || b.requestIds.size !== 1 || !b.instanceUuid) continue;
    if (b.signals.some((e) => ATTEMPT_SIGNATURES.some((s) => matches(s, e)))) continue;
    const [req] = b.requestIds;
    const list = byRequest.get(req);
    if (list) list.push(b);
    else byRequest.set(req, [b]);
  }
  const dropped = new Set<Build>();
  for (const [req, group] of byRequest) {
    const listed: string[] = [];
    for (const e of ctx.store.byRequest.get(req) ?? []) {
      const m = match(schedulerStartingToSchedule, e);
      if (m) for (const u of m.instances.matchAll(UUIDS)) if (!listed.includes(u[0])) listed.push(u[0]);
    }
    const named = group.map((b) => b.instanceUuid!);
    const instances = [...named, ...listed.filter((u) => !named.includes(u))];
    if (instances.length < 2) continue;
    const [first, ...rest] = group;
    for (const b of rest) {
      for (const e of b.signals) if (!first.signals.includes(e)) first.signals.push(e);
      first.schedulerOnly &&= b.schedulerOnly;
      dropped.add(b);
    }
    first.signals.sort((a, b) => a.seq - b.seq);
    first.instances = instances;
  }
  return builds.filter((b) => !dropped.has(b));
}
