import { exceptionOfText } from '../../../parsers/exception-text.js';
import type { StoredEvent } from '../../correlate/event-store.js';
import type { Instance, Migration } from '../../model/db.js';
import { computeMoveTraceback } from '../../signatures/compute.js';
import { schedulerUtilsMoveFailed } from '../../signatures/conductor.js';
import { isCpuRefusal, isCpuRefusalText } from '../../signatures/libvirt.js';
import {
  destinationDiskExists,
  fieldsOf,
  liveMigrationFailed,
  preLiveMigrationFailed,
  liveMigrationFailure,
  migrationMonitorError,
  migrationAborted,
  migrationError,
  moveInstanceState,
  moveRolledBack,
  moveUnexpectedlyFailed,
  postLiveMigrationFailed,
  preCheckFailed,
  qemuIncomingLoadFailed,
  rolledBackMove,
  unshelveNoValidHost,
} from '../../signatures/move.js';
import { actionBodyOf, apiActionRefusedStatus, apiMoveRefused, apiRefusalOf, MOVE_ACTIONS, SERVER_ACTION } from '../../signatures/api.js';
import { checkTypeOf, filtersRemovedAllHosts, schedulerIgnoringHosts, schedulerNoCandidates } from '../../signatures/scheduler.js';
import { match, matches, type Signature } from '../../signatures/signature.js';
import { type DetectContext, signalled, UUID_RE } from '../detector.js';
import { INSTANCE_DIR, MOVE_OF_CLASS } from '../../../parsers/fault-text.js';
import { type CliListedServer, cliListedServers } from '../cli-state.js';
import { pastedFailures } from '../pasted-faults.js';

/**
 * The moves that failed, one per request (or instance, where no request id was
 * logged): the conductor's refusal ("Failed to compute_task_migrate_server /
 * rebuild_server"), a pre-check's refusal, the destination's disk check, the
 * source's hypervisor error. A move the destination refused for its CPU is the
 * CPU detector's; nothing here reports it twice.
 */

export const MOVE_SIGNATURES: readonly Signature[] = [
  schedulerUtilsMoveFailed,
  preCheckFailed,
  destinationDiskExists,
  migrationError,
  liveMigrationFailure,
  liveMigrationFailed,
  preLiveMigrationFailed,
  postLiveMigrationFailed,
  moveUnexpectedlyFailed,
  unshelveNoValidHost,
  computeMoveTraceback,
  // libvirt's job ended in failure (VIR_DOMAIN_JOB_FAILED; a cancelled one says "was cancelled"): a failed live
  // migration by itself, whatever error line came before it.
  migrationAborted,
  // The driver's monitor raised and re-raised: the migration failed.
  migrationMonitorError,
  // The destination's QEMU could not load the incoming state (its guest's log): the migration failed there.
  qemuIncomingLoadFailed,
  // The compute rolled the move back, the instance set back to its state: the move's error follows it to the conductor.
  moveRolledBack,
];

/** The instance directory a move's failed command names (`ssh <dest> mkdir -p /var/lib/nova/instances/<uuid>`). */
function instanceDirOf(e: StoredEvent): string | undefined {
  for (const text of [e.message, ...(e.traceback ?? [])]) {
    const m = INSTANCE_DIR.exec(text);
    if (m) return m[1];
  }
  return undefined;
}

export interface Move {
  key: string;
  instanceUuid?: string;
  requestIds: Set<string>;
  signals: StoredEvent[];
  /** The instance was named by a line of the same host at the same moment, not by the failure's own line. */
  instanceByTime?: boolean;
  dbInstance?: Instance;
  migration?: Migration;
  /** Only a server listing pasted after the move command shows the failure: its row of the moved server, in ERROR. */
  listed?: CliListedServer;
  /** Only the scheduler's refusal was read (no conductor line of the request): the move's NoValidHost is inferred. */
  schedulerOnly?: boolean;
  /** What names the request a move's, where only the scheduler was read: its left-out source, a check-type hint. */
  moveMark?: StoredEvent;
  /** The API refused the move's action (400/409): nothing moved, the instance's state is what it was. */
  api?: ApiRefusal;
}

export interface ApiRefusal {
  /** The server action (`os-migrateLive`, `migrate`, `resize`, `unshelve`, `evacuate`). */
  action: string;
  /** The class the answer's text stands for, when a line of it was read. */
  refusedWith?: string;
  /** Its placeholders (`state`, `host`, `flavor_id`…). */
  fields: Record<string, string>;
  /** The answer's HTTP status, when the access line was read. */
  status?: number;
  /** The action's arguments, from nova-api's DEBUG line of the body. */
  args?: Record<string, unknown>;
  event: StoredEvent;
}

/** Classes that only a given action raises: they name it where no line of the request does. */
const ACTION_OF_CLASS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(MOVE_OF_CLASS).map(([cls, move]) => [cls, move === 'live-migrate' ? 'os-migrateLive' : move]),
);

/**
 * The API's refusals of a move's action: its error text (the exception it stands for) and the request's access line
 * (400/409 to `POST /servers/<uuid>/action`), the action named by the request's body, the API's own wording
 * ("Cannot 'resize' instance …") or a class only that action raises. A refusal of any other action (reboot, stop) or
 * of an action not known is no move's.
 */
function apiRefusals(ctx: DetectContext): Move[] {
  const byKey = new Map<string, Move>();
  const events = new Map<number, StoredEvent>();
  for (const s of [apiMoveRefused, apiActionRefusedStatus]) for (const e of signalled(ctx, s)) events.set(e.seq, e);
  for (const e of [...events.values()].sort((a, b) => a.seq - b.seq)) {
    const req = e.requestId;
    const own = req ? (ctx.store.byRequest.get(req) ?? []) : [e];
    const text = own.map((x) => ({ x, r: apiRefusalOf(x.message) })).find((t) => t.r);
    const access = own.find((x) => matches(apiActionRefusedStatus, x));
    const body = own.map((x) => actionBodyOf(x.message)).find(Boolean);
    const action = body?.action ?? text?.r?.fields.action ?? (text?.r ? ACTION_OF_CLASS[text.r.type] : undefined);
    if (!action || !(action in MOVE_ACTIONS)) continue;
    const key = req ?? `${e.host}:${e.file}:${e.line}`;
    const seen = byKey.get(key);
    if (seen) {
      if (!seen.signals.includes(e)) seen.signals.push(e);
      continue;
    }
    const inst =
      e.instanceUuid ??
      text?.r?.fields.server_id ??
      text?.r?.fields.instance_uuid ??
      (access ? SERVER_ACTION.exec(access.http!.path)?.[1] : undefined) ??
      own.find((x) => x.instanceUuid)?.instanceUuid;
    byKey.set(key, {
      key,
      instanceUuid: inst,
      requestIds: new Set(req ? [req] : []),
      signals: [e],
      api: {
        action,
        refusedWith: text?.r?.type,
        fields: text?.r?.fields ?? {},
        status: access?.http?.status,
        args: body?.args,
        event: text?.x ?? e,
      },
    });
  }
  return [...byKey.values()];
}

/** `Failed to compute_task_migrate_server: <text>`: the conductor's method and what it raised, as text. */
export function conductorRefusal(e: StoredEvent): { method: string; text: string } | undefined {
  const m = match(schedulerUtilsMoveFailed, e);
  if (!m) return undefined;
  const at = e.message.indexOf(`compute_task_${m.method}`);
  const rest = e.message.slice(at + `compute_task_${m.method}`.length).replace(/^\s*[:：]\s*/, '');
  return { method: m.method, text: rest };
}

/** The instance nova's own pre-check reason names (its memory and disk checks of the destination). */
function precheckInstance(e: StoredEvent): string | undefined {
  const reason = fieldsOf(e, ['MigrationPreCheckError'])?.reason;
  const t = reason ? exceptionOfText(reason, ['MigrationPreCheckError']) : undefined;
  return UUID_RE.exec(t?.fields.instance_uuid ?? '')?.[0];
}

export function collectMoves(ctx: DetectContext): Move[] {
  const signals = new Map<number, StoredEvent>();
  for (const s of MOVE_SIGNATURES) for (const e of signalled(ctx, s)) signals.set(e.seq, e);
  const byKey = new Map<string, Move>();
  const ofRequest = (req: string): string | undefined => {
    for (const e of ctx.store.byRequest.get(req) ?? []) if (e.instanceUuid) return e.instanceUuid;
    return undefined;
  };
  for (const e of [...signals.values()].sort((a, b) => a.seq - b.seq)) {
    // A pre-check refused for the CPU is no failed move of this detector's, nor is the conductor's copy of it.
    if (isCpuRefusal(e)) continue;
    const refusal = conductorRefusal(e);
    if (refusal && isCpuRefusalText(refusal.text)) continue;
    const req = e.requestId;
    let inst =
      e.instanceUuid ??
      match(moveUnexpectedlyFailed, e)?.instance ??
      (req ? ofRequest(req) : undefined) ??
      // The destination's disk check names the instance's directory, which (Essex+) is its uuid.
      UUID_RE.exec(fieldsOf(e, ['DestinationDiskExists'])?.path ?? '')?.[0] ??
      // A move to the host it is on names the instance in its message (Essex's scheduler logs no instance otherwise).
      UUID_RE.exec(fieldsOf(e, ['UnableToMigrateToSelf'])?.instance_id ?? '')?.[0] ??
      // A pre-check's own reason names it (`Unable to migrate <uuid> to <dest>: Lack of memory…`, in any language).
      precheckInstance(e) ??
      // The source's command that failed (ssh mkdir, scp of the disk) names the instance's directory, its uuid (Essex+).
      (matches(migrationError, e) ? instanceDirOf(e) : undefined);
    let byTime = false;
    if (!inst) {
      // Folsom's rpc layer returns the destination's exception under `[-]`: the instance is that of the line the same
      // host logged at the same second.
      const second = e.ts.slice(0, 19);
      const near = ctx.store.events.find((x) => x.host === e.host && x.instanceUuid && x.ts.slice(0, 19) === second);
      if (near) {
        inst = near.instanceUuid;
        byTime = true;
      }
    }
    const key = req ?? inst ?? `${e.host}:${e.file}:${e.line}`;
    // A line of no request (the destination's QEMU log) joins the move its instance failed in, whichever was read first.
    let m =
      byKey.get(key) ??
      (inst
        ? [...byKey.values()].find((x) => x.instanceUuid === inst && (x.requestIds.size === 0 || (!req && !byTime && e.service === 'qemu')))
        : undefined);
    if (!m) byKey.set(key, (m = { key, instanceUuid: inst, requestIds: new Set(), signals: [], instanceByTime: byTime }));
    if (req) m.requestIds.add(req);
    m.instanceUuid ??= inst;
    m.signals.push(e);
  }
  // Server faults pasted alone: a move's when the paste shows one (a resize typed, `Error resizing server`, a migration
  // state) or a move of the instance failed in the logs; one incident with the logged one.
  for (const f of pastedFailures(ctx)) {
    const logged = f.instanceUuid ? [...byKey.values()].find((x) => x.instanceUuid === f.instanceUuid) : undefined;
    if (!f.move && !logged) continue;
    const key = f.requestId ?? f.instanceUuid ?? `${f.event.file}:pasted`;
    let m = logged ?? byKey.get(key);
    if (!m) byKey.set(key, (m = { key, instanceUuid: f.instanceUuid, requestIds: new Set(), signals: [] }));
    if (f.requestId) m.requestIds.add(f.requestId);
    if (!m.signals.includes(f.event)) m.signals.push(f.event);
  }
  // A listing pasted after a move command (only listings and shows typed between) showing the moved server in ERROR:
  // that move failed (a resize, a migration leave ERROR behind when they fail; the listing is the only witness).
  for (const s of cliListedServers(ctx, true)) {
    const server = s.event.pasted?.movedServer;
    if (!server || s.status?.toUpperCase() !== 'ERROR' || (server !== s.uuid && server !== s.name)) continue;
    if ([...byKey.values()].some((x) => x.instanceUuid === s.uuid)) continue;
    byKey.set(s.uuid, { key: s.uuid, instanceUuid: s.uuid, requestIds: new Set(), signals: [s.event], listed: s });
  }
  for (const m of apiRefusals(ctx)) if (!byKey.has(m.key)) byKey.set(m.key, m);
  // The scheduler's refusal of a request the conductor's log does not hold (a controller's scheduler log alone): a
  // move's when the request left hosts out (a move leaves out its source) or carries a check-type hint.
  for (const s of [filtersRemovedAllHosts, schedulerNoCandidates])
    for (const e of signalled(ctx, s)) {
      const req = e.requestId;
      if (!req || byKey.has(req)) continue;
      const events = ctx.store.byRequest.get(req) ?? [];
      if (events.some((x) => x.service === 'nova-conductor')) continue;
      const mark = events.find((x) => matches(schedulerIgnoringHosts, x) || checkTypeOf(x) !== undefined);
      if (!mark) continue;
      const inst = e.instanceUuid ?? match(filtersRemovedAllHosts, e)?.instance ?? ofRequest(req);
      byKey.set(req, { key: req, instanceUuid: inst, requestIds: new Set([req]), signals: [e], schedulerOnly: true, moveMark: mark });
    }
  for (const m of byKey.values()) {
    if (!m.instanceUuid) continue;
    m.dbInstance = ctx.ix.instance(m.instanceUuid);
    const moves = ctx.ix.migrationsByInstance.get(m.instanceUuid) ?? [];
    const failed = moves.filter((x) => x.status === 'error' || x.status === 'failed');
    m.migration = (failed.length ? failed : moves).sort((a, b) => ((a.createdAt ?? '') < (b.createdAt ?? '') ? 1 : -1))[0];
  }
  // A move whose request also holds a CPU refusal (the conductor's copy of a remote InvalidCPUInfo) is the CPU detector's.
  return [...byKey.values()].filter((m) => ![...m.requestIds].some((r) => (ctx.store.byRequest.get(r) ?? []).some((x) => isCpuRefusal(x))));
}

/** The state the conductor (or the compute, rolling the move back) set the instance back to, when it says. */
export function stateLeft(related: readonly StoredEvent[]): string | undefined {
  for (const e of related) {
    const m = match(moveInstanceState, e);
    if (m) return m.state;
  }
  for (const e of related) {
    const m = match(moveRolledBack, e);
    if (m) return m.state.toUpperCase();
  }
  return undefined;
}

/** The move's error a compute's rollback line carries (ResizeError, …), when one of the move's lines is one. */
export function rollbackOf(signals: readonly StoredEvent[]): ReturnType<typeof rolledBackMove> {
  for (const e of signals) {
    const m = match(moveRolledBack, e);
    if (m) return rolledBackMove(m.error);
  }
  return undefined;
}

export const LIVE_SIGNATURES: readonly Signature[] = [
  liveMigrationFailure,
  qemuIncomingLoadFailed,
  migrationMonitorError,
  migrationAborted,
  liveMigrationFailed,
  preLiveMigrationFailed,
  postLiveMigrationFailed,
  moveUnexpectedlyFailed,
  destinationDiskExists,
  preCheckFailed,
];
