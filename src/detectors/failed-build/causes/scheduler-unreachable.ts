import type { StoredEvent } from '../../../correlate/event-store.js';
import { framesOf } from '../../../signatures/compute-failure.js';
import { conductorScheduleFailed, schedulerUtilsBuildFailedText } from '../../../signatures/conductor.js';
import { matches } from '../../../signatures/signature.js';
import { type Cause, logEvidence } from '../../detector.js';
import type { BuildEvidence } from '../evidence.js';

/**
 * The conductor asked the scheduler for hosts (an RPC call, select_destinations) and no answer came within
 * rpc_response_timeout: oslo.messaging raised MessagingTimeout in the conductor, which ended the build (buried in
 * cell0 from Ocata, set to ERROR before) or the move (the instance set back to its state). Nothing was decided about
 * hosts or resources: the scheduler was down, stuck, not consuming its queue, or the message bus lost the call.
 */

/** oslo.messaging's own text of the timeout (amqpdriver, every release), for a line that names no class. */
const TIMED_OUT = /\bTimed out waiting for a reply to message ID [0-9a-f]{32}\b/;

/** The scheduler's side of a build's scheduling, as the conductor's traceback passes through it. */
const SCHEDULING_FRAMES: readonly string[] = ['select_destinations', '_schedule_instances'];

function timedOut(e: StoredEvent): boolean {
  const chain = e.exceptionChain ?? (e.exception ? [e.exception] : []);
  return chain.some((x) => x.type === 'MessagingTimeout') || TIMED_OUT.test(e.message);
}

/**
 * The line is the conductor's scheduling step failing: its own words (Ocata+), scheduler utils' "Failed to
 * compute_task_build_instances: <text>" (before Ocata build_instances logged it for what its scheduling raised), or a
 * traceback through the scheduler's call.
 */
function inScheduling(e: StoredEvent): boolean {
  return (
    matches(conductorScheduleFailed, e) ||
    matches(schedulerUtilsBuildFailedText, e) ||
    framesOf(e).some((f) => SCHEDULING_FRAMES.includes(f))
  );
}

export const schedulerUnreachable: Cause<BuildEvidence> = {
  code: 'scheduler-unreachable',
  title: 'The scheduler did not answer the conductor',
  decidedBy:
    "MessagingTimeout (oslo.messaging's 'Timed out waiting for a reply to message ID …') in the conductor's scheduling step (its 'Failed to schedule instances', scheduler utils' 'Failed to compute_task_build_instances', or a traceback through select_destinations): its call to the scheduler got no answer",
  action:
    'check that the schedulers are up and consuming their queue, and the message bus between them and the conductors; then build again (nothing about hosts or resources was decided)',
  details: '`error` (the exception the call raised)',
  headline: (_v, what) => `${what} failed: the scheduler did not answer`,
  decide({ build: b, related }) {
    const e = [...b.signals, ...related].find((x) => timedOut(x) && inScheduling(x));
    if (!e) return undefined;
    return {
      code: 'scheduler-unreachable',
      summary:
        'The conductor asked the scheduler for a host and got no answer in time (MessagingTimeout): the scheduler was down, stuck or not consuming its queue, or the message bus lost the call. No host or resource was judged.',
      details: { error: e.exception?.type ?? 'MessagingTimeout' },
      evidence: [logEvidence(e)],
      gaps: [],
      remediation: [
        {
          command: 'openstack compute service list --service nova-scheduler',
          why: 'the schedulers must be up; one down or stuck leaves the calls sent to it unanswered',
        },
        {
          command: 'rabbitmqctl list_queues name messages consumers | grep scheduler   # on the broker',
          why: "the scheduler's queue needs consumers, and messages piling up in it mean the schedulers do not keep up",
        },
        {
          command: 'grep rpc_response_timeout /etc/nova/nova.conf   # on the conductors',
          why: 'how long the conductor waits for the answer (60 s by default); the scheduler log of that minute says whether it was working on the request',
        },
      ],
    };
  },
};
