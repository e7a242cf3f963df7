import type { StoredEvent } from '../correlate/event-store.js';
import { resourceList } from '../model/amounts.js';
import type { Evidence, Remediation } from '../model/finding.js';
import type { Incident } from '../model/incident.js';
import type { Instance, Migration } from '../model/db.js';
import { type AllocationVerdict, allocationVerdicts, providerHost } from '../facts/allocation-verdicts.js';
import { changingRequests, computeStory, instanceLines, problems, trackerStory } from '../signatures/context.js';
import { computePowerSync, trackerMoved, trackerNotFound, trackerNotManaged } from '../signatures/compute.js';
import { match as signatureMatch, type Signature } from '../signatures/signature.js';
import { healAllocations } from '../facts/remediation-commands.js';
import { FAILED_MIGRATION_STATUSES } from '../facts/db-index.js';
import {
  type Cause,
  decideCause,
  type DetectContext,
  firstLine,
  hostFacts,
  incidentId,
  logEvidence,
  resourcesFromRepr,
  sameHost,
  short,
  signalled,
  span,
  timeline,
  type Detector,
  type Verdict,
} from './detector.js';

/**
 * The resource tracker's complaints about allocations it will not heal
 * (nova/compute/resource_tracker.py `_remove_deleted_instances_allocations`):
 * "is not being actively managed by this compute host but has allocations",
 * "has been moved to another host … allocations remaining", "has
 * allocations against this compute host but is not found in the database".
 * One incident per host and consumer, however many periods repeat it.
 */

const VARIANTS: readonly [Signature, 'not-managed' | 'moved' | 'not-found'][] = [
  [trackerNotManaged, 'not-managed'],
  [trackerMoved, 'moved'],
  [trackerNotFound, 'not-found'],
];

/** One host's complaint about one consumer, however many periods repeated it. */
interface Complaint {
  host: string;
  consumer: string;
  variant: 'not-managed' | 'moved' | 'not-found';
  otherHost?: string;
  events: StoredEvent[];
}

/** What the cause rules read about one complaint: the dump's side of the consumer. */
interface AllocationEvidence {
  ctx: DetectContext;
  g: Complaint;
  haveDump: boolean;
  /** The audit's verdict on this consumer's allocation on this host: one rule for both. */
  verdict?: AllocationVerdict;
  migration?: Migration;
  consumerIsMigration: boolean;
  instance?: Instance;
  /** The instance is alive on another host. */
  elsewhere: boolean;
}

/**
 * Each host's power-sync lines in read order, with the running maximum of
 * their times, so "the first one read at or after T" is a binary search:
 * scanning every power-sync line for each incident grew with incidents ×
 * lines. Built once per run.
 */
class PowerSyncs {
  readonly events: StoredEvent[] = [];
  readonly latest: string[] = [];
  add(e: StoredEvent): void {
    const prev = this.latest[this.latest.length - 1];
    this.events.push(e);
    this.latest.push(prev !== undefined && prev > e.ts ? prev : e.ts);
  }
  firstFrom(ts: string): StoredEvent | undefined {
    let lo = 0;
    let hi = this.latest.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.latest[mid] >= ts) hi = mid;
      else lo = mid + 1;
    }
    return this.events[lo];
  }
}
const syncIndex = new WeakMap<DetectContext, Map<string, PowerSyncs>>();
function powerSyncs(ctx: DetectContext): Map<string, PowerSyncs> {
  let byHost = syncIndex.get(ctx);
  if (!byHost) {
    byHost = new Map();
    for (const e of signalled(ctx, computePowerSync)) {
      let h = byHost.get(e.host);
      if (!h) byHost.set(e.host, (h = new PowerSyncs()));
      h.add(e);
    }
    syncIndex.set(ctx, byHost);
  }
  return byHost;
}

/** A rule's conclusion: the detector adds what every cause shows (held resources, the domain, the power sync). */
function verdict(code: Verdict['code'], why: string, evidence: Evidence[] = [], gaps: string[] = []): Verdict {
  return { code, summary: why, details: {}, evidence, gaps, remediation: [] };
}

/**
 * In this order: a justified allocation first (nothing is wrong, whatever the
 * warning said), then what the consumer is — a migration, a deleted instance,
 * an instance alive elsewhere, one the host says moved — and else unknown.
 */
const ALLOCATION_CAUSES: readonly Cause<AllocationEvidence>[] = [
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
    title: 'A migration that never finished holds it',
    decidedBy: 'the consumer is a migrations row in an error or failed status (else unknown: a finished one should have released it)',
    action: "remove the migration's allocation after checking no move is in progress",
    decide: ({ g, migration, consumerIsMigration }) =>
      migration && consumerIsMigration
        ? verdict(
            FAILED_MIGRATION_STATUSES.has(migration.status ?? '') ? 'failed-migration' : 'unknown',
            `${g.consumer} is migration ${migration.uuid} (${migration.migrationType} of instance ${migration.instanceUuid}, ${migration.sourceCompute} → ${migration.destCompute}), status ${migration.status}: the move is over but its allocation on ${g.host} was never released`,
            [
              {
                text: `${migration.cellDb}.migrations: ${migration.uuid} status=${migration.status} ${migration.sourceCompute} → ${migration.destCompute}`,
                source: migration.source,
              },
            ],
          )
        : undefined,
  },
  {
    code: 'instance-deleted',
    title: 'The instance is deleted (by nova, or by hand in the database)',
    decidedBy: "the instance's row is deleted; deleted ≠ its row id means it was deleted by hand",
    action: 'delete the allocations of the consumer after review, and undefine a leftover domain',
    decide: ({ ctx, g, instance }) => {
      if (!instance || !ctx.ix.isDeleted(instance)) return undefined;
      return verdict(
        'instance-deleted',
        ctx.ix.deletedByHand(instance)
          ? `instance ${g.consumer} was deleted by hand in the database (deleted=${instance.deleted}; nova's own soft delete sets deleted to the row id, ${instance.id}), so nova neither manages it nor deletes its allocations`
          : `instance ${g.consumer} is deleted (vm_state ${instance.vmState}), yet its allocations on ${g.host} remain`,
        [
          {
            text: `${instance.cellDb}.instances: ${instance.uuid} vm_state=${instance.vmState} deleted=${instance.deleted} (row id ${instance.id}) host=${instance.host ?? 'NULL'}`,
            source: instance.source,
          },
        ],
      );
    },
  },
  {
    code: 'instance-on-other-host',
    title: 'The instance now runs on another host',
    decidedBy: "the instance's row names another host (a failed migration when the audit says so), or the compute says it moved",
    action: 'remove the leftover allocation on this host and heal the allocations where the instance runs',
    decide: ({ g, instance, elsewhere, verdict: v }) => {
      if (elsewhere)
        return verdict(
          v?.cause === 'failed-migration' ? 'failed-migration' : 'instance-on-other-host',
          `instance ${g.consumer} now runs on ${instance!.host}; the allocation on ${g.host} is left over from a move`,
          [{ text: `${instance!.cellDb}.instances: ${instance!.uuid} host=${instance!.host}`, source: instance!.source }],
        );
      if (g.variant === 'moved' && !instance)
        return verdict(
          'instance-on-other-host',
          `the compute host says instance ${g.consumer} moved to ${g.otherHost}, with allocations left on ${g.host}`,
        );
      return undefined;
    },
  },
  {
    code: 'unknown',
    title: 'Nothing in the evidence says why',
    decidedBy: 'none of the above holds; without a dump nothing can',
    action: 'add the controller sosreport (with the nova, nova_api and placement dumps) and analyse again',
    decide: ({ g, haveDump, verdict: v }) =>
      verdict(
        'unknown',
        v?.reason ??
          (g.variant === 'not-found'
            ? `consumer ${g.consumer} has no instances row (with read_deleted) and is no migration in progress: typically a leaked migration consumer or an archived instance`
            : `instance ${g.consumer} is not managed by ${g.host} and nothing in the evidence says why`),
        [],
        haveDump ? [] : ['no database dump: whether the consumer is a deleted instance, a migration or something else cannot be told'],
      ),
  },
];

export const unmanagedAllocation: Detector<AllocationEvidence> = {
  kind: 'unmanaged-allocation',
  name: 'unmanaged allocation',
  title: 'Allocations a compute host will not heal',
  description:
    "A compute's resource tracker warning about allocations against its host for a consumer it does not manage, explained from the dump (deleted instance, moved instance, unfinished migration) and libvirt's view.",
  causes: ALLOCATION_CAUSES,
  details:
    '`host`, `consumerUuid`, `migrationUuid`, `resources`, `occurrences`, `domain`, `domainState`, `powerSync` ([in the database, on the hypervisor])',
  signatures: [trackerNotManaged, trackerMoved, trackerNotFound, computePowerSync],
  context: [problems, instanceLines, changingRequests, trackerStory, computeStory],
  detect(ctx) {
    const groups = new Map<string, Complaint>();
    const complaints = new Map<number, { e: StoredEvent; variant: Complaint['variant']; fields: Record<string, string> }>();
    for (const [sig, variant] of VARIANTS)
      for (const e of signalled(ctx, sig)) complaints.set(e.seq, { e, variant, fields: signatureMatch(sig, e)! });
    for (const { e, variant, fields } of [...complaints.values()].sort((a, b) => a.e.seq - b.e.seq)) {
      const m = { consumer: fields.consumer, variant, otherHost: fields.otherHost };
      const key = `${e.host}|${m.consumer}`;
      const g = groups.get(key) ?? { host: e.host, consumer: m.consumer, variant: m.variant, otherHost: m.otherHost, events: [] };
      g.events.push(e);
      groups.set(key, g);
    }
    const incidents: Incident[] = [];
    const haveDump = ctx.facts.cells.length > 0;
    for (const [key, g] of groups) {
      const first = g.events[0];
      const evidence: Evidence[] = [
        logEvidence(
          first,
          `${g.host}: ${firstLine(first.message, 260)}${g.events.length > 1 ? ` (logged ${g.events.length} times, until ${g.events[g.events.length - 1].ts})` : ''}`,
        ),
      ];
      const gaps: string[] = [];
      const held = resourcesFromRepr(first.message);
      // The audit's verdict on this consumer's allocation on this host: one rule for both.
      const verdict = allocationVerdicts(ctx.ix).find(
        (v) => v.consumer === g.consumer && sameHost(providerHost(ctx.ix, v.provider), g.host),
      );
      const migration = verdict?.migration ?? ctx.ix.migrations.get(g.consumer);
      const consumerIsMigration = migration?.uuid === g.consumer;
      const instance = verdict?.instance ?? ctx.ix.instance(consumerIsMigration ? (migration!.instanceUuid ?? '') : g.consumer);
      const elsewhere = !!instance?.host && !ctx.ix.isDeleted(instance) && !sameHost(instance.host, g.host);
      const d = decideCause(ALLOCATION_CAUSES, { ctx, g, haveDump, verdict, migration, consumerIsMigration, instance, elsewhere });
      const code = d.code;
      const why = d.summary;
      evidence.push(...d.evidence);
      gaps.push(...d.gaps);
      const finding = ctx.findings.find(
        (f) =>
          f.code === 'orphan-allocation' &&
          f.subject.consumerUuid === g.consumer &&
          (!f.subject.providerUuid || f.subject.providerUuid === verdict?.provider.uuid),
      );
      if (finding) evidence.push(finding.evidence[0]);
      else if (haveDump && !verdict)
        gaps.push('the dump holds no allocation for this consumer on this host any more: it may have been cleaned after the logs');
      // The hypervisor's side: power sync counts and the leftover domain.
      const sync = powerSyncs(ctx).get(g.host)?.firstFrom(first.ts.slice(0, 16));
      if (sync) evidence.push(logEvidence(sync));
      const hf = hostFacts(ctx, g.host);
      const domainUuid = consumerIsMigration ? migration!.instanceUuid : g.consumer;
      const domain = hf?.domains.find((d) => d.uuid === domainUuid);
      if (domain)
        evidence.push({
          text: `${g.host}: libvirt domain ${domain.name} (uuid ${domain.uuid}) is ${domain.state}${domain.vcpus ? `, ${domain.vcpus} vCPU` : ''}`,
          source: { host: g.host, file: domain.source, line: 1 },
        });
      else if (!hf || hf.domains.length === 0)
        gaps.push(`no virsh list/dominfo output for ${g.host}: whether a domain is left on the hypervisor is not known`);

      const remediation: Remediation[] = [];
      if (verdict?.justified) {
        remediation.push({
          command: `openstack resource provider allocation show ${g.consumer}`,
          why: 'confirm against the live cloud; nothing needs removing while the allocation is justified',
        });
      } else if (finding) {
        // The audit's commands know whether the consumer keeps good allocations elsewhere, and the release.
        remediation.push(...finding.remediation);
      } else {
        remediation.push(
          { command: `openstack resource provider allocation show ${g.consumer}`, why: 'see what the consumer holds before removing it' },
          {
            command: `openstack resource provider allocation delete ${g.consumer}`,
            why: `releases ${held ? resourceList(held) : 'the allocations'}; only once \`openstack server show ${domainUuid ?? g.consumer}\` confirms no live instance or migration owns them (this deletes all its allocations, on every host)`,
          },
        );
      }
      if (code === 'instance-on-other-host' && instance && elsewhere) {
        const heal = healAllocations(
          ctx.ix,
          instance.uuid,
          `rewrites the instance's allocations on the host it runs on (${instance.host})`,
        );
        if (heal) remediation.push(heal);
      }
      // Only a domain nova no longer owns here may go: never the guest of a failed move that still runs on this host.
      const stray = domain && domain.state !== 'running' && instance && (ctx.ix.isDeleted(instance) || elsewhere);
      if (stray)
        remediation.push({
          command: `virsh dominfo ${domain.name} && virsh undefine ${domain.name}   # on ${g.host}`,
          why: `the domain of ${ctx.ix.isDeleted(instance) ? 'the deleted instance' : `an instance now on ${instance.host}`} is still defined (${domain.state}); undefine it so the power sync stops counting it (check its disks first)`,
        });
      if (!verdict?.justified)
        remediation.push({
          command: `systemctl restart nova-compute   # on ${g.host}, or restart its container`,
          why: 'the next periodic audit then stops warning',
        });

      const tl = timeline(
        ctx,
        [...g.events.slice(0, 3), ...(g.events.length > 3 ? [g.events[g.events.length - 1]] : []), ...(sync ? [sync] : [])],
        (e) => e === first,
      );
      const { start } = span(tl);
      incidents.push({
        id: incidentId('unmanaged-allocation', key),
        kind: 'unmanaged-allocation',
        title: `${g.host} keeps allocations of ${consumerIsMigration ? 'migration' : 'instance'} ${short(g.consumer)} it does not manage`,
        severity: 'warning',
        instanceUuid: consumerIsMigration ? (migration!.instanceUuid ?? g.consumer) : g.consumer,
        requestIds: [...new Set(g.events.map((e) => e.requestId).filter((x): x is string => !!x))].slice(0, 1),
        hosts: [g.host],
        start,
        end: g.events[g.events.length - 1].ts,
        count: g.events.length,
        cause: {
          code,
          summary: `${why}.${held ? ` It holds ${resourceList(held)}.` : ''}${domain ? ` Libvirt still defines ${domain.name} (${domain.state}).` : ''}`,
          details: {
            host: g.host,
            consumerUuid: g.consumer,
            migrationUuid: migration?.uuid,
            resources: held,
            occurrences: g.events.length,
            domain: domain?.name,
            domainState: domain?.state,
            powerSync: sync ? Object.values(signatureMatch(computePowerSync, sync)!).map(Number) : undefined,
          },
        },
        evidence,
        timeline: tl,
        remediation,
        gaps,
      });
    }
    return incidents;
  },
};
