/**
 * The one event type every log parser produces. Fields that a line does not
 * carry are left undefined (and so absent from NDJSON), never filled with
 * placeholders: `-` and `None` in an oslo context mean "empty".
 */

export type Level = 'TRACE' | 'DEBUG' | 'INFO' | 'AUDIT' | 'WARNING' | 'ERROR' | 'CRITICAL';

/**
 * Who wrote an event: one of nova's services (or placement, or the web server
 * in front of them), or another program whose lines sat beside nova's in a
 * journal, syslog file or CI output, named as its collector names it
 * (`libvirtd`, `avahi-daemon`, `devstack`).
 */
export type Service = NovaService | OtherProgram;

/** Another program's name, as its journal identifier or unit gives it. */
export type OtherProgram = string & Record<never, never>;

export type NovaService =
  | 'nova-api'
  | 'nova-conductor'
  | 'nova-scheduler'
  | 'nova-compute'
  | 'nova-metadata'
  | 'nova-novncproxy'
  | 'nova-manage'
  | 'placement-api'
  | 'httpd'
  | 'unknown';

export interface ExceptionInfo {
  /** Class name without module path or the `_Remote` suffix: `NoValidHost`. */
  type: string;
  /** As raised, e.g. `NoValidHost_Remote` or `nova.exception.MigrationPreCheckError`. */
  rawType: string;
  message: string;
}

export interface HttpInfo {
  clientIp?: string;
  method: string;
  /** Path without the query string. */
  path: string;
  query?: string;
  status?: number;
  length?: number;
  microversion?: string;
  /** Seconds, when the access line has `time:`. */
  time?: number;
  /** true for placement's `Starting request:` line (no status yet). */
  starting?: boolean;
}

/** `resources=VCPU:1,MEMORY_MB:512` and its granular siblings, decoded. */
export interface PlacementQuery {
  resources?: Record<string, number>;
  /** Granular groups by suffix: `resources1`, `resources_GPU`… */
  groups?: Record<string, { resources?: Record<string, number>; required?: string[]; memberOf?: string[] }>;
  required?: string[];
  memberOf?: string[];
  inTree?: string;
  limit?: number;
  groupPolicy?: string;
}

/** placement's candidate-search DEBUG lines (`found no providers with 64 VCPU`). */
export interface PlacementSearch {
  outcome: 'getting' | 'found' | 'none';
  resourceClass: string;
  amount: number;
  providers?: number;
}

/** How a failure's result was pasted instead of a log (parsers/fault-text.ts). */
export type PastedShape =
  | 'server-table'
  | 'table'
  | 'api-response'
  | 'fault-dict'
  | 'json-fields'
  | 'dashboard-pane'
  | 'dashboard-error'
  | 'cli-error'
  | 'heat-event'
  | 'client-log'
  | 'listing'
  | 'message';

/**
 * A failure's result pasted alone: a server's fault as `server show`, the API
 * or a dashboard gives it, a client's error, a CLI table. Not a log line: it
 * has no service, and its `created` is the fault's own (UTC) time.
 */
export interface PastedResult {
  shape: PastedShape;
  /** The server's fault (or the client's error standing for it), when the text holds one. */
  fault?: { message: string; code?: number; created?: string };
  /** The move the paste shows (a command typed, a client's error, a migration state): `resize`, `migrate`, `live-migrate`, `evacuate`. */
  move?: string;
  /** The destination the move's command asked for (`--host <host>`). */
  destination?: string;
  /** Fields of a table or of grep'd JSON, as given (`status`, `OS-EXT-STS:task_state`…), first ones only. */
  fields?: Record<string, string>;
  /** A listing's rows (`nova migration-list`, `compute service list`), each by its column names, first ones only. */
  rows?: Record<string, string>[];
  /** A listing pasted after a move command (only listings and shows typed between): the server, by name or id, that command named. */
  movedServer?: string;
  /** A listing pasted after `openstack resource provider allocation show <consumer>`: that consumer, whose allocations its rows are. */
  consumer?: string;
  /** The client's command typed before an error, when it is no build, move or look at state (`openstack server add floating ip`): the error is that action's. */
  action?: string;
}

export interface Event {
  /**
   * Time as written (host-local, no zone), normalised to `YYYY-MM-DDTHH:mm:ss.SSS`; `+HH:MM` appended when `--tz` names the zone.
   * Empty for an undated event.
   */
  ts: string;
  host: string;
  service: Service;
  file: string;
  /** 1-based line of the first line of the event in its file. */
  line: number;
  /** Last line folded into this event (tracebacks, multi-line messages). */
  lineEnd?: number;
  level: Level;
  logger?: string;
  pid?: number;
  globalRequestId?: string;
  requestId?: string;
  userId?: string;
  projectId?: string;
  instanceUuid?: string;
  exception?: ExceptionInfo;
  /** Every exception named, in order (message first, then the traceback's), when more than one. */
  exceptionChain?: ExceptionInfo[];
  /** Decoded message: colour codes stripped, escaped unicode decoded, DEBUG suffix removed. */
  message: string;
  /** `func /path/file.py:NN` of DEBUG lines. */
  codeLocation?: { func: string; path: string; line: number };
  /** Folded continuation and traceback lines, decoded, without their prefixes. */
  traceback?: string[];
  /** The original first line, untouched. */
  raw: string;
  /** The original line had colour codes or escapes, so `raw` differs from the decoded text. */
  decoded?: boolean;
  http?: HttpInfo;
  placementQuery?: PlacementQuery;
  placementSearch?: PlacementSearch;
  /** The line carried no time (pasted without it): never given one, ordered by its position in its file. */
  undated?: true;
  /**
   * For an undated event: the time of the last dated event before it in its file, absent when none came
   * before. Orders it (after that event); it is not the event's time and is never shown as one.
   */
  afterTs?: string;
  /** A failure's result pasted instead of a log line (a fault, a client's error, a CLI table). */
  pasted?: PastedResult;
}

/** Where an event sorts in time: its own time, else the dated event's it follows in its file ('' before all). */
export function orderTs(e: Pick<Event, 'ts' | 'afterTs'>): string {
  return e.ts || e.afterTs || '';
}

export const LEVELS: ReadonlySet<string> = new Set<Level>(['TRACE', 'DEBUG', 'INFO', 'AUDIT', 'WARNING', 'ERROR', 'CRITICAL']);
