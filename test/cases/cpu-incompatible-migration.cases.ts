import { cpuIncompatibleMigration } from '../../src/detectors/cpu-incompatible-migration.js';
import type { HostFacts } from '../../src/model/host.js';
import { line } from '../helpers/detect.js';
import { caseTable, exact } from '../helpers/case-table.js';
import { committedCorpus } from '../helpers/real-lines.js';
import { Db } from '../helpers/facts.js';

/**
 * cpu-incompatible-migration: live migrations the destination refused in its
 * CPU check. Old: InvalidCPUInfo alone (Pike–Train), Kilo's `[req-… None]`;
 * new: MigrationPreCheckError wrapping it (Ussuri+), journald and translated
 * variants.
 */

const INST = 'b9f443a7-343a-4962-9231-68e9e6bd3206';
const MIG = 'f00d0000-0000-4000-8000-000000000001';
const REQ = 'req-b7184c5e-3aa9-42ba-9b62-e2a3ca8c4cfe';
const CTX = `[None ${REQ} 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - default default]`;
const QUEENS_CTX =
  '[req-922596a7-f122-45c8-9f91-1446bb855e05 2c04ede78270421da71953f8f07ef115 8de01ef30eed437193725fb759b9992d - default default]';
const RP1 = '11111111-1111-4111-8111-111111111111';
const RP2 = '22222222-2222-4222-8222-222222222222';
const SRC = { arch: 'x86_64', model: 'Cascadelake-Server', vendor: 'Intel', features: ['vmx', 'pcid', 'avx512f', 'avx512vl', 'pku'] };
const DST = { arch: 'x86_64', model: 'Broadwell-noTSX-IBRS', vendor: 'Intel', features: ['vmx', 'pcid'] };

/** Ussuri+: MigrationPreCheckError raised while handling InvalidCPUInfo, on the destination. */
function ussuriDest(): string[] {
  const p = '2024-10-02 13:00:05.330 7 ERROR oslo_messaging.rpc.server';
  return [
    line('2024-10-02 13:00:05.320', 7, 'ERROR', 'nova.virt.libvirt.driver', CTX, "CPU doesn't have compatibility."),
    '',
    '0',
    '',
    'Refer to http://libvirt.org/html/libvirt-libvirt-host.html#virCPUCompareResult',
    line(
      '2024-10-02 13:00:05.330',
      7,
      'ERROR',
      'oslo_messaging.rpc.server',
      CTX,
      "Exception during message handling: nova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU info: CPU doesn't have compatibility.",
    ),
    `${p} Traceback (most recent call last):`,
    `${p}   File "/usr/lib/python3.9/site-packages/nova/virt/libvirt/driver.py", line 9658, in check_can_live_migrate_destination`,
    `${p}     self._compare_cpu(None, source_cpu_info, instance)`,
    `${p}   File "/usr/lib/python3.9/site-packages/nova/virt/libvirt/driver.py", line 10034, in _compare_cpu`,
    `${p}     raise exception.InvalidCPUInfo(reason=m % {'ret': ret, 'u': u})`,
    `${p} nova.exception.InvalidCPUInfo: Unacceptable CPU info: CPU doesn't have compatibility.`,
    `${p} `,
    `${p} During handling of the above exception, another exception occurred:`,
    `${p} `,
    `${p} Traceback (most recent call last):`,
    `${p}   File "/usr/lib/python3.9/site-packages/nova/virt/libvirt/driver.py", line 9662, in check_can_live_migrate_destination`,
    `${p}     raise exception.MigrationPreCheckError(reason=e)`,
    `${p} nova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU info: CPU doesn't have compatibility.`,
  ];
}

function conductor(): string[] {
  return [
    line(
      '2024-10-02 13:00:05.170',
      31,
      'WARNING',
      'nova.scheduler.utils',
      CTX,
      "Failed to compute_task_migrate_server: Migration pre-check error: Unacceptable CPU info: CPU doesn't have compatibility.",
    ),
    line('2024-10-02 13:00:05.172', 31, 'WARNING', 'nova.scheduler.utils', CTX, `[instance: ${INST}] Setting instance to ACTIVE state.`),
  ];
}

/** The conductor relays the remote InvalidCPUInfo (its own copy of the traceback). */
function relayed(): string[] {
  const p = '2024-10-02 13:00:05.400 31 ERROR nova.conductor.manager';
  return [
    line(
      '2024-10-02 13:00:05.400',
      31,
      'ERROR',
      'nova.conductor.manager',
      CTX,
      "Migration of instance failed: nova.exception_Remote.InvalidCPUInfo_Remote: Unacceptable CPU info: CPU doesn't have compatibility.",
    ),
    `${p} Traceback (most recent call last):`,
    `${p}   File "/usr/lib/python3.9/site-packages/nova/virt/libvirt/driver.py", line 10034, in _compare_cpu`,
    `${p}     raise exception.InvalidCPUInfo(reason=m % {'ret': ret, 'u': u})`,
    `${p} nova.exception.InvalidCPUInfo: Unacceptable CPU info: CPU doesn't have compatibility.`,
  ];
}

/** Both computes with their cpu_info (the destination's `dst`), the instance on cmp01 and its failed live migration to cmp02. */
function db(dst: typeof DST = DST): Db {
  return new Db()
    .compute(1, 'cmp01', RP1)
    .compute(2, 'cmp02', RP2)
    .row('nova', 'compute_nodes', {
      id: 1,
      uuid: RP1,
      host: 'cmp01',
      hypervisor_hostname: 'cmp01',
      deleted: 0,
      cpu_info: JSON.stringify(SRC),
    })
    .row('nova', 'compute_nodes', {
      id: 2,
      uuid: RP2,
      host: 'cmp02',
      hypervisor_hostname: 'cmp02',
      deleted: 0,
      cpu_info: JSON.stringify(dst),
    })
    .instance(INST, 'cmp01')
    .allocate(INST, 1)
    .migration(MIG, INST, 'cmp01', 'cmp02', 'error');
}

/** `instance_extra.vcpu_model` as nova writes it (`VirtCPUModel.to_json()`: a versioned object's primitive). */
function vcpuModel(model: string, features: string[]): string {
  const obj = (name: string, data: Record<string, unknown>) => ({
    'nova_object.name': name,
    'nova_object.namespace': 'nova',
    'nova_object.version': '1.0',
    'nova_object.data': data,
  });
  return JSON.stringify(
    obj('VirtCPUModel', {
      arch: 'x86_64',
      vendor: 'Intel',
      topology: obj('VirtCPUTopology', { sockets: 1, cores: 4, threads: 1 }),
      features: [
        ...features.map((name) => obj('VirtCPUFeature', { policy: 'require', name })),
        obj('VirtCPUFeature', { policy: 'disable', name: 'hle' }),
      ],
      mode: 'host-model',
      model,
      match: 'exact',
    }),
  );
}

function hostConf(name: string, cpuMode: string): HostFacts {
  return { name, novaConf: [{ path: `${name}:etc/kolla/nova-compute/nova.conf`, libvirt: { virtType: 'kvm', cpuMode } }], domains: [] };
}

/** Queens: the driver's verdict line from _compare_cpu with its multi-line tail (the 01.org case). */
const QUEENS_VERDICT = [
  line(
    '2019-06-11 08:12:40.101',
    4321,
    'ERROR',
    'nova.virt.libvirt.driver',
    '[req-5d1e2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b 9a8b7c6d5e4f40312a1b2c3d4e5f6a7b 1a2b3c4d5e6f47089a0b1c2d3e4f5a6b - default default]',
    "CPU doesn't have compatibility.",
  ),
  '',
  '0',
  '',
  'Refer to http://libvirt.org/html/libvirt-libvirt-host.html#virCPUCompareResult',
];

/** Real line: corpus os-log-merger/debug-live-migration hp-ms-01-c29 nova-compute.log line 508 (Kilo), whole. */
const KILO_LAUNCHED =
  '2015-10-29 10:52:54.338 29022 INFO nova.virt.libvirt.driver [req-5f2adc28-1772-480e-a35c-c12ec08b94d7 None] Instance launched has CPU info: {"vendor": "Intel", "model": "core2duo", "arch": "x86_64", "features": ["pge", "clflush", "sep", "syscall", "vme", "dtes64", "tsc", "vmx", "xtpr", "cmov", "ssse3", "est", "pat", "monitor", "lm", "msr", "nx", "fxsr", "tm", "pae", "acpi", "de", "mmx", "cx8", "mce", "mtrr", "ht", "pse", "lahf_lm", "pdcm", "mca", "apic", "sse", "ds", "invtsc", "pni", "tm2", "sse2", "ss", "pbe", "fpu", "cx16", "pse36", "ds_cpl", "movbe"], "topology": {"cores": 2, "threads": 2, "sockets": 1}}';
const CORE2DUO_FEATURES = JSON.parse(KILO_LAUNCHED.slice(KILO_LAUNCHED.indexOf('{'))).features as string[];

caseTable(cpuIncompatibleMigration, {
  valid: [
    {
      name: "pre-checks refused for another reason: Kilo's migrate_server to the current host, and a port binding",
      logs: [
        {
          host: 'c29',
          service: 'nova-conductor',
          lines: [
            line(
              '2015-10-29 10:27:37.004',
              28141,
              'WARNING',
              'nova.scheduler.utils',
              '[req-f7f1a5e0-9d43-4b7e-9c1a-2b3c4d5e6f70 None]',
              '[instance: a18a5824-0f9c-4c48-a5fa-2f1a2b7a4d11] Failed to compute_task_migrate_server: Unable to migrate instance (a18a5824-0f9c-4c48-a5fa-2f1a2b7a4d11) to current host (hp-ms-01-c29.moonshot1.lab.eng.rdu.redhat.com).',
            ),
          ],
        },
        {
          host: 'cmp02',
          service: 'nova-compute',
          lines: [
            line(
              '2024-10-02 13:00:05.330',
              7,
              'ERROR',
              'oslo_messaging.rpc.server',
              CTX,
              'Exception during message handling: nova.exception.MigrationPreCheckError: Migration pre-check error: Binding failed for port',
            ),
          ],
        },
      ],
    },
    {
      name: "the verdict's words in another logger and level are not the driver's verdict",
      logs: [
        {
          host: 'cmp07',
          service: 'nova-compute',
          lines: [line('2019-06-11 08:12:40.101', 4321, 'WARNING', 'nova.compute.manager', '[-]', "CPU doesn't have compatibility.")],
        },
      ],
    },
    {
      // Real lines: corpus os-log-merger/debug-live-migration hp-ms-01-c29 nova-compute.log lines 508, 685, 1357-1358 (Kilo).
      name: "Kilo: a live migration that succeeded, the destination's CPU info line among its steps (real lines)",
      logs: [
        {
          host: 'hp-ms-01-c29',
          service: 'nova-compute',
          lines: [
            KILO_LAUNCHED,
            '2015-10-29 10:53:17.375 29022 INFO nova.compute.manager [req-5f2adc28-1772-480e-a35c-c12ec08b94d7 None] [instance: a18a5824-4215-4e24-bcfc-cb9f89f6bcbd] Post operation of migration started',
            '2015-10-29 10:54:29.040 29022 INFO nova.virt.libvirt.driver [-] [instance: a18a5824-4215-4e24-bcfc-cb9f89f6bcbd] Migration operation has completed',
            '2015-10-29 10:54:29.042 29022 INFO nova.compute.manager [-] [instance: a18a5824-4215-4e24-bcfc-cb9f89f6bcbd] _post_live_migration() is started..',
          ],
        },
      ],
    },
    {
      // Real lines: corpus os-log-merger/debug-live-migration hp-ms-01-c29 nova-conductor.log lines 613-614 (Kilo).
      name: 'Kilo: the real migrate_server failure to the current host, the instance set back to ACTIVE',
      logs: [
        {
          host: 'hp-ms-01-c29',
          service: 'nova-conductor',
          lines: [
            '2015-10-20 11:51:28.083 28141 WARNING nova.scheduler.utils [req-a40a6ce0-ec37-4fae-9773-f915c79c2aab None] Failed to compute_task_migrate_server: Unable to migrate instance (456d8388-2014-4935-9af5-adeaca222a9b) to current host (hp-ms-01-c29.moonshot1.lab.eng.rdu.redhat.com).',
            '2015-10-20 11:51:28.086 28141 WARNING nova.scheduler.utils [req-a40a6ce0-ec37-4fae-9773-f915c79c2aab None] [instance: 456d8388-2014-4935-9af5-adeaca222a9b] Setting instance to ACTIVE state.',
          ],
        },
      ],
    },
  ],
  invalid: [
    {
      name: 'Ussuri+: the destination refuses; missing features from compute_nodes.cpu_info, the migration and both cpu_modes named',
      logs: [
        { host: 'cmp02', service: 'nova-compute', lines: ussuriDest() },
        { host: 'ctl01', service: 'nova-conductor', lines: conductor() },
      ],
      db,
      hosts: [hostConf('cmp01', 'host-model'), hostConf('cmp02', 'host-model')],
      expect: {
        cause: 'cpu-incompatible',
        instance: INST,
        requestIds: [REQ],
        details: {
          source: 'cmp01',
          destination: 'cmp02',
          migrationUuid: MIG,
          sourceCpuMode: 'host-model',
          destinationCpuMode: 'host-model',
          baselineModel: 'Broadwell-noTSX-IBRS',
          missingFeatures: ['avx512f', 'avx512vl', 'pku'],
        },
        firstCommand: /cpu_mode = custom\ncpu_models = Broadwell-noTSX-IBRS/,
        timeline: [{ failing: true, host: 'cmp02' }],
      },
    },
    {
      name: "the destination refuses though both hosts report the same CPU: not a missing feature; the guest's CPU is compared, not the hosts'",
      logs: [
        { host: 'cmp02', service: 'nova-compute', lines: ussuriDest() },
        { host: 'ctl01', service: 'nova-conductor', lines: conductor() },
      ],
      db: () => db({ ...SRC, features: [...SRC.features].reverse() }),
      hosts: [hostConf('cmp01', 'host-model'), hostConf('cmp02', 'host-model')],
      expect: {
        cause: 'cpu-check-hosts-agree',
        instance: INST,
        title: /cmp01 → cmp02 refused: CPU check, though the hosts' CPUs agree$/,
        details: { source: 'cmp01', destination: 'cmp02', missingFeatures: exact([]) },
        gaps: [/instance_extra\.vcpu_model/],
        firstCommand: /virsh hypervisor-cpu-compare guest\.xml/,
        commands: [/hypervisor-cpu-compare/, /reboot --hard/, /skip_cpu_compare_on_dest = True/],
      },
    },
    {
      name: "the hosts agree, and the guest's recorded CPU (instance_extra.vcpu_model) needs features neither lists: those are named, the reboot first",
      logs: [
        { host: 'cmp02', service: 'nova-compute', lines: ussuriDest() },
        { host: 'ctl01', service: 'nova-conductor', lines: conductor() },
      ],
      db: () =>
        db(SRC).row('nova', 'instance_extra', {
          id: 7,
          instance_uuid: INST,
          deleted: 0,
          vcpu_model: vcpuModel(SRC.model, [...SRC.features, 'avx512bw', 'vmx-exit-load-perf-global-ctrl']),
        }),
      hosts: [hostConf('cmp01', 'host-model'), hostConf('cmp02', 'host-model')],
      expect: {
        cause: 'cpu-check-hosts-agree',
        details: { missingFeatures: exact(['avx512bw', 'vmx-exit-load-perf-global-ctrl']) },
        summary: /which needs avx512bw, vmx-exit-load-perf-global-ctrl, not on cmp02/,
        evidence: [
          /nova\.instance_extra b9f443a7-343a-4962-9231-68e9e6bd3206: vcpu_model host-model Cascadelake-Server, 7 features required/,
        ],
        firstCommand: /reboot --hard/,
      },
    },
    {
      name: 'the same model on both hosts, one feature missing on the destination: the CPUs do differ',
      logs: [
        { host: 'cmp02', service: 'nova-compute', lines: ussuriDest() },
        { host: 'ctl01', service: 'nova-conductor', lines: conductor() },
      ],
      db: () => db({ ...SRC, features: SRC.features.filter((f) => f !== 'pku') }),
      expect: { cause: 'cpu-incompatible', details: { missingFeatures: exact(['pku']) }, firstCommand: /cpu_mode = custom/ },
    },
    {
      // The message is seed 002's line (it sits in a table of the write-up without its timestamp), given one.
      name: 'Pike/Queens: a bare InvalidCPUInfo (seed 002 wording), CPUs from virsh capabilities, no dump',
      logs: [
        {
          host: 'compute3',
          service: 'nova-compute',
          lines: [
            line(
              '2019-03-22 10:11:12.345',
              2211,
              'ERROR',
              'oslo_messaging.rpc.server',
              QUEENS_CTX,
              "Exception during message handling: InvalidCPUInfo: Unacceptable CPU info: CPU doesn't have compatibility.",
            ),
          ],
        },
        {
          host: 'compute1',
          service: 'nova-compute',
          lines: [
            line(
              '2019-03-22 10:11:11.900',
              1900,
              'INFO',
              'nova.compute.manager',
              QUEENS_CTX,
              `[instance: ${INST}] Starting live migration`,
            ),
          ],
        },
      ],
      hosts: [
        { name: 'compute1', novaConf: [], domains: [], cpu: { ...SRC, source: 'compute1:sos_commands/libvirt/virsh_-r_capabilities' } },
        { name: 'compute3', novaConf: [], domains: [], cpu: { ...DST, source: 'compute3:sos_commands/libvirt/virsh_-r_capabilities' } },
      ],
      expect: {
        cause: 'cpu-incompatible',
        // the source is the other compute of the same request
        details: { destination: 'compute3', source: 'compute1', missingFeatures: ['avx512f', 'avx512vl', 'pku'] },
        gaps: [/no migrations row/, /nova\.conf/],
      },
    },
    {
      name: 'the conductor relays the remote InvalidCPUInfo (read first): the destination is still the compute that refused',
      logs: [
        { host: 'ctl01', service: 'nova-conductor', lines: [...relayed(), ...conductor()] },
        { host: 'cmp02', service: 'nova-compute', lines: ussuriDest() },
      ],
      db,
      expect: { cause: 'cpu-incompatible', details: { destination: 'cmp02', source: 'cmp01' } },
    },
    {
      name: "only the controller's relay of the remote InvalidCPUInfo: the destination from the migrations row, never the controller",
      logs: [{ host: 'ctl01', service: 'nova-conductor', lines: [...relayed(), ...conductor()] }],
      db,
      expect: { cause: 'cpu-incompatible', details: { destination: 'cmp02', migrationUuid: MIG } },
    },
    {
      name: "no traceback, only the pre-check's text: its reason is InvalidCPUInfo's message (English), naming the refusing compute",
      logs: [
        {
          host: 'cmp02',
          service: 'nova-compute',
          lines: [
            line(
              '2024-10-02 13:00:05.330',
              7,
              'ERROR',
              'oslo_messaging.rpc.server',
              CTX,
              "nova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU info: CPU doesn't have compatibility.",
            ),
          ],
        },
      ],
      expect: { cause: 'cpu-incompatible', title: /to cmp02 refused: CPU incompatible/ },
    },
    {
      name: "no traceback, only the pre-check's text, translated (ja)",
      logs: [
        {
          host: 'cmp02',
          service: 'nova-compute',
          lines: [
            line(
              '2024-10-02 13:00:05.330',
              7,
              'ERROR',
              'oslo_messaging.rpc.server',
              CTX,
              "nova.exception.MigrationPreCheckError: マイグレーション事前検査エラー: 指定できない CPU 情報: CPU doesn't have compatibility.",
            ),
          ],
        },
      ],
      expect: { cause: 'cpu-incompatible', title: /to cmp02 refused: CPU incompatible/ },
    },
    {
      name: "Queens: the destination's own verdict line from _compare_cpu alone (the 01.org case)",
      logs: [{ host: 'cmp07', service: 'nova-compute', lines: QUEENS_VERDICT }],
      expect: { cause: 'cpu-incompatible', title: /to cmp07 refused: CPU incompatible/, summary: /libvirt found the CPUs incompatible/ },
    },
    {
      name: "Queens: the driver's verdict line translated (ja)",
      logs: [
        {
          host: 'cmp07',
          service: 'nova-compute',
          lines: QUEENS_VERDICT.map((l) => l.replace("CPU doesn't have compatibility.", 'CPU に互換性がありません。')),
        },
      ],
      expect: { cause: 'cpu-incompatible', details: { destination: 'cmp07' } },
    },
    {
      name: 'Train: the verdict as the reason of a pre-check libvirt failed (libvirt failed to compare)',
      logs: [
        {
          host: 'cmp07',
          service: 'nova-compute',
          lines: [
            line(
              '2020-03-02 10:00:00.000',
              7,
              'ERROR',
              'oslo_messaging.rpc.server',
              CTX,
              "nova.exception.MigrationPreCheckError: Migration pre-check error: CPU doesn't have compatibility.",
            ),
          ],
        },
      ],
      expect: { cause: 'cpu-incompatible', details: { destination: 'cmp07' } },
    },
    {
      // Real line: corpus bug-report-excerpts/openstack-k8s-operators__nova-operator__pr1001.journal.log (EDPM, 2025; cut by the terminal), whole.
      name: 'EDPM 2025: the real journald line of the pre-check error, cut by the terminal',
      logs: [
        {
          host: 'edpm-compute-0',
          service: 'nova-compute',
          lines: [
            "Jul 31 15:17:34 edpm-compute-0 nova_compute[354378]: 2025-07-31 15:17:34.056 2 ERROR oslo_messaging.rpc.server nova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU info: CPU doesn't >",
          ],
        },
      ],
      expect: {
        cause: 'cpu-incompatible',
        title: /^Live migration to edpm-compute-0 refused: CPU incompatible$/,
        details: { destination: 'edpm-compute-0', source: undefined },
        gaps: [/no migrations row/, /the source host's CPU is not known/],
      },
    },
    {
      // The launched-CPU line is real (os-log-merger c29 line 508, Kilo; that migration went through); the refusal
      // after it is written from nova's source format (docs A2) in Kilo's layout, and c29's CPU is given without
      // invtsc and movbe.
      name: 'Kilo: the source CPU from the destination\'s "Instance launched has CPU info" line, the destination\'s from virsh',
      logs: [
        {
          host: 'hp-ms-01-c29',
          service: 'nova-compute',
          lines: [
            KILO_LAUNCHED,
            line(
              '2015-10-29 10:52:54.351',
              29022,
              'ERROR',
              'oslo_messaging.rpc.dispatcher',
              '[req-5f2adc28-1772-480e-a35c-c12ec08b94d7 None]',
              "Exception during message handling: Unacceptable CPU info: CPU doesn't have compatibility.",
            ),
            '2015-10-29 10:52:54.351 29022 TRACE oslo_messaging.rpc.dispatcher Traceback (most recent call last):',
            '2015-10-29 10:52:54.351 29022 TRACE oslo_messaging.rpc.dispatcher   File "/usr/lib/python2.7/site-packages/nova/virt/libvirt/driver.py", line 5463, in _compare_cpu',
            "2015-10-29 10:52:54.351 29022 TRACE oslo_messaging.rpc.dispatcher     raise exception.InvalidCPUInfo(reason=m % {'ret': ret, 'u': u})",
            "2015-10-29 10:52:54.351 29022 TRACE oslo_messaging.rpc.dispatcher InvalidCPUInfo: Unacceptable CPU info: CPU doesn't have compatibility.",
          ],
        },
      ],
      hosts: [
        {
          name: 'hp-ms-01-c29',
          novaConf: [],
          domains: [],
          cpu: {
            arch: 'x86_64',
            model: 'core2duo',
            vendor: 'Intel',
            features: CORE2DUO_FEATURES.filter((f) => f !== 'invtsc' && f !== 'movbe'),
            source: 'hp-ms-01-c29:sos_commands/libvirt/virsh_-r_capabilities',
          },
        },
      ],
      expect: {
        cause: 'cpu-incompatible',
        requestIds: ['req-5f2adc28-1772-480e-a35c-c12ec08b94d7'],
        details: { destination: 'hp-ms-01-c29', missingFeatures: exact(['invtsc', 'movbe']), sourceCpu: { model: 'core2duo' } },
        evidence: [/logged the source CPU it was asked to accept: core2duo/],
        summary: /features hp-ms-01-c29 lacks: invtsc, movbe/,
      },
    },
    {
      name: "2023.1 with skip_cpu_compare_on_dest: libvirt fails the migration itself on the CPU; the source logs it, the destination from its URI, the missing features from libvirt's text",
      logs: [
        {
          host: 'cmp01',
          service: 'nova-compute',
          lines: [
            line(
              '2024-10-02 13:10:41.220',
              7,
              'ERROR',
              'nova.virt.libvirt.driver',
              CTX,
              `[instance: ${INST}] Live Migration failure: operation failed: guest CPU doesn't match specification: missing features: avx512f,avx512vl,pku: libvirt.libvirtError: operation failed: guest CPU doesn't match specification: missing features: avx512f,avx512vl,pku`,
            ),
          ],
        },
      ],
      expect: {
        cause: 'cpu-incompatible',
        instance: INST,
        details: { source: 'cmp01', destination: 'the destination', missingFeatures: ['avx512f', 'avx512vl', 'pku'] },
        summary: /^libvirt on cmp01 failed the live migration to the destination on the CPU: operation failed: guest CPU doesn't match/,
        gaps: [/skip_cpu_compare_on_dest/],
      },
    },
    {
      name: "an older libvirt's 'Unknown CPU feature' failing a migration over qemu+tcp: the destination is the URI's host",
      logs: [
        {
          host: 'node-a',
          service: 'nova-compute',
          lines: [
            `2019-03-11 08:14:02.511 2710 ERROR nova.virt.libvirt.driver [-] [instance: ${INST}] Live Migration failure: internal error: Unknown CPU feature monitor (qemu+tcp://node-b/system)`,
          ],
        },
      ],
      expect: { cause: 'cpu-incompatible', details: { source: 'node-a', destination: 'node-b', missingFeatures: ['monitor'] } },
    },
    {
      // keystoneauth1's debug formats (`openstack --debug server migrate --live-migration --host compute2`), laid out as the real REQ
      // and RESP lines of test/corpus/real/mail-archive-yahoo-eng-team-msg93706-evacuate-400: the API's 400 refusal, no log of nova's.
      name: "a client's --debug of the live migration the API refused with InvalidCPUInfo: the server from the call's URL, the destination from its body",
      logs: [
        {
          host: 'paste',
          service: 'unknown',
          paste: true,
          lines: [
            `REQ: curl -g -i -X POST http://controller:8774/v2.1/servers/${INST}/action -H "Content-Type: application/json" -H "X-Auth-Token: {SHA256}0b3a2c7e" -d '{"os-migrateLive": {"block_migration": "auto", "host": "compute2"}}'`,
            `RESP: [400] Content-Length: 197 Content-Type: application/json; charset=UTF-8 X-Compute-Request-Id: ${REQ}`,
            'RESP BODY: {"badRequest": {"code": 400, "message": "Unacceptable CPU info: CPU doesn\'t have compatibility.\\n\\n0\\n\\nRefer to http://libvirt.org/html/libvirt-libvirt-host.html#virCPUCompareResult"}}',
            `POST call to compute for http://controller:8774/v2.1/servers/${INST}/action used request id ${REQ}`,
          ],
        },
      ],
      expect: {
        cause: 'cpu-incompatible',
        instance: INST,
        requestIds: [REQ],
        details: { destination: 'compute2' },
        title: /^Live migration of .*b9f443a7.* to compute2 refused: CPU incompatible$/,
      },
    },
    {
      // Real lines: test/corpus/real/intel-01org-2019-live-migration-cpu-feature-analysis error-log.txt, whole.
      name: "libvirt's failure on an unknown feature, no request id: the instance from the failing line's own prefix (real lines, pasted)",
      logs: [
        {
          host: 'paste',
          service: 'unknown',
          paste: true,
          lines: committedCorpus('intel-01org-2019-live-migration-cpu-feature-analysis', 'error-log.txt').slice(1),
        },
      ],
      expect: { cause: 'cpu-incompatible', instance: '7879eec3-9b60-4fb4-beff-a2a895cf0e0f', details: { missingFeatures: ['monitor'] } },
    },
    {
      // Real lines: the same traceback, read from a file that names no host (a paste: host `unknown`).
      name: 'the same traceback from a file naming no host: the title and summary say "the destination", never the placeholder `unknown`',
      logs: [
        {
          host: 'unknown',
          service: 'nova-compute',
          lines: committedCorpus('e-com-net-4970365-compare-cpu-live-migrate', 'nova-compute-trace.txt'),
        },
      ],
      expect: {
        cause: 'unknown',
        title: /^Live migration refused: CPU check failed \(its error not shown\)$/,
        summary: /^The destination failed the live migration's CPU check: a traceback out of compareCPU\(\)/,
      },
    },
    {
      // Real lines: test/corpus/real/e-com-net-4970365-compare-cpu-live-migrate (2014), whole: the quote ends before the exception.
      name: "Icehouse/Juno: a headless TRACE traceback ending in libvirt's compareCPU, its exception cut (real lines): the check failed, why unknown",
      logs: [
        {
          host: 'cmp07',
          service: 'nova-compute',
          lines: committedCorpus('e-com-net-4970365-compare-cpu-live-migrate', 'nova-compute-trace.txt'),
        },
      ],
      expect: {
        cause: 'unknown',
        title: /^Live migration to cmp07 refused: CPU check failed \(its error not shown\)$/,
        summary: /^cmp07 failed the live migration's CPU check: a traceback out of compareCPU\(\), its exception not shown\./,
        gaps: [/no migrations row/, /the exception the CPU check raised is not in the lines read/],
        firstCommand: /grep -n -A3 -E 'compareCPU/,
      },
    },
    {
      name: "Juno: libvirt's own error raised through compareCPU (not a verdict): the check failed, libvirt's error quoted",
      logs: [
        {
          host: 'cmp07',
          service: 'nova-compute',
          lines: [
            "2014-11-12 18:14:33.353 31086 ERROR oslo.messaging.rpc.dispatcher [req-6f1d8c2e-2b1a-4f8e-9d3c-5a7b9c1d2e3f ] Exception during message handling: XML error: CPU feature `rdtscp' specified more than once",
            '2014-11-12 18:14:33.353 31086 TRACE oslo.messaging.rpc.dispatcher Traceback (most recent call last):',
            '2014-11-12 18:14:33.353 31086 TRACE oslo.messaging.rpc.dispatcher   File "/usr/lib/python2.6/site-packages/nova/virt/libvirt/driver.py", line 4934, in _compare_cpu',
            '2014-11-12 18:14:33.353 31086 TRACE oslo.messaging.rpc.dispatcher     ret = self._conn.compareCPU(cpu.to_xml(), 0)',
            '2014-11-12 18:14:33.353 31086 TRACE oslo.messaging.rpc.dispatcher   File "/usr/lib64/python2.6/site-packages/libvirt.py", line 2878, in compareCPU',
            "2014-11-12 18:14:33.353 31086 TRACE oslo.messaging.rpc.dispatcher     if ret == -1: raise libvirtError ('virConnectCompareCPU() failed', conn=self)",
            "2014-11-12 18:14:33.353 31086 TRACE oslo.messaging.rpc.dispatcher libvirtError: XML error: CPU feature `rdtscp' specified more than once",
          ],
        },
      ],
      expect: {
        cause: 'unknown',
        title: /refused: CPU check failed \(libvirtError\)$/,
        summary: /a traceback out of compareCPU\(\) raising libvirtError: XML error: CPU feature `rdtscp' specified more than once/,
        gaps: [/libvirt's own error \(libvirtError\) is not a verdict/],
        firstCommand: /grep -n/,
      },
    },
  ],
});
