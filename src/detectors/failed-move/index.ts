import { pastedProviderAllocations, pastedServerListAfterMove, pastedServerState } from '../../signatures/cli-state.js';
import type { Incident } from '../../model/incident.js';
import { changingRequests, computeStory, instanceLines, problems, schedulingDecisions, schedulingStory } from '../../signatures/context.js';
import { apiActionCalled, apiActionRefusedStatus, apiMoveRefused } from '../../signatures/api.js';
import { migrationAborted, migrationCompletionTimeout, moveInstanceState } from '../../signatures/move.js';
import { filtersRemovedAllHosts, schedulerIgnoringHosts, schedulerNoCandidates } from '../../signatures/scheduler.js';
import { type Detector, decideCause, incidentId, logEvidence, short, span, timeline } from '../detector.js';
import { computeExternalEventFailed, computeInstanceErrored } from '../../signatures/compute.js';
import { pastedFault } from '../../signatures/fault.js';
import { pastedFailures, pastedGaps, tieNote } from '../pasted-faults.js';
import { IncidentList } from '../incident-list.js';
import { foldRepeats } from '../repeats.js';
import { MOVE_CAUSES } from './causes.js';
import { gatherMoveEvidence, type MoveEvidence } from './evidence.js';
import { collectMoves, MOVE_SIGNATURES } from './moves.js';

/**
 * Moves that failed: cold and live migrations, resizes, evacuations refused by
 * the scheduler, a pre-check or the destination, or failed in the hypervisor.
 * What was tried (operation, source, destination) and the state the instance
 * was left in are said; the cause comes from ./causes.ts, tried in order. A
 * move refused for the CPU is the cpu-incompatible-migration detector's, and
 * a failed move is never a failed build.
 */

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const failedMove: Detector<MoveEvidence> = {
  kind: 'failed-move',
  name: 'failed move',
  title: 'Migrations, resizes and evacuations that failed',
  description:
    'A cold or live migration, resize or evacuation refused by the scheduler, a pre-check or the destination, or failed in the hypervisor: what was tried, between which hosts, the state it left the instance in, and why.',
  causes: MOVE_CAUSES,
  signatures: [
    ...MOVE_SIGNATURES,
    migrationAborted,
    migrationCompletionTimeout,
    moveInstanceState,
    schedulerIgnoringHosts,
    pastedFault,
    computeExternalEventFailed,
    computeInstanceErrored,
    filtersRemovedAllHosts,
    schedulerNoCandidates,
    apiMoveRefused,
    apiActionRefusedStatus,
    pastedServerListAfterMove,
    apiActionCalled,
    pastedProviderAllocations,
    pastedServerState,
  ],
  context: [problems, instanceLines, changingRequests, computeStory, schedulingStory, schedulingDecisions],
  detect(ctx) {
    const incidents: Incident[] = [];
    for (const move of collectMoves(ctx)) {
      const reqs = [...move.requestIds];
      const related = ctx.store.related(reqs, move.instanceUuid && !reqs.length ? [move.instanceUuid] : []);
      for (const s of move.signals) if (!related.includes(s)) related.push(s);
      const ev = gatherMoveEvidence(ctx, move, related);
      const d = decideCause(MOVE_CAUSES, ev);
      if (d.events) for (const e of d.events) if (!related.includes(e)) related.push(e);
      const name = move.dbInstance?.displayName;
      const who = move.instanceUuid
        ? name
          ? `${name} (${short(move.instanceUuid)})`
          : `instance ${short(move.instanceUuid)}`
        : reqs[0]
          ? `request ${reqs[0]}`
          : 'an instance';
      const what = `${capital(ev.operation)} of ${who}`;
      const gaps = [...d.gaps];
      if (move.instanceByTime)
        gaps.push("the failing line names no instance: the instance is the one the same host's line of the same second names");
      for (const f of pastedFailures(ctx))
        if (move.signals.includes(f.event)) {
          const tie = tieNote(f.tiedBy, f.instanceUuid, f.requestId);
          if (tie && !gaps.includes(tie)) gaps.push(tie);
        }
      gaps.push(
        ...pastedGaps(
          move.signals,
          move.instanceUuid ? `instance ${move.instanceUuid}` : reqs[0] ? `request ${reqs[0]}` : 'the failure time',
        ),
      );
      if (move.signals.every((s) => s.service === 'qemu'))
        gaps.push(
          "only the destination's QEMU log was read: that a live migration failed (and not a saved guest's resume, which loads its state the same way) is inferred; the source's nova-compute log names the migration, its request and its source",
        );
      if (!move.instanceUuid) gaps.push('no line read names the instance');
      if (move.api && !move.api.refusedWith)
        gaps.push(
          'the API\'s answer was read without its error text (nova-api\'s INFO "HTTP exception thrown" line): why it refused is not known',
        );
      if (move.schedulerOnly)
        gaps.push(
          "only the scheduler's refusal was read (no nova-conductor line of the request): that the move ended in NoValidHost and the instance's state are inferred; the conductor's log (\"Failed to compute_task_migrate_server\") would confirm it",
        );
      if (!move.migration && !move.api && !gaps.some((g) => g.startsWith('no migrations row')))
        gaps.push('no migrations row (no dump of the cell database): the operation, source and destination are what the lines say');
      const evidence = [...d.evidence];
      for (const s of move.signals)
        if (!evidence.some((x) => 'line' in x.source && x.source.line === s.line && x.source.file === s.file))
          evidence.push(logEvidence(s));
      if (move.migration)
        evidence.push({
          text: `${move.migration.cellDb}.migrations: ${move.migration.uuid ?? move.migration.id} ${move.migration.migrationType} ${move.migration.sourceCompute} → ${move.migration.destCompute} status=${move.migration.status}`,
          source: move.migration.source,
        });
      const failing = new Set(move.signals.map((s) => s.seq));
      const tl = timeline(ctx, related, (e) => failing.has(e.seq), gaps);
      const { start, end } = span(tl);
      incidents.push({
        id: incidentId('failed-move', move.key),
        kind: 'failed-move',
        title: d.by.headline ? d.by.headline(d, what) : `${what} failed`,
        severity: 'error',
        instanceUuid: move.instanceUuid,
        requestIds: reqs,
        hosts: [...new Set([ev.source, ev.destination, ...tl.map((t) => t.host)].filter((h): h is string => !!h))],
        start,
        end,
        count: Math.max(1, move.signals.filter((s) => s.level === 'ERROR' || s.level === 'WARNING').length),
        cause: {
          code: d.code,
          summary: d.summary,
          details: {
            ...d.details,
            ...(ev.flavor ? { flavor: ev.flavor } : {}),
            ...(move.api ? { refusedAt: 'api', action: move.api.action, httpStatus: move.api.status } : {}),
          },
        },
        evidence,
        timeline: tl,
        remediation: d.remediation,
        gaps,
      });
    }
    // The same move refused the same way again and again is one incident.
    // Repeats of one operation fold first (one problem, however many retries); then causes past the first ones.
    const list = new IncidentList(ctx, failedMove);
    for (const i of foldRepeats(incidents)) list.add(i);
    return list.list();
  },
};
