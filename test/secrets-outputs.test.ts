import test from 'ava';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { analyze } from '../src/pipeline/analyze.js';
import { policyStore } from '../src/report/output.js';
import { LOOK_ALIKES, SECRETS } from '../src/report/secrets.js';
import { App } from '../src/views/tui/app.js';
import { eventLines, incidentLines } from '../src/views/tui/text.js';
import { TimelineIndex } from '../src/views/tui/timeline-index.js';
import { cli } from './helpers/cli.js';
import { sosTree, tar, tmp, write } from './helpers/fixture-tree.js';

/**
 * Every sample of the redaction table, logged in a failing build's request
 * (so it reaches the incident's timeline and evidence) from a file whose
 * path holds a secret too, through every output the tool has. None of the
 * secrets may appear; with --no-redact each of them does, somewhere, so the
 * test would see a leak.
 */

const CTX =
  '[req-f194cea3-b82b-466b-84cb-5d09456ebf81 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - default default]';
const PATH_SECRET = 'PathTokenSECRET';
const SECRET_VALUES = [...new Set([...SECRETS.flatMap((e) => e.samples.flatMap((s) => s.secrets)), PATH_SECRET])];

/** A failed build's conductor lines, every sample of the table logged in its request, then the look-alikes. */
function logText(): string {
  const lines = [
    `2024-10-02 09:30:12.511 31 ERROR nova.conductor.manager ${CTX} Failed to schedule instances: nova.exception_Remote.NoValidHost_Remote: No valid host was found.`,
    `2024-10-02 09:30:12.513 31 WARNING nova.scheduler.utils ${CTX} [instance: 5ae72bc6-405d-47ae-b299-122c56896b80] Setting instance to ERROR state.: nova.exception_Remote.NoValidHost_Remote: No valid host was found.`,
  ];
  let n = 520;
  for (const e of SECRETS)
    for (const s of e.samples) {
      // a sample of several lines: its first line is the message, the rest continuation lines
      const [first, ...rest] = s.text.split('\n');
      lines.push(`2024-10-02 09:30:12.${n++} 31 DEBUG nova.conductor.manager ${CTX} ${first}`, ...rest);
    }
  for (const l of LOOK_ALIKES) lines.push(`2024-10-02 09:30:12.${n++} 31 DEBUG nova.conductor.manager ${CTX} ${l.text.split('\n')[0]}`);
  return `${lines.join('\n')}\n`;
}

function fixture(): string {
  const dir = join(tmp(), `X-Auth-Token=${PATH_SECRET}`);
  mkdirSync(dir, { recursive: true });
  const log = join(dir, 'nova-conductor.log');
  write(log, logText());
  return log;
}

test('no secret of the table reaches any output: events, --raw, summary, JSON, NDJSON, Markdown, report -o, audit, coverage, errors, file names', async (t) => {
  const log = fixture();
  const out = join(tmp(), 'report.md');
  const runs: string[][] = [
    ['events', log, '--host', 'ctl9'],
    ['events', log, '--host', 'ctl9', '--raw', '--verbose'],
    ['events', log, '--host', 'ctl9', '--summary', '--verbose'],
    ['analyze', log, '--host', 'ctl9', '--format', 'json'],
    ['analyze', log, '--host', 'ctl9', '--format', 'ndjson'],
    ['analyze', log, '--host', 'ctl9', '--format', 'md', '--verbose'],
    ['analyze', log, '--host', 'ctl9', '--format', 'summary', '--verbose'],
    ['report', log, '--host', 'ctl9', '-o', out],
    ['audit', log, '--verbose'],
    ['events', join(tmp(), `password=${PATH_SECRET}`, 'nova-api.log')],
  ];
  const results = await Promise.all(runs.map((args) => cli(args)));
  for (const [n, r] of results.entries()) {
    const what = runs[n].filter((a) => a !== log).join(' ');
    for (const s of SECRET_VALUES) {
      t.false(r.stdout.includes(s), `${s} in ${what} (stdout)`);
      t.false(r.stderr.includes(s), `${s} in ${what} (stderr)`);
    }
  }
  const md = readFileSync(out, 'utf8');
  for (const s of SECRET_VALUES) t.false(md.includes(s), `${s} in report -o`);
  t.regex(md, /\*\*\*password\*\*\*/, 'masks say what they hid');
  t.notThrows(() => JSON.parse(results[3].stdout), 'the JSON report parses');
  // the samples did reach the outputs: without redaction each secret is there
  const open = await Promise.all([
    cli(['events', log, '--host', 'ctl9', '--raw', '--no-redact']),
    cli(['analyze', log, '--host', 'ctl9', '--format', 'md', '--no-redact']),
  ]);
  const all = open.map((r) => r.stdout + r.stderr).join('\n');
  for (const s of SECRET_VALUES) t.true(all.includes(s), `${s} would be printed without redaction`);
  t.true(open[1].stdout.includes(PATH_SECRET), 'the file name reaches the Markdown');
  // and the look-alikes are kept as they were
  const raw = results[1].stdout;
  for (const l of LOOK_ALIKES) {
    const first = l.text.split('\n')[0];
    t.true(raw.includes(JSON.stringify(first).slice(1, -1)), `kept: ${first}`);
  }
});

test('the TUI holds no secret of the table: incident and event details, the whole timeline', async (t) => {
  const log = fixture();
  const { report: raw, store } = await analyze([log], { host: 'ctl9' });
  const { report, events } = policyStore(raw, store.events, { redact: true });
  const text = [...events.flatMap((e) => eventLines(e, 200)), ...report.incidents.flatMap((i) => incidentLines(i, 200))].join('\n');
  const index = new TimelineIndex(events, new Map(report.hosts.map((h) => [h.name, h.clockOffsetMs])));
  const lookup = new Map(events.map((e) => [`${e.file}\u0000${e.line}`, e]));
  const frames: string[] = [];
  for (let row = 0; row < index.length; row += 30) {
    const app = render(
      createElement(App, {
        report,
        index,
        lookup,
        width: 200,
        height: 40,
        color: false,
        onExport: () => '/tmp/x.md',
        initial: { screen: 'whole', row },
      }),
    );
    frames.push(app.lastFrame() ?? '');
    app.unmount();
  }
  const all = `${text}\n${frames.join('\n')}`;
  for (const s of SECRET_VALUES) t.false(all.includes(s), s);
  t.true(all.includes('***password***'));
  t.true(
    JSON.stringify(raw).includes('Xq9AdminPassSECRET') || store.events.some((e) => e.message.includes('Xq9AdminPassSECRET')),
    'the inputs held it',
  );
});

/** The config values of the table as sos collects them: nova.conf (INI) and kolla's passwords.yml (YAML). */
const NOVA_CONF = [
  '[DEFAULT]',
  'transport_url = rabbit://openstack:ConfRabbitSECRET@ctl9:5672,openstack:ConfRabbit2SECRET@ctl8:5672//',
  'metadata_proxy_shared_secret = ConfMetaSECRET',
  '[database]',
  'connection = mysql+pymysql://nova:ConfDbSECRET@ctl9/nova',
  '[keystone_authtoken]',
  'auth_type = password',
  'password = ConfKeystoneSECRET',
  '[libvirt]',
  'rbd_secret_uuid = 9c0f4d2e-1b7a-4f58-9e0c-3a5d6b7c8e9f',
  '[vnc]',
  'vnc_password = ConfVncSECRET',
  '',
].join('\n');
const CONF_SECRETS = [
  'ConfRabbitSECRET',
  'ConfRabbit2SECRET',
  'ConfMetaSECRET',
  'ConfDbSECRET',
  'ConfKeystoneSECRET',
  '9c0f4d2e-1b7a-4f58-9e0c-3a5d6b7c8e9f',
  'ConfVncSECRET',
];

test('a sosreport folder and its .tar.xz: no secret of the table, its nova.conf or a member name reaches events, --raw, JSON, Markdown, audit or -v', async (t) => {
  const dir = tmp();
  const root = 'sosreport-ctl9-2024-10-02-sssssss';
  const base = sosTree(dir, root, 'ctl9');
  write(join(base, 'var', 'log', 'nova', 'nova-conductor.log'), logText());
  write(join(base, 'etc', 'nova', 'nova.conf'), NOVA_CONF);
  // sos names a command's output after its command line: a member name can hold a secret
  write(join(base, 'sos_commands', 'openstack_nova', `curl_-s_-H_X-Auth-Token=${PATH_SECRET}_http..ctl9.8774`), 'output\n');
  const archive = tar(dir, root, join(tmp(), `${root}.tar.xz`), 'xz');
  const runs: string[][] = [];
  for (const input of [base, archive])
    runs.push(
      ['events', input, '--raw', '--verbose'],
      ['analyze', input, '--format', 'json'],
      ['analyze', input, '--format', 'md', '--verbose'],
      ['audit', input, '--verbose'],
    );
  const results = await Promise.all(runs.map((args) => cli(args)));
  for (const [n, r] of results.entries()) {
    const what = runs[n].join(' ');
    for (const s of [...SECRET_VALUES, ...CONF_SECRETS]) {
      t.false(r.stdout.includes(s), `${s} in ${what} (stdout)`);
      t.false(r.stderr.includes(s), `${s} in ${what} (stderr)`);
    }
  }
  t.regex(results[0].stdout, /\*\*\*password\*\*\*/);
  t.regex(results[4].stdout + results[4].stderr, /curl_-s_-H_X-Auth-Token=\*\*\*token\*\*\*/, 'the member is named, its token masked');
  // the inputs did hold them: without redaction the log's secrets and the member's token are printed
  const open = await Promise.all([
    cli(['events', archive, '--raw', '--verbose', '--no-redact']),
    cli(['events', base, '--raw', '--no-redact']),
  ]);
  for (const r of open) t.true(r.stdout.includes('Xq9AdminPassSECRET') && r.stdout.includes('VncPasswdSECRET'));
  t.true(open[0].stderr.includes(PATH_SECRET), 'the member name reaches -v');
});

// --- bad input: secrets split over lines, an enormous user_data -------------------------------------

const API_CTX = '[req-dbf75ad6-257d-4adf-bcb3-9bf8ad47e369 3c446ce467ce437bbe12b224adac4a27 fe50aad050494868a67d8d05d5313869 - - -]';
const CREATE = `2016-12-08 14:54:22.496 30085 DEBUG nova.api.openstack.wsgi ${API_CTX} Action: 'create', calling method: <bound method ServersController.create of <nova.api.openstack.compute.servers.ServersController object at 0x7a60e10>>, body: `;
const WSGI_TAIL = ' _process_stack /usr/lib/python2.7/site-packages/nova/api/openstack/wsgi.py:696';
const ACCESS = `2016-12-08 14:54:22.600 30085 INFO nova.osapi_compute.wsgi.server ${API_CTX} 10.0.0.5 "POST /v2.1/servers HTTP/1.1" status: 202 len: 0 time: 0.4`;

test('bad input: a secret wrapped mid-value by a terminal, or split over oslo-prefixed traceback lines, is masked in every output', async (t) => {
  const dir = tmp();
  const api = join(dir, 'nova-api.log');
  // a paste wrapped at the terminal's width, in the middle of adminPass's and user_data's values
  write(
    api,
    `${CREATE}{"server": {"name": "vm0", "adminPass": "Xq9Adm\ninWrapSECRET", "user_data": "I2Nsb3VkLWNvbmZpZwpwYXNz\nd29yZDogV3JhcFNFQ1JFVAo=", "flavorRef": "60402618-8487-49a4-ab3f-b6bab3a372b5"}}${WSGI_TAIL}\n${ACCESS}\n`,
  );
  const compute = join(dir, 'nova-compute.log');
  const inst = '[instance: 5ae72bc6-405d-47ae-b299-122c56896b80]';
  const p = '2024-10-02 09:30:12.250 23 ERROR nova.compute.manager';
  // oslo logs every line of a traceback as a record with its own prefix: the key ends one, its value starts the next
  write(
    compute,
    [
      `${p} [req-1a2b3c4d-0000-4000-8000-000000000001 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - -] ${inst} Instance failed to spawn: Traceback (most recent call last):`,
      `${p} ${inst}   File "/usr/lib/python3/dist-packages/nova/compute/manager.py", line 2743, in _build_resources`,
      `${p} ${inst}     yield resources`,
      `${p} ${inst} nova.exception.InvalidInput: Invalid input received: {'admin_password':`,
      `${p} ${inst}  'TbSplitSECRET', 'name': 'vm0'}`,
      `2024-10-02 09:30:13.000 23 INFO nova.compute.manager [req-1a2b3c4d-0000-4000-8000-000000000001 - - - - -] ${inst} Terminating instance`,
      '',
    ].join('\n'),
  );
  const secrets = ['Xq9Adm', 'inWrapSECRET', 'I2Nsb3VkLWNvbmZpZwpwYXNz', 'd29yZDogV3JhcFNFQ1JFVAo', 'TbSplitSECRET'];
  const runs = [
    ['events', api, compute, '--host', 'ctl9', '--raw'],
    ['analyze', api, compute, '--host', 'ctl9', '--format', 'json'],
    ['analyze', api, compute, '--host', 'ctl9', '--format', 'md'],
  ];
  const results = await Promise.all(runs.map((args) => cli(args)));
  for (const [n, r] of results.entries()) for (const s of secrets) t.false(r.stdout.includes(s), `${s} in ${runs[n].join(' ')}`);
  const events = results[0].stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const create = events.find((e) => e.message.includes("Action: 'create'"));
  t.true(create.message.endsWith('"adminPass": "***password***'), 'the first half masked, the quote and key kept');
  t.is(create.traceback[0], '***password***", "user_data": "***user-data***', 'the wrapped halves masked, one mask per line');
  const spawn = events.find((e) => e.message.startsWith('Instance failed to spawn'));
  t.deepEqual(spawn.traceback.slice(-2), [
    "nova.exception.InvalidInput: Invalid input received: {'admin_password':",
    " '***password***', 'name': 'vm0'}",
  ]);
  t.regex(results[2].stdout, /failed on ctl9: InvalidInput/, 'the spawn failure is an incident of the report');
  // the inputs hold them: without redaction they are printed
  const open = await cli(['events', api, compute, '--host', 'ctl9', '--raw', '--no-redact']);
  for (const s of secrets) t.true(open.stdout.includes(s), s);
});

test('bad input: a 6 MiB base64 user_data in a create request is masked, cut at the line cap and never printed in part', async (t) => {
  // made up, but shaped as base64 of binary data (no run of it repeats)
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let x = 11;
  const blob = Array.from({ length: 6 << 20 }, () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return alphabet[(x >> 8) & 63];
  }).join('');
  const log = join(tmp(), 'nova-api.log');
  write(log, `${CREATE}{"server": {"name": "vm0", "user_data": "${blob}", "flavorRef": "1"}}${WSGI_TAIL}\n${ACCESS}\n`);
  const [events, md] = await Promise.all([
    cli(['events', log, '--host', 'ctl9', '--raw']),
    cli(['analyze', log, '--host', 'ctl9', '--format', 'md', '--verbose']),
  ]);
  for (const r of [events, md])
    for (const at of [0, 1000, 1 << 19, (1 << 20) - 600, 3 << 20, blob.length - 40]) {
      const piece = blob.slice(at, at + 24);
      t.false(r.stdout.includes(piece) || r.stderr.includes(piece), `a piece of user_data at ${at}`);
    }
  const first = JSON.parse(events.stdout.split('\n')[0]);
  t.true(first.raw.endsWith('"user_data": "***user-data***'), 'the line, cut at 1 MiB inside the value, masked to its end');
  t.true(events.stdout.length < 4096, `the output holds no copy of it (${events.stdout.length} characters)`);
  t.regex(events.stderr, /longer than 1048576 characters were cut/, 'the coverage says the line was cut');
});
