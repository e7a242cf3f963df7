import type { Signature } from './signature.js';

/** The compute host's own complaints: its resource tracker and its build (nova/compute/*.py). */

export const computeBuildAborted: Signature = {
  id: 'compute.build-aborted',
  description: 'A compute aborted a build for good (no reschedule): BuildAbortException with the reason.',
  source: 'nova/compute/manager.py _do_build_and_run_instance (every release)',
  loggers: ['nova.compute.manager'],
  levels: ['ERROR'],
  exceptions: ['BuildAbortException'],
  where: (e) => !!e.instanceUuid,
  samples: [],
  unsampled: 'no public log line found yet',
};

export const trackerNotManaged: Signature = {
  id: 'tracker.not-managed',
  description: 'The resource tracker found allocations on its host for an instance it does not manage, and will not heal them.',
  source: 'nova/compute/resource_tracker.py _remove_deleted_instances_allocations (Pike+; WARNING since Rocky)',
  loggers: ['nova.compute.resource_tracker*'],
  pattern:
    /^Instance (?<consumer>[0-9a-f-]{36}) is not being actively managed by this compute host but has allocations referencing this compute host/,
  samples: [
    {
      line: "2024-10-02 12:07:18.800 1590924 WARNING nova.compute.resource_tracker [None req-f8320401-70fb-4532-8d87-e5240e53f68b - - - - - -] Instance b32e5792-427c-43b1-83dc-2d3e3c8d74c4 is not being actively managed by this compute host but has allocations referencing this compute host: {'resources': {'VCPU': 12, 'MEMORY_MB': 32768, 'DISK_GB': 80}}. Skipping heal of allocation because we do not know what to do.",
      seen: 'seed 003 (2024), nova-compute.log',
      fields: { consumer: 'b32e5792-427c-43b1-83dc-2d3e3c8d74c4' },
    },
  ],
};

export const trackerMoved: Signature = {
  id: 'tracker.moved',
  description: 'The instance was moved to another host; allocations remain against this (the source) host.',
  source: 'nova/compute/resource_tracker.py _remove_deleted_instances_allocations (Pike+; DEBUG in Pike and Queens)',
  loggers: ['nova.compute.resource_tracker*'],
  pattern:
    /^Instance (?<consumer>[0-9a-f-]{36}) has been moved to another host (?<otherHost>\S+)\((?<otherNode>\S+)\)\. There are allocations remaining against the source host/,
  samples: [],
  unsampled: 'no public log line found yet',
};

export const trackerNotFound: Signature = {
  id: 'tracker.not-found',
  description: 'Allocations against this host for a consumer with no instance row (a leaked migration or an archived instance).',
  source: 'nova/compute/resource_tracker.py _remove_deleted_instances_allocations (Pike+)',
  loggers: ['nova.compute.resource_tracker*'],
  pattern: /^Instance (?<consumer>[0-9a-f-]{36}) has allocations against this compute host but is not found in the database/,
  samples: [
    {
      line: '2024-10-02 08:00:02.820 7 INFO nova.compute.resource_tracker [None req-01a1de54-0d12-423e-b69f-cafa71523be4 - - - - - -] Instance e95ea4f2-d8cf-4e0a-b99d-894223a169f9 has allocations against this compute host but is not found in the database.',
      seen: 'generated: samples/antelope-kolla cmp01 nova-compute.log',
      fields: { consumer: 'e95ea4f2-d8cf-4e0a-b99d-894223a169f9' },
    },
  ],
};

export const computePowerSync: Signature = {
  id: 'compute.power-sync',
  description: "The periodic power-state sync counts the database's instances against the hypervisor's domains.",
  source: 'nova/compute/manager.py _sync_power_states (every release)',
  loggers: ['nova.compute.manager'],
  pattern:
    /^While synchronizing instance power states, found (?<database>\d+) instances in the database and (?<hypervisor>\d+) instances on the hypervisor/,
  samples: [
    {
      line: '2024-10-02 12:07:35.608 1590924 WARNING nova.compute.manager [None req-f8320401-70fb-4532-8d87-e5240e53f68b - - - - - -] While synchronizing instance power states, found 1 instances in the database and 2 instances on the hypervisor.',
      seen: 'seed 003 (2024), nova-compute.log',
      fields: { database: '1', hypervisor: '2' },
    },
  ],
};
