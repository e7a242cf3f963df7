import type { StoredEvent } from '../correlate/event-store.js';
import { tsMs } from '../model/clock.js';
import { amount, resourceList } from '../model/amounts.js';
import type { Instance } from '../model/db.js';
import type { Evidence, Remediation } from '../model/finding.js';
import type { Incident, IncidentCause } from '../model/incident.js';
import { firstLine, incidentId, logEvidence, short, span, timeline, UUID_RE, type DetectContext, type Detector } from './detector.js';
import { fitRequest } from '../facts/placement-fit.js';
import { discoverHosts, placementAudit } from '../facts/remediation-commands.js';
import { exceptionOfText } from '../../parsers/exception-text.js';

/**
 * Builds that ended in ERROR, and why. Signals (structure and exception
 * classes, never translated text): the conductor's ERROR with NoValidHost /
 * MaxRetriesExceeded, nova.scheduler.utils' "Setting instance to ERROR state"
 * warning with its exception, BuildAbortException on a compute, the
 * conductor's host-to-cell mapping error, instances buried in cell0. The
 * cause comes from the request's placement query and the database.
 * Where the conductor's log is not among the inputs, the scheduler's own
 * refusal of a request (its filters removed every host, or placement had no
 * candidate) stands for the failure, and the incident says what is missing.
 */

const UUIDS = new RegExp(UUID_RE.source, 'g');
const BUILD_EXCEPTIONS = new Set([
  'NoValidHost',
  'MaxRetriesExceeded',
  'HostMappingNotFound',
  'BuildAbortException',
  'RescheduledException',
]);
const PLACEMENT_DOWN = new Set([
  'ConnectFailure',
  'EndpointNotFound',
  'DiscoveryFailure',
  'ServiceUnavailable',
  'ConnectTimeout',
  'ResourceProviderRetrievalFailed',
  'ResourceProviderAllocationRetrievalFailed',
  'PlacementAPIConnectFailure',
]);
// Log templates (nova no longer translates log messages since Pike; exception texts are what come translated).
const NO_HOST_MAPPING = /No host-to-cell mapping found for selected host (\S+?)\.? Setup is incomplete/;
const FILTER_ZERO = /^Filter (\w+) returned 0 hosts/;
const FILTER_RESULTS = /^Filtering removed all hosts for the request with instance ID '([0-9a-f-]{36})'\. Filter results: (.*)$/;
const ERROR_FROM_HOST = /^Error from last host: (\S+) \(node (\S+)\): (.*)$/s;
const EXCEEDED_ATTEMPTS = /^Exceeded max scheduling attempts (\d+) for instance ([0-9a-f-]{36})/;
const NO_CANDIDATES = /^Got no allocation candidates from the Placement API/;
const SCHEDULE_FOR = /^Starting to schedule for instances: \[(.*)\]/;
const STARTED_EMPTY = /^Starting with 0 host\(s\)/;
const NOT_ENOUGH_HOSTS = /^There are \d+ hosts available but \d+ instances requested to build/;
// scheduler utils' set_vm_state_and_notify: 'Failed to %(service)s_%(method)s: %(ex)s'. The method is code, never translated;
// builds log build_instances, moves migrate_server and rebuild_server (evacuate too).
const BUILD_METHOD = /\bcompute_task_build_instances\s*[:：]\s*/;
const MOVE_METHOD = /compute_task_migrate_server|compute_task_rebuild_server/;

interface Build {
  key: string;
  instanceUuid?: string;
  requestIds: Set<string>;
  signals: StoredEvent[];
  dbInstance?: Instance;
  /** Only the scheduler's refusal was read: no conductor or compute line of the failure. */
  schedulerOnly?: boolean;
}

/**
 * The exception a failure signal names: its class where the line has one, else
 * from its text after scheduler utils' "Failed to compute_task_build_instances:"
 * (nova logs `str(exc)` there, without the class; its message formats in every language name it).
 */
function failureClass(e: StoredEvent | undefined): string | undefined {
  if (!e) return undefined;
  if (e.exception) return e.exception.type;
  const m = BUILD_METHOD.exec(e.message);
  return m ? exceptionOfText(e.message.slice(m.index + m[0].length))?.type : undefined;
}

function isBuildFailureEvent(e: StoredEvent): boolean {
  const logger = e.logger ?? '';
  const ex = e.exception?.type;
  if (logger.startsWith('nova.conductor') && e.level === 'ERROR' && (NO_HOST_MAPPING.test(e.message) || (ex && BUILD_EXCEPTIONS.has(ex))))
    return true;
  if (logger === 'nova.scheduler.utils' && e.level === 'WARNING' && e.instanceUuid && ex && BUILD_EXCEPTIONS.has(ex)) return true;
  if (logger === 'nova.scheduler.utils' && EXCEEDED_ATTEMPTS.test(e.message)) return true;
  if (logger === 'nova.compute.manager' && e.level === 'ERROR' && e.instanceUuid && ex === 'BuildAbortException') return true;
  return false;
}

/** The scheduler refused the request: its filters removed every host, or placement had no candidate. */
function isSchedulerRefusal(e: StoredEvent): boolean {
  const logger = e.logger ?? '';
  return (
    (logger === 'nova.filters' && FILTER_RESULTS.test(e.message)) || (logger.startsWith('nova.scheduler') && NO_CANDIDATES.test(e.message))
  );
}

/**
 * A refusal that ended the request. No candidates always raises NoValidHost.
 * Filters that removed every host may be the re-run that picks alternates for
 * the 2nd and later instances of a multi-create (Queens+), after which the
 * build goes on: final only with the scheduler's own "not enough hosts", with
 * filters that started empty (the first pass had none either), or for a
 * request of one instance.
 */
function refusalIsFinal(ctx: DetectContext, e: StoredEvent): boolean {
  if (NO_CANDIDATES.test(e.message)) return true;
  const events = e.requestId ? (ctx.store.byRequest.get(e.requestId) ?? []) : [];
  if (events.some((x) => NOT_ENOUGH_HOSTS.test(x.message) || (x.logger === 'nova.filters' && STARTED_EMPTY.test(x.message)))) return true;
  const list = events.map((x) => SCHEDULE_FOR.exec(x.message)).find((m) => m !== null);
  return !!list && [...list[1].matchAll(UUIDS)].length === 1;
}

function collect(ctx: DetectContext): Build[] {
  const byKey = new Map<string, Build>();
  // The conductor's errors name no instance; the request's other lines do.
  const instanceOfRequest = (req: string): string | undefined => {
    const events = ctx.store.byRequest.get(req) ?? [];
    for (const e of events) if (e.instanceUuid && e.logger === 'nova.scheduler.utils') return e.instanceUuid;
    const named = new Set<string>();
    for (const e of events) {
      const list = SCHEDULE_FOR.exec(e.message);
      if (list) for (const u of list[1].matchAll(UUIDS)) named.add(u[0]);
      const put = e.http?.method === 'PUT' ? /^\/(?:placement\/)?allocations\/([0-9a-f-]{36})$/.exec(e.http.path) : null;
      if (put) named.add(put[1]);
    }
    return named.size === 1 ? [...named][0] : undefined;
  };
  const add = (key: string, inst: string | undefined, e: StoredEvent, schedulerOnly?: boolean): void => {
    let b = byKey.get(key);
    if (!b) byKey.set(key, (b = { key, instanceUuid: inst, requestIds: new Set(), signals: [], schedulerOnly }));
    if (e.requestId) b.requestIds.add(e.requestId);
    b.signals.push(e);
  };
  const known = (): Set<string> => new Set([...byKey.values()].flatMap((b) => [...b.requestIds]));

  for (const e of ctx.store.events) {
    if (!isBuildFailureEvent(e)) continue;
    // scheduler-utils "Failed to compute_task_migrate_server" is a move, not a build
    if (MOVE_METHOD.test(e.message)) continue;
    const req = e.requestId;
    const inst = e.instanceUuid ?? EXCEEDED_ATTEMPTS.exec(e.message)?.[2] ?? (req ? instanceOfRequest(req) : undefined);
    add(inst ?? req ?? `${e.host}:${e.file}:${e.line}`, inst, e);
  }

  // scheduler utils' "Failed to compute_task_build_instances: <exception text>" (the text without its class):
  // a failure of its own only where no line above names the request or the instance (a one-line excerpt).
  const named = known();
  for (const e of ctx.store.events) {
    if (e.logger !== 'nova.scheduler.utils' || e.level !== 'WARNING' || !BUILD_METHOD.test(e.message)) continue;
    const req = e.requestId;
    const inst = e.instanceUuid ?? (req ? instanceOfRequest(req) : undefined);
    if ((req && named.has(req)) || (inst && byKey.has(inst))) continue;
    add(inst ?? req ?? `${e.host}:${e.file}:${e.line}`, inst, e);
  }

  // Where no conductor line of the request was read, the scheduler's refusal is the only line of the failure
  // (the conductor logs every scheduling failure it gets back, a build's or a move's, under the same request id).
  const seen = known();
  const conductorSaw = (req: string): boolean => (ctx.store.byRequest.get(req) ?? []).some((x) => x.service === 'nova-conductor');
  for (const e of ctx.store.events) {
    if (!isSchedulerRefusal(e)) continue;
    const req = e.requestId;
    if (req && (seen.has(req) || conductorSaw(req))) continue;
    const inst = e.instanceUuid ?? FILTER_RESULTS.exec(e.message)?.[1] ?? (req ? instanceOfRequest(req) : undefined);
    // Without the instance neither the database nor the API can tell a build from a move (a resize refused at INFO).
    if (!inst || !refusalIsFinal(ctx, e)) continue;
    const existing = byKey.get(inst);
    if (existing && !existing.schedulerOnly) continue;
    add(inst, inst, e, true);
  }
  // Builds buried in cell0 that left no log here: the database still tells.
  for (const cell of ctx.facts.cells) {
    for (const i of cell.instances) {
      if (i.vmState !== 'error' || i.deleted !== 0) continue;
      if (!ctx.ix.isCell0(cell.db)) continue;
      const b = byKey.get(i.uuid) ?? { key: i.uuid, instanceUuid: i.uuid, requestIds: new Set<string>(), signals: [] };
      b.dbInstance = i;
      // Buried in cell0: the database confirms what the scheduler's refusal only suggested.
      b.schedulerOnly = false;
      byKey.set(i.uuid, b);
    }
  }
  for (const b of byKey.values()) if (b.instanceUuid && !b.dbInstance) b.dbInstance = ctx.ix.instance(b.instanceUuid);
  return [...byKey.values()];
}

const isCandidatesQuery = (e: StoredEvent): boolean => !!e.placementQuery?.resources && !!e.http?.path.endsWith('allocation_candidates');

/**
 * Before placement logged the caller's request id (Pike), the query of a
 * build is found by time: the last candidates query before the scheduler gave
 * up, within the request's span.
 */
function queryByTime(ctx: DetectContext, related: StoredEvent[]): StoredEvent | undefined {
  const own = related.filter((e) => e.service !== 'placement-api');
  if (own.length === 0) return undefined;
  const at = (e: StoredEvent): number => tsMs(e.ts) - (ctx.offsets.get(e.host) ?? 0);
  const from = Math.min(...own.map(at)) - 2_000;
  const to = Math.max(...own.filter((e) => e.level === 'ERROR' || e.level === 'WARNING').map(at), from + 2_000);
  let best: StoredEvent | undefined;
  for (const e of ctx.store.events) {
    if (!isCandidatesQuery(e) || e.globalRequestId) continue;
    const t = at(e);
    if (t >= from && t <= to && (!best || t > at(best))) best = e;
  }
  return best;
}

function requested(
  ctx: DetectContext,
  b: Build,
  related: StoredEvent[],
): { resources?: Record<string, number>; from?: string; evidence?: Evidence } {
  let q = related.find(isCandidatesQuery);
  let byTime = false;
  if (!q) {
    q = queryByTime(ctx, related);
    if (q) {
      byTime = true;
      related.push(q);
    }
  }
  if (q)
    return {
      resources: q.placementQuery!.resources,
      from: 'the placement query',
      evidence: logEvidence(
        q,
        `placement was asked GET ${q.http!.path}?${q.http!.query ?? ''} → ${Object.entries(q.placementQuery!.resources!)
          .map(([k, v]) => `${k}:${v}`)
          .join(', ')}${byTime ? " (matched by time: placement did not log the caller's request id)" : ''}`,
      ),
    };
  const spec = b.instanceUuid ? ctx.facts.api?.requestSpecs.find((s) => s.instanceUuid === b.instanceUuid) : undefined;
  if (spec?.resources)
    return {
      resources: spec.resources,
      from: 'the request spec',
      evidence: {
        text: `request spec of ${b.instanceUuid}: flavor ${spec.flavor?.name ?? '?'} asks ${Object.entries(spec.resources)
          .map(([k, v]) => `${k}:${v}`)
          .join(', ')}`,
        source: spec.source,
      },
    };
  const i = b.dbInstance;
  if (i && i.vcpus !== undefined) {
    const r: Record<string, number> = { VCPU: i.vcpus, MEMORY_MB: i.memoryMb ?? 0, DISK_GB: (i.rootGb ?? 0) + (i.ephemeralGb ?? 0) };
    return {
      resources: r,
      from: 'the instance record',
      evidence: { text: `${i.cellDb}.instances ${i.uuid}: vcpus=${i.vcpus} memory_mb=${i.memoryMb} root_gb=${i.rootGb}`, source: i.source },
    };
  }
  return {};
}

interface Diagnosis {
  code: IncidentCause;
  summary: string;
  details: Record<string, unknown>;
  evidence: Evidence[];
  remediation: Remediation[];
  gaps: string[];
}

/** What every check reads and adds to; evidence, gaps and details accumulate in check order. */
interface Diagnosing {
  ctx: DetectContext;
  b: Build;
  related: StoredEvent[];
  evidence: Evidence[];
  gaps: string[];
  details: Record<string, unknown>;
  haveDump: boolean;
}

/** The causes in the order they are tried: the first that holds is the diagnosis. */
function diagnose(ctx: DetectContext, b: Build, related: StoredEvent[]): Diagnosis {
  const d: Diagnosing = { ctx, b, related, evidence: [], gaps: [], details: {}, haveDump: !!ctx.facts.placement };
  return hostNotMapped(d) ?? maxRetriesExceeded(d) ?? placementUnreachable(d) ?? fromCandidates(d);
}

/** The conductor could not map the host the scheduler picked. */
function hostNotMapped(d: Diagnosing): Diagnosis | undefined {
  const { ctx, b, related, evidence, gaps, details, haveDump } = d;
  const mapErr = related.find((e) => NO_HOST_MAPPING.test(e.message)) ?? b.signals.find((e) => NO_HOST_MAPPING.test(e.message));
  const fault = b.instanceUuid
    ? ctx.facts.cells.flatMap((c) => c.instanceFaults).find((f) => f.instanceUuid === b.instanceUuid)
    : undefined;
  // The fault's text comes translated; the database's structure does not: the
  // scheduler's claim left on an unmapped host by an instance buried in cell0.
  const claim = b.instanceUuid
    ? ctx.findings.find((f) => f.code === 'orphan-allocation' && f.cause === 'host-not-mapped' && f.subject.consumerUuid === b.instanceUuid)
    : undefined;
  const faultUnmapped = fault && /HostMappingNotFound|not mapped to any cell/.test(`${fault.message ?? ''} ${fault.details ?? ''}`);
  if (mapErr || claim || faultUnmapped) {
    const claimHost = (claim?.details?.providers as { name?: string }[] | undefined)?.[0]?.name;
    const host = mapErr ? NO_HOST_MAPPING.exec(mapErr.message)![1] : (claimHost ?? /Host '([^']+)'/.exec(fault!.message ?? '')?.[1]);
    if (mapErr) evidence.push(logEvidence(mapErr));
    if (fault)
      evidence.push({ text: `${fault.cellDb}.instance_faults: ${fault.code} ${firstLine(fault.message ?? '')}`, source: fault.source });
    const unmapped = ctx.findings.find((f) => f.code === 'unmapped-host' && f.subject.host === host);
    if (unmapped) evidence.push(...unmapped.evidence.slice(-1));
    else if (!haveDump) gaps.push('no database dump: host_mappings could not be checked');
    details.host = host;
    const leak = ctx.findings.find((f) => f.code === 'orphan-allocation' && f.subject.consumerUuid === b.instanceUuid);
    if (leak) {
      details.leakedAllocation = leak.resources;
      evidence.push(leak.evidence[0]);
    }
    return {
      code: 'host-not-mapped',
      summary: `The scheduler picked ${host}, which has no host_mappings row (discover_hosts was not run after it was added); the conductor buried the instance in cell0.${leak ? " The scheduler's allocation on that host was left behind." : ''}`,
      details,
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
  }

  return undefined;
}

/** Retries ran out: each host's own error. */
function maxRetriesExceeded(d: Diagnosing): Diagnosis | undefined {
  const { b, related, evidence, gaps, details } = d;
  const maxRetries =
    related.find((e) => e.exception?.type === 'MaxRetriesExceeded' || EXCEEDED_ATTEMPTS.test(e.message)) ??
    b.signals.find((e) => failureClass(e) === 'MaxRetriesExceeded');
  if (maxRetries) {
    const attempts = related
      .filter((e) => ERROR_FROM_HOST.test(e.message))
      .map((e) => {
        const m = ERROR_FROM_HOST.exec(e.message)!;
        const exc = /(\w+(?:Exception|Error|Failed|Exceeded))[:']/.exec(m[3]);
        return { host: m[1], node: m[2], error: exc?.[1] ?? firstLine(m[3], 160), event: e };
      });
    const computeErrors = related.filter((e) => e.service === 'nova-compute' && e.level === 'ERROR' && e.instanceUuid === b.instanceUuid);
    for (const a of attempts) evidence.push(logEvidence(a.event, `attempt on ${a.host}: ${a.error}`));
    for (const e of computeErrors) evidence.push(logEvidence(e));
    evidence.push(logEvidence(maxRetries));
    details.attemptedHosts = attempts.map((a) => ({ host: a.host, node: a.node, error: a.error }));
    if (attempts.length === 0 && computeErrors.length === 0)
      gaps.push(
        'the attempted hosts\' errors are not in the logs read (no conductor "Error from last host" lines, no compute log of the attempts)',
      );
    return {
      code: 'max-retries-exceeded',
      summary: `Every attempted host failed the build and the scheduler ran out of retries${attempts.length ? `: ${attempts.map((a) => `${a.host} (${a.error})`).join(', ')}` : ''}.`,
      details,
      evidence,
      gaps,
      remediation: [
        {
          command: `openstack server show ${b.instanceUuid ?? '<server>'} -c fault`,
          why: "the fault holds the last host's error; fix that (networking/port binding, disk, image) on the computes, then rebuild",
        },
      ],
    };
  }

  return undefined;
}

/** Placement could not be reached. */
function placementUnreachable(d: Diagnosing): Diagnosis | undefined {
  const { related, evidence, gaps } = d;
  const down = related.find(
    (e) => (e.exception && PLACEMENT_DOWN.has(e.exception.type)) || (e.service === 'placement-api' && (e.http?.status ?? 0) >= 500),
  );
  if (down) {
    evidence.push(logEvidence(down));
    return {
      code: 'placement-unreachable',
      summary: `The scheduler could not get allocation candidates: placement ${down.http ? `answered ${down.http.status}` : `was unreachable (${down.exception!.type})`}.`,
      details: { exception: down.exception?.type, status: down.http?.status },
      evidence,
      gaps,
      remediation: [
        {
          command: 'openstack endpoint list --service placement',
          why: 'check the placement endpoint nova uses ([placement] section of nova.conf) and that placement-api answers',
        },
      ],
    };
  }

  return undefined;
}

/** Placement returned no candidates: a class nobody offers, max_unit, capacity, the filters, or not enough to tell. */
function fromCandidates(d: Diagnosing): Diagnosis {
  const { ctx, b, related, evidence, gaps, details, haveDump } = d;
  const noCandidates = related.find((e) => NO_CANDIDATES.test(e.message));
  if (noCandidates) evidence.push(logEvidence(noCandidates));
  const search = related.filter((e) => e.placementSearch?.outcome === 'none');
  for (const s of search) evidence.push(logEvidence(s));
  const req = requested(ctx, b, related);
  if (req.evidence) evidence.unshift(req.evidence);
  if (req.resources) details.requested = req.resources;
  const filterZero = related.filter((e) => FILTER_ZERO.test(e.message) || FILTER_RESULTS.test(e.message));

  if (req.resources?.PCPU && req.from !== 'the placement query' && haveDump && !offered(ctx, 'PCPU')) {
    // No compute reports PCPU: nova asks VCPU instead (the fallback query; the only kind before Train).
    const { PCPU, ...rest } = req.resources;
    req.resources = { ...rest, VCPU: (rest.VCPU ?? 0) + PCPU };
    details.requested = req.resources;
    gaps.push('the flavor asks dedicated CPUs (PCPU), which no provider reports: checked as VCPU, the query nova falls back to');
  }
  return (
    classNotOffered(d, req.resources) ??
    (req.resources && haveDump && filterZero.length === 0 ? fitVerdict(d, req.resources) : undefined) ??
    filtersRejected(d, filterZero) ??
    notEnough(d, req.resources, search)
  );
}

/** Does any provider have inventory of this class? */
function offered(ctx: DetectContext, rc: string): boolean {
  for (const m of ctx.ix.inventories.values()) if (m.has(rc)) return true;
  return false;
}

/** The request names a class no provider has inventory of. */
function classNotOffered(d: Diagnosing, resources: Record<string, number> | undefined): Diagnosis | undefined {
  const { ctx, evidence, gaps, details, haveDump } = d;
  if (!resources || !haveDump || ctx.ix.inventories.size === 0) return undefined;
  const notOffered = Object.keys(resources).filter((rc) => resources[rc] > 0 && !offered(ctx, rc));
  if (notOffered.length === 0) return undefined;
  details.notOffered = notOffered;
  return {
    code: 'resource-class-not-offered',
    summary: `The request asks ${notOffered.map((rc) => `${resources[rc]} ${rc}`).join(', ')}, which no resource provider has inventory of, so placement can return no candidate: no compute reports ${notOffered.length > 1 ? 'these classes' : 'this class'} (a missing device, driver option or provider config on the computes, or a flavor asking for the wrong class).`,
    details,
    evidence,
    gaps,
    remediation: [
      {
        command: `openstack resource provider inventory list <compute provider uuid>`,
        why: `see which classes the computes report; ${notOffered.join(', ')} must appear on at least one`,
      },
      { command: `openstack flavor show <flavor> -c properties`, why: 'check the resources:* extra specs the flavor asks' },
    ],
  };
}

/** The dump's inventories and usage against the request: max_unit, else capacity. */
function fitVerdict(d: Diagnosing, resources: Record<string, number>): Diagnosis | undefined {
  const { ctx, evidence, gaps, details } = d;
  const fits = fitRequest(ctx.ix, resources);
  details.providers = fits.map((p) => ({
    uuid: p.providerUuid,
    name: p.name,
    fits: p.fits,
    fitsWithoutOrphans: p.fitsWithoutOrphans,
    classes: p.classes,
  }));
  const maxUnitBlocked = Object.entries(resources).filter(
    ([rc, amount]) =>
      fits.length > 0 &&
      fits.every((p) => p.classes.some((c) => c.resourceClass === rc && (c.reason === 'max_unit' || c.reason === 'no inventory'))) &&
      fits.some((p) => p.classes.some((c) => c.resourceClass === rc && c.reason === 'max_unit')) &&
      amount > 0,
  );
  if (maxUnitBlocked.length > 0) {
    const [rc, amount] = maxUnitBlocked[0];
    const largest = Math.max(...fits.flatMap((p) => p.classes.filter((c) => c.resourceClass === rc).map((c) => c.maxUnit)));
    const inv = [...ctx.ix.inventories.values()].map((m) => m.get(rc)).find((i) => i && i.maxUnit === largest);
    const finding = ctx.findings.find((f) => f.code === 'max-unit-too-small' && f.subject.resourceClass === rc);
    if (inv)
      evidence.push({
        text: `${inv.source.db}.inventories: the largest ${rc} max_unit is ${largest} (total ${inv.total}, allocation_ratio ${inv.allocationRatio})`,
        source: inv.source,
      });
    Object.assign(details, {
      resourceClass: rc,
      requestedAmount: amount,
      maxUnit: largest,
      allocationRatio: inv?.allocationRatio,
      blockedClasses: maxUnitBlocked.map(([c]) => c),
    });
    return {
      code: 'max-unit-exceeded',
      summary: `The request asks ${amount} ${rc}; the largest ${rc} max_unit on any provider is ${largest}. allocation_ratio${inv ? ` ${inv.allocationRatio}` : ''} raises capacity, not max_unit, so placement returns no candidate and the scheduler raises NoValidHost with an empty reason.`,
      details,
      evidence,
      gaps,
      remediation: [
        {
          command: `openstack flavor list --long`,
          why: `pick a flavor with at most ${largest} ${rc}: no single host can give a guest more than it has`,
        },
        ...(finding ? finding.remediation.slice(0, 1) : []),
      ],
    };
  }
  if (fits.length > 0 && fits.every((p) => !p.fits)) {
    const tipped = fits.filter((p) => p.fitsWithoutOrphans);
    for (const p of fits) {
      for (const c of p.classes.filter((x) => !x.fits)) {
        const inv = ctx.ix.inventories.get(ctx.ix.providersByUuid.get(p.providerUuid)!.id)?.get(c.resourceClass);
        evidence.push({
          text: `${p.name ?? p.providerUuid}: ${c.resourceClass} used ${c.used} of ${amount(c.capacity)} (headroom ${amount(c.headroom)}) < ${c.requested} requested${c.orphanUsed ? `; ${c.orphanUsed} of the usage is orphaned${c.doubledUsed ? ` (${c.doubledUsed} by doubled consumers)` : ''}` : ''}`,
          source: inv?.source ?? { db: ctx.facts.placement!.db, table: 'inventories', key: p.providerUuid },
        });
      }
    }
    const orphanFindings = ctx.findings.filter(
      (f) =>
        f.code === 'orphan-allocation' && Object.keys((f.resources ?? {}) as object).some((u) => fits.some((p) => p.providerUuid === u)),
    );
    details.orphanConsumers = orphanFindings.length;
    details.tippedByOrphans = tipped.map((p) => p.name ?? p.providerUuid);
    if (orphanFindings.length > 0)
      evidence.push({
        text: `${orphanFindings.length} orphan-allocation finding(s) on these providers (see findings)`,
        source: { db: ctx.facts.placement!.db, table: 'allocations', key: 'orphans' },
      });
    const classes = [...new Set(fits.flatMap((p) => p.classes.filter((c) => !c.fits).map((c) => c.resourceClass)))];
    return {
      code: 'insufficient-capacity',
      summary: `No provider has room for ${resourceList(resources)}: ${classes.join(', ')} headroom is below the request everywhere.${tipped.length ? ` Orphaned and doubled allocations tip it: without them ${tipped.map((p) => p.name ?? p.providerUuid).join(', ')} would fit the request.` : ''}`,
      details,
      evidence,
      gaps: [
        ...gaps,
        `capacity is read from the dump (taken ${ctx.facts.dumps[0]?.path ? 'with the sosreport' : 'later'}), not at the time of the failure`,
      ],
      remediation: tipped.length
        ? [
            {
              command: 'nova-forensics audit <the controller sosreport>',
              why: 'lists each orphaned consumer with its own command; review them against the live cloud',
            },
            ...tipped.flatMap(
              (p) =>
                placementAudit(
                  ctx.ix,
                  p.providerUuid,
                  true,
                  `removes the orphaned allocations on ${p.name ?? p.providerUuid} after review, giving back the capacity the build needs`,
                ) ?? [],
            ),
          ]
        : [
            {
              command: 'openstack resource provider usage show <provider>',
              why: 'the cloud is genuinely full for this flavor: add compute capacity, free instances, or use a smaller flavor',
            },
          ],
    };
  }
  return undefined;
}

/** The scheduler's filters removed every host. */
function filtersRejected(d: Diagnosing, filterZero: StoredEvent[]): Diagnosis | undefined {
  const { related, evidence, gaps, details } = d;
  if (filterZero.length === 0) return undefined;
  const last = filterZero[filterZero.length - 1];
  const name =
    FILTER_ZERO.exec(last.message)?.[1] ??
    /\('(\w+)', None\)/.exec(last.message)?.[1] ??
    /(\w+Filter): \(start: \d+, end: 0\)/.exec(last.message)?.[1];
  for (const e of filterZero) evidence.push(logEvidence(e));
  const why = name
    ? related
        .filter((e) => e.logger?.startsWith('nova.scheduler.filters') || (e.message.includes(name) && !filterZero.includes(e)))
        .slice(0, 5)
    : [];
  for (const e of why) evidence.push(logEvidence(e));
  details.filter = name;
  if (why.length) details.filterReasons = why.map((e) => firstLine(e.message, 200));
  // The filters ran on no host at all: nothing reached them, and the first filter named is only where it showed.
  const empty = related.find((e) => e.logger === 'nova.filters' && STARTED_EMPTY.test(e.message));
  if (empty) {
    evidence.unshift(logEvidence(empty));
    details.startedWithHosts = 0;
  }
  return {
    code: 'filters-rejected-all-hosts',
    summary: empty
      ? `No host reached the scheduler's filters (they started with 0 hosts), so ${name ?? 'the first filter'} had none to pass. From Pike on, the filters get the compute nodes of placement's candidates that the scheduler finds in the cells it loaded when it started (a cell added later stays unseen until nova-scheduler restarts) and that have a nova-compute service record; a requested destination (a move, or a build with --host) narrows them further. Before Pike, 0 hosts means placement returned no provider (Ocata) or there were no compute node records.`
      : `The scheduler's ${name ?? 'filters'} removed the last candidate hosts${why.length ? `: ${firstLine(why[0].message, 160)}` : ''}.`,
    details,
    evidence,
    gaps,
    remediation: [
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
  };
}

/** Not enough evidence to tell: say what was missing. */
function notEnough(d: Diagnosing, resources: Record<string, number> | undefined, search: StoredEvent[]): Diagnosis {
  const { ctx, b, evidence, gaps, details, haveDump } = d;
  if (!ctx.servicesRead.has('nova-scheduler')) gaps.push("no nova-scheduler log: the scheduler's decision is not known");
  if (!ctx.servicesRead.has('placement-api')) gaps.push('no placement log: the candidates query is not known');
  if (!haveDump) gaps.push('no database dump: inventories, usage and max_unit could not be checked');
  if (!resources) gaps.push('the requested resources are not known (no placement query, request spec or instance record)');
  if (search.length) details.placementFoundNone = search.map((s) => `${s.placementSearch!.amount} ${s.placementSearch!.resourceClass}`);
  return {
    code: 'unknown',
    summary: `The build failed${failureClass(b.signals[0]) ? ` with ${failureClass(b.signals[0])}` : ''}, but the evidence read does not show why${search.length ? `; placement found no provider with ${details.placementFoundNone}` : ''}.`,
    details,
    evidence,
    gaps,
    remediation: [
      {
        command: `openstack server show ${b.instanceUuid ?? '<server>'} -c fault`,
        why: 'the fault message and the scheduler log (with debug = True) of the failure time say more',
      },
    ],
  };
}

/** `what` is "Build of NAME (uuid)", or "Scheduling of …" when only the scheduler's refusal was read. */
const TITLES: Record<string, (d: Diagnosis, what: string) => string> = {
  'max-unit-exceeded': (d, what) =>
    `${what} failed: ${d.details.requestedAmount} ${d.details.resourceClass} exceeds every provider's max_unit (${d.details.maxUnit})`,
  'insufficient-capacity': (_d, what) => `${what} failed: no provider has room`,
  'host-not-mapped': (d, what) => `${what} failed: ${d.details.host} is not mapped to a cell`,
  'filters-rejected-all-hosts': (d, what) =>
    `${what} failed: ${d.details.startedWithHosts === 0 ? "no host reached the scheduler's filters" : `${d.details.filter ?? 'scheduler filters'} removed every host`}`,
  'max-retries-exceeded': (_d, what) => `${what} failed on every host tried`,
  'placement-unreachable': (_d, what) => `${what} failed: placement unreachable`,
  'resource-class-not-offered': (d, what) => `${what} failed: no provider offers ${(d.details.notOffered as string[]).join(', ')}`,
  unknown: (_d, what) => `${what} failed`,
};

export const failedBuild: Detector = {
  kind: 'failed-build',
  title: 'Builds that ended in ERROR',
  causes: [
    'max-unit-exceeded',
    'insufficient-capacity',
    'host-not-mapped',
    'filters-rejected-all-hosts',
    'max-retries-exceeded',
    'placement-unreachable',
    'resource-class-not-offered',
    'unknown',
  ],
  detect(ctx) {
    const incidents: Incident[] = [];
    for (const b of collect(ctx)) {
      // A build that failed once and was rescheduled to success is not an incident.
      if (b.dbInstance && b.dbInstance.vmState === 'active' && b.dbInstance.host) continue;
      // A refusal alone: an instance the database shows alive, or any sign of a move, makes it no failed build.
      if (b.schedulerOnly && b.dbInstance && b.dbInstance.vmState !== 'error') continue;
      const reqs = [...b.requestIds];
      const related = ctx.store.related(reqs, b.instanceUuid ? [b.instanceUuid] : []);
      if (
        b.schedulerOnly &&
        (related.some((e) => MOVE_METHOD.test(e.message) || /\/servers\/[0-9a-f-]{36}\/action$/.test(e.http?.path ?? '')) ||
          (b.instanceUuid && ctx.ix.migrationsByInstance.get(b.instanceUuid)?.length))
      )
        continue;
      for (const s of b.signals) if (!related.includes(s)) related.push(s);
      const d = diagnose(ctx, b, related);
      const name = b.dbInstance?.displayName;
      const first = b.signals[0];
      const who = b.instanceUuid
        ? `${name ? `${name} ` : ''}(${short(b.instanceUuid)})`
        : reqs[0]
          ? `request ${reqs[0]}`
          : `an instance logged at ${first ? `${first.host} line ${first.line}` : 'an unknown place'}`;
      const what = `${b.schedulerOnly ? 'Scheduling of' : 'Build of'} ${who}`;
      if (b.schedulerOnly) {
        d.gaps.push(
          "only the scheduler's refusal was read (no nova-conductor line of the request): that the instance was set to ERROR is inferred; a move (migrate, resize, evacuate) refused the same way would look alike",
        );
      }
      if (!b.instanceUuid)
        d.gaps.push(
          reqs.length
            ? 'no line read names the instance: the failure is known by its request id only'
            : 'no line read names the instance or a request: the failure is known by its log line only',
        );
      const failingSeqs = new Set(b.signals.map((s) => s.seq));
      const tl = timeline(ctx, related, (e) => failingSeqs.has(e.seq));
      const evidence = [...d.evidence];
      for (const s of b.signals)
        if (!evidence.some((x) => 'line' in x.source && x.source.line === s.line && x.source.file === s.file))
          evidence.push(logEvidence(s));
      if (b.dbInstance)
        evidence.push({
          text: `${b.dbInstance.cellDb}.instances: ${b.dbInstance.uuid} vm_state=${b.dbInstance.vmState} host=${b.dbInstance.host ?? 'NULL'}${ctx.ix.isCell0(b.dbInstance.cellDb) ? ' (buried in cell0)' : ''}`,
          source: b.dbInstance.source,
        });
      if (b.signals.length === 0)
        d.gaps.push('no log line of the failure was read: the incident comes from the database (instance buried in cell0)');
      const { start, end } = span(tl);
      incidents.push({
        id: incidentId('failed-build', b.key),
        kind: 'failed-build',
        title: (TITLES[d.code] ?? TITLES.unknown)(d, what),
        severity: 'error',
        instanceUuid: b.instanceUuid,
        requestIds: reqs,
        hosts: [...new Set(tl.map((t) => t.host))],
        start: start ?? b.dbInstance?.createdAt,
        end,
        count: Math.max(1, b.signals.filter((s) => s.level === 'ERROR').length),
        cause: { code: d.code, summary: d.summary, details: d.details },
        evidence,
        timeline: tl,
        remediation: d.remediation,
        gaps: d.gaps,
      });
    }
    return incidents;
  },
};
