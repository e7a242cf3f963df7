import { amount } from '../../../model/amounts.js';
import { resourceList } from '../../../model/amounts.js';
import type { Evidence } from '../../../model/finding.js';
import { placementAudit } from '../../../facts/remediation-commands.js';
import type { Cause } from '../../detector.js';
import type { BuildEvidence } from '../evidence.js';
import { fitDecides, placementSide, providerDetails, queryEvents } from './placement-side.js';

export const insufficientCapacity: Cause<BuildEvidence> = {
  code: 'insufficient-capacity',
  title: 'No provider has room for the request',
  decidedBy:
    "every provider's usage against its capacity ((total − reserved) × allocation_ratio) in the dump; orphaned and doubled allocations counted apart",
  action: 'remove the orphaned allocations that tip it after review, or add capacity, free instances, or use a smaller flavor',
  details:
    '`requested`, `providers[]` (per class: used, capacity, headroom, maxUnit, orphanUsed, doubledUsed, fits, reason), `orphanConsumers`, `tippedByOrphans[]`',
  headline: (_v, what) => `${what} failed: no provider has room`,
  decide({ ctx, candidates }) {
    const c = candidates();
    const resources = c.requested.resources;
    if (!resources || !fitDecides(c)) return undefined;
    const fits = c.fits!();
    if (!(fits.length > 0 && fits.every((p) => !p.fits))) return undefined;
    const { evidence, details, gaps } = placementSide(c);
    const tipped = fits.filter((p) => p.fitsWithoutOrphans);
    for (const p of fits) {
      for (const x of p.classes.filter((y) => !y.fits)) {
        const inv = ctx.ix.inventories.get(ctx.ix.providersByUuid.get(p.providerUuid)!.id)?.get(x.resourceClass);
        evidence.push({
          text: `${p.name ?? p.providerUuid}: ${x.resourceClass} used ${x.used} of ${amount(x.capacity)} (headroom ${amount(x.headroom)}) < ${x.requested} requested${x.orphanUsed ? `; ${x.orphanUsed} of the usage is orphaned${x.doubledUsed ? ` (${x.doubledUsed} by doubled consumers)` : ''}` : ''}`,
          source: inv?.source ?? { db: ctx.facts.placement!.db, table: 'inventories', key: p.providerUuid },
        } satisfies Evidence);
      }
    }
    const orphanFindings = ctx.findings.filter(
      (f) =>
        f.code === 'orphan-allocation' && Object.keys((f.resources ?? {}) as object).some((u) => fits.some((p) => p.providerUuid === u)),
    );
    if (orphanFindings.length > 0)
      evidence.push({
        text: `${orphanFindings.length} orphan-allocation finding(s) on these providers (see findings)`,
        source: { db: ctx.facts.placement!.db, table: 'allocations', key: 'orphans' },
      });
    const classes = [...new Set(fits.flatMap((p) => p.classes.filter((x) => !x.fits).map((x) => x.resourceClass)))];
    return {
      code: 'insufficient-capacity',
      summary: `No provider has room for ${resourceList(resources)}: ${classes.join(', ')} headroom is below the request everywhere.${tipped.length ? ` Orphaned and doubled allocations tip it: without them ${tipped.map((p) => p.name ?? p.providerUuid).join(', ')} would fit the request.` : ''}`,
      details: {
        ...details,
        providers: providerDetails(c),
        orphanConsumers: orphanFindings.length,
        tippedByOrphans: tipped.map((p) => p.name ?? p.providerUuid),
      },
      evidence,
      gaps: [
        ...gaps,
        `capacity is read from the dump (taken ${ctx.facts.dumps[0]?.path ? 'with the sosreport' : 'later'}), not at the time of the failure`,
      ],
      remediation: tipped.length
        ? [
            {
              command: 'nova-forensics audit <the controller sosreport>',
              why: 'lists each orphaned consumer with its own command; review them against the live cloud',
            },
            ...tipped.flatMap(
              (p) =>
                placementAudit(
                  ctx.ix,
                  p.providerUuid,
                  true,
                  `removes the orphaned allocations on ${p.name ?? p.providerUuid} after review, giving back the capacity the build needs`,
                ) ?? [],
            ),
          ]
        : [
            {
              command: 'openstack resource provider usage show <provider>',
              why: 'the cloud is genuinely full for this flavor: add compute capacity, free instances, or use a smaller flavor',
            },
          ],
      ...queryEvents(c),
    };
  },
};
