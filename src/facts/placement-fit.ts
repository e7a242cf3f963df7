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

/** A dump's DATETIME (`2024-10-02 11:20:30`, nova's UTC) in ms; NaN when absent or unreadable. */
export function dumpTimeMs(ts: string | undefined): number {
  return ts ? Date.parse(`${ts.replace(' ', 'T')}${/[Zz]|[+-]\d\d:?\d\d$/.test(ts) ? '' : 'Z'}`) : Number.NaN;
}

/** Created after the moment: a row the dump holds that did not exist then. */
const after = (createdAt: string | undefined, at: number | undefined): boolean => at !== undefined && dumpTimeMs(createdAt) > at;

/** Root providers the dump holds that placement did not have at the moment `at` (ms): created after it. */
export function providersCreatedAfter(ix: DbIndex, at: number): { uuid: string; name?: string; createdAt: string }[] {
  const out: { uuid: string; name?: string; createdAt: string }[] = [];
  for (const rp of ix.providers.values())
    if (ix.rootOf(rp).id === rp.id && after(rp.createdAt, at)) out.push({ uuid: rp.uuid, name: rp.name, createdAt: rp.createdAt! });
  return out;
}

/**
 * The fit as placement saw it at `at` (ms) when given: a provider or an
 * inventory the dump shows created later did not exist, an allocation created
 * later did not use anything yet. Allocations deleted since are gone from the
 * dump: usage then may have been higher, which the callers say.
 */
export function fitRequest(ix: DbIndex, requested: Record<string, number>, at?: number): ProviderFit[] {
  const orphan = orphanUsage(ix);
  const laterUsed = new Map<string, number>();
  if (at !== undefined)
    for (const a of ix.facts.placement?.allocations ?? [])
      if (after(a.createdAt, at))
        laterUsed.set(`${a.providerId}|${a.resourceClass}`, (laterUsed.get(`${a.providerId}|${a.resourceClass}`) ?? 0) + a.used);
  const out: ProviderFit[] = [];
  for (const [pid, invs] of ix.inventories) {
    const rp = ix.providers.get(pid);
    if (!rp || ix.rootOf(rp).id !== rp.id) continue;
    if (after(rp.createdAt, at)) continue;
    const classes: ClassFit[] = [];
    for (const [rc, amount] of Object.entries(requested)) {
      const found = invs.get(rc);
      const inv = found && !after(found.createdAt, at) ? found : undefined;
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
      const now = ix.usage(pid, rc)!;
      const less = laterUsed.get(`${pid}|${rc}`) ?? 0;
      const u = less ? { ...now, used: now.used - less, headroom: now.headroom + less } : now;
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
