import type { StoredEvent } from '../../correlate/event-store.js';
import { classifyEventFailure, eventFailure, failureLabel } from '../../signatures/compute-failure.js';
import { computeInstanceErrored } from '../../signatures/compute.js';
import { match } from '../../signatures/signature.js';
import { type Cause, logEvidence } from '../detector.js';
import { hostsTried } from '../failed-build/causes/max-retries-exceeded.js';
import { type MoveEvidence, phrase } from './evidence.js';
import { conductorRefusal } from './moves.js';

/**
 * A resize or cold migration whose destinations all failed it: each failed
 * prep_resize (its claim, its checks) reschedules through the conductor
 * (nova/compute/manager.py _reschedule_resize_or_reraise), which logs the last
 * host's error ("Error from last host", nova/scheduler/utils.py
 * _log_compute_error) and, the attempts or the alternates (Queens+) spent,
 * raises MaxRetriesExceeded (populate_retry, Liberty+; conductor/tasks/
 * migrate.py "Exhausted all hosts available…", Queens+). The conductor's
 * refusal names it; each host's own error is the cause to fix.
 */

/** Exceptions that carry another host's error, or the running out itself: not a destination's own. */
const WRAPPERS = new Set(['MaxRetriesExceeded', 'NoValidHost', 'RescheduledException', 'RemoteError']);

/** A destination's own error from its compute log: the first ERROR of the instance there naming a telling class or cause. */
function computeOwnErrors(
  ev: MoveEvidence,
  known: ReadonlySet<string>,
): { host: string; cause: string; error: string; event: StoredEvent }[] {
  const out = new Map<string, { host: string; cause: string; error: string; event: StoredEvent }>();
  for (const e of ev.related) {
    if (e.service !== 'nova-compute' || e.level !== 'ERROR' || e.instanceUuid !== ev.move.instanceUuid) continue;
    const host = e.host.split('.')[0];
    if (known.has(host) || out.has(host)) continue;
    const { types, texts } = eventFailure(e);
    const kind = classifyEventFailure(e);
    if (!kind && !types.some((t) => !WRAPPERS.has(t))) continue;
    out.set(host, { host, cause: kind?.code ?? 'unknown', error: failureLabel(types, texts[0]), event: e });
  }
  return [...out.values()];
}

export const moveMaxRetriesExceeded: Cause<MoveEvidence> = {
  code: 'max-retries-exceeded',
  title: 'Every destination tried failed the move',
  decidedBy:
    'the conductor\'s refusal is MaxRetriesExceeded ("Exceeded maximum number of retries", any language): the reschedules of a resize or cold migration ran out; each host\'s own error from the conductor\'s "Error from last host" and the computes\' ERRORs of the instance',
  action:
    "read each destination's own error and fix it there (its resources, disk, networking); if the instance was left ERROR on its source, reset it to active, then move again",
  details:
    '`operation`, `source`, `state`, `attemptedHosts[]` (`host`, `node`, `cause`: the compute-side cause code of that attempt, `error`)',
  headline: (_v, what) => `${what} failed on every destination tried`,
  decide(ev) {
    if (ev.refusedWith !== 'MaxRetriesExceeded') return undefined;
    const tried = hostsTried(ev.scheduling());
    const known = new Set(tried.attemptedHosts.map((a) => a.host.split('.')[0]));
    const own = computeOwnErrors(ev, known);
    const attemptedHosts = [...tried.attemptedHosts, ...own.map(({ event: _e, ...a }) => a)];
    // The compute of the last destination puts the instance in ERROR after the conductor set it back (prep_resize's
    // _error_out_instance_on_exception): its line, else the conductor's.
    const errored = ev.related.find((e) => e.instanceUuid === ev.move.instanceUuid && match(computeInstanceErrored, e));
    const state = errored ? 'ERROR' : ev.state;
    const refusal = ev.move.signals.find((e) => conductorRefusal(e));
    const evidence = [
      ...tried.evidence.filter(
        (x) => !own.some((o) => 'line' in x.source && x.source.line === o.event.line && x.source.file === o.event.file),
      ),
      ...own.map((o) => logEvidence(o.event, `attempt on ${o.host}: ${o.error}`)),
      ...(refusal ? [logEvidence(refusal)] : []),
      ...(errored ? [logEvidence(errored)] : []),
    ];
    const gaps = attemptedHosts.length ? [] : tried.gaps;
    const server = ev.move.instanceUuid ?? '<server>';
    const list = attemptedHosts.map((a) => `${a.host} (${a.error})`).join(', ');
    return {
      code: 'max-retries-exceeded',
      summary: `The ${phrase(ev)} failed on every destination tried and its retries ran out (MaxRetriesExceeded)${list ? `: ${list}` : ''}.${state ? ` The instance was left ${state}${state === 'ERROR' ? ', still on its source' : ''}.` : ''}`,
      details: { operation: ev.operation, source: ev.source, state, attemptedHosts },
      evidence,
      gaps,
      remediation: [
        {
          command: `openstack server event list ${server}`,
          why: "the move's action and each of its attempts; the instance's fault holds the last destination's error",
        },
        ...tried.lastHostCommands,
        ...(state === 'ERROR'
          ? [
              {
                command: `openstack server set --state active ${server}`,
                why: 'a failed prep_resize leaves the guest running on its source with the instance in ERROR: once `openstack server show` puts it on the source and the guest runs there, this lets it be moved again',
              },
            ]
          : []),
      ],
    };
  },
};
