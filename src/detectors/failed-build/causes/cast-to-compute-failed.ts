import type { Remediation } from '../../../model/finding.js';
import { conductorBuildCastFailed } from '../../../signatures/conductor.js';
import { matches } from '../../../signatures/signature.js';
import { type Cause, logEvidence } from '../../detector.js';
import type { BuildEvidence } from '../evidence.js';

/**
 * The scheduler chose a host, and the conductor could not send it the build: the compute RPC cast
 * build_and_run_instance raised in the conductor. What raised says where to look: the message bus of the
 * cell (its transport_url, which the conductor reads from the cell mapping, not from nova.conf), or the RPC
 * version cap the oldest registered compute service sets. No compute ever saw the build, and nothing set the
 * instance to ERROR: it stays in BUILD.
 */

/** oslo.messaging's own refusal by the version cap (its class, any release). */
const VERSION_CAP = 'RPCVersionCapError';

function commands(error: string | undefined): Remediation[] {
  if (error === VERSION_CAP)
    return [
      {
        command: 'openstack compute service list --service nova-compute',
        why: 'a compute service of an older release still registered (down, or long gone) pins the compute RPC version for every cast; delete the dead ones',
      },
      {
        command: 'grep -A3 "^\\[upgrade_levels\\]" /etc/nova/nova.conf   # on the conductors',
        why: 'a compute version pinned by hand caps it too; remove the pin once every compute is upgraded, then restart the conductors',
      },
    ];
  return [
    {
      command: 'nova-manage cell_v2 list_cells --verbose',
      why: "the conductor sends builds over the cell mapping's transport_url (stored in the API database, not read from nova.conf): its user, password and host must be the broker's (it prints the password: keep its output out of a ticket)",
    },
    {
      command: 'rabbitmqctl list_users; rabbitmqctl list_permissions -p <vhost>   # on the broker',
      why: "the broker's own log says why it refused the conductor's connection",
    },
  ];
}

export const castToComputeFailed: Cause<BuildEvidence> = {
  code: 'cast-to-compute-failed',
  title: 'The conductor could not send the build to the chosen compute',
  decidedBy:
    "a conductor traceback from schedule_and_build_instances (or build_instances) into the compute RPC API's build_and_run_instance: the cast itself raised (the message bus refused it, or RPCVersionCapError)",
  action:
    "fix what the cast's error names (the cell's transport_url and the broker, or the compute RPC version an old service pins), then delete the instance stuck in BUILD and build again",
  details: '`error` (the exception the cast raised)',
  headline: (v, what) => `${what} never reached a compute: ${v.details.error ?? 'the RPC cast failed'}`,
  decide({ build: b, related }) {
    const cast = b.signals.find((e) => matches(conductorBuildCastFailed, e)) ?? related.find((e) => matches(conductorBuildCastFailed, e));
    if (!cast) return undefined;
    const error = cast.exception?.type;
    return {
      code: 'cast-to-compute-failed',
      summary: `The scheduler chose a host, but the conductor could not send it the build: the compute RPC cast build_and_run_instance raised ${error ?? 'an error'}. No compute received the build, and the instance stays in BUILD.`,
      details: { error },
      evidence: [logEvidence(cast)],
      gaps: [],
      remediation: commands(error),
    };
  },
};
