import type { AuditRule } from '../rule.js';
import { cellsDumped } from './cells-dumped.js';
import { computeProviders } from './compute-providers.js';
import { duplicateKeys } from './duplicate-keys.js';
import { instanceMappings } from './instance-mappings.js';
import { maxUnit } from './max-unit.js';
import { orphanAllocations } from './orphan-allocations.js';
import { providerCapacity } from './provider-capacity.js';
import { unmappedHosts } from './unmapped-hosts.js';

/** Every database rule, in report order. Adding one: a file here and a line below. */
export const AUDIT_RULES: readonly AuditRule[] = [
  duplicateKeys,
  cellsDumped,
  unmappedHosts,
  instanceMappings,
  maxUnit,
  providerCapacity,
  orphanAllocations,
  computeProviders,
];
