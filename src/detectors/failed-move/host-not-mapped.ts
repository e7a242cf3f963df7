import { exceptionOfText } from '../../../parsers/exception-text.js';
import type { StoredEvent } from '../../correlate/event-store.js';
import { discoverHosts } from '../../facts/remediation-commands.js';
import type { Evidence } from '../../model/finding.js';
import { fieldsOf } from '../../signatures/move.js';
import { type Cause, logEvidence, sameHost } from '../detector.js';
import { failedAt } from '../failed-build/causes/host-not-mapped.js';
import { hostMappedAt } from '../failed-build/mapped-at.js';
import { type MoveEvidence, phrase } from './evidence.js';

/**
 * A live migration forced to a host that has no host_mappings row: the
 * conductor's check of the destination's cell (nova/conductor/tasks/
 * live_migrate.py _get_destination_cell_mapping, Pike+) turns the
 * HostMappingNotFound into MigrationPreCheckError with nova's own reason
 * "Unable to determine in which cell destination host %s lives." (catalogued
 * as destination-host-not-mapped; the class's wrapper comes translated). A
 * pre-check refusal by its form, a missing discover_hosts by its cause:
 * tried before precheck-failed.
 */

const REASON = 'destination-host-not-mapped';

/** The host a MigrationPreCheckError's reason names as unmapped, when the reason is nova's. */
function unmappedIn(reason: string | undefined): string | undefined {
  const t = reason ? exceptionOfText(reason, ['MigrationPreCheckError']) : undefined;
  return t?.reason === REASON ? t.fields.s1 : undefined;
}

/** The line that says the destination is unmapped, and the host it names. */
function refusal(ev: MoveEvidence): { host: string; event: StoredEvent } | undefined {
  const api = ev.move.api;
  if (api?.refusedWith === 'MigrationPreCheckError') {
    const host = unmappedIn(api.fields.reason);
    if (host) return { host, event: api.event };
  }
  for (const e of [...ev.move.signals, ...ev.related]) {
    if (e.level !== 'WARNING' && e.level !== 'ERROR' && !e.undated) continue;
    const chain = e.exceptionChain ?? (e.exception ? [e.exception] : []);
    const pre =
      fieldsOf(e, ['MigrationPreCheckError'])?.reason ??
      chain.find((x) => x.type === 'MigrationPreCheckError')?.message.replace(/^[^:]*:\s*/, '');
    const host = unmappedIn(pre);
    if (host) return { host, event: e };
    // The traceback's chain: HostMappingNotFound, during whose handling the pre-check's error was raised.
    if (chain.some((x) => x.type === 'MigrationPreCheckError')) {
      const name = fieldsOf(e, ['HostMappingNotFound'])?.name;
      if (name) return { host: name, event: e };
    }
  }
  return undefined;
}

export const destinationNotMapped: Cause<MoveEvidence> = {
  code: 'host-not-mapped',
  title: 'The destination forced for a live migration has no cell mapping',
  decidedBy:
    "MigrationPreCheckError whose reason is nova's \"Unable to determine in which cell destination host %s lives.\" (the conductor's HostMappingNotFound for a forced destination, Pike+; the class's text in any language), or the pre-check's chain naming HostMappingNotFound",
  action:
    'run nova-manage cell_v2 discover_hosts (unless the host was mapped since), check the destination is an up compute service, then migrate again',
  details: '`operation`, `source`, `destination`, `state`, `mappedLater` (when the host got its mapping after the failure)',
  headline: (v, what) =>
    `${what} refused: ${v.details.destination ?? 'the destination'} ${v.details.mappedLater ? 'was not yet mapped to a cell' : 'is not mapped to a cell'}`,
  decide(ev) {
    const r = refusal(ev);
    if (!r) return undefined;
    const { ctx } = ev;
    const host = r.host;
    const what = phrase({ ...ev, destination: host });
    const evidence: Evidence[] = [logEvidence(r.event)];
    const gaps: string[] = [];
    const when = failedAt(ctx, ev.move);
    const mapped = hostMappedAt(ctx, host);
    const later = mapped && when && mapped.ms > when.ms ? mapped : undefined;
    if (later) evidence.push(later.evidence);
    else if (mapped && when)
      gaps.push(
        `${host} has a mapping dated ${mapped.at}, before the refusal at ${when.at}: its mapping may have been deleted and made again, or the clocks disagree`,
      );
    const unmapped = ctx.findings.find((f) => f.code === 'unmapped-host' && !!f.subject.host && sameHost(f.subject.host, host));
    if (unmapped) evidence.push(...unmapped.evidence.slice(-1));
    else if (!ctx.facts.api && !later) gaps.push('no nova_api dump: host_mappings could not be checked');
    if (later && !('line' in later.evidence.source))
      gaps.push("the host_mappings row's created_at is nova's time (UTC); the log times are compared as written");
    const left = ev.state ? ` The instance was left ${ev.state}, where it was.` : '';
    const server = ev.move.instanceUuid ?? '<server>';
    return {
      code: 'host-not-mapped',
      summary: later
        ? `The ${what} was refused by its pre-check: ${host} had no host_mappings row at the refusal (${when!.at}), so the conductor could not tell which cell it is in; it was mapped later, at ${later.at}.${left}`
        : `The ${what} was refused by its pre-check: ${host} has no host_mappings row (discover_hosts was not run after it was added), so the conductor cannot tell which cell it is in.${left}`,
      details: {
        operation: ev.operation,
        source: ev.source,
        destination: host,
        state: ev.state,
        ...(later ? { mappedLater: later.at } : {}),
      },
      evidence,
      gaps,
      events: later?.event ? [later.event] : [],
      remediation: [
        ...(later
          ? []
          : (unmapped?.remediation ?? [
              discoverHosts(
                ctx.ix,
                undefined,
                false,
                `maps ${host} (and any other new compute) to its cell, so moves to it pass the pre-check`,
              ),
            ])),
        {
          command: `openstack compute service list --service nova-compute --host ${host}`,
          why: `${host}'s compute service: up and enabled is what the move needs besides its mapping`,
        },
        {
          command: `openstack server migrate --live-migration --host ${host} ${server}`,
          why: `${later ? `${host} is mapped now: migrate again` : `migrate again once ${host} is mapped`}; without --force (gone in microversion 2.68) the scheduler checks the host as well`,
        },
      ],
    };
  },
};
