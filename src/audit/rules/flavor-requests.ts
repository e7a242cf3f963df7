import { resourcesFromFlavor } from '../../facts/request-spec.js';
import type { RowSource } from '../../model/db.js';
import type { DbIndex } from '../../facts/db-index.js';

/** What each flavor asks of placement: from the flavors table, and from request specs (flavors since deleted, builds that failed). */
export interface FlavorRequestInfo {
  name: string;
  resources: Record<string, number>;
  source: RowSource;
  /** Instances whose request spec asked it. */
  instances: string[];
}

export function flavorRequests(ix: DbIndex): FlavorRequestInfo[] {
  const byName = new Map<string, FlavorRequestInfo>();
  for (const f of ix.flavors) {
    if (f.disabled) continue;
    const name = f.name ?? f.flavorId ?? String(f.id);
    byName.set(name, {
      name,
      source: f.source,
      instances: [],
      resources: resourcesFromFlavor({
        vcpus: f.vcpus,
        memoryMb: f.memoryMb,
        rootGb: f.rootGb,
        ephemeralGb: f.ephemeralGb,
        swapMb: f.swapMb,
      }),
    });
  }
  for (const s of ix.facts.api?.requestSpecs ?? []) {
    if (!s.flavor || !s.resources) continue;
    const name = s.flavor.name ?? `flavor of ${s.instanceUuid}`;
    const f = byName.get(name);
    if (f) {
      f.instances.push(s.instanceUuid);
      // extra specs live only in the request spec: they refine the flavor's request
      f.resources = s.resources;
    } else byName.set(name, { name, source: s.source, instances: [s.instanceUuid], resources: s.resources });
  }
  return [...byName.values()];
}
