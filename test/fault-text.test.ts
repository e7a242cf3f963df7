import test from 'ava';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FAULT_SHAPES,
  FaultReader,
  faultInText,
  looksLikeFaultText,
  MOVE_COMMANDS,
  MOVE_MARKS,
  hostOfCommand,
  moveOfCommand,
  type PastedFault,
} from '../parsers/fault-text.js';
import { otherActionOf, recordsInJsonField } from '../parsers/fault-text.js';
import { exceptionOfText } from '../parsers/exception-text.js';
import { cli } from './helpers/cli.js';
import { tmp, write } from './helpers/fixture-tree.js';
import { parseText } from './helpers/parse.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The pasted-result reader (parsers/fault-text.ts): every shape's real sample
 * gives the fault it holds, what is not one of its shapes goes on to the log
 * reader untouched and in order, and a fault stays inside the redaction and
 * the sanitiser like any event.
 */

function read(lines: readonly string[]): { faults: PastedFault[]; passed: number[] } {
  const faults: PastedFault[] = [];
  const passed: number[] = [];
  const r = new FaultReader(
    (f) => faults.push(f),
    (_l, n) => passed.push(n),
  );
  for (const [i, l] of lines.entries()) r.push(l, i + 1);
  r.end();
  return { faults, passed };
}

for (const shape of FAULT_SHAPES) {
  test(`shape ${shape.name}: each real sample is one event with the fault it holds`, (t) => {
    t.true(shape.samples.length > 0);
    for (const s of shape.samples) {
      const { faults, passed } = read(s.lines);
      t.is(faults.length, 1, `${shape.name}: ${s.seen}`);
      t.deepEqual(passed, [], 'no line of the sample is left to the log reader');
      t.is(faults[0].shape, shape.name);
      for (const [k, v] of Object.entries(s.expect)) t.deepEqual(faults[0][k as keyof PastedFault], v, `${shape.name} ${k} (${s.seen})`);
      t.true(looksLikeFaultText(s.lines.join('\n')), 'a loose file holding it is read');
    }
  });
}

test("the class a fault names: by class, by nova's text in any language, as a bare class name, or raised last in its details", (t) => {
  t.is(faultInText(`{"message": "No valid host was found. ", "code": 500}`)?.exception?.type, 'NoValidHost');
  t.is(faultInText(`{"message": "OSError", "code": 500}`)?.exception?.type, 'OSError');
  const details = `{'message': 'Remote error', 'code': 500, 'details': '  File "x.py", line 1, in f\\n    g()\\nPortBindingFailed: Binding failed for port 1\\n'}`;
  t.is(faultInText(details)?.exception?.type, 'PortBindingFailed');
  t.deepEqual(faultInText(details)?.details, ['  File "x.py", line 1, in f', '    g()', 'PortBindingFailed: Binding failed for port 1']);
  t.is(faultInText('{"code": 500}'), undefined, 'no message, no fault');
});

test('moves: each mark and each command of the tables is recognised', (t) => {
  for (const m of MOVE_MARKS) t.true(m.pattern.test(m.sample), m.sample);
  for (const c of MOVE_COMMANDS) t.is(moveOfCommand(c.sample), c.move, c.sample);
  t.is(moveOfCommand('openstack server show vm1 -f value -c fault'), undefined);
  t.is(moveOfCommand('openstack server migrate --live-migration vm1'), 'live-migrate');
});

test('what is no shape of the reader goes to the log reader, in order, untouched; a listing is one event of its rows', (t) => {
  const lines = [
    '2024-10-02 09:30:12.511 31 ERROR nova.conductor.manager [req-f194cea3-b82b-466b-84cb-5d09456ebf81 - - - - -] Failed to schedule instances',
    '   [instance: 7d7c92e0-49fa-4a8e-87c7-73f22a9585d5]',
    "novaclient.exceptions.Conflict: Cannot 'resize' instance while it is in vm_state stopped (HTTP 409) (Request-ID: req-5e5074ea-cd12-43ed-9355-5db539ca9720)",
    '| ID                                   | Name | Status | Networks |',
    '| 7d7c92e0-49fa-4a8e-87c7-73f22a9585d5 | vm1  | ERROR  |          |',
    'Message:     only one row, no code',
    'just prose',
  ];
  const { faults, passed } = read(lines);
  t.deepEqual(
    faults.map((f) => [f.shape, f.failed, f.rows]),
    [['listing', false, [{ ID: '7d7c92e0-49fa-4a8e-87c7-73f22a9585d5', Name: 'vm1', Status: 'ERROR', Networks: '' }]]],
  );
  t.deepEqual(passed, [1, 2, 3, 6, 7]);
});

test('a brace block that never closes is handed back at its cap, not held without bound', (t) => {
  const lines = ['{', ...Array.from({ length: 1000 }, (_, i) => `  "k${i}": "v",`)];
  const { faults, passed } = read(lines);
  t.deepEqual(faults, []);
  t.is(passed.length, lines.length);
  t.deepEqual(passed.slice(0, 3), [1, 2, 3]);
});

test('in paste mode the fault is one undated event: its details are its traceback, a command typed above names the move and the server', (t) => {
  const { events, stats } = parseText(
    [
      'openstack server migrate --host cmp2 f160ed61-2256-4401-aece-789cb1a3c359',
      'No valid host was found. No valid host found for cold migrate',
      '',
      "{u'code': 500,",
      " u'details': u'  File \"/opt/stack/nova/nova/conductor/manager.py\", line 1227, in schedule_and_build_instances",
      '    instance_uuids, return_alternates=True)',
      "',",
      " u'message': u'No valid host was found. '}",
      '',
    ].join('\n'),
    { paste: true },
  );
  t.is(events.length, 2);
  t.like(events[0], {
    undated: true,
    instanceUuid: 'f160ed61-2256-4401-aece-789cb1a3c359',
    pasted: { shape: 'message', move: 'migrate', destination: 'cmp2' },
  });
  t.like(events[1], {
    undated: true,
    line: 4,
    lineEnd: 8,
    message: 'No valid host was found.',
    pasted: { shape: 'fault-dict', fault: { code: 500 } },
  });
  t.is(events[1].exception?.type, 'NoValidHost');
  t.deepEqual(events[1].traceback, [
    '  File "/opt/stack/nova/nova/conductor/manager.py", line 1227, in schedule_and_build_instances',
    '    instance_uuids, return_alternates=True)',
  ]);
  t.is(stats.unparsedLines, 1, 'the command line, read without the paste reader, is not a record');
});

test('a pasted fault holding a password and control characters leaves every output masked and escaped', async (t) => {
  const dir = tmp();
  const file = join(dir, 'server-show.txt');
  write(
    file,
    [
      '+----------+---------------------------------------------------------------------------------------+',
      '| Field    | Value                                                                                 |',
      '+----------+---------------------------------------------------------------------------------------+',
      `| fault    | {"message": "Build of instance 5ae72bc6-405d-47ae-b299-122c56896b80 aborted: \u001b[31mboom", "code": 500, "details": "keystone_admin_password: KollaAdminSECRET\\n"} |`,
      '| id       | 5ae72bc6-405d-47ae-b299-122c56896b80                                                  |',
      '+----------+---------------------------------------------------------------------------------------+',
      '',
    ].join('\n'),
  );
  for (const args of [
    ['events', file],
    ['analyze', file, '--format', 'json'],
    ['analyze', file, '--format', 'md'],
  ]) {
    const r = await cli(args);
    const out = r.stdout + r.stderr;
    t.false(out.includes('KollaAdminSECRET'), `${args.join(' ')} leaks the password`);
    t.false(out.includes('\u001b['), `${args.join(' ')} passes a control sequence`);
  }
  const json = JSON.parse((await cli(['analyze', file, '--format', 'json'])).stdout);
  t.is(json.incidents.length, 1);
  t.is(json.incidents[0].kind, 'failed-build');
  t.is(json.incidents[0].instanceUuid, '5ae72bc6-405d-47ae-b299-122c56896b80');
});

test("a move command's `--host` is the destination it asked for; a command that moves nothing names none", (t) => {
  t.is(
    hostOfCommand('openstack server migrate --host eli-hda1-016-ostack.priv.cloud.domain.edu  f160ed61-2256-4401-aece-789cb1a3c359'),
    'eli-hda1-016-ostack.priv.cloud.domain.edu',
  );
  t.is(hostOfCommand('nova migrate --host=cmp02 f160ed61-2256-4401-aece-789cb1a3c359'), 'cmp02');
  t.is(hostOfCommand('openstack server migrate f160ed61-2256-4401-aece-789cb1a3c359'), undefined);
  const { events } = parseText(
    ['openstack server show f160ed61-2256-4401-aece-789cb1a3c359 --host x', 'No valid host was found.', ''].join('\n'),
    {
      paste: true,
    },
  );
  t.is(events[0]?.pasted?.destination, undefined, 'not a move: no destination');
});

test("keystoneauth's debug of an API call (`openstack --debug`): the body read with the call's server, its error with the call's request id and move", (t) => {
  // keystoneauth1/session.py's formats (`REQ: curl -g -i -X <method> <url> -H … -d '<body>'`, `RESP: [<status>] <headers>`,
  // `RESP BODY: <body>`), laid out as the real REQ and RESP lines of test/corpus/real/mail-archive-yahoo-eng-team-msg93706-evacuate-400.
  const server = 'b9f443a7-343a-4962-9231-68e9e6bd3206';
  const url = `http://controller:8774/v2.1/servers/${server}`;
  const get = read([
    `REQ: curl -g -i -X GET ${url} -H "Accept: application/json" -H "User-Agent: python-novaclient" -H "X-Auth-Token: {SHA256}0b3a2c7e"`,
    `http://controller:8774 "GET /v2.1/servers/${server} HTTP/1.1" 200 1652`,
    'RESP: [200] Content-Length: 1652 Content-Type: application/json x-compute-request-id: req-3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b',
    `RESP BODY: {"server": {"id": "${server}", "status": "ERROR", "fault": {"message": "No valid host was found. ", "code": 500, "created": "2018-04-16T10:01:58Z"}}}`,
    `GET call to compute for ${url} used request id req-3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b`,
  ]);
  t.is(get.faults.length, 1);
  t.like(get.faults[0], { shape: 'api-response', instanceUuid: server, code: 500, failed: true, created: '2018-04-16T10:01:58Z' });
  // A GET's request id is the GET's, not the failed build's: not given to the fault.
  t.is(get.faults[0].requestId, undefined);
  const refused = read([
    `REQ: curl -g -i -X POST ${url}/action -H "Content-Type: application/json" -H "X-Auth-Token: {SHA256}0b3a2c7e" -d '{"os-migrateLive": {"block_migration": "auto", "host": "compute2"}}'`,
    'RESP: [400] Content-Length: 197 Content-Type: application/json; charset=UTF-8 X-Compute-Request-Id: req-b7184c5e-3aa9-42ba-9b62-e2a3ca8c4cfe',
    'RESP BODY: {"badRequest": {"code": 400, "message": "Unacceptable CPU info: CPU doesn\'t have compatibility.\\n\\n0\\n\\nRefer to http://libvirt.org/html/libvirt-libvirt-host.html#virCPUCompareResult"}}',
  ]);
  t.is(refused.faults.length, 1);
  t.like(refused.faults[0], {
    instanceUuid: server,
    code: 400,
    requestId: 'req-b7184c5e-3aa9-42ba-9b62-e2a3ca8c4cfe',
    move: 'live-migrate',
    destination: 'compute2',
  });
  t.is(refused.faults[0].exception?.type, 'InvalidCPUInfo');
  // novaclient before keystoneauth quoted the URL before the method.
  const old = read([
    `REQ: curl -i '${url}/action' -X POST -H "Accept: application/json" -d '{"migrate": null}'`,
    "RESP: [400] {'date': 'Tue, 03 Mar 2015 10:00:00 GMT', 'x-compute-request-id': 'req-0e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b'}",
    'RESP BODY: {"badRequest": {"message": "No valid host was found. No valid host found for cold migrate", "code": 400}}',
  ]);
  t.like(old.faults[0], { instanceUuid: server, move: 'migrate', code: 400, requestId: 'req-0e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b' });
  // The same words under a service's record header are that service's call to another (neutron's port): no fault.
  const inLog = read([
    '2024-03-01 10:00:00.100 28 DEBUG keystoneauth.session [req-0e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b - - - - -] RESP BODY: {"NeutronError": {"message": "Port 1 could not be found.", "type": "PortNotFound"}}',
  ]);
  t.is(inLog.faults.length, 0);
  t.deepEqual(inLog.passed, [1]);
});

test("keystoneauth's exchanges stand apart: a call that neither builds nor moves fails no server, and nothing of one call carries over to the next", (t) => {
  const server = 'b9f443a7-343a-4962-9231-68e9e6bd3206';
  const listing500 = [
    'REQ: curl -g -i -X GET "http://controller:8774/v2.1/servers/detail?name=other" -H "Accept: application/json"',
    'RESP: [500] Content-Length: 200 Content-Type: application/json; charset=UTF-8 X-Compute-Request-Id: req-cccccccc-2222-4333-8444-555555555555',
    'RESP BODY: {"computeFault": {"code": 500, "message": "Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.\\n<class \'oslo_db.exception.DBConnectionError\'>"}}',
  ];
  // The listing's 500 alone: the API failed a listing, no server.
  const alone = read(listing500);
  t.is(alone.faults.length, 1);
  t.false(alone.faults[0].failed);
  // After a live migration the API accepted (202, no body): the listing's error is not the migration's.
  const after = read([
    `REQ: curl -g -i -X POST http://controller:8774/v2.1/servers/${server}/action -H "Content-Type: application/json" -d '{"os-migrateLive": {"block_migration": "auto", "host": "compute2"}}'`,
    'RESP: [202] Content-Length: 0 Content-Type: application/json X-Compute-Request-Id: req-aaaaaaaa-2222-4333-8444-555555555555',
    ...listing500,
  ]);
  t.like(after.faults[0], { failed: false, move: undefined, destination: undefined, instanceUuid: undefined });
  t.is(after.faults[0].requestId, undefined);
});

test("a resize's confirm or revert typed is no move: its refusal moved nothing", (t) => {
  for (const c of ['openstack server resize confirm x', 'openstack server resize --revert x', 'nova resize-confirm x'])
    t.is(moveOfCommand(c), undefined, c);
  t.is(moveOfCommand('nova resize x m1.small'), 'resize');
});

test("ValidationError's value is read whole: a dict's or a host name's dots are no end of it", (t) => {
  const dict = exceptionOfText(
    "Invalid input for field/attribute resize. Value: {u'flavorRef': u'8', u'name': u'web01.example.com'}. Additional properties are not allowed (u'name' was unexpected)",
  );
  t.like(dict?.fields, { path: 'resize', message: "Additional properties are not allowed (u'name' was unexpected)" });
  const host = exceptionOfText(
    "Invalid input for field/attribute host. Value: compute2.example.com. 'compute2.example.com' is not a 'hostname'",
  );
  t.like(host?.fields, { path: 'host', value: 'compute2.example.com', message: "'compute2.example.com' is not a 'hostname'" });
});

test('a `resource provider show` table whose lines all share one width is its rows, not a terminal wrap (real, beskar-cloud 2023)', (t) => {
  const text = readFileSync(
    join(
      ROOT,
      'test',
      'corpus',
      'real',
      'github-beskar-cloud-knowledgebase-orphaned-ostack-allocation',
      'cli-resource-provider-allocations.txt',
    ),
    'utf8',
  );
  const { events } = parseText(text, { paste: true });
  const table = events.find((e) => e.pasted?.shape === 'table');
  t.like(table?.pasted?.fields, {
    uuid: 'f3bfbfa8-4dcb-4cf1-b8b3-5b3069870d08',
    name: 'eli-hda1-016-ostack.priv.cloud.domain.edu',
    allocations:
      "{'f160ed61-2256-4401-aece-789cb1a3c359': {'resources': {'VCPU': 30, 'MEMORY_MB': 741376, 'DISK_GB': 1668}, 'consumer_generation': 1}}",
  });
});

test('a client command that neither builds, moves nor shows a server is another action: its error is not a build', (t) => {
  const cases: [string, string | undefined][] = [
    ['openstack server add floating ip smart003 36.111.0.129', 'openstack server add floating'],
    ['sudo nova volume-attach vm1 0e4150db-567f-4ae0-a947-8fc7a0d624f0', 'nova volume-attach'],
    ['openstack server reboot --hard vm1', 'openstack server reboot --hard'],
    ['openstack server create --flavor m1.small --image cirros vm1', undefined],
    ['nova boot --flavor 1 --image cirros vm1', undefined],
    ['openstack server rebuild --image cirros vm1', undefined],
    ['openstack server show vm1 -c fault', undefined],
    ['nova list', undefined],
    ['openstack server resize --flavor m1.xlarge vm1', undefined],
    ['nova live-migration vm1 cmp2', undefined],
    ['tail -f /var/log/nova/nova-compute.log', undefined],
    // Packer's first line (travis-ci/packer-templates#555): prose, no command.
    ['openstack output will be in this color.', undefined],
  ];
  for (const [command, action] of cases) t.is(otherActionOf(command), action, command);
});

test("a listing after osc-placement's 'resource provider allocation show <consumer>' is that consumer's; after another command it is no one's", (t) => {
  // Real rows (pastebin KrcWAXbF), the command as typed with a global option before the subcommand.
  const rows = [
    '+--------------------------------------+------------+-----------------------------------------------+',
    '| resource_provider                    | generation | resources                                     |',
    '+--------------------------------------+------------+-----------------------------------------------+',
    "| 57b0e4d5-3a3e-4cf3-ba8c-b88c8ce4679b |        443 | {'MEMORY_MB': 8192, 'VCPU': 4, 'DISK_GB': 80} |",
    '+--------------------------------------+------------+-----------------------------------------------+',
  ];
  const after = (command: string): string | undefined => {
    const faults: PastedFault[] = [];
    const r = new FaultReader(
      (f) => faults.push(f),
      () => {},
    );
    r.typed(command);
    for (const [i, l] of rows.entries()) r.push(l, i + 1);
    r.end();
    return faults[0]?.consumer;
  };
  t.is(
    after('openstack --os-cloud prod resource provider allocation show 2aa3a324-bf22-4e0c-912a-d7c52f59f1fd'),
    '2aa3a324-bf22-4e0c-912a-d7c52f59f1fd',
  );
  t.is(after('openstack resource provider show 2aa3a324-bf22-4e0c-912a-d7c52f59f1fd --allocations'), undefined);
  t.is(after('openstack server show 2aa3a324-bf22-4e0c-912a-d7c52f59f1fd'), undefined);
});

test("a log record an aggregator kept as a JSON event's string is given back as its log lines, rsyslog's #012 between them", (t) => {
  // Real (test/corpus/real/github-solinea-goldstone-server-event-timeline-sample): goldstone's syslog events, pretty-printed.
  const text = readFileSync(
    join(ROOT, 'test', 'corpus', 'real', 'github-solinea-goldstone-server-event-timeline-sample', 'syslog-events-json-sample.txt'),
    'utf8',
  );
  const field = text.split('\n').find((l) => l.trimStart().startsWith('"message": "2014-09-29 07:05:12.363'))!;
  const lines = recordsInJsonField(field)!;
  t.is(
    lines[0],
    '2014-09-29 07:05:12.363 7102 ERROR nova.compute.manager [req-dec62213-e3ff-4124-b1ef-aaf1f640e264 f5734077b04d4f9f95cb8fec7699f6f8 3aa3b6e4ce0048a7997d900ddde95d41] [instance: 205f143e-108d-483a-8614-d5564d1483c2] Instance failed to spawn',
  );
  // The traceback's lines, each a TRACE line of its own, the JSON's escaped quotes undone.
  t.is(lines.length, 10);
  t.true(lines.every((l) => l.startsWith('2014-09-29 07:05:12.363 7102 ')));
  t.true(lines.some((l) => l.includes('File "/usr/lib/python2.6/site-packages/nova/compute/manager.py", line 1738, in _spawn')));
  // A fault's message, or another field, is not a log record.
  t.is(recordsInJsonField('  "message": "No valid host was found. ",'), undefined);
  t.is(recordsInJsonField('  "created": "2014-09-29T07:05:12Z",'), undefined);
  // Read whole: two ERROR records of the compute with their tracebacks, the events' other fields left to the log reader.
  const { events } = parseText(text, { paste: true });
  t.deepEqual(
    events.map((e) => [e.ts, e.level, e.logger, e.instanceUuid, e.traceback!.length > 5]),
    [
      ['2014-09-29T07:05:12.363', 'ERROR', 'nova.compute.manager', '205f143e-108d-483a-8614-d5564d1483c2', true],
      ['2014-09-29T07:05:16.189', 'ERROR', 'nova.compute.manager', 'd0b7b466-37da-4dae-8ba6-4697091b755d', true],
    ],
  );
});
