import type { StoredEvent } from '../correlate/event-store.js';
import type { Evidence, Remediation } from '../model/finding.js';
import type { Incident, IncidentCause } from '../model/incident.js';
import { allocationVerdicts } from '../audit/allocation-verdicts.js';
import { firstLine, incidentId, logEvidence, resourcesFromRepr, short, span, timeline, type DetectContext, type Detector } from './detector.js';

/**
 * The resource tracker's complaints about allocations it will not heal
 * (nova/compute/resource_tracker.py `_remove_deleted_instances_allocations`):
 * "is not being actively managed by this compute host but has allocations",
 * "has been moved to another host … allocations remaining", "has
 * allocations against this compute host but is not found in the database".
 * One incident per host and consumer, however many periods repeat it.
 */

const NOT_MANAGED = /^Instance ([0-9a-f-]{36}) is not being actively managed by this compute host but has allocations referencing this compute host/;
const MOVED = /^Instance ([0-9a-f-]{36}) has been moved to another host (\S+)\((\S+)\)\. There are allocations remaining against the source host/;
const NOT_FOUND = /^Instance ([0-9a-f-]{36}) has allocations against this compute host but is not found in the database/;
const POWER_SYNC = /^While synchronizing instance power states, found (\d+) instances in the database and (\d+) instances on the hypervisor/;

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
    for (const [key, g] of groups) {
      const first = g.events[0];
      const evidence: Evidence[] = [logEvidence(first, `${g.host}: ${firstLine(first.message, 260)}${g.events.length > 1 ? ` (logged ${g.events.length} times, until ${g.events[g.events.length - 1].ts})` : ''}`)];
      const gaps: string[] = [];
      const held = resourcesFromRepr(first.message);
      const migration = ctx.ix.migrations.get(g.consumer);
      const instance = ctx.ix.instance(g.consumer) ?? (migration?.instanceUuid ? ctx.ix.instance(migration.instanceUuid) : undefined);
      const haveDump = ctx.facts.cells.length > 0;
      let code: IncidentCause = 'unknown';
      let why = '';
      if (migration && (migration.status === 'error' || migration.status === 'failed' || ctx.ix.isFinal(migration))) {
        code = 'failed-migration';
        why = `${g.consumer} is migration ${migration.uuid} (${migration.migrationType} of ${migration.instanceUuid}, ${migration.sourceCompute} → ${migration.destCompute}), status ${migration.status}: the move ended but its allocation on ${g.host} was never released`;
        evidence.push({ text: `${migration.cellDb}.migrations: ${migration.uuid} status=${migration.status} ${migration.sourceCompute} → ${migration.destCompute}`, source: migration.source });
      } else if (instance && ctx.ix.isDeleted(instance)) {
        code = 'instance-deleted';
        const byHand = instance.deleted !== 0 && instance.deleted !== instance.id;
        why = byHand
          ? `instance ${g.consumer} was deleted by hand in the database (deleted=${instance.deleted}; nova's own soft delete sets deleted to the row id, ${instance.id}), so nova neither manages it nor deletes its allocations`
          : `instance ${g.consumer} is deleted (vm_state ${instance.vmState}), yet its allocations on ${g.host} remain`;
        evidence.push({ text: `${instance.cellDb}.instances: ${instance.uuid} vm_state=${instance.vmState} deleted=${instance.deleted} (row id ${instance.id}) host=${instance.host ?? 'NULL'}`, source: instance.source });
      } else if (instance && instance.host && instance.host !== g.host) {
        code = 'instance-on-other-host';
        why = `instance ${g.consumer} now runs on ${instance.host}; the allocation on ${g.host} is left over from a move`;
        evidence.push({ text: `${instance.cellDb}.instances: ${instance.uuid} host=${instance.host}`, source: instance.source });
      } else if (g.variant === 'moved') {
        code = 'instance-on-other-host';
        why = `the compute host says instance ${g.consumer} moved to ${g.otherHost}, with allocations left on ${g.host}`;
      } else {
        if (!haveDump) gaps.push('no database dump: whether the consumer is a deleted instance, a migration or something else cannot be told');
        why = g.variant === 'not-found' ? `consumer ${g.consumer} has no instances row (with read_deleted) and is no migration in progress: typically a leaked migration consumer or an archived instance` : `instance ${g.consumer} is not managed by ${g.host} and nothing in the evidence says why`;
      }
      const verdict = allocationVerdicts(ctx.ix).find((v) => v.consumer === g.consumer);
      const finding = ctx.findings.find((f) => f.code === 'orphan-allocation' && f.subject.consumerUuid === g.consumer);
      if (finding) evidence.push(finding.evidence[0]);
      else if (haveDump && !verdict) gaps.push('the dump holds no allocation for this consumer any more: it may have been cleaned after the logs');
      // The hypervisor's side: power sync counts and the leftover domain.
      const sync = ctx.store.events.find((e) => e.host === g.host && POWER_SYNC.test(e.message) && e.ts >= first.ts.slice(0, 16));
      if (sync) evidence.push(logEvidence(sync));
      const hf = ctx.hosts.get(g.host);
      const domain = hf?.domains.find((d) => d.uuid === g.consumer || (migration?.instanceUuid && d.uuid === migration.instanceUuid));
      if (domain) evidence.push({ text: `${g.host}: libvirt domain ${domain.name} (uuid ${domain.uuid}) is ${domain.state}${domain.vcpus ? `, ${domain.vcpus} vCPU` : ''}`, source: { host: g.host, file: domain.source, line: 1 } });
      else if (!hf || hf.domains.length === 0) gaps.push(`no virsh list/dominfo output for ${g.host}: whether a domain is left on the hypervisor is not known`);

      const remediation: Remediation[] = [
        { command: `openstack resource provider allocation show ${g.consumer}`, why: 'see what the consumer holds before removing it' },
        { command: `openstack resource provider allocation delete ${g.consumer}`, why: `releases ${held ? Object.entries(held).map(([k, v]) => `${v} ${k}`).join(', ') : 'the allocations'} that no instance on ${g.host} uses` },
      ];
      if (code === 'instance-on-other-host' && instance) remediation.push({ command: `nova-manage placement heal_allocations --instance ${instance.uuid} --force --verbose`, why: `rewrites the instance's allocations on the host it runs on (${instance.host})` });
      if (code === 'instance-deleted' && instance) remediation.push({ command: `nova-manage placement heal_allocations --instance ${instance.uuid} --verbose --force`, why: 'as in seed 003: after the delete, lets nova reconcile what is left of the instance' });
      if (domain) remediation.push({ command: `virsh dominfo ${domain.name} && virsh undefine ${domain.name}   # on ${g.host}`, why: `the domain of the deleted instance is still defined (${domain.state}); undefine it so the power sync stops counting it (check its disks first)` });
      remediation.push({ command: `systemctl restart nova-compute   # on ${g.host}, or restart its container`, why: 'the next periodic audit then stops warning' });

      const tl = timeline(ctx, [...g.events.slice(0, 3), ...(g.events.length > 3 ? [g.events[g.events.length - 1]] : []), ...(sync ? [sync] : [])], (e) => e === first);
      const { start } = span(tl);
      incidents.push({
        id: incidentId('unmanaged-allocation', key),
        kind: 'unmanaged-allocation',
        title: `${g.host} keeps allocations of ${code === 'failed-migration' ? 'migration' : 'instance'} ${short(g.consumer)} it does not manage`,
        severity: 'warning',
        instanceUuid: migration?.instanceUuid ?? g.consumer,
        requestIds: [...new Set(g.events.map((e) => e.requestId).filter((x): x is string => !!x))].slice(0, 1),
        hosts: [g.host],
        start,
        end: g.events[g.events.length - 1].ts,
        count: g.events.length,
        cause: {
          code,
          summary: `${why}.${held ? ` It holds ${Object.entries(held).map(([k, v]) => `${v} ${k}`).join(', ')}.` : ''}${domain ? ` Libvirt still defines ${domain.name} (${domain.state}).` : ''}`,
          details: { host: g.host, consumerUuid: g.consumer, migrationUuid: migration?.uuid, resources: held, occurrences: g.events.length, domain: domain?.name, domainState: domain?.state, powerSync: sync ? POWER_SYNC.exec(sync.message)!.slice(1, 3).map(Number) : undefined },
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
