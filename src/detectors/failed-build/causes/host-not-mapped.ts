import { exceptionOfText } from '../../../../parsers/exception-text.js';
import type { StoredEvent } from '../../../correlate/event-store.js';
import { discoverHosts } from '../../../facts/remediation-commands.js';
import { tsMs } from '../../../model/clock.js';
import type { Evidence } from '../../../model/finding.js';
import { schedulerHostNotMapped } from '../../../signatures/cells.js';
import { conductorHostNotMapped } from '../../../signatures/conductor.js';
import { fieldsOf } from '../../../signatures/move.js';
import { match } from '../../../signatures/signature.js';
import { type Cause, type DetectContext, firstLine, logEvidence, sameHost } from '../../detector.js';
import type { Build } from '../builds.js';
import type { BuildEvidence } from '../evidence.js';
import { hostMappedAt, timeMs } from '../mapped-at.js';

/**
 * The scheduler picked a host the cells did not know. Decided by the
 * conductor's "No host-to-cell mapping found for selected host", by
 * HostMappingNotFound named in a line or the instance's fault (its text in
 * any language nova shipped), by the scheduler's claim left on an unmapped
 * host, or — the dump read later than the failure — by an instance buried in
 * cell0 whose claim is on a host whose mapping was created after it failed.
 * When the mapping came (the dump's created_at, the discovery lines) is said:
 * a host mapped later was unmapped at the failure, and is the cause.
 */

/** When a build (or a move) failed, on the adjusted basis: its first failing line, else the database's record of it. */
export function failedAt(
  ctx: DetectContext,
  b: Pick<Build, 'signals' | 'dbInstance'>,
  fault?: { createdAt?: string },
): { ms: number; at: string } | undefined {
  const dated = b.signals.filter((e) => e.ts && Number.isFinite(tsMs(e.ts)));
  if (dated.length) {
    const e = dated.reduce((a, x) => (tsMs(x.ts) - (ctx.offsets.get(x.host) ?? 0) < tsMs(a.ts) - (ctx.offsets.get(a.host) ?? 0) ? x : a));
    return { ms: tsMs(e.ts) - (ctx.offsets.get(e.host) ?? 0), at: e.ts };
  }
  for (const at of [fault?.createdAt, b.dbInstance?.updatedAt, b.dbInstance?.createdAt]) {
    const ms = timeMs(at);
    if (at && Number.isFinite(ms)) return { ms, at };
  }
  return undefined;
}

/** The host of a line naming HostMappingNotFound (its class, or its text in any language): the scheduler's pick. */
function namedUnmapped(events: readonly StoredEvent[]): { host?: string; event: StoredEvent } | undefined {
  for (const e of events) {
    if (e.level !== 'ERROR' && e.level !== 'WARNING' && !e.undated) continue;
    const f = fieldsOf(e, ['HostMappingNotFound']) ?? exceptionOfText(e.message, ['HostMappingNotFound'])?.fields;
    if (f) return { host: f.name, event: e };
    if (e.exception?.type === 'HostMappingNotFound') return { host: /'([^']+)'/.exec(e.exception.message)?.[1], event: e };
  }
  return undefined;
}

/** The host of a provider the instance's claim is on (the compute node's host, else the provider's name). */
function claimHosts(ctx: DetectContext, instanceUuid: string): string[] {
  const out: string[] = [];
  for (const pid of ctx.ix.allocationsByConsumer.get(instanceUuid)?.keys() ?? []) {
    const rp = ctx.ix.providers.get(pid);
    if (!rp) continue;
    const host = ctx.ix.computeByUuid.get(rp.uuid)?.host ?? rp.name;
    if (host) out.push(host);
  }
  return out;
}

export const hostNotMapped: Cause<BuildEvidence> = {
  code: 'host-not-mapped',
  title: 'The scheduler picked a host with no cell mapping',
  decidedBy:
    'the conductor\'s "No host-to-cell mapping found for selected host", HostMappingNotFound in a line or the instance fault (any language), the scheduler\'s claim left on an unmapped host by an instance buried in cell0, or a claim on a host whose host_mappings row (or discovery line) is dated after the failure',
  action: 'run nova-manage cell_v2 discover_hosts (unless the host was mapped since), then delete the ERROR instance and build again',
  details: '`host`, `mappedLater` (when the host got its mapping after the failure), `leakedAllocation`',
  headline: (v, what) =>
    `${what} failed: ${v.details.host ?? 'the chosen host'} ${v.details.mappedLater ? 'was not yet mapped to a cell' : 'is not mapped to a cell'}`,
  decide({ ctx, build: b, related, haveDump, finding }) {
    const mapErr =
      related.find((e) => match(conductorHostNotMapped, e)) ??
      b.signals.find((e) => match(conductorHostNotMapped, e)) ??
      related.find((e) => match(schedulerHostNotMapped, e));
    const named = mapErr ? undefined : namedUnmapped([...b.signals, ...related]);
    const fault = b.instanceUuid
      ? ctx.facts.cells.flatMap((c) => c.instanceFaults).find((f) => f.instanceUuid === b.instanceUuid)
      : undefined;
    // The fault's text comes translated: read through nova's message formats in every language.
    const faultHost = fault ? exceptionOfText(fault.message ?? '', ['HostMappingNotFound'])?.fields.name : undefined;
    const faultUnmapped = !!fault && (faultHost !== undefined || /HostMappingNotFound/.test(fault.details ?? ''));
    // The database's structure does not come translated: the scheduler's claim left on an unmapped host by an
    // instance buried in cell0.
    const claim = b.instanceUuid
      ? finding('orphan-allocation', (f) => f.cause === 'host-not-mapped' && f.subject.consumerUuid === b.instanceUuid)
      : undefined;
    const claimHost = (claim?.details?.providers as { name?: string }[] | undefined)?.[0]?.name;
    const when = failedAt(ctx, b, fault);
    // Read later than the failure, the dump maps the host now; its created_at says it did not then.
    let lateClaim: string | undefined;
    if (!mapErr && !named && !claim && !faultUnmapped && b.instanceUuid && when && b.dbInstance && ctx.ix.isCell0(b.dbInstance.cellDb))
      lateClaim = claimHosts(ctx, b.instanceUuid).find((h) => {
        const m = hostMappedAt(ctx, h);
        return !!m && m.ms > when.ms;
      });
    if (!mapErr && !named && !claim && !faultUnmapped && !lateClaim) return undefined;
    const evidence: Evidence[] = [];
    const gaps: string[] = [];
    const host = mapErr
      ? (match(conductorHostNotMapped, mapErr) ?? match(schedulerHostNotMapped, mapErr))!.host
      : (named?.host ?? claimHost ?? faultHost ?? lateClaim);
    if (mapErr) evidence.push(logEvidence(mapErr));
    else if (named) evidence.push(logEvidence(named.event));
    if (fault)
      evidence.push({ text: `${fault.cellDb}.instance_faults: ${fault.code} ${firstLine(fault.message ?? '')}`, source: fault.source });
    const mapped = host ? hostMappedAt(ctx, host) : undefined;
    const later = mapped && when && mapped.ms > when.ms ? mapped : undefined;
    const events: StoredEvent[] = [];
    if (later) {
      evidence.push(later.evidence);
      if (later.event) events.push(later.event);
    } else if (mapped && when)
      gaps.push(
        `${host} has a mapping dated ${mapped.at}, before the failure at ${when.at}: its mapping may have been deleted and made again, or the clocks disagree`,
      );
    const unmapped = host ? finding('unmapped-host', (f) => !!f.subject.host && sameHost(f.subject.host, host)) : undefined;
    if (unmapped) evidence.push(...unmapped.evidence.slice(-1));
    else if (!haveDump && !later) gaps.push('no database dump: host_mappings could not be checked');
    if (later && !('line' in later.evidence.source))
      gaps.push("the host_mappings row's created_at is nova's time (UTC); the log times are compared as written");
    if (!host) gaps.push('no line read names the host the scheduler picked');
    const leak = b.instanceUuid ? finding('orphan-allocation', (f) => f.subject.consumerUuid === b.instanceUuid) : undefined;
    if (leak) evidence.push(leak.evidence[0]);
    const who = host ?? 'a host';
    return {
      code: 'host-not-mapped',
      summary: later
        ? `The scheduler picked ${who}, which had no host_mappings row at the failure (${when!.at}): it was mapped later at ${later.at}. The conductor buried the instance in cell0; discover_hosts ran too late for this build.${leak ? " The scheduler's allocation on that host was left behind." : ''}`
        : `The scheduler picked ${who}, which has no host_mappings row (discover_hosts was not run after it was added); the conductor buried the instance in cell0.${leak ? " The scheduler's allocation on that host was left behind." : ''}`,
      details: { host, ...(later ? { mappedLater: later.at } : {}), ...(leak ? { leakedAllocation: leak.resources } : {}) },
      evidence,
      gaps,
      events,
      remediation: [
        ...(later
          ? []
          : (unmapped?.remediation ?? [
              discoverHosts(ctx.ix, undefined, false, `maps ${who} (and any other new compute) to its cell, so builds sent there succeed`),
            ])),
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
                why: later
                  ? `the ERROR instance cannot be repaired; ${who} is mapped now, so delete it and build again`
                  : 'the ERROR instance cannot be repaired; delete it and build again once the host is mapped',
              },
            ]
          : []),
      ],
    };
  },
};
