import type { DbFacts } from '../model/db.js';
import { SEVERITY_ORDER, type Finding } from '../model/finding.js';
import { DbIndex } from '../facts/db-index.js';
import { AUDIT_RULES } from './rules/index.js';

/** Runs every rule on the facts; findings sorted worst first, stable within a severity. */
export function audit(facts: DbFacts, ix = new DbIndex(facts)): Finding[] {
  const all = AUDIT_RULES.flatMap((r) => r.check(ix));
  return all
    .map((f, i) => [f, i] as const)
    .sort(([a, i], [b, j]) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || i - j)
    .map(([f]) => f);
}
