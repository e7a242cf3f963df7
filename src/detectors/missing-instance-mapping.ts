import type { StoredEvent } from '../correlate/event-store.js';
import { apiClientNotFound, apiHttpException, apiServer404 } from '../signatures/api.js';
import { apiStory, changingRequests, instanceLines, problems } from '../signatures/context.js';
import type { Evidence } from '../model/finding.js';
import { tsMs } from '../model/clock.js';
import { type DetectContext, type Detector, incidentId, logEvidence, short, signalled, span, timeline, UUID_RE } from './detector.js';
import { IncidentList } from './incident-list.js';

/**
 * The API says an instance does not exist while a cell database holds it
 * (seed 000's 404): nova-api's "HTTP exception thrown: …" (logger
 * nova.api.openstack.wsgi) or a client's NotFound in httpd's error_log, for a
 * uuid that is a live instance without an instance_mappings row.
 */

const SIGNALS = [apiHttpException, apiClientNotFound, apiServer404];

/**
 * Without the databases, the instance is shown to exist only by its compute
 * logging it at or after the 404 (a lone 404 is a client asking for a server
 * that is gone, or never was: nothing to report).
 */
function aliveOnCompute(ctx: DetectContext, uuid: string, after: StoredEvent): StoredEvent | undefined {
  const at = tsMs(after.ts) - (ctx.offsets.get(after.host) ?? 0);
  return ctx.store
    .related([], [uuid])
    .find((e) => e.service === 'nova-compute' && e.instanceUuid === uuid && tsMs(e.ts) - (ctx.offsets.get(e.host) ?? 0) >= at);
}

/** The instance a 404 was about: the uuid in the request's path, or in the message. */
function notFoundUuid(e: StoredEvent): string | undefined {
  const text = e.http ? e.http.path : e.message;
  return UUID_RE.exec(text)?.[0];
}

export const missingInstanceMapping: Detector = {
  kind: 'missing-instance-mapping',
  name: 'instance the API cannot find',
  plural: 'instances the API cannot find',
  title: 'Running instances the API cannot find',
  description:
    'The API answering 404 for an instance a cell database holds alive, because nova_api.instance_mappings has no row for it (or maps it to no cell).',
  causes: [
    {
      code: 'missing-instance-mapping',
      title: 'The instance exists but has no instance mapping',
      decidedBy: "the audit's missing-instance-mapping finding: a live instances row in a cell without its instance_mappings row",
      action: 'recreate the mapping with nova-manage cell_v2 map_instances for its cell',
    },
    {
      code: 'unknown',
      title: 'A 404 for an instance its compute still logs, without the databases',
      decidedBy:
        'no dump of nova_api and the cells, but a nova-compute line names the instance at or after the 404: it exists, whether it is mapped cannot be told',
      action: "add the controller's sosreport with the database dumps",
    },
  ],
  details: '`cellDb`, `host`, `vmState`',
  signatures: SIGNALS,
  context: [problems, instanceLines, changingRequests, apiStory],
  detect(ctx) {
    const byUuid = new Map<string, StoredEvent[]>();
    const signals = new Map<number, StoredEvent>();
    for (const sig of SIGNALS) for (const e of signalled(ctx, sig)) signals.set(e.seq, e);
    for (const e of [...signals.values()].sort((a, b) => a.seq - b.seq)) {
      const u = notFoundUuid(e);
      if (!u) continue;
      const list = byUuid.get(u);
      if (list) list.push(e);
      else byUuid.set(u, [e]);
    }
    const incidents = new IncidentList(ctx, missingInstanceMapping);
    for (const [uuid, events] of byUuid) {
      const inst = ctx.ix.instance(uuid);
      const haveDump = ctx.facts.cells.length > 0 && !!ctx.facts.api;
      // Only an instance that exists makes the 404 an incident; a 404 for a deleted one is the API being right.
      // The audit rule decides what counts as unmapped (no row, or a row without a cell).
      const finding = ctx.findings.find((f) => f.code === 'missing-instance-mapping' && f.subject.instanceUuid === uuid);
      if (haveDump && (!inst || !finding)) continue;
      const alive = haveDump ? undefined : aliveOnCompute(ctx, uuid, events[0]);
      if (!haveDump && !alive) continue;
      const evidence: Evidence[] = [
        ...events.map((e) => logEvidence(e)),
        ...(finding?.evidence ?? []),
        ...(alive ? [logEvidence(alive, `${alive.host}'s nova-compute logs the instance after the 404: it exists`)] : []),
      ];
      const gaps: string[] = [];
      if (!finding)
        gaps.push(
          'no database dump with nova_api and the cells: whether the instance is unmapped (or mapped to no cell) cannot be checked',
        );
      const how = ctx.ix.instanceMappings.has(uuid) ? 'maps it to no cell (cell_id NULL)' : 'has no row for it';
      const reqs = [...new Set(events.map((e) => e.requestId).filter((x): x is string => !!x))];
      const ofReqs = new Set(reqs);
      const isSignal = new Set(events);
      const related = ctx.store
        .related(reqs, [uuid])
        .filter((e) => ofReqs.has(e.requestId ?? '') || e.instanceUuid === uuid || isSignal.has(e));
      const tl = timeline(ctx, related, (e) => isSignal.has(e), gaps);
      const { start, end } = span(tl);
      incidents.add({
        id: incidentId('missing-instance-mapping', uuid),
        kind: 'missing-instance-mapping',
        title: `Instance ${inst?.displayName ? `${inst.displayName} ` : ''}(${short(uuid)}) ${inst?.host ? `runs on ${inst.host} but ` : ''}the API answers 404`,
        severity: 'error',
        instanceUuid: uuid,
        requestIds: reqs,
        hosts: [...new Set([...tl.map((t) => t.host), ...(inst?.host ? [inst.host] : []), ...(alive ? [alive.host] : [])])],
        start,
        end,
        count: events.length,
        cause:
          finding && inst
            ? {
                code: 'missing-instance-mapping',
                summary: `Instance ${uuid} exists in ${inst.cellDb}${inst.host ? ` and runs on ${inst.host}` : ''}, but nova_api.instance_mappings ${how}, so the API cannot find its cell and answers "could not be found" (HTTP 404).`,
                details: { cellDb: inst.cellDb, host: inst.host, vmState: inst.vmState },
              }
            : {
                code: 'unknown',
                summary: `The API answered 404 for ${uuid}, while ${alive?.host ?? 'its compute'} still logs the instance: it exists, so the API could not find its cell. Without the nova_api and cell dumps, a missing (or cell-less) instance mapping is the likely cause but cannot be confirmed.`,
                details: { host: alive?.host },
              },
        evidence,
        timeline: tl,
        remediation: finding?.remediation ?? [
          {
            command: 'nova-manage cell_v2 map_instances --cell_uuid <cell uuid>',
            why: 'recreates the missing instance mappings of a cell',
          },
        ],
        gaps,
      });
    }
    return incidents.list();
  },
};
