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

export const pastedConsumerAllocations: Signature = {
  id: 'cli.consumer-allocations',
  description:
    "`openstack resource provider allocation show <consumer>` pasted: the consumer's allocations, a row per resource provider (its generation, its resources).",
  source:
    'osc-placement `resource provider allocation show` (placement GET /allocations/{consumer_uuid}), every release with osc-placement',
  levels: ['INFO'],
  where: (e: Event) => !!e.pasted?.consumer && !!e.pasted.rows?.length,
  samples: [
    {
      line: '$ openstack resource provider allocation show 2aa3a324-bf22-4e0c-912a-d7c52f59f1fd',
      more: [
        '+--------------------------------------+------------+-----------------------------------------------+',
        '| resource_provider | generation | resources |',
        '+--------------------------------------+------------+-----------------------------------------------+',
        "| 57b0e4d5-3a3e-4cf3-ba8c-b88c8ce4679b | 443 | {'MEMORY_MB': 8192, 'VCPU': 4, 'DISK_GB': 80} |",
        "| 6cbb84b0-02f4-4ee3-9df2-151475b1effe | 282 | {'MEMORY_MB': 8192, 'VCPU': 4, 'DISK_GB': 80} |",
        '+--------------------------------------+------------+-----------------------------------------------+',
      ],
      seen: 'test/corpus/real/pastebin-krcwaxbf-allocation-show-two-providers (the newline the paste lost after the command restored)',
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

/** The columns a migration listing names an item's instance, ends and status by: novaclient's and openstackclient's. */
export const MIGRATION_COLUMNS = {
  instance: ['Instance UUID', 'Server UUID'],
  source: ['Source Compute'],
  dest: ['Dest Compute'],
  status: ['Status'],
  type: ['Type', 'Migration Type'],
} as const;

export const pastedMigrationList: Signature = {
  id: 'cli.migration-list',
  description:
    "`nova migration-list` / `openstack server migration list` pasted: each migration's instance, source and destination computes, status and type.",
  source: 'nova API GET /os-migrations (every release; the type column from 2.23)',
  levels: ['INFO'],
  where: (e: Event) => {
    const row = e.pasted?.shape === 'listing' ? e.pasted.rows?.[0] : undefined;
    return (
      !!row &&
      Object.values(MIGRATION_COLUMNS)
        .slice(0, 4)
        .every((names) => names.some((n) => n in row))
    );
  },
  samples: [
    {
      line: '+----+--------------------------------------+-------------+-----------+----------------+--------------+-------------+--------+--------------------------------------+------------+------------+----------------------------+----------------------------+------------+',
      more: [
        '| Id | UUID                                 | Source Node | Dest Node | Source Compute | Dest Compute | Dest Host   | Status | Instance UUID                        | Old Flavor | New Flavor | Created At                 | Updated At                 | Type       |',
        '+----+--------------------------------------+-------------+-----------+----------------+--------------+-------------+--------+--------------------------------------+------------+------------+----------------------------+----------------------------+------------+',
        '| 1  | 8a823ba3-e2e9-4f17-bac5-88ceea496b99 | devstack1   | devstack2 | devstack1      | devstack2    | 192.168.0.1 | done   | a1e6e0b2-9028-4166-b79b-c177ff70fbb7 | None       | None       | 2019-10-25T17:46:35.000000 | 2019-10-25T17:46:37.000000 | evacuation |',
        '+----+--------------------------------------+-------------+-----------+----------------+--------------+-------------+--------+--------------------------------------+------------+------------+----------------------------+----------------------------+------------+',
      ],
      seen: 'openstack/nova doc/source/admin/troubleshooting/orphaned-allocations.rst (Train, 2019; corpus)',
      pasted: true,
    },
  ],
};

/** The columns a server listing names a server and its states by: novaclient's `nova list`, openstackclient's `server list --long`. */
export const SERVER_COLUMNS = {
  id: ['ID'],
  name: ['Name'],
  status: ['Status'],
  taskState: ['Task State'],
  powerState: ['Power State'],
} as const;

export const pastedServerList: Signature = {
  id: 'cli.server-list',
  description:
    "`nova list` / `openstack server list --long` pasted (a row of it without its header too): each server's status, task state and power state (a server in ERROR that never ran, or left in a build's task, is a failed build).",
  source: 'nova API GET /servers/detail (every release; power state from the OS-EXT-STS extension)',
  levels: ['INFO'],
  where: (e: Event) => {
    const row = e.pasted?.shape === 'listing' ? e.pasted.rows?.[0] : undefined;
    return (
      !!row &&
      SERVER_COLUMNS.id[0] in row &&
      SERVER_COLUMNS.status[0] in row &&
      (SERVER_COLUMNS.powerState[0] in row || SERVER_COLUMNS.taskState[0] in row)
    );
  },
  samples: [
    {
      line: '+--------------------------------------+------+--------+------------+-------------+----------+',
      more: [
        '| ID                                   | Name | Status | Task State | Power State | Networks |',
        '+--------------------------------------+------+--------+------------+-------------+----------+',
        '| 71ba2378-2337-410c-9c81-1060602c376d | vm01 | ERROR  | -          | NOSTATE     |          |',
      ],
      seen: 'test/corpus/real/github-oomichi-try-kubernetes-issue27 (Queens, 2018): the table as the issue shows it, its last rule cut',
      pasted: true,
    },
    {
      line: '    | 9a783952-a888-4fcd-8f5d-cd9291ed1969 | test1   | ERROR  | spawning   ...',
      seen: 'test/corpus/real/larsks-blog-oddbit-2015-01-17-nova-docker-binding-failed (Juno, 2015): one row, no header, cut at the right by the author',
      pasted: true,
    },
  ],
};

export const pastedServerListAfterMove: Signature = {
  id: 'cli.server-list-after-move',
  description:
    "`nova list` / `openstack server list` pasted after a move command (only listings and shows typed between): the moved server's status says how the move ended.",
  source: 'nova API GET /servers/detail (every release); the move command as novaclient and openstackclient take it',
  levels: ['INFO'],
  where: (e: Event) => {
    const row = e.pasted?.movedServer ? e.pasted.rows?.[0] : undefined;
    return !!row && SERVER_COLUMNS.id[0] in row && SERVER_COLUMNS.status[0] in row;
  },
  samples: [
    {
      line: '$ nova resize vm00 m1.medium',
      more: [
        '$',
        '',
        '$ nova list',
        '+--------------------------------------+------+--------+---------------------+',
        '| ID                                   | Name | Status | Networks            |',
        '+--------------------------------------+------+--------+---------------------+',
        '| bfd70cf1-5caf-4bda-8ea1-9a4d25dd4cd4 | vm00 | ERROR  | network00=10.0.0.12 |',
        '| e2e8d400-d590-4d18-8333-dc699ef85325 | vm01 | ACTIVE | network00=10.0.0.13 |',
        '+--------------------------------------+------+--------+---------------------+',
      ],
      seen: 'test/corpus/real/tzpst-hatenablog-20130112-resize-error (2013, Folsom-era novaclient), the prose between the blocks left out',
      pasted: true,
    },
  ],
};
