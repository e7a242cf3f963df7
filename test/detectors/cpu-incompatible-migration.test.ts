import test from 'ava';
import { cpuIncompatibleMigration } from '../../src/detectors/cpu-incompatible-migration.js';
import type { HostFacts } from '../../src/model/host.js';
import { Db } from '../helpers/facts.js';
import { detect, line } from '../helpers/detect.js';

const INST = 'b9f443a7-343a-4962-9231-68e9e6bd3206';
const MIG = 'f00d0000-0000-4000-8000-000000000001';
const REQ = 'req-b7184c5e-3aa9-42ba-9b62-e2a3ca8c4cfe';
const CTX = `[None ${REQ} 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - default default]`;
const RP1 = '11111111-1111-4111-8111-111111111111';
const RP2 = '22222222-2222-4222-8222-222222222222';
const SRC = { arch: 'x86_64', model: 'Cascadelake-Server', vendor: 'Intel', features: ['vmx', 'pcid', 'avx512f', 'avx512vl', 'pku'] };
const DST = { arch: 'x86_64', model: 'Broadwell-noTSX-IBRS', vendor: 'Intel', features: ['vmx', 'pcid'] };

/** Ussuri+: MigrationPreCheckError raised while handling InvalidCPUInfo, on the destination. */
function ussuriDest(): string {
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
    '',
  ].join('\n');
}

function conductor(): string {
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
    '',
  ].join('\n');
}

function db(): Db {
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
      cpu_info: JSON.stringify(DST),
    })
    .instance(INST, 'cmp01')
    .allocate(INST, 1)
    .migration(MIG, INST, 'cmp01', 'cmp02', 'error');
}

function hostConf(name: string, cpuMode: string): HostFacts {
  return { name, novaConf: [{ path: `${name}:etc/kolla/nova-compute/nova.conf`, libvirt: { virtType: 'kvm', cpuMode } }], domains: [] };
}

test('Ussuri+: the destination refuses; missing features from compute_nodes.cpu_info, the migration and both cpu_modes named', (t) => {
  const incidents = detect(
    cpuIncompatibleMigration,
    [
      { host: 'cmp02', service: 'nova-compute', text: ussuriDest() },
      { host: 'ctl01', service: 'nova-conductor', text: conductor() },
    ],
    db().facts(),
    [hostConf('cmp01', 'host-model'), hostConf('cmp02', 'host-model')],
  );
  t.is(incidents.length, 1);
  const [i] = incidents;
  t.is(i.cause.code, 'cpu-incompatible');
  t.is(i.instanceUuid, INST);
  t.is(i.requestIds[0], REQ);
  t.like(i.cause.details, {
    source: 'cmp01',
    destination: 'cmp02',
    migrationUuid: MIG,
    sourceCpuMode: 'host-model',
    destinationCpuMode: 'host-model',
    baselineModel: 'Broadwell-noTSX-IBRS',
  });
  t.deepEqual(i.cause.details.missingFeatures, ['avx512f', 'avx512vl', 'pku']);
  t.regex(i.remediation[0].command, /cpu_mode = custom\ncpu_models = Broadwell-noTSX-IBRS/);
  t.true(i.timeline.some((e) => e.failing && e.host === 'cmp02'));
});

test('Pike/Queens: a bare InvalidCPUInfo (seed 002 wording), CPUs from virsh capabilities, no dump', (t) => {
  const text = line(
    '2019-03-22 10:11:12.345',
    2211,
    'ERROR',
    'oslo_messaging.rpc.server',
    '[req-922596a7-f122-45c8-9f91-1446bb855e05 2c04ede78270421da71953f8f07ef115 8de01ef30eed437193725fb759b9992d - default default]',
    "Exception during message handling: InvalidCPUInfo: Unacceptable CPU info: CPU doesn't have compatibility.",
  );
  const hosts: HostFacts[] = [
    { name: 'compute1', novaConf: [], domains: [], cpu: { ...SRC, source: 'compute1:sos_commands/libvirt/virsh_-r_capabilities' } },
    { name: 'compute3', novaConf: [], domains: [], cpu: { ...DST, source: 'compute3:sos_commands/libvirt/virsh_-r_capabilities' } },
  ];
  const [i] = detect(
    cpuIncompatibleMigration,
    [
      { host: 'compute3', service: 'nova-compute', text: `${text}\n` },
      {
        host: 'compute1',
        service: 'nova-compute',
        text: `${line(
          '2019-03-22 10:11:11.900',
          1900,
          'INFO',
          'nova.compute.manager',
          '[req-922596a7-f122-45c8-9f91-1446bb855e05 2c04ede78270421da71953f8f07ef115 8de01ef30eed437193725fb759b9992d - default default]',
          `[instance: ${INST}] Starting live migration`,
        )}\n`,
      },
    ],
    { cells: [], dumps: [] },
    hosts,
  );
  t.is(i.cause.details.destination, 'compute3');
  t.is(i.cause.details.source, 'compute1', 'the other compute of the same request');
  t.deepEqual(i.cause.details.missingFeatures, ['avx512f', 'avx512vl', 'pku']);
  t.true(i.gaps.some((g) => /no migrations row/.test(g)));
  t.true(i.gaps.some((g) => /nova\.conf/.test(g)));
});

test('a pre-check refused for another reason is not a CPU incident (real Kilo conductor line)', (t) => {
  const text = line(
    '2015-10-29 10:27:37.004',
    28141,
    'WARNING',
    'nova.scheduler.utils',
    '[req-f7f1a5e0-9d43-4b7e-9c1a-2b3c4d5e6f70 None]',
    '[instance: a18a5824-0f9c-4c48-a5fa-2f1a2b7a4d11] Failed to compute_task_migrate_server: Unable to migrate instance (a18a5824-0f9c-4c48-a5fa-2f1a2b7a4d11) to current host (hp-ms-01-c29.moonshot1.lab.eng.rdu.redhat.com).',
  );
  const other = line(
    '2024-10-02 13:00:05.330',
    7,
    'ERROR',
    'oslo_messaging.rpc.server',
    CTX,
    'Exception during message handling: nova.exception.MigrationPreCheckError: Migration pre-check error: Binding failed for port',
  );
  t.deepEqual(
    detect(cpuIncompatibleMigration, [
      { host: 'c29', service: 'nova-conductor', text: `${text}\n` },
      { host: 'cmp02', service: 'nova-compute', text: `${other}\n` },
    ]),
    [],
  );
});

test("the conductor relays the remote InvalidCPUInfo: the destination is still the compute that refused, or the migration's, never the controller", (t) => {
  const p = '2024-10-02 13:00:05.400 31 ERROR nova.conductor.manager';
  const relayed = [
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
    '',
  ].join('\n');
  // The controller's sosreport is read first.
  const [both] = detect(
    cpuIncompatibleMigration,
    [
      { host: 'ctl01', service: 'nova-conductor', text: relayed + conductor() },
      { host: 'cmp02', service: 'nova-compute', text: ussuriDest() },
    ],
    db().facts(),
  );
  t.is(both.cause.details.destination, 'cmp02');
  t.is(both.cause.details.source, 'cmp01');
  const [onlyController] = detect(
    cpuIncompatibleMigration,
    [{ host: 'ctl01', service: 'nova-conductor', text: relayed + conductor() }],
    db().facts(),
  );
  t.is(onlyController.cause.details.destination, 'cmp02', 'from the migrations row');
  t.is(onlyController.cause.details.migrationUuid, MIG);
});

test("no traceback, only the pre-check's text: its reason is InvalidCPUInfo's message, in English or translated (ja), and names the refusing compute", (t) => {
  for (const msg of [
    "nova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU info: CPU doesn't have compatibility.",
    "nova.exception.MigrationPreCheckError: マイグレーション事前検査エラー: 指定できない CPU 情報: CPU doesn't have compatibility.",
  ]) {
    const text = line('2024-10-02 13:00:05.330', 7, 'ERROR', 'oslo_messaging.rpc.server', CTX, msg);
    const incidents = detect(cpuIncompatibleMigration, [{ host: 'cmp02', service: 'nova-compute', text: `${text}\n` }]);
    t.is(incidents.length, 1, msg);
    t.regex(incidents[0].title, /to cmp02 refused: CPU incompatible/);
  }
});

test("the destination's own verdict line from _compare_cpu, alone (Queens, the 01.org case), or as the reason of a pre-check libvirt failed (Train), is a CPU refusal", (t) => {
  const verdict = [
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
    '',
  ].join('\n');
  const [q, ...rest] = detect(cpuIncompatibleMigration, [{ host: 'cmp07', service: 'nova-compute', text: verdict }]);
  t.deepEqual(rest, []);
  t.regex(q.title, /to cmp07 refused: CPU incompatible/);
  t.regex(q.cause.summary, /libvirt found the CPUs incompatible/);
  const ja = verdict.replace("CPU doesn't have compatibility.", 'CPU に互換性がありません。');
  t.is(detect(cpuIncompatibleMigration, [{ host: 'cmp07', service: 'nova-compute', text: ja }]).length, 1, 'translated');
  const train = line(
    '2020-03-02 10:00:00.000',
    7,
    'ERROR',
    'oslo_messaging.rpc.server',
    CTX,
    "nova.exception.MigrationPreCheckError: Migration pre-check error: CPU doesn't have compatibility.",
  );
  t.is(
    detect(cpuIncompatibleMigration, [{ host: 'cmp07', service: 'nova-compute', text: `${train}\n` }]).length,
    1,
    'Train: libvirt failed to compare',
  );
  // The verdict's words in another logger, or at another level, are not the driver's verdict.
  const other = line('2019-06-11 08:12:40.101', 4321, 'WARNING', 'nova.compute.manager', '[-]', "CPU doesn't have compatibility.");
  t.deepEqual(detect(cpuIncompatibleMigration, [{ host: 'cmp07', service: 'nova-compute', text: `${other}\n` }]), []);
});
