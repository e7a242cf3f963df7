import type { Detector } from './detector.js';
import { cpuIncompatibleMigration } from './cpu-incompatible-migration.js';
import { failedBuild } from './failed-build/index.js';
import { failedMove } from './failed-move/index.js';
import { missingInstanceMapping } from './missing-instance-mapping.js';
import { unmanagedAllocation } from './unmanaged-allocation/index.js';

/** Every detector. Adding one: a file in this folder, a test, and a line here. */
export const DETECTORS: readonly Detector[] = [
  failedBuild,
  failedMove,
  cpuIncompatibleMigration,
  unmanagedAllocation,
  missingInstanceMapping,
];
