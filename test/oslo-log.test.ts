import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasCodeSuffix, parseBareOsloLine, parseOsloLine, splitDebugSuffix } from '../parsers/oslo-log.js';
import { parseJsonLogLine } from '../parsers/oslo-json.js';
import { parseText } from './helpers/parse.js';
import { ROOT } from './helpers/shared.js';
import { isoZTs, msOf, yearMonthFromDate } from '../parsers/timestamps.js';
import { syslogTs } from '../parsers/collector-clock.js';

test('oslo.log < 4.8 context: [req-X user project - default default] (Pike)', (t) => {
  const h = parseOsloLine(
    '2018-12-27 15:05:45.403 31027 WARNING nova.scheduler.utils [req-49530488-2149-4f15-85ea-5659267ffada 8668aa3368c0427c98b1d1824a36f720 f30a92c42d264a79ba5744b084346a2d - default default] [instance: c2963f0d-370c-43aa-8cee-0131760d6ef2] Setting instance to ERROR state.',
  )!;
  t.like(h, {
    ts: '2018-12-27T15:05:45.403',
    pid: 31027,
    level: 'WARNING',
    logger: 'nova.scheduler.utils',
    requestId: 'req-49530488-2149-4f15-85ea-5659267ffada',
    userId: '8668aa3368c0427c98b1d1824a36f720',
    projectId: 'f30a92c42d264a79ba5744b084346a2d',
    instanceUuid: 'c2963f0d-370c-43aa-8cee-0131760d6ef2',
    message: 'Setting instance to ERROR state.',
    hasContext: true,
  });
  t.is(h.globalRequestId, undefined);
});

test('global request id slot: [None req-X …] and [req-GLOBAL req-LOCAL …]', (t) => {
  const a = parseOsloLine(
    '2024-10-02 12:07:18.800 1590924 WARNING nova.compute.resource_tracker [None req-f8320401-70fb-4532-8d87-e5240e53f68b - - - - - -] Instance x is not being actively managed',
  )!;
  t.is(a.requestId, 'req-f8320401-70fb-4532-8d87-e5240e53f68b');
  t.is(a.globalRequestId, undefined);
  t.is(a.userId, undefined);
  t.is(a.projectId, undefined);
  const b = parseOsloLine(
    '2025-05-14 04:33:12.457 38 INFO placement.requestlog [req-a71c6820-6bad-46f8-8eed-50dbecd23ff0 req-f0090a5d-f19b-4bbf-86ff-643d5a123494 65aa1226f3e6424a8b64d061e565501c 18657cfc94d94d8fb64ced314253ded8 - - 2e4504324af145d8a29818e67bb0aa92 2e4504324af145d8a29818e67bb0aa92] 10.1.0.42 "GET /openstack-placement/resource_providers" status: 200 len: 1 microversion: 1.14',
  )!;
  t.is(b.globalRequestId, 'req-a71c6820-6bad-46f8-8eed-50dbecd23ff0');
  t.is(b.requestId, 'req-f0090a5d-f19b-4bbf-86ff-643d5a123494');
  t.is(b.userId, '65aa1226f3e6424a8b64d061e565501c');
  t.is(b.projectId, '18657cfc94d94d8fb64ced314253ded8');
});

test('[-] has no context; exception-prefix lines have no bracket at all', (t) => {
  const a = parseOsloLine('2022-02-04 09:37:50.031 21562 INFO os_vif [-] Loaded VIF plugins: linux_bridge, noop, ovs')!;
  t.true(a.hasContext);
  t.is(a.requestId, undefined);
  t.is(a.message, 'Loaded VIF plugins: linux_bridge, noop, ovs');
  const b = parseOsloLine('2022-02-04 10:21:58.881 284971 ERROR nova.compute.manager Traceback (most recent call last):')!;
  t.false(b.hasContext);
  t.is(b.message, 'Traceback (most recent call last):');
  const c = parseOsloLine(
    '2018-12-27 15:05:44.860 31027 ERROR nova.conductor.manager [instance: c2963f0d-370c-43aa-8cee-0131760d6ef2]   File "x.py", line 1',
  )!;
  t.false(c.hasContext);
  t.is(c.instanceUuid, 'c2963f0d-370c-43aa-8cee-0131760d6ef2');
});

test('old TRACE and AUDIT levels (Havana, Kilo)', (t) => {
  t.is(
    parseOsloLine('2014-04-21 14:45:06.857 1094 TRACE nova.openstack.common.threadgroup Traceback (most recent call last):')!.level,
    'TRACE',
  );
  t.is(parseOsloLine('2014-04-16 21:01:49.223 8539 AUDIT nova.service [-] Starting conductor node (version 2013.2.2)')!.level, 'AUDIT');
});

test('not oslo: continuation lines and other formats', (t) => {
  t.is(parseOsloLine('  File "/usr/lib/python2.7/site-packages/nova/conductor/manager.py", line 1072'), undefined);
  t.is(parseOsloLine('Traceback (most recent call last):'), undefined);
  t.is(parseOsloLine('2025-05-14T04:25:15.113Z [pebble] GET /v1/notices?timeout=30s 9.44665ms 200'), undefined);
});

test('DEBUG suffix: oslo and devstack forms are kept apart from the message', (t) => {
  t.deepEqual(
    splitDebugSuffix('getting providers with 64 VCPU __init__ /usr/lib/python2.7/site-packages/placement/objects/research_context.py:126'),
    {
      message: 'getting providers with 64 VCPU',
      func: '__init__',
      path: '/usr/lib/python2.7/site-packages/placement/objects/research_context.py',
      line: 126,
    },
  );
  t.deepEqual(
    splitDebugSuffix(
      'Update host state with instances: {} {{(pid=15128) _locked_update /opt/stack/nova/nova/scheduler/host_manager.py:181}}',
    ),
    {
      message: 'Update host state with instances: {}',
      func: '_locked_update',
      path: '/opt/stack/nova/nova/scheduler/host_manager.py',
      line: 181,
      pid: 15128,
    },
  );
  t.is(splitDebugSuffix('Acquired lock "singleton_lock"'), undefined);
});

test('journald shape without time and pid', (t) => {
  const h = parseBareOsloLine(
    'DEBUG nova.scheduler.host_manager [None req-c8cd4884-6858-4438-ab57-07ac3adeefbe admin admin] Update host state',
  )!;
  t.is(h.level, 'DEBUG');
  t.is(h.requestId, 'req-c8cd4884-6858-4438-ab57-07ac3adeefbe');
  t.is(h.userId, 'admin');
});

test("oslo's JSONFormatter line", (t) => {
  const line = JSON.stringify({
    message: 'Setting instance to ERROR state.',
    asctime: '2023-03-01 10:00:00',
    name: 'nova.scheduler.utils',
    msg: 'Setting instance to %s state.',
    args: ['ERROR'],
    levelname: 'WARNING',
    levelno: 30,
    msecs: 123.456,
    process: 77,
    traceback: 'Traceback (most recent call last):\n  File "a.py", line 1, in f\nnova.exception.NoValidHost: No valid host was found. ',
    context: { request_id: 'req-1', global_request_id: 'req-0', user_id: 'u', project_id: 'p', auth_token: 'x' },
    extra: { instance_uuid: 'c2963f0d-370c-43aa-8cee-0131760d6ef2' },
  });
  const j = parseJsonLogLine(line)!;
  t.like(j.line, {
    ts: '2023-03-01T10:00:00.123',
    pid: 77,
    level: 'WARNING',
    requestId: 'req-1',
    globalRequestId: 'req-0',
    userId: 'u',
    projectId: 'p',
    instanceUuid: 'c2963f0d-370c-43aa-8cee-0131760d6ef2',
  });
  t.is(j.traceback.length, 3);
});

test('JSON lines behind a collector prefix are read as JSON, with a list traceback (oslo.log before 6)', (t) => {
  const json = (o: object) =>
    JSON.stringify({
      asctime: '2025-05-14 11:22:56',
      msecs: 414.2,
      name: 'nova.conductor.manager',
      levelname: 'ERROR',
      process: 21,
      context: { request_id: 'req-9' },
      extra: {},
      ...o,
    });
  const text = [
    `2025-05-14T11:22:56.780Z [nova-conductor] ${json({ message: 'Failed to schedule instances', traceback: ['Traceback (most recent call last):', '  File "m.py", line 1, in f', 'nova.exception_Remote.NoValidHost_Remote: x'] })}`,
    `2025-05-14T11:22:57.001Z [nova-conductor] ${json({ asctime: '2025-05-14 11:22:57', message: 'next', traceback: null })}`,
    '',
  ].join('\n');
  const { events, stats } = parseText(text);
  t.true(stats.json);
  t.is(events.length, 2);
  t.is(events[0].ts, '2025-05-14T11:22:56.414');
  t.is(events[0].requestId, 'req-9');
  t.is(events[0].traceback?.length, 3);
  t.true(events[0].raw.startsWith('2025-05-14T11:22:56.780Z [nova-conductor] {'));
  t.is(events[0].exception?.type, 'NoValidHost');
  t.is(stats.foldedLines, 0);
  t.is(stats.unparsedLines, 0);
});

test('journald time: the collection month gives the year, the year before for later months (a journal across New Year)', (t) => {
  const jan = { year: 2025, month: 1 };
  t.is(syslogTs('Dec 31 23:59:58', jan), '2024-12-31T23:59:58.000');
  t.is(syslogTs('Jan  2 00:00:01', jan), '2025-01-02T00:00:01.000');
  t.deepEqual(yearMonthFromDate('Thu Jan  2 08:00:00 UTC 2025\n'), jan);
  t.deepEqual(yearMonthFromDate('2025'), { year: 2025, month: 12 });
  t.is(yearMonthFromDate('no date here'), undefined);
  const text = [
    'Dec 31 23:59:58 hv1 nova-compute[7]: 2024-12-31 23:59:58.120 7 INFO nova.compute.manager [None req-1 - - - - - -] Before midnight',
    'Dec 31 23:59:59 hv1 nova-compute[7]: WARNING nova.compute.manager [None req-1 - - - - - -] bare line in December',
    'Jan  1 00:00:03 hv1 nova-compute[7]: WARNING nova.compute.manager [None req-2 - - - - - -] bare line in January',
    '',
  ].join('\n');
  const { events } = parseText(text, { collected: jan });
  t.deepEqual(
    events.map((e) => e.ts),
    ['2024-12-31T23:59:58.120', '2024-12-31T23:59:59.000', '2025-01-01T00:00:03.000'],
  );
});

test('kubectl ISO times and fractions of any length become milliseconds', (t) => {
  t.is(isoZTs('2025-05-14T04:32:50.791Z'), '2025-05-14T04:32:50.791');
  t.is(isoZTs('2025-05-14T04:32:50.7Z'), '2025-05-14T04:32:50.700');
  t.is(isoZTs('2025-05-14T04:32:50.123456789Z'), '2025-05-14T04:32:50.123');
  t.is(isoZTs('2025-05-14T04:32:50Z'), '2025-05-14T04:32:50.000');
  t.deepEqual(['5', '12', '123', '123456', undefined].map(msOf), ['500', '120', '123', '123', '000']);
});

test('Essex and Folsom: no pid, no milliseconds, `[req-… None None]` contexts, `from (pid=N) fn path:line` suffixes', (t) => {
  // https://github.com/nii-cloud/dodai-deploy/issues/18 (Essex nova-compute, 2012)
  const { events, stats } = parseText(
    [
      '2012-07-05 22:03:52 DEBUG nova.manager [-] Running periodic task ComputeManager._poll_rescued_instances from (pid=2575) periodic_tasks /usr/lib/python2.7/dist-packages/nova/manager.py:152',
      "2012-07-05 21:59:50 DEBUG nova.rpc.amqp [req-19112e17-290b-480a-82b8-a781d5e2cd65 None None] unpacked context: {'user_id': None, 'roles': [u'admin'], 'timestamp': '2012-07-06T01:59:50.769543', 'auth_token': '<SANITIZED>', 'remote_address': None, 'is_admin': True, 'request_id': u'req-19",
      '2012-07-05 22:03:53 INFO nova.virt.libvirt.connection [-] Compute_service record updated for server3.faveones.com',
      '',
    ].join('\n'),
  );
  t.is(stats.unparsedLines, 0);
  t.like(events[0], {
    ts: '2012-07-05T22:03:52.000',
    pid: 2575,
    level: 'DEBUG',
    logger: 'nova.manager',
    message: 'Running periodic task ComputeManager._poll_rescued_instances',
    codeLocation: { func: 'periodic_tasks', path: '/usr/lib/python2.7/dist-packages/nova/manager.py', line: 152 },
    service: 'unknown',
  });
  t.like(events[1], { requestId: 'req-19112e17-290b-480a-82b8-a781d5e2cd65', userId: undefined, projectId: undefined });
  t.like(events[2], { level: 'INFO', logger: 'nova.virt.libvirt.connection', pid: undefined, service: 'nova-compute' });
});

test('devstack writes its {{(pid=N) fn path:line}} suffix on every level; with use_journal, without the pid', (t) => {
  const h = parseBareOsloLine(
    'WARNING nova.scheduler.utils [None req-2b8c1f08-1dc4-4a4e-9b83-7c3e5c8c0a55 admin admin] Failed to compute_task_build_instances: No valid host was found. {{(pid=66427) build_instances /opt/stack/nova/nova/conductor/manager.py:996}}',
  )!;
  t.true(hasCodeSuffix(h.message));
  t.deepEqual(splitDebugSuffix(h.message), {
    message: 'Failed to compute_task_build_instances: No valid host was found.',
    func: 'build_instances',
    path: '/opt/stack/nova/nova/conductor/manager.py',
    line: 996,
    pid: 66427,
  });
  t.deepEqual(splitDebugSuffix('Lock "compute_resources" acquired {{inner /opt/stack/nova/nova/utils.py:12}}'), {
    message: 'Lock "compute_resources" acquired',
    func: 'inner',
    path: '/opt/stack/nova/nova/utils.py',
    line: 12,
  });
});

test("a traceback's empty last line whose record is not in the file (an excerpt's first line) is no event, and does not close the record open", async (t) => {
  const { parseText } = await import('./helpers/parse.js');
  // Real lines: test/corpus/real/github-cncf-cnf-testbed-issue101/nova-compute-build-aborted.log opens with such a line.
  const orphan = '2019-01-21 17:10:08.411 32921 ERROR nova.compute.manager [instance: 60e8f0f8-acbc-4be7-a6ac-0b482224bc77] ';
  const record =
    '2019-01-21 17:10:08.415 32921 ERROR nova.compute.manager [req-ec66d439-8856-4a50-8a86-51c804748e4f 7e046bab8ff542f48c2d5c354a3a6177 f76bcdc7f31946d0aa00bbeb20a2979d - default default] [instance: 60e8f0f8-acbc-4be7-a6ac-0b482224bc77] Build of instance 60e8f0f8-acbc-4be7-a6ac-0b482224bc77 aborted: Failed to allocate the network(s), not rescheduling.';
  const tb =
    '2019-01-21 17:10:08.415 32921 ERROR nova.compute.manager [instance: 60e8f0f8-acbc-4be7-a6ac-0b482224bc77] Traceback (most recent call last):';
  const { events, stats } = parseText([orphan, record, tb, orphan, tb.replace('Traceback (most recent call last):', '')].join('\n'));
  // The orphan before the record and another process's time between its lines: neither is an event.
  t.is(events.length, 1);
  t.is(events[0].requestId, 'req-ec66d439-8856-4a50-8a86-51c804748e4f');
  t.deepEqual(events[0].traceback, ['Traceback (most recent call last):', '']);
  t.is(stats.foldedLines, 4);
  // With a context, an empty message is a record of its own (LOG.error('') is rare, but it is one).
  const own = parseText(record.replace(/Build of instance .*$/, '')).events;
  t.is(own.length, 1);
});

test('a record whose copy wrapped it inside its context (real notes, Pike 2018): the two lines are its first line, the context read', (t) => {
  const text = readFileSync(
    join(ROOT, 'test', 'corpus', 'real', 'github-lamtov-lamtv10-ops-migration-notes', 'nova-compute-resource-tracker.txt'),
    'utf8',
  );
  const { events, stats } = parseText(text);
  const [notFound, moved] = events;
  t.is(events.length, 2);
  t.is(notFound.requestId, 'req-f79dc843-44b9-4b43-8e70-64d4f292e9ef');
  t.is(notFound.userId, 'b7b6e6d00a77423c8b9627305edcd3e7');
  t.is(
    notFound.message,
    'Instance 79b14ed5-4a2d-422c-932a-25cd5e6bbe99 has allocations against this compute host but is not found in the database.',
  );
  t.deepEqual([notFound.line, notFound.lineEnd], [1, 2]);
  t.regex(moved.message, /^Instance b41e94e5-f39e-4ae7-87e6-7a0ee9e51be2 has been moved to another host compute02\(compute02\)\. $/);
  t.is(moved.level, 'WARNING');
  t.regex(moved.traceback?.[0] ?? '', /^ There are allocations remaining against the source host/);
  t.is(stats.foldedLines + stats.events, text.replace(/\n$/, '').split('\n').length - stats.foreignLines - stats.unparsedLines);
  // A context cut at the line's end with the next record after it: nothing to join, the line read as it is.
  const cut = text.split('\n')[0];
  const alone = parseText(`${cut}\n${text.split('\n')[2]}\n`).events;
  t.is(alone.length, 2);
  t.is(alone[0].requestId, undefined);
  t.regex(alone[0].message, /^\[req-f79dc843-\S+ \S+ \S+ -$/);
});

test("nova's test-fixture format: python's comma milliseconds, no pid, the logger in brackets", (t) => {
  // test/corpus/real/openstack-nova-commit-737fb8e7: a Kilo test run's record as the commit message quotes it.
  const h = parseOsloLine('2014-12-18 18:20:23,694 ERROR [nova.compute.manager] Failed to get compute_info for fake-mini');
  t.like(h, {
    ts: '2014-12-18T18:20:23.694',
    level: 'ERROR',
    logger: 'nova.compute.manager',
    message: 'Failed to get compute_info for fake-mini',
  });
  t.is(h?.pid, undefined);
  // A bracket that is a context, not a logger, is still one.
  t.like(parseOsloLine('2012-07-05 22:03:53 INFO nova.virt.libvirt.connection [-] Compute_service record updated for server3'), {
    logger: 'nova.virt.libvirt.connection',
  });
});

test("httpd's access line among the service's own (a pod's output): a record of its own, after a traceback too", (t) => {
  // Generated in the shape of an openstack-helm placement pod's output (mod_wsgi's application log and httpd's access
  // log on one stdout); the prefixed real case is test/corpus/real/github-canonical-hotsos-sunbeam-placement-api-503-500.
  const text = [
    '2025-05-14 12:58:24.877 11452 ERROR placement.fault_wrap [req-4e79a98a-cf7f-4b4f-9fa9-413ea463b45a - - - - -] Placement API unexpected error: boom',
    'Traceback (most recent call last):',
    '  File "/usr/lib/python3/dist-packages/placement/fault_wrap.py", line 39, in __call__',
    'oslo_db.exception.DBConnectionError: boom',
    '10.1.0.42 - - [14/May/2025:12:58:24 +0000] "GET /resource_providers?in_tree=50043fd9-0e93-49d9-88f7-d776760bef9b HTTP/1.1" 500 238 "-" "nova-compute keystoneauth1/5.6.0"',
    '2025-05-14 12:58:25.100 11452 INFO placement.requestlog [req-5e79a98a-cf7f-4b4f-9fa9-413ea463b45a - - - - -] 10.1.0.42 "GET /" status: 200 len: 1 microversion: 1.0',
  ].join('\n');
  const { events } = parseText(text, { service: 'placement-api' });
  t.deepEqual(
    events.map((e) => [e.line, e.level, e.logger, e.http?.status]),
    [
      [1, 'ERROR', 'placement.fault_wrap', undefined],
      [5, 'ERROR', 'httpd.access', 500],
      [6, 'INFO', 'placement.requestlog', 200],
    ],
  );
  t.is(events[0].exception?.type, 'DBConnectionError', 'the traceback still ends where the access line begins');
  t.is(events[1].ts, '2025-05-14T12:58:24.000+00:00');
});

test("a traceback cut before its exception line names the class of nova's raise statement it ends on; a whole one keeps its exception line", (t) => {
  // test/corpus/real/pastebin-0jy6ax1c-devstack-vif-plug-timeout: a devstack TRACE traceback the stored copy cut there.
  const head = [
    '2017-03-07 15:05:13.031 ERROR nova.compute.manager [req-8111db2b-5327-4668-b3ca-bab85836e800 admin admin] [instance: f2fe1079-5121-4f3a-8258-bc541029fa8d] Failed to allocate network(s)',
    '2017-03-07 15:05:13.031 TRACE nova.compute.manager [instance: f2fe1079-5121-4f3a-8258-bc541029fa8d] Traceback (most recent call last):',
    '2017-03-07 15:05:13.031 TRACE nova.compute.manager [instance: f2fe1079-5121-4f3a-8258-bc541029fa8d] File "/opt/stack/nova/nova/virt/libvirt/driver.py", line 5061, in _create_domain_and_network',
    '2017-03-07 15:05:13.031 TRACE nova.compute.manager [instance: f2fe1079-5121-4f3a-8258-bc541029fa8d] raise exception.VirtualInterfaceCreateException()',
  ];
  const cut = parseText(head.join('\n')).events;
  t.is(cut.length, 1);
  t.is(cut[0].exception?.type, 'VirtualInterfaceCreateException');
  const whole = parseText(
    [
      ...head,
      '2017-03-07 15:05:13.031 TRACE nova.compute.manager [instance: f2fe1079-5121-4f3a-8258-bc541029fa8d] BuildAbortException: boom',
    ].join('\n'),
  ).events;
  t.is(whole[0].exception?.type, 'BuildAbortException');
});
