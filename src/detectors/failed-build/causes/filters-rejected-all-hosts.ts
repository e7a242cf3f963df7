import type { StoredEvent } from '../../../correlate/event-store.js';
import { filterReturnedZero, schedulerFiltersNoneRaised, schedulerPrePlacementEmptyReason } from '../../../signatures/scheduler.js';
import { match, matches } from '../../../signatures/signature.js';
import { type Cause, firstLine, logEvidence } from '../../detector.js';
import { type BuildEvidence, driverNoValidHost } from '../evidence.js';
import { placementSide, queryEvents } from './placement-side.js';
import { driverNoHost } from './scheduler-driver-novalidhost.js';

/** nova.filters' count after each filter (DEBUG), of any outcome. */
const FILTER_COUNT = /^Filter \w+ returned \d+ host/;

/**
 * The filter that removed the last hosts, by its class name: "Filter X returned 0 hosts", or the one whose count ended
 * at 0 in "Filter results" (`('X', None)` in Newton's, `X: (start: n, end: 0)` after).
 */
export function lastFilterOf(filterZero: readonly StoredEvent[]): string | undefined {
  const last = filterZero[filterZero.length - 1];
  if (!last) return undefined;
  return (
    match(filterReturnedZero, last)?.filter ??
    /\('(\w+)', None\)/.exec(last.message)?.[1] ??
    /(\w+Filter): \(start: \d+, end: 0\)/.exec(last.message)?.[1]
  );
}

export const filtersRejectedAllHosts: Cause<BuildEvidence> = {
  code: 'filters-rejected-all-hosts',
  title: "The scheduler's filters removed every host",
  decidedBy:
    'the filters\' own lines: "Filter X returned 0 hosts", "Filtering removed all hosts … Filter results", and "Starting with 0 host(s)" when none reached them',
  action: 'check what the named filter checks (service up and enabled, availability zone, image properties…) against the hosts',
  details:
    "`requested`, `filter`, `filterReasons[]`, `startedWithHosts` (0 when no host reached the filters), `placedBefore` (`instances`, `hosts`: the instances of a multi-create the filter scheduler placed before it found none for the rest, Havana–Icehouse), `headroom[]` (`host`, `limit`, `left`, `auditedAt`: for an instance none was placed before, the memory RamFilter's limit left on each compute read at its last audit, Grizzly–Icehouse), `leftUnderLimit[]` (`host`, `filter`, `unit`, `limit`, `left`, `asked`: what the computes' claims of those instances left under the limit the filter set, less than an instance asks; `filter` is then that filter)",
  headline: (v, what) =>
    `${what} failed: ${v.details.startedWithHosts === 0 ? "no host reached the scheduler's filters" : `${v.details.filter ?? 'scheduler filters'} removed every host`}`,
  decide({ ctx, candidates }) {
    const c = candidates();
    const filterZero = c.filterZero;
    if (filterZero.length === 0) return undefined;
    const { evidence, details, gaps } = placementSide(c);
    const name = lastFilterOf(filterZero);
    for (const e of filterZero) evidence.push(logEvidence(e));
    // The filter's own reasons (its logger's lines), not the filters' counts ("Filter X returned N host(s)": a first
    // attempt that passed, retried in the same request, says nothing of why the last one found none).
    const why = name
      ? c.related
          .filter(
            (e) =>
              e.logger?.startsWith('nova.scheduler.filters') ||
              (e.message.includes(name) && !filterZero.includes(e) && !FILTER_COUNT.test(e.message)),
          )
          .slice(0, 5)
      : [];
    for (const e of why) evidence.push(logEvidence(e));
    const filterDetails: Record<string, unknown> = { ...details, filter: name };
    const fault = filterZero.find((e) => matches(schedulerPrePlacementEmptyReason, e));
    const driverOnly = filterZero.every((e) => driverNoValidHost(e, c.related)) ? driverNoHost(ctx, filterZero, c.related) : undefined;
    if (driverOnly) {
      gaps.push(driverOnly.gap);
      for (const e of driverOnly.evidence) evidence.push(logEvidence(e));
      if (driverOnly.placedBefore) filterDetails.placedBefore = driverOnly.placedBefore;
      if (driverOnly.headroom) filterDetails.headroom = driverOnly.headroom.map(({ events: _, ...h }) => h);
      if (driverOnly.leftUnderLimit) {
        filterDetails.leftUnderLimit = driverOnly.leftUnderLimit;
        filterDetails.filter = driverOnly.leftUnderLimit[0].filter;
      }
    } else if (filterZero.every((e) => matches(schedulerFiltersNoneRaised, e)))
      gaps.push(
        "which filter removed the last host is not known: the scheduler's filter lines were not read, only the traceback of its NoValidHost with an empty reason, which the filter scheduler raised (Folsom–Juno) when its filters left fewer hosts than instances",
      );
    else if (fault && filterZero.every((e) => matches(schedulerPrePlacementEmptyReason, e) || matches(schedulerFiltersNoneRaised, e)))
      gaps.push(
        `which filter removed the last host is not known: only the server's fault was read, NoValidHost with an empty reason created ${fault.pasted?.fault?.created} (before Pike), which only the filter scheduler before placement raised (Folsom–Juno), when its filters left fewer hosts than instances; the scheduler's log of that time would name the filter`,
      );
    if (why.length) filterDetails.filterReasons = why.map((e) => firstLine(e.message, 200));
    // The filters ran on no host at all: nothing reached them, and the first filter named is only where it showed.
    const empty = c.startedEmpty;
    if (empty) {
      evidence.unshift(logEvidence(empty));
      filterDetails.startedWithHosts = 0;
    }
    return {
      code: 'filters-rejected-all-hosts',
      summary: empty
        ? `No host reached the scheduler's filters (they started with 0 hosts), so ${name ?? 'the first filter'} had none to pass. From Pike on, the filters get the compute nodes of placement's candidates that the scheduler finds in the cells it loaded when it started (a cell added later stays unseen until nova-scheduler restarts) and that have a nova-compute service record; a requested destination (a move, or a build with --host) narrows them further. Before Pike, 0 hosts means placement returned no provider (Ocata) or there were no compute node records.`
        : driverOnly
          ? driverOnly.summary
          : `The scheduler's ${name ?? 'filters'} removed the last candidate hosts${why.length ? `: ${firstLine(why[0].message, 160)}` : ''}.`,
      details: filterDetails,
      evidence,
      gaps,
      remediation: [
        ...(driverOnly?.remediation ?? []),
        {
          command: `openstack compute service list --service nova-compute`,
          why: `check what ${name ?? 'the filter'} checks (service up/enabled for ComputeFilter, availability zone for AvailabilityZoneFilter, image properties…) against the hosts`,
        },
        ...(empty
          ? [
              {
                command: 'nova-manage cell_v2 list_cells',
                why: 'the scheduler sees only the cells it loaded at start: restart nova-scheduler after adding one; and check placement has candidates for the flavor (openstack allocation candidate list --resource VCPU=1)',
              },
            ]
          : []),
      ],
      ...queryEvents(c),
    };
  },
};
