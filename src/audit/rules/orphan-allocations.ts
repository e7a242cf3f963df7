import type { Evidence, Finding, Remediation } from '../../model/finding.js';
import { allocationVerdicts, type AllocationVerdict } from '../../facts/allocation-verdicts.js';
import type { DbIndex } from '../../facts/db-index.js';
import type { AuditRule } from '../rule.js';
import { placementAudit } from '../../facts/remediation-commands.js';
import { atLeast } from '../../facts/nova-release.js';

/**
 * Allocations nothing justifies: consumers that are neither an instance on
 * that compute node nor a migration in progress through it. One finding per
 * orphaned consumer; when the consumer is a live instance with one stale
 * provider among good ones, one finding per stale provider.
 */

function fmt(resources: Record<string, number>): string {
  return Object.entries(resources)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

function evidenceFor(ix: DbIndex, vs: AllocationVerdict[]): Evidence[] {
  const out: Evidence[] = [];
  for (const v of vs) {
    const rows = (ix.allocationRows.get(v.consumer) ?? []).filter((a) => a.providerId === v.provider.id);
    out.push({
      text: `placement.allocations: consumer ${v.consumer} holds ${fmt(v.resources)} on ${ix.providerLabel(v.provider)}`,
      source: rows[0]?.source ?? { db: ix.facts.placement?.db ?? 'placement', table: 'allocations', key: v.consumer },
    });
  }
  const v = vs[0];
  if (v.instance) {
    out.push({
      text: `${v.instance.cellDb}.instances: ${v.consumer} host=${v.instance.host ?? 'NULL'} node=${v.instance.node ?? 'NULL'} vm_state=${v.instance.vmState ?? 'NULL'} deleted=${v.instance.deleted}`,
      source: v.instance.source,
    });
  } else if (v.archived) {
    out.push({
      text: `${v.archived.cellDb}.shadow_instances: ${v.consumer} host=${v.archived.host ?? 'NULL'} vm_state=${v.archived.vmState ?? 'NULL'} deleted_at=${v.archived.deletedAt ?? 'NULL'} (archived by nova-manage db archive_deleted_rows)`,
      source: v.archived.source,
    });
  } else if (!v.migration) {
    const cells = ix.facts.cells.map((c) => c.db).join(', ') || 'no cell database in the dump';
    out.push({
      text: `no instances row for ${v.consumer} in ${cells}, and no migrations row with that uuid`,
      source: { db: ix.facts.cells[0]?.db ?? 'nova', table: 'instances', key: v.consumer },
    });
  }
  if (v.migration) {
    out.push({
      text: `${v.migration.cellDb}.migrations: ${v.migration.uuid ?? v.migration.id} ${v.migration.migrationType ?? ''} ${v.migration.sourceCompute ?? '?'} → ${v.migration.destCompute ?? '?'} status=${v.migration.status}`,
      source: v.migration.source,
    });
  }
  return out;
}

function remediation(ix: DbIndex, v: AllocationVerdict, whole: boolean, kept: AllocationVerdict[]): Remediation[] {
  const r: Remediation[] = [
    {
      command: `openstack resource provider allocation show ${v.consumer}`,
      why: 'see every allocation of this consumer before removing any',
    },
  ];
  if (whole) {
    r.push({
      command: `openstack resource provider allocation delete ${v.consumer}`,
      why: 'removes the allocations no instance or migration justifies, giving the capacity back to the scheduler',
    });
  } else if (atLeast(ix.release, 'Queens') === false) {
    // Placement before Queens has no microversion 1.12, so no `allocation unset`: rewrite the consumer with only what it should keep.
    const keep = kept
      .map(
        (k) =>
          `--allocation rp=${k.provider.uuid},${Object.entries(k.resources)
            .map(([rc, n]) => `${rc}=${n}`)
            .join(',')}`,
      )
      .join(' ');
    r.push({
      command: `openstack resource provider allocation set ${keep} ${v.consumer}`,
      why: `replaces the consumer's allocations with the ones on its own host, dropping the stale one on ${v.provider.name ?? v.provider.uuid}`,
    });
  } else {
    r.push({
      command: `openstack --os-placement-api-version 1.12 resource provider allocation unset --provider ${v.provider.uuid} ${v.consumer}`,
      why: `removes only the stale allocation on ${v.provider.name ?? v.provider.uuid}, keeping the instance's allocation on its own host (needs an osc-placement that has "allocation unset")`,
    });
  }
  const audit = placementAudit(
    ix,
    v.provider.uuid,
    false,
    "nova's own check of this provider, to confirm against the live cloud before deleting anything",
  );
  if (audit) r.push(audit);
  return r;
}

export const orphanAllocations: AuditRule = {
  id: 'orphan-allocations',
  title: 'Allocations no instance or migration justifies',
  findings: [
    {
      code: 'orphan-allocation',
      title: 'An allocation nothing justifies',
      checks:
        "an allocation on a provider that is not an instance on that compute node nor a migration in progress through it (nova-manage placement audit's rule, offline); one finding per consumer when all its allocations are orphaned, per provider when a live instance has one stale provider among good ones",
      causes: [
        {
          code: 'instance-deleted',
          decidedBy:
            'the instance row is deleted (by nova or by hand), archived into shadow_instances, or gone while nova_api still knows the uuid',
        },
        {
          code: 'failed-migration',
          decidedBy:
            'a migration in error/failed holds it, or one still "in progress" whose instance no longer moves (never finished), or it is the stale provider of such a move',
        },
        { code: 'host-not-mapped', decidedBy: "a build buried in cell0 after landing on an unmapped host left the scheduler's claim" },
        { code: 'unknown-consumer', decidedBy: 'the consumer is neither an instance in any dumped cell nor a migration' },
      ],
      severity: 'warning',
      remediation: "after review against the live cloud: delete (or unset) the allocation, heal the instance's allocations where it runs",
    },
  ],
  check(ix) {
    const byConsumer = new Map<string, AllocationVerdict[]>();
    for (const v of allocationVerdicts(ix)) {
      const list = byConsumer.get(v.consumer);
      if (list) list.push(v);
      else byConsumer.set(v.consumer, [v]);
    }
    const findings: Finding[] = [];
    for (const [consumer, vs] of byConsumer) {
      const bad = vs.filter((v) => !v.justified);
      if (bad.length === 0) continue;
      const whole = bad.length === vs.length;
      const groups = whole ? [bad] : bad.map((b) => [b]);
      for (const g of groups) {
        const v = g[0];
        const resources = Object.fromEntries(g.map((x) => [x.provider.uuid, x.resources]));
        findings.push({
          code: 'orphan-allocation',
          cause: v.cause ?? 'unknown-consumer',
          severity: 'warning',
          subject: {
            consumerUuid: consumer,
            instanceUuid: v.instance?.uuid ?? (v.migration ? v.migration.instanceUuid : undefined),
            migrationUuid: v.migration && v.migration.uuid === consumer ? consumer : undefined,
            providerUuid: g.length === 1 ? v.provider.uuid : undefined,
          },
          resources,
          evidence: evidenceFor(ix, g),
          explanation: `${v.reason}. ${whole ? `It holds ${g.map((x) => `${fmt(x.resources)} on ${x.provider.name ?? x.provider.uuid}`).join(' and ')}` : `The stale allocation holds ${fmt(v.resources)} on ${v.provider.name ?? v.provider.uuid}`}, capacity the scheduler cannot use.${v.doubled ? ' The consumer holds allocations on more than one compute node.' : ''}`,
          remediation: remediation(
            ix,
            v,
            whole,
            vs.filter((x) => x.justified),
          ),
          details: {
            providers: g.map((x) => ({ uuid: x.provider.uuid, name: x.provider.name, resources: x.resources })),
            doubled: v.doubled,
          },
        });
      }
    }
    return findings;
  },
};
