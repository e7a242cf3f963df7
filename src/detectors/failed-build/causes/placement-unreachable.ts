import { placementServerError, placementUnreachable as unreachable } from '../../../signatures/placement.js';
import { matches } from '../../../signatures/signature.js';
import { type Cause, logEvidence } from '../../detector.js';
import type { BuildEvidence } from '../evidence.js';

export const placementUnreachable: Cause<BuildEvidence> = {
  code: 'placement-unreachable',
  title: 'Placement could not be reached',
  decidedBy: "a connection error to placement in the request's lines (ConnectFailure, EndpointNotFound…), or placement answering 5xx",
  action: 'check the [placement] section of nova.conf, the endpoint, and that placement-api answers',
  details: '`exception`, `status`',
  headline: (_v, what) => `${what} failed: placement unreachable`,
  decide({ related }) {
    const down = related.find((e) => matches(unreachable, e) || matches(placementServerError, e));
    if (!down) return undefined;
    return {
      code: 'placement-unreachable',
      summary: `The scheduler could not get allocation candidates: placement ${down.http ? `answered ${down.http.status}` : `was unreachable (${down.exception!.type})`}.`,
      details: { exception: down.exception?.type, status: down.http?.status },
      evidence: [logEvidence(down)],
      gaps: [],
      remediation: [
        {
          command: 'openstack endpoint list --service placement',
          why: 'check the placement endpoint nova uses ([placement] section of nova.conf) and that placement-api answers',
        },
      ],
    };
  },
};
