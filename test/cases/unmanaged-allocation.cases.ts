import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unmanagedAllocation } from '../../src/detectors/unmanaged-allocation/index.js';
import type { HostFacts } from '../../src/model/host.js';
import { line } from '../helpers/detect.js';
import { type CaseLog, caseTable, exact, has } from '../helpers/case-table.js';
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
/** Real journald line of a devstack gate run (nova commit ad4ef5af's message, 2019-07-31), unwrapped. */
const AD4EF5AF =
  "Jul 31 13:12:57.455904 ubuntu-bionic-rax-iad-0009534722 nova-compute[31951]: WARNING nova.compute.resource_tracker [None req-d6f2ae97-d8f7-46f6-8974-b42aeb58302d None None] Instance 227c23cd-aeb2-4b5a-b001-21bd920a5e77 is not being actively managed by this compute host but has allocations referencing this compute host: {u'resources': {u'MEMORY_MB': 64, u'VCPU': 1, u'DISK_GB': 1}}. Skipping heal of allocation because we do not know what to do.";

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

/** A resource tracker line of `host`'s periodic task, in the 2023.1 format. */
const rt = (ts: string, level: string, msg: string): string =>
  line(`2024-10-02 ${ts}`, 7, level, 'nova.compute.resource_tracker', '[None req-09caedc2-8344-44a9-a83f-4c99aa8b8de9 - - - - - -]', msg);

/** One whole period of the tracker on `node` (2023.1, DEBUG on): its start, what it manages, its final view. */
const period = (hhmm: string, node: string, managed: string[] = []): string[] => [
  rt(
    `${hhmm}:00.100`,
    'DEBUG',
    `Auditing locally available compute resources for ${node} (node: ${node}) update_available_resource /var/lib/kolla/venv/lib/python3.10/site-packages/nova/compute/resource_tracker.py:909`,
  ),
  ...managed.map((uuid) =>
    rt(
      `${hhmm}:00.400`,
      'DEBUG',
      `Instance ${uuid} actively managed on this compute host and has allocations in placement: {'resources': {'VCPU': 2, 'MEMORY_MB': 4096, 'DISK_GB': 20}}. _remove_deleted_instances_allocations /var/lib/kolla/venv/lib/python3.10/site-packages/nova/compute/resource_tracker.py:1742`,
    ),
  ),
  rt(
    `${hhmm}:00.700`,
    'DEBUG',
    `Final resource view: name=${node} phys_ram=64213MB used_ram=4608MB phys_disk=450GB used_disk=20GB total_vcpus=16 used_vcpus=2 pci_stats=[] _report_final_resource_view /var/lib/kolla/venv/lib/python3.10/site-packages/nova/compute/resource_tracker.py:1075`,
  ),
];

const MIG = 'f0000000-0000-4000-8000-000000000003';
/** A failed live migration cmp01 → cmp02 (2023.1): the destination keeps the instance's claim, the source the migration's. */
const MOVED_ON_DEST = line(
  '2024-10-02 09:00:00.100',
  7,
  'WARNING',
  'nova.compute.resource_tracker',
  '[None req-5d07d1cb-02d3-4663-816b-0de3a66b97b6 - - - - - -]',
  `Instance ${VM} has been moved to another host cmp01(cmp01). There are allocations remaining against the source host that might need to be removed: {'resources': {'VCPU': 2, 'MEMORY_MB': 4096, 'DISK_GB': 20}}.`,
);
const MIG_NOT_FOUND_ON_SOURCE = line(
  '2024-10-02 09:00:20.300',
  7,
  'INFO',
  'nova.compute.resource_tracker',
  '[None req-6d07d1cb-02d3-4663-816b-0de3a66b97b6 - - - - - -]',
  `Instance ${MIG} has allocations against this compute host but is not found in the database.`,
);

/** Real lines (public write-ups, see src/signatures/compute.ts): "not found" where the operator's fix was discover_hosts. */
const REAL_NOT_FOUND_2018 =
  '2018-08-23 15:23:36.136 3558 INFO nova.compute.resource_tracker [req-f76d5408-00f8-4a67-854e-ad3da2098811 - - - - -] Instance 620cd801-8849-481a-80e0-2980b6c8dba6 has allocations against this compute host but is not found in the database.';
const REAL_NOT_FOUND_2021 =
  '2021-09-25 18:40:42.982 2129 INFO nova.compute.resource_tracker [req-52189c54-1223-47ae-a960-6b76acd33a45 - - - - -] Instance ee0eb8cd-560e-47b6-9c32-fec87a55ffb4 has allocations against this compute host but is not found in the database.';
/** Real line (a public operator's notes, 2018-11-19, Rocky): the record as the paste wraps it, joined. */
const REAL_MOVED_2018 =
  "2018-11-19 09:40:24.262 108862 WARNING nova.compute.resource_tracker [req-f79dc843-44b9-4b43-8e70-64d4f292e9ef b7b6e6d00a77423c8b9627305edcd3e7 738eefc285c846dd86504d0c09bb55de - default default] Instance b41e94e5-f39e-4ae7-87e6-7a0ee9e51be2 has been moved to another host compute02(compute02). There are allocations remaining against the source host that might need to be removed: {u'resources': {u'VCPU': 2, u'MEMORY_MB': 2048, u'DISK_GB': 20}}.";

/** `n` "not managed" warnings for VM on cmp02, one a minute from 2024-10-01 00:00, as a 2023.1 compute writes them every period. */
function everyMinute(n: number): string[] {
  const out: string[] = [];
  const t0 = Date.UTC(2024, 9, 1);
  for (let i = 0; i < n; i++) {
    const ts = new Date(t0 + i * 60_000 + 100).toISOString().replace('T', ' ').slice(0, 23);
    out.push(
      line(
        ts,
        7,
        'WARNING',
        'nova.compute.resource_tracker',
        '[None req-7e07d1cb-02d3-4663-816b-0de3a66b97b6 - - - - - -]',
        `Instance ${VM} is not being actively managed by this compute host but has allocations referencing this compute host: {'resources': {'VCPU': 2, 'MEMORY_MB': 4096, 'DISK_GB': 20}}. Skipping heal of allocation because we do not know what to do.`,
      ),
    );
  }
  return out;
}

const DEST_FAILED = notManaged('cmp02', 'req-3c07d1cb-02d3-4663-816b-0de3a66b97b6', "{'resources': {'VCPU': 2, 'MEMORY_MB': 4096}}");
const JUSTIFIED = notManaged('cmp01', 'req-4c07d1cb-02d3-4663-816b-0de3a66b97b6', "{'resources': {'VCPU': 2}}");

/** The real corpus's orphaned allocation (beskar-cloud knowledgebase, 2023): its CLI output, pasted. */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** A file of a real-corpus source, pasted (`edit` changes what a case says it changed). */
const corpusPaste =
  (dir: string) =>
  (file: string, edit = (t: string): string => t): CaseLog => ({
    host: `paste-${file}`,
    service: 'unknown',
    lines: edit(readFileSync(join(ROOT, 'test', 'corpus', 'real', dir, file), 'utf8'))
      .replace(/\n$/, '')
      .split('\n'),
    paste: true,
  });
const beskar = corpusPaste('github-beskar-cloud-knowledgebase-orphaned-ostack-allocation');
/** OSISM's notes (2020): the tracker's message pasted alone under a host label, hand-wrapped, its RST indent taken off. */
const osism = corpusPaste('github-osism-documentation-notes-openstack');
const unindent = (t: string): string => t.replace(/^ {3}/gm, '');
/** The nova admin guide's orphaned allocation after an evacuation (Train, 2019): its CLI output, pasted. */
const doc = corpusPaste('openstack-nova-doc-orphaned-allocations');
/** A consumer's own allocations on two compute providers (pastebin KrcWAXbF): osc-placement's `allocation show`, pasted. */
const krc = corpusPaste('pastebin-krcwaxbf-allocation-show-two-providers');
/** The same consumer's `server show`, in a move (task_state set): a move in progress holds both claims. */
const KRC_SERVER_MIGRATING: CaseLog = {
  host: 'paste-server-show.txt',
  service: 'unknown',
  paste: true,
  lines: [
    '$ openstack server show 2aa3a324-bf22-4e0c-912a-d7c52f59f1fd',
    '+-------------------------------------+--------------------------------------+',
    '| Field                               | Value                                |',
    '+-------------------------------------+--------------------------------------+',
    '| OS-EXT-SRV-ATTR:host                | compute1                             |',
    '| OS-EXT-SRV-ATTR:hypervisor_hostname | compute1                             |',
    '| OS-EXT-STS:task_state               | migrating                            |',
    '| OS-EXT-STS:vm_state                 | active                               |',
    '| id                                  | 2aa3a324-bf22-4e0c-912a-d7c52f59f1fd |',
    '| status                              | MIGRATING                            |',
    '+-------------------------------------+--------------------------------------+',
  ],
};
/** `server show` of the same server put on the provider's own host (the real grep, its host edited). */
const onProviderHost = (t: string): string => t.replace('eli-hda1-010-ostack', 'eli-hda1-016-ostack');

caseTable(unmanagedAllocation, {
  valid: [
    {
      // Real (osism), its message cut after its first line: nothing says the consumer is unknown to the cell.
      name: "the tracker's message pasted alone, only its opening words ('… has allocations against this compute host') → no incident",
      logs: [
        osism('nova-compute-allocations-not-in-database.txt', (t) => unindent(t).replace(/\nbut is not found in the database\.\n?$/, '\n')),
      ],
    },
    {
      // Real (pastebin KrcWAXbF), its second row taken out: one provider holds the consumer's allocation, as it should.
      name: "a consumer's pasted 'allocation show' with one provider: nothing doubled",
      logs: [krc('cli-allocation-show.txt', (t) => t.replace(/^\| 6cbb84b0.*\n/m, ''))],
    },
    {
      // Real (pastebin KrcWAXbF), the second provider's row cut to its disk: a shared storage provider's DISK_GB.
      name: "a consumer's pasted 'allocation show' whose second provider holds only DISK_GB (shared storage): nothing doubled",
      logs: [
        krc('cli-allocation-show.txt', (t) =>
          t.replace(/^(\| 6cbb84b0[^{]*)\{'MEMORY_MB': 8192, 'VCPU': 4, 'DISK_GB': 80\}/m, "$1{'DISK_GB': 80}"),
        ),
      ],
    },
    {
      // Real (pastebin KrcWAXbF), beside the server's state in a move: the source's and the destination's claims both stand.
      name: "a consumer's allocations on two providers while 'server show' shows it migrating: nothing doubled",
      logs: [krc('cli-allocation-show.txt'), KRC_SERVER_MIGRATING],
    },
    {
      // Real table and grep (beskar-cloud knowledgebase, 2023), the server's host edited to the provider's: its own allocation.
      name: "a pasted provider's allocations whose consumer 'server show' puts on that provider's host: nothing unmanaged",
      logs: [beskar('cli-resource-provider-allocations.txt'), beskar('cli-server-show-grep.txt', onProviderHost)],
    },
    {
      // Real (beskar-cloud knowledgebase, 2023): the table alone, nothing says where its consumer is.
      name: "a pasted provider's allocations with no 'server show' of the consumer: nothing is claimed",
      logs: [beskar('cli-resource-provider-allocations.txt'), beskar('cli-migrate-novalidhost.txt')],
    },
    {
      // Real tables (the nova admin guide, 2019), the evacuation's status edited: a move that failed moved nothing.
      name: "pasted provider allocations and a migration listing whose evacuation of the consumer is in 'error': nothing is claimed",
      logs: [doc('cli-provider-allocations.txt'), doc('cli-migration-list-evacuation.txt', (t) => t.replace('| done   |', '| error  |'))],
    },
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
    {
      name: 'a healthy periodic run (2023.1, DEBUG): every allocation is an instance the host manages, nothing is reported',
      logs: [{ host: 'cmp01', service: 'nova-compute', lines: [...period('08:00', 'cmp01', [VM]), ...period('08:01', 'cmp01', [VM])] }],
    },
    {
      name: 'Pike: "moved to another host" (DEBUG) while a resize is under way, then the move completes and the source stops saying it',
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
              `Instance ${VM} has been moved to another host compute2(compute2). There are allocations remaining against the source host that might need to be removed: {u'resources': {u'VCPU': 1, u'MEMORY_MB': 1024}}. _remove_deleted_instances_allocations /usr/lib/python2.7/site-packages/nova/compute/resource_tracker.py:1317`,
            ),
            ...[1, 2].flatMap((m) => [
              line(
                `2018-12-27 16:0${m}:00.100`,
                7,
                'DEBUG',
                'nova.compute.resource_tracker',
                '[req-5c07d1cb-02d3-4663-816b-0de3a66b97b6 - - - - -]',
                'Auditing locally available compute resources for compute1 (node: compute1) update_available_resource /usr/lib/python2.7/site-packages/nova/compute/resource_tracker.py:704',
              ),
              line(
                `2018-12-27 16:0${m}:00.700`,
                7,
                'INFO',
                'nova.compute.resource_tracker',
                '[req-5c07d1cb-02d3-4663-816b-0de3a66b97b6 - - - - -]',
                'Final resource view: name=compute1 phys_ram=16383MB used_ram=512MB phys_disk=49GB used_disk=0GB total_vcpus=8 used_vcpus=0 pci_stats=[]',
              ),
            ]),
          ],
        },
      ],
    },
    {
      // Seed 003's real warning three times; the operator deletes the allocation at 12:09; the next periods are generated.
      name: 'seed 003: the warning stops after the cleanup while the tracker keeps running: nothing is left to report',
      logs: [
        {
          host: HOST,
          service: 'nova-compute',
          lines: [...seed003(3).slice(0, 3), ...period('12:10', HOST), ...period('12:11', HOST)],
        },
      ],
    },
    {
      name: '"not found in the database" once while the scheduler\'s claim races the build, then the instance is claimed on the host: no incident',
      logs: [
        {
          host: 'cmp01',
          service: 'nova-compute',
          lines: [
            NOT_FOUND,
            line(
              '2024-10-02 08:00:01.120',
              7,
              'INFO',
              'nova.compute.claims',
              '[req-0d1f33b5-8f8a-4f7e-9e8e-3b1e6c1d2a10 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - default default]',
              `[instance: ${MIG_LEAKED}] Claim successful on node cmp01`,
            ),
          ],
        },
      ],
    },
    {
      // Real line (nova commit ad4ef5af, a tempest run's screen-n-cpu.txt, 2019): the claim race of bug 1838541.
      name: 'one "not being actively managed" warning and nothing else (no dump, no domain, no later run): a build\'s claim race, no incident',
      logs: [{ host: 'ubuntu-bionic-rax-iad-0009534722', service: 'nova-compute', lines: [AD4EF5AF] }],
    },
    {
      name: 'the tracker deletes the allocation of an instance it then finds deleted (DEBUG): healed, no incident',
      logs: [
        {
          host: 'cmp02',
          service: 'nova-compute',
          lines: [
            notManaged('cmp02', 'req-8e07d1cb-02d3-4663-816b-0de3a66b97b6', "{'resources': {'VCPU': 2}}").line,
            rt(
              '09:01:00.100',
              'DEBUG',
              `Instance ${VM} has been deleted (perhaps locally). Deleting allocations that remained for this instance against this compute host: {'resources': {'VCPU': 2}}. _remove_deleted_instances_allocations /var/lib/kolla/venv/lib/python3.10/site-packages/nova/compute/resource_tracker.py:1790`,
            ),
          ],
        },
      ],
    },
  ],
  invalid: [
    {
      // Real (test/corpus/real/github-osism-documentation-notes-openstack): no time, level or logger, wrapped by hand.
      name: "the tracker's 'has allocations against this compute host but is not found in the database' pasted alone, hand-wrapped → unknown consumer",
      logs: [osism('nova-compute-allocations-not-in-database.txt', unindent)],
      expect: { cause: 'unknown', instance: '44c356ef-edd0-43a3-bd46-17aed65ea1a6' },
    },
    // ─── pasted CLI state, no tracker's warning ───
    {
      // Real (test/corpus/real/pastebin-krcwaxbf-allocation-show-two-providers): the whole paste.
      name: "pasted 'resource provider allocation show <consumer>': the same VCPU/MEMORY_MB on two providers, no move shown → unknown, both providers named, no host claimed",
      logs: [krc('cli-allocation-show.txt')],
      expect: {
        cause: 'unknown',
        instance: '2aa3a324-bf22-4e0c-912a-d7c52f59f1fd',
        title: /^Instance 2aa3a324 holds allocations on 2 compute providers at once$/,
        summary:
          /holds compute resources on 2 providers at once .* on 57b0e4d5-3a3e-4cf3-ba8c-b88c8ce4679b, .* on 6cbb84b0-02f4-4ee3-9df2-151475b1effe\)/,
        details: {
          providers: exact([
            { uuid: '57b0e4d5-3a3e-4cf3-ba8c-b88c8ce4679b', resources: { MEMORY_MB: 8192, VCPU: 4, DISK_GB: 80 } },
            { uuid: '6cbb84b0-02f4-4ee3-9df2-151475b1effe', resources: { MEMORY_MB: 8192, VCPU: 4, DISK_GB: 80 } },
          ]),
        },
        gaps: [/which of the providers is the host the server runs on is not in the paste/],
        commands: [/^openstack resource provider allocation unset --provider <the other provider's uuid> 2aa3a324-/],
        noCommands: [/systemctl restart nova-compute/],
      },
    },
    {
      // Real (test/corpus/real/github-beskar-cloud-knowledgebase-orphaned-ostack-allocation): the three pastes of the write-up.
      name: "pasted: provider eli-hda1-016 holds the allocation of a server 'server show' puts on eli-hda1-010 (stopped, no task_state), and a cold migration of it failed → failed-migration",
      logs: [beskar('cli-server-show-grep.txt'), beskar('cli-migrate-novalidhost.txt'), beskar('cli-resource-provider-allocations.txt')],
      expect: {
        cause: 'failed-migration',
        rule: "A failed move's claim left on a host the instance is not on (pasted CLI state)",
        instance: 'f160ed61-2256-4401-aece-789cb1a3c359',
        summary:
          /is on eli-hda1-010-ostack\.priv\.cloud\.domain\.edu \(vm_state stopped, status SHUTOFF, no task_state\), yet placement provider eli-hda1-016-ostack\.priv\.cloud\.domain\.edu holds its allocation/,
        details: {
          host: 'eli-hda1-016-ostack.priv.cloud.domain.edu',
          otherHost: 'eli-hda1-010-ostack.priv.cloud.domain.edu',
          providerUuid: 'f3bfbfa8-4dcb-4cf1-b8b3-5b3069870d08',
          move: 'migrate',
          resources: exact({ VCPU: 30, MEMORY_MB: 741376, DISK_GB: 1668 }),
        },
        evidence: [
          /resource provider show --allocations: provider f3bfbfa8-4dcb-4cf1-b8b3-5b3069870d08/,
          /No valid host found for cold migrate/,
        ],
        gaps: [/read from pasted CLI output/],
        commands: [has('allocation unset --provider f3bfbfa8-4dcb-4cf1-b8b3-5b3069870d08 f160ed61-2256-4401-aece-789cb1a3c359')],
        noCommands: [has('allocation delete'), has('systemctl restart')],
      },
    },
    {
      // Real table and grep (beskar-cloud knowledgebase, 2023) without the refused migration: no move in the evidence.
      name: 'pasted: the same allocation and server state, no move of the server in the evidence → instance-on-other-host',
      logs: [beskar('cli-server-show-grep.txt'), beskar('cli-resource-provider-allocations.txt')],
      expect: {
        cause: 'instance-on-other-host',
        details: { otherHost: 'eli-hda1-010-ostack.priv.cloud.domain.edu' },
        gaps: [/no failed move of the instance is in the evidence/],
      },
    },
    {
      // Real (the nova admin guide's troubleshooting page, Train, 2019): both providers' tables and novaclient's migration list.
      name: "pasted: devstack1 still holds the allocation of an instance a done evacuation moved to devstack2 (migration list, no 'server show') → instance-on-other-host",
      logs: [doc('cli-provider-allocations.txt'), doc('cli-migration-list-evacuation.txt')],
      expect: {
        cause: 'instance-on-other-host',
        instance: 'a1e6e0b2-9028-4166-b79b-c177ff70fbb7',
        details: { otherHost: 'devstack2', providerUuid: '9546fce4-9fb5-4b35-b277-72ff125ad787', move: 'evacuation' },
        summary: /was moved from devstack1 to devstack2 \(evacuation, done\).*until nova-compute starts again there/,
        gaps: [/where the server runs now is the move's destination/],
        // The tables are the state the evacuation left, not a failure: nothing FAILED, the listing shown.
        timeline: [{ message: /^1 row\(s\): Id \| UUID \| Source Node/ }],
        failing: exact(undefined),
      },
    },
    // ─── 1. unknown: the dump shows the allocation justified ───
    {
      name: 'an allocation the dump justifies (a migration in progress through the host) gets no removal command',
      logs: [{ host: JUSTIFIED.host, service: 'nova-compute', lines: [JUSTIFIED.line] }],
      db: () =>
        new Db()
          .compute(1, 'cmp01', RP)
          .compute(2, 'cmp02', RP2)
          .instance(VM, 'cmp02', { task_state: 'migrating' })
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
        rule: 'A migration that failed or never finished holds it',
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
      name: 'the same real warning on two periodic runs: now an unmanaged allocation, cause unknown without a dump',
      logs: [
        {
          host: 'ubuntu-bionic-rax-iad-0009534722',
          service: 'nova-compute',
          lines: [AD4EF5AF, AD4EF5AF.replace('Jul 31 13:12:57.455904', 'Jul 31 13:13:57.301122')],
        },
      ],
      expect: { cause: 'unknown', instance: '227c23cd-aeb2-4b5a-b001-21bd920a5e77', details: { occurrences: 2 } },
    },
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
          /has no instances row \(with read_deleted\) and is no migration in progress: typically a leaked migration consumer, an archived instance or a build buried in cell0/,
        commands: [`openstack resource provider allocation delete ${MIG_LEAKED}`],
      },
    },
    // ─── failed-migration: never finished; one incident for a failed live migration's two hosts ───
    {
      name: 'a migration still "running" whose instance no longer moves (task_state NULL): it never finished, named with its status',
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
        cause: 'failed-migration',
        rule: 'The instance now runs on another host',
        summary:
          /migration f0000000-0000-4000-8000-000000000002 \(live-migration of instance b32e5792-.*, cmp02 → cmp01\) ended in running/,
        details: { migrationUuid: 'f0000000-0000-4000-8000-000000000002', migrationStatus: 'running', otherHost: 'cmp02' },
        evidence: [/migrations: f0000000-0000-4000-8000-000000000002 live-migration .* status=running/],
        commands: [has(`allocation unset --provider ${RP} ${VM}`)],
      },
    },
    {
      name: 'a never-finished migration consumer ("not found": the tracker only tolerates migrations it sees in progress on the host)',
      logs: [{ host: 'cmp01', service: 'nova-compute', lines: [NOT_FOUND] }],
      db: () =>
        new Db()
          .compute(1, 'cmp01', RP)
          .instance('d1a586a3-de14-4d7e-a66a-6844637a008a', 'cmp02', { vm_state: 'stopped' })
          .migration(MIG_LEAKED, 'd1a586a3-de14-4d7e-a66a-6844637a008a', 'cmp01', 'cmp02', 'post-migrating')
          .allocate(MIG_LEAKED, 1),
      expect: {
        cause: 'failed-migration',
        rule: 'A migration that failed or never finished holds it',
        summary: /still "post-migrating" though the move is over: the migration never finished/,
        details: { migrationUuid: MIG_LEAKED, migrationStatus: 'post-migrating' },
      },
    },
    {
      name: "a failed live migration leaves claims on both hosts: one incident on cmp02 (the instance's) and cmp01 (the migration's)",
      logs: [
        { host: 'cmp02', service: 'nova-compute', lines: [MOVED_ON_DEST] },
        { host: 'cmp01', service: 'nova-compute', lines: [MIG_NOT_FOUND_ON_SOURCE] },
      ],
      db: () =>
        new Db()
          .compute(1, 'cmp01', RP)
          .compute(2, 'cmp02', RP2)
          .instance(VM, 'cmp01')
          .migration(MIG, VM, 'cmp01', 'cmp02', 'error')
          .allocate(MIG, 1, 2, 4096, 20)
          .allocate(VM, 2, 2, 4096, 20),
      expect: {
        cause: 'failed-migration',
        instance: VM,
        count: 2,
        title: /^cmp02 and cmp01 keep allocations of instance b32e5792 they do not manage$/,
        summary: /Also on cmp01: .*migration f0000000-0000-4000-8000-000000000003 .* status error/,
        details: {
          migrationUuid: MIG,
          complaints: [
            { host: 'cmp02', consumerUuid: VM, cause: 'failed-migration' },
            { host: 'cmp01', consumerUuid: MIG, cause: 'failed-migration' },
          ],
        },
        // The instance's only allocation is the stale one on cmp02 (the migration holds cmp01): both go, then heal recreates it on cmp01.
        commands: [has(`allocation delete ${VM}`), has(`allocation delete ${MIG}`), has(`heal_allocations --instance ${VM}`)],
      },
    },
    {
      name: 'the same failed live migration without a dump: the source names the migration beside the instance, still one incident',
      logs: [
        { host: 'cmp02', service: 'nova-compute', lines: [MOVED_ON_DEST] },
        {
          host: 'cmp01',
          service: 'nova-compute',
          lines: [
            line(
              '2024-10-02 08:50:10.200',
              7,
              'INFO',
              'nova.compute.resource_tracker',
              '[None req-6d07d1cb-02d3-4663-816b-0de3a66b97b6 - - - - - -]',
              `[instance: ${VM}] Updating resource usage from migration ${MIG}`,
            ),
            MIG_NOT_FOUND_ON_SOURCE,
          ],
        },
      ],
      expect: {
        cause: 'instance-on-other-host',
        instance: VM,
        count: 2,
        summary:
          /moved to cmp01, with allocations left on cmp02\. It holds 2 VCPU.* Also on cmp01: consumer f0000000-0000-4000-8000-000000000003 is a migration of instance b32e5792/,
        details: { otherHost: 'cmp01', complaints: [{ host: 'cmp02' }, { host: 'cmp01', cause: 'unknown' }] },
        gaps: [/no database dump/],
      },
    },
    // ─── host-not-mapped ───
    {
      // Real line (2018): the operator's fix was discover_hosts; the dump is generated as that situation leaves it.
      name: 'real "not found" (Queens, 2018): the build was buried in cell0 because compute1 had no host mapping; its claim stayed',
      logs: [{ host: 'compute1', service: 'nova-compute', lines: [REAL_NOT_FOUND_2018] }],
      db: () =>
        new Db()
          .compute(1, 'compute1', RP, { mapped: false })
          .instance('620cd801-8849-481a-80e0-2980b6c8dba6', null, { vm_state: 'error', __db: 'nova_cell0' })
          .allocate('620cd801-8849-481a-80e0-2980b6c8dba6', 1),
      expect: {
        cause: 'host-not-mapped',
        rule: 'A build buried in cell0 because its host was not mapped',
        summary: /never reached compute1: .* compute1 has no host_mappings row, so the conductor buried the build in cell0/,
        evidence: [/nova_cell0\.instances: 620cd801-8849-481a-80e0-2980b6c8dba6 vm_state=error/],
        firstCommand: 'nova-manage cell_v2 discover_hosts --verbose',
      },
    },
    {
      // Real compute line (2021, the author: "host compute is not mapped to any cell"); the conductor's line is generated in the Rocky format.
      name: 'real "not found" (2021) with the conductor\'s "No host-to-cell mapping found" for that host, without a dump',
      logs: [
        {
          host: 'controller',
          service: 'nova-conductor',
          lines: [
            '2021-09-25 18:39:12.410 1711 ERROR nova.conductor.manager [req-7a1e0a43-1d7c-4f43-9c47-5c1f1b0c6a11 67b2742aa2974a3b8bef3d09588a5f67 738eefc285c846dd86504d0c09bb55de - default default] No host-to-cell mapping found for selected host compute. Setup is incomplete.',
          ],
        },
        { host: 'compute', service: 'nova-compute', lines: [REAL_NOT_FOUND_2021] },
      ],
      expect: {
        cause: 'host-not-mapped',
        instance: 'ee0eb8cd-560e-47b6-9c32-fec87a55ffb4',
        summary: /the conductor found no host-to-cell mapping for compute .* buried the build it had scheduled there in cell0/,
        gaps: [/inferred from the conductor line/],
        firstCommand: 'nova-manage cell_v2 discover_hosts --verbose',
        timelineServices: ['nova-conductor', 'nova-compute'],
      },
    },
    // ─── instance-deleted: archived ───
    {
      name: 'an instance deleted, then archived into shadow_instances by archive_deleted_rows: deletion date, archived by the first "not found"',
      logs: [{ host: 'cmp01', service: 'nova-compute', lines: [NOT_FOUND] }],
      db: () =>
        new Db()
          .compute(1, 'cmp01', RP)
          .row('nova', 'shadow_instances', {
            id: 4711,
            uuid: MIG_LEAKED,
            host: 'cmp01',
            node: 'cmp01',
            vm_state: 'deleted',
            deleted: 4711,
            deleted_at: '2024-09-20 16:02:11',
            vcpus: 1,
            memory_mb: 1024,
            root_gb: 10,
          })
          .allocate(MIG_LEAKED, 1),
      expect: {
        cause: 'instance-deleted',
        rule: 'The instance is deleted (by nova, by hand in the database, or deleted and archived)',
        summary:
          /was deleted at 2024-09-20 16:02:11 and its row moved into nova\.shadow_instances by nova-manage db archive_deleted_rows \(by 2024-10-02T08:00:00\.470 at the latest/,
        details: { deletedAt: '2024-09-20 16:02:11', archived: true, archivedBy: '2024-10-02T08:00:00.470' },
        evidence: [/nova\.shadow_instances: e95ea4f2-d8cf-4e0a-b99d-894223a169f9 vm_state=deleted .* deleted_at=2024-09-20 16:02:11/],
        commands: [has(`allocation delete ${MIG_LEAKED}`)],
      },
    },
    // ─── instance-on-other-host: the real line ───
    {
      name: 'real "moved to another host" (Rocky, 2018, python 2 repr) without a dump: the other host and the leftover resources named',
      logs: [{ host: 'compute01', service: 'nova-compute', lines: [REAL_MOVED_2018] }],
      expect: {
        cause: 'instance-on-other-host',
        instance: 'b41e94e5-f39e-4ae7-87e6-7a0ee9e51be2',
        summary: /moved to compute02, with allocations left on compute01\. It holds 2 VCPU, 2048 MEMORY_MB, 20 DISK_GB\./,
        details: { otherHost: 'compute02', resources: exact({ VCPU: 2, MEMORY_MB: 2048, DISK_GB: 20 }) },
      },
    },
    // ─── one incident however long it repeats ───
    {
      name: 'the same consumer warned every 60 s for two days is one incident, counted, with its first and last time',
      logs: [{ host: 'cmp02', service: 'nova-compute', lines: everyMinute(2880) }],
      expect: {
        cause: 'unknown',
        count: 2880,
        details: { occurrences: 2880, firstSeen: '2024-10-01T00:00:00.100', lastSeen: '2024-10-02T23:59:00.100' },
      },
    },
  ],
});
