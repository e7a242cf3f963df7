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
