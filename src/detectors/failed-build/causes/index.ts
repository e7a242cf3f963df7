import type { Cause } from '../../detector.js';
import type { BuildEvidence } from '../evidence.js';
import { castToComputeFailed } from './cast-to-compute-failed.js';
import { schedulerUnreachable } from './scheduler-unreachable.js';
import { COMPUTE_SIDE_CAUSES } from './compute-side.js';
import { filtersRejectedAllHosts } from './filters-rejected-all-hosts.js';
import { hostNotMapped } from './host-not-mapped.js';
import { insufficientCapacity } from './insufficient-capacity.js';
import { maxRetriesExceeded } from './max-retries-exceeded.js';
import { maxUnitExceeded } from './max-unit-exceeded.js';
import { noAllocationCandidates } from './no-allocation-candidates.js';
import { placementUnreachable } from './placement-unreachable.js';
import { resourceClassNotOffered } from './resource-class-not-offered.js';
import { unknownCause } from './unknown.js';

/**
 * The causes of a failed build, in the order they are tried; the first that
 * holds is the diagnosis. Why this order:
 * 1. host-not-mapped: the scheduler found a host, the conductor could not use
 *    it; whatever placement said before does not matter.
 *    cast-to-compute-failed: the scheduler found a host, the conductor could
 *    not send it the build (the RPC cast raised); no compute saw it.
 *    scheduler-unreachable: the scheduler never answered the conductor's call
 *    (MessagingTimeout); nothing about hosts was decided.
 * 2. max-retries-exceeded: hosts were found and each failed the build; the
 *    capacity figures of the dump would only mislead.
 * 3. the compute-side causes (network setup, port binding, VIF plugging,
 *    volume, image, claim, spawn): a host was found and the build failed on
 *    it; the last attempt's error decides (../../compute-failure.ts).
 * 4. placement-unreachable: no candidate because placement did not answer,
 *    not because it had none.
 * Then placement answered and had nothing, or the filters left nothing:
 * 5. resource-class-not-offered: no provider has the class at all;
 * 6. max-unit-exceeded: one asks more than any provider's max_unit, which no
 *    free capacity can help (read before capacity: both would hold);
 * 7. insufficient-capacity: every provider is too full;
 * 8. filters-rejected-all-hosts: the filters' own lines (placement gave hosts).
 *    Where filters ran out of hosts, 6 and 7 are not tried: the dump is read
 *    later than the failure, the filters' lines are of its moment.
 * 9. no-allocation-candidates: placement said it had nothing, and no figure
 *    above says why (no dump, or one that shows room now);
 * 10. unknown, with what is missing.
 */
export const BUILD_CAUSES: readonly Cause<BuildEvidence>[] = [
  hostNotMapped,
  castToComputeFailed,
  schedulerUnreachable,
  maxRetriesExceeded,
  ...COMPUTE_SIDE_CAUSES,
  placementUnreachable,
  resourceClassNotOffered,
  maxUnitExceeded,
  insufficientCapacity,
  filtersRejectedAllHosts,
  noAllocationCandidates,
  unknownCause,
];
