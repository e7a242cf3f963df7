import type { Event } from '../model/event.js';
import type { Signature } from './signature.js';

/**
 * What a person's CLI output pasted beside a failure says of placement and of
 * a server now (parsers/fault-text.ts reads the table or the grep'd JSON into
 * `pasted.fields`): a provider's allocations per consumer, a server's host and
 * states. No fault: the state the failure left, read by
 * src/detectors/cli-state.ts into the same shape the dump's rows have.
 */
export const pastedProviderAllocations: Signature = {
  id: 'cli.provider-allocations',
  description: '`openstack resource provider show --allocations` pasted: the provider (uuid, name) and each consumer’s allocations on it.',
  source:
    'osc-placement `resource provider show --allocations` (placement GET /resource_providers/{uuid}/allocations), every release with osc-placement',
  levels: ['INFO'],
  where: (e: Event) => !!e.pasted?.fields?.allocations && !!e.pasted.fields.uuid,
  samples: [
    {
      line: '+----------------------+------------------------------------------+',
      more: [
        '| Field                | Value                                    |',
        '+----------------------+------------------------------------------+',
        '| uuid                 | f3bfbfa8-4dcb-4cf1-b8b3-5b3069870d08     |',
        '| name                 | eli-hda1-016-ostack.priv.cloud.domain.edu                                                                                                |',
        "| allocations          | {'f160ed61-2256-4401-aece-789cb1a3c359': {'resources': {'VCPU': 30, 'MEMORY_MB': 741376, 'DISK_GB': 1668}, 'consumer_generation': 1}} |",
      ],
      seen: 'beskar-cloud/knowledgebase orphaned-ostack-allocation.md (2023; corpus), rows cut to the sample',
      pasted: true,
    },
  ],
};

const HOST_FIELDS = ['OS-EXT-SRV-ATTR:hypervisor_hostname', 'OS-EXT-SRV-ATTR:host'];

export const pastedServerState: Signature = {
  id: 'cli.server-state',
  description: "`openstack server show` (table, or `-f json` grep'd) pasted: the server's host and its vm_state, task_state, status.",
  source: 'nova API GET /servers/{id} (OS-EXT-SRV-ATTR, OS-EXT-STS extended attributes), every release',
  levels: ['INFO', 'ERROR'],
  where: (e: Event) => !!e.instanceUuid && !!e.pasted?.fields && HOST_FIELDS.some((k) => !!e.pasted!.fields![k]),
  samples: [
    {
      line: "[freznicek@lenovo-t14 ~ 0]$ openstack server show f160ed61-2256-4401-aece-789cb1a3c359 -fjson | grep -E 'status|state|hostname'",
      more: [
        '  "OS-EXT-SRV-ATTR:hypervisor_hostname": "eli-hda1-010-ostack.priv.cloud.domain.edu",',
        '  "OS-EXT-STS:task_state": none,',
        '  "OS-EXT-STS:vm_state": "stopped",',
        '  "status": "SHUTOFF",',
      ],
      seen: 'beskar-cloud/knowledgebase orphaned-ostack-allocation.md (2023; corpus)',
      pasted: true,
    },
  ],
};
