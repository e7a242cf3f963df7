import type { Event } from '../model/event.js';
import type { Signature } from './signature.js';

/** Placement unreachable or failing, as nova's clients see it and as placement answers. */

export const PLACEMENT_DOWN_EXCEPTIONS = [
  'ConnectFailure',
  'EndpointNotFound',
  'DiscoveryFailure',
  'ServiceUnavailable',
  'ConnectTimeout',
  'ResourceProviderRetrievalFailed',
  'ResourceProviderAllocationRetrievalFailed',
  'PlacementAPIConnectFailure',
];

export const placementUnreachable: Signature = {
  id: 'placement.unreachable',
  description: "A nova service could not reach placement (keystoneauth's connection errors, nova's retrieval failures).",
  source: 'nova/scheduler/client/report.py (Ocata+), keystoneauth1',
  exceptions: PLACEMENT_DOWN_EXCEPTIONS,
  samples: [],
  unsampled: 'no public log line found yet',
};

/**
 * The status placement answered the report client's allocation-candidates query with, read from nova's own ERROR
 * (`Got 500: <html>…`): Pike and Queens wrote it on the line, Rocky+ after a newline (the RequestGroup or ResourceRequest first),
 * so the status may be on the record's first continuation line. Untranslated (a plain LOG.error string).
 */
export function candidatesRefusedStatus(e: Event): number | undefined {
  const text = e.message.includes('. Got ') ? e.message : `${e.message}\n${(e.traceback ?? []).slice(0, 2).join('\n')}`;
  const m = /(?:^|\s)Got (\d{3}): /.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** What placement said when it refused the query: its error body's `detail` (JSON), else the text after the status. */
export function candidatesRefusedDetail(e: Event): string | undefined {
  const text = [e.message, ...(e.traceback ?? []).slice(0, 4)].join('\n');
  const detail = /"detail"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text)?.[1];
  const said = detail ?? /(?:^|\s)Got \d{3}: ([\s\S]*)$/.exec(text)?.[1];
  const flat = said?.replace(/\\n/g, ' ').replace(/\s+/g, ' ').trim();
  return flat ? (flat.length > 240 ? `${flat.slice(0, 239)}…` : flat) : undefined;
}

export const placementCandidatesRefused: Signature = {
  id: 'placement.candidates-refused',
  description:
    "The report client's query for allocation candidates got an error status from placement (nova then has no candidate and raises NoValidHost).",
  source: 'nova/scheduler/client/report.py get_allocation_candidates, LOG.error (Pike+)',
  loggers: ['nova.scheduler.client*'],
  levels: ['ERROR'],
  pattern: /^(?:\.+ )?Failed to retrieve allocation candidates from placement API for filters/,
  where: (e) => candidatesRefusedStatus(e) !== undefined,
  samples: [
    {
      line: "ERROR nova.scheduler.client.report ...... Failed to retrieve allocation candidates from placement API for filters {'VCPU': 2, 'MEMORY_MB': 4096}. Got 500: <!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">",
      seen: 'corpus github-jasmineottawa-2018-07-06-queens-placement-500 nova-scheduler.log (Queens; the author elided the prefix), without the Markdown indent, backtick and line-break spaces of the post',
      pasted: true,
    },
  ],
};

export const placementServerError: Signature = {
  id: 'placement.server-error',
  description: 'Placement answered a request with a 5xx status.',
  source: 'placement/requestlog.py (Stein+), nova/api/openstack/placement/requestlog.py (Newton–Rocky)',
  where: (e) => e.service === 'placement-api' && (e.http?.status ?? 0) >= 500,
  debugNeeds: ['" status: 5'],
  samples: [
    {
      line: '2025-05-14T12:57:52.417Z [wsgi-placement-api] 2025-05-14 12:57:52.409856 2025-05-14 12:57:52.409 11453 INFO placement.requestlog [req-fe455de1-d7cb-4d6b-a8e6-812fe94d79fb req-4d2d1333-5d3f-4a4b-b104-a078ca740c76 - - - - - -] 10.1.0.42 "GET /openstack-placement/resource_providers?in_tree=50043fd9-0e93-49d9-88f7-d776760bef9b" status: 503 len: 218 microversion: -\\x1b[00m',
      seen: 'corpus hotsos/sunbeam podlogs placement-0 placement-api line 12798 (Sunbeam, 2025; with its pebble prefix)',
    },
  ],
};
