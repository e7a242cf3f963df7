import { exceptionOfText } from '../../parsers/exception-text.js';
import type { Service } from '../model/event.js';
import type { Signature } from './signature.js';

/** The API answering that an instance does not exist (nova/api/openstack/wsgi.py, the access log, the client). */

/**
 * Services that answer or relay the API. A compute, conductor or scheduler
 * meeting InstanceNotFound is nova racing a delete or a move (post live
 * migration on the destination), not the API answering 404. Neither is a
 * file whose service is unknown: an RPC server's traceback names none.
 */
const API_SIDE: ReadonlySet<Service> = new Set<Service>(['nova-api', 'httpd']);

export const apiHttpException: Signature = {
  id: 'api.http-exception',
  description: 'nova-api turned an exception into an HTTP error answer ("HTTP exception thrown: …", the text translated).',
  source: 'nova/api/openstack/wsgi.py ResourceExceptionHandler (every release)',
  loggers: ['nova.api.openstack.wsgi'],
  levels: ['INFO', 'AUDIT', 'WARNING', 'ERROR', 'CRITICAL'],
  pattern: /^HTTP exception thrown: /,
  samples: [
    {
      line: '2017-05-16 00:00:21.067 25746 INFO nova.api.openstack.wsgi [req-0b851395-2895-44b9-8265-a27d0bb52910 f7b8d1f1d4d44643b07fa10ca7d021fb e9746973ac574c6b8a9e8857f56a7608 - - -] HTTP exception thrown: No instances found for any event',
      seen: 'corpus loghub-openstack/OpenStack_2k.log line 60 (without its file-name column)',
    },
    {
      line: '2018-12-27 16:30:02.310 3311 INFO nova.api.openstack.wsgi [req-999c856a-e2b6-4360-9fba-3bf8db6e283f 8668aa3368c0427c98b1d1824a36f720 f30a92c42d264a79ba5744b084346a2d - default default] HTTP exception thrown: Instance 2f565c93-6eec-4a74-b8e8-f55638b56da3 could not be found.',
      seen: 'generated: samples/pike-rdo controller nova-api.log (the seed 000 404)',
    },
  ],
};

export const apiClientNotFound: Signature = {
  id: 'api.client-not-found',
  description: "A client of the API (horizon under httpd, nova-api's own proxy) met NotFound / InstanceNotFound.",
  source: 'novaclient / openstacksdk exceptions in httpd error_log; nova-api',
  exceptions: ['NotFound', 'InstanceNotFound'],
  where: (e) => API_SIDE.has(e.service),
  samples: [],
  unsampled:
    "the real seed 000 line is the client's terminal output; the generated httpd error_log line needs the apache parser, which the sample test does not run",
};

export const apiServer404: Signature = {
  id: 'api.server-404',
  description: 'An access line: a request for one server answered 404.',
  source: 'nova/api/openstack (wsgi access lines), httpd access_log',
  where: (e) => e.http?.status === 404 && /\/servers\/[0-9a-f-]{36}/.test(e.http.path),
  debugNeeds: ['" status: 404'],
  samples: [
    {
      line: '2018-12-27 16:30:02.315 3311 INFO nova.osapi_compute.wsgi.server [req-999c856a-e2b6-4360-9fba-3bf8db6e283f 8668aa3368c0427c98b1d1824a36f720 f30a92c42d264a79ba5744b084346a2d - default default] 10.0.0.11 "GET /v2.1/f30a92c42d264a79ba5744b084346a2d/servers/2f565c93-6eec-4a74-b8e8-f55638b56da3 HTTP/1.1" status: 404 len: 434 time: 0.0911230',
      seen: 'generated: samples/pike-rdo controller nova-api.log',
    },
  ],
};

/**
 * Server actions that move an instance (`POST /servers/<uuid>/action` with
 * the action as the body's key), and what each is called as an operation.
 */
export const MOVE_ACTIONS: Readonly<Record<string, string>> = {
  'os-migrateLive': 'live migration',
  migrate: 'cold migration',
  resize: 'resize',
  unshelve: 'unshelve',
  evacuate: 'evacuation',
};

/** Exceptions the API turns into a 400/409 answer to a move's action (nova/api/openstack/compute/{migrate_server,servers,shelve,evacuate}.py). */
export const API_MOVE_REFUSALS = [
  'InstanceInvalidState',
  'MigrationPreCheckError',
  'NoValidHost',
  'ComputeHostNotFound',
  'ComputeServiceUnavailable',
  'UnableToMigrateToSelf',
  'InvalidSharedStorage',
  'InvalidLocalStorage',
  'CannotResizeToSameFlavor',
  'CannotResizeDisk',
  'FlavorNotFound',
];

const HTTP_EXCEPTION = /^HTTP exception thrown: /;

/** The exception an API error answer's text stands for (its wording in any language nova shipped), of the move refusals. */
export function apiRefusalOf(message: string): { type: string; fields: Record<string, string> } | undefined {
  const m = HTTP_EXCEPTION.exec(message);
  return m ? exceptionOfText(message.slice(m[0].length), API_MOVE_REFUSALS) : undefined;
}

export const apiMoveRefused: Signature = {
  id: 'api.move-refused',
  description:
    "nova-api answered a request with an error whose text is one a move's action is refused with (the instance's state, a pre-check, no valid host, an unknown host or flavor, a resize to the same flavor): the class is named from nova's message formats, in any language.",
  source:
    'nova/api/openstack/wsgi.py ResourceExceptionHandler, raised by nova/api/openstack/compute/{migrate_server,servers,shelve,evacuate}.py (every release)',
  loggers: ['nova.api.openstack.wsgi'],
  levels: ['INFO', 'AUDIT', 'WARNING'],
  pattern: HTTP_EXCEPTION,
  where: (e) => apiRefusalOf(e.message) !== undefined,
  samples: [
    {
      line: "2024-10-02 11:40:02.118 23 INFO nova.api.openstack.wsgi [None req-3c5d7e9f-1a2b-4c3d-8e4f-5a6b7c8d9e0f 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - default default] HTTP exception thrown: Cannot 'resize' instance 5f0c2a7e-9b1d-4c3e-8a6f-2d4b6c8e0a13 while it is in vm_state error",
      seen: "generated: nova/api/openstack/common.py raise_http_conflict_for_instance_invalid_state's wording (Liberty+) in a 2023.1 nova-api line; no public line found yet",
    },
  ],
};

/**
 * nova-api's DEBUG record of the action a request called: the body's key is
 * the action (`{"os-migrateLive": {"host": …}}`), whatever language the
 * sentence around it was translated to.
 */
export const apiActionCalled: Signature = {
  id: 'api.action-called',
  description: "nova-api's DEBUG line naming the server action a request called, with its body (the destination, the new flavor).",
  source: 'nova/api/openstack/wsgi.py Resource._process_stack (every release)',
  loggers: ['nova.api.openstack.wsgi'],
  levels: ['DEBUG'],
  // The body's key, as the raw line holds it.
  debugNeeds: ['"os-migrateLive"', '"migrate"', '"resize"', '"unshelve"', '"evacuate"'],
  where: (e) => actionBodyOf(e.message) !== undefined,
  samples: [
    {
      line: '2015-10-29 10:52:52.710 28343 DEBUG nova.api.openstack.wsgi [req-5f2adc28-1772-480e-a35c-c12ec08b94d7 None] Action: \'action\', calling method: <bound method AdminActionsController._migrate_live of <nova.api.openstack.compute.contrib.admin_actions.AdminActionsController object at 0x50e61d0>>, body: {"os-migrateLive": {"disk_over_commit": false, "block_migration": false, "host": "hp-ms-01-c29.moonshot1.lab.eng.rdu.redhat.com"}} _process_stack /usr/lib/python2.7/site-packages/nova/api/openstack/wsgi.py:934',
      seen: "corpus os-log-merger/debug-live-migration hp-ms-01-c29 nova-api.log line 2202 (Kilo: the action logged as 'action', the body names os-migrateLive)",
    },
  ],
};

/** The move action a request body names and its arguments: `{"resize": {"flavorRef": "2"}}` → resize, {flavorRef: '2'}. */
export function actionBodyOf(message: string): { action: string; args: Record<string, unknown> } | undefined {
  const at = message.search(/\{\s*"(?:os-migrateLive|migrate|resize|unshelve|evacuate)"\s*:/);
  if (at === -1) return undefined;
  // The body is JSON up to its closing brace; what follows is oslo.log's " _process_stack …" suffix.
  let depth = 0;
  let end = -1;
  let inString = false;
  for (let i = at; i < message.length; i++) {
    const c = message[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      end = i + 1;
      break;
    }
  }
  if (end === -1) return undefined;
  try {
    const body = JSON.parse(message.slice(at, end)) as Record<string, unknown>;
    const [action] = Object.keys(body);
    const args = body[action];
    return { action, args: args && typeof args === 'object' ? (args as Record<string, unknown>) : {} };
  } catch {
    return undefined;
  }
}

export const apiActionRefusedStatus: Signature = {
  id: 'api.action-refused-status',
  description: 'An access line: a server action answered 400 or 409 (refused before anything was done).',
  source: 'nova/api/openstack (wsgi access lines), httpd access_log',
  debugNeeds: ['" status: 40'],
  where: (e) => (e.http?.status === 400 || e.http?.status === 409) && e.http.method === 'POST' && SERVER_ACTION.test(e.http.path),
  samples: [
    {
      line: '2024-10-02 11:40:02.121 23 INFO nova.osapi_compute.wsgi.server [None req-3c5d7e9f-1a2b-4c3d-8e4f-5a6b7c8d9e0f 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - default default] 10.0.0.11 "POST /v2.1/servers/5f0c2a7e-9b1d-4c3e-8a6f-2d4b6c8e0a13/action HTTP/1.1" status: 409 len: 403 time: 0.0612290',
      seen: 'generated: a 2023.1 nova-api access line of a refused server action; no public line found yet',
    },
  ],
};

/** `/v2.1/servers/<uuid>/action` (with or without a project id): the uuid. */
export const SERVER_ACTION = /\/servers\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/action$/;
