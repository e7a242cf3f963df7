import { AUDIT_RULES } from '../audit/rules/index.js';
import { DETECTORS } from '../detectors/index.js';
import type { Detector } from '../detectors/detector.js';
import type { Catalog } from '../model/catalog.js';
import { catalogOf } from './catalog.js';

/**
 * The registry: every detector and audit rule, and what is derived from them.
 * Adding a detector is a file in src/detectors and a line in its index; the
 * event store's keep rule, the catalog views name kinds by, the CLI's --kind
 * choices, the report schema and docs/detectors.md all follow.
 */

export { DETECTORS, AUDIT_RULES };

export const CATALOG: Catalog = catalogOf(DETECTORS, AUDIT_RULES);

export const KINDS: readonly string[] = DETECTORS.map((d) => d.kind);

/** The detectors of these kinds (all of them when none is named). */
export function detectorsOf(kinds: readonly string[] | undefined): readonly Detector<unknown>[] {
  return kinds && kinds.length > 0 ? DETECTORS.filter((d) => kinds.includes(d.kind)) : DETECTORS;
}
