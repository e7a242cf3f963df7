import test from 'ava';
import { unmanagedAllocation } from '../../src/detectors/unmanaged-allocation.js';
import type { HostFacts } from '../../src/model/host.js';
import { Db } from '../helpers/facts.js';
import { detect, line } from '../helpers/detect.js';

const VM = 'b32e5792-427c-43b1-83dc-2d3e3c8d74c4';
const RP = '151ad1bd-d4dc-4211-a1e7-d13920c50248';
const HOST = 'cmpt-c01z02-c1002';

function seed003(times: number): string {
  const out: string[] = [];
  for (let i = 0; i < times; i++) {
    const mm = String(7 + i).padStart(2, '0');
    out.push(
      line(
        `2024-10-02 12:${mm}:18.800`,
        1590924,
        'WARNING',
        'nova.compute.resource_tracker',
        '[None req-f8320401-70fb-4532-8d87-e5240e53f68b - - - - - -]',
        `Instance ${VM} is not being actively managed by this compute host but has allocations referencing this compute host: {'resources': {'VCPU': 12, 'MEMORY_MB': 32768, 'DISK_GB': 80}}. Skipping heal of allocation because we do not know what to do.`,
      ),
    );
  }
  out.push(
    line(
      '2024-10-02 12:07:35.608',
      1590924,
      'WARNING',
      'nova.compute.manager',
      '[None req-f8320401-70fb-4532-8d87-e5240e53f68b - - - - - -]',
      'While synchronizing instance power states, found 1 instances in the database and 2 instances on the hypervisor.',
    ),
  );
  return `${out.join('\n')}\n`;
}

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

test('seed 003: deleted by hand (deleted=1), 12 VCPU / 32768 MB / 80 GB held, the shut-off domain named, one incident for five warnings', (t) => {
  const facts = new Db()
    .compute(1, HOST, RP)
    .instance(VM, HOST, { id: 80123, deleted: 1, vm_state: 'deleted', vcpus: 12, memory_mb: 32768, root_gb: 80 })
    .allocate(VM, 1, 12, 32768, 80)
    .facts();
  const incidents = detect(unmanagedAllocation, [{ host: HOST, service: 'nova-compute', text: seed003(5) }], facts, [hv]);
  t.is(incidents.length, 1);
  const [i] = incidents;
  t.is(i.count, 5);
  t.is(i.cause.code, 'instance-deleted');
  t.deepEqual(i.cause.details.resources, { VCPU: 12, MEMORY_MB: 32768, DISK_GB: 80 });
  t.like(i.cause.details, { domain: 'instance-000150a8', domainState: 'shut off', powerSync: [1, 2] });
  t.regex(i.cause.summary, /deleted by hand in the database \(deleted=1; nova's own soft delete sets deleted to the row id, 80123\)/);
  const cmds = i.remediation.map((r) => r.command);
  t.true(cmds.includes(`openstack resource provider allocation delete ${VM}`));
  // heal_allocations only looks at instances that are not deleted: for this one it does nothing (seed 003 ran it anyway).
  t.false(cmds.some((c) => c.includes('heal_allocations')));
  t.true(cmds.some((c) => c.includes('virsh undefine instance-000150a8')));
});

test('a leaked migration consumer ("not found in the database") → failed-migration', (t) => {
  const MIG = 'e95ea4f2-d8cf-4e0a-b99d-894223a169f9';
  const text = line(
    '2024-10-02 08:00:00.470',
    7,
    'INFO',
    'nova.compute.resource_tracker',
    '[None req-09caedc2-8344-44a9-a83f-4c99aa8b8de9 - - - - - -]',
    `Instance ${MIG} has allocations against this compute host but is not found in the database.`,
  );
  const facts = new Db()
    .compute(1, 'cmp01', RP)
    .instance('d1a586a3-de14-4d7e-a66a-6844637a008a', 'cmp01')
    .migration(MIG, 'd1a586a3-de14-4d7e-a66a-6844637a008a', 'cmp01', 'cmp02', 'error')
    .allocate(MIG, 1)
    .facts();
  const [i] = detect(unmanagedAllocation, [{ host: 'cmp01', service: 'nova-compute', text: `${text}\n` }], facts);
  t.is(i.cause.code, 'failed-migration');
  t.is(i.cause.details.migrationUuid, MIG);
  t.is(i.instanceUuid, 'd1a586a3-de14-4d7e-a66a-6844637a008a');
});

test('moved to another host (Rocky+ WARNING) → instance-on-other-host, healed on the host it runs on', (t) => {
  const text = line(
    '2023-05-04 10:00:00.100',
    7,
    'WARNING',
    'nova.compute.resource_tracker',
    '[None req-2b07d1cb-02d3-4663-816b-0de3a66b97b6 - - - - - -]',
    `Instance ${VM} has been moved to another host cmp02(cmp02). There are allocations remaining against the source host that might need to be removed: {'resources': {'VCPU': 2, 'MEMORY_MB': 4096}}.`,
  );
  const facts = new Db()
    .compute(1, 'cmp01', RP)
    .compute(2, 'cmp02', '22222222-2222-4222-8222-222222222222')
    .instance(VM, 'cmp02')
    .allocate(VM, 1)
    .allocate(VM, 2)
    .facts();
  const [i] = detect(unmanagedAllocation, [{ host: 'cmp01', service: 'nova-compute', text: `${text}\n` }], facts);
  t.is(i.cause.code, 'instance-on-other-host');
  t.true(i.remediation.some((r) => r.command.startsWith(`nova-manage placement heal_allocations --instance ${VM}`)));
});

test('without a dump the cause is unknown and the gap is said; the task-state DEBUG twin is not an incident', (t) => {
  const [i] = detect(unmanagedAllocation, [{ host: HOST, service: 'nova-compute', text: seed003(1) }]);
  t.is(i.cause.code, 'unknown');
  t.true(i.gaps.some((g) => /no database dump/.test(g)));
  const transition = line(
    '2024-10-02 12:07:18.800',
    1590924,
    'DEBUG',
    'nova.compute.resource_tracker',
    '[None req-f8320401-70fb-4532-8d87-e5240e53f68b - - - - - -]',
    `Instance with task_state "migrating" is not being actively managed by this compute host but has allocations referencing this compute node (${RP}): {'resources': {'VCPU': 2}}. Skipping heal of allocations during the task state transition. _remove_deleted_instances_allocations /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:1712`,
  );
  t.deepEqual(detect(unmanagedAllocation, [{ host: HOST, service: 'nova-compute', text: `${transition}\n` }]), []);
});

test('a failed live migration whose guest still runs on the source: the stale claim is on the destination, its running domain is never undefined', (t) => {
  const DEST = 'cmp02';
  const RP2 = '22222222-2222-4222-8222-222222222222';
  const MIG = 'f0000000-0000-4000-8000-000000000001';
  const text = line(
    '2024-10-02 09:00:00.100',
    7,
    'WARNING',
    'nova.compute.resource_tracker',
    '[None req-3c07d1cb-02d3-4663-816b-0de3a66b97b6 - - - - - -]',
    `Instance ${VM} is not being actively managed by this compute host but has allocations referencing this compute host: {'resources': {'VCPU': 2, 'MEMORY_MB': 4096}}. Skipping heal of allocation because we do not know what to do.`,
  );
  const facts = new Db()
    .compute(1, 'cmp01', RP)
    .compute(2, DEST, RP2)
    .instance(VM, 'cmp01')
    .migration(MIG, VM, 'cmp01', DEST, 'error')
    .allocate(VM, 1)
    .allocate(VM, 2)
    .facts();
  // The destination still lists the guest as running (the move died after it started there).
  const hosts: HostFacts[] = [
    {
      name: DEST,
      novaConf: [],
      domains: [{ uuid: VM, name: 'instance-00000042', state: 'running', source: 'sos_commands/virsh/virsh_-r_list_--all' }],
    },
  ];
  const [i] = detect(unmanagedAllocation, [{ host: DEST, service: 'nova-compute', text: `${text}\n` }], facts, hosts);
  t.is(i.cause.code, 'failed-migration');
  const cmds = i.remediation.map((r) => r.command);
  t.true(
    cmds.some((c) => c.includes(`allocation unset --provider ${RP2} ${VM}`)),
    cmds.join('\n'),
  );
  t.false(
    cmds.some((c) => c.includes(`allocation delete ${VM}`)),
    'the instance keeps its allocation on cmp01',
  );
  t.false(
    cmds.some((c) => c.includes('virsh undefine')),
    'a running domain is never undefined',
  );
});

test('an allocation the dump justifies (a migration in progress through the host) gets no removal command', (t) => {
  const MIG = 'f0000000-0000-4000-8000-000000000002';
  const text = line(
    '2024-10-02 09:00:00.100',
    7,
    'WARNING',
    'nova.compute.resource_tracker',
    '[None req-4c07d1cb-02d3-4663-816b-0de3a66b97b6 - - - - - -]',
    `Instance ${VM} is not being actively managed by this compute host but has allocations referencing this compute host: {'resources': {'VCPU': 2}}. Skipping heal of allocation because we do not know what to do.`,
  );
  const facts = new Db()
    .compute(1, 'cmp01', RP)
    .compute(2, 'cmp02', '22222222-2222-4222-8222-222222222222')
    .instance(VM, 'cmp02')
    .migration(MIG, VM, 'cmp02', 'cmp01', 'running')
    .allocate(VM, 1)
    .allocate(VM, 2)
    .facts();
  const [i] = detect(unmanagedAllocation, [{ host: 'cmp01', service: 'nova-compute', text: `${text}\n` }], facts);
  t.is(i.cause.code, 'unknown');
  t.regex(i.cause.summary, /justified \(instance .* is migrating \(running\) through cmp01\)/);
  t.false(i.remediation.some((r) => /allocation (delete|unset)|heal_allocations|undefine|restart/.test(r.command)));
});

test('Pike and Queens say "moved to another host" at DEBUG: the line is kept and becomes the incident', (t) => {
  const text = line(
    '2018-12-27 16:00:00.100',
    7,
    'DEBUG',
    'nova.compute.resource_tracker',
    '[req-5c07d1cb-02d3-4663-816b-0de3a66b97b6 - - - - -]',
    `Instance ${VM} has been moved to another host compute2(compute2). There are allocations remaining against the source host that might need to be removed: {u'resources': {u'VCPU': 1, u'MEMORY_MB': 1024}}. _remove_deleted_instances_allocations /usr/lib/python2.7/site-packages/nova/compute/resource_tracker.py:1180`,
  );
  const noise = line(
    '2018-12-27 16:00:00.200',
    7,
    'DEBUG',
    'nova.compute.resource_tracker',
    '[req-5c07d1cb-02d3-4663-816b-0de3a66b97b6 - - - - -]',
    'Total usable vcpus: 8, total allocated vcpus: 3 _report_final_resource_view /usr/lib/python2.7/site-packages/nova/compute/resource_tracker.py:846',
  );
  const [i, ...rest] = detect(unmanagedAllocation, [{ host: 'compute1', service: 'nova-compute', text: `${text}\n${noise}\n` }]);
  t.is(rest.length, 0);
  t.is(i.cause.code, 'instance-on-other-host');
  t.deepEqual(i.cause.details.resources, { VCPU: 1, MEMORY_MB: 1024 });
});
