import { exceptionOfText } from '../../../../parsers/exception-text.js';
import type { Evidence } from '../../../model/finding.js';
import { discoverHosts } from '../../../facts/remediation-commands.js';
import { conductorHostNotMapped } from '../../../signatures/conductor.js';
import { match } from '../../../signatures/signature.js';
import { type Cause, firstLine, logEvidence } from '../../detector.js';
import type { BuildEvidence } from '../evidence.js';

export const hostNotMapped: Cause<BuildEvidence> = {
  code: 'host-not-mapped',
  title: 'The scheduler picked a host with no cell mapping',
  decidedBy:
    'the conductor\'s "No host-to-cell mapping found for selected host", the instance fault (HostMappingNotFound), or the scheduler\'s claim left on an unmapped host by an instance buried in cell0',
  action: 'run nova-manage cell_v2 discover_hosts, then delete the ERROR instance and build again',
  details: '`host`, `leakedAllocation`',
  headline: (v, what) => `${what} failed: ${v.details.host} is not mapped to a cell`,
  decide({ ctx, build: b, related, haveDump, finding }) {
    const mapErr = related.find((e) => match(conductorHostNotMapped, e)) ?? b.signals.find((e) => match(conductorHostNotMapped, e));
    const fault = b.instanceUuid
      ? ctx.facts.cells.flatMap((c) => c.instanceFaults).find((f) => f.instanceUuid === b.instanceUuid)
      : undefined;
    // The fault's text comes translated; the database's structure does not: the
    // scheduler's claim left on an unmapped host by an instance buried in cell0.
    const claim = b.instanceUuid
      ? finding('orphan-allocation', (f) => f.cause === 'host-not-mapped' && f.subject.consumerUuid === b.instanceUuid)
      : undefined;
    const faultUnmapped = fault && /HostMappingNotFound|not mapped to any cell/.test(`${fault.message ?? ''} ${fault.details ?? ''}`);
    // The same fault pasted (a dashboard's banner, `server show`), known by its class in any language.
    const pasted = b.signals.find((e) => e.pasted?.fault && e.exception?.type === 'HostMappingNotFound');
    if (!mapErr && !claim && !faultUnmapped && !pasted) return undefined;
    const evidence: Evidence[] = [];
    const gaps: string[] = [];
    const claimHost = (claim?.details?.providers as { name?: string }[] | undefined)?.[0]?.name;
    const host = mapErr
      ? match(conductorHostNotMapped, mapErr)!.host
      : (claimHost ??
        (pasted
          ? exceptionOfText(pasted.message, ['HostMappingNotFound'])?.fields.name
          : /Host '([^']+)'/.exec(fault?.message ?? '')?.[1]));
    if (mapErr) evidence.push(logEvidence(mapErr));
    if (pasted) evidence.push(logEvidence(pasted));
    if (fault)
      evidence.push({ text: `${fault.cellDb}.instance_faults: ${fault.code} ${firstLine(fault.message ?? '')}`, source: fault.source });
    const unmapped = finding('unmapped-host', (f) => f.subject.host === host);
    if (unmapped) evidence.push(...unmapped.evidence.slice(-1));
    else if (!haveDump) gaps.push('no database dump: host_mappings could not be checked');
    const leak = finding('orphan-allocation', (f) => f.subject.consumerUuid === b.instanceUuid);
    if (leak) evidence.push(leak.evidence[0]);
    return {
      code: 'host-not-mapped',
      summary: `The scheduler picked ${host}, which has no host_mappings row (discover_hosts was not run after it was added); the conductor buried the instance in cell0.${leak ? " The scheduler's allocation on that host was left behind." : ''}`,
      details: leak ? { host, leakedAllocation: leak.resources } : { host },
      evidence,
      gaps,
      remediation: [
        ...(unmapped?.remediation ?? [
          discoverHosts(ctx.ix, undefined, false, `maps ${host} (and any other new compute) to its cell, so builds sent there succeed`),
        ]),
        ...(leak
          ? [
              {
                command: `openstack resource provider allocation delete ${b.instanceUuid}`,
                why: 'releases the claim the failed build left on the unmapped host',
              },
            ]
          : []),
        ...(b.instanceUuid
          ? [
              {
                command: `openstack server delete ${b.instanceUuid}`,
                why: 'the ERROR instance cannot be repaired; delete it and build again once the host is mapped',
              },
            ]
          : []),
      ],
    };
  },
};
