import test from 'ava';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Event } from '../src/model/event.js';
import { ingest } from '../src/pipeline/ingest.js';
import { classify, hostFromSosName, rotation } from '../src/sources/roles.js';
import { setXzAvailable } from '../src/sources/decode.js';
import { osloLine, sosTree, tar, tmp, write } from './helpers/fixture-tree.js';

async function run(inputs: string[], host?: string) {
  const events: Event[] = [];
  const coverage = await ingest(inputs, { host }, { event: (e) => events.push(e) });
  return { events, coverage };
}

test('roles by path across layouts', (t) => {
  const cases: [string, string | undefined, string | undefined][] = [
    ['var/log/nova/nova-compute.log', 'oslo-log', 'nova-compute'],
    ['var/log/nova/nova-conductor.log.3.gz', 'oslo-log', 'nova-conductor'],
    ['var/log/nova/nova-scheduler.log-20151124.gz', 'oslo-log', 'nova-scheduler'],
    ['var/log/kolla/nova/nova-api.log', 'oslo-log', 'nova-api'],
    ['var/lib/docker/volumes/kolla_logs/_data/nova/nova-compute.log', 'oslo-log', 'nova-compute'],
    ['var/log/containers/nova/nova-conductor.log.1', 'oslo-log', 'nova-conductor'],
    ['var/log/containers/placement/placement.log', 'oslo-log', 'placement-api'],
    ['var/log/placement/placement-api.log', 'oslo-log', 'placement-api'],
    ['var/log/nova/nova-placement-api.log', 'oslo-log', 'placement-api'],
    ['var/log/containers/httpd/placement-api/placement_wsgi_access.log', 'apache-access', 'placement-api'],
    ['var/log/containers/httpd/nova-api/nova_api_wsgi_error.log', 'apache-error', 'nova-api'],
    ['var/log/httpd/error_log', 'apache-error', 'httpd'],
    ['var/log/httpd/placement_wsgi_access.log-20240101.gz', 'apache-access', 'placement-api'],
    ['sos_strings/openstack_nova/var.log.nova.nova-compute.log.tailed', 'oslo-log', 'nova-compute'],
    [
      'sos_commands/kubernetes/cluster-info/openstack/podlogs/nova-0/k8s_kubectl_--namespace_openstack_logs_nova-0_-c_nova-scheduler',
      'oslo-log',
      'nova-scheduler',
    ],
    ['sos_commands/mysql/mysqldump_--all-databases', 'mysqldump', undefined],
    ['sos_commands/openstack_database/mysql_dump.sql', 'mysqldump', undefined],
    ['sos_strings/mysql/mysqldump_--all-databases.tailed', 'mysqldump', undefined],
    ['etc/kolla/nova-compute/nova.conf', 'nova-conf', undefined],
    ['var/lib/config-data/puppet-generated/nova_libvirt/etc/nova/nova.conf', 'nova-conf', undefined],
    ['sos_commands/libvirt/virsh_-r_list_--all', 'virsh-list', undefined],
    ['sos_commands/libvirt/virsh_-r_dominfo_instance-000150a8', 'virsh-dominfo', undefined],
    ['sos_commands/host/hostname', 'hostname', undefined],
    ['var/log/messages', 'oslo-log', undefined],
    ['var/log/messages-20240716.gz', 'oslo-log', undefined],
    ['var/log/syslog.2.gz', 'oslo-log', undefined],
    ['sos_commands/logs/journalctl_--no-pager', 'oslo-log', undefined],
    ['sos_commands/logs/journalctl_--no-pager_--boot_-1', 'oslo-log', undefined],
    ['sos_commands/logs/journalctl_--disk-usage', undefined, undefined],
    ['sos_commands/logs/journalctl_--all_--this-boot_--no-pager_-o_verbose', 'journal-subset', undefined],
    ['sos_commands/openstack_nova/journalctl_--no-pager_--unit_openstack-nova-compute', 'oslo-log', 'nova-compute'],
    ['sos_commands/openstack_edpm/journalctl_--no-pager_--unit_edpm_nova_compute', 'oslo-log', 'nova-compute'],
    ['sos_commands/snap/journalctl_--no-pager_--unit_snapd', undefined, undefined],
    ['var/log/journal/0f3a/system.journal', 'oslo-log', undefined],
    ['var/log/containers/stdouts/nova_compute.log', 'oslo-log', 'nova-compute'],
    ['var/log/containers/stdouts/ovn_controller.log', undefined, undefined],
    ['var/log/pods/openstack_nova-compute-0_0f3a/nova-compute/0.log', 'oslo-log', 'nova-compute'],
    ['controller/logs/screen-n-cpu.txt.gz', 'oslo-log', 'nova-compute'],
    ['compute1/logs/screen-n-cond-cell1.txt', 'oslo-log', 'nova-conductor'],
    ['controller/logs/screen-placement-api.txt', 'oslo-log', 'placement-api'],
    ['controller/logs/screen-q-svc.txt', undefined, undefined],
    ['job-output.txt.gz', 'oslo-log', undefined],
    ['var/log/neutron/server.log', undefined, undefined],
    ['var/log/libvirt/qemu/instance-00000001.log', 'qemu-log', undefined],
    ['var/log/libvirt/qemu/instance-00000001.log.2.gz', 'qemu-log', undefined],
    ['var/log/containers/libvirt/qemu/instance-0000a1f3.log', 'qemu-log', undefined],
    ['var/log/kolla/libvirt/qemu/instance-00000004.log', 'qemu-log', undefined],
    ['compute1/logs/libvirt/qemu/instance-00000002.txt.gz', 'qemu-log', undefined],
    ['etc/libvirt/qemu/instance-00000001.xml', undefined, undefined],
    ['var/log/libvirt/libvirtd.log', 'oslo-log', undefined],
    ['var/log/containers/libvirt/libvirtd.log.1.gz', 'oslo-log', undefined],
    ['var/log/libvirt/virtqemud.log', 'oslo-log', undefined],
  ];
  for (const [p, kind, service] of cases) {
    const r = classify(p);
    t.is(r?.kind as string | undefined, kind, p);
    if (service) t.is(r?.service as string | undefined, service, p);
  }
  t.true(classify('sos_strings/openstack_nova/var.log.nova.nova-compute.log.tailed')!.tailed);
  t.is(classify('sos_strings/openstack_nova/var.log.nova.nova-compute.log.tailed')!.group, 'var/log/nova/nova-compute.log');
});

test('rotations sort oldest first', (t) => {
  const names = ['nova-compute.log', 'nova-compute.log.1', 'nova-compute.log.10.gz', 'nova-compute.log.2.gz'];
  const sorted = [...names].sort((a, b) => rotation(a)!.rank - rotation(b)!.rank);
  t.deepEqual(sorted, ['nova-compute.log.10.gz', 'nova-compute.log.2.gz', 'nova-compute.log.1', 'nova-compute.log']);
  const dated = ['x.log', 'x.log-20151124.gz', 'x.log-20151117.gz'];
  t.deepEqual(
    [...dated].sort((a, b) => rotation(a)!.rank - rotation(b)!.rank),
    ['x.log-20151117.gz', 'x.log-20151124.gz', 'x.log'],
  );
});

test('host names from sosreport names', (t) => {
  t.is(hostFromSosName('sosreport-compute-1-2024-07-11-rujznhs'), 'compute-1');
  t.is(hostFromSosName('sosreport-cmpt-c01z02-c1002-2024-10-02-abcdefg.tar.xz'), 'cmpt-c01z02-c1002');
  t.is(hostFromSosName('random-folder'), undefined);
});

test('an extracted sosreport: hostname file, rotations oldest first, tailed copy read once, traceback folded', async (t) => {
  const dir = tmp();
  sosTree(dir, 'sosreport-cmp01-2024-10-02-abcdefg', 'cmp01.example.org');
  const { events, coverage } = await run([dir]);
  t.true(events.every((e) => e.host === 'cmp01.example.org'));
  const compute = events.filter((e) => e.service === 'nova-compute').map((e) => e.message.split(':')[0]);
  t.deepEqual(compute, ['oldest', 'middle', 'newest', 'after']);
  const api = events.filter((e) => e.service === 'nova-api');
  t.is(api.length, 1, 'the symlink to the tailed copy is not read twice');
  t.is(api[0].http?.status, 200);
  const tailed = coverage.files.find((f) => f.path.endsWith('.tailed'))!;
  t.true(tailed.truncatedHead);
  t.is(tailed.unparsed, 1, 'the cut first line is counted');
  const newest = events.find((e) => e.message.startsWith('newest'))!;
  t.is(newest.traceback?.length, 3);
  t.is(newest.exception?.type, 'NoValidHost');
  // /var/log/messages is read as syslog: the kernel's line is another program's event, not an unparsed line.
  const messages = coverage.files.find((f) => f.path.endsWith('var/log/messages'))!;
  t.like(messages, { role: 'oslo-log', layout: 'syslog', lines: 1, events: 1, foreign: 0, unparsed: 0 });
  t.deepEqual(
    events.filter((e) => e.file.endsWith('var/log/messages')).map((e) => [e.service, e.host]),
    [['kernel', 'cmp01.example.org']],
  );
  t.deepEqual(messages.prefixes, ['syslog rfc3164']);
});

test('the same sosreport as .tar.xz, .tar.gz and .tar gives the same events', async (t) => {
  const dir = tmp();
  const root = 'sosreport-cmp01-2024-10-02-abcdefg';
  sosTree(dir, root, 'cmp01.example.org');
  const folder = await run([join(dir, root)]);
  for (const c of ['xz', 'gzip', ''] as const) {
    const out = join(tmp(), `${root}.tar${c === 'xz' ? '.xz' : c === 'gzip' ? '.gz' : ''}`);
    tar(dir, root, out, c);
    const r = await run([out]);
    t.deepEqual(
      r.events.map((e) => [e.host, e.service, e.message, e.line]).sort(),
      folder.events.map((e) => [e.host, e.service, e.message, e.line]).sort(),
      c || 'tar',
    );
    t.is(r.coverage.warnings.length, 0, JSON.stringify(r.coverage.warnings));
    t.true(r.events[0].file.startsWith(`${out}:`), 'files are named archive:member');
  }
});

test('a sos collect bundle: one sosreport archive per host inside a .tar.gz', async (t) => {
  const dir = tmp();
  const bundle = join(dir, 'sos-collector-case-2024-10-02-xyzab');
  for (const host of ['cmp01', 'cmp02']) {
    const root = `sosreport-${host}-2024-10-02-abcdefg`;
    const src = tmp();
    sosTree(src, root, host, { tripleo: host === 'cmp02' });
    write(join(bundle, 'x'), '');
    tar(src, root, join(bundle, `${root}.tar.xz`), 'xz');
  }
  const out = tar(dir, 'sos-collector-case-2024-10-02-xyzab', join(tmp(), 'bundle.tar.gz'), 'gzip');
  const { events, coverage } = await run([out]);
  t.deepEqual([...new Set(events.map((e) => e.host))].sort(), ['cmp01', 'cmp02']);
  t.is(events.filter((e) => e.host === 'cmp02' && e.service === 'nova-compute').length, 4);
  t.is(coverage.warnings.length, 0);
});

test('bad inputs: a warning naming the file, the rest still read', async (t) => {
  const dir = tmp();
  const root = 'sosreport-cmp01-2024-10-02-abcdefg';
  sosTree(dir, root, 'cmp01');
  const good = tar(dir, root, join(tmp(), `${root}.tar.xz`), 'xz');
  const bad = tmp();
  // not an archive, whatever its name says
  writeFileSync(join(bad, 'sosreport-fake-2024-10-02-abcdefg.tar.xz'), '<html>502 Bad Gateway</html>\n');
  // truncated xz
  const whole = readFileSync(good);
  const cut = join(bad, 'sosreport-cut-2024-10-02-abcdefg.tar.xz');
  writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
  // truncated gzip log
  const gz = gzipSync(
    Array.from({ length: 5000 }, (_, i) =>
      osloLine(`2024-10-01 10:00:${String(i % 60).padStart(2, '0')}.000`, 'INFO', 'nova.compute.manager', `line ${i} ${'x'.repeat(40)}`),
    ).join('\n'),
  );
  writeFileSync(join(bad, 'nova-compute.log.1.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
  // binary garbage
  writeFileSync(join(bad, 'core.dump'), Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 256)));
  // a 20 MB line with no newline, after a good line
  writeFileSync(
    join(bad, 'nova-conductor.log'),
    `${osloLine('2024-10-01 10:00:00.000', 'INFO', 'nova.conductor.manager', 'ok')}\n${'y'.repeat(20 << 20)}`,
  );

  const { events, coverage } = await run([good, bad]);
  const w = coverage.warnings.map((x) => `${x.file}: ${x.message}`).join('\n');
  t.regex(w, /sosreport-fake-.*not an archive/);
  t.regex(w, /sosreport-cut-.*xz: .*(Unexpected end|truncated|corrupt)/i);
  t.regex(w, /nova-compute\.log\.1\.gz: gzip: unexpected end of file/);
  t.regex(w, /core\.dump: not an archive or a text log \(binary\)/);
  t.regex(w, /nova-conductor\.log: 1 line\(s\) longer than/);
  t.true(
    events.some((e) => e.host === 'cmp01' && e.message === 'after'),
    'the good archive is read',
  );
  const partial = events.filter((e) => e.file.endsWith('nova-compute.log.1.gz'));
  t.true(partial.length > 100 && partial.length < 5000, `the truncated gzip keeps what was read (${partial.length})`);
  t.true(events.some((e) => e.file.endsWith('nova-conductor.log') && e.message === 'ok'));
  t.true(coverage.files.some((f) => f.path.endsWith('nova-compute.log.1.gz') && f.truncatedTail));
});

test('a corrupt tar member header is reported and the members after it are still read', async (t) => {
  const dir = tmp();
  const root = 'sosreport-cmp01-2024-10-02-abcdefg';
  sosTree(dir, root, 'cmp01');
  const plain = tar(dir, root, join(tmp(), 'x.tar'), '');
  const buf = readFileSync(plain);
  // Corrupt the checksum field of the header of the first nova-compute.log member.
  const at = buf.indexOf(Buffer.from(`${root}/var/log/nova/nova-compute.log.1`));
  t.true(at >= 0);
  buf.write('99999999', at + 148, 'latin1');
  const out = join(tmp(), `${root}.tar`);
  writeFileSync(out, buf);
  const { events, coverage } = await run([out]);
  t.true(
    coverage.warnings.some((w) => /tar: TAR_ENTRY_INVALID|checksum/i.test(w.message)),
    JSON.stringify(coverage.warnings),
  );
  t.true(
    events.some((e) => e.message === 'after'),
    'members after the bad header are read',
  );
});

test('loose files without a host take --host', async (t) => {
  const dir = tmp();
  const f = join(dir, 'nova-scheduler.log');
  write(f, `${osloLine('2024-10-01 10:00:00.000', 'INFO', 'nova.scheduler.manager', 'hello')}\n`);
  const { events } = await run([f], 'ctl01');
  t.is(events[0].host, 'ctl01');
  t.is(events[0].service, 'nova-scheduler');
});

test('a pasted excerpt found in a folder is not read, and its coverage line says to name it; named, it is read', async (t) => {
  const dir = tmp();
  // Real text: test/corpus/real/github-beskar-cloud-knowledgebase-orphaned-ostack-allocation/cli-migrate-novalidhost.txt's shape.
  const paste = join(dir, 'attachment-1.txt');
  write(
    paste,
    'openstack server migrate --host cmp02 f160ed61-2256-4401-aece-789cb1a3c359\nNo valid host was found. No valid host found for cold migrate (HTTP 400) (Request-ID: req-6c3b5f0e-8d1e-4f6a-9b2c-3d4e5f6a7b8c)\n',
  );
  const notes = join(dir, 'notes.txt');
  write(notes, 'we rebooted cmp02 on Tuesday\n');
  const inFolder = await run([dir]);
  t.is(inFolder.events.length, 0);
  const unread = [...inFolder.coverage.unrecognised.relevant, ...inFolder.coverage.unrecognised.other];
  const whatOf = (f: string) => unread.find((u) => u.path === f)?.what ?? '';
  t.regex(whatOf(paste), /a pasted excerpt, read only when the file is named as an input/);
  t.notRegex(whatOf(notes), /pasted excerpt/);
  const named = await run([paste]);
  t.true(named.events.length > 0);
});

test.serial('where the xz binary is missing, the WebAssembly decoder reads the same .tar.xz', async (t) => {
  const dir = tmp();
  const root = 'sosreport-cmp01-2024-10-02-abcdefg';
  sosTree(dir, root, 'cmp01.example.org');
  const out = tar(dir, root, join(tmp(), `${root}.tar.xz`), 'xz');
  const native = await run([out]);
  setXzAvailable(false);
  try {
    const wasm = await run([out]);
    t.deepEqual(
      wasm.events.map((e) => [e.host, e.message]),
      native.events.map((e) => [e.host, e.message]),
    );
    t.is(wasm.coverage.warnings.length, 0, JSON.stringify(wasm.coverage.warnings));
  } finally {
    setXzAvailable(undefined);
  }
});

test("journald lines carry no year: the sosreport's date gives it (Sunbeam hypervisor journal)", async (t) => {
  const dir = tmp();
  const root = 'sosreport-hv1-2025-05-14-abcdefg';
  write(join(dir, root, 'sos_commands', 'host', 'hostname'), 'hv1\n');
  write(join(dir, root, 'sos_commands', 'date', 'date'), 'Wed May 14 16:02:11 UTC 2025\n');
  write(
    join(dir, root, 'sos_commands', 'sunbeam_hypervisor', 'journalctl_--no-pager_--unit_snap.openstack-hypervisor.nova-compute'),
    'May 14 09:03:40 hv1 nova-compute[194098]: 2025-05-14 09:03:40.101 194098 INFO nova.compute.manager [None req-1b2c3d4e-0000-4000-8000-000000000001 - - - - - -] Looking for unclaimed instances\nMay 14 09:03:41 hv1 nova-compute[194098]: DEBUG nova.compute.resource_tracker [None req-1b2c3d4e-0000-4000-8000-000000000001 - - - - - -] Auditing locally available compute resources\n',
  );
  const out = join(tmp(), `${root}.tar.xz`);
  tar(dir, root, out, 'xz');
  for (const input of [join(dir, root), out]) {
    const { events } = await run([input]);
    t.is(events.length, 2, input);
    t.is(events[1].ts, '2025-05-14T09:03:41.000', `${input}: the bare journald line gets the sosreport's year`);
    t.true(events.every((e) => e.service === 'nova-compute' && e.host === 'hv1'));
  }
});

test('traceback lines past the per-event cap are counted in a warning, not dropped silently', async (t) => {
  const dir = tmp();
  const head =
    '2024-10-02 14:00:00.000 7 ERROR nova.compute.manager [req-11111111-2222-4333-8444-555555555555 - - - - -] Unexpected error: RecursionError: maximum recursion depth exceeded';
  const frames = Array.from(
    { length: 600 },
    (_, i) => `2024-10-02 14:00:00.000 7 ERROR nova.compute.manager   File "/usr/lib/python3/dist-packages/nova/a.py", line ${i}, in f`,
  );
  const file = join(dir, 'nova-compute.log');
  write(file, [head, ...frames, ''].join('\n'));
  const { events, coverage } = await run([file], 'cmp01');
  t.is(events.length, 1);
  t.is(events[0].traceback?.length, 400);
  t.is(coverage.files[0].folded, 600);
  const w = coverage.warnings.find((x) => x.message.includes('traceback'));
  t.truthy(w, JSON.stringify(coverage.warnings));
  t.regex(w!.message, /^200 traceback line\(s\) past 400 per event were not kept$/);
});

test('a corrupt sosreport inside a sos collect bundle is a warning; the next one is still read', async (t) => {
  const dir = tmp();
  const bad = join(dir, 'bundle', 'sosreport-cmp01-2024-10-02-aaaaaaa.tar.xz');
  const good = join(dir, 'bundle', 'sosreport-cmp02-2024-10-02-bbbbbbb.tar.xz');
  sosTree(dir, 'sosreport-cmp01-2024-10-02-aaaaaaa', 'cmp01');
  sosTree(dir, 'sosreport-cmp02-2024-10-02-bbbbbbb', 'cmp02');
  // Enough incompressible bytes that the corruption lands mid-stream.
  write(
    join(dir, 'sosreport-cmp01-2024-10-02-aaaaaaa', 'var', 'log', 'nova', 'nova-conductor.log'),
    randomBytes(1 << 20).toString('base64'),
  );
  write(bad, readFileSync(tar(dir, 'sosreport-cmp01-2024-10-02-aaaaaaa', join(dir, 'a.tar.xz'), 'xz')));
  const b = readFileSync(bad);
  for (let i = 4096; i < b.length - 64; i += 7919) b[i] ^= 0xff;
  writeFileSync(bad, b);
  tar(dir, 'sosreport-cmp02-2024-10-02-bbbbbbb', good, 'xz');
  const bundle = tar(join(dir), 'bundle', join(dir, 'sos-collector-2024-10-02.tar'), '');
  const { events, coverage } = await run([bundle]);
  t.true(
    events.some((e) => e.host === 'cmp02'),
    'the sosreport after the corrupt one is read',
  );
  t.true(
    coverage.warnings.some((w) => w.file?.includes('sosreport-cmp01') && /xz|corrupt|compressed/i.test(w.message)),
    JSON.stringify(coverage.warnings),
  );
});

// Serial: it empties PATH for a moment, which no concurrent test may see.
test.serial('a truncated nova.conf.gz or a missing decompressor is a warning, never the end of the run', async (t) => {
  const dir = tmp();
  const base = sosTree(dir, 'sosreport-cmp03-2024-10-02-ccccccc', 'cmp03');
  const gz = gzipSync(Buffer.from('[libvirt]\ncpu_mode = host-model\n'.repeat(2000)));
  // A nova.conf that is a truncated gzip stream (bytes decide, not the name).
  write(join(base, 'etc', 'nova', 'nova.conf'), gz.subarray(0, gz.length >> 1));
  write(
    join(base, 'var', 'log', 'nova', 'nova-scheduler.log.zst'),
    Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), randomBytes(256)]),
  );
  const archive = tar(dir, 'sosreport-cmp03-2024-10-02-ccccccc', join(dir, 'cmp03.tar.gz'), 'gzip');
  const path = process.env.PATH;
  for (const input of [base, archive]) {
    const { analyze } = await import('../src/pipeline/analyze.js');
    process.env.PATH = '/nonexistent';
    let r;
    try {
      r = (await analyze([input], {})).report;
    } finally {
      process.env.PATH = path;
    }
    const w = r.coverage.warnings.map((x) => `${x.file}: ${x.message}`).join('\n');
    t.regex(w, /etc\/nova\/nova\.conf: .*skipped/, input);
    t.regex(w, /nova-scheduler\.log\.zst: zstd: zstd could not be run/, input);
    t.true(
      r.coverage.files.some((f) => f.path.endsWith('nova-compute.log') && f.events > 0),
      'the rest is read',
    );
  }
});

test('with a binary file among the dumps, "also in another dump" lands on the copy that was not used', async (t) => {
  const { ingestWithFacts } = await import('../src/pipeline/read-facts.js');
  const dir = tmp();
  const full = readFileSync(new URL('../../test/fixtures/dumps/complete-insert.sql', import.meta.url), 'utf8');
  write(join(dir, 'a.sql'), randomBytes(4096));
  // b: the same nova database with its instances rows missing.
  write(
    join(dir, 'b.sql'),
    full
      .split('\n')
      .filter((l) => !l.startsWith('INSERT INTO `instances`'))
      .join('\n'),
  );
  write(join(dir, 'c.sql'), full);
  const { facts, coverage } = await ingestWithFacts([join(dir, 'a.sql'), join(dir, 'b.sql'), join(dir, 'c.sql')], {
    host: 'ctl',
    logRoles: new Set(),
  });
  t.true(
    coverage.warnings.some((w) => w.file?.endsWith('a.sql')),
    'the binary one is said',
  );
  const byName = new Map(facts.dumps.map((d) => [d.path.split('/').pop(), d]));
  t.deepEqual([...byName.keys()].sort(), ['b.sql', 'c.sql']);
  t.true(byName.get('b.sql')!.warnings.some((w) => /also in another dump/.test(w)));
  t.false(byName.get('c.sql')!.warnings.some((w) => /also in another dump/.test(w)));
  t.true(facts.cells[0].instances.length > 0, 'the fuller copy was used');
});

test('an archive and its extracted folder name the host alike (sos_commands/host/hostname over etc/hostname)', async (t) => {
  const dir = tmp();
  const root = 'sosreport-cmp1-2024-10-02-ddddddd';
  const base = sosTree(dir, root, 'cmp1');
  write(join(base, 'etc', 'hostname'), 'cmp1.example.com\n');
  const archive = tar(dir, root, join(tmp(), `${root}.tar.xz`), 'xz');
  for (const input of [base, archive]) {
    const { events } = await run([input]);
    t.deepEqual([...new Set(events.map((e) => e.host))], ['cmp1'], input);
  }
});

test('links: a linked input folder and linked archives in a folder of inputs are read; a linked folder inside and a dangling link are said, not followed', async (t) => {
  const dir = tmp();
  const root = 'sosreport-cmp7-2024-10-02-eeeeeee';
  const base = sosTree(dir, root, 'cmp7');
  const archive = tar(dir, root, join(dir, `${root}.tar.gz`), 'gzip');
  const inputs = join(dir, 'inputs');
  write(join(inputs, 'README'), 'gathered for the ticket\n');
  symlinkSync(archive, join(inputs, `${root}.tar.gz`));
  symlinkSync(base, join(inputs, 'extracted'));
  symlinkSync(inputs, join(dir, 'inputs-link'));
  symlinkSync(join(dir, 'moved-away.tar.xz'), join(inputs, 'sosreport-cmp9.tar.xz'));
  const { events, coverage } = await run([join(dir, 'inputs-link')]);
  t.true(
    coverage.warnings.some((w) => w.file?.endsWith('sosreport-cmp9.tar.xz') && /target is missing/.test(w.message)),
    'a dangling link is said, not dropped',
  );
  t.true(
    events.some((e) => e.host === 'cmp7'),
    'the linked archive is read through the linked folder',
  );
  t.true(
    coverage.warnings.some((w) => w.file?.endsWith('extracted') && /symbolic link to a folder/.test(w.message)),
    JSON.stringify(coverage.warnings),
  );
});

test('links inside a sosreport are counted, not followed; one where a log would be is named with its target, in the folder and the tar alike', async (t) => {
  const dir = tmp();
  const root = 'sosreport-cmp8-2024-10-02-fffffff';
  // sos's layout: a top-level `hostname` link, and var/log/nova/nova-api.log linked to its tailed copy.
  const base = sosTree(dir, root, 'cmp8');
  const archive = tar(dir, root, join(tmp(), `${root}.tar.gz`), 'gzip');
  for (const input of [base, archive]) {
    const { coverage } = await run([input]);
    t.is(coverage.links.count, 2, input);
    t.deepEqual(
      coverage.links.relevant.map((l) => [l.host, l.path.split(/[/:]/).slice(-4).join('/'), l.target]),
      [['cmp8', 'var/log/nova/nova-api.log', '../../../sos_strings/openstack_nova/var.log.nova.nova-api.log.tailed']],
      input,
    );
    t.deepEqual(
      coverage.files.filter((f) => f.path.includes('nova-api.log')).map((f) => f.path.split('/').pop()),
      ['var.log.nova.nova-api.log.tailed'],
      'the target is read once, the link not at all',
    );
  }
});

test("a tar of several hosts' trees (logs/<host>/var/log/nova) gives the same hosts as the folder", async (t) => {
  const dir = tmp();
  for (const h of ['hostA', 'hostB']) {
    write(
      join(dir, 'logs', h, 'var', 'log', 'nova', 'nova-compute.log'),
      `${osloLine('2024-10-01 12:00:00.000', 'INFO', 'nova.compute.manager', `hello from ${h}`)}\n`,
    );
  }
  const archive = tar(dir, 'logs', join(tmp(), 'logs.tar.gz'), 'gzip');
  for (const input of [join(dir, 'logs'), archive]) {
    const { events } = await run([input]);
    t.deepEqual(events.map((e) => `${e.host}: ${e.message}`).sort(), ['hostA: hello from hostA', 'hostB: hello from hostB'], input);
  }
});

test('a link target with control characters is kept as written: data, which every output escapes (test/terminal-safety.test.ts)', async (t) => {
  const dir = tmp();
  const root = 'sosreport-cmp6-2024-10-02-iiiiiii';
  sosTree(dir, root, 'cmp6');
  const nova = join(dir, root, 'var', 'log', 'nova');
  symlinkSync('tgt\x1b]0;pwned\x07\x1b[2J\n- injected item', join(nova, 'nova-scheduler.log'));
  const archive = tar(dir, root, join(tmp(), `${root}.tar`), '');
  const { coverage } = await run([archive]);
  const link = coverage.links.relevant.find((l) => l.path.endsWith('nova-scheduler.log'));
  t.is(link?.target, 'tgt\x1b]0;pwned\x07\x1b[2J\n- injected item');
});

// A ticket's folder of one host: its compute log (real lines: test/corpus/real/github-jmanuelcalvo-documentos-distintos-procesadores,
// the destination's CPU refusal) and what the operator attached beside it, outside any sosreport.
async function ticketFolder(attached: Record<string, string>) {
  const dir = tmp();
  const host = join(dir, 'overcloud-compute-0');
  write(
    join(host, 'nova-compute.log'),
    readFileSync('test/corpus/real/github-jmanuelcalvo-documentos-distintos-procesadores/nova-compute-tail.txt'),
  );
  for (const [name, text] of Object.entries(attached)) write(join(host, name), text);
  const { analyze } = await import('../src/pipeline/analyze.js');
  const report = (await analyze([dir], {})).report;
  const cpu = report.incidents.find((i) => i.kind === 'cpu-incompatible-migration');
  return { dir, report, cpu, evidence: cpu?.evidence.map((e) => e.text) ?? [], gaps: cpu?.gaps ?? [] };
}

test("a loose nova.conf beside a host's log is that host's configuration; another service's conf is not read as nova's", async (t) => {
  const { dir, report, evidence, gaps } = await ticketFolder({
    'nova.conf': '# attached by the operator\n[DEFAULT]\ndebug = False\n\n[libvirt]\nvirt_type = kvm\ncpu_mode = host-passthrough\n',
    'neutron.conf': '[DEFAULT]\ncore_plugin = ml2\n[database]\nconnection = mysql+pymysql://neutron:pw@db/neutron\n',
  });
  t.deepEqual(
    report.coverage.files.filter((f) => f.role === 'nova-conf').map((f) => [f.host, f.path.slice(dir.length + 1)]),
    [['overcloud-compute-0', 'overcloud-compute-0/nova.conf']],
  );
  t.true(
    evidence.some((e) => /overcloud-compute-0 nova\.conf \[libvirt\] cpu_mode=host-passthrough/.test(e)),
    evidence.join('\n'),
  );
  t.false(
    gaps.some((g) => /no nova\.conf of overcloud-compute-0/.test(g)),
    gaps.join('\n'),
  );
});

test("loose virsh output beside a host's log (capabilities, list --all) is that host's, as sos's copies are", async (t) => {
  const { report, evidence, gaps } = await ticketFolder({
    'capabilities.txt':
      "[root@overcloud-compute-0 ~]# virsh capabilities\n<capabilities>\n\n  <host>\n    <uuid>4c4c4544-0047-3010-8053-b8c04f4e3732</uuid>\n    <cpu>\n      <arch>x86_64</arch>\n      <model>Broadwell-noTSX-IBRS</model>\n      <vendor>Intel</vendor>\n      <feature name='vmx'/>\n      <feature name='ssbd'/>\n    </cpu>\n  </host>\n</capabilities>\n",
    'virsh-list.out': ' Id   Name                State\n------------------------------------\n 1    instance-000150f0   running\n',
  });
  t.deepEqual(
    report.coverage.files
      .filter((f) => f.role.startsWith('virsh'))
      .map((f) => [f.role, f.host])
      .sort(),
    [
      ['virsh-capabilities', 'overcloud-compute-0'],
      ['virsh-list', 'overcloud-compute-0'],
    ],
  );
  t.true(
    evidence.some((e) => /overcloud-compute-0: virsh capabilities, host CPU Broadwell-noTSX-IBRS/.test(e)),
    evidence.join('\n'),
  );
  t.false(
    gaps.some((g) => /destination overcloud-compute-0's CPU is not known/.test(g)),
    gaps.join('\n'),
  );
});
