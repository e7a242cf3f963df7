import anyTest from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Event } from '../src/model/event.js';
import { exportTime, sniffExport } from '../parsers/paste/exports.js';
import { corpus, ROOT, withShared } from './helpers/shared.js';
import { readText } from './helpers/paste.js';

/**
 * Issue 10 §3, aggregator and viewer columns: Kibana/OpenSearch CSV exports,
 * search documents as JSON lines, Loki's logcli, Grafana's text download, lnav.
 * The nova lines are real (hotsos' Ussuri nova-compute and nova-api-metadata
 * logs, a devstack journal from nova's docs); the envelope is each tool's as its
 * source writes it (named in parsers/export-prefixes.ts, parsers/paste/exports.ts);
 * lnav's is made by lnav itself. Every export must give the events of the log.
 */

const test = withShared();

function realLines(file: string, from: number, to: number): string[] {
  return gunzipSync(readFileSync(corpus('hotsos', 'openstack', 'var', 'log', 'nova', file)))
    .toString('utf8')
    .split('\n')
    .slice(from - 1, to);
}

/** A record: a line with a date, and the lines without one after it (Filebeat's multiline grouping). */
function records(lines: readonly string[]): string[][] {
  const out: string[][] = [];
  for (const l of lines) {
    if (/^\d{4}-/.test(l) || out.length === 0) out.push([l]);
    else out[out.length - 1].push(l);
  }
  return out;
}

const what = (e: Event): string =>
  JSON.stringify([e.ts, e.level, e.logger, e.pid, e.requestId, e.instanceUuid, e.message, e.traceback, e.exception]);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Kibana Discover's default date format. */
const kibanaTime = (oslo: string): string => {
  const [y, m, d] = oslo.slice(0, 10).split('-');
  return `${MONTHS[Number(m) - 1]} ${Number(d)}, ${y} @ ${oslo.slice(11, 23)}`;
};
const csvCell = (s: string): string => `"${s.replace(/"/g, '""')}"`;

// Lines 1380-1440: an ERROR with a multi-line ProcessExecutionError and its traceback, then DEBUG lines.
const COMPUTE = (): string[] => realLines('nova-compute.log.1.gz', 1380, 1440);
const METADATA = (): string[] => realLines('nova-api-metadata.log.1.gz', 1, 40);

test('a Kibana CSV export of two files (multi-line messages in quotes) gives each file its source and the log events', async (t) => {
  const compute = COMPUTE();
  const metadata = METADATA();
  const plainCompute = await readText(`${compute.join('\n')}\n`, 'nova-compute.log');
  const plainMetadata = await readText(`${metadata.join('\n')}\n`, 'nova-api-metadata.log');
  const rows = [
    ...records(compute).map((r) => ({ r, host: 'compute4', path: '/var/log/nova/nova-compute.log' })),
    ...records(metadata).map((r) => ({ r, host: 'compute4', path: '/var/log/nova/nova-api-metadata.log' })),
  ];
  const csv = [
    '"@timestamp","host.name","log.file.path",message',
    ...rows.map(({ r, host, path }) => [kibanaTime(r[0]), host, path, r.join('\n')].map(csvCell).join(',')),
  ].join('\n');
  const { events, covs } = await readText(`${csv}\n`, 'discover.csv');
  t.deepEqual(
    covs.map((c) => [c.source, c.host, c.service, c.format, c.unparsed]),
    [
      [
        '/var/log/nova/nova-compute.log',
        'compute4',
        'nova-compute',
        'paste (CSV export: message, @timestamp, host.name, log.file.path) + oslo',
        0,
      ],
      [
        '/var/log/nova/nova-api-metadata.log',
        'compute4',
        'nova-metadata',
        'paste (CSV export: message, @timestamp, host.name, log.file.path) + oslo',
        0,
      ],
    ],
  );
  // Every physical line is counted once, the header with the first source.
  t.is(
    covs.reduce((s, c) => s + c.lines, 0),
    csv.split('\n').length,
  );
  const compEvents = events.filter((e) => e.service === 'nova-compute');
  t.deepEqual(compEvents.map(what), plainCompute.events.map(what));
  t.deepEqual(events.filter((e) => e.service !== 'nova-compute').map(what), plainMetadata.events.map(what));
  t.true(events.every((e) => e.host === 'compute4'));
  const error = compEvents.find((e) => e.level === 'ERROR')!;
  t.is(error.exception?.type, 'ProcessExecutionError');
});

test('search documents as JSON lines (ECS, nested or _source) read as the log; a message without its own time takes @timestamp', async (t) => {
  const compute = COMPUTE();
  const plain = await readText(`${compute.join('\n')}\n`, 'nova-compute.log');
  const docs = records(compute).map((r) =>
    JSON.stringify({
      _index: 'filebeat-7.17.0',
      _source: {
        '@timestamp': `${r[0].slice(0, 10)}T${r[0].slice(11, 23)}Z`,
        message: r.join('\n'),
        host: { name: 'compute4' },
        log: { file: { path: '/var/log/nova/nova-compute.log' } },
      },
    }),
  );
  const { events, covs } = await readText(`${docs.join('\n')}\n`, 'hits.ndjson');
  t.is(covs.length, 1);
  t.is(covs[0].format, 'paste (JSON documents export: message, @timestamp, host.name, log.file.path) + oslo');
  t.is(covs[0].unparsed, 0);
  t.deepEqual(events.map(what), plain.events.map(what));

  // devstack's journal holds oslo lines without their time: the document's @timestamp dates them.
  const journal = readFileSync(join(ROOT, 'test', 'corpus', 'real', 'openstack-nova-doc-down-cell', 'journal-devstack@n-api.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  const flat = journal.map((l) => {
    const message = l.slice(l.indexOf(']: ') + 3);
    return JSON.stringify({
      '@timestamp': '2019-04-04T20:48:22.512Z',
      'host.name': 'train',
      'systemd.unit': 'devstack@n-api.service',
      message,
    });
  });
  const j = await readText(`${flat.join('\n')}\n`, 'journal-hits.ndjson');
  t.deepEqual(
    j.events.map((e) => [e.ts, e.host, e.level, e.logger, e.undated]),
    [
      ['2019-04-04T20:48:22.512', 'train', 'ERROR', 'nova.context', undefined],
      ['2019-04-04T20:48:22.512', 'train', 'WARNING', 'nova.objects.service', undefined],
    ],
  );
  t.is(j.events[0].exception?.type, 'DBConnectionError');
  t.is(j.covs[0].source, 'devstack@n-api.service');

  // Newest first, as Kibana lists by default: the coverage says so. A one-line record reads the same; the
  // traceback lines this log prefixes with their own header come before their head line and are misread.
  const reversed = await readText(`${[...docs].reverse().join('\n')}\n`, 'hits-desc.ndjson');
  t.regex(reversed.covs[0].format!, /rows newest first \(sort oldest first/);
  const quiet = (evs: Event[]): string[] =>
    evs
      .filter((e) => e.level !== 'ERROR')
      .map(what)
      .sort();
  t.deepEqual(quiet(reversed.events), quiet(plain.events));
});

test("Loki's logcli and Grafana's text download: the labels name host and file, the lines read as the log", async (t) => {
  const compute = COMPUTE();
  const plain = await readText(`${compute.join('\n')}\n`, 'nova-compute.log');
  let last = '';
  const logcli = compute.map((l) => {
    if (/^\d{4}-/.test(l)) last = `${l.slice(0, 10)}T${l.slice(11, 19)}Z`;
    return `${last} {filename="/var/log/nova/nova-compute.log", host="compute4"} ${l}`;
  });
  const a = await readText(`${logcli.join('\n')}\n`, 'logcli.txt');
  t.is(a.covs[0].format, 'logcli + oslo');
  t.is(a.covs[0].unparsed, 0);
  t.deepEqual(a.events.map(what), plain.events.map(what));
  t.true(a.events.every((e) => e.host === 'compute4' && e.service === 'nova-compute'));

  const grafana = [
    'Common labels: {"filename":"/var/log/nova/nova-compute.log","host":"compute4"}',
    '',
    '',
    ...compute.map((l) => {
      if (/^\d{4}-/.test(l)) last = l.slice(0, 23);
      return `${last}\t${l}`;
    }),
  ];
  const g = await readText(`${grafana.join('\n')}\n`, 'Explore-logs-2022-02-04.txt');
  // Its meta line names the file, as a header would.
  t.is(g.covs[0].format, 'paste (file headers) + grafana-txt + oslo');
  t.is(g.covs[0].source, '/var/log/nova/nova-compute.log');
  t.is(g.covs[0].unparsed, 0);
  t.deepEqual(g.events.map(what), plain.events.map(what));
});

test('lnav: marked lines written by lnav itself (:write-to) read as the log they came from', async (t) => {
  if (spawnSync('lnav', ['-V']).status !== 0) {
    t.pass('lnav not installed');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'nf-lnav-'));
  try {
    const log = join(dir, 'nova-compute.log');
    writeFileSync(log, `${COMPUTE().join('\n')}\n`);
    const out = join(dir, 'copied.txt');
    execFileSync('lnav', ['-n', '-c', ';UPDATE all_logs SET log_mark = 1', '-c', `:write-to ${out}`, log], {
      env: { ...process.env, HOME: dir },
      timeout: 30_000,
    });
    const copied = readFileSync(out, 'utf8');
    const fromLnav = await readText(copied, 'copied.txt');
    const plain = await readText(readFileSync(log), 'nova-compute.log');
    t.true(fromLnav.events.length > 30);
    t.deepEqual(fromLnav.events.map(what), plain.events.map(what));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

anyTest('an export is told by its header or its documents, never by a log line; its times are read as shown', (t) => {
  t.like(sniffExport(['"@timestamp","host.name","log.file.path",message', '"Feb 4, 2022 @ 10:21:58.881",x,y,z']), {
    kind: 'csv',
    text: 'message',
    time: '@timestamp',
    host: 'host.name',
    file: 'log.file.path',
  });
  // lnav's :write-csv-to of its log table.
  t.like(sniffExport(['log_line,log_time,log_hostname,log_path,log_text']), { kind: 'csv', text: 'log_text', time: 'log_time' });
  // oslo's own JSON lines (asctime, levelname) are oslo's, not an export.
  t.is(
    sniffExport([
      '{"message": "Running periodic task", "asctime": "2024-07-16 10:57:31,057", "levelname": "DEBUG", "name": "nova.compute"}',
    ]),
    undefined,
  );
  t.is(sniffExport(['2022-02-04 10:21:58.881 284971 ERROR nova.compute.manager Traceback (most recent call last):']), undefined);
  t.is(sniffExport(['message,with,commas is prose']), undefined);
  t.is(exportTime('Feb 4, 2022 @ 10:21:58.881'), '2022-02-04T10:21:58.881');
  t.is(exportTime('2022-02-04T10:21:58.881Z'), '2022-02-04T10:21:58.881');
  t.is(exportTime(1643970118881), '2022-02-04T10:21:58.881');
  t.is(exportTime('1643970118881000000'), '2022-02-04T10:21:58.881');
});
