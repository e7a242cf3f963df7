import type { StoredEvent } from '../../correlate/event-store.js';
import { uniqueBy } from '../repeats.js';
import { allocationVerdicts, providerHost } from '../../facts/allocation-verdicts.js';
import { healAllocations } from '../../facts/remediation-commands.js';
import { resourceList } from '../../model/amounts.js';
import type { Evidence, Remediation } from '../../model/finding.js';
import type { Incident } from '../../model/incident.js';
import {
  pastedConsumerAllocations,
  pastedMigrationList,
  pastedProviderAllocations,
  pastedServerState,
} from '../../signatures/cli-state.js';
import { conductorHostNotMapped } from '../../signatures/conductor.js';
import { pastedFault } from '../../signatures/fault.js';
import { changingRequests, computeStory, instanceLines, problems, trackerStory } from '../../signatures/context.js';
import {
  computePowerSync,
  reportStaleAllocationDeleted,
  trackerAllocationsDeleted,
  trackerMoved,
  trackerNotFound,
  trackerNotManaged,
  trackerPeriodicAudit,
} from '../../signatures/compute.js';
import { match as signatureMatch } from '../../signatures/signature.js';
import {
  type DetectContext,
  type Detector,
  decideCause,
  firstLine,
  hostFacts,
  incidentId,
  logEvidence,
  resourcesFromRepr,
  sameHost,
  short,
  signalled,
  span,
  namedHost,
  timeline,
  type Verdict,
} from '../detector.js';
import { IncidentList } from '../incident-list.js';
import { ALLOCATION_CAUSES, type AllocationEvidence } from './causes.js';
import { pastedFailures } from '../pasted-faults.js';
import { cliServers } from '../cli-state.js';
import { allocationIncidentId, type Complaint, cliComplaints, complaints, migrationFromLogs, resolution } from './complaints.js';
import { powerSyncs } from './power-sync.js';

/**
 * The resource tracker's complaints about allocations it will not heal
 * (nova/compute/resource_tracker.py `_remove_deleted_instances_allocations`):
 * "is not being actively managed by this compute host but has allocations",
 * "has been moved to another host … allocations remaining", "has
 * allocations against this compute host but is not found in the database".
 * Each host's complaint about one consumer is decided on its own, then the
 * complaints of one root cause become one incident: a failed live migration
 * leaves the instance's claim on the destination ("moved to another host")
 * and the migration's on the source ("not found"), two hosts, one incident.
 * A complaint the logs show resolved (healed, or no longer repeated while the
 * tracker kept running) gives none.
 */

/** One complaint, decided: what an incident is assembled from. */
interface Decided {
  g: Complaint;
  d: Verdict;
  ev: AllocationEvidence;
  /** The instance the allocation is of (a migration's instance for a migration consumer). */
  instanceUuid: string;
  /** Complaints with one root cause share it. */
  root: string;
  held?: Record<string, number>;
  evidence: Evidence[];
  gaps: string[];
  remediation: Remediation[];
  domain?: { name: string; state: string };
  sync?: StoredEvent;
}

function gather(ctx: DetectContext, g: Complaint, haveDump: boolean): AllocationEvidence {
  // The audit's verdict on this consumer's allocation on this host: one rule for both.
  const verdict = allocationVerdicts(ctx.ix).find((v) => v.consumer === g.consumer && sameHost(providerHost(ctx.ix, v.provider), g.host));
  const migration = verdict?.migration ?? ctx.ix.migrations.get(g.consumer);
  const consumerIsMigration = migration?.uuid === g.consumer;
  const instance = verdict?.instance ?? ctx.ix.instance(consumerIsMigration ? (migration!.instanceUuid ?? '') : g.consumer);
  const archived = verdict?.archived ?? (instance || consumerIsMigration ? undefined : ctx.ix.archived.get(g.consumer));
  const elsewhere = !!instance?.host && !ctx.ix.isDeleted(instance) && !sameHost(instance.host, g.host);
  const lastTs = g.events[g.events.length - 1].ts;
  const unmappedLine = signalled(ctx, conductorHostNotMapped).find(
    (e) => e.ts <= lastTs && sameHost(signatureMatch(conductorHostNotMapped, e)?.host, g.host),
  );
  const logMigration = !migration && !instance && !archived ? migrationFromLogs(ctx, g.consumer) : undefined;
  const cliServer = g.cli ? cliServers(ctx).get(g.consumer) : undefined;
  const cliMove = cliServer ? pastedFailures(ctx).find((f) => f.instanceUuid === g.consumer && f.move) : undefined;
  return {
    ctx,
    g,
    haveDump,
    verdict,
    migration,
    consumerIsMigration,
    instance,
    archived,
    elsewhere,
    unmappedLine,
    logMigration,
    cliServer,
    cliMove,
    cliMigration: g.cliMigration,
  };
}

function decide(ctx: DetectContext, g: Complaint, haveDump: boolean): Decided {
  const ev = gather(ctx, g, haveDump);
  const { verdict, migration, consumerIsMigration, instance, elsewhere } = ev;
  const d = decideCause(ALLOCATION_CAUSES, ev);
  const first = g.events[0];
  const last = g.events[g.events.length - 1];
  const evidence: Evidence[] = [
    logEvidence(
      first,
      g.doubled
        ? `resource provider allocation show ${g.consumer}: ${g.doubled.map((a) => `provider ${a.providerUuid} holds ${resourceList(a.resources)}`).join('; ')}`
        : g.cli
          ? `resource provider show --allocations: provider ${g.cli.providerUuid} (${g.host}) holds ${g.consumer}: ${resourceList(g.cli.resources)}`
          : `${g.host}: ${firstLine(first.message, 260)}${g.events.length > 1 ? ` (logged ${g.events.length} times, until ${last.ts})` : ''}`,
    ),
    ...d.evidence,
  ];
  const gaps = [...d.gaps];
  // A doubled consumer's amounts are each provider's, said per provider.
  const held = g.doubled ? undefined : (g.cli?.resources ?? resourcesFromRepr(first.message));
  const finding = ctx.findings.find(
    (f) =>
      f.code === 'orphan-allocation' &&
      f.subject.consumerUuid === g.consumer &&
      (!f.subject.providerUuid || f.subject.providerUuid === verdict?.provider.uuid),
  );
  if (finding) evidence.push(finding.evidence[0]);
  else if (haveDump && !verdict)
    gaps.push(`the dump holds no allocation for this consumer on ${g.host} any more: it may have been cleaned after the logs`);
  // The hypervisor's side: power sync counts and the leftover domain.
  // Only after a dated warning can a power sync be said to come after it.
  const sync = first.ts ? powerSyncs(ctx).get(g.host)?.firstFrom(first.ts.slice(0, 16)) : undefined;
  if (sync) evidence.push(logEvidence(sync));
  const hf = hostFacts(ctx, g.host);
  const instanceUuid = (consumerIsMigration ? migration!.instanceUuid : undefined) ?? ev.logMigration?.instance ?? g.consumer;
  const domain = hf?.domains.find((x) => x.uuid === instanceUuid);
  if (domain)
    evidence.push({
      text: `${g.host}: libvirt domain ${domain.name} (uuid ${domain.uuid}) is ${domain.state}${domain.vcpus ? `, ${domain.vcpus} vCPU` : ''}`,
      source: { host: g.host, file: domain.source, line: 1 },
    });
  else if (g.doubled)
    gaps.push(
      'which of the providers is the host the server runs on is not in the paste: `openstack server show` (its hypervisor_hostname) and `openstack resource provider list` (names by uuid) say it',
    );
  else if (!hf || hf.domains.length === 0)
    gaps.push(`no virsh list/dominfo output for ${g.host}: whether a domain is left on the hypervisor is not known`);

  const remediation: Remediation[] = [];
  if (g.doubled && !finding && !verdict) {
    remediation.push(
      {
        command: `openstack server show ${g.consumer} -c OS-EXT-SRV-ATTR:hypervisor_hostname -c status -c OS-EXT-STS:task_state; openstack resource provider list`,
        why: 'where the server runs, and which provider uuid is that host: the allocation on the other one is the leftover (none is while a move is in progress)',
      },
      {
        command: `nova-manage placement audit --verbose --resource_provider <the other provider's uuid>`,
        why: 'confirms against the live databases that nothing justifies the allocation there (Train and later)',
      },
      {
        command: `openstack resource provider allocation unset --provider <the other provider's uuid> ${g.consumer}`,
        why: "releases that provider's copy and keeps the server's allocation where it runs (`allocation delete` would remove both)",
      },
    );
  } else if (g.cli && !finding && !verdict) {
    // Only this provider's allocation is stale: the instance's own, where it runs, stays.
    remediation.push(
      {
        command: `nova-manage placement audit --verbose --resource_provider ${g.cli.providerUuid}`,
        why: `confirms against the live databases that nothing (no instance on ${g.host}, no migration through it) justifies the allocation (Train and later)`,
      },
      {
        command: `openstack resource provider allocation unset --provider ${g.cli.providerUuid} ${g.consumer}`,
        why: `releases ${resourceList(g.cli.resources)} on ${g.host} and keeps the instance's allocation on the host it runs on (\`allocation delete\` would remove both)`,
      },
    );
  } else if (verdict?.justified) {
    remediation.push({
      command: `openstack resource provider allocation show ${g.consumer}`,
      why: 'confirm against the live cloud; nothing needs removing while the allocation is justified',
    });
  } else if (finding) {
    // The audit's commands know whether the consumer keeps good allocations elsewhere, and the release.
    remediation.push(...finding.remediation);
  } else {
    remediation.push(
      { command: `openstack resource provider allocation show ${g.consumer}`, why: 'see what the consumer holds before removing it' },
      {
        command: `openstack resource provider allocation delete ${g.consumer}`,
        why: `releases ${held ? resourceList(held) : 'the allocations'}; only once \`openstack server show ${instanceUuid}\` confirms no live instance or migration owns them (this deletes all its allocations, on every host)`,
      },
    );
  }
  // A live instance left with no allocation that justifies it (a failed move's claims are all stale) needs its own recreated.
  const alive = instance && !ctx.ix.isDeleted(instance) && !!instance.host;
  const unjustified = alive && !allocationVerdicts(ctx.ix).some((v) => v.consumer === instance.uuid && v.justified);
  if ((d.code === 'instance-on-other-host' && instance && elsewhere) || (d.code === 'failed-migration' && unjustified)) {
    const heal = healAllocations(
      ctx.ix,
      instance!.uuid,
      d.code === 'failed-migration'
        ? `once the stale allocations are removed, recreates the instance's own allocation on the host it runs on (${instance!.host})`
        : `rewrites the instance's allocations on the host it runs on (${instance!.host})`,
    );
    if (heal) remediation.push(heal);
  }
  if (d.code === 'host-not-mapped' && !ctx.ix.mappedHosts.has(g.host))
    remediation.unshift({
      command: 'nova-manage cell_v2 discover_hosts --verbose',
      why: `maps ${g.host} to its cell, so builds scheduled there stop being buried in cell0`,
    });
  // Only a domain nova no longer owns here may go: never the guest of a failed move that still runs on this host.
  const stray = domain && domain.state !== 'running' && instance && (ctx.ix.isDeleted(instance) || elsewhere);
  if (stray)
    remediation.push({
      command: `virsh dominfo ${domain.name} && virsh undefine ${domain.name}   # on ${g.host}`,
      why: `the domain of ${ctx.ix.isDeleted(instance) ? 'the deleted instance' : `an instance now on ${instance.host}`} is still defined (${domain.state}); undefine it so the power sync stops counting it (check its disks first)`,
    });
  if (!verdict?.justified && !g.cli && !g.doubled)
    remediation.push({
      command: `systemctl restart nova-compute   # on ${g.host}, or restart its container`,
      why: 'the next periodic audit then stops warning',
    });

  // One root cause: a migration named by the dump, else the instance the allocation is of. A justified allocation stands alone.
  const rootMigration = d.code === 'failed-migration' ? (consumerIsMigration ? migration : verdict?.migration) : undefined;
  const root = verdict?.justified
    ? `justified|${g.host}|${g.consumer}`
    : rootMigration
      ? `migration|${rootMigration.uuid ?? rootMigration.id}`
      : `instance|${instanceUuid}`;
  return { g, d, ev, instanceUuid, root, held, evidence, gaps, remediation, domain, sync };
}

/** The first cause in the detector's order among the merged complaints wins; `unknown` only when all are. */
function primary(members: Decided[]): Decided {
  const rank = (x: Decided): number =>
    x.d.code === 'unknown' ? ALLOCATION_CAUSES.length : ALLOCATION_CAUSES.findIndex((c) => c.code === x.d.code);
  return [...members].sort((a, b) => rank(a) - rank(b) || a.g.events[0].seq - b.g.events[0].seq)[0];
}

/**
 * One "not being actively managed" warning, and nothing else about its
 * allocation or its root cause's other hosts: no dump, no domain, no
 * power sync after it, no cause. That is what the claim race of a build looks
 * like (bug 1838541: instance.host is set before the tracker tracks the
 * instance), and it proves nothing; the allocation is unmanaged when the
 * warning repeats on a later periodic run, or some evidence says why.
 */
function lone(x: Decided, haveDump: boolean): boolean {
  return x.g.variant === 'not-managed' && x.g.events.length === 1 && x.d.code === 'unknown' && !haveDump && !x.domain && !x.sync;
}

function incidentOf(ctx: DetectContext, members: Decided[]): Incident {
  const p = primary(members);
  const { g, d } = p;
  const others = members.filter((m) => m !== p);
  const events = members.flatMap((m) => m.g.events);
  const byTime = [...events].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.seq - b.seq));
  // A consumer's doubled allocations name providers by uuid only: no host is known.
  const hosts = uniqueBy(
    members.filter((m) => !m.g.doubled).map((m) => m.g.host),
    (h) => h,
  );
  const isMigration = p.ev.consumerIsMigration;
  const also = others.map((m) => ` Also on ${m.g.host}: ${m.d.summary}${m.held ? ` (holding ${resourceList(m.held)})` : ''}.`);
  const tlEvents = members.flatMap((m) => [
    ...m.g.events.slice(0, 3),
    ...(m.g.events.length > 3 ? [m.g.events[m.g.events.length - 1]] : []),
    ...(m.sync ? [m.sync] : []),
    ...(m.g.cliMigration ? [m.g.cliMigration.event] : []),
  ]);
  if (p.ev.unmappedLine && d.code === 'host-not-mapped') tlEvents.push(p.ev.unmappedLine);
  const tl = timeline(
    ctx,
    uniqueBy(tlEvents, (e) => String(e.seq)),
    // A compute's complaint is where it went wrong; a pasted provider table is only the state it left.
    (e) => e === g.events[0] && g.variant !== 'pasted' && g.variant !== 'doubled',
    p.gaps,
  );
  const { start } = span(tl);
  return {
    id: members.length === 1 ? allocationIncidentId(g.host, g.consumer) : incidentId('unmanaged-allocation', p.root),
    kind: 'unmanaged-allocation',
    title: g.doubled
      ? `${isMigration ? 'Migration' : 'Instance'} ${short(g.consumer)} holds allocations on ${g.doubled.length} compute providers at once`
      : hosts.length > 1
        ? `${hosts.join(' and ')} keep allocations of ${isMigration ? 'migration' : 'instance'} ${short(isMigration ? g.consumer : p.instanceUuid)} they do not manage`
        : `${namedHost(g.host) ?? 'A compute (the input names none)'} keeps allocations of ${isMigration ? 'migration' : 'instance'} ${short(g.consumer)} it does not manage`,
    severity: 'warning',
    instanceUuid: p.instanceUuid,
    requestIds: [...new Set(events.map((e) => e.requestId).filter((x): x is string => !!x))].slice(0, 1),
    hosts,
    start,
    end: byTime[byTime.length - 1].ts,
    count: events.length,
    cause: {
      code: d.code,
      summary: `${d.summary}.${p.held ? ` It holds ${resourceList(p.held)}.` : ''}${p.domain ? ` Libvirt still defines ${p.domain.name} (${p.domain.state}).` : ''}${also.join('')}`,
      details: {
        host: g.host,
        consumerUuid: g.consumer,
        migrationUuid: p.ev.migration?.uuid ?? (d.code === 'failed-migration' ? p.ev.verdict?.migration?.uuid : undefined),
        resources: p.held,
        occurrences: events.length,
        firstSeen: byTime[0].ts,
        lastSeen: byTime[byTime.length - 1].ts,
        domain: p.domain?.name,
        domainState: p.domain?.state,
        powerSync: p.sync ? Object.values(signatureMatch(computePowerSync, p.sync)!).map(Number) : undefined,
        ...d.details,
        ...(g.doubled ? { providers: g.doubled.map((a) => ({ uuid: a.providerUuid, resources: a.resources })) } : {}),
        ...(members.length > 1
          ? {
              complaints: members.map((m) => ({
                host: m.g.host,
                consumerUuid: m.g.consumer,
                cause: m.d.code,
                resources: m.held,
                occurrences: m.g.events.length,
                firstSeen: m.g.events[0].ts,
                lastSeen: m.g.events[m.g.events.length - 1].ts,
              })),
            }
          : {}),
      },
    },
    evidence: uniqueBy(
      members.flatMap((m) => m.evidence),
      (e) => e.text,
    ),
    timeline: tl,
    remediation: uniqueBy(
      members.flatMap((m) => m.remediation),
      (r) => r.command,
    ),
    gaps: uniqueBy(
      members.flatMap((m) => m.gaps),
      (x) => x,
    ),
  };
}

export const unmanagedAllocation: Detector<AllocationEvidence> = {
  kind: 'unmanaged-allocation',
  name: 'unmanaged allocation',
  title: 'Allocations a compute host will not heal',
  description:
    "A compute's resource tracker warning about allocations against its host for a consumer it does not manage, explained from the dump (failed or unfinished migration, build buried in cell0, deleted or archived instance, moved instance), the logs and libvirt's view; one incident per root cause across hosts. Without a tracker's warning, pasted CLI output showing a provider holding the allocation of a server that `server show` puts on another host, not moving, is the same finding, and so is a consumer whose own pasted `allocation show` holds compute resources on two providers at once.",
  causes: ALLOCATION_CAUSES,
  details:
    "`host`, `consumerUuid`, `migrationUuid`, `resources`, `occurrences`, `firstSeen`, `lastSeen`, `domain`, `domainState`, `powerSync` ([in the database, on the hypervisor]), `complaints` (each host's, when one root cause spans several), `providers[]` (a consumer's doubled allocations: each provider's uuid and resources)",
  signatures: [
    trackerNotManaged,
    trackerMoved,
    trackerNotFound,
    trackerAllocationsDeleted,
    reportStaleAllocationDeleted,
    trackerPeriodicAudit,
    computePowerSync,
    conductorHostNotMapped,
    pastedProviderAllocations,
    pastedConsumerAllocations,
    pastedServerState,
    pastedMigrationList,
    pastedFault,
  ],
  context: [problems, instanceLines, changingRequests, trackerStory, computeStory],
  detect(ctx) {
    const haveDump = ctx.facts.cells.length > 0;
    const roots = new Map<string, Decided[]>();
    const logged = complaints(ctx);
    for (const g of [...logged, ...cliComplaints(ctx, logged)]) {
      if (resolution(ctx, g)) continue;
      const x = decide(ctx, g, haveDump);
      const list = roots.get(x.root) ?? [];
      list.push(x);
      roots.set(x.root, list);
    }
    const incidents = new IncidentList(ctx, unmanagedAllocation);
    for (const members of roots.values()) if (!members.every((m) => lone(m, haveDump))) incidents.add(incidentOf(ctx, members));
    return incidents.list();
  },
};
