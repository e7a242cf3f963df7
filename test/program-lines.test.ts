import test from 'ava';
import { PROGRAM_FORMATS, programLine, programService, standaloneProgramLine } from '../parsers/program-lines.js';
import { parseText } from './helpers/parse.js';

// Every format's samples give what they claim (lnav's habit, as for the collector prefixes).
for (const f of PROGRAM_FORMATS) {
  test(`program format ${f.name}: every sample reads as its expected line`, (t) => {
    t.true(f.samples.length > 0);
    t.true(f.description.length > 0);
    for (const s of f.samples) {
      t.deepEqual(programLine(s.line), s.expect, s.source);
      t.is(standaloneProgramLine(s.line) !== undefined, f.standalone === true, s.source);
    }
  });
}

test('lines no format knows are not claimed: a shell trace without devstack’s PS4, prose, an oslo line', (t) => {
  t.is(programLine('+ echo hello'), undefined);
  t.is(programLine('We have an error talking to the kernel'), undefined);
  t.is(programLine('2022-02-04 09:37:50.031 21562 INFO os_vif [-] Loaded VIF plugins: linux_bridge, noop, ovs'), undefined);
  t.is(programService('libvirtd.service'), 'libvirtd');
  t.is(programService('avahi-daemon'), 'avahi-daemon');
});

// beskar-cloud/knowledgebase@1a413fdf howtos/OpenStack/issues-database/unable-talking-to-kernel.md: a Czech journal.
const LIBVIRTD = [
  'led 04 15:41:22 ics-cored-009-ostack.priv.cloud.domain.edu libvirtd[14520]: 14533: error : virCommandWait:2613 : internal error: Child process (/usr/sbin/tc filter add dev tapbe375aa3-4c parent ffff: protocol all u32 match u32 0 0 police rate 250000kbps burst 250000kb mtu 64kb drop flowid :1) unexpected exit status 2: RTNETLINK answers: Invalid argument',
  'led 04 16:02:32 ics-cored-009-ostack.priv.cloud.domain.edu libvirtd[14520]: 14520: error : virNetSocketReadWire:1803 : End of file while reading data: Input/output error',
  'led 04 16:13:42 ics-cored-009-ostack.priv.cloud.domain.edu libvirtd[14520]: 14533: error : virNetClientProgramDispatchError:172 : internal error: Child process (/usr/sbin/tc filter add dev tap6882089e-22 parent ffff: protocol all u32 match u32 0 0 police rate 250000kbps burst 250000kb mtu 64kb drop flowid :1) unexpected exit status 2: RTNETLINK answers: Invalid argument',
  'We have an error talking to the kernel',
];

test("a journal's lines of another program are that program's events, its level from libvirt's own header", (t) => {
  const { events, stats } = parseText(`${LIBVIRTD.join('\n')}\n`, {
    mtime: new Date('2023-05-11T00:00:00Z'),
    hostFromCollector: true,
  });
  t.deepEqual(
    events.map((e) => [e.ts, e.service, e.level, e.logger, e.pid, e.host]),
    [
      ['2023-01-04T15:41:22.000', 'libvirtd', 'ERROR', 'libvirt virCommandWait:2613', 14520, 'ics-cored-009-ostack.priv.cloud.domain.edu'],
      [
        '2023-01-04T16:02:32.000',
        'libvirtd',
        'ERROR',
        'libvirt virNetSocketReadWire:1803',
        14520,
        'ics-cored-009-ostack.priv.cloud.domain.edu',
      ],
      [
        '2023-01-04T16:13:42.000',
        'libvirtd',
        'ERROR',
        'libvirt virNetClientProgramDispatchError:172',
        14520,
        'ics-cored-009-ostack.priv.cloud.domain.edu',
      ],
    ],
  );
  // The message's second line, pasted without journalctl's indent, is still the entry's.
  t.deepEqual(events[2].traceback, ['We have an error talking to the kernel']);
  t.is(events[1].message, 'End of file while reading data: Input/output error');
  t.like(stats, { unparsedLines: 0, foreignLines: 0, foldedLines: 1 });
});

// futurewei-cloud/alcor-control-agent#232: avahi-daemon's line between nova-compute's.
const ALCOR = [
  'Mar 31 14:19:08 fw0009076 nova-compute[18643]: 2021-03-31 14:19:08.820 18643 DEBUG nova.compute.manager [req-938a380e-2d61-4ca7-8ec9-320e6874d385 - - - - -] [instance: 76b37132-ee41-4b55-835d-d296f7683ac7] Checking state _get_power_state /openstack/venvs/nova-20.1.1/lib/python3.6/site-packages/nova/compute/manager.py:1498',
  'Mar 31 14:19:09 fw0009076 avahi-daemon[2667]: Joining mDNS multicast group on interface tap6ff97aca-18.IPv6 with address fe80::fcbb:ccff:fe44:daf.',
  'Mar 31 14:19:08 fw0009076 nova-compute[18643]: 2021-03-31 14:19:08.875 18643 INFO nova.compute.manager [req-938a380e-2d61-4ca7-8ec9-320e6874d385 - - - - -] [instance: 76b37132-ee41-4b55-835d-d296f7683ac7] During sync_power_state the instance has a pending task (spawning). Skip.',
];

test("another program's line between two lines of one nova record neither ends it nor takes its next line", (t) => {
  // The nova record's further line comes after avahi's, under nova-compute's tag (journald splits stdout by line).
  const lines = [ALCOR[0], ALCOR[1], 'Mar 31 14:19:08 fw0009076 nova-compute[18643]: Command: ceph df', ALCOR[2]];
  const { events } = parseText(`${lines.join('\n')}\n`);
  t.deepEqual(
    events.map((e) => [e.service, e.line, e.traceback]),
    [
      ['nova-compute', 1, ['Command: ceph df']],
      ['avahi-daemon', 2, undefined],
      ['nova-compute', 4, undefined],
    ],
  );
  t.is(events[1].ts, '2021-03-31T14:19:09.000', 'the year the nova lines gave');
});

// openstack/devstack commit 65b46a50 quoting a gate job-output.txt.
const JOB_OUTPUT = [
  // biome-ignore lint/suspicious/noTemplateCurlyInString: devstack's bash, verbatim
  '2021-09-28 05:44:47.791807 | controller | + functions-common:service_check:1603      :   for service in ${ENABLED_SERVICES//,/ }',
  '2021-09-28 05:44:47.795506 | controller | + functions-common:service_check:1605      :   sudo systemctl is-enabled devstack@cinder.service',
  '2021-09-28 05:44:47.809647 | controller | Failed to get unit file state for devstack@cinder.service: No such file or directory',
];

test("a CI job's own output is its events, one a line: devstack's xtrace by its source, systemctl's message by no one", (t) => {
  const { events, stats } = parseText(`${JOB_OUTPUT.join('\n')}\n`, { hostFromCollector: true });
  t.deepEqual(
    events.map((e) => [e.ts, e.host, e.service, e.logger, e.message]),
    [
      [
        '2021-09-28T05:44:47.791',
        'controller',
        'devstack',
        'xtrace functions-common:service_check:1603',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: devstack's bash, verbatim
        'for service in ${ENABLED_SERVICES//,/ }',
      ],
      [
        '2021-09-28T05:44:47.795',
        'controller',
        'devstack',
        'xtrace functions-common:service_check:1605',
        'sudo systemctl is-enabled devstack@cinder.service',
      ],
      [
        '2021-09-28T05:44:47.809',
        'controller',
        'unknown',
        undefined,
        'Failed to get unit file state for devstack@cinder.service: No such file or directory',
      ],
    ],
  );
  t.is(stats.foreignLines, 0);
});

// BeyondTheClouds/enos#349: `docker logs nova_compute`, no timestamps.
const ENOS = [
  '+ exec nova-compute',
  "Running command: 'nova-compute'",
  'Traceback (most recent call last):',
  '  File "/usr/lib/python3.6/site-packages/eventlet/hubs/poll.py", line 111, in wait',
  '    listener.cb(fileno)',
];

test("pasted container output: kolla_start's two lines are its events, the traceback after them one of its own", (t) => {
  const { events } = parseText(`${ENOS.join('\n')}\n`, { paste: true, service: 'nova-compute' });
  t.deepEqual(
    events.map((e) => [e.logger, e.message, e.undated, e.traceback?.length]),
    [
      ['kolla_start', 'exec nova-compute', true, undefined],
      ['kolla_start', "Running command: 'nova-compute'", true, undefined],
      [undefined, 'Traceback (most recent call last):', true, 3],
    ],
  );
  // Either order: the trace on stderr and the echo on stdout reach `docker logs` as they come.
  const swapped = parseText(`${[ENOS[1], ENOS[0]].join('\n')}\n`, { paste: true }).events;
  t.deepEqual(
    swapped.map((e) => e.message),
    ["Running command: 'nova-compute'", 'exec nova-compute'],
  );
});

test("a shell's `+ exec` with no kolla_start line beside it is nobody's known line (openstack-helm's start script)", (t) => {
  // openstack/openstack-helm commit babda24e: `kubectl logs nova-compute-ironic-0`.
  const lines = [
    '+ exec nova-compute --config-file /etc/nova/nova.conf --config-file /etc/nova/nova-ironic.conf',
    "2024-10-29 15:37:28.841 1179391 INFO nova.virt.driver [None req-99e9d536-2b34-4dfc-ac0f-f9680e213913 - - - - - -] Loading compute driver 'ironic.IronicDriver'",
  ];
  const { events, stats } = parseText(`${lines.join('\n')}\n`, { paste: true });
  t.deepEqual(
    events.map((e) => e.logger),
    ['nova.virt.driver'],
  );
  t.is(stats.unparsedLines, 1);
  t.is(stats.unparsedSamples[0].line, 1);
});

test('a screen log keeps what the service printed outside oslo.log as an undated event (openstack/nova commit fe264ba1)', (t) => {
  const lines = [
    'Cinderclient connection created using URL: http://192.168.1.103:8776/v1/bc02ec05c5fa4a5bb3020b617f3574e2',
    "2012-08-06 18:58:32 ERROR nova.api.ec2 [req-1fd2f017-8a11-481f-b901-ae61d3f55c94 demo demo] Unexpected error raised: 'instance_uuid'",
    '2012-08-06 18:58:32 TRACE nova.api.ec2 Traceback (most recent call last):',
    "2012-08-06 18:58:32 TRACE nova.api.ec2 KeyError: 'instance_uuid'",
  ];
  const screen = parseText(`${lines.join('\n')}\n`, { stdout: true, service: 'nova-api' });
  t.deepEqual(
    screen.events.map((e) => [e.logger, e.undated, e.service]),
    [
      ['stdout', true, 'nova-api'],
      ['nova.api.ec2', undefined, 'nova-api'],
    ],
  );
  t.is(screen.events[1].exception?.type, 'KeyError');
  // In a log file of oslo.log's own, the same line is not understood.
  const log = parseText(`${lines.join('\n')}\n`, { service: 'nova-api' });
  t.is(log.events.length, 1);
  t.is(log.stats.unparsedLines, 1);
});
