import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import test from 'ava';
import type { Event } from '../src/model/event.js';
import { readLogFile } from '../src/pipeline/read-logs.js';
import { journalctlPath } from '../src/sources/journal-file.js';
import { JournalExportReader } from '../parsers/journal-export.js';
import { OsloEventParser, type OsloFileContext, type OsloParseStats } from '../parsers/oslo-events.js';
import { parseText } from './helpers/parse.js';
import { CORPUS, ROOT, withShared } from './helpers/shared.js';
import { cli } from './helpers/cli.js';
import { tmp, write } from './helpers/fixture-tree.js';

/**
 * The fixtures are one real journal printed by journalctl in each output mode
 * (scripts/make-journal-fixtures.ts, SOURCES.md there). Whatever the mode, the
 * events must be those of the log lines the journal holds.
 */

const FIXTURES = join(ROOT, 'test', 'fixtures', 'journal');
const shared = withShared();

function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

function parseExport(buf: Buffer, ctx: Partial<OsloFileContext> = {}): { events: Event[]; stats: OsloParseStats } {
  const events: Event[] = [];
  const p = new OsloEventParser({ host: 'h', file: 'f', ...ctx }, (e) => events.push(e));
  const r = new JournalExportReader((info, raw, n) => p.pushEntry(info, raw, n));
  r.push(buf);
  r.end();
  p.end();
  return { events, stats: p.stats };
}

function parseFixture(name: string, ctx: Partial<OsloFileContext> = {}): { events: Event[]; stats: OsloParseStats } {
  if (name.includes('.export.')) return parseExport(readFileSync(join(FIXTURES, name)), ctx);
  return parseText(fixture(name), ctx);
}

/** What an event says, without where it was read. */
function gist(e: Event) {
  return {
    ts: e.ts,
    pid: e.pid,
    level: e.level,
    logger: e.logger,
    requestId: e.requestId,
    userId: e.userId,
    projectId: e.projectId,
    instanceUuid: e.instanceUuid,
    message: e.message,
    codeLocation: e.codeLocation,
    traceback: e.traceback,
    exception: e.exception?.type,
  };
}

const COMPUTE4_MODES = readdirSync(FIXTURES).filter((f) => f.startsWith('compute4.') && f.endsWith('.txt') && !f.includes('.cat.'));

/** The hotsos lines the compute4 journal was made of, parsed as the log file they came from. */
function compute4Reference(): Event[] {
  const lines = gunzipSync(readFileSync(join(CORPUS, 'hotsos', 'openstack', 'var', 'log', 'nova', 'nova-compute.log.1.gz')))
    .toString('utf8')
    .split('\n')
    .slice(1384, 1416);
  return parseText(`${lines.join('\n')}\n`).events;
}

shared('compute4: every journalctl mode, locale and zone gives the events of the log lines it holds', (t) => {
  const reference = compute4Reference().map(gist);
  t.is(reference.length, 9);
  t.true(COMPUTE4_MODES.length >= 20);
  for (const name of COMPUTE4_MODES) {
    const { events, stats } = parseFixture(name, { hostFromCollector: true });
    // with-unit names the unit, not the program: sudo, run in nova-compute's unit, is nova-compute's there.
    const own = events.filter((e) => e.service === 'nova-compute' && e.logger !== 'stderr');
    t.deepEqual(own.map(gist), reference, name);
    t.true(
      events.every((e) => e.host === 'compute4'),
      name,
    );
    t.is(stats.unparsedLines, 0, name);
    // Other programs' lines are their events, named as the journal names them: systemd starting the unit
    // (init.scope's, with-unit), sudo running rootwrap (nova-compute's unit's, with-unit).
    const others = events.filter((e) => e.service !== 'nova-compute');
    const started = others.find((e) => e.message === 'Started OpenStack Compute.');
    t.is(started?.service, name.includes('with-unit') ? 'init' : 'systemd', name);
    t.is(started?.pid, 1, name);
    t.true(started?.ts.startsWith('2022-02-04T'), name);
    t.is(others.length, name.includes('with-unit') ? 1 : 2, name);
    t.is(stats.prefixes.length, 1, name);
  }
});

test('compute4: the formats read as are named for what they are', (t) => {
  const as = (mode: string) => parseFixture(`compute4.${mode}.txt`).stats.prefixes[0];
  t.is(as('short'), 'syslog rfc3164');
  t.is(as('short-precise'), 'journald short-precise');
  t.is(as('short-iso'), 'syslog rfc3339');
  t.is(as('short-iso-precise'), 'syslog rfc3339');
  t.is(as('short-full'), 'journald short-full');
  t.is(as('with-unit'), 'journald short-full');
  t.is(as('short-monotonic'), 'journald short-monotonic');
  t.is(as('short-unix'), 'journald short-unix');
  t.is(as('json'), 'journald json');
  t.is(as('json-seq'), 'journald json');
  t.is(as('json-sse'), 'journald json');
  t.is(as('export'), 'journald export');
});

test('a multi-line journal entry (oslo.log writing to the journal): its further lines fold, indented or not', (t) => {
  for (const name of ['record.short-precise.txt', 'record.export.txt']) {
    const { events, stats } = parseFixture(name, { hostFromCollector: true });
    const first = events[0];
    t.true(first.message.startsWith('Error updating resources for node compute4.mylab.home.'), name);
    t.is(first.exception?.type, 'ProcessExecutionError', name);
    t.is(first.traceback?.[0], 'Command: ceph df --format=json', `${name}: journalctl's indentation is taken off`);
    t.true(first.traceback!.includes('Traceback (most recent call last):'), name);
    t.is(stats.unparsedLines, 0, name);
    // The entry's last line is the next record, still the same program's.
    t.is(events[1].logger, 'nova.service', name);
    t.is(events[1].host, 'compute4', name);
  }
  // json leaves a MESSAGE past 4096 bytes out (null): nothing to read, and said so.
  const { events, stats } = parseFixture('record.json.txt');
  t.is(events.length, 0);
  t.is(stats.unparsedLines, 1);
});

test('devstack: bare `LEVEL logger [ctx]` lines take the journal time, pid and host; the suffix and context are split', (t) => {
  const collected = { year: 2017, month: 9 };
  const reference = parseFixture('devstack-2017.short-precise.txt', { collected, hostFromCollector: true });
  t.is(reference.events.length, 3);
  const e = reference.events[1];
  t.like(e, {
    ts: '2017-09-05T09:02:02.137',
    host: 'leg-004',
    service: 'nova-scheduler',
    pid: 15128,
    level: 'DEBUG',
    logger: 'nova.scheduler.host_manager',
    requestId: 'req-c8cd4884-6858-4438-ab57-07ac3adeefbe',
    message: 'Update host state with instances: {}',
    codeLocation: { func: '_locked_update', path: '/opt/stack/nova/nova/scheduler/host_manager.py', line: 181 },
  });
  t.is(e.globalRequestId, undefined);
  t.deepEqual(reference.stats.assumedYear, { year: 2017, from: 'sosreport-date' });
  for (const name of ['devstack-2017.short-precise.ja_JP.txt', 'devstack-2017.json.txt', 'devstack-2017.export.txt']) {
    const { events } = parseFixture(name, { collected, hostFromCollector: true });
    t.deepEqual(events.map(gist), reference.events.map(gist), name);
  }
  // short has whole seconds only.
  const short = parseFixture('devstack-2017.short.txt', { collected, hostFromCollector: true });
  t.deepEqual(
    short.events.map((x) => ({ ...gist(x), ts: x.ts.slice(0, 19) })),
    reference.events.map((x) => ({ ...gist(x), ts: x.ts.slice(0, 19) })),
  );
  // journald's JSON and export times are UTC: said so, since no line states its own.
  t.deepEqual(parseFixture('devstack-2017.json.txt').stats.timeShift, { offset: '+00:00', from: 'none-found' });
});

test("devstack context `[global request project user]`: the project comes before the user (devstack's format string)", (t) => {
  const { events } = parseText(
    'Sep 05 09:02:08 leg-004 nova-compute[15144]: DEBUG nova.compute.manager [None req-c8cd4884-6858-4438-ab57-07ac3adeefbe demo-project demo-user] [instance: b500a3d8-89b8-45ab-8725-c2420e6d7e98] Allocating IP information in the background. {{(pid=15144) _allocate_network_async /opt/stack/nova/nova/compute/manager.py:1375}}\n',
    { collected: { year: 2017, month: 9 } },
  );
  t.like(events[0], { projectId: 'demo-project', userId: 'demo-user', instanceUuid: 'b500a3d8-89b8-45ab-8725-c2420e6d7e98', pid: 15144 });
});

test("devstack: a traceback's bare lines, stamped microseconds apart by journald, fold into one event", (t) => {
  for (const name of [
    'devstack-2023.short-precise.txt',
    'devstack-2023.short-precise.hu_HU.txt',
    'devstack-2023.short.txt',
    'devstack-2023.short-iso.txt',
    'devstack-2023.short-unix.txt',
    'devstack-2023.json.txt',
    'devstack-2023.export.txt',
  ]) {
    const { events, stats } = parseFixture(name, { collected: { year: 2023, month: 3 }, hostFromCollector: true });
    t.is(events.length, 1, name);
    t.is(stats.foldedLines, 5, name);
    t.like(events[0], { host: 'testoccm', service: 'nova-scheduler', pid: 194098, level: 'ERROR', logger: 'nova' }, name);
    t.is(events[0].ts.slice(0, 19), '2023-02-16T09:03:40', name);
    t.is(events[0].traceback?.at(-1), '    proxy = self._make_proxy(instance)', name);
  }
});

test('EDPM: nova_compute in the journal, whatever the mode', (t) => {
  for (const name of ['edpm.short.txt', 'edpm.short-iso-precise.txt', 'edpm.json-seq.txt', 'edpm.export.txt']) {
    const { events } = parseFixture(name, { collected: { year: 2025, month: 8 }, hostFromCollector: true });
    t.is(events.length, 1, name);
    t.like(events[0], { host: 'edpm-compute-0', service: 'nova-compute', ts: '2025-07-31T15:17:34.056', pid: 2 }, name);
    t.is(events[0].exception?.type, 'MigrationPreCheckError', name);
  }
});

test('a binary journal is read through journalctl on a temp copy, or skipped with how to export it', async (t) => {
  const events: Event[] = [];
  const warnings: string[] = [];
  const path = join(FIXTURES, 'compute4.journal.gz');
  const [cov] = await readLogFile(
    {
      input: path,
      host: 'unknown',
      hostSource: 'unknown',
      displayPath: path,
      relPath: 'var/log/journal/0f3a/system.journal',
      role: { kind: 'oslo-log', layout: 'journal-binary' },
      stream: createReadStream(path),
      loose: true,
    },
    {},
    (e) => events.push(e),
    (w) => warnings.push(w.message),
  );
  if (journalctlPath()) {
    t.deepEqual(cov.prefixes, ['journald binary']);
    // nova-compute's 9, systemd's and sudo's.
    t.is(cov.events, 11);
    t.is(cov.lines, 34, 'entries');
    t.is(cov.unparsed, 0);
    t.is(cov.host, 'compute4');
    t.is(events.find((e) => e.level === 'ERROR')?.exception?.type, 'ProcessExecutionError');
    t.deepEqual(warnings, []);
  } else {
    t.is(cov.events, 0);
    t.regex(warnings[0], /journalctl --file=system\.journal -o export/);
  }
});

test('the export reader: binary fields with newlines, a field cut short, garbage between entries', (t) => {
  const size = Buffer.alloc(8);
  const msg = Buffer.from(
    '2022-02-04 10:21:58.881 284971 ERROR nova.compute.manager [req-97b163b2-ff4c-4c93-915a-6c990d19af26 - - - - -] Error\nCommand: ceph df',
  );
  size.writeBigUInt64LE(BigInt(msg.length));
  const entry = Buffer.concat([
    Buffer.from('__REALTIME_TIMESTAMP=1643970118881000\n_HOSTNAME=compute4\nSYSLOG_IDENTIFIER=nova-compute\n_PID=284971\nMESSAGE\n'),
    size,
    msg,
    Buffer.from('\n\n'),
  ]);
  // Fed a byte at a time: the size may arrive before its bytes do.
  const events: Event[] = [];
  const p = new OsloEventParser({ host: 'h', file: 'f', hostFromCollector: true }, (e) => events.push(e));
  const r = new JournalExportReader((info, raw, n) => p.pushEntry(info, raw, n));
  const all = Buffer.concat([entry, Buffer.from('not a field line\n\n'), entry.subarray(0, entry.length - 20)]);
  for (let i = 0; i < all.length; i++) r.push(all.subarray(i, i + 1));
  r.end();
  p.end();
  // The cut entry still counts, but its MESSAGE never arrived: no event of it.
  t.is(r.stats.entries, 2);
  t.is(r.stats.badLines, 2, 'the garbage line and the cut entry');
  t.is(events.length, 1);
  t.like(events[0], { host: 'compute4', pid: 284971, message: 'Error', traceback: ['Command: ceph df'] });
});

test('a journal crossing New Year: the year of each yearless line is the one closest to the oslo times around it', (t) => {
  const text = [
    'Dec 31 23:59:59.100000 hv1 nova-compute[7]: WARNING nova.compute.manager [None req-1 a b] bare line before the first oslo time',
    'Jan 01 00:00:00.200000 hv1 nova-compute[7]: 2025-01-01 00:00:00.200 7 INFO nova.compute.manager [None req-2 - - - - - -] full line',
    'Jan 01 00:00:01.300000 hv1 nova-compute[7]: WARNING nova.compute.manager [None req-3 a b] bare line after',
    '',
  ].join('\n');
  // No collection date and a file end in 2030: the lines' own oslo time wins.
  const { events, stats } = parseText(text, { mtime: new Date('2030-06-01T00:00:00Z') });
  t.deepEqual(
    events.map((e) => e.ts),
    ['2024-12-31T23:59:59.100', '2025-01-01T00:00:00.200', '2025-01-01T00:00:01.300'],
  );
  t.deepEqual(stats.assumedYear, { year: 2024, through: 2025, from: 'oslo-timestamps' });
});

test("without oslo times, a yearless journal is counted back from the file's mtime, the month after it being last year's", (t) => {
  const text =
    'Dec 30 10:00:00 hv1 nova-compute[7]: WARNING nova.compute.manager [None req-1 a b] x\nJan 02 10:00:00 hv1 nova-compute[7]: WARNING nova.compute.manager [None req-2 a b] y\n';
  const { events, stats } = parseText(text, { mtime: new Date('2025-01-03T12:00:00Z') });
  t.deepEqual(
    events.map((e) => e.ts),
    ['2024-12-30T10:00:00.000', '2025-01-02T10:00:00.000'],
  );
  t.deepEqual(stats.assumedYear, { year: 2024, through: 2025, from: 'file-mtime' });
});

test('journalctl header and boot lines are its own chatter; the header gives the year', (t) => {
  const text = [
    '-- Logs begin at Wed 2017-03-29 08:23:23 EDT, end at Wed 2017-03-29 16:19:46 EDT. --',
    'Mar 29 16:16:05 os4 nova-api[14042]: DEBUG nova.api.openstack.wsgi [req-3e4fa169-80ec-4635-8a7e-b60c16eddbcb demo demo] Action: \'create\', calling method: <bound method ServersController.create of <nova.api.openstack.compute.servers.ServersController object at 0x7fa7c93584d0>>, body: {"server": {"min_count": 1,',
    '',
  ].join('\n');
  const { events, stats } = parseText(text, { mtime: new Date('2030-01-01T00:00:00Z') });
  t.is(stats.foreignLines, 1);
  t.is(events[0].ts, '2017-03-29T16:16:05.000');
  t.deepEqual(stats.assumedYear, { year: 2017, from: 'journal-header' });
});

test('UTC journal times of bare lines are shifted to the zone the oslo times in the same file use', (t) => {
  // short-unix is UTC; this service logs in UTC+02:00.
  const text = [
    '1643970118.740003 compute4 nova-compute[284971]: 2022-02-04 12:21:58.740 284971 WARNING nova.compute.manager [req-97b163b2-ff4c-4c93-915a-6c990d19af26 - - - - -] full line',
    '1643970119.000000 compute4 nova-compute[284971]: ERROR nova.compute.manager [None req-1 a b] bare line',
    '',
  ].join('\n');
  const { events, stats } = parseText(text);
  t.is(events[1].ts, '2022-02-04T12:21:59.000');
  t.deepEqual(stats.timeShift, { offset: '+02:00', from: 'oslo-timestamps' });
});

shared(
  '-o cat (messages only): the full oslo lines it holds give the same records; what is not oslo is unparsed or folded, never an event',
  (t) => {
    const reference = compute4Reference();
    const { events, stats } = parseFixture('compute4.cat.txt');
    const what = (e: Event) => ({ ts: e.ts, level: e.level, logger: e.logger, requestId: e.requestId, message: e.message });
    t.deepEqual(events.map(what), reference.map(what));
    // systemd's `Started OpenStack Compute.` before any record; sudo's line folds into the record above (cat has no tags).
    t.is(stats.unparsedLines, 1);
    t.deepEqual(stats.prefixes, []);
  },
);

test("devstack with LOG_COLOR: journalctl's stripped text, --all, JSON's byte-array MESSAGE and export all give the plain lines' events", (t) => {
  const ctx = { collected: { year: 2017, month: 9 }, hostFromCollector: true };
  const reference = parseFixture('devstack-2017.short-precise.txt', ctx).events.map(gist);
  t.is(reference.length, 3);
  // JSON writes a MESSAGE holding ESC bytes as an array of byte values: the case this fixture is for.
  t.regex(fixture('devstack-colour.json.txt'), /"MESSAGE":\[27,91,48,48,59,51,50,109,68,69,66,85,71,/);
  t.regex(fixture('devstack-colour.short-precise-all.txt'), /\x1b\[00;32mDEBUG nova\.scheduler\.host_manager \[\x1b\[01;36mNone req-/);
  for (const name of [
    'devstack-colour.short-precise.txt',
    'devstack-colour.short-precise-all.txt',
    'devstack-colour.json.txt',
    'devstack-colour.export.txt',
  ]) {
    const { events, stats } = parseFixture(name, ctx);
    t.deepEqual(events.map(gist), reference, name);
    t.true(
      events.every((e) => !e.message.includes('\x1b') && e.service === 'nova-scheduler' && e.host === 'leg-004'),
      name,
    );
    t.is(stats.unparsedLines, 0, name);
  }
  // The traceback lines carry the exception prefix's colour codes (`ERROR nova ESC[01;35mESC[00m  File …`): still one event.
  for (const name of ['devstack-colour-2023.json.txt', 'devstack-colour-2023.short-iso.txt']) {
    const { events, stats } = parseFixture(name, { collected: { year: 2023, month: 3 }, hostFromCollector: true });
    t.is(events.length, 1, name);
    t.is(stats.foldedLines, 5, name);
    t.is(events[0].traceback?.at(-1), '    proxy = self._make_proxy(instance)', name);
  }
});

test("a message that is not UTF-8: journalctl's `[N B blob data]` is counted as left out, with its continuation, and said; JSON's bytes are read", async (t) => {
  const short = parseFixture('blob.short.txt', { hostFromCollector: true });
  const json = parseFixture('blob.json.txt', { hostFromCollector: true });
  t.regex(fixture('blob.short.txt'), /nova-compute\[284971\]: \[266B blob data\]$/m);
  t.deepEqual(short.stats.omittedEntries, { count: 1, blob: 1 });
  // The ERROR record's line and its four continuation lines (Command, Exit code, Stdout, Stderr).
  t.is(short.stats.unparsedLines, 5);
  t.deepEqual(short.events.map(gist), json.events.slice(0, -1).map(gist), 'the other records are read alike, none takes the lost one');
  const err = json.events.at(-1)!;
  t.is(err.level, 'ERROR');
  t.is(err.exception?.type, 'ProcessExecutionError');
  t.true(err.message.endsWith('(caf\uFFFD)'), 'the Latin-1 byte shown as U+FFFD');

  const warnings: string[] = [];
  const path = join(FIXTURES, 'blob.short.txt');
  const [cov] = await readLogFile(
    {
      input: path,
      host: 'compute4',
      hostSource: 'hostname-file',
      displayPath: path,
      relPath: 'sos_commands/logs/journalctl_--no-pager',
      role: { kind: 'oslo-log', layout: 'sos-journal' },
      stream: createReadStream(path),
      collected: { year: 2022, month: 2 },
    },
    {},
    () => {},
    (w) => warnings.push(w.message),
  );
  t.is(cov.unparsed, 5);
  t.true(
    warnings.some((w) => /1 journal entry of nova's had no message to read: .*1 printed as `\[… blob data\]`.*journalctl --all/.test(w)),
    warnings.join('\n'),
  );
});

test('the year a journal was given, and why, is in the coverage: the text on stderr, Markdown, JSON', async (t) => {
  const dir = tmp();
  const root = join(dir, 'sosreport-leg-004-2017-09-05-abcdefg');
  write(join(root, 'sos_commands', 'host', 'hostname'), 'leg-004\n');
  write(join(root, 'sos_commands', 'date', 'date'), 'Tue Sep  5 10:00:00 UTC 2017\n');
  // devstack's lines have no time of their own: the journal's `Sep 05 09:02:02.137011` needs a year.
  write(join(root, 'sos_commands', 'logs', 'journalctl_--no-pager'), fixture('devstack-2017.short-precise.txt'));
  const why = /year 2017 assumed, from the sosreport's date/;
  const md = await cli(['report', root]);
  t.regex(md.stdout, /sos_commands\/logs\/journalctl_--no-pager` — year 2017 assumed, from the sosreport's date\./, md.stderr);
  const summary = await cli(['analyze', root, '--format', 'json']);
  t.regex(summary.stderr, /Times completed \(the collector wrote no year or zone\)\n {2}leg-004: \S*journalctl_--no-pager: year 2017/);
  t.regex(summary.stderr, why);
  const json = JSON.parse(summary.stdout);
  const f = json.coverage.files.find((x: { path: string }) => x.path.endsWith('journalctl_--no-pager'));
  t.deepEqual(f.assumedYear, { year: 2017, from: 'sosreport-date' });
  t.deepEqual(f.prefixes, ['journald short-precise']);
  t.is(f.events, 3);
});
