import type { Level } from '../src/model/event.js';
import type { OsloLine } from './oslo-log.js';
import { msOf } from './timestamps.js';

/**
 * oslo.log's JSONFormatter (`oslo_log/formatters.py`): one JSON object per
 * line with `asctime`, `msecs`, `levelname`, `name`, `process`, `message`,
 * `traceback` (newline-joined, or a list of lines in older releases) and `context` (the request context as a dict:
 * `request_id`, `global_request_id`, `user_id`/`user`, `project_id`/`project`,
 * `resource_uuid`), plus `extra` (where nova's `instance_uuid` can land).
 */

const LEVELS = new Set(['TRACE', 'DEBUG', 'INFO', 'AUDIT', 'WARNING', 'ERROR', 'CRITICAL']);

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' && v !== '-' && v !== 'None' ? v : undefined;
}

export function parseJsonLogLine(text: string): { line: OsloLine; traceback: string[] } | undefined {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof o !== 'object' || o === null) return undefined;
  const asctime = str(o.asctime) ?? str(o.time);
  const levelname = str(o.levelname) ?? str(o.level);
  if (!asctime || !levelname || !LEVELS.has(levelname)) return undefined;
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:[.,](\d+))?/.exec(asctime);
  if (!m) return undefined;
  const msecs = typeof o.msecs === 'number' ? Math.floor(o.msecs) : undefined;
  const frac = m[3] !== undefined ? msOf(m[3]) : String(msecs ?? 0).padStart(3, '0');
  const ctx = (typeof o.context === 'object' && o.context !== null ? o.context : {}) as Record<string, unknown>;
  const extra = (typeof o.extra === 'object' && o.extra !== null ? o.extra : {}) as Record<string, unknown>;
  const inst = extra.instance as Record<string, unknown> | undefined;
  const line: OsloLine = {
    ts: `${m[1]}T${m[2]}.${frac}`,
    level: levelname as Level,
    logger: str(o.name) ?? 'unknown',
    hasContext: Object.keys(ctx).length > 0,
    message: typeof o.message === 'string' ? o.message : '',
  };
  if (typeof o.process === 'number') line.pid = o.process;
  const rid = str(ctx.request_id);
  if (rid) line.requestId = rid;
  const gid = str(ctx.global_request_id);
  if (gid && gid !== rid) line.globalRequestId = gid;
  const user = str(ctx.user_id) ?? str(ctx.user);
  if (user) line.userId = user;
  const project = str(ctx.project_id) ?? str(ctx.project) ?? str(ctx.tenant);
  if (project) line.projectId = project;
  const instance =
    str(extra.instance_uuid) ??
    (inst && typeof inst === 'object' ? str(inst.uuid) : undefined) ??
    str(ctx.instance_uuid) ??
    str(ctx.resource_uuid);
  if (instance) line.instanceUuid = instance;
  // A string since oslo.log 6 (2024); a list of lines before.
  const tb = o.traceback;
  const traceback = typeof tb === 'string' ? tb.split('\n') : Array.isArray(tb) ? tb.filter((l): l is string => typeof l === 'string') : [];
  return { line, traceback };
}
