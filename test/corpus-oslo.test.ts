import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { corpus, withShared } from './helpers/shared.js';
import { parseFile } from './helpers/parse.js';
import { parseOsloLine } from '../parsers/oslo-log.js';
import { applyPrefixes, sniffPrefixes } from '../parsers/prefixes.js';

const test = withShared();

test('loghub OpenStack_2k: every field matches the structured CSV on all 2,000 lines', async (t) => {
  const rows = parseCsv(readFileSync(corpus('loghub-openstack', 'OpenStack_2k.log_structured.csv'), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[];
  const { events, stats } = await parseFile(corpus('loghub-openstack', 'OpenStack_2k.log'));
  t.is(rows.length, 2000);
  t.is(events.length, 2000);
  t.is(stats.unparsedLines, 0);
  t.deepEqual(stats.prefixes, ['loghub']);
  let mismatches = 0;
  for (const [i, r] of rows.entries()) {
    const e = events[i];
    const addr = r.ADDR === '-' ? [] : r.ADDR.split(' ');
    const content = (e.instanceUuid ? `[instance: ${e.instanceUuid}] ` : '') + e.message;
    const ok =
      e.line === Number(r.LineId) &&
      e.ts === `${r.Date}T${r.Time}` &&
      e.pid === Number(r.Pid) &&
      e.level === r.Level &&
      e.logger === r.Component &&
      e.requestId === addr[0] &&
      e.userId === (addr[1] && addr[1] !== '-' ? addr[1] : undefined) &&
      e.projectId === (addr[2] && addr[2] !== '-' ? addr[2] : undefined) &&
      content === r.Content;
    if (!ok && mismatches++ < 5) t.log(`line ${r.LineId}: ${JSON.stringify(e)} vs ${JSON.stringify(r)}`);
  }
  t.is(mismatches, 0);
  // The service comes from the file-name column loghub kept.
  t.is(events.filter((e) => e.service === 'nova-api').length, rows.filter((r) => r.Logrecord.startsWith('nova-api')).length);
});

/**
 * Every exception-prefixed line (ERROR/TRACE, no context bracket) must lie
 * inside an event that opened with the same time and pid: tracebacks fold
 * into the event that raised them, whatever the release's format.
 */
async function assertFolded(t: import('ava').ExecutionContext, path: string): Promise<void> {
  const { events, stats, lines } = await parseFile(path);
  t.is(stats.unparsedLines, 0, `unparsed lines in ${path}`);
  const owner = new Int32Array(lines.length + 1).fill(-1);
  events.forEach((e, i) => {
    for (let n = e.line; n <= (e.lineEnd ?? e.line); n++) owner[n] = i;
  });
  const prefixes = sniffPrefixes(lines.slice(1, 33));
  let prefixed = 0;
  let bad = 0;
  let tracebacks = 0;
  for (let n = 1; n < lines.length; n++) {
    const text = prefixes.length ? (applyPrefixes(prefixes, lines[n])?.rest ?? lines[n]) : lines[n];
    const h = parseOsloLine(text);
    if (!h || h.hasContext || (h.level !== 'ERROR' && h.level !== 'TRACE')) continue;
    const e = events[owner[n]];
    if (!e) continue;
    if (h.message.startsWith('Traceback (most recent call last)')) tracebacks++;
    if (e.line === n) continue; // a traceback with no head line opens its own event
    prefixed++;
    if (e.ts !== h.ts || e.pid !== h.pid) {
      if (bad++ < 3) t.log(`line ${n} folded into event at line ${e.line} (${e.ts} ${e.pid}) but is ${h.ts} ${h.pid}`);
    }
  }
  t.is(bad, 0);
  t.true(prefixed > 0, 'the file has folded traceback lines');
  // No event is left that only continues another one's traceback.
  const stray = events.filter((e) => /^\s+File "/.test(e.message));
  t.is(
    stray.length,
    0,
    stray
      .slice(0, 2)
      .map((e) => `${e.line}: ${e.message}`)
      .join('\n'),
  );
  t.true(tracebacks > 0);
  t.true(events.filter((e) => e.traceback?.some((l) => l.includes('Traceback (most recent call last)'))).length > 0);
}

const FOLDED = [
  'hotsos/openstack/var/log/nova/nova-compute.log.1.gz',
  'hotsos/openstack/var/log/nova/nova-api-metadata.log.1.gz',
  'os-log-merger/debug-live-migration/logs/hp-ms-01-c29/var/log/nova/nova-conductor.log',
  'os-log-merger/debug-live-migration/logs/hp-ms-01-c29/var/log/nova/nova-api.log',
  'os-log-merger/debug-router-net-vm-creation/logs/controller1/var/log/nova/nova-compute.log-20151124.gz',
  'os-log-merger/debug-router-net-vm-creation/logs/controller1/var/log/nova/nova-conductor.log',
  'os-log-merger/debug-router-net-vm-creation/logs/controller1/var/log/nova/nova-scheduler.log',
  'OpenStackForensics/nova-compute.log',
  'hotsos/sunbeam/podlogs/nova-0/k8s_kubectl_--namespace_openstack_logs_nova-0_-c_nova-conductor',
  'hotsos/sunbeam/podlogs/nova-0/k8s_kubectl_--namespace_openstack_logs_nova-0_-c_nova-scheduler',
];

for (const rel of FOLDED) {
  test(`tracebacks fold into their event, 0 unparsed lines: ${rel}`, async (t) => {
    await assertFolded(t, corpus(...rel.split('/')));
  });
}

test('the remaining real logs parse with 0 unparsed lines', async (t) => {
  for (const rel of [
    'os-log-merger/debug-live-migration/logs/hp-ms-01-c29/var/log/nova/nova-compute.log',
    'os-log-merger/debug-live-migration/logs/hp-ms-01-c29/var/log/nova/nova-scheduler.log',
    'os-log-merger/debug-live-migration/logs/hp-ms-01-c30/var/log/nova/nova-compute.log',
    'OpenStackForensics/nova-conductor.log',
    'OpenStackForensics/nova-scheduler.log',
    'hotsos/sunbeam/podlogs/nova-0/k8s_kubectl_--namespace_openstack_logs_nova-0_-c_nova-api',
    'hotsos/sunbeam/podlogs/placement-0/k8s_kubectl_--namespace_openstack_logs_placement-0_-c_placement-api',
  ]) {
    const { stats, events } = await parseFile(corpus(...rel.split('/')));
    t.is(stats.unparsedLines, 0, rel);
    t.true(events.length > 30, rel);
  }
});

test('hotsos nova-compute: the MessagingTimeout and ComputeHostNotFound_Remote errors carry their exception classes', async (t) => {
  const { events } = await parseFile(corpus('hotsos', 'openstack', 'var', 'log', 'nova', 'nova-compute.log.1.gz'));
  const types = new Set(events.map((e) => e.exception?.type).filter(Boolean));
  t.true(types.has('MessagingTimeout'));
  t.true(types.has('ComputeHostNotFound'));
  const pee = events.find((e) => e.message.startsWith('Error updating resources for node compute4.mylab.home.'))!;
  t.truthy(pee);
  t.is(pee.exception?.type, 'ProcessExecutionError');
  t.true(pee.traceback!.some((l) => l.startsWith('Traceback (most recent call last)')));
  t.true(
    pee.traceback!.some((l) => l.startsWith('Command: ceph df')),
    'the multi-line message is folded too',
  );
});

test('sunbeam placement: 6,014 request-log lines become http events, with the 500s and 503s', async (t) => {
  const { events } = await parseFile(
    corpus('hotsos', 'sunbeam', 'podlogs', 'placement-0', 'k8s_kubectl_--namespace_openstack_logs_placement-0_-c_placement-api'),
  );
  const req = events.filter((e) => e.logger === 'placement.requestlog');
  t.is(req.length, 6014);
  t.true(req.every((e) => e.http !== undefined));
  t.is(req.filter((e) => e.http!.status === 500).length, 2);
  t.is(req.filter((e) => e.http!.status === 503).length, 3);
  t.true(
    req.every((e) => !e.message.includes('\\x1b')),
    'colour escapes stripped',
  );
  const withGlobal = req.filter((e) => e.globalRequestId && e.requestId && e.globalRequestId !== e.requestId);
  t.true(withGlobal.length > 100, 'nova callers pass their request id as the global id');
});

test('folders of real logs are recognised by content: every corpus log is read, Sunbeam pod logs included', async (t) => {
  const { ingest } = await import('../src/pipeline/ingest.js');
  const coverage = await ingest([corpus()], {}, {});
  const read = coverage.files.filter((f) => f.role === 'oslo-log');
  const podlogs = read.filter((f) => f.path.includes('podlogs'));
  t.is(podlogs.length, 4, podlogs.map((f) => f.path).join('\n'));
  t.true(podlogs.find((f) => f.path.endsWith('-c_nova-api'))!.events > 4000);
  t.is(
    read.reduce((n, f) => n + f.unparsed, 0),
    0,
    'no unparsed line in any real log',
  );
  t.true(read.reduce((n, f) => n + f.events, 0) > 70_000);
});
