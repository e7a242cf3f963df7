import {
  candidatesRefusedStatus,
  placementCandidatesRefused,
  placementServerError,
  placementUnreachable as unreachable,
} from '../../../signatures/placement.js';
import { matches } from '../../../signatures/signature.js';
import { type Cause, logEvidence } from '../../detector.js';
import type { BuildEvidence } from '../evidence.js';

export const placementUnreachable: Cause<BuildEvidence> = {
  code: 'placement-unreachable',
  title: 'Placement could not be reached',
  decidedBy:
    "a connection error to placement in the request's lines (ConnectFailure, EndpointNotFound…), or placement answering 5xx (in its own log, or in the scheduler's ERROR on the candidates query)",
  action: 'check the [placement] section of nova.conf, the endpoint, and that placement-api answers',
  details: '`exception`, `status`',
  headline: (_v, what) => `${what} failed: placement unreachable`,
  decide({ related }) {
    // The scheduler's own ERROR on the query says placement failed it (5xx); a 4xx is a query placement refused.
    const refused = (e: (typeof related)[number]): boolean =>
      matches(placementCandidatesRefused, e) && (candidatesRefusedStatus(e) ?? 0) >= 500;
    const down = related.find((e) => matches(unreachable, e) || matches(placementServerError, e) || refused(e));
    if (!down) return undefined;
    const status = down.http?.status ?? (down.exception ? undefined : candidatesRefusedStatus(down));
    return {
      code: 'placement-unreachable',
      summary: `The scheduler could not get allocation candidates: placement ${status ? `answered ${status}` : `was unreachable (${down.exception!.type})`}.`,
      details: { exception: down.exception?.type, status },
      evidence: [logEvidence(down)],
      gaps: [],
      remediation: [
        {
          command: 'openstack endpoint list --service placement',
          why: 'check the placement endpoint nova uses ([placement] section of nova.conf) and that placement-api answers',
        },
        ...(status && status >= 500
          ? [
              {
                command: 'openstack resource provider list',
                why: `placement answered ${status}: its own error log at that time (httpd's placement_wsgi_error.log, or placement-api.log) says why; this call answers again once it is mended`,
              },
            ]
          : []),
      ],
    };
  },
};
