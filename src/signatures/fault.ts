import type { Event } from '../model/event.js';
import { BINDING_FAILED } from '../../parsers/paste/messages.js';
import { BUILD_EXCEPTIONS } from './conductor.js';
import type { Signature } from './signature.js';

/**
 * A server's fault pasted alone (parsers/fault-text.ts): what `server show`,
 * the API, a dashboard or a client printed when the server failed. It is the
 * failure itself, seen from outside: nova's instance fault
 * (nova/compute/utils.py add_instance_fault_from_exc, shown by
 * nova/api/openstack/compute/views/servers.py _get_fault, every release).
 * A message pasted alone with no fault's shape around it counts only where it
 * names a class that fails a build or a move (NoValidHost, BuildAbortException…),
 * or raises while doing what only a move does (the source's copy of the disk out of
 * `<uuid>_resize`): any other compute's log message pasted without its header is not a fault.
 */
export const pastedFault: Signature = {
  id: 'fault.pasted',
  description: "A server's fault, or a client's or dashboard's error standing for it, pasted without the logs of the failure.",
  source:
    "nova/compute/utils.py add_instance_fault_from_exc; the API's `fault` (views/servers.py _get_fault); clients and dashboards print it (every release)",
  // The reader makes every fault an ERROR event (a table or Heat event without one is INFO).
  levels: ['ERROR'],
  where: (e: Event) =>
    !!e.pasted?.fault &&
    // A client's error after a command of another action (adding a floating IP) is that action's.
    !e.pasted.action &&
    (e.pasted.shape !== 'message' ||
      (!!e.exception && (BUILD_EXCEPTIONS.includes(e.exception.type) || !!e.pasted.move)) ||
      // A port neutron could not bind, as nova's VIF code met it: the build's failure, whatever class carried it.
      BINDING_FAILED.test(e.message)),
  samples: [
    {
      line: "{u'code': 500,",
      more: [" u'created': u'2018-09-19T16:02:54Z',", " u'message': u'No valid host was found. '}"],
      seen: 'rubasov.github.io 2018-09-21 QoS minimum bandwidth demo (Stein; corpus), its details left out',
      pasted: true,
    },
    {
      line: '    oslo_concurrency.processutils.ProcessExecutionError: Unexpected error while running command.',
      more: [
        '    Command: scp -r /var/lib/nova/instances/8ca2c7e8-acae-404c-af7d-6cac38e354b8_resize/disk 192.0.2.2:/var/lib/nova/instances/8ca2c7e8-acae-404c-af7d-6cac38e354b8/disk',
        '    Exit code: 255',
      ],
      seen: 'openstack/kolla-ansible commit bfa9dd97 (2024.1 CI; corpus), its Stdout and Stderr lines left out',
      pasted: true,
    },
    {
      line: 'Error resizing server: 29cb7f21-2241-44f4-9ba9-61d8d840c026',
      seen: 'github airshipit/treasuremap#8 (2020; corpus)',
      pasted: true,
    },
    {
      line: '2016-03-02 13:52:07 [Controller]: CREATE_FAILED ResourceInError: resources.Controller: Went to status ERROR due to "Message: No valid host was found. There are not enough hosts available., Code: 500"',
      seen: 'github redhat-openstack/tripleo-quickstart#8 (2016, Mitaka; corpus), the terminal wrap joined',
      pasted: true,
    },
  ],
};
