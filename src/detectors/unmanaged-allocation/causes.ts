import { resourceList } from '../../model/amounts.js';
import type { StoredEvent } from '../../correlate/event-store.js';
import type { AllocationVerdict } from '../../facts/allocation-verdicts.js';
import { FAILED_MIGRATION_STATUSES } from '../../facts/db-index.js';
import type { Instance, Migration } from '../../model/db.js';
import type { Evidence } from '../../model/finding.js';
import type { CliMigration, CliServer } from '../cli-state.js';
import { type Cause, type DetectContext, logEvidence, namedHost, type Verdict } from '../detector.js';
import { PASTED_MOVES, type PastedFailure } from '../pasted-faults.js';
import type { Complaint } from './complaints.js';

/** What the cause rules read about one complaint: the dump's side of the consumer, and the logs'. */
export interface AllocationEvidence {
  ctx: DetectContext;
  g: Complaint;
  haveDump: boolean;
  /** The audit's verdict on this consumer's allocation on this host: one rule for both. */
  verdict?: AllocationVerdict;
  migration?: Migration;
  consumerIsMigration: boolean;
  instance?: Instance;
  /** The consumer's row in shadow_instances. */
  archived?: Instance;
  /** The instance is alive on another host. */
  elsewhere: boolean;
  /** The conductor's "No host-to-cell mapping found for selected host" naming this host, before the last complaint. */
  unmappedLine?: StoredEvent;
  /** The logs say the consumer is a migration of this instance (no dump says it). */
  logMigration?: { instance: string; event: StoredEvent };
  /** The consumer's server as pasted `server show` output shows it (no dump row). */
  cliServer?: CliServer;
  /** A failed move of that server in the same evidence (a pasted fault or client error showing a move). */
  cliMove?: PastedFailure;
  /** Where no `server show` was pasted: the finished move of it a pasted migration listing shows, from this host. */
  cliMigration?: CliMigration;
}

/** A rule's conclusion: the detector adds what every cause shows (held resources, the domain, the power sync). */
function verdict(code: Verdict['code'], why: string, evidence: Evidence[] = [], gaps: string[] = [], details = {}): Verdict {
  return { code, summary: why, details, evidence, gaps, remediation: [] };
}

const row = (i: Instance): Evidence => ({
  text: `${i.cellDb}.${i.source.table}: ${i.uuid} vm_state=${i.vmState ?? 'NULL'} task_state=${i.taskState ?? 'NULL'} deleted=${i.deleted} (row id ${i.id}) host=${i.host ?? 'NULL'}${i.deletedAt ? ` deleted_at=${i.deletedAt}` : ''}`,
  source: i.source,
});

const migrationRow = (m: Migration): Evidence => ({
  text: `${m.cellDb}.migrations: ${m.uuid ?? m.id} ${m.migrationType ?? 'migration'} of ${m.instanceUuid ?? '?'} ${m.sourceCompute ?? '?'} → ${m.destCompute ?? '?'} status=${m.status ?? 'NULL'}${m.updatedAt ? ` updated_at=${m.updatedAt}` : ''}`,
  source: m.source,
});

/** "migration M (live-migration of instance I, a → b)". */
function named(m: Migration): string {
  return `migration ${m.uuid ?? m.id} (${m.migrationType ?? 'migration'} of instance ${m.instanceUuid ?? '?'}, ${m.sourceCompute ?? '?'} → ${m.destCompute ?? '?'})`;
}

/**
 * In this order: a justified allocation first (nothing is wrong, whatever the
 * warning said); then what holds the allocation — a migration that failed or
 * never finished, a build buried in cell0 because its host was not mapped, a
 * deleted or archived instance, an instance alive elsewhere — and else
 * unknown. The migration comes before the instance: a failed move's stale
 * claim is the move's, whatever the instance's row says now.
 */
export const ALLOCATION_CAUSES: readonly Cause<AllocationEvidence>[] = [
  {
    code: 'unknown',
    title: 'The dump shows the allocation justified',
    decidedBy: "the audit's allocation verdict: an instance on this host, or a migration in progress through it, holds it",
    action: 'nothing to remove; confirm against the live cloud (the warning came while nothing was wrong, or was healed since)',
    decide: ({ g, verdict: v }) =>
      v?.justified
        ? verdict(
            'unknown',
            `the dump shows the allocation on ${g.host} justified (${v.reason}): the warning came while nothing was wrong, or was healed since`,
          )
        : undefined,
  },
  {
    code: 'failed-migration',
    title: 'A migration that failed or never finished holds it',
    decidedBy:
      'the consumer is a migrations row in error or failed, or in a status nova counts as in progress while its instance no longer moves (else unknown: a finished one should have released it)',
    action: "remove the migration's allocation after checking no move is in progress; set a never-finished migration to error first",
    details: '`migrationUuid`, `migrationStatus`',
    decide: ({ g, migration, consumerIsMigration, verdict: v }) => {
      if (!migration || !consumerIsMigration) return undefined;
      const failed = FAILED_MIGRATION_STATUSES.has(migration.status ?? '');
      const stalled = !!v?.neverFinished;
      const why = stalled
        ? `${g.consumer} is ${named(migration)}, still "${migration.status}" though the move is over: the migration never finished, and its allocation on ${g.host} is never released`
        : `${g.consumer} is ${named(migration)}, status ${migration.status}: the move is over but its allocation on ${g.host} was never released`;
      return verdict(failed || stalled ? 'failed-migration' : 'unknown', why, [migrationRow(migration)], [], {
        migrationStatus: migration.status,
      });
    },
  },
  {
    code: 'host-not-mapped',
    title: 'A build buried in cell0 because its host was not mapped',
    decidedBy:
      'the consumer is an instance in cell0 (or one with no host in a cell) and the host has no host_mappings row, or the conductor logged "No host-to-cell mapping found for selected host" for this host and the compute finds no such instance',
    action:
      'map the host (nova-manage cell_v2 discover_hosts), then delete the buried instance or its allocation: the scheduler claimed on the host, the conductor buried the build in cell0, and nothing releases the claim',
    decide: ({ ctx, g, instance, verdict: v, unmappedLine }) => {
      const inCell0 = !!instance && ctx.ix.isCell0(instance.cellDb);
      const evidence: Evidence[] = [];
      if (instance) evidence.push(row(instance));
      if (unmappedLine) evidence.push(logEvidence(unmappedLine));
      const mappedNow =
        ctx.facts.api !== undefined && [...ctx.ix.mappedHosts].some((h) => h === g.host || h.split('.')[0] === g.host.split('.')[0]);
      if (v?.cause === 'host-not-mapped' || (instance && inCell0 && !instance.host))
        return verdict(
          'host-not-mapped',
          `instance ${g.consumer} (vm_state ${instance?.vmState ?? '?'}, in ${instance?.cellDb ?? '?'}) never reached ${g.host}: the scheduler claimed its resources there, but ${g.host} ${mappedNow ? 'had' : 'has'} no host_mappings row, so the conductor buried the build in cell0 and never released the claim; ${g.host} looks in its own cell and does not find the instance${mappedNow ? ` (${g.host} is mapped in the dump: it was mapped after the build)` : ''}`,
          evidence,
        );
      if (unmappedLine && g.variant === 'not-found' && !instance && !v)
        return verdict(
          'host-not-mapped',
          `the conductor found no host-to-cell mapping for ${g.host} (${unmappedLine.ts}) and buried the build it had scheduled there in cell0, leaving the scheduler's claim; ${g.host} looks in its own cell and does not find instance ${g.consumer}`,
          evidence,
          ctx.facts.cells.length === 0
            ? ['no database dump: that the consumer is the buried build is inferred from the conductor line naming this host']
            : [],
        );
      return undefined;
    },
  },
  {
    code: 'instance-deleted',
    title: 'The instance is deleted (by nova, by hand in the database, or deleted and archived)',
    decidedBy:
      "the instance's row is deleted (deleted ≠ its row id means by hand), or it was archived into shadow_instances by nova-manage db archive_deleted_rows",
    action: 'delete the allocations of the consumer after review, and undefine a leftover domain',
    details: '`deletedAt`, `archived`, `archivedBy` (the first complaint: archived by then at the latest)',
    decide: ({ ctx, g, instance, archived }) => {
      if (archived) {
        const first = g.events[0];
        return verdict(
          'instance-deleted',
          `instance ${g.consumer} was deleted${archived.deletedAt ? ` at ${archived.deletedAt}` : ''} and its row moved into ${archived.cellDb}.shadow_instances by nova-manage db archive_deleted_rows (by ${first.ts} at the latest, when ${g.host} first logged it not found; nova records no archive time), so nova finds no instance for the allocation on ${g.host} and never removes it`,
          [row(archived)],
          [],
          { deletedAt: archived.deletedAt, archived: true, archivedBy: first.ts },
        );
      }
      if (!instance || !ctx.ix.isDeleted(instance)) return undefined;
      return verdict(
        'instance-deleted',
        ctx.ix.deletedByHand(instance)
          ? `instance ${g.consumer} was deleted by hand in the database (deleted=${instance.deleted}; nova's own soft delete sets deleted to the row id, ${instance.id}), so nova neither manages it nor deletes its allocations`
          : `instance ${g.consumer} is deleted (vm_state ${instance.vmState}${instance.deletedAt ? `, deleted_at ${instance.deletedAt}` : ''}), yet its allocations on ${g.host} remain`,
        [row(instance)],
        [],
        { deletedAt: instance.deletedAt },
      );
    },
  },
  {
    code: 'failed-migration',
    title: "A failed move's claim left on a host the instance is not on (pasted CLI state)",
    decidedBy:
      "no dump row: pasted `resource provider show --allocations` holds the instance's allocation on a provider that is not the host pasted `server show` puts it on, the instance has no task_state (no move in progress), and a move of it failed in the same evidence (else instance-on-other-host)",
    action:
      "remove the allocation from that provider only (the instance's own on its host stays), after `nova-manage placement audit` confirms it is orphaned",
    details: '`otherHost`, `providerUuid`, `move`',
    decide: ({ g, cliServer: s, cliMove, cliMigration: m }) => {
      if (g.variant === 'pasted' && !s && m?.dest) {
        const move = m.type ?? 'move';
        return verdict(
          'instance-on-other-host',
          `instance ${g.consumer} was moved from ${g.host} to ${m.dest} (${move}, ${m.status}), yet placement provider ${g.host} holds its allocation beside the one where it runs${move === 'evacuation' ? ": an evacuation leaves the source's allocation until nova-compute starts again there and cleans it up" : ''}`,
          [
            logEvidence(
              m.event,
              `migration list: ${g.consumer} ${move} ${m.source} → ${m.dest}, status ${m.status}${m.at ? `, at ${m.at}` : ''}`,
            ),
          ],
          [
            "the allocation and the move were read from pasted CLI output (one moment each): where the server runs now is the move's destination, not a pasted `server show`",
          ],
          { otherHost: m.dest, providerUuid: g.cli?.providerUuid, move },
        );
      }
      if (g.variant !== 'pasted' || !s?.host) return undefined;
      const state = `vm_state ${s.vmState ?? '?'}${s.status ? `, status ${s.status}` : ''}, no task_state`;
      const evidence: Evidence[] = [
        logEvidence(s.source, `server show: ${s.uuid} on ${s.host}, ${state}`),
        ...(cliMove ? [logEvidence(cliMove.event)] : []),
      ];
      const gaps = [
        "the allocation and the server's state were read from pasted CLI output (one moment each, undated): no migrations row or compute log says which move made the claim",
      ];
      const details = { otherHost: s.host, providerUuid: g.cli?.providerUuid, move: cliMove?.move };
      return cliMove
        ? verdict(
            'failed-migration',
            `instance ${g.consumer} is on ${s.host} (${state}), yet placement provider ${g.host} holds its allocation: a move's claim there never released, and a ${PASTED_MOVES[cliMove.move!] ?? cliMove.move} of the instance failed in the same evidence`,
            evidence,
            gaps,
            details,
          )
        : verdict(
            'instance-on-other-host',
            `instance ${g.consumer} is on ${s.host} (${state}), yet placement provider ${g.host} holds its allocation, left over from a move`,
            evidence,
            [...gaps, 'no failed move of the instance is in the evidence: which move left it is not known'],
            details,
          );
    },
  },
  {
    code: 'instance-on-other-host',
    title: 'The instance now runs on another host',
    decidedBy: "the instance's row names another host (a failed migration when the audit says so), or the compute says it moved",
    action: 'remove the leftover allocation on this host and heal the allocations where the instance runs',
    details: '`otherHost`',
    decide: ({ g, instance, elsewhere, verdict: v }) => {
      if (elsewhere) {
        const m = v?.cause === 'failed-migration' ? v.migration : undefined;
        return verdict(
          m ? 'failed-migration' : 'instance-on-other-host',
          m
            ? `instance ${g.consumer} runs on ${instance!.host}; ${named(m)} ended in ${m.status} and left its allocation on ${g.host}`
            : `instance ${g.consumer} now runs on ${instance!.host}; the allocation on ${g.host} is left over from a move`,
          [
            { text: `${instance!.cellDb}.instances: ${instance!.uuid} host=${instance!.host}`, source: instance!.source },
            ...(m ? [migrationRow(m)] : []),
          ],
          [],
          { otherHost: instance!.host, ...(m ? { migrationStatus: m.status } : {}) },
        );
      }
      if (g.variant === 'moved' && !instance)
        return verdict(
          'instance-on-other-host',
          `the compute host says instance ${g.consumer} moved to ${g.otherHost}, with allocations left on ${g.host}`,
          [],
          [],
          { otherHost: g.otherHost },
        );
      return undefined;
    },
  },
  {
    code: 'unknown',
    title: 'Nothing in the evidence says why',
    decidedBy: 'none of the above holds; without a dump nothing can',
    action: 'add the controller sosreport (with the nova, nova_api and placement dumps) and analyse again',
    decide: ({ g, haveDump, verdict: v, logMigration }) =>
      verdict(
        'unknown',
        v?.reason ??
          (logMigration
            ? `consumer ${g.consumer} is a migration of instance ${logMigration.instance} (${logMigration.event.host} logged "${logMigration.event.message.slice(0, 120)}"), no longer in progress on ${g.host}: whether it failed or finished without releasing its allocation needs the migrations row`
            : g.variant === 'not-found'
              ? `consumer ${g.consumer} has no instances row (with read_deleted) and is no migration in progress: typically a leaked migration consumer, an archived instance or a build buried in cell0`
              : g.doubled
                ? `consumer ${g.consumer} holds compute resources on ${g.doubled.length} providers at once (${g.doubled.map((a) => `${resourceList(a.resources)} on ${a.providerUuid}`).join(', ')}): a server runs on one host, so all but one are left over, from an evacuation (its source keeps the allocation until its nova-compute starts again), a move before Queens, or a failed move's claim; which one, and which move, the paste does not say`
                : `instance ${g.consumer} is not managed by ${namedHost(g.host) ?? 'the compute that logged it'} and nothing in the evidence says why`),
        logMigration ? [logEvidence(logMigration.event)] : [],
        haveDump ? [] : ['no database dump: whether the consumer is a deleted instance, a migration or something else cannot be told'],
      ),
  },
];
