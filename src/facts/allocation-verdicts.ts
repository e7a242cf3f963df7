import type { Instance, Migration, ResourceProvider } from '../model/db.js';
import type { CauseCode } from '../model/finding.js';
import { type DbIndex, FAILED_MIGRATION_STATUSES, NOVA_RESOURCE_CLASSES } from './db-index.js';

/**
 * For every (consumer, provider) allocation: does anything justify it? The
 * rule is `nova-manage placement audit`'s (an instance on that compute node,
 * or a migration in progress through it), applied offline, with the reason
 * when nothing does. Shared by the orphan rule, the capacity rule and the
 * detectors, so they agree.
 */

export interface AllocationVerdict {
  consumer: string;
  provider: ResourceProvider;
  resources: Record<string, number>;
  justified: boolean;
  cause?: CauseCode;
  /** Plain words: why it is (not) justified. */
  reason: string;
  instance?: Instance;
  /** The consumer's row in `shadow_instances`: archived by `nova-manage db archive_deleted_rows`. */
  archived?: Instance;
  migration?: Migration;
  /** The migration is in a status nova counts as in progress, yet its instance is no longer moving. */
  neverFinished?: boolean;
  /** The consumer holds allocations on more than one compute node. */
  doubled: boolean;
}

const cache = new WeakMap<DbIndex, AllocationVerdict[]>();

export function allocationVerdicts(ix: DbIndex): AllocationVerdict[] {
  const hit = cache.get(ix);
  if (hit) return hit;
  const out: AllocationVerdict[] = [];
  for (const [consumer, byProvider] of ix.allocationsByConsumer) {
    const roots = new Set<number>();
    for (const pid of byProvider.keys()) {
      const rp = ix.providers.get(pid);
      if (rp) roots.add(ix.rootOf(rp).id);
    }
    for (const [pid, byClass] of byProvider) {
      const provider = ix.providers.get(pid);
      if (!provider) continue;
      const resources = Object.fromEntries(byClass);
      if (!Object.keys(resources).some((rc) => NOVA_RESOURCE_CLASSES.has(rc))) continue;
      out.push({ consumer, provider, resources, doubled: roots.size > 1, ...judge(ix, consumer, provider) });
    }
  }
  cache.set(ix, out);
  return out;
}

export interface OrphanUsage {
  orphan: number;
  /** The part held by consumers allocated on more than one compute node. */
  doubled: number;
  consumers: string[];
}

const usageCache = new WeakMap<DbIndex, Map<string, OrphanUsage>>();

/** What unjustified allocations hold, by `providerId|resourceClass`: capacity an operator can win back. */
export function orphanUsage(ix: DbIndex): Map<string, OrphanUsage> {
  const hit = usageCache.get(ix);
  if (hit) return hit;
  const out = new Map<string, OrphanUsage>();
  for (const v of allocationVerdicts(ix)) {
    if (v.justified) continue;
    for (const [rc, used] of Object.entries(v.resources)) {
      const key = `${v.provider.id}|${rc}`;
      const o = out.get(key) ?? { orphan: 0, doubled: 0, consumers: [] };
      o.orphan += used;
      if (v.doubled) o.doubled += used;
      o.consumers.push(v.consumer);
      out.set(key, o);
    }
  }
  usageCache.set(ix, out);
  return out;
}

function nodeOfProvider(ix: DbIndex, rp: ResourceProvider): string | undefined {
  const cn = ix.computeOf(rp);
  return cn?.hypervisorHostname ?? ix.rootOf(rp).name;
}

/** The compute host behind a provider (its root's compute node, else the root's name). */
export function providerHost(ix: DbIndex, rp: ResourceProvider): string | undefined {
  const cn = ix.computeOf(rp);
  return cn?.host ?? ix.rootOf(rp).name;
}

/**
 * A migration nova still counts as in progress (its status is not final) whose
 * instance is no longer moving: deleted, or with no task and not waiting for
 * a resize to be confirmed. Every move keeps a task state until it ends
 * (`migrating`, `resize_*`, `rebuilding`) except a finished resize, which
 * waits in vm_state `resized`; so the move ended without its migration record
 * (a compute restarted mid-move, a conductor lost its reply) and nothing will
 * release what the migration holds.
 */
export function neverFinished(ix: DbIndex, m: Migration): boolean {
  if (ix.isFinal(m)) return false;
  const instance = m.instanceUuid ? ix.instance(m.instanceUuid) : undefined;
  if (!instance) return false;
  return ix.isDeleted(instance) || (!instance.taskState && instance.vmState !== 'resized');
}

function touches(m: Migration, node: string | undefined): boolean {
  return !!node && (m.sourceNode === node || m.destNode === node || m.sourceCompute === node || m.destCompute === node);
}

function judge(
  ix: DbIndex,
  consumer: string,
  rp: ResourceProvider,
): Omit<AllocationVerdict, 'consumer' | 'provider' | 'resources' | 'doubled'> {
  const node = nodeOfProvider(ix, rp);
  const host = providerHost(ix, rp);
  const unmapped = ix.facts.api !== undefined && !!host && !ix.mappedHosts.has(host);

  const migration = ix.migrations.get(consumer);
  if (migration) {
    if (neverFinished(ix, migration)) {
      const inst = ix.instance(migration.instanceUuid!)!;
      return {
        justified: false,
        cause: 'failed-migration',
        migration,
        neverFinished: true,
        reason: `migration ${consumer} (${migration.migrationType ?? 'migration'} of instance ${migration.instanceUuid}, ${migration.sourceCompute ?? '?'} → ${migration.destCompute ?? '?'}) is still "${migration.status}", but its instance is ${ix.isDeleted(inst) ? 'deleted' : `no longer moving (vm_state ${inst.vmState ?? 'NULL'}, task_state NULL)`}: the migration never finished, and what it holds on ${node} is never released`,
      };
    }
    if (!ix.isFinal(migration)) {
      return touches(migration, node)
        ? { justified: true, reason: `migration ${consumer} is ${migration.status} through ${node}`, migration }
        : {
            justified: false,
            cause: 'failed-migration',
            reason: `migration ${consumer} (${migration.status}) does not involve ${node}`,
            migration,
          };
    }
    const failed = FAILED_MIGRATION_STATUSES.has(migration.status ?? '');
    return {
      justified: false,
      cause: failed ? 'failed-migration' : 'unknown-consumer',
      reason: `consumer ${consumer} is migration ${migration.id} (${migration.migrationType ?? 'migration'} of instance ${migration.instanceUuid}), whose status is ${migration.status}: it should have released this allocation`,
      migration,
    };
  }

  const instance = ix.instance(consumer);
  const archived = instance ? undefined : ix.archived.get(consumer);
  if (archived) {
    return {
      justified: false,
      cause: 'instance-deleted',
      archived,
      reason: `instance ${consumer} was deleted${archived.deletedAt ? ` at ${archived.deletedAt}` : ''} and its row archived into ${archived.cellDb}.shadow_instances by nova-manage db archive_deleted_rows, so nova finds no instance for this allocation and never removes it`,
    };
  }
  if (!instance && ix.missingCells.length > 0) {
    // Held back, not called an orphan: the consumer may live in a cell the dump lacks.
    return {
      justified: true,
      reason: `consumer ${consumer} is in none of the dumped cells, but ${ix.missingCells.map((c) => c.databaseName).join(', ')} was not dumped`,
    };
  }
  if (!instance) {
    const traces = ix.instanceMappings.has(consumer) || ix.facts.api?.requestSpecs.some((r) => r.instanceUuid === consumer);
    return traces
      ? {
          justified: false,
          cause: 'instance-deleted',
          reason: `instance ${consumer} has no row in any cell database (deleted and archived, or removed by hand), yet nova_api still knows it`,
        }
      : { justified: false, cause: 'unknown-consumer', reason: `consumer ${consumer} is neither an instance in any cell nor a migration` };
  }
  if (ix.isDeleted(instance)) {
    const byHand = ix.deletedByHand(instance);
    return {
      justified: false,
      cause: 'instance-deleted',
      instance,
      reason: byHand
        ? `instance ${consumer} is marked deleted (deleted=${instance.deleted}, but nova's own soft delete sets deleted to the row id ${instance.id}): it was deleted by hand in the database, so nova neither tracks it nor cleans its allocations`
        : `instance ${consumer} is deleted (vm_state ${instance.vmState ?? '?'}, deleted_at ${instance.deletedAt ?? '?'}) but its allocations remain`,
    };
  }
  if (instance.node && instance.node === node) return { justified: true, instance, reason: `instance ${consumer} runs on ${node}` };
  const moves = ix.migrationsByInstance.get(consumer) ?? [];
  const stalled = moves.find((m) => neverFinished(ix, m) && touches(m, node));
  if (stalled)
    return {
      justified: false,
      cause: 'failed-migration',
      instance,
      migration: stalled,
      neverFinished: true,
      reason: `instance ${consumer} runs on ${instance.node ?? instance.host}; its ${stalled.migrationType ?? 'migration'} ${stalled.uuid ?? stalled.id} through ${node} is still "${stalled.status}" though the instance is no longer moving (vm_state ${instance.vmState ?? 'NULL'}, task_state NULL): the migration never finished and left this allocation behind`,
    };
  const active = moves.find((m) => !ix.isFinal(m) && touches(m, node));
  if (active)
    return { justified: true, instance, migration: active, reason: `instance ${consumer} is migrating (${active.status}) through ${node}` };
  if (!instance.host && !instance.node) {
    if (instance.vmState === 'building')
      return { justified: true, instance, reason: `instance ${consumer} is being built; the scheduler claimed on ${node}` };
    if (unmapped) {
      return {
        justified: false,
        cause: 'host-not-mapped',
        instance,
        reason: `instance ${consumer} (vm_state ${instance.vmState}, in ${instance.cellDb}) never reached ${host}: the host has no host_mappings row, so the build was buried in cell0 and the scheduler's claim on it was never released`,
      };
    }
    return {
      justified: false,
      cause: 'unknown-consumer',
      instance,
      reason: `instance ${consumer} (vm_state ${instance.vmState}, in ${instance.cellDb}) has no host, yet holds an allocation on ${node}`,
    };
  }
  const failedMove = moves.find((m) => FAILED_MIGRATION_STATUSES.has(m.status ?? '') && touches(m, node));
  if (failedMove) {
    return {
      justified: false,
      cause: 'failed-migration',
      instance,
      migration: failedMove,
      reason: `instance ${consumer} runs on ${instance.node}; its ${failedMove.migrationType ?? 'migration'} ${failedMove.uuid ?? failedMove.id} through ${node} ended in ${failedMove.status} and left this allocation behind`,
    };
  }
  return {
    justified: false,
    cause: unmapped ? 'host-not-mapped' : 'unknown-consumer',
    instance,
    reason: `instance ${consumer} runs on ${instance.node ?? instance.host}, not on ${node}, and no migration explains an allocation there`,
  };
}
