import { orphanUsage } from './allocation-verdicts.js';
import type { DbIndex } from './db-index.js';
import type { ClassFit } from '../model/incident.js';

export type { ClassFit };

/**
 * Would placement offer any provider for this request? The candidate rule of
 * placement's research_context: `used + amount <= (total - reserved) *
 * allocation_ratio`, `min_unit <= amount <= max_unit`, `amount % step_size == 0`,
 * per class, on one provider (nested trees are out of scope here: the
 * classes nova asks for live on the compute node itself).
 */

export interface ProviderFit {
  providerUuid: string;
  name?: string;
  fits: boolean;
  /** It would fit if the orphaned allocations were removed. */
  fitsWithoutOrphans: boolean;
  classes: ClassFit[];
}

export function fitRequest(ix: DbIndex, requested: Record<string, number>): ProviderFit[] {
  const orphan = orphanUsage(ix);
  const out: ProviderFit[] = [];
  for (const [pid, invs] of ix.inventories) {
    const rp = ix.providers.get(pid);
    if (!rp || ix.rootOf(rp).id !== rp.id) continue;
    const classes: ClassFit[] = [];
    for (const [rc, amount] of Object.entries(requested)) {
      const inv = invs.get(rc);
      if (!inv) {
        classes.push({
          resourceClass: rc,
          requested: amount,
          used: 0,
          capacity: 0,
          headroom: 0,
          maxUnit: 0,
          orphanUsed: 0,
          doubledUsed: 0,
          fits: false,
          reason: 'no inventory',
        });
        continue;
      }
      const u = ix.usage(pid, rc)!;
      const o = orphan.get(`${pid}|${rc}`) ?? { orphan: 0, doubled: 0 };
      let reason: ClassFit['reason'];
      if (amount > inv.maxUnit) reason = 'max_unit';
      else if (amount < inv.minUnit) reason = 'min_unit';
      else if (inv.stepSize > 0 && amount % inv.stepSize !== 0) reason = 'step_size';
      else if (u.used + amount > u.capacity) reason = 'capacity';
      classes.push({
        resourceClass: rc,
        requested: amount,
        used: u.used,
        capacity: u.capacity,
        headroom: u.headroom,
        maxUnit: inv.maxUnit,
        orphanUsed: o.orphan,
        doubledUsed: o.doubled,
        fits: !reason,
        reason,
      });
    }
    const fits = classes.every((c) => c.fits);
    const fitsWithoutOrphans = classes.every(
      (c) => c.fits || (c.reason === 'capacity' && c.used - c.orphanUsed + c.requested <= c.capacity),
    );
    out.push({ providerUuid: rp.uuid, name: rp.name, fits, fitsWithoutOrphans, classes });
  }
  return out;
}
