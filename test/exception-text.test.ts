import test from 'ava';
import { EXCEPTION_FORMATS, MESSAGE_FORMATS, REASON_CLASSES, REASON_FORMATS } from '../parsers/exception-catalog.data.js';
import { exceptionOfText, startsAsMessage } from '../parsers/exception-text.js';
import { COMPUTE_FAILURES } from '../src/signatures/compute-failure.js';

/**
 * nova logs some exceptions as their text alone; the catalog generated from
 * nova's msg_fmt and translations names them in any language it shipped.
 */

test("the catalog holds nova's English msg_fmt of each class and its translations", (t) => {
  t.true(EXCEPTION_FORMATS.NoValidHost.includes('No valid host was found. %(reason)s'));
  t.true(EXCEPTION_FORMATS.InvalidCPUInfo.includes('Unacceptable CPU info: %(reason)s'));
  t.true(EXCEPTION_FORMATS.MigrationPreCheckError.includes('Migration pre-check error: %(reason)s'));
  t.true(EXCEPTION_FORMATS.InstanceNotFound.includes('Instance %(instance_id)s could not be found.'));
  // seed 000's Pike zh_CN text, as nova's zh_CN catalog has it
  t.true(EXCEPTION_FORMATS.NoValidHost.includes('找不到有效主机，原因是 %(reason)s。'));
  // Added in 2023.1, after the last catalogs that translated nova's exceptions, and raised with a dict (whose repr no
  // catalog translates): its English msg_fmt and the repr's format only.
  const untranslated: Record<string, string> = {
    NotSupportedComputeForEvacuateV295: "{'currently': %(currently)s, 'expected': %(expected)s}",
  };
  for (const [cls, fmts] of Object.entries(EXCEPTION_FORMATS))
    if (untranslated[cls]) t.true(fmts.includes(untranslated[cls]), `${cls}: ${fmts.join(' | ')}`);
    else t.true(fmts.length >= 10, `${cls}: ${fmts.length} formats`);
});

test('English, translated, trimmed and cut texts name their class and fill the placeholders', (t) => {
  const cases: [string, string, Record<string, string>][] = [
    // rcbops/rpc-openstack#1440 (Liberty conductor), after "Failed to compute_task_build_instances: "
    ['No valid host was found. There are not enough hosts available.', 'NoValidHost', { reason: 'There are not enough hosts available.' }],
    // reason="" and the trailing space trimmed by a log shipper
    ['No valid host was found.', 'NoValidHost', { reason: '' }],
    // test/corpus/real/pastebin-tf1f8vav-devstack-grep-error-flavor-disk-libvirt: Juno's wording, before Liberty's catalogs
    ["Flavor's disk is too small for requested image.", 'FlavorDiskTooSmall', {}],
    // test/corpus/real/mail-archive-yahoo-eng-team-msg93706-evacuate-400: evacuate.py raises it with a dict (2023.1+)
    ["{'currently': 0, 'expected': 62}", 'NotSupportedComputeForEvacuateV295', { currently: '0', expected: '62' }],
    ['找不到有效主机，原因是 。', 'NoValidHost', { reason: '' }],
    ['Es wurde kein gültiger Host gefunden. ', 'NoValidHost', { reason: '' }],
    ['有効なホストが見つかりませんでした。', 'NoValidHost', { reason: '' }],
    [
      'Exceeded maximum number of retries. Exceeded max scheduling attempts 3 for instance 4f0e4a4e-5e0b-4b8c-9d37-2b1f8c1d2e3f',
      'MaxRetriesExceeded',
      { reason: 'Exceeded max scheduling attempts 3 for instance 4f0e4a4e-5e0b-4b8c-9d37-2b1f8c1d2e3f' },
    ],
    // nova-operator#1001: cut at the terminal's width
    [
      "Migration pre-check error: Unacceptable CPU info: CPU doesn't >",
      'MigrationPreCheckError',
      { reason: "Unacceptable CPU info: CPU doesn't >" },
    ],
    ["Unacceptable CPU info: CPU doesn't have compatibility.", 'InvalidCPUInfo', { reason: "CPU doesn't have compatibility." }],
    ["CPU信息不能被接受：CPU doesn't have compatibility.。", 'InvalidCPUInfo', { reason: "CPU doesn't have compatibility." }],
    [
      'Instance 2f565c93-1b2e-4a1f-9a2b-3c4d5e6f7a8b could not be found.',
      'InstanceNotFound',
      { instance_id: '2f565c93-1b2e-4a1f-9a2b-3c4d5e6f7a8b' },
    ],
    ["Host 'cmp03.cloud.example' is not mapped to any cell", 'HostMappingNotFound', { name: 'cmp03.cloud.example' }],
    // The compute- and move-side classes (Kilo's conductor line of os-log-merger; nova's msg_fmt).
    [
      'Unable to migrate instance (456d8388-2014-4935-9af5-adeaca222a9b) to current host (hp-ms-01-c29.moonshot1.lab.eng.rdu.redhat.com).',
      'UnableToMigrateToSelf',
      { instance_id: '456d8388-2014-4935-9af5-adeaca222a9b', host: 'hp-ms-01-c29.moonshot1.lab.eng.rdu.redhat.com' },
    ],
    [
      'Binding failed for port 8c1b3c2e-4d35-4f6a-9b1e-1c2d3e4f5a6b, please check neutron logs for more information.',
      'PortBindingFailed',
      { port_id: '8c1b3c2e-4d35-4f6a-9b1e-1c2d3e4f5a6b' },
    ],
    ['Virtual Interface creation failed', 'VirtualInterfaceCreateException', {}],
  ];
  for (const [text, type, fields] of cases) t.deepEqual(exceptionOfText(text), { type, fields }, text);
});

test('other texts name nothing; a placeholder in the middle still needs the literal after it', (t) => {
  for (const text of [
    'Instance 2f565c93 is being migrated',
    'Instance group abc could not be found.',
    'Timed out waiting 인스턴스를 찾을 수 없습니다.',
    'Starting with 0 host(s)',
    'No valid',
    'Unable to migrate instance (x) to its current host.',
    '',
  ]) {
    t.is(exceptionOfText(text), undefined, text);
  }
  // A pre-check refused for another reason is a MigrationPreCheckError whose reason is no InvalidCPUInfo.
  const other = exceptionOfText(
    'Migration pre-check error: Unable to migrate b9f443a7: Disk of instance is too large(available on destination host:-4294967296 < need:21474836480)',
  );
  t.is(other?.type, 'MigrationPreCheckError');
  t.is(exceptionOfText(other!.fields.reason, ['InvalidCPUInfo']), undefined);
  t.is(exceptionOfText('No valid host was found. ', ['InvalidCPUInfo']), undefined, 'types restrict the search');
});

test("the libvirt driver's CPU verdict is known by its head in every language, whatever follows it", (t) => {
  t.true(MESSAGE_FORMATS['libvirt-cpu-incompatible'].includes("CPU doesn't have compatibility.\n\n%(ret)s\n\nRefer to %(u)s"));
  for (const text of [
    "CPU doesn't have compatibility.",
    "CPU doesn't have compatibility.\n\ninternal error: Unknown CPU feature monitor\n\nRefer to http://libvirt.org/",
    'CPU ist nicht kompatibel.',
    'CPU 不兼容.',
  ]) {
    t.true(startsAsMessage(text, 'libvirt-cpu-incompatible'), text);
  }
  for (const text of ['CPU model is compatible', "The CPU doesn't have compatibility.", ''])
    t.false(startsAsMessage(text, 'libvirt-cpu-incompatible'), text);
});

test("nova's own BuildAbortException reasons name the class and which failure, in every language, alone or inside the class's text", (t) => {
  t.is(REASON_CLASSES['network-allocation-failed'], 'BuildAbortException');
  t.true(REASON_FORMATS['network-allocation-failed'].includes('Failed to allocate the network(s), not rescheduling.'));
  t.true(REASON_FORMATS['network-allocation-failed'].length >= 20);
  // The server's fault of openstack/kolla-ansible 192dcd1e (Stein), and the wording with the error nova put in.
  t.deepEqual(exceptionOfText('Failed to allocate the network(s), not rescheduling.'), {
    type: 'BuildAbortException',
    fields: { reason: 'Failed to allocate the network(s), not rescheduling.' },
    reason: 'network-allocation-failed',
  });
  t.is(
    exceptionOfText('Failed to allocate the network(s) with error No more IP addresses available, not rescheduling.')?.reason,
    'network-allocation-failed',
  );
  // Translated, and a hand copy without its full stop.
  t.is(exceptionOfText('Ağ(lar) ayrılamadı, yeniden zamanlanmıyor.')?.reason, 'network-allocation-failed');
  t.is(exceptionOfText("Echec de l'allocation de réseau(x), ne pas replanifier")?.reason, 'network-allocation-failed');
  // Inside the class's own text the class's format wins; its reason is then this one.
  const whole = exceptionOfText(
    'Build of instance 32c493c4-d88c-4f14-98db-c7af64bf3324 aborted: Failed to allocate the network(s), not rescheduling.',
  );
  t.is(whole?.type, 'BuildAbortException');
  t.is(exceptionOfText(whole!.fields.reason)?.reason, 'network-allocation-failed');
  // Text around it, or a sentence that only starts the same, is not nova's reason.
  t.is(exceptionOfText('Failed to allocate the network(s), not rescheduling. Then I restarted it'), undefined);
  t.is(exceptionOfText('Failed to allocate the network(s)'), undefined);
  // _build_resources' block devices (ovh/public-cloud-roadmap#251's dashboard error, 2022), and in Spanish.
  const prep = exceptionOfText('Build of instance 2b43d48e-98ad-44e0-819c-8f8958384221 aborted: Failure prepping block device.');
  t.is(prep?.type, 'BuildAbortException');
  t.is(exceptionOfText(prep!.fields.reason)?.reason, 'block-device-prep-failed');
  t.is(exceptionOfText('Fallo al preparar el dispositivo de bloque.')?.reason, 'block-device-prep-failed');
});

test("the ironic driver's reason (named placeholders): a node's failed deploy, inside a build's abort and in Japanese", (t) => {
  t.is(REASON_CLASSES['ironic-deploy-failed'], 'InstanceDeployFailure');
  // rackerlabs/understack#635's fault (2024.2), whole: ironic's last_error redacted by policy.
  const whole = exceptionOfText(
    'Build of instance 953691fd-1dde-4b01-9010-e0d45d1a9dfa aborted: Failed to provision instance 953691fd-1dde-4b01-9010-e0d45d1a9dfa: ** Value Redacted - Requires baremetal:node:get:last_error permission. **',
  );
  t.is(whole?.type, 'BuildAbortException');
  const reason = exceptionOfText(whole!.fields.reason);
  t.is(reason?.type, 'InstanceDeployFailure');
  t.is(reason?.reason, 'ironic-deploy-failed');
  t.is(reason?.fields.s1, '953691fd-1dde-4b01-9010-e0d45d1a9dfa');
  t.is(
    exceptionOfText(
      'インスタンス 953691fd-1dde-4b01-9010-e0d45d1a9dfa をプロビジョニングできませんでした: Timeout reached while waiting for callback',
    )?.reason,
    'ironic-deploy-failed',
  );
  t.is(exceptionOfText('Failed to provision instance'), undefined);
});

test("a live migration pre-check's own reasons name their placeholders (instance, destination), in English and translated", (t) => {
  // Launchpad nova bug 1214943 (Havana), as the bug quotes it.
  const whole = exceptionOfText(
    'Migration pre-check error: Unable to migrate a34f9b88-1e07-4798-af46-ca3b3dbaceda to hchenos2: Lack of memory(host:336 <= instance:512)',
  );
  t.is(whole?.type, 'MigrationPreCheckError');
  const reason = exceptionOfText(whole!.fields.reason, ['MigrationPreCheckError']);
  t.is(reason?.reason, 'precheck-lack-of-memory');
  t.like(reason?.fields, { instance_uuid: 'a34f9b88-1e07-4798-af46-ca3b3dbaceda', dest: 'hchenos2', avail: '336', mem_inst: '512' });
  // Each translation, filled, names the same placeholders.
  for (const f of REASON_FORMATS['precheck-lack-of-memory']) {
    const text = f
      .replace('%(instance_uuid)s', 'a34f9b88-1e07-4798-af46-ca3b3dbaceda')
      .replace('%(dest)s', 'hchenos2')
      .replace('%(avail)s', '336')
      .replace('%(mem_inst)s', '512');
    t.like(
      exceptionOfText(text, ['MigrationPreCheckError'])?.fields,
      { instance_uuid: 'a34f9b88-1e07-4798-af46-ca3b3dbaceda', dest: 'hchenos2' },
      f,
    );
  }
  // The libvirt driver's disk check: the instance alone.
  t.is(
    exceptionOfText(
      'Unable to migrate a34f9b88-1e07-4798-af46-ca3b3dbaceda: Disk of instance is too large(available on destination host:10737418240 < need:21474836480)',
      ['MigrationPreCheckError'],
    )?.fields.instance_uuid,
    'a34f9b88-1e07-4798-af46-ca3b3dbaceda',
  );
});

test('every format of the catalogue, its placeholders filled, names its class: the word a text must hold never turns a real match away', (t) => {
  let n = 0;
  for (const [type, fmts] of Object.entries(EXCEPTION_FORMATS))
    for (const fmt of fmts) {
      const text = fmt.replace(/%\((\w+)\)[sd]/g, (_, name: string) => (name === 'reason' ? 'disk full' : 'v1'));
      t.is(exceptionOfText(text, [type])?.type, type, fmt);
      n++;
    }
  for (const [key, fmts] of Object.entries(REASON_FORMATS))
    for (const fmt of fmts) {
      t.is(exceptionOfText(fmt.replace(/%s/g, 'v1'), [REASON_CLASSES[key]])?.reason, key, fmt);
      n++;
    }
  t.true(n > 400);
});

test('answers remembered are per list of classes asked, and stay right once the memory of them is emptied', (t) => {
  const text = 'Build of instance 2f565c93-6eec-4a74-b8e8-f55638b56da3 was re-scheduled: Binding failed for port';
  const ask = (types?: string[]): string | undefined => exceptionOfText(text, types)?.type;
  // The same text, asked for different classes: each list its own answer, in any order, asked twice.
  for (let round = 0; round < 2; round++) {
    t.is(ask(['RescheduledException']), 'RescheduledException');
    t.is(ask(['BuildAbortException']), undefined);
    t.is(ask(['BuildAbortException', 'RescheduledException']), 'RescheduledException');
    t.is(ask(), 'RescheduledException');
  }
  // Past the bound (20,000 answers) the memory is emptied: texts asked before and after answer as before.
  const other = (i: number): string =>
    `Build of instance ${String(i).padStart(8, '0')}-6eec-4a74-b8e8-f55638b56da3 aborted: disk ${i} full`;
  const wrong: number[] = [];
  for (let i = 0; i < 25_000; i++)
    if (exceptionOfText(other(i), ['BuildAbortException'])?.fields.reason !== `disk ${i} full`) wrong.push(i);
  t.deepEqual(wrong, []);
  t.is(ask(['RescheduledException']), 'RescheduledException');
  t.is(ask(['BuildAbortException']), undefined);
  t.is(exceptionOfText(other(7), ['BuildAbortException'])?.fields.reason, 'disk 7 full');
  t.is(exceptionOfText(other(7), ['RescheduledException']), undefined);
});

test('every class of the compute-side table that nova raises is in the catalogue, so its text alone is classified', (t) => {
  // Not nova's own (neutronclient's, os-brick's, os-vif's), or gone from nova before Liberty (the catalogue's first
  // release): named by their class only. A class added to the table must be added to the catalogue script too.
  const notNovas = new Set([
    'NeutronClientException',
    'QuantumClientException',
    'ConnectionFailed',
    'PlugException',
    'NetworkError',
    'VolumeDeviceNotFound',
    'InstanceTypeDiskTooSmall',
    'ImageTooLarge',
  ]);
  for (const k of COMPUTE_FAILURES)
    for (const cls of k.exceptions ?? []) if (!notNovas.has(cls)) t.true((EXCEPTION_FORMATS[cls]?.length ?? 0) > 0, `${k.code}: ${cls}`);
});
