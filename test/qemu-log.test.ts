import test from 'ava';
import { readFileSync } from 'node:fs';
import { QEMU_LINE_FORMATS } from '../parsers/qemu-log.js';
import { analyzeInputs } from '../src/pipeline/analyze.js';
import { reportJson } from '../src/views/report-json.js';
import { parseQemuText } from './helpers/parse.js';
import { corpus, withShared } from './helpers/shared.js';

/**
 * A guest's QEMU log as libvirt keeps it (parsers/qemu-log.ts): each line format against its real samples,
 * a case table of lines, and the real logs of hotsos' Ussuri compute (a guest migrated in, one migrated out)
 * read whole: the guest's instance from its command line, the command line never shown.
 */

const shared = withShared();

for (const f of QEMU_LINE_FORMATS)
  test(`qemu log format ${f.name}: every sample matches, with its fields`, (t) => {
    t.true(f.samples.length > 0);
    for (const s of f.samples) {
      const m = f.pattern.exec(s.line);
      t.truthy(m, s.source);
      for (const [k, v] of Object.entries(s.fields)) t.is(m?.groups?.[k], v, `${k}: ${s.source}`);
    }
  });

const BANNER =
  '2022-02-10 16:18:04.843+0000: starting up libvirt version: 6.0.0, package: 0ubuntu8.15 (Christian Ehrhardt <christian.ehrhardt@canonical.com> Thu, 18 Nov 2021 10:23:11 +0100), qemu version: 4.2.1Debian 1:4.2-3ubuntu6.19, kernel: 5.4.0-97-generic, hostname: compute4.mylab.home';
const UUID = 'd1d75e2f-ada4-49bc-a963-528d89dfda25';

/** [what, lines, the events as [level, logger, message, ts, instance]] */
const CASES: [string, string[], [string, string, string, string, string | undefined][]][] = [
  [
    "libvirt 6's command line, one argument a line: folded into the banner, which carries the guest's uuid",
    [
      BANNER,
      'LC_ALL=C \\',
      '/usr/bin/qemu-system-x86_64 \\',
      '-name guest=instance-00000001,debug-threads=on \\',
      `-uuid ${UUID} \\`,
      '-msg timestamp=on',
    ],
    [['INFO', 'libvirt', BANNER.slice(30), '2022-02-10T16:18:04.843+00:00', UUID]],
  ],
  [
    "libvirt 4's command line on one line; QEMU's stderr before and after `-msg timestamp=on` took effect",
    [
      BANNER,
      `LC_ALL=C PATH=/usr/bin QEMU_AUDIO_DRV=none /usr/bin/kvm-spice -name guest=instance-00000a1f -S -uuid ${UUID} -incoming defer`,
      'char device redirected to /dev/pts/3 (label charserial0)',
      "warning: TCG doesn't support requested feature: CPUID.01H:ECX.vmx [bit 5]",
      '2018-04-05T21:48:43.153288Z qemu-system-x86_64: Failed to load virtio-blk:virtio',
      '2018-04-05 21:48:43.198+0000: shutting down, reason=crashed',
    ],
    [
      ['INFO', 'libvirt', BANNER.slice(30), '2022-02-10T16:18:04.843+00:00', UUID],
      ['INFO', 'qemu', 'char device redirected to /dev/pts/3 (label charserial0)', '', UUID],
      ['WARNING', 'qemu', "warning: TCG doesn't support requested feature: CPUID.01H:ECX.vmx [bit 5]", '', UUID],
      ['ERROR', 'qemu', 'Failed to load virtio-blk:virtio', '2018-04-05T21:48:43.153+00:00', UUID],
      ['ERROR', 'libvirt', 'shutting down, reason=crashed', '2018-04-05T21:48:43.198+00:00', UUID],
    ],
  ],
  [
    "a log rotated after the start: QEMU's and libvirt's lines without the guest's uuid; QEMU's own exit on libvirt's signal is no error",
    [
      '2022-02-10 16:18:31.313+0000: initiating migration',
      '2022-02-10 16:18:33.029+0000: shutting down, reason=migrated',
      '2022-02-10T16:18:33.031019Z qemu-system-x86_64: terminating on signal 15 from pid 1074 (/usr/sbin/libvirtd)',
    ],
    [
      ['INFO', 'libvirt', 'initiating migration', '2022-02-10T16:18:31.313+00:00', undefined],
      ['INFO', 'libvirt', 'shutting down, reason=migrated', '2022-02-10T16:18:33.029+00:00', undefined],
      ['INFO', 'qemu', 'terminating on signal 15 from pid 1074 (/usr/sbin/libvirtd)', '2022-02-10T16:18:33.031+00:00', undefined],
    ],
  ],
  [
    "a rotated log's first line, QEMU's stderr before any start or time: the guest's, undated",
    ['virtio: zero sized buffers are not allowed'],
    [['INFO', 'qemu', 'virtio: zero sized buffers are not allowed', '', undefined]],
  ],
];

for (const [what, lines, expected] of CASES)
  test(`qemu log: ${what}`, (t) => {
    const events = parseQemuText(`${lines.join('\n')}\n`);
    t.deepEqual(
      events.map((e) => [e.level, e.logger, e.message, e.ts, e.instanceUuid]),
      expected,
    );
    for (const e of events) t.false(/-object|master-key|PATH=/.test(e.message + e.raw), 'the command line is never kept');
  });

test('a pasted QEMU log (a mail, a ticket): the banner wrapped to its host, blank lines and wraps inside the command line, a stamped line wrapped in two', (t) => {
  // test/corpus/real/launchpad-nova-1761798-comment-10-qemu-logs, as the paste reader hands it on (its quoted-printable
  // undone): a hard wrap at 72 columns, a blank line after each line; the command line trimmed.
  const lines = [
    '2020-11-20 14:25:24.887+0000: starting up libvirt version: 6.0.0,',
    'package: 0ubuntu8.4~cloud0 (Openstack Ubuntu Testing Bot <openstack-',
    'testing-bot@ubuntu.com> Tue, 15 Sep 2020 20:36:28 +0000), qemu version:',
    '4.2.1Debian 1:4.2-3ubuntu6.7~cloud0, kernel: 4.15.0-124-generic,',
    'hostname: ubuntu-bionic-ovh-bhs1-0021872195',
    '',
    'LC_ALL=C \\',
    '',
    'XDG_CONFIG_HOME=/var/lib/libvirt/qemu/domain-19-instance-',
    '0000001a/.config \\',
    '',
    '-object secret,id=masterKey0,format=raw,file=/var/lib/libvirt/qemu/domain-19',
    '-instance-0000001a/master-key.aes \\',
    '',
    '-uuid 2c468d92-4b19-426a-8c25-16b4624c21a4 \\',
    '',
    '-msg timestamp=on',
    '',
    'char device redirected to /dev/pts/2 (label charserial0)',
    '',
    '2020-11-20T14:26:03.722455Z qemu-system-x86_64: load of migration',
    'failed: Operation not permitted',
    '',
    '2020-11-20 14:26:03.906+0000: shutting down, reason=failed',
  ];
  const events = parseQemuText(`${lines.join('\n')}\n`, {}, { pasted: true });
  t.deepEqual(
    events.map((e) => [e.level, e.logger, e.message.slice(0, 60), e.instanceUuid]),
    [
      ['INFO', 'libvirt', 'starting up libvirt version: 6.0.0, package: 0ubuntu8.4~clou', '2c468d92-4b19-426a-8c25-16b4624c21a4'],
      ['INFO', 'qemu', 'char device redirected to /dev/pts/2 (label charserial0)', '2c468d92-4b19-426a-8c25-16b4624c21a4'],
      ['ERROR', 'qemu', 'load of migration failed: Operation not permitted', '2c468d92-4b19-426a-8c25-16b4624c21a4'],
      ['ERROR', 'libvirt', 'shutting down, reason=failed', '2c468d92-4b19-426a-8c25-16b4624c21a4'],
    ],
  );
  t.regex(events[0].message, /, hostname: ubuntu-bionic-ovh-bhs1-0021872195$/);
  // No piece of the command line, however the wrap cut it, is any event's text.
  for (const e of events) t.false(/master-key|0000001a\/\.config|-instance-/.test(e.message), e.message);
});

shared(
  "hotsos' Ussuri compute: its guests' QEMU logs read in its sosreport, the guests' instances named, the command lines' secrets never shown",
  async (t) => {
    const root = corpus('hotsos', 'openstack');
    const r = await analyzeInputs([root]);
    const files = r.coverage.files.filter((f) => f.role === 'qemu-log');
    t.deepEqual(
      files.map((f) => [f.path.replace(/.*\//, ''), f.lines, f.events, f.folded, f.unparsed]),
      [
        ['instance-00000001.log', 48, 4, 44, 0],
        ['instance-00000002.log', 50, 7, 43, 0],
      ],
    );
    // Each file's lines: the banner, the command line folded into it, then QEMU's and libvirt's own.
    for (const f of files)
      t.is(readFileSync(`${root}/var/log/libvirt/qemu/${f.path.replace(/.*\//, '')}`, 'utf8').split('\n').length - 1, f.lines);
    const json = reportJson(r);
    // libvirt's `-object secret,…,data=…` in the command line: the guest's disk key, encrypted, still never printed.
    t.false(json.includes('XAPibndN'));
    t.false(json.includes('master-key.aes'));
    // Nothing relevant left unread but the domain XML and the listings.
    t.false(r.coverage.files.some((f) => f.role !== 'qemu-log' && /libvirt\/qemu\/instance-0000000\d\.log$/.test(f.path)));
    // A migration that went through is no incident.
    t.false(r.incidents.some((i) => i.kind === 'failed-move'));
  },
);
