import type { Remediation } from '../model/finding.js';
import { atLeast, type ReleaseName } from './nova-release.js';
import type { DbIndex } from './db-index.js';

/**
 * Remediation commands whose existence or flags depend on the nova release
 * (doc/source/cli/nova-manage.rst). With the release known, a command it lacks
 * is not offered; unknown, the command says which release it needs.
 */

function since(ix: DbIndex, name: ReleaseName, r: Remediation): Remediation | undefined {
  const ok = atLeast(ix.release, name);
  if (ok === false) return undefined;
  return ok ? r : { ...r, why: `${r.why} (nova-manage of ${name} or later)` };
}

/** `nova-manage placement audit` (Ussuri+): nova's own orphan check, `--delete` to remove what it finds. */
export function placementAudit(ix: DbIndex, providerUuid: string, remove: boolean, why: string): Remediation | undefined {
  return since(ix, 'Ussuri', {
    command: `nova-manage placement audit --resource_provider ${providerUuid} ${remove ? '--delete' : '--verbose'}`,
    why,
  });
}

/** `heal_allocations --instance` (Rocky+), with `--force` (Victoria+) to rewrite allocations that exist already. */
export function healAllocations(ix: DbIndex, instanceUuid: string, why: string): Remediation | undefined {
  if (atLeast(ix.release, 'Victoria') === false) {
    return since(ix, 'Rocky', {
      command: `nova-manage placement heal_allocations --instance ${instanceUuid} --verbose`,
      why: `${why}; before Victoria it only creates missing allocations, so remove the stale one first`,
    });
  }
  return since(ix, 'Victoria', { command: `nova-manage placement heal_allocations --instance ${instanceUuid} --force --verbose`, why });
}

/**
 * `cell_v2 discover_hosts` maps only compute_nodes rows with mapped=0: a node
 * already flagged mapped (its host mapping deleted by hand) or a host without
 * a compute node needs `--by-service` (Rocky+).
 */
export function discoverHosts(ix: DbIndex, cellUuid: string | undefined, byService: boolean, why: string): Remediation {
  const cell = cellUuid ? ` --cell_uuid ${cellUuid}` : '';
  const plain = { command: `nova-manage cell_v2 discover_hosts${cell} --verbose`, why };
  if (!byService) return plain;
  return (
    since(ix, 'Rocky', {
      command: `nova-manage cell_v2 discover_hosts${cell} --by-service --verbose`,
      why: `${why}; --by-service because the compute node is flagged mapped already (or has no row), which plain discovery skips`,
    }) ?? {
      command: `nova-manage cell_v2 discover_hosts${cell} --verbose`,
      why: `${why}; the compute node is flagged mapped already, so first set compute_nodes.mapped=0 for it in the cell database (this release has no --by-service)`,
    }
  );
}

/** `cell_v2 map_instances` skips instances that have a mapping row and resumes from a stored marker; `--reset` (Rocky+) scans from the start. */
export function mapInstances(ix: DbIndex, cellUuid: string | undefined, cellDb: string, why: string): Remediation {
  const cell = cellUuid ?? `<uuid of the cell whose database is ${cellDb}>`;
  return (
    since(ix, 'Rocky', { command: `nova-manage cell_v2 map_instances --cell_uuid ${cell} --reset`, why }) ?? {
      command: `nova-manage cell_v2 map_instances --cell_uuid ${cell}`,
      why,
    }
  );
}
