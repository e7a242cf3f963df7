import { schedulerDriverInstanceError } from '../../../signatures/conductor.js';
import { matches } from '../../../signatures/signature.js';
import type { Cause } from '../../detector.js';
import { failureClass } from '../builds.js';
import type { BuildEvidence } from '../evidence.js';
import { fitDecides, placementSide, providerDetails, queryEvents } from './placement-side.js';

export const unknownCause: Cause<BuildEvidence> = {
  code: 'unknown',
  title: 'The evidence read does not show why',
  decidedBy: 'none of the causes above holds; the gaps name what is missing (scheduler or placement log, database dump, the request)',
  action: "add what the gaps name (the controller's sosreport, the scheduler log with debug = True) and analyse again",
  details: '`requested`, `providers[]`, `placementFoundNone[]`',
  headline: (_v, what) => `${what} failed`,
  decide({ ctx, build: b, haveDump, candidates }) {
    const c = candidates();
    const { evidence, details, gaps } = placementSide(c);
    const resources = c.requested.resources;
    if (fitDecides(c)) details.providers = providerDetails(c);
    if (!ctx.servicesRead.has('nova-scheduler')) gaps.push("no nova-scheduler log: the scheduler's decision is not known");
    // Folsom–Icehouse's scheduler set the build to ERROR itself: no placement then, nothing of it is missing.
    const prePlacement = b.signals.some((e) => matches(schedulerDriverInstanceError, e));
    if (!prePlacement && !ctx.servicesRead.has('placement-api')) gaps.push('no placement log: the candidates query is not known');
    if (!haveDump)
      gaps.push(
        prePlacement
          ? "no database dump: the compute nodes' resources could not be checked"
          : 'no database dump: inventories, usage and max_unit could not be checked',
      );
    if (!resources)
      gaps.push(
        `the requested resources are not known (no ${prePlacement ? "instance record: the flavor's figures" : 'placement query, request spec or instance record'})`,
      );
    if (c.search.length)
      details.placementFoundNone = c.search.map((s) => `${s.placementSearch!.amount} ${s.placementSearch!.resourceClass}`);
    const cls = failureClass(b.signals[0]);
    return {
      code: 'unknown',
      summary: `The build failed${cls ? ` with ${cls}` : ''}, but the evidence read does not show why${c.search.length ? `; placement found no provider with ${details.placementFoundNone}` : ''}.`,
      details,
      evidence,
      gaps,
      remediation: [
        {
          command: `openstack server show ${b.instanceUuid ?? '<server>'} -c fault`,
          why: 'the fault message and the scheduler log (with debug = True) of the failure time say more',
        },
      ],
      ...queryEvents(c),
    };
  },
};
