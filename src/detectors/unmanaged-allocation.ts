import type { StoredEvent } from '../correlate/event-store.js';
import { resourceList } from '../model/amounts.js';
import type { Evidence, Remediation } from '../model/finding.js';
import type { Incident, IncidentCause } from '../model/incident.js';
import { allocationVerdicts, providerHost } from '../facts/allocation-verdicts.js';
import { healAllocations } from '../facts/remediation-commands.js';
import { FAILED_MIGRATION_STATUSES } from '../facts/db-index.js';
import {
  firstLine,
  hostFacts,
  incidentId,
  logEvidence,
  resourcesFromRepr,
  sameHost,
  short,
  span,
  timeline,
  type Detector,
} from './detector.js';

/**
 * The resource tracker's complaints about allocations it will not heal
 * (nova/compute/resource_tracker.py `_remove_deleted_instances_allocations`):
 * "is not being actively managed by this compute host but has allocations",
 * "has been moved to another host … allocations remaining", "has
 * allocations against this compute host but is not found in the database".
 * One incident per host and consumer, however many periods repeat it.
 */

const NOT_MANAGED =
  /^Instance ([0-9a-f-]{36}) is not being actively managed by this compute host but has allocations referencing this compute host/;
const MOVED =
  /^Instance ([0-9a-f-]{36}) has been moved to another host (\S+)\((\S+)\)\. There are allocations remaining against the source host/;
const NOT_FOUND = /^Instance ([0-9a-f-]{36}) has allocations against this compute host but is not found in the database/;
const POWER_SYNC =
  /^While synchronizing instance power states, found (\d+) instances in the database and (\d+) instances on the hypervisor/;

function match(e: StoredEvent): { consumer: string; variant: 'not-managed' | 'moved' | 'not-found'; otherHost?: string } | undefined {
  if (!(e.logger ?? '').startsWith('nova.compute.resource_tracker')) return undefined;
  let m = NOT_MANAGED.exec(e.message);
  if (m) return { consumer: m[1], variant: 'not-managed' };
  m = MOVED.exec(e.message);
  if (m) return { consumer: m[1], variant: 'moved', otherHost: m[2] };
  m = NOT_FOUND.exec(e.message);
  if (m) return { consumer: m[1], variant: 'not-found' };
  return undefined;
}

export const unmanagedAllocation: Detector = {
  kind: 'unmanaged-allocation',
  title: 'Allocations a compute host will not heal',
  causes: ['instance-deleted', 'instance-on-other-host', 'failed-migration', 'unknown'],
  detect(ctx) {
    const groups = new Map<string, { host: string; consumer: string; variant: string; otherHost?: string; events: StoredEvent[] }>();
    for (const e of ctx.store.events) {
      const m = match(e);
      if (!m) continue;
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
      let code: IncidentCause = 'unknown';
      let why: string;
      if (verdict?.justified) {
        why = `the dump shows the allocation on ${g.host} justified (${verdict.reason}): the warning came while nothing was wrong, or was healed since`;
      } else if (migration && consumerIsMigration) {
        code = FAILED_MIGRATION_STATUSES.has(migration.status ?? '') ? 'failed-migration' : 'unknown';
        why = `${g.consumer} is migration ${migration.uuid} (${migration.migrationType} of instance ${migration.instanceUuid}, ${migration.sourceCompute} → ${migration.destCompute}), status ${migration.status}: the move is over but its allocation on ${g.host} was never released`;
        evidence.push({
          text: `${migration.cellDb}.migrations: ${migration.uuid} status=${migration.status} ${migration.sourceCompute} → ${migration.destCompute}`,
          source: migration.source,
        });
      } else if (instance && ctx.ix.isDeleted(instance)) {
        code = 'instance-deleted';
        why = ctx.ix.deletedByHand(instance)
          ? `instance ${g.consumer} was deleted by hand in the database (deleted=${instance.deleted}; nova's own soft delete sets deleted to the row id, ${instance.id}), so nova neither manages it nor deletes its allocations`
          : `instance ${g.consumer} is deleted (vm_state ${instance.vmState}), yet its allocations on ${g.host} remain`;
        evidence.push({
          text: `${instance.cellDb}.instances: ${instance.uuid} vm_state=${instance.vmState} deleted=${instance.deleted} (row id ${instance.id}) host=${instance.host ?? 'NULL'}`,
          source: instance.source,
        });
      } else if (elsewhere) {
        code = verdict?.cause === 'failed-migration' ? 'failed-migration' : 'instance-on-other-host';
        why = `instance ${g.consumer} now runs on ${instance!.host}; the allocation on ${g.host} is left over from a move`;
        evidence.push({ text: `${instance!.cellDb}.instances: ${instance!.uuid} host=${instance!.host}`, source: instance!.source });
      } else if (g.variant === 'moved' && !instance) {
        code = 'instance-on-other-host';
        why = `the compute host says instance ${g.consumer} moved to ${g.otherHost}, with allocations left on ${g.host}`;
      } else {
        if (!haveDump)
          gaps.push('no database dump: whether the consumer is a deleted instance, a migration or something else cannot be told');
        why =
          verdict?.reason ??
          (g.variant === 'not-found'
            ? `consumer ${g.consumer} has no instances row (with read_deleted) and is no migration in progress: typically a leaked migration consumer or an archived instance`
            : `instance ${g.consumer} is not managed by ${g.host} and nothing in the evidence says why`);
      }
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
      const sync = ctx.store.events.find((e) => e.host === g.host && POWER_SYNC.test(e.message) && e.ts >= first.ts.slice(0, 16));
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
            powerSync: sync ? POWER_SYNC.exec(sync.message)!.slice(1, 3).map(Number) : undefined,
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
