import type { Cause } from '../../detector.js';
import { type BuildEvidence, offered } from '../evidence.js';
import { placementSide, queryEvents } from './placement-side.js';

export const resourceClassNotOffered: Cause<BuildEvidence> = {
  code: 'resource-class-not-offered',
  title: 'The request asks a resource class no provider has',
  decidedBy: "the request's resources (placement query, request spec or instance record) against every provider's inventories in the dump",
  action: 'make the computes report the class (device, driver option, provider config) or fix the flavor',
  details: '`requested`, `notOffered[]` (PCPU is checked as VCPU when no provider reports PCPU)',
  headline: (v, what) => `${what} failed: no provider offers ${(v.details.notOffered as string[]).join(', ')}`,
  decide({ ctx, haveDump, candidates }) {
    const c = candidates();
    const resources = c.requested.resources;
    if (!resources || !haveDump || ctx.ix.inventories.size === 0) return undefined;
    const notOffered = Object.keys(resources).filter((rc) => resources[rc] > 0 && !offered(ctx, rc));
    if (notOffered.length === 0) return undefined;
    const { evidence, details, gaps } = placementSide(c);
    return {
      code: 'resource-class-not-offered',
      summary: `The request asks ${notOffered.map((rc) => `${resources[rc]} ${rc}`).join(', ')}, which no resource provider has inventory of, so placement can return no candidate: no compute reports ${notOffered.length > 1 ? 'these classes' : 'this class'} (a missing device, driver option or provider config on the computes, or a flavor asking for the wrong class).`,
      details: { ...details, notOffered },
      evidence,
      gaps,
      remediation: [
        {
          command: `openstack resource provider inventory list <compute provider uuid>`,
          why: `see which classes the computes report; ${notOffered.join(', ')} must appear on at least one`,
        },
        { command: `openstack flavor show <flavor> -c properties`, why: 'check the resources:* extra specs the flavor asks' },
      ],
      ...queryEvents(c),
    };
  },
};
