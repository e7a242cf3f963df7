import { readFileSync } from 'node:fs';
import { seed, withShared } from './helpers/shared.js';
import { parseText } from './helpers/parse.js';
import { parseBareOsloLine } from '../parsers/oslo-log.js';
import { exceptionInMessage } from '../parsers/exceptions.js';

// The seeds' log lines, read from the write-ups at test time. Blog formatting
// glued some lines together; they are split again at each oslo timestamp.

const test = withShared();

function section(text: string, from: string, to: string): string {
  const a = text.indexOf(from);
  const b = text.indexOf(to, a);
  if (a === -1 || b === -1) throw new Error(`seed section not found: ${from}`);
  return text.slice(a, b + to.length);
}

test('seed 000: the zh_CN NoValidHost in nova-conductor decodes, folds and names its exception (Pike)', (t) => {
  const text = readFileSync(seed('000'), 'utf8');
  const glued = section(
    text,
    '2018-12-27 15:05:44.860 31027 ERROR nova.conductor.manager [req-',
    'Setting instance to ERROR state.: NoValidHost_Remote: \\u627e\\u4e0d\\u5230\\u6709\\u6548\\u4e3b\\u673a\\uff0c\\u539f\\u56e0\\u662f \\u3002',
  );
  const lines = glued.replace(/(?=2018-12-27 \d\d:\d\d:\d\d\.\d{3} 31027 )/g, '\n').trimStart();
  const { events, stats } = parseText(lines, { service: 'nova-conductor' });
  t.is(stats.unparsedLines, 0);
  const [failed, deprecation, computeTask, setError] = events;
  t.is(events.length, 4);
  t.is(failed.level, 'ERROR');
  t.is(failed.logger, 'nova.conductor.manager');
  t.is(failed.requestId, 'req-49530488-2149-4f15-85ea-5659267ffada');
  t.is(failed.userId, '8668aa3368c0427c98b1d1824a36f720');
  t.is(failed.projectId, 'f30a92c42d264a79ba5744b084346a2d');
  t.true(failed.message.startsWith('Failed to schedule instances: NoValidHost_Remote: 找不到有效主机，原因是 。'));
  t.true(failed.decoded);
  t.true(failed.raw.includes('\\u627e'), 'the raw line is kept as written');
  t.is(failed.exception?.type, 'NoValidHost');
  t.true(failed.traceback!.length >= 20, 'prefixed traceback lines fold into the event');
  t.true(failed.traceback!.some((l) => l.startsWith('NoValidHost_Remote: 找不到有效主机')));
  t.is(deprecation.logger, 'oslo_config.cfg');
  t.is(computeTask.exception?.type, 'NoValidHost');
  t.true(computeTask.message.startsWith('Failed to compute_task_build_instances: 找不到有效主机'));
  t.is(setError.instanceUuid, 'c2963f0d-370c-43aa-8cee-0131760d6ef2');
  t.true(setError.message.startsWith('Setting instance to ERROR state.'));
  t.is(setError.exception?.type, 'NoValidHost');
});

test('seed 001: scheduler and placement lines of the 64-VCPU request (Train, grep -n prefix, colour codes)', (t) => {
  const text = readFileSync(seed('001'), 'utf8');
  const sched = text.split('\n').find((l) => l.startsWith('20596:2021-07-30 14:46:16.665'))!;
  const { events: s } = parseText(sched);
  t.is(s.length, 1);
  t.is(s[0].requestId, 'req-cb66e713-19a8-45d2-b107-dd31569f4653');
  t.is(s[0].logger, 'nova.scheduler.manager');
  t.true(s[0].message.startsWith('Got no allocation candidates from the Placement API.'));

  const placement = text
    .split('\n')
    .filter((l) => l.startsWith('2021-07-30 16:31:') && l.includes('placement.'))
    .join('\n');
  const { events: p, stats } = parseText(placement, { service: 'placement-api' });
  t.is(stats.unparsedLines, 0);
  t.is(p.length, 4);
  const starting = p.find((e) => e.http?.starting)!;
  t.deepEqual(starting.http, {
    clientIp: '172.16.88.187',
    method: 'GET',
    path: '/allocation_candidates',
    query: 'resources=VCPU%3A64',
    starting: true,
  });
  t.deepEqual(starting.placementQuery, { resources: { VCPU: 64 } });
  t.is(starting.codeLocation?.func, '__call__');
  const none = p.find((e) => e.placementSearch?.outcome === 'none')!;
  t.deepEqual(none.placementSearch, { outcome: 'none', resourceClass: 'VCPU', amount: 64, providers: 0 });
  t.is(none.message, 'found no providers with 64 VCPU');
  const done = p.find((e) => e.http?.status === 200)!;
  t.is(done.http!.microversion, '1.0');
  t.is(done.http!.length, 259);
  t.false(p.some((e) => e.message.includes('x1b')));
});

test('seed 002: InvalidCPUInfo on the destination names its class', (t) => {
  const text = readFileSync(seed('002'), 'utf8');
  const line = text.split('\n').find((l) => l.includes('InvalidCPUInfo'))!;
  const inner = line.replace(/^\d+ \| /, '').replace(/ \|\s*$/, '');
  const h = parseBareOsloLine(inner)!;
  t.is(h.logger, 'oslo_messaging.rpc.server');
  t.is(h.requestId, 'req-922596a7-f122-45c8-9f91-1446bb855e05');
  const ex = exceptionInMessage(h.message)!;
  t.is(ex.type, 'InvalidCPUInfo');
  t.is(ex.message, "Unacceptable CPU info: CPU doesn't have compatibility.");
});

test('seed 003: the unmanaged-allocation warning and the power-sync count (Zed+ context)', (t) => {
  const text = readFileSync(seed('003'), 'utf8');
  const lines = text
    .split('\n')
    .filter((l) => l.startsWith('2024-10-02 12:07:'))
    .join('\n');
  const { events } = parseText(lines, { service: 'nova-compute' });
  t.is(events.length, 2);
  const [warn, sync] = events;
  t.is(warn.level, 'WARNING');
  t.is(warn.logger, 'nova.compute.resource_tracker');
  t.is(warn.requestId, 'req-f8320401-70fb-4532-8d87-e5240e53f68b');
  t.is(warn.globalRequestId, undefined);
  t.true(warn.message.startsWith('Instance b32e5792-427c-43b1-83dc-2d3e3c8d74c4 is not being actively managed by this compute host'));
  t.is(warn.exception, undefined, 'a python dict repr is not an exception');
  t.is(sync.logger, 'nova.compute.manager');
  t.true(sync.message.includes('found 1 instances in the database and 2 instances on the hypervisor'));
});
