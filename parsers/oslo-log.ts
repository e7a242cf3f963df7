import { pattern } from './pattern.js';
import type { Level } from '../src/model/event.js';
import { msOf } from './timestamps.js';

/**
 * One physical oslo.log line, split into its header fields. No decoding and no
 * folding here: that is `oslo-events.ts`. Header shapes (oslo_log/_options.py,
 * formatters.py):
 *   TS PID LEVEL logger [req-X user project - default default] msg   (oslo.log < 4.8)
 *   TS PID LEVEL logger [None req-X user project - - default default] msg
 *   TS PID LEVEL logger [req-GLOBAL req-LOCAL …] msg
 *   TS PID LEVEL logger [-] msg                                      (no context)
 *   TS PID LEVEL logger [instance: UUID] msg                         (exception prefix)
 *   TS PID LEVEL logger msg                                          (traceback lines)
 *   TS LEVEL logger [req-X user project] msg   (Essex, Folsom: no pid, often no milliseconds)
 *   TS.mmm LEVEL logger [req-X project user] msg                     (devstack's screen logs)
 * and the devstack journald shape without time and pid: `LEVEL logger [ctx] msg`.
 */

export interface OsloLine {
  /** `YYYY-MM-DDTHH:mm:ss.SSS`, as written (host-local). Empty for the journald shape. */
  ts: string;
  pid?: number;
  level: Level;
  logger: string;
  /** The line had a `[...]` context bracket (`[-]` included). Traceback lines do not. */
  hasContext: boolean;
  globalRequestId?: string;
  requestId?: string;
  userId?: string;
  projectId?: string;
  instanceUuid?: string;
  /** Everything after the header, still encoded. */
  message: string;
}

export interface HeaderPattern {
  name: string;
  pattern: RegExp;
  samples: { line: string; source: string }[];
}

const LEVEL_ALT = 'TRACE|DEBUG|INFO|AUDIT|WARNING|WARN|ERROR|CRITICAL|FATAL';

/** The standard header. Date and time may be split by `T`; fraction is 3 or 6 digits or absent. */
export const OSLO_HEADER: HeaderPattern = {
  name: 'oslo-context',
  pattern: pattern(
    String.raw`^(?<date>\d{4}-\d\d-\d\d)[ T](?<time>\d\d:\d\d:\d\d)(?:[.,](?<frac>\d{1,9}))?(?:Z|[+-]\d\d:?\d\d)?
      [ ]+ (?<pid>\d+)
      [ ]+ (?<level>${LEVEL_ALT})
      [ ]+ (?<logger>[^\s\[]+)
      (?:[ ](?<rest>.*))?$`,
    'xs',
  ),
  samples: [
    {
      line: '2018-12-27 15:05:45.403 31027 WARNING nova.scheduler.utils [req-49530488-2149-4f15-85ea-5659267ffada 8668aa3368c0427c98b1d1824a36f720 f30a92c42d264a79ba5744b084346a2d - default default] [instance: c2963f0d-370c-43aa-8cee-0131760d6ef2] Setting instance to ERROR state.',
      source: 'seed 000 nova-conductor.log (Pike)',
    },
    {
      line: '2021-07-30 14:46:16.665 175316 INFO nova.scheduler.manager [None req-cb66e713-19a8-45d2-b107-dd31569f4653 b5957a478f0d4c328ef10cee0210a948 0fe34a6944b4416195ff5176f681c34f - default default] Got no allocation candidates from the Placement API. This could be due to insufficient resources or a temporary occurrence as compute nodes start up.',
      source: 'seed 001 nova-scheduler.log (Train)',
    },
    {
      line: "2024-10-02 12:07:18.800 1590924 WARNING nova.compute.resource_tracker [None req-f8320401-70fb-4532-8d87-e5240e53f68b - - - - - -] Instance b32e5792-427c-43b1-83dc-2d3e3c8d74c4 is not being actively managed by this compute host but has allocations referencing this compute host: {'resources': {'VCPU': 12, 'MEMORY_MB': 32768, 'DISK_GB': 80}}. Skipping heal of allocation because we do not know what to do.",
      source: 'seed 003 nova-compute.log',
    },
    {
      line: '2022-02-04 09:37:50.031 21562 INFO os_vif [-] Loaded VIF plugins: linux_bridge, noop, ovs',
      source: 'corpus hotsos/openstack nova-compute.log.1.gz',
    },
    {
      line: '2014-04-21 14:45:06.857 1094 TRACE nova.openstack.common.threadgroup Traceback (most recent call last):',
      source: 'corpus OpenStackForensics/nova-conductor.log (Havana)',
    },
    {
      line: '2014-04-16 21:01:49.223 8539 AUDIT nova.service [-] Starting conductor node (version 2013.2.2)',
      source: 'corpus OpenStackForensics/nova-conductor.log (Havana)',
    },
  ],
};

/**
 * Essex and Folsom (`%(asctime)s %(levelname)s %(name)s [%(request_id)s …]`,
 * `TRACE` lines `%(asctime)s TRACE %(name)s %(instance)s`) and devstack's
 * screen logs before systemd (`%(asctime)s.%(msecs)03d %(color)s%(levelname)s …`):
 * no pid. Tried after OSLO_HEADER, which needs one. Also nova's own test runs
 * (its StandardLogging fixture: `%(asctime)s %(levelname)s [%(name)s] %(message)s`,
 * python's comma before the milliseconds), which bug reports and commit
 * messages quote: the logger in brackets.
 */
export const OSLO_NO_PID_HEADER: HeaderPattern = {
  name: 'oslo-no-pid',
  pattern: pattern(
    String.raw`^(?<date>\d{4}-\d\d-\d\d)[ T](?<time>\d\d:\d\d:\d\d)(?:[.,](?<frac>\d{1,9}))?(?:Z|[+-]\d\d:?\d\d)?
      [ ]+ (?<level>${LEVEL_ALT})
      [ ]+ (?:(?<logger>[^\s\[]+)|\[(?<blogger>[A-Za-z_][\w.]*)\])
      (?:[ ](?<rest>.*))?$`,
    'xs',
  ),
  samples: [
    {
      line: '2012-07-05 22:03:52 DEBUG nova.manager [-] Running periodic task ComputeManager._poll_rescued_instances from (pid=2575) periodic_tasks /usr/lib/python2.7/dist-packages/nova/manager.py:152',
      source: 'https://github.com/nii-cloud/dodai-deploy/issues/18 (Essex nova-compute, 2012)',
    },
    {
      line: "2012-07-05 21:59:50 DEBUG nova.rpc.amqp [req-19112e17-290b-480a-82b8-a781d5e2cd65 None None] unpacked context: {'user_id': None, 'roles': [u'admin'], 'timestamp': '2012-07-06T01:59:50.769543', 'auth_token': '<SANITIZED>', 'remote_address': None, 'is_admin': True, 'request_id': u'req-19",
      source: 'https://github.com/nii-cloud/dodai-deploy/issues/18 (Essex, `[req-… None None]` context)',
    },
    {
      line: '2012-07-05 22:03:53 INFO nova.virt.libvirt.connection [-] Compute_service record updated for server3.faveones.com',
      source: 'https://github.com/nii-cloud/dodai-deploy/issues/18',
    },
    {
      line: '2014-12-18 18:20:23,694 ERROR [nova.compute.manager] Failed to get compute_info for fake-mini',
      source: "test/corpus/real/openstack-nova-commit-737fb8e7 (a Kilo test run's log, its logger in brackets)",
    },
  ],
};

/**
 * devstack under systemd: journald supplies time and pid, oslo writes `LEVEL logger …`. Also a line pasted without
 * its time, and nova's test runs' (`%(levelname)s [%(name)s] …`) so pasted: the logger in brackets.
 */
export const OSLO_BARE_HEADER: HeaderPattern = {
  name: 'oslo-bare',
  pattern: pattern(String.raw`^(?<level>${LEVEL_ALT}) (?:(?<logger>[^\s\[]+)|\[(?<blogger>[A-Za-z_][\w.]*)\])(?:[ ](?<rest>.*))?$`, 's'),
  samples: [
    {
      line: 'DEBUG nova.scheduler.host_manager [None req-c8cd4884-6858-4438-ab57-07ac3adeefbe admin admin] Update host state with instances: {} {{(pid=15128) _locked_update /opt/stack/nova/nova/scheduler/host_manager.py:181}}',
      source: 'corpus bug-report-excerpts/lxc__lxc__issue1786.nova-scheduler.journal.log (after the journald prefix)',
    },
    {
      line: 'WARNING [nova.scheduler.utils] Failed to',
      source: 'test/corpus/real/openstack-nova-commit-d5337279 (a functional test run quoted in a commit message, its time cut off)',
    },
  ],
};

const NORMAL_LEVEL: Record<string, Level> = { WARN: 'WARNING', FATAL: 'CRITICAL' };

function emptyToUndef(tok: string | undefined): string | undefined {
  return tok === undefined || tok === '-' || tok === 'None' || tok === '' ? undefined : tok;
}

/** The space-separated token of `s` from `from` (to the next space or `end`). */
function tokenEnd(s: string, from: number, end: number): number {
  const sp = s.indexOf(' ', from);
  return sp === -1 || sp > end ? end : sp;
}

/**
 * `req-X user project …` or `GLOBAL req-LOCAL user project …` inside the
 * context bracket `line[start, end)`. Tokens are found with indexOf rather than
 * split(): only the first four are ever needed, on every line of a log.
 */
function fillContext(out: OsloLine, line: string, start: number, end: number): void {
  if (end - start === 1 && line.charCodeAt(start) === 45 /* - */) return;
  const e0 = tokenEnd(line, start, end);
  const t0 = line.slice(start, e0);
  let next = e0 + 1;
  if (e0 < end && line.startsWith('req-', next) && (t0 === 'None' || t0 === '-' || t0.startsWith('req-'))) {
    const e1 = tokenEnd(line, next, end);
    out.globalRequestId = emptyToUndef(t0);
    out.requestId = line.slice(next, e1);
    next = e1 + 1;
  } else if (t0.startsWith('req-')) {
    out.requestId = t0;
  }
  if (next > end) return;
  const eu = tokenEnd(line, next, end);
  out.userId = emptyToUndef(line.slice(next, eu));
  if (eu >= end) return;
  out.projectId = emptyToUndef(line.slice(eu + 1, tokenEnd(line, eu + 1, end)));
}

/**
 * Where `[instance: ` ends when the line holds it at `i`, else -1. A copy re-joined by a renderer may put a run of
 * spaces after the bracket (`[    instance: …]`, louielong's blog): the tag all the same.
 */
function instanceTagEnd(line: string, i: number): number {
  if (line.charCodeAt(i) !== 91 /* [ */) return -1;
  if (line.startsWith('instance: ', i + 1)) return i + 11;
  let j = i + 1;
  while (line.charCodeAt(j) === 32) j++;
  return j > i + 1 && line.startsWith('instance: ', j) ? j + 10 : -1;
}

/** Splits `[ctx] [instance: uuid] message` off the rest of a header, which starts at `from`. */
function fillRest(out: OsloLine, line: string, from: number): void {
  let i = from;
  if (line.charCodeAt(i) === 91 /* [ */ && instanceTagEnd(line, i) < 0) {
    const close = line.indexOf(']', i);
    if (close > i) {
      out.hasContext = true;
      fillContext(out, line, i + 1, close);
      i = close + 1;
      if (line.charCodeAt(i) === 32) i++;
    }
  }
  const tag = instanceTagEnd(line, i);
  if (tag > 0) {
    const close = line.indexOf(']', i);
    if (close > i) {
      const id = line.slice(tag, close);
      // A terminal copy re-joined with a run of spaces inside the uuid: the spaces are not the uuid's.
      out.instanceUuid = id.includes(' ') && /^[0-9a-f-]+ +[0-9a-f-]+$/.test(id) ? id.replace(/ +/g, '') : id;
      i = close + 1;
      if (line.charCodeAt(i) === 32) i++;
    }
  }
  out.message = i === 0 ? line : line.slice(i);
}

function normalTs(date: string, time: string, frac: string | undefined): string {
  return `${date}T${time}.${msOf(frac)}`;
}

function fromGroups(g: Record<string, string>, ts: string, pid: number | undefined): OsloLine {
  const out: OsloLine = {
    ts,
    level: (NORMAL_LEVEL[g.level] ?? g.level) as Level,
    logger: g.logger ?? g.blogger,
    hasContext: false,
    message: '',
  };
  if (pid !== undefined) out.pid = pid;
  if (g.rest !== undefined) fillRest(out, g.rest, 0);
  return out;
}

/** OSLO_HEADER through the regex: the definition, and what every line the fast scan declines goes through. */
export function parseOsloLineByPattern(line: string): OsloLine | undefined {
  const m = OSLO_HEADER.pattern.exec(line);
  if (!m) return undefined;
  const g = m.groups!;
  return fromGroups(g, normalTs(g.date, g.time, g.frac), Number(g.pid));
}

/** Releases and layouts that wrote no pid; the pid a `from (pid=N)` suffix states is taken later. */
function parseNoPidLine(line: string): OsloLine | undefined {
  // Only a line that starts with a date can be one: continuation lines leave at the first character.
  const c = line.charCodeAt(0);
  if (c < 48 || c > 57) return undefined;
  const m = OSLO_NO_PID_HEADER.pattern.exec(line);
  if (!m) return undefined;
  const g = m.groups!;
  return fromGroups(g, normalTs(g.date, g.time, g.frac), undefined);
}

const LEVELS: ReadonlySet<string> = new Set(LEVEL_ALT.split('|'));

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** Where `YYYY-MM-DD HH:MM:SS.mmm` has digits. */
const DIGIT_AT = Uint8Array.of(0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22);

/**
 * The shape nearly every line has — `YYYY-MM-DD HH:MM:SS.mmm PID LEVEL logger rest`
 * with single spaces — checked by character code. It is the measured hot spot
 * (docs/performance.md): the regex and its groups object cost more than the rest
 * of the header. It accepts only what OSLO_HEADER would match, with the same
 * fields (a test holds the two to each other on the real corpus); any other
 * shape returns null and goes to the regex.
 */
export function scanOsloHeader(line: string): OsloLine | null {
  if (line.length < 30) return null;
  for (let k = 0; k < DIGIT_AT.length; k++) if (!isDigit(line.charCodeAt(DIGIT_AT[k]))) return null;
  const sep = line.charCodeAt(10);
  if (
    line.charCodeAt(4) !== 45 ||
    line.charCodeAt(7) !== 45 ||
    (sep !== 32 && sep !== 84) ||
    line.charCodeAt(13) !== 58 ||
    line.charCodeAt(16) !== 58 ||
    line.charCodeAt(19) !== 46 ||
    line.charCodeAt(23) !== 32 ||
    !isDigit(line.charCodeAt(24))
  )
    return null;
  let i = 25;
  while (isDigit(line.charCodeAt(i))) i++;
  if (line.charCodeAt(i) !== 32 || i - 24 > 15) return null;
  const pidEnd = i;
  const levelEnd = line.indexOf(' ', i + 1);
  if (levelEnd === -1) return null;
  const level = line.slice(i + 1, levelEnd);
  if (!LEVELS.has(level)) return null;
  i = levelEnd + 1;
  const loggerStart = i;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 32) break;
    // Whitespace other than a space, `[`, or non-ASCII (\s has Unicode spaces): the regex decides.
    if (c <= 32 || c === 91 || c > 126) return null;
  }
  if (i === loggerStart) return null;
  const out: OsloLine = {
    ts: `${line.slice(0, 10)}T${line.slice(11, 23)}`,
    level: (NORMAL_LEVEL[level] ?? level) as Level,
    logger: line.slice(loggerStart, i),
    hasContext: false,
    message: '',
  };
  out.pid = Number(line.slice(24, pidEnd));
  if (i < line.length) fillRest(out, line, i + 1);
  return out;
}

export function parseOsloLine(line: string): OsloLine | undefined {
  return scanOsloHeader(line) ?? parseOsloLineByPattern(line) ?? parseNoPidLine(line);
}

/**
 * The journald shape; the caller supplies time and pid from the collector
 * prefix. devstack's context is `[global_request_id request_id project_name
 * user_name]` (its logging_context_format_string): four tokens, the project
 * before the user, where oslo's own puts the user first.
 */
export function parseBareOsloLine(line: string): OsloLine | undefined {
  const m = OSLO_BARE_HEADER.pattern.exec(line);
  if (!m) return undefined;
  const h = fromGroups(m.groups!, '', undefined);
  if (h.hasContext && h.userId !== undefined && devstackContext(m.groups!.rest)) {
    const project = h.userId;
    h.userId = h.projectId;
    h.projectId = project;
  }
  return h;
}

/** `[None req-… admin demo]`: exactly four tokens, the second a request id. */
function devstackContext(rest: string): boolean {
  const close = rest.indexOf(']');
  if (close === -1) return false;
  const t = rest.slice(1, close).split(' ');
  return t.length === 4 && t[1].startsWith('req-');
}

const PY_LOCATION = /^(\/\S+\.py):(\d+)$/;
const FUNC_NAME = /^[\w<>.-]+$/;
/** devstack's logging_debug_format_suffix; `(pid=N) ` is left out when it logs to the journal directly. */
const DEVSTACK_SUFFIX = /^ \{\{(?:\(pid=(\d+)\) )?(\S+) (\S+):(\d+)\}\}$/;
/** Essex–Havana's default logging_debug_format_suffix, and devstack's of the screen era. */
const FROM_PID_SUFFIX = /^ from \(pid=(\d+)\) (\S+) (\S+):(\d+)$/;

export interface CodeSuffix {
  message: string;
  func: string;
  path: string;
  line: number;
  /** The pid the suffix states, for headers that have none. */
  pid?: number;
}

/**
 * Splits ` func /path/file.py:NN` (oslo's logging_debug_format_suffix),
 * ` from (pid=N) func /path:NN` (Essex to Havana) or ` {{(pid=N) func /path:NN}}`
 * (devstack) off the end of a message. Done with lastIndexOf rather than an
 * end-anchored regex, which would be retried at every position of long messages.
 */
export function splitDebugSuffix(message: string): CodeSuffix | undefined {
  if (message.endsWith('}}')) {
    const at = message.lastIndexOf(' {{');
    if (at === -1) return undefined;
    const m = DEVSTACK_SUFFIX.exec(message.slice(at));
    if (!m) return undefined;
    const out: CodeSuffix = { message: message.slice(0, at), func: m[2], path: m[3], line: Number(m[4]) };
    if (m[1] !== undefined) out.pid = Number(m[1]);
    return out;
  }
  const p = message.lastIndexOf(' ');
  if (p <= 0) return undefined;
  const loc = PY_LOCATION.exec(message.slice(p + 1));
  if (!loc) return undefined;
  const q = message.lastIndexOf(' ', p - 1);
  const func = message.slice(q + 1, p);
  if (!FUNC_NAME.test(func)) return undefined;
  // `… from (pid=N) func path`: only looked for when a `)` stands right before the function.
  const from = q > 0 && message.charCodeAt(q - 1) === 41 ? message.lastIndexOf(' from (pid=', q - 1) : -1;
  if (from !== -1) {
    const m = FROM_PID_SUFFIX.exec(message.slice(from));
    if (m) return { message: message.slice(0, from), func: m[2], path: m[3], line: Number(m[4]), pid: Number(m[1]) };
  }
  return { message: q === -1 ? '' : message.slice(0, q), func, path: loc[1], line: Number(loc[2]) };
}

/** devstack writes its `{{…}}` suffix on every level (its format strings carry it), not only DEBUG. */
export function hasCodeSuffix(message: string): boolean {
  return message.endsWith('}}');
}
