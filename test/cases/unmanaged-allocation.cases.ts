import { unmanagedAllocation } from '../../src/detectors/unmanaged-allocation.js';
import type { HostFacts } from '../../src/model/host.js';
import { line } from '../helpers/detect.js';
import { caseTable, exact, has } from '../helpers/case-table.js';
import { Db } from '../helpers/facts.js';

/**
 * unmanaged-allocation: a compute's resource tracker warning about
 * allocations it will not heal. Old: Pike and Queens log "moved to another
 * host" at DEBUG, python 2.7 reprs (`{u'resources': …}`); new: WARNING, the
 * `[None req-… - - - - - -]` context of periodic tasks.
 */

const VM = 'b32e5792-427c-43b1-83dc-2d3e3c8d74c4';
const RP = '151ad1bd-d4dc-4211-a1e7-d13920c50248';
const RP2 = '22222222-2222-4222-8222-222222222222';
const HOST = 'cmpt-c01z02-c1002';

/** Seed 003's warning (real, whole) and the same line `times` minutes apart, then its power-sync line (real, whole). */
function seed003(times: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < times; i++) {
    const mm = String(7 + i).padStart(2, '0');
    out.push(
      `2024-10-02 12:${mm}:18.800 1590924 WARNING nova.compute.resource_tracker [None req-f8320401-70fb-4532-8d87-e5240e53f68b - - - - - -] Instance ${VM} is not being actively managed by this compute host but has allocations referencing this compute host: {'resources': {'VCPU': 12, 'MEMORY_MB': 32768, 'DISK_GB': 80}}. Skipping heal of allocation because we do not know what to do.`,
    );
  }
  out.push(POWER_SYNC);
  return out;
}

const POWER_SYNC =
  '2024-10-02 12:07:35.608 1590924 WARNING nova.compute.manager [None req-f8320401-70fb-4532-8d87-e5240e53f68b - - - - - -] While synchronizing instance power states, found 1 instances in the database and 2 instances on the hypervisor.';

/** Seed 003's hypervisor: a running guest nova knows, and the deleted instance's domain, shut off. */
const hv: HostFacts = {
  name: HOST,
  novaConf: [],
  domains: [
    { id: 1, name: 'instance-000150f0', state: 'running', source: `${HOST}:sos_commands/libvirt/virsh_-r_list_--all` },
    {
      name: 'instance-000150a8',
      state: 'shut off',
      uuid: VM,
      vcpus: 12,
      source: `${HOST}:sos_commands/libvirt/virsh_-r_dominfo_instance-000150a8`,
    },
  ],
};

/** A 2023.1 "not managed" warning on `host` for VM, holding `resources` (a python repr). */
const notManaged = (host: string, req: string, resources: string): CaseLogLine => ({
  host,
  line: line(
    '2024-10-02 09:00:00.100',
    7,
    'WARNING',
    'nova.compute.resource_tracker',
    `[None ${req} - - - - - -]`,
    `Instance ${VM} is not being actively managed by this compute host but has allocations referencing this compute host: ${resources}. Skipping heal of allocation because we do not know what to do.`,
  ),
});
interface CaseLogLine {
  host: string;
  line: string;
}

const MIG_LEAKED = 'e95ea4f2-d8cf-4e0a-b99d-894223a169f9';
/** The tracker's "not found in the database" line, as samples/antelope-kolla cmp01 has it (generated; no public line known). */
const NOT_FOUND = line(
  '2024-10-02 08:00:00.470',
  7,
  'INFO',
  'nova.compute.resource_tracker',
  '[None req-09caedc2-8344-44a9-a83f-4c99aa8b8de9 - - - - - -]',
  `Instance ${MIG_LEAKED} has allocations against this compute host but is not found in the database.`,
);

const DEST_FAILED = notManaged('cmp02', 'req-3c07d1cb-02d3-4663-816b-0de3a66b97b6', "{'resources': {'VCPU': 2, 'MEMORY_MB': 4096}}");
const JUSTIFIED = notManaged('cmp01', 'req-4c07d1cb-02d3-4663-816b-0de3a66b97b6', "{'resources': {'VCPU': 2}}");

caseTable(unmanagedAllocation, {
  valid: [
    {
      name: 'Train+: the task-state DEBUG twin ("Instance with task_state …") of a move in progress is not an incident',
      logs: [
        {
          host: HOST,
          service: 'nova-compute',
          lines: [
            line(
              '2024-10-02 12:07:18.800',
              1590924,
              'DEBUG',
              'nova.compute.resource_tracker',
              '[None req-f8320401-70fb-4532-8d87-e5240e53f68b - - - - - -]',
              `Instance with task_state "migrating" is not being actively managed by this compute host but has allocations referencing this compute node (${RP}): {'resources': {'VCPU': 2}}. Skipping heal of allocations during the task state transition. _remove_deleted_instances_allocations /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:1712`,
            ),
          ],
        },
      ],
    },
    {
      // Real line: seed 003 (2024), nova-compute.log, whole.
      name: 'seed 003: the power-sync warning alone (one more domain than instances) is no unmanaged allocation',
      logs: [{ host: HOST, service: 'nova-compute', lines: [POWER_SYNC] }],
    },
    {
      // Real lines: corpus hotsos/openstack nova-compute.log.1.gz lines 5930, 5937, 5947, 5948 (Ussuri, 2022), whole.
      name: "Ussuri: a resource tracker's periodic audit, with its benign warning of a compute node record yet to be created",
      logs: [
        {
          host: 'compute4',
          service: 'nova-compute',
          lines: [
            '2022-02-04 10:51:59.996 378365 DEBUG nova.compute.resource_tracker [req-04b1da28-ab1b-4aac-afd1-c792d608dff0 - - - - -] Auditing locally available compute resources for compute4.mylab.home (node: compute4.mylab.home) update_available_resource /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:862',
            '2022-02-04 10:52:01.254 378365 WARNING nova.compute.resource_tracker [req-04b1da28-ab1b-4aac-afd1-c792d608dff0 - - - - -] No compute node record for compute4.mylab.home:compute4.mylab.home: nova.exception_Remote.ComputeHostNotFound_Remote: Compute host compute4.mylab.home could not be found.',
            '2022-02-04 10:52:01.641 378365 DEBUG nova.compute.resource_tracker [req-04b1da28-ab1b-4aac-afd1-c792d608dff0 - - - - -] Total usable vcpus: 2, total allocated vcpus: 0 _report_final_resource_view /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:1031',
            '2022-02-04 10:52:01.641 378365 DEBUG nova.compute.resource_tracker [req-04b1da28-ab1b-4aac-afd1-c792d608dff0 - - - - -] Final resource view: name=compute4.mylab.home phys_ram=16008MB used_ram=512MB phys_disk=299GB used_disk=0GB total_vcpus=2 used_vcpus=0 pci_stats=[] _report_final_resource_view /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:1040',
          ],
        },
      ],
    },
  ],
  invalid: [
    // ─── 1. unknown: the dump shows the allocation justified ───
    {
      name: 'an allocation the dump justifies (a migration in progress through the host) gets no removal command',
      logs: [{ host: JUSTIFIED.host, service: 'nova-compute', lines: [JUSTIFIED.line] }],
      db: () =>
        new Db()
          .compute(1, 'cmp01', RP)
          .compute(2, 'cmp02', RP2)
          .instance(VM, 'cmp02')
          .migration('f0000000-0000-4000-8000-000000000002', VM, 'cmp02', 'cmp01', 'running')
          .allocate(VM, 1)
          .allocate(VM, 2),
      expect: {
        cause: 'unknown',
        rule: 'The dump shows the allocation justified',
        summary: /justified \(instance .* is migrating \(running\) through cmp01\)/,
        noCommands: [/allocation (delete|unset)|heal_allocations|undefine|restart/],
      },
    },
    // ─── 2. failed-migration ───
    {
      name: 'a leaked migration consumer ("not found in the database") whose migration is in error',
      logs: [{ host: 'cmp01', service: 'nova-compute', lines: [NOT_FOUND] }],
      db: () =>
        new Db()
          .compute(1, 'cmp01', RP)
          .instance('d1a586a3-de14-4d7e-a66a-6844637a008a', 'cmp01')
          .migration(MIG_LEAKED, 'd1a586a3-de14-4d7e-a66a-6844637a008a', 'cmp01', 'cmp02', 'error')
          .allocate(MIG_LEAKED, 1),
      expect: {
        cause: 'failed-migration',
        rule: 'A migration that never finished holds it',
        details: { migrationUuid: MIG_LEAKED },
        instance: 'd1a586a3-de14-4d7e-a66a-6844637a008a',
      },
    },
    {
      name: 'a failed live migration whose guest still runs on the source: the stale claim is on the destination, its running domain kept',
      logs: [{ host: DEST_FAILED.host, service: 'nova-compute', lines: [DEST_FAILED.line] }],
      db: () =>
        new Db()
          .compute(1, 'cmp01', RP)
          .compute(2, 'cmp02', RP2)
          .instance(VM, 'cmp01')
          .migration('f0000000-0000-4000-8000-000000000001', VM, 'cmp01', 'cmp02', 'error')
          .allocate(VM, 1)
          .allocate(VM, 2),
      // The destination still lists the guest as running (the move died after it started there).
      hosts: [
        {
          name: 'cmp02',
          novaConf: [],
          domains: [{ uuid: VM, name: 'instance-00000042', state: 'running', source: 'sos_commands/virsh/virsh_-r_list_--all' }],
        },
      ],
      expect: {
        cause: 'failed-migration',
        // The instance is alive elsewhere; the audit's verdict names the failed move.
        rule: 'The instance now runs on another host',
        commands: [has(`allocation unset --provider ${RP2} ${VM}`)],
        // the instance keeps its allocation on cmp01; a running domain is never undefined
        noCommands: [has(`allocation delete ${VM}`), has('virsh undefine')],
      },
    },
    // ─── 3. instance-deleted ───
    {
      name: 'seed 003: deleted by hand (deleted=1), 12 VCPU / 32768 MB / 80 GB held, the shut-off domain named, one incident for five warnings',
      logs: [{ host: HOST, service: 'nova-compute', lines: seed003(5) }],
      db: () =>
        new Db()
          .compute(1, HOST, RP)
          .instance(VM, HOST, { id: 80123, deleted: 1, vm_state: 'deleted', vcpus: 12, memory_mb: 32768, root_gb: 80 })
          .allocate(VM, 1, 12, 32768, 80),
      hosts: [hv],
      expect: {
        cause: 'instance-deleted',
        count: 5,
        details: {
          resources: exact({ VCPU: 12, MEMORY_MB: 32768, DISK_GB: 80 }),
          domain: 'instance-000150a8',
          domainState: 'shut off',
          powerSync: [1, 2],
        },
        summary: /deleted by hand in the database \(deleted=1; nova's own soft delete sets deleted to the row id, 80123\)/,
        commands: [`openstack resource provider allocation delete ${VM}`, has('virsh undefine instance-000150a8')],
        // heal_allocations only looks at instances that are not deleted: for this one it does nothing (seed 003 ran it anyway).
        noCommands: [has('heal_allocations')],
      },
    },
    {
      // Seed 003's real lines; the database as nova's own delete leaves it (deleted = the row id).
      name: "seed 003's warning for an instance nova itself deleted (deleted = its row id)",
      logs: [{ host: HOST, service: 'nova-compute', lines: seed003(1) }],
      db: () =>
        new Db()
          .compute(1, HOST, RP)
          .instance(VM, HOST, { id: 80123, deleted: 80123, vm_state: 'deleted', vcpus: 12, memory_mb: 32768, root_gb: 80 })
          .allocate(VM, 1, 12, 32768, 80),
      expect: {
        cause: 'instance-deleted',
        summary:
          /^instance b32e5792-427c-43b1-83dc-2d3e3c8d74c4 is deleted \(vm_state deleted\), yet its allocations on cmpt-c01z02-c1002 remain\./,
        details: { powerSync: [1, 2], domain: undefined },
        gaps: [/no virsh list\/dominfo output/],
      },
    },
    // ─── 4. instance-on-other-host ───
    {
      name: 'moved to another host (Rocky+ WARNING): healed on the host it runs on',
      logs: [
        {
          host: 'cmp01',
          service: 'nova-compute',
          lines: [
            line(
              '2023-05-04 10:00:00.100',
              7,
              'WARNING',
              'nova.compute.resource_tracker',
              '[None req-2b07d1cb-02d3-4663-816b-0de3a66b97b6 - - - - - -]',
              `Instance ${VM} has been moved to another host cmp02(cmp02). There are allocations remaining against the source host that might need to be removed: {'resources': {'VCPU': 2, 'MEMORY_MB': 4096}}.`,
            ),
          ],
        },
      ],
      db: () => new Db().compute(1, 'cmp01', RP).compute(2, 'cmp02', RP2).instance(VM, 'cmp02').allocate(VM, 1).allocate(VM, 2),
      expect: { cause: 'instance-on-other-host', commands: [new RegExp(`^nova-manage placement heal_allocations --instance ${VM}`)] },
    },
    {
      name: 'Pike and Queens say "moved to another host" at DEBUG: the line is kept and becomes the incident, without a dump',
      logs: [
        {
          host: 'compute1',
          service: 'nova-compute',
          lines: [
            line(
              '2018-12-27 16:00:00.100',
              7,
              'DEBUG',
              'nova.compute.resource_tracker',
              '[req-5c07d1cb-02d3-4663-816b-0de3a66b97b6 - - - - -]',
              `Instance ${VM} has been moved to another host compute2(compute2). There are allocations remaining against the source host that might need to be removed: {u'resources': {u'VCPU': 1, u'MEMORY_MB': 1024}}. _remove_deleted_instances_allocations /usr/lib/python2.7/site-packages/nova/compute/resource_tracker.py:1180`,
            ),
            line(
              '2018-12-27 16:00:00.200',
              7,
              'DEBUG',
              'nova.compute.resource_tracker',
              '[req-5c07d1cb-02d3-4663-816b-0de3a66b97b6 - - - - -]',
              'Total usable vcpus: 8, total allocated vcpus: 3 _report_final_resource_view /usr/lib/python2.7/site-packages/nova/compute/resource_tracker.py:846',
            ),
          ],
        },
      ],
      expect: { cause: 'instance-on-other-host', details: { resources: exact({ VCPU: 1, MEMORY_MB: 1024 }) } },
    },
    // ─── 5. unknown: nothing says why ───
    {
      name: 'seed 003 without a dump: unknown, and the gap is said',
      logs: [{ host: HOST, service: 'nova-compute', lines: seed003(1) }],
      expect: { cause: 'unknown', rule: 'Nothing in the evidence says why', gaps: [/no database dump/] },
    },
    {
      name: '"not found in the database" without a dump: typically a leaked migration consumer or an archived instance',
      logs: [{ host: 'cmp01', service: 'nova-compute', lines: [NOT_FOUND] }],
      expect: {
        cause: 'unknown',
        rule: 'Nothing in the evidence says why',
        instance: MIG_LEAKED,
        summary:
          /has no instances row \(with read_deleted\) and is no migration in progress: typically a leaked migration consumer or an archived instance/,
        commands: [`openstack resource provider allocation delete ${MIG_LEAKED}`],
      },
    },
  ],
});
