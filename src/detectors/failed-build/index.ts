import { basename } from 'node:path';
import { tsMs } from '../../model/clock.js';
import {
  noValidHostExceededAttempts,
  schedulerChoosingHost,
  schedulerDriverRunInstanceRaised,
  schedulerUtilsBuildFailedText,
  schedulerUtilsMoveFailed,
} from '../../signatures/conductor.js';
import {
  changingRequests,
  instanceLines,
  placementSearches,
  problems,
  schedulingDecisions,
  schedulingStory,
} from '../../signatures/context.js';
import { computeBuildSucceeded } from '../../signatures/compute.js';
import { creatingHostMapping, schedulerDiscoveredHosts, schedulerHostNotMapped } from '../../signatures/cells.js';
import { placementCandidatesRefused, placementServerError, placementUnreachable } from '../../signatures/placement.js';
import {
  filterReturnedZero,
  filtersRemovedAllHosts,
  filtersStartedEmpty,
  schedulerFiltersNoneRaised,
  schedulerPrePlacementEmptyReason,
  schedulerNoCandidates,
  schedulerNoCandidatesRaised,
  schedulerNoCandidatesRemote,
  schedulerNotEnoughHosts,
  schedulerStartingToSchedule,
} from '../../signatures/scheduler.js';
import { errorFromLastHost } from '../../signatures/conductor.js';
import { matches } from '../../signatures/signature.js';
import { causesFromSameErrors } from './shared-error.js';
import { decideCause, type Detector, incidentId, logEvidence, namedHost, short, span, timeline } from '../detector.js';
import { IncidentList } from '../incident-list.js';
import type { StoredEvent } from '../../correlate/event-store.js';
import { ATTEMPT_SIGNATURES, type Build, collectBuilds, FAILURE_SIGNATURES } from './builds.js';
import { computeExternalEventFailed, computeNetworkCleanupFailed } from '../../signatures/compute.js';
import { pastedFault } from '../../signatures/fault.js';
import { pastedServerList } from '../../signatures/cli-state.js';
import { computeClaimAttempt, computeClaimLimit, computeClaimTotal, trackerAuditFree } from '../../signatures/claims.js';
import { pastedGaps } from '../pasted-faults.js';
import { BUILD_CAUSES } from './causes/index.js';
import { type BuildEvidence, gatherEvidence } from './evidence.js';

/**
 * Builds that ended in ERROR, and why. Signals (structure and exception
 * classes, never translated text): the conductor's ERROR with NoValidHost /
 * MaxRetriesExceeded, nova.scheduler.utils' "Setting instance to ERROR state"
 * warning with its exception, BuildAbortException on a compute, the
 * conductor's host-to-cell mapping error, instances buried in cell0. The
 * cause comes from the request's placement query and the database, by the
 * rules of ./causes, tried in order.
 * Where the conductor's log is not among the inputs, the scheduler's own
 * refusal of a request (its filters removed every host, or placement had no
 * candidate) stands for the failure, and the incident says what is missing.
 */

const SERVER_ACTION = /\/servers\/[0-9a-f-]{36}\/action$/;

export const failedBuild: Detector<BuildEvidence> = {
  kind: 'failed-build',
  name: 'failed build',
  title: 'Builds that ended in ERROR',
  description:
    'A server build that failed to schedule or on its computes, from the conductor, scheduler and compute lines of its request and the databases, explained down to the placement figures.',
  causes: BUILD_CAUSES,
  details:
    "each cause's details, and `instances[]`: every instance of a multi-create whose scheduling failed (one incident for the request)",
  signatures: [
    ...FAILURE_SIGNATURES,
    schedulerUtilsBuildFailedText,
    schedulerUtilsMoveFailed,
    filtersRemovedAllHosts,
    filterReturnedZero,
    filtersStartedEmpty,
    schedulerNoCandidates,
    schedulerNoCandidatesRaised,
    schedulerNoCandidatesRemote,
    schedulerFiltersNoneRaised,
    schedulerPrePlacementEmptyReason,
    noValidHostExceededAttempts,
    schedulerNotEnoughHosts,
    schedulerStartingToSchedule,
    schedulerDriverRunInstanceRaised,
    schedulerChoosingHost,
    ...ATTEMPT_SIGNATURES.filter((s) => s !== errorFromLastHost),
    errorFromLastHost,
    computeBuildSucceeded,
    placementUnreachable,
    placementServerError,
    placementCandidatesRefused,
    pastedFault,
    pastedServerList,
    computeClaimAttempt,
    computeClaimLimit,
    computeClaimTotal,
    trackerAuditFree,
    computeExternalEventFailed,
    computeNetworkCleanupFailed,
    schedulerHostNotMapped,
    schedulerDiscoveredHosts,
    creatingHostMapping,
  ],
  context: [problems, instanceLines, changingRequests, placementSearches, schedulingStory, schedulingDecisions],
  detect(ctx) {
    const incidents = new IncidentList(ctx, failedBuild);
    const at = (e: StoredEvent): number => tsMs(e.ts) - (ctx.offsets.get(e.host) ?? 0);
    const kept: { b: Build; related: StoredEvent[]; ev: BuildEvidence }[] = [];
    for (const b of collectBuilds(ctx)) {
      // A build that failed once and was rescheduled to success is not an incident.
      if (b.dbInstance && b.dbInstance.vmState === 'active' && b.dbInstance.host) continue;
      // A refusal alone: an instance the database shows alive, or any sign of a move, makes it no failed build.
      if (b.schedulerOnly && b.dbInstance && b.dbInstance.vmState !== 'error') continue;
      const reqs = [...b.requestIds];
      const related = ctx.store.related(reqs, b.instanceUuid ? [b.instanceUuid] : []);
      if (
        b.schedulerOnly &&
        (related.some((e) => matches(schedulerUtilsMoveFailed, e) || SERVER_ACTION.test(e.http?.path ?? '')) ||
          (b.instanceUuid && ctx.ix.migrationsByInstance.get(b.instanceUuid)?.length))
      )
        continue;
      // Looked up in a set: a build's signals and related events both grow with the log.
      const inRelated = new Set(related);
      const add = (e: StoredEvent): void => {
        if (inRelated.has(e)) return;
        inRelated.add(e);
        related.push(e);
      };
      for (const s of b.signals) add(s);
      if (b.attemptsOnly) {
        // Failed attempts are no failed build when the build went on to finish (rescheduled to success), or the
        // database keeps it in ERROR with no host, which confirms it.
        const lastFailure = Math.max(...b.signals.map(at));
        if (related.some((e) => matches(computeBuildSucceeded, e) && !(at(e) < lastFailure))) continue;
        if (b.dbInstance?.vmState === 'error') b.attemptsOnly = false;
      }
      // Not its set: held for every build until the last is decided, the sets were most of detection's memory.
      kept.push({ b, related, ev: gatherEvidence(ctx, b, related) });
    }
    causesFromSameErrors(kept.map((k) => k.ev));
    // A compute's failure that names no instance (Kilo's "Instance failed network setup" under `[-]`) is the same
    // attempt as a named build's reschedule line of the same kind within two minutes: one incident, the named one.
    const named = kept.filter((k) => k.b.instanceUuid).flatMap((k) => k.ev.attempts());
    const duplicate = (k: (typeof kept)[number]): boolean =>
      !k.b.instanceUuid &&
      k.b.requestIds.size === 0 &&
      !!k.b.attemptsOnly &&
      k.ev.attempts().length > 0 &&
      k.ev.attempts().every((a) => named.some((n) => n.kind && n.kind === a.kind && Math.abs(at(n.event) - at(a.event)) <= 120_000));
    for (const k of kept) {
      if (duplicate(k)) continue;
      const { b, related, ev } = k;
      const reqs = [...b.requestIds];
      const d = decideCause(BUILD_CAUSES, ev);
      if (d.events) {
        const inRelated = new Set(related);
        for (const e of d.events)
          if (!inRelated.has(e)) {
            inRelated.add(e);
            related.push(e);
          }
      }
      const name = b.dbInstance?.displayName;
      const first = b.signals[0];
      const others = (b.instances?.length ?? 1) - 1;
      const who = b.instanceUuid
        ? others > 0
          ? `instance ${short(b.instanceUuid)} and ${others} more of its request (a multi-create)`
          : name
            ? `${name} (${short(b.instanceUuid)})`
            : `instance ${short(b.instanceUuid)}`
        : reqs[0]
          ? `request ${reqs[0]}`
          : `an instance logged at ${first ? (namedHost(first.host) ? `${first.host} line ${first.line}` : `line ${first.line} of ${basename(first.file)}`) : 'an unknown place'}`;
      const what = `${b.schedulerOnly ? 'Scheduling of' : 'Build of'} ${who}`;
      if (b.schedulerOnly) {
        d.gaps.push(
          "only the scheduler's refusal was read (no nova-conductor line of the request): that the instance was set to ERROR is inferred; a move (migrate, resize, evacuate) refused the same way would look alike",
        );
        if (b.finalAssumed)
          d.gaps.push(
            "how many instances the request asked for is not read (the scheduler's DEBUG 'Starting to schedule for instances'): from Queens on, a multi-create's later instance refused the same way can leave the build going on",
          );
      }
      d.gaps.push(
        ...pastedGaps(b.signals, b.instanceUuid ? `instance ${b.instanceUuid}` : reqs[0] ? `request ${reqs[0]}` : 'the failure time'),
      );
      if (b.tiedBy) d.gaps.push(...b.tiedBy);
      if (b.listed && b.signals.every((e) => e.pasted?.shape === 'listing'))
        d.gaps.push(
          "only a server listing was read: the server is in ERROR and its hypervisor never ran it (power state NOSTATE), so its build failed; why is in the server's fault, or the nova-conductor and nova-scheduler logs of its request",
        );
      if (b.endedUnnamed && d.code === 'unknown')
        d.gaps.push(
          "the conductor set the instance to ERROR without naming what ended the build (before Liberty it did not): the nova-scheduler log of its request, or the compute's, would say why the attempt was not retried elsewhere",
        );
      if (!b.instanceUuid)
        d.gaps.push(
          reqs.length
            ? 'no line read names the instance: the failure is known by its request id only'
            : 'no line read names the instance or a request: the failure is known by its log line only',
        );
      const failingSeqs = new Set(b.signals.map((s) => s.seq));
      const tl = timeline(ctx, related, (e) => failingSeqs.has(e.seq), d.gaps);
      const evidence = [...d.evidence];
      // Lines already cited, by file: a check per signal, not a scan of the evidence.
      const cited = new Map<string, Set<number>>();
      const cite = (file: string, line: number): boolean => {
        const lines = cited.get(file) ?? cited.set(file, new Set()).get(file)!;
        return lines.size !== lines.add(line).size;
      };
      for (const x of evidence) if ('line' in x.source) cite(x.source.file, x.source.line);
      // A listing is cited by its row of this server, not by its header.
      for (const row of b.listed ?? [])
        if (cite(row.event.file, row.event.line))
          evidence.push({
            ...logEvidence(row.event),
            text: `${row.event.host === 'unknown' ? '' : `${row.event.host}: `}pasted server listing: ${row.uuid}${row.name ? ` (${row.name})` : ''} status ${row.status}, power state ${row.powerState}`,
          });
      for (const s of b.signals) if (cite(s.file, s.line)) evidence.push(logEvidence(s));
      if (b.dbInstance)
        evidence.push({
          text: `${b.dbInstance.cellDb}.instances: ${b.dbInstance.uuid} vm_state=${b.dbInstance.vmState} host=${b.dbInstance.host ?? 'NULL'}${ctx.ix.isCell0(b.dbInstance.cellDb) ? ' (buried in cell0)' : ''}`,
          source: b.dbInstance.source,
        });
      if (b.signals.length === 0)
        d.gaps.push('no log line of the failure was read: the incident comes from the database (instance buried in cell0)');
      const { start, end } = span(tl);
      incidents.add({
        id: incidentId('failed-build', b.key),
        kind: 'failed-build',
        title: d.by.headline ? d.by.headline(d, what) : `${what} failed`,
        severity: 'error',
        instanceUuid: b.instanceUuid,
        requestIds: reqs,
        hosts: [...new Set(tl.map((t) => t.host))],
        start: start ?? b.dbInstance?.createdAt,
        end,
        count: Math.max(1, b.signals.filter((s) => s.level === 'ERROR').length),
        cause: { code: d.code, summary: d.summary, details: b.instances ? { ...d.details, instances: b.instances } : d.details },
        evidence,
        timeline: tl,
        remediation: d.remediation,
        gaps: d.gaps,
      });
    }
    return incidents.list();
  },
};
