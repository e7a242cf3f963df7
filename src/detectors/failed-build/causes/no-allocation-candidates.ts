import { candidatesRefusedDetail, candidatesRefusedStatus, placementCandidatesRefused } from '../../../signatures/placement.js';
import { matches } from '../../../signatures/signature.js';
import { type Cause, logEvidence } from '../../detector.js';
import type { BuildEvidence } from '../evidence.js';
import { describeTags, tagFit } from '../../../facts/placement-tags.js';
import { fitDecides, placementSide, providerDetails, queryEvents } from './placement-side.js';

/** `--resource VCPU=64 --resource MEMORY_MB=4096`: osc-placement's form of the request. */
function resourceArgs(resources: Record<string, number> | undefined): string {
  if (!resources) return '--resource VCPU=<vcpus> --resource MEMORY_MB=<ram> --resource DISK_GB=<disk>';
  return Object.entries(resources)
    .filter(([, n]) => n > 0)
    .map(([rc, n]) => `--resource ${rc}=${n}`)
    .join(' ');
}

/**
 * Placement said it had no candidate (the scheduler's "Got no allocation
 * candidates", placement's own "found no providers with …"), and what would
 * say which limit was hit — the inventories and usages of the dump — is not
 * in the inputs, or (read later than the failure) shows room now. Tried after
 * every cause the figures decide, before unknown: that placement had nothing
 * is known; why is not.
 */
export const noAllocationCandidates: Cause<BuildEvidence> = {
  code: 'no-allocation-candidates',
  title: 'Placement returned no allocation candidates; why is not in the inputs',
  decidedBy:
    'the scheduler\'s "Got no allocation candidates" or placement\'s "found no providers with …", with no dump whose figures decide (or one that shows room now)',
  action: "ask placement the same question now, and add placement's database dump to see which limit the request hits",
  details:
    '`requested`, `asked` (traits required and forbidden, member_of, from the query), `placementFoundNone[]`, `providers[]` (when a dump shows room), `ruledOutByTraitsOrAggregates[]`, `refusedStatus` (placement answered the query 4xx)',
  headline: (v, what) =>
    v.details.refusedStatus
      ? `${what} failed: placement refused the candidates query (${v.details.refusedStatus})`
      : `${what} failed: placement had no candidate${Array.isArray(v.details.placementFoundNone) ? ` (none with ${(v.details.placementFoundNone as string[]).join(', ')})` : ''}`,
  decide({ ctx, haveDump, candidates }) {
    const c = candidates();
    if (!c.noCandidates && c.search.length === 0) return undefined;
    if (c.filterZero.length > 0 || c.startedEmpty) return undefined;
    const { evidence, details, gaps } = placementSide(c);
    // The scheduler's ERROR that placement answered its query 4xx: placement refused the question, it did not search,
    // so no figure of capacity, trait or aggregate is missing to say why.
    const refused = c.related.find((e) => matches(placementCandidatesRefused, e) && (candidatesRefusedStatus(e) ?? 500) < 500);
    if (c.noCandidatesRaised === 'remote')
      gaps.push(
        "placement's answer was not read (no scheduler line \"Got no allocation candidates\", no placement log): the conductor's NoValidHost came from the scheduler with an empty reason, under python 3's names for a remote exception (so Rocky or later), when the scheduler raises it so only because placement returned no candidate, or could not be reached (its report client would have warned)",
      );
    else if (c.noCandidatesRaised)
      gaps.push(
        'placement\'s answer was not read (no scheduler line "Got no allocation candidates", no placement log): the traceback shows the scheduler\'s NoValidHost with an empty reason in select_destinations, which nova (Pike+) raises only when placement returned no candidate, or could not be reached (its report client would have warned)',
      );
    if (c.search.length)
      details.placementFoundNone = c.search.map((s) => `${s.placementSearch!.amount} ${s.placementSearch!.resourceClass}`);
    const tags = c.requested.tags;
    if (tags) details.asked = { required: tags.required, forbidden: tags.forbidden, memberOf: tags.memberOf };
    const roomy = haveDump && fitDecides(c) ? (c.fits?.() ?? []).filter((p) => p.fits) : [];
    // Providers with room that the request's traits or aggregates rule out: that is why placement had none.
    const fit = tags && haveDump ? tagFit(ctx.ix, tags) : undefined;
    const ruledOut = fit
      ? roomy.map((p) => fit.providers.find((x) => x.providerUuid === p.providerUuid)!).filter((x) => x && !x.eligible)
      : [];
    const byTags = roomy.length > 0 && ruledOut.length === roomy.length;
    let why = '';
    if (byTags) {
      details.ruledOutByTraitsOrAggregates = ruledOut.map((x) => ({
        name: x.name,
        uuid: x.providerUuid,
        missingTraits: x.missingTraits,
        forbiddenTraits: x.forbiddenTraits,
        aggregatesUnmet: x.aggregatesUnmet,
      }));
      why = ` Every provider with room is ruled out by what the request asked besides amounts (${describeTags(tags!)}): ${ruledOut
        .map(
          (x) =>
            `${x.name ?? x.providerUuid} ${[
              x.missingTraits.length ? `lacks ${x.missingTraits.join(', ')}` : '',
              x.forbiddenTraits.length ? `has the forbidden ${x.forbiddenTraits.join(', ')}` : '',
              x.aggregatesUnmet.length ? `is outside the aggregates ${x.aggregatesUnmet.join(', ')}` : '',
            ]
              .filter(Boolean)
              .join(' and ')}`,
        )
        .join('; ')}.`;
    } else if (tags && !refused) {
      if (!haveDump)
        gaps.push(`the request also asked ${describeTags(tags)}: without placement's dump which provider has them is not known`);
      else if ((tags.required.length || tags.forbidden.length) && !fit?.traitsKnown)
        gaps.push(
          `the request asked ${describeTags(tags)}; the dump has no resource_provider_traits, so which provider has them is not known`,
        );
      else if (tags.memberOf.length && !fit?.aggregatesKnown)
        gaps.push(
          `the request asked ${describeTags(tags)}; the dump has no resource_provider_aggregates, so which provider is in them is not known`,
        );
    } else if (!refused && c.requested.from !== 'the placement query')
      gaps.push("placement's query of the request was not read: any traits or aggregates it asked (required=, member_of=) are not known");
    const roomNow = roomy.length > 0 && !byTags;
    if (byTags) details.providers = providerDetails(c);
    if (roomNow) {
      details.providers = providerDetails(c);
      gaps.push('the dump shows a provider with room now: it was taken after the failure, and what changed between is not known');
    } else if (!haveDump && !refused)
      gaps.push('no placement database dump: the inventories, usages and max_unit that would say which limit was hit are not known');
    else if (!c.requested.resources && !refused)
      gaps.push('the requested resources are not known (no placement query, request spec or instance record)');
    const found = c.search.length ? `; placement's search found no provider with ${details.placementFoundNone}` : '';
    if (refused) {
      evidence.unshift(logEvidence(refused));
      details.refusedStatus = candidatesRefusedStatus(refused);
    }
    const said = refused ? candidatesRefusedDetail(refused) : undefined;
    return {
      code: 'no-allocation-candidates',
      summary: refused
        ? `Placement refused the scheduler's query for candidates (${details.refusedStatus}${said ? `: ${said}` : ''}), so it looked for none and the scheduler raised NoValidHost: the request asked what placement does not take (a resource class or trait it does not know, a malformed query), as the flavor's extra specs or the image's properties made it.`
        : byTags
          ? `Placement returned no allocation candidates for the request${found}, so the scheduler raised NoValidHost.${why}`
          : `Placement returned no allocation candidates for the request${found}, so the scheduler raised NoValidHost. Which limit the request hit (capacity, max_unit, a trait, an aggregate) the inputs do not show.`,
      details,
      evidence,
      gaps,
      remediation: [
        ...(refused
          ? [
              {
                command: 'openstack flavor show <flavor> -c properties',
                why: "the resources:* and trait:* extra specs the flavor asks (and the image's trait properties): placement said which it does not know",
              },
            ]
          : []),
        {
          command: `openstack allocation candidate list ${resourceArgs(c.requested.resources)}`,
          why: 'ask placement the same question now (osc-placement): an empty answer still, or which providers would do',
        },
        {
          command: 'openstack resource provider list --resource VCPU=1',
          why: "then each compute's inventory and usage: openstack resource provider inventory list <uuid>, openstack resource provider usage show <uuid>",
        },
      ],
      ...queryEvents(c),
    };
  },
};
