import type { AuditRule } from '../audit/rule.js';
import type { Detector } from '../detectors/detector.js';
import type { Catalog } from '../model/catalog.js';

/** The names views give kinds, causes and findings, from the detectors and rules themselves. */
export function catalogOf(detectors: readonly Detector<unknown>[], rules: readonly AuditRule[]): Catalog {
  const kinds: Catalog['kinds'] = {};
  for (const d of detectors) {
    const causes: Record<string, string> = {};
    for (const c of d.causes) causes[c.code] ??= c.title;
    kinds[d.kind] = { name: d.name, plural: d.plural ?? `${d.name}s`, title: d.title, causes };
  }
  const findings: Catalog['findings'] = {};
  for (const r of rules) for (const f of r.findings) findings[f.code] = f.title;
  return { kinds, findings };
}
