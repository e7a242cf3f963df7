import type { StoredEvent } from '../correlate/event-store.js';
import { amountsOf, type DetectContext } from './detector.js';
import {
  MIGRATION_COLUMNS,
  pastedMigrationList,
  pastedConsumerAllocations,
  pastedProviderAllocations,
  pastedServerList,
  pastedServerListAfterMove,
  pastedServerState,
  SERVER_COLUMNS,
} from '../signatures/cli-state.js';

/**
 * Placement's and nova's state as a person's pasted CLI output shows it,
 * where no dump does: each consumer's allocation on a provider (`resource
 * provider show --allocations`) and each server's host and states (`server
 * show`). The same facts the dump's allocations and instances rows give,
 * marked by the event they were read from (`source`), so a rule can say
 * they came from the CLI and when they are only a snapshot.
 */

export interface CliAllocation {
  providerUuid: string;
  providerName?: string;
  consumer: string;
  resources: Record<string, number>;
  source: StoredEvent;
}

export interface CliServer {
  uuid: string;
  /** The compute node it is on (hypervisor_hostname, else host). */
  host?: string;
  vmState?: string;
  /** Undefined when the CLI printed none/null. */
  taskState?: string;
  status?: string;
  source: StoredEvent;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** One consumer's entry of the python repr osc-placement prints: `'<uuid>': {'resources': {…}`. */
const CONSUMER = /u?'([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})':\s*\{\s*u?'resources':\s*\{([^}]*)\}/g;
const NONE = /^(?:none|null|-|)$/i;

const value = (v: string | undefined): string | undefined => {
  const t = v?.trim().replace(/^["']|["']$/g, '');
  return t === undefined || NONE.test(t) ? undefined : t;
};

export function cliAllocations(ctx: DetectContext): CliAllocation[] {
  const out: CliAllocation[] = [];
  for (const e of ctx.store.matching(pastedProviderAllocations.id)) {
    const f = e.pasted!.fields!;
    const providerUuid = value(f.uuid);
    if (!providerUuid || !UUID.test(providerUuid)) continue;
    for (const m of f.allocations.matchAll(CONSUMER)) {
      const resources = amountsOf(m[2]);
      if (Object.keys(resources).length > 0) out.push({ providerUuid, providerName: value(f.name), consumer: m[1], resources, source: e });
    }
  }
  return out;
}

/** Each consumer's allocations as pasted `resource provider allocation show <consumer>` shows them, a row per provider. */
export function cliConsumerAllocations(ctx: DetectContext): CliAllocation[] {
  const out: CliAllocation[] = [];
  for (const e of ctx.store.matching(pastedConsumerAllocations.id))
    for (const row of e.pasted!.rows!) {
      const providerUuid = value(row.resource_provider);
      if (!providerUuid || !UUID.test(providerUuid)) continue;
      const resources = amountsOf(row.resources ?? '');
      if (Object.keys(resources).length > 0) out.push({ providerUuid, consumer: e.pasted!.consumer!, resources, source: e });
    }
  return out;
}

/** The last pasted state of each server. */
export function cliServers(ctx: DetectContext): Map<string, CliServer> {
  const out = new Map<string, CliServer>();
  for (const e of ctx.store.matching(pastedServerState.id)) {
    const f = e.pasted!.fields!;
    out.set(e.instanceUuid!, {
      uuid: e.instanceUuid!,
      host: value(f['OS-EXT-SRV-ATTR:hypervisor_hostname']) ?? value(f['OS-EXT-SRV-ATTR:host']),
      vmState: value(f['OS-EXT-STS:vm_state']),
      taskState: value(f['OS-EXT-STS:task_state']),
      status: value(f.status),
      source: e,
    });
  }
  return out;
}

export interface CliMigration {
  instance: string;
  source?: string;
  dest?: string;
  status?: string;
  /** `migration`, `resize`, `live-migration`, `evacuation` (absent before API 2.23). */
  type?: string;
  /** Its `Updated At` (else `Created At`), as printed. */
  at?: string;
  event: StoredEvent;
}

/** A listing row's cell under the first of its column's names the CLI printed, none/null/- as absent. */
type Cell = (names: readonly string[]) => string | undefined;

/** Each row of the listings a signature matched, in order, with its event: `read` keeps what it makes of a row. */
function listingRows<T>(ctx: DetectContext, id: string, read: (cell: Cell, event: StoredEvent) => T | undefined): T[] {
  const out: T[] = [];
  for (const e of ctx.store.matching(id))
    for (const row of e.pasted!.rows!) {
      const item = read((names) => value(names.map((n) => row[n]).find((v) => v !== undefined)), e);
      if (item !== undefined) out.push(item);
    }
  return out;
}

/** Each migration a pasted listing shows, in the listing's order. */
export function cliMigrations(ctx: DetectContext): CliMigration[] {
  return listingRows(ctx, pastedMigrationList.id, (get, event) => {
    const instance = get(MIGRATION_COLUMNS.instance);
    if (!instance || !UUID.test(instance)) return undefined;
    return {
      instance,
      source: get(MIGRATION_COLUMNS.source),
      dest: get(MIGRATION_COLUMNS.dest),
      status: get(MIGRATION_COLUMNS.status),
      type: get(MIGRATION_COLUMNS.type),
      at: get(['Updated At', 'Created At']),
      event,
    };
  });
}

export interface CliListedServer {
  uuid: string;
  name?: string;
  /** As printed: ERROR, ACTIVE, SHUTOFF… */
  status?: string;
  taskState?: string;
  /** As printed: NOSTATE, Running, Shutdown… */
  powerState?: string;
  event: StoredEvent;
}

/** Each server a pasted listing shows, in the listing's order (`afterMove`: the listings pasted after a move command). */
export function cliListedServers(ctx: DetectContext, afterMove = false): CliListedServer[] {
  return listingRows(ctx, afterMove ? pastedServerListAfterMove.id : pastedServerList.id, (get, event) => {
    const uuid = get(SERVER_COLUMNS.id);
    if (!uuid || !UUID.test(uuid)) return undefined;
    return {
      uuid,
      name: get(SERVER_COLUMNS.name),
      status: get(SERVER_COLUMNS.status),
      taskState: get(SERVER_COLUMNS.taskState),
      powerState: get(SERVER_COLUMNS.powerState),
      event,
    };
  });
}

/** The task states of a build (nova/compute/task_states.py): a server left in ERROR with one of them failed its build there. */
const BUILD_TASK_STATES = /^(?:scheduling|block_device_mapping|networking|spawning)$/i;

/**
 * A listed server in ERROR whose hypervisor never ran it (power state NOSTATE, no task going on), or left in one of a
 * build's task states (a driver that failed the spawn without clearing it): its build failed. A failed move, a failed
 * reboot leave a power state (Running, Shutdown) or their own task behind.
 */
export function neverRanInError(s: CliListedServer): boolean {
  if (s.status?.toUpperCase() !== 'ERROR') return false;
  if (s.taskState !== undefined) return BUILD_TASK_STATES.test(s.taskState);
  return /^no\s*state$/i.test(s.powerState ?? '');
}
