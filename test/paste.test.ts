import anyTest from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  GLUED_RECORD,
  GREP_SAMPLES,
  gluedRecordStarts,
  grepPrefix,
  isTracebackLine,
  RECORD_STARTS,
  startsRecord,
  TRACEBACK_LINE,
} from '../parsers/paste/shapes.js';
import { PROMPTS, promptOf } from '../parsers/paste/prompt.js';
import { instanceOfExternalEvent, pastedMessage } from '../parsers/paste/messages.js';
import { PASTE_SNIFF_LINES, sniffPaste } from '../parsers/paste/unpaste.js';
import { SPACE_JOINED_RECORDS, unemphasise, unescapeMarkdown } from '../parsers/paste/shapes.js';
import { exceptionInMessage, exceptionsInTraceback } from '../parsers/exceptions.js';
import { corpus, ROOT, withShared } from './helpers/shared.js';
import { essence, readText, wordWrap } from './helpers/paste.js';
import { parseText } from './helpers/parse.js';
import { committedText } from './helpers/real-lines.js';

const test = withShared();
const fixture = (name: string): Buffer => readFileSync(join(ROOT, 'test', 'fixtures', 'pastes', name));
const shared = (...p: string[]): string => readFileSync(corpus(...p), 'utf8');

// ───────────── the shapes, each with real samples (lnav's habit) ─────────────

anyTest('every record-start, traceback, grep and prompt sample is recognised as what it is', (t) => {
  for (const s of RECORD_STARTS) for (const x of s.samples) t.true(startsRecord(x.line), `${s.name}: ${x.source}`);
  for (const x of TRACEBACK_LINE.samples) {
    t.true(isTracebackLine(x.line), x.source);
    t.false(startsRecord(x.line), x.source);
  }
  for (const x of GREP_SAMPLES) t.deepEqual(grepPrefix(x.line), x.prefix, x.source);
  for (const p of PROMPTS) for (const x of p.samples) t.truthy(promptOf(x.line), `${p.name}: ${x.source}`);
  // A Markdown heading, prose and a log line are not prompts.
  t.is(promptOf('# Logs from the controller'), undefined);
  t.is(promptOf('$ is the price'), undefined);
  t.is(promptOf('2019-08-19 15:54:35.251 1437 ERROR nova.compute.manager'), undefined);
  // openstackclient's alias reads as the client, but `os` before anything else is prose.
  t.is(
    promptOf('os server show f472b2c8-fd17-4759-afaf-ef732776d9cc -c status -c fault')?.command,
    'openstack server show f472b2c8-fd17-4759-afaf-ef732776d9cc -c status -c fault',
  );
  t.is(promptOf('os error 5 while reading the disk'), undefined);
});

anyTest('a record glued after a `path:NNN` is split where its header begins, and only there', (t) => {
  for (const x of GLUED_RECORD.samples) {
    const [at] = gluedRecordStarts(x.line);
    t.true(x.line.slice(0, at).endsWith('lockutils.py:282'), x.source);
    t.true(x.line.slice(at).startsWith('2017-01-19 06:15:03.006 DEBUG nova.compute.utils ['), x.source);
  }
  const record = '2019-08-19 15:54:35.251 1437 INFO nova.compute.manager [-] x';
  t.deepEqual(
    gluedRecordStarts(`2019-08-19 15:54:35.250 1437 DEBUG oslo_service.periodic_task [-] y run_periodic_tasks /a/b.py:215${record}`),
    ['2019-08-19 15:54:35.250 1437 DEBUG oslo_service.periodic_task [-] y run_periodic_tasks /a/b.py:215'.length],
  );
  // A date a message quotes, with a space before it, or with no level and logger after it, is no record.
  t.deepEqual(gluedRecordStarts(`2019-08-19 15:54:35.250 1437 INFO nova.x [-] at line 12: ${record}`), []);
  t.deepEqual(gluedRecordStarts('2019-08-19 15:54:35.250 1437 INFO nova.x [-] took until port:80802019-08-19 15:54:35.251 to answer'), []);
});

anyTest('records whose newlines a copy turned into spaces are split at each header, three or more to a line', (t) => {
  const partsOf = (line: string): string[] => {
    const at = gluedRecordStarts(line);
    return [0, ...at].map((from, i) => line.slice(from, at[i] ?? line.length).trimEnd());
  };
  const [oslo, libvirtd] = SPACE_JOINED_RECORDS.samples;
  t.deepEqual(
    partsOf(oslo.line).map((p) => / (\w+) (nova\.[\w.]+) \[req-7bc758de/.exec(p)?.slice(1, 3)),
    [
      ['INFO', 'nova.virt.libvirt.driver'],
      ['WARNING', 'nova.virt.libvirt.migration'],
      ['WARNING', 'nova.virt.libvirt.driver'],
      ['ERROR', 'nova.virt.libvirt.driver'],
    ],
    oslo.source,
  );
  // libvirtd's own records (its log file's header), three glued after the first.
  t.deepEqual(
    partsOf(libvirtd.line).map((p) => /^[\d-]+ [\d:.]+\+0000: (\d+): debug : (\w+):/.exec(p)?.slice(1, 3)),
    [
      ['8591', 'qemuMonitorJSONCommandWithFd'],
      ['8591', 'qemuMonitorSend'],
      ['8590', 'qemuMonitorIOWrite'],
    ],
    libvirtd.source,
  );
  // One record after a space may be one a message quotes; loghub's file-name prefix is no record.
  const record = '2019-08-19 15:54:35.251 1437 INFO nova.compute.manager [-] x';
  t.deepEqual(gluedRecordStarts(`2019-08-19 15:54:35.250 1437 INFO nova.x [-] said ${record}`), []);
  t.deepEqual(
    gluedRecordStarts(
      'nova-compute.log.1.2017-05-16_13:55:31 2017-05-16 00:00:13.658 2931 INFO nova.compute.resource_tracker [req-addc1839-2ed5-4778-b57e-5854eb7b8b09 - - - - -] Auditing locally available compute resources for node cp-1.slowvm1.tcloud-pg0.utah.cloudlab.us',
    ),
    [],
  );
});

anyTest(
  'vexxhost/atmosphere#3313: a Markdown fence glued to the first record is taken off; the hard-wrapped record is one event with its request and exception',
  async (t) => {
    const text = committedText('github-vexxhost-atmosphere-pr3313', 'nova-compute-wrapped.txt');
    t.true(text.startsWith('```2025-12-01 15:28:44.943 119149 ERROR nova.compute.manager [None'));
    const { events } = await readText(text, 'nova-compute-wrapped.txt');
    t.is(events.length, 1);
    t.is(events[0].requestId, 'req-4b49642f-487b-49f1-9cbf-2820335ed5aa');
    t.is(events[0].ts, '2025-12-01T15:28:44.943');
    t.is(events[0].exception?.type, 'libvirtError');
  },
);

anyTest(
  "nova's test-run form without its time (`WARNING [logger] …`), hand-wrapped with a growing indent: one record, its message whole (openstack/nova d5337279)",
  async (t) => {
    const text = committedText('openstack-nova-commit-d5337279', 'nova-conductor-functional-test.txt');
    const { events } = await readText(text, 'x.txt');
    t.deepEqual(
      events.map((e) => [e.level, e.logger, e.message, e.undated]),
      [
        [
          'WARNING',
          'nova.scheduler.utils',
          'Failed to compute_task_build_instances: ServerGroup policy is not supported: ServerGroupAffinityFilter not configured',
          true,
        ],
      ],
    );
  },
);

anyTest(
  "a test run's record with its traceback, the exception line hand-wrapped: each frame keeps its code line, the exception is read whole (openstack/nova a4ca0b53)",
  async (t) => {
    const text = committedText('openstack-nova-commit-a4ca0b53', 'nova-compute-functional-test.txt');
    const { events } = await readText(text, 'x.txt');
    t.is(events.length, 1);
    const [e] = events;
    t.deepEqual([e.level, e.logger, e.message], ['ERROR', 'nova.compute.manager', 'Error updating resources for node test_compute1.']);
    t.is(e.exception?.type, 'InvalidNetworkNUMAAffinity');
    t.is(
      e.exception?.message,
      'Invalid NUMA network affinity configured: node 1 for physnet foo is not present in host affinity set {0: set([])}',
    );
    // Five frames, each with its code line, between the head and the exception's line.
    t.deepEqual(
      e.traceback?.map((l) => (l.trimStart().startsWith('File "') ? 'frame' : l.startsWith('    ') ? 'code' : l.split(' ')[0])),
      ['Traceback', ...Array(5).fill(['frame', 'code']).flat(), 'InvalidNetworkNUMAAffinity:'],
    );
  },
);

anyTest(
  "lines whose own prefix says what they are (libvirtd's, a host's syslog) are read as such between nova's, in a paste or a loose file",
  async (t) => {
    const real = committedText;
    // A blog's paste (Chinese labels): nova-compute's undated line, then libvirtd's own with its UTC time.
    const blog = await readText(real('github-crystalww-myblog-kolla-openstack-1', 'nova-compute-libvirtd-dbus.txt'), 'x.txt');
    t.deepEqual(
      blog.events.map((e) => [e.service, e.level, e.ts, e.logger]),
      [
        ['nova-compute', 'ERROR', '', 'nova.compute.manager'],
        ['libvirtd', 'ERROR', '2018-11-02T01:14:26.017', 'libvirt virDBusCall:1570'],
      ],
    );
    // A pastebin: labels, libvirtd's two lines, nova's two, then the destination's syslog (no year: nova's lines give it).
    const pb = await readText(real('pastebin-dhpwekaz-live-migration-eof-syslog', 'source-dest-logs.txt'), 'x.txt');
    t.deepEqual(
      pb.events.map((e) => [e.service, e.host, e.ts.slice(0, 19), e.line]),
      [
        ['libvirtd', 'unknown', '2017-03-04T11:36:50', 3],
        ['libvirtd', 'unknown', '2017-03-04T11:36:50', 4],
        ['nova-compute', 'unknown', '2017-03-04T17:03:52', 6],
        ['nova-compute', 'unknown', '2017-03-04T17:03:52', 7],
        ['NetworkManager', 'compute1', '2017-03-04T17:37:19', 10],
        ['NetworkManager', 'compute1', '2017-03-04T17:37:19', 11],
        ['NetworkManager', 'compute1', '2017-03-04T17:37:19', 12],
      ],
    );
    // The nova record does not swallow the syslog lines after it (the two label lines before them still fold into it).
    t.is(pb.events[3].message, 'Migration operation has aborted');
    t.false((pb.events[3].traceback ?? []).some((l) => l.includes('NetworkManager')));
  },
);

anyTest('a prompt says the host and what the command read; a glob or several files name no one source', (t) => {
  t.deepEqual(promptOf('[root@compute1 ~]# tail -n 200 /var/log/nova/nova-compute.log | grep ERROR'), {
    host: 'compute1',
    sources: ['/var/log/nova/nova-compute.log'],
    command: 'tail -n 200 /var/log/nova/nova-compute.log | grep ERROR',
  });
  t.deepEqual(promptOf('stack@devstack:~$ sudo journalctl -u devstack@n-cpu --no-pager')?.sources, ['devstack@n-cpu']);
  t.deepEqual(promptOf('$ ssh ctl01 docker logs nova_conductor')?.host, 'ctl01');
  t.deepEqual(promptOf('$ ssh ctl01 docker logs nova_conductor')?.sources, ['nova_conductor']);
  t.deepEqual(promptOf('$ kubectl -n openstack logs nova-0 -c nova-conductor')?.sources, ['nova-conductor']);
  t.deepEqual(promptOf("grep 'ERROR' nova-compute.log:")?.sources, ['nova-compute.log']);
});

anyTest('the messages of faults, dashboards and clients are taken where their structure says so, not prose', (t) => {
  const fault =
    "| fault                       | {u'message': u'Build of instance 14c8f79e-4436-4ad9-9e5f-07de34b47247 aborted: Auth plugin requires parameters which were not given: auth_url', u'code': 500, u'created': u'2022-03";
  t.is(
    pastedMessage(fault)?.message,
    'Build of instance 14c8f79e-4436-4ad9-9e5f-07de34b47247 aborted: Auth plugin requires parameters which were not given: auth_url',
  );
  const client =
    '> ERROR: The server has either erred or is incapable of performing the requested operation. (HTTP 500) (Request-ID: req-3ecfc01c-41af-4552-ae63-dd0407b4be5e)'.slice(
      2,
    );
  t.is(pastedMessage(client)?.requestId, 'req-3ecfc01c-41af-4552-ae63-dd0407b4be5e');
  t.is(pastedMessage('No valid host was found. No valid host found for cold migrate')?.exception?.type, 'NoValidHost');
  t.is(pastedMessage('Error: something went wrong, please check'), undefined);
  t.is(pastedMessage('This is what I see on the compute node:'), undefined);
});

// ───────────── an ordinary log is never a paste ─────────────

test('no real log file is taken for a paste: their first lines sniff as ordinary', async (t) => {
  const logs: [string, string][] = [
    [
      'os-log-merger conductor',
      shared('os-log-merger', 'debug-live-migration', 'logs', 'hp-ms-01-c29', 'var', 'log', 'nova', 'nova-conductor.log'),
    ],
    ['OpenStackForensics compute', shared('OpenStackForensics', 'nova-compute.log')],
    ['loghub', shared('loghub-openstack', 'OpenStack_2k.log')],
    [
      'sunbeam pod log',
      shared('hotsos', 'sunbeam', 'podlogs', 'nova-0', 'k8s_kubectl_--namespace_openstack_logs_nova-0_-c_nova-conductor'),
    ],
    [
      'hotsos compute (multi-line messages)',
      gunzipSync(readFileSync(corpus('hotsos', 'openstack', 'var', 'log', 'nova', 'nova-compute.log.1.gz'))).toString(),
    ],
    [
      'Kilo compute (an XML dump follows its second line)',
      gunzipSync(
        readFileSync(
          corpus(
            'os-log-merger',
            'debug-router-net-vm-creation',
            'logs',
            'controller1',
            'var',
            'log',
            'nova',
            'nova-compute.log-20151124.gz',
          ),
        ),
      ).toString(),
    ],
  ];
  for (const [name, text] of logs) {
    const lines = text.split('\n');
    t.is(sniffPaste(lines.slice(0, PASTE_SNIFF_LINES)), undefined, name);
    // sos keeps only a log's tail: it may open inside a record.
    t.is(sniffPaste(lines.slice(3, 3 + PASTE_SNIFF_LINES)), undefined, `${name}, opening mid-record`);
  }
});

// ───────────── real pastes ─────────────

test('cnf-testbed#101: a terminal 210 columns wide cut every record; joined, the uuid cut in two is whole', async (t) => {
  const { events, covs } = await readText(fixture('cncf-testbed-issue101.terminal-wrapped.txt'));
  t.is(covs.length, 1);
  t.is(covs[0].format, 'paste (terminal-wrapped at 210 columns) + oslo');
  t.is(covs[0].unparsed, 0);
  t.is(events.length, 3);
  for (const e of events) t.is(e.instanceUuid, '60e8f0f8-acbc-4be7-a6ac-0b482224bc77');
  t.is(events[0].message, 'Deleting instance files /var/lib/nova/instances/60e8f0f8-acbc-4be7-a6ac-0b482224bc77_del');
  t.deepEqual([events[0].line, events[0].lineEnd], [1, 2]);
  t.is(events[2].exception?.type, 'VirtualInterfaceCreateException');
  t.is(events[2].requestId, 'req-ec66d439-8856-4a50-8a86-51c804748e4f');
  t.deepEqual(events[2].traceback, ['Traceback (most recent call last):']);
});

test("a ticket's sentences around a fenced log do not hide its syslog prefix; a CLI table beside it counts against one (jedipunkz, gibizer's logsearch)", async (t) => {
  const syslog = realExcerpt('github-jedipunkz-blog-2013-09-09-openstack-docker-hackathon', 'syslog-nova-compute-spawn.txt').toString(
    'latin1',
  );
  const fenced = await readText(`Here is the log:\n\n\`\`\`\n${syslog.replace(/\n$/, '')}\n\`\`\`\n\nAny idea?\n`);
  t.regex(fenced.covs[0]?.format ?? '', /syslog rfc3164/);
  const spawn = fenced.events.find((e) => e.exception);
  t.is(spawn?.instanceUuid, 'fdd0fdfb-aaa2-4e91-98cc-cdb347e9ae09');
  t.is(spawn?.host, 'devstack01');
  // The search's table of builds stays in the sniff: the journal lines its hits show stay lines of their own, not a
  // prefix chosen for the whole file.
  const search = await readText(realExcerpt('github-gibizer-zuul-log-search-readme-logsearch', 'logsearch-screen-n-cpu.txt'));
  t.is(search.covs[0]?.format, 'paste (nothing to undo) + zuul logsearch + journald short-precise (its lines alone) + oslo');
  t.is(search.events.filter((e) => e.logger === 'os_brick.initiator.connectors.iscsi').length, 5);
  // No line of it has a time nova wrote: the journal lines' year is not said to come from one.
  t.not(search.covs[0]?.assumedYear?.from, 'oslo-timestamps');
  t.truthy(search.covs[0]?.assumedYear);
});

test('a short paste a terminal cut once is joined as a terminal cuts: a word split in two, a stop after a uuid (kubenow#143, vexxhost, phonglh79 cut at 120)', async (t) => {
  const cut = (text: string): string =>
    text
      .split('\n')
      .flatMap((l) => l.match(/.{1,120}/g) ?? [''])
      .join('\n');
  const message = async (slug: string, file: string): Promise<string | undefined> =>
    (await readText(cut(realExcerpt(slug, file).toString('utf8')))).events[0]?.message;
  // `…100a0ea23dc7` / `. Last exception`: no space was there to break at.
  t.is(
    await message('github-kubenow-kubenow-issue143', 'instance-message.txt'),
    'Exceeded maximum number of retries. Exceeded max scheduling attempts 5 for instance 43d47d19-1ed3-4c47-ad42-100a0ea23dc7. Last exception: [Errno 2] No such file or directory',
  );
  // `did not fini` / `sh being`: an English word cut in two.
  t.regex(
    (await message('github-vexxhost-atmosphere-doc-compute-downloading-volume', 'fault-build-aborted.txt')) ?? '',
    /did not finish being created/,
  );
  // `PortBindingFai` / `led`: the last word of a class name.
  t.regex(
    (await message('github-phonglh79-ghichep-duydm-multi-region-errors', 'nova-compute-port-binding.log')) ?? '',
    /^PortBindingFailed: /,
  );
});

test('records glued onto one line, then word-wrapped at 72 columns (pastebin 3mxsvnrr): the four records, each whole, a wrap inside a glued header joined', async (t) => {
  const line = realExcerpt('pastebin-3mxsvnrr', 'nova-compute.log').toString('utf8').trim();
  const wrapped = wordWrap(line, 72);
  const { events } = await readText(wrapped.join('\n'));
  t.deepEqual(
    events.map((e) => [e.level, e.logger, e.message]),
    [
      [
        'INFO',
        'nova.virt.libvirt.driver',
        'Migration running for 2280 secs, memory 3% remaining; (bytes processed=2541888418, remaining=126791680, total=3226542080)',
      ],
      ['WARNING', 'nova.virt.libvirt.migration', 'Live migration not completed after 2400 sec'],
      ['WARNING', 'nova.virt.libvirt.driver', 'Migration operation was cancelled'],
      [
        'ERROR',
        'nova.virt.libvirt.driver',
        'Live Migration failure: operation aborted: migration job: canceled by client: libvirtError: operation aborted: migration job: canceled by client',
      ],
    ],
  );
  for (const e of events) t.is(e.requestId, 'req-7bc758de-b2e4-461b-a971-f79be6cd4703');
});

test("a record of 3.6 MB a terminal cut 30,000 times, pasted indented, is one event of its whole text (up to the paste reader's 1 MiB)", async (t) => {
  // Each cut once asked about the record's header with the whole text joined so far, copied and trimmed: 15 s for
  // this one before (docs/performance.md, fifteenth session); not timed here, that is the bench's business.
  const words = Array.from({ length: 600_000 }, (_, i) => `word${i % 97}`).join(' ');
  const record = `2018-12-17 13:47:12.449 16987 ERROR nova.compute.manager [req-7bc758de-b2e4-461b-a971-f79be6cd4703 - - - - -] ${words}`;
  const cut = record.match(/.{1,120}/g) ?? [];
  t.true(cut.length > 30_000);
  const { events, covs } = await readText(`    ${cut.join('\n    ')}\n`);
  t.is(events.length, 1);
  t.is(covs[0]?.format, 'paste (4-space indent, terminal-wrapped at 120 columns) + oslo');
  t.is(events[0]?.requestId, 'req-7bc758de-b2e4-461b-a971-f79be6cd4703');
  t.true((events[0]?.message.length ?? 0) > 1_000_000 - 200);
  t.true(events[0]?.message.startsWith('word0 word1 word2'));
});

test("louielong's blog: a renderer's spaces after the bracket (`[    instance: …]`) are still the instance's tag, its message after it", async (t) => {
  const text = readFileSync(
    join(ROOT, 'test', 'corpus', 'real', 'github-louielong-blog-volume-create-timeout', 'nova-compute-blockquote.log'),
  );
  const { events } = await readText(text);
  t.is(events.length, 1);
  t.is(events[0].instanceUuid, '655eccd6-cafb-4291-b55a-c53dd000a8e4');
  t.regex(events[0].message, /^Build of instance 655eccd6-cafb-4291-b55a-c53dd000a8e4 aborted: Volume 0e4150db/);
  t.is(events[0].exception?.type, 'BuildAbortException');
});

test("nova commit 53eedc2d: 'Live Migration failure: Requested operation is not valid:' hand-wrapped onto an indented line is one libvirt-driver record, libvirt's error whole", async (t) => {
  const { events } = await readText(realExcerpt('openstack-nova-commit-53eedc2d', 'nova-compute-message.txt'));
  t.is(events.length, 1);
  t.is(events[0].logger, 'nova.virt.libvirt.driver');
  t.is(
    events[0].message,
    'Live Migration failure: Requested operation is not valid: direct migration is not supported by the connection driver',
  );
});

test("pastebin 7wagfmgf: a scheduler record copied from its request context on is the scheduler's refusal, with its request", async (t) => {
  const { events } = await readText(realExcerpt('pastebin-7wagfmgf', 'nova-scheduler-fragment.txt'));
  t.is(events.length, 1);
  t.is(events[0].requestId, 'req-a822f4c7-1788-4ff3-b03f-91db6d722937');
  t.regex(
    events[0].message,
    /^Filtering removed all hosts for the request with instance ID 'fb1ee3fe-3230-4d3a-a6d2-7b4a5bae1c09'\. Filter results: \[/,
  );
});

test('puppetlabs-openstack#162: a 134-column cut inside the project id is joined; a remote traceback with blank lines stays one record', async (t) => {
  const text = readFileSync(
    join(ROOT, 'test', 'corpus', 'real', 'github-puppetlabs-toy-chest-puppetlabs-openstack-issue162', 'nova-conductor.log'),
  );
  const { events, covs } = await readText(text);
  t.is(covs[0].format, 'paste (terminal-wrapped at 134 columns, file headers) + oslo');
  t.is(covs[0].source, 'conductor.log');
  t.is(events.length, 2);
  for (const e of events) {
    t.is(e.requestId, 'req-6ccd63e7-58f1-47dc-9c45-623c095faa49');
    t.is(e.projectId, '780221eb5f9f44adbdd7f510306afb77');
  }
  t.is(events[0].message, 'Failed to compute_task_migrate_server: No valid host was found.');
  // The blank lines between frames (oslo.messaging's remote format) and the exception line after them fold in.
  t.is(events[0].traceback?.at(-1), 'NoValidHost: No valid host was found.');
  t.is(events[0].exception?.type, 'NoValidHost');
  t.is(events[1].instanceUuid, '2a877215-9a8c-47b5-8cae-9962c897990b');
});

test('elasticluster#660: a Markdown 4-space block reads as the log it was', async (t) => {
  const text = fixture('elasticluster-issue660.markdown-indented.txt').toString();
  const { events, covs } = await readText(text);
  t.is(covs[0].format, 'paste (4-space indent) + oslo');
  t.is(covs[0].unparsed, 0);
  const plain = await readText(
    text
      .split('\n')
      .map((l) => l.slice(4))
      .join('\n'),
  );
  t.deepEqual(events.map(essence), plain.events.map(essence));
  t.is(events.length, 5);
  t.is(events[4].traceback?.length, 7);
  // The same lines quoted in a mail reply, with Windows line ends and a rich editor's spaces and quotes.
  const mangled = text
    .split('\n')
    .map((l) => `> ${l}`.replace(/ {2}/g, '\u00a0 ').replace(/"/g, '\u201d'))
    .join('\r\n');
  const quoted = await readText(mangled);
  t.deepEqual(quoted.events.map(essence), plain.events.map(essence));
  t.regex(quoted.covs[0].format!, /rich-text spaces and quotes, > quoting, 4-space indent/);
});

test("pastebin SQNTDMT7: Horizon's banner above a compute's dated lines makes a paste: the banner is the server's fault, the lines the compute's", async (t) => {
  const text = committedText('pastebin-sqntdmt7-horizon-maxretries-kolla-compute', 'horizon-error-nova-compute.txt');
  const lines = text.split('\n');
  t.truthy(sniffPaste(lines.slice(0, PASTE_SNIFF_LINES)));
  // The compute's lines alone are an ordinary log; so are they after a remote traceback's exception line (a log that
  // opens inside one), which names nova's exception but is no dashboard's banner.
  t.is(sniffPaste(lines.slice(2, PASTE_SNIFF_LINES)), undefined);
  t.is(sniffPaste([': NoValidHost_Remote: No valid host was found.', ...lines.slice(2, PASTE_SNIFF_LINES)]), undefined);
  const { events } = await readText(text);
  t.is(events.length, 2);
  t.is(events[0].exception?.type, 'MaxRetriesExceeded');
  t.is(events[1].logger, 'nova.compute.manager');
  t.is(events[1].ts, '2018-05-21T17:58:44.188');
});

test("a script's or README's output commented out: every line's `# ` taken off; a root prompt's `# ` is not a comment", async (t) => {
  // Real (test/corpus/real/github-rcarratalasanchez-deploystack-novalidhost-juno): nova show's fault cell, commented out.
  const commented = await readText(realExcerpt('github-rcarratalasanchez-deploystack-novalidhost-juno', 'fault-comment.txt'));
  t.is(commented.events.length, 1);
  t.is(commented.events[0].exception?.type, 'NoValidHost');
  t.regex(commented.covs[0].format!, /# comments/);
  // Real lines commented out line by line keep their records, and the plain copy's events.
  const lines = realExcerpt('github-accelazh-blog-cinder-boot-from-volume-spawn', 'nova-compute-failed-to-spawn.log').toString('utf8');
  const plain = await readText(lines);
  const hashed = await readText(
    lines
      .split('\n')
      .map((l) => (l ? `# ${l}` : l))
      .join('\n'),
  );
  t.true(plain.events.length > 0 && plain.events[0].traceback!.length > 3);
  t.deepEqual(hashed.events.map(essence), plain.events.map(essence));
  // A root shell's prompt is `# `: its commands are no comments (here every line is one, each with its output cut).
  const session = ['# nova show web-01 | grep fault', '# grep ERROR /var/log/nova/nova-scheduler.log'].join('\n');
  const read = await readText(session);
  t.notRegex(read.covs[0].format ?? '', /# comments/);
});

test('records pasted with their time of day only are undated records of their level and logger; a headless message takes its traceback', async (t) => {
  // Real (test/corpus/real/github-bigstack-oss-cubecos-issue1440): the date, pid and context cut off in the issue.
  const cubecos = await readText(realExcerpt('github-bigstack-oss-cubecos-issue1440', 'nova-compute-sync-power-state.txt'));
  t.deepEqual(
    cubecos.events.map((e) => [e.ts, e.level, e.logger, e.instanceUuid, e.message]),
    [['', 'INFO', 'nova.compute.manager', 'ff549c0e', 'During sync_power_state the instance has a pending task (migrating). Skip.']],
  );
  // Real (test/corpus/real/github-osism-documentation-notes-openstack): the first line cut before its message, the
  // traceback's lines with their time of day and pid still on: one record, theirs, with its traceback and exception.
  const osism = await readText(realExcerpt('github-osism-documentation-notes-openstack', 'nova-conductor-rpcversioncaperror.txt'));
  t.is(osism.events.length, 1);
  t.like(osism.events[0], { logger: 'oslo_messaging.rpc.server', pid: 35, exception: { type: 'RPCVersionCapError' } });
  t.is(osism.events[0].traceback?.length, 17);
  // A file's name as a label before such a line (a space after its colon), the way grep would name it.
  const labelled = await readText(realExcerpt('github-osism-documentation-notes-openstack', 'nova-consoleauth-rpc-version.txt'));
  t.deepEqual(
    labelled.events.map((e) => [e.logger, e.pid, e.message]),
    [
      ['nova.compute.rpcapi', 7, 'Automatically selected compute RPC version 4.17 from minimum service version 22'],
      ['nova.compute.rpcapi', 7, 'Automatically selected compute RPC version 5.0 from minimum service version 35'],
    ],
  );
  // A time of day inside a sentence starts nothing.
  t.false(startsRecord('12:38 is when INFO nova.compute.rpcapi said so'));
});

test('01.org: a message alone and a level-only line are undated events, in their order, never given a time', async (t) => {
  const { events, covs } = await readText(shared('bug-report-excerpts', '01.org__solving-vm-live-migration-failure.nova-compute.log'));
  t.is(covs[0].unparsed, 0);
  t.is(covs[0].undated, 2);
  t.deepEqual(
    events.map((e) => [e.line, e.ts, e.undated, e.level, e.logger, e.exception?.type]),
    [
      [1, '', true, 'ERROR', undefined, 'InvalidCPUInfo'],
      [2, '', true, 'ERROR', 'nova.virt.libvirt.driver', undefined],
    ],
  );
  t.is(events[1].instanceUuid, '7879eec3-9b60-4fb4-beff-a2a895cf0e0f');
  t.is(events[0].afterTs, undefined);
});

test('cubecos#312: an instance fault pasted with its details is one undated NoValidHost event with its traceback', async (t) => {
  const { events, covs } = await readText(shared('bug-report-excerpts', 'bigstack-oss__cubecos__issue312.instance-fault.txt'));
  t.is(events.length, 1);
  t.is(covs[0].unparsed, 0);
  const e = events[0];
  t.is(e.message, 'No valid host was found.');
  t.is(e.exception?.type, 'NoValidHost');
  t.true(e.undated);
  t.is(e.traceback?.[0], 'Traceback (most recent call last):');
  t.is(e.lineEnd, 17);
});

test('openstack-operator#585: the exception line alone names its class', async (t) => {
  const { events } = await readText(shared('bug-report-excerpts', 'openstack-k8s-operators__openstack-operator__pr585.txt'));
  t.is(events.length, 1);
  t.is(events[0].exception?.rawType, 'nova.exception.MigrationPreCheckError');
});

test('grep output: numbered lines and sosreport paths; the path names the source, the syslog host the machine', async (t) => {
  const numbered = await readText(shared('bug-report-excerpts', 'todaygood__openstack-solution__issue23.nova-scheduler-grep.log'));
  t.is(numbered.covs[0].format, 'paste (grep prefixes) + oslo');
  t.deepEqual(
    numbered.events.map((e) => [e.line, e.ts, e.logger]),
    [
      [1, '2018-08-09T09:19:08.040', 'nova.filters'],
      [2, '2018-08-09T09:19:08.041', 'nova.filters'],
    ],
  );
  const messages = await readText(
    shared('bug-report-excerpts', 'openstack-k8s-operators__nova-operator__pr777.sosreport-messages-grep.log'),
  );
  t.is(messages.covs.length, 1);
  t.is(messages.covs[0].source, 'sosreport-compute-1-2024-07-11-rujznhs/var/log/messages');
  t.is(messages.covs[0].format, 'paste (grep prefixes) + syslog rfc3164 + oslo');
  t.deepEqual(
    messages.events.map((e) => [e.host, e.service, e.instanceUuid]),
    [
      ['np0004787595', 'nova-compute', '7b7edae6-f878-4756-a858-86f836d02c33'],
      ['np0004787595', 'nova-compute', '7b7edae6-f878-4756-a858-86f836d02c33'],
    ],
  );
});

// ───────────── a ticket mixing several files ─────────────

test('a ticket with prose, a prompt, grep -r over two files and a terminal-wrapped block gives a source per file', async (t) => {
  const claims = fixture('elasticluster-issue660.markdown-indented.txt')
    .toString()
    .split('\n')
    .slice(0, 2)
    .map((l) => l.slice(4));
  // The conductor's line is the scheduler utils' line of rpc-openstack#1440 (rcbops/rpc-openstack).
  const conductor = shared('bug-report-excerpts', 'rcbops__rpc-openstack__pr1440.nova-conductor.log').trim();
  const wrapped = fixture('cncf-testbed-issue101.terminal-wrapped.txt').toString().trimEnd().split('\n');
  const text = [
    'The build fails, this is what I see:',
    '',
    '[root@compute1 ~]# grep -r claims /var/log/nova/',
    ...claims.map((l) => `/var/log/nova/nova-compute.log:${l}`),
    `/var/log/nova/nova-conductor.log:${conductor}`,
    '[root@compute1 ~]#',
    '',
    'and on the other compute, nova-compute.log says:',
    '',
    ...wrapped,
    '',
  ].join('\n');
  const { events, covs } = await readText(text, 'ticket.txt');
  t.deepEqual(
    covs.map((c) => [c.source, c.host, c.service, c.events, c.unparsed]),
    [
      [undefined, 'unknown', undefined, 0, 1],
      // The prompt names the host; the lines grep printed name their files.
      [undefined, 'compute1', undefined, 0, 0],
      ['/var/log/nova/nova-compute.log', 'compute1', 'nova-compute', 2, 0],
      ['/var/log/nova/nova-conductor.log', 'compute1', 'nova-conductor', 1, 0],
      // The sentence after the prompt names the file of the next block.
      ['nova-compute.log', 'compute1', 'nova-compute', 3, 0],
    ],
  );
  t.is(covs[0].format, 'paste (terminal-wrapped at 210 columns, grep prefixes, shell prompts, file headers) + oslo');
  t.is(events.filter((e) => e.instanceUuid === '60e8f0f8-acbc-4be7-a6ac-0b482224bc77').length, 3);
  t.truthy(events.find((e) => e.service === 'nova-conductor' && e.requestId === 'req-e21fdda8-7c6c-47d7-9137-0eaed3fc7c7c'));
  t.is(events.filter((e) => e.logger === 'nova.compute.claims' && e.host === 'compute1').length, 2);
});

test('tail of several files: each `==> file <==` block is a source of its own', async (t) => {
  const conductor = shared('bug-report-excerpts', 'rcbops__rpc-openstack__pr1440.nova-conductor.log').trim();
  const scheduler = shared('bug-report-excerpts', 'todaygood__openstack-solution__issue23.nova-scheduler-grep.log')
    .trim()
    .split('\n')
    .map((l) => l.replace(/^\d+:/, ''));
  const text = ['==> nova-conductor.log <==', conductor, '', '==> nova-scheduler.log <==', ...scheduler, ''].join('\n');
  const { events, covs } = await readText(text);
  t.deepEqual(
    covs.map((c) => [c.source, c.service, c.events]),
    [
      ['nova-conductor.log', 'nova-conductor', 1],
      ['nova-scheduler.log', 'nova-scheduler', 2],
    ],
  );
  t.is(events.length, 3);
});

// ───────────── shapes found in the project's real corpus ─────────────

const realExcerpt = (slug: string, file: string): Buffer => readFileSync(join(ROOT, 'test', 'corpus', 'real', slug, file));

anyTest('elijah-openstack#4: Markdown emphasis typed before a record is taken off, not the asterisks inside its text', async (t) => {
  const { events, covs } = await readText(realExcerpt('github-cmusatyalab-elijah-openstack-issue4', 'n-sch.log'), 'n-sch.log');
  t.is(covs[0].format, 'paste (Markdown emphasis marks) + oslo');
  t.deepEqual(
    events.map((e) => [e.ts, e.logger, e.pid, e.codeLocation?.func]),
    [['2015-11-09T13:18:41.943', 'nova.scheduler.filters.disk_filter', 12354, 'host_passes']],
  );
  t.true(events[0].message.endsWith('it only has **-1503232.0** MB usable disk.'));
  // Around a record, and not where no record follows.
  t.deepEqual(sniffPaste(['**2015-11-09 13:18:41.943 DEBUG nova.scheduler.host_manager [-] x**'])?.emphasis, true);
  t.falsy(sniffPaste(['_2015 was a good year_'])?.emphasis);
});

anyTest("whitekid's GlusterFS post: a Markdown source's backslash escapes (`\\[-\\]`, `\\[instance: …\\]`) are taken off", async (t) => {
  const slug = 'github-whitekid-whitekid-github-io-glusterfs-unsafe-migration';
  const { events, covs } = await readText(realExcerpt(slug, 'nova-compute-live-migration.txt'), 'nova-compute.log');
  t.regex(covs[0].format ?? '', /Markdown backslash escapes/);
  t.deepEqual(
    events.map((e) => [e.ts, e.level, e.logger, e.requestId, e.instanceUuid]),
    [['2013-06-03T11:52:20.743', 'ERROR', 'nova.virt.libvirt.driver', undefined, '4717b4d4-61a7-4f4d-b5fc-5ff526822e89']],
  );
  t.true(events[0].message.startsWith('Live Migration failure: Unsafe migration:'));
  // Only where a record's context is escaped: a backslash in an ordinary paste stays (a Windows path, a regex).
  t.falsy(sniffPaste(['    2013-06-03 11:52:20.743 11492 ERROR nova.virt.libvirt.driver [-] C:\\temp \\[x\\]'])?.mdEscaped);
  t.is(unescapeMarkdown('\\_\\_init\\_\\_ \\[x\\] a\\b'), '__init__ [x] a\\b');
});

anyTest('ajnouri/coa#50: bold typed around the level and the logger of a quoted record is taken off there only', async (t) => {
  const { events, covs } = await readText(realExcerpt('github-ajnouri-coa-issue50', 'nova-api-tail-quoted.txt'), 'nova-api.log');
  t.regex(covs[0].format ?? '', /Markdown emphasis marks/);
  // The bold record is a record (its time, logger, exception), its empty tail folded; the four WARNINGs after it.
  t.deepEqual(
    events.map((e) => [e.ts, e.level, e.logger]),
    [
      ['2016-12-24T10:45:24.205', 'ERROR', 'nova.servicegroup.drivers.db'],
      ['2016-12-24T10:48:56.358', 'WARNING', 'nova.cmd.cert'],
      ['2016-12-24T10:48:56.539', 'WARNING', 'oslo_reports.guru_meditation_report'],
      ['2016-12-24T10:48:57.121', 'WARNING', 'oslo_config.cfg'],
      ['2016-12-24T10:48:57.274', 'WARNING', 'oslo_config.cfg'],
    ],
  );
  t.is(events[0].exception?.type, 'OperationalError');
  // Only in the header: a traceback's `**kwargs` is code.
  const kwargs = '2016-12-24 10:45:24.205 1103 ERROR nova.servicegroup.drivers.db     return f(*args, **kwargs)';
  t.is(unemphasise(kwargs), undefined);
  // A script's logger is `__main__`: a name, not bold.
  t.is(unemphasise('2016-12-24 10:45:24.205 1103 INFO __main__ starting'), undefined);
  t.is(
    unemphasise('2016-12-24 10:45:24.205 1103 __INFO nova.cmd.api__ starting'),
    '2016-12-24 10:45:24.205 1103 INFO nova.cmd.api starting',
  );
});

anyTest(
  'operations guide, app-crypt: a grep over a central rsyslog, the message sent with no tag, a Folsom record hard-wrapped',
  async (t) => {
    const { events, covs } = await readText(realExcerpt('openstack-operations-guide-app-crypt', 'rsyslog-grep-nova.log.txt'));
    t.is(covs[0].format, 'paste (3-space indent, word-wrapped at 53 columns, grep prefixes) + syslog rfc3164 without tag + oslo');
    t.is(covs[0].source, 'dair-ua-c03/nova.log');
    t.deepEqual(
      events.map((e) => [e.ts, e.host, e.service, e.logger, e.message]),
      [
        [
          '2012-12-19T12:10:59.000',
          'dair-ua-c03',
          'nova-compute',
          'nova.virt.libvirt.imagecache',
          'Removing base file: /var/lib/nova/instances/_base/7b4783508212f5d242cbf9ff56fb8d33b4ce6166_10',
        ],
      ],
    );
  },
);

anyTest(
  'qemu-devel mail (nova bug 1929710): a quoted-printable body is decoded, its soft breaks through words and uuids joined',
  async (t) => {
    const { events, covs } = await readText(realExcerpt('launchpad-nova-1929710-qemu-devel-mail', 'screen-n-cpu-quoted-printable.txt'));
    t.is(covs[0].format, 'paste (quoted-printable, 2-space indent) + journald short-precise + oslo');
    t.is(covs[0].unparsed, 0);
    t.is(events.length, 1);
    const e = events[0];
    t.like(e, {
      host: 'ubuntu-focal-vexxhost-ca-ymq-1-0024823853',
      service: 'nova-compute',
      pid: 114649,
      requestId: 'req-7cfcd661-29d4-4cc3-bc54-db0e7fed1a6e',
      projectId: 'tempest-TestVolumeSwap-1841575704',
      line: 1,
      lineEnd: 14,
    });
    t.deepEqual(e.exception, {
      type: 'libvirtError',
      rawType: 'libvirt.libvirtError',
      message: "invalid argument: disk 'vdb' not found in domain",
    });
    t.deepEqual(e.traceback, [
      'Traceback (most recent call last):',
      '  File "/opt/stack/nova/nova/virt/libvirt/driver.py", line 2107, in _swap_volume',
      '    while not dev.is_job_complete():',
    ]);
    // An ordinary log is never taken for one: a line ending in base64's `=`, a query's `a=b`.
    t.falsy(sniffPaste(['  abc def AAAA=', '  x=1&y=2 ghi=', '  more text'])?.qp);
  },
);

anyTest('nova commit ad4ef5af: a journald record hand-wrapped over eight indented lines, the header alone on the first', async (t) => {
  const { events, covs } = await readText(realExcerpt('openstack-nova-commit-ad4ef5af', 'screen-n-cpu-wrapped.txt'));
  t.is(covs[0].format, 'paste (2-space indent, word-wrapped at 67 columns) + journald short-precise + oslo');
  t.is(events.length, 1);
  t.like(events[0], {
    level: 'WARNING',
    logger: 'nova.compute.resource_tracker',
    requestId: 'req-d6f2ae97-d8f7-46f6-8974-b42aeb58302d',
    pid: 31951,
    lineEnd: 8,
    message:
      "Instance 227c23cd-aeb2-4b5a-b001-21bd920a5e77 is not being actively managed by this compute host but has allocations referencing this compute host: {u'resources': {u'MEMORY_MB': 64, u'VCPU': 1, u'DISK_GB': 1}}. Skipping heal of allocation because we do not know what to do.",
  });
});

anyTest('kolla-ansible commit dff7896d: a message alone, hand-wrapped without indent, is one event with its text whole', async (t) => {
  const { events, covs } = await readText(realExcerpt('openstack-kolla-ansible-commit-dff7896d', 'nova-compute-message.txt'));
  t.is(covs[0].format, 'paste (word-wrapped at 70 columns) + oslo');
  t.is(events.length, 1);
  t.true(events[0].undated);
  t.is(
    events[0].message,
    "Instance failed to spawn: libvirtError: unsupported configuration: CPU mode 'host-model' for aarch64 kvm domain on aarch64 host is not supported by hypervisor.",
  );
  t.is(events[0].exception?.type, 'libvirtError');
  t.is(events[0].traceback, undefined);
});

anyTest("python-libvirt's libvirtError is a class, bare (Python 2) or dotted; lower-case words before a colon are not", (t) => {
  t.is(exceptionInMessage('Instance failed to spawn: libvirtError: unsupported configuration: CPU')?.type, 'libvirtError');
  t.is(exceptionInMessage('Live Migration failure: x: libvirt.libvirtError: authentication failed')?.rawType, 'libvirt.libvirtError');
  t.deepEqual(
    exceptionsInTraceback(['Traceback (most recent call last):', 'libvirtError: internal error']).map((x) => x.type),
    ['libvirtError'],
  );
  t.is(exceptionInMessage('the stderror: was empty'), undefined);
  t.is(exceptionInMessage('an error: occurred'), undefined);
});

anyTest("the scheduler's filter results name filters, not exceptions (real line: pastebin isRikQLH, 2017)", (t) => {
  const [ev] = parseText(
    `${readFileSync(join(ROOT, 'test', 'corpus', 'real', 'pastebin-isrikqlh-diskfilter', 'nova-scheduler.log'), 'utf8').split('\n')[2]}\n`,
  ).events;
  t.regex(
    ev.message,
    /^Filtering removed all hosts for the request with instance ID .* Filter results: \['RetryFilter: \(start: 1, end: 1\)'/,
  );
  t.is(ev.exception, undefined);
  t.is(exceptionInMessage("Filter results: ['RetryFilter: (start: 1, end: 1)', 'DiskFilter: (start: 1, end: 0)']"), undefined);
});

anyTest('a message naming a neutron external event (network-vif-plugged-<port>) and one other uuid names that instance', (t) => {
  const m = pastedMessage(
    'Neutron Reported failure on event network-vif-plugged-60c05a0d-8758-44c9-81e4-754551567be5 for instance 32c493c4-d88c-4f14-98db-c7af64bf3324: NovaException: In shutdown, no new events can be scheduled',
  );
  t.is(m?.exception?.type, 'NovaException');
  t.is(m?.instanceUuid, '32c493c4-d88c-4f14-98db-c7af64bf3324');
  // Two other uuids, or no event: no instance is said.
  t.is(
    instanceOfExternalEvent(
      'network-vif-plugged-60c05a0d-8758-44c9-81e4-754551567be5 aa 32c493c4-d88c-4f14-98db-c7af64bf3324 0d1c4a8e-5f0e-4b8a-9a55-2f7c3e1d9b60',
    ),
    undefined,
  );
  t.is(instanceOfExternalEvent('port 60c05a0d-8758-44c9-81e4-754551567be5 for instance 32c493c4-d88c-4f14-98db-c7af64bf3324'), undefined);
});

test("kolla-ansible 192dcd1e: a message hand-wrapped before the class and the uuid that make it nova's is one event; a wrapped paragraph of prose stays its lines", async (t) => {
  const dir = join(ROOT, 'test', 'corpus', 'real', 'openstack-kolla-ansible-commit-192dcd1e');
  const { events, covs } = await readText(readFileSync(join(dir, 'nova-compute-message.txt')));
  t.is(events.length, 1);
  t.is(covs[0].unparsed, 0);
  t.true(
    events[0].message.startsWith('Neutron Reported failure on event network-vif-plugged-60c05a0d-8758-44c9-81e4-754551567be5 for instance'),
  );
  t.is(events[0].instanceUuid, '32c493c4-d88c-4f14-98db-c7af64bf3324');
  t.is(events[0].exception?.type, 'NovaException');
  // A paragraph of prose after it, wrapped at the same width: joined on trial, given back line by line.
  const prose = [
    'I restarted every nova-compute container after the upgrade from Rocky and',
    'the builds on that host went on failing the same way for about an hour',
    'until the containers were restarted by hand, one after the other again.',
  ];
  const both = `${readFileSync(join(dir, 'nova-compute-message.txt'), 'utf8').trimEnd()}\n\n${prose.join('\n')}\n`;
  const read = await readText(both);
  t.is(read.events.length, 1);
  t.is(read.covs[0].unparsed, 3);
});

test("a message pasted alone and hard-wrapped (nova commit b50b70a1's quote) is one message, its class with all of its words; a pasted traceback's frames stay frames", async (t) => {
  const quote = readFileSync(join(ROOT, 'test', 'corpus', 'real', 'openstack-nova-commit-b50b70a1', 'nova-compute-message.txt'), 'utf8');
  const { events } = await readText(quote, 'nova-compute-message.txt');
  t.is(events.length, 1);
  t.is(
    events[0].message,
    "Failed to start libvirt guest: libvirtError: unsupported configuration: Found duplicate drive address for disk with target name 'sda' controller='0' bus='0' target='0' unit='0'",
  );
  t.is(events[0].traceback, undefined);
  t.is(events[0].exception?.type, 'libvirtError');
  t.regex(events[0].exception?.message ?? '', /^unsupported configuration: Found duplicate drive address .* unit='0'$/);
  // The same shape with frames under it is a traceback quoted after its message.
  const traced = await readText(
    '  Instance failed to spawn: libvirtError: unsupported\n    File "/usr/lib/python3/dist-packages/nova/virt/libvirt/driver.py", line 3234, in spawn\n      self._create_guest_with_network(\n',
  );
  t.is(traced.events.length, 1);
  t.is(traced.events[0].message, 'Instance failed to spawn: libvirtError: unsupported');
  t.regex(
    traced.events[0].traceback?.[0] ?? '',
    /^\s*File "\/usr\/lib\/python3\/dist-packages\/nova\/virt\/libvirt\/driver\.py", line 3234, in spawn/,
  );
});

test("a server table a book cut at its page width (every row ends in '\\' or '/', all of one width) is a table, not a terminal's wrap: its state and fault are read", async (t) => {
  const text = committedText('openstack-operations-guide-c6286409-ops-user-facing', 'cli-nova-show-novalidhost.txt');
  const { events } = await readText(text, 'cli-nova-show-novalidhost.txt');
  t.is(events.length, 1);
  const e = events[0];
  t.is(e.pasted?.shape, 'server-table');
  t.is(e.instanceUuid, '940f3b2f-bd74-45ad-bee7-eb0a7318aa84');
  t.is(e.pasted?.fields?.status, 'ERROR');
  t.is(e.pasted?.fields?.['OS-EXT-STS:vm_state'], 'error');
  t.is(e.exception?.type, 'NoValidHost');
});

test("a fault's message pasted alone names its instance by 'for instance <uuid>' (KubeNow#143's MaxRetriesExceeded)", async (t) => {
  const text = readFileSync(join(ROOT, 'test', 'corpus', 'real', 'github-kubenow-kubenow-issue143', 'instance-message.txt'), 'utf8');
  const { events } = await readText(text, 'instance-message.txt');
  t.is(events.length, 1);
  t.is(events[0].exception?.type, 'MaxRetriesExceeded');
  t.is(events[0].instanceUuid, '43d47d19-1ed3-4c47-ad42-100a0ea23dc7');
});

test("edpm-ansible#588: a tmux pane's borders ('│', '┤') copied at the lines' ends are taken off; both records read, in their order", async (t) => {
  const text = committedText('github-openstack-k8s-operators-edpm-ansible-pr588', 'journal-nova_compute-tmux.txt');
  const { events, covs } = await readText(text);
  t.deepEqual(
    events.map((e) => [e.ts, e.level, e.logger, e.requestId]),
    [
      ['2024-03-05T09:17:54.317', 'ERROR', 'ovsdbapp.backend.ovs_idl.idlutils', 'req-79ae71e2-835e-4c4a-9bad-800951cff8be'],
      ['2024-03-05T09:17:54.318', 'ERROR', 'os_vif', 'req-79ae71e2-835e-4c4a-9bad-800951cff8be'],
    ],
  );
  t.false(events[0].message.includes('│'));
  t.true(events[1].message.startsWith('Failed to plug vif VIFOpenVSwitch(active=False'));
  t.false(events[1].message.endsWith('┤'));
  t.regex(covs[0].format ?? '', /pane borders/);
});

test('lamtov (2018): a copy whose first record lost its time (`WARNING nova.compute.manager […]`) before dated ones is a paste: all five records read, the first undated', async (t) => {
  const text = committedText('github-lamtov-lamtv10-ops-migration-notes', 'nova-compute-live-migration.txt');
  const { events } = await readText(text);
  t.is(events.length, 5);
  t.is(events[0].ts, '');
  t.is(events[0].level, 'WARNING');
  t.is(events[0].requestId, 'req-250fb3fd-5ec2-4a4d-96c7-69fd9f4ab517');
  t.is(events[1].ts, '2018-11-13T13:59:12.653');
  // The same lines without that first one are an ordinary log: nothing to undo.
  t.is(sniffPaste(text.split('\n').slice(1, 5)), undefined);
});
