import type { Cause } from '../../detector.js';
import type { BuildEvidence } from '../evidence.js';
import { fitDecides, placementSide, providerDetails, queryEvents } from './placement-side.js';

export const maxUnitExceeded: Cause<BuildEvidence> = {
  code: 'max-unit-exceeded',
  title: "The request asks more of a class than any provider's max_unit",
  decidedBy:
    "the request's amount of a class against the largest max_unit of that class in the dump's inventories (allocation_ratio does not raise max_unit)",
  action: 'use a flavor within the largest max_unit, or add hosts large enough for this one',
  details: '`requested`, `providers[]`, `resourceClass`, `requestedAmount`, `maxUnit`, `allocationRatio`, `blockedClasses[]`',
  headline: (v, what) =>
    `${what} failed: ${v.details.requestedAmount} ${v.details.resourceClass} exceeds every provider's max_unit (${v.details.maxUnit})`,
  decide({ ctx, candidates, finding }) {
    const c = candidates();
    const resources = c.requested.resources;
    if (!resources || !fitDecides(c)) return undefined;
    const fits = c.fits!();
    const blocked = Object.entries(resources).filter(
      ([rc, amount]) =>
        fits.length > 0 &&
        fits.every((p) => p.classes.some((x) => x.resourceClass === rc && (x.reason === 'max_unit' || x.reason === 'no inventory'))) &&
        fits.some((p) => p.classes.some((x) => x.resourceClass === rc && x.reason === 'max_unit')) &&
        amount > 0,
    );
    if (blocked.length === 0) return undefined;
    const { evidence, details, gaps } = placementSide(c);
    const [rc, amount] = blocked[0];
    const largest = Math.max(...fits.flatMap((p) => p.classes.filter((x) => x.resourceClass === rc).map((x) => x.maxUnit)));
    const inv = [...ctx.ix.inventories.values()].map((m) => m.get(rc)).find((i) => i && i.maxUnit === largest);
    const tooSmall = finding('max-unit-too-small', (f) => f.subject.resourceClass === rc);
    if (inv)
      evidence.push({
        text: `${inv.source.db}.inventories: the largest ${rc} max_unit is ${largest} (total ${inv.total}, allocation_ratio ${inv.allocationRatio})`,
        source: inv.source,
      });
    return {
      code: 'max-unit-exceeded',
      summary: `The request asks ${amount} ${rc}; the largest ${rc} max_unit on any provider is ${largest}. allocation_ratio${inv ? ` ${inv.allocationRatio}` : ''} raises capacity, not max_unit, so placement returns no candidate and the scheduler raises NoValidHost with an empty reason.`,
      details: {
        ...details,
        providers: providerDetails(c),
        resourceClass: rc,
        requestedAmount: amount,
        maxUnit: largest,
        allocationRatio: inv?.allocationRatio,
        blockedClasses: blocked.map(([x]) => x),
      },
      evidence,
      gaps,
      remediation: [
        {
          command: `openstack flavor list --long`,
          why: `pick a flavor with at most ${largest} ${rc}: no single host can give a guest more than it has`,
        },
        ...(tooSmall ? tooSmall.remediation.slice(0, 1) : []),
      ],
      ...queryEvents(c),
    };
  },
};
