import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../src/model/report.js';
import { analyzeInputs } from '../src/pipeline/analyze.js';
import { policyReport } from '../src/report/output.js';
import { jsonText } from '../src/report/sanitise.js';
import { reportJsonPieces, reportNdjsonPieces } from '../src/views/report-json.js';
import { cli } from './helpers/cli.js';
import { tmp, write } from './helpers/fixture-tree.js';

/**
 * JSON and NDJSON are written in pieces (an incident or finding at a time)
 * and still go through the output boundary: joined, the pieces are the one
 * string the whole report would make, `JSON.stringify(report, null, 2)` with
 * the characters a terminal would obey as `\u` escapes (`jsonText`).
 */

const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
const HOSTILE = 'OSC 52 \x1b]52;c;ZWNobyBwd25lZA==\x07, 8-bit CSI \u009b2J, RLO \u202eexe.txt, LS \u2028, DEL \x7f';

const samples = {
  'antelope-kolla': analyzeInputs(['samples/antelope-kolla']).then((r) => policyReport(r, { redact: true })),
  'pike-rdo': analyzeInputs(['samples/pike-rdo']).then((r) => policyReport(r, { redact: true })),
};

/** A sample's report with hostile text where inputs put text: the head (a file path), an incident, a finding. */
function hostile(r: Report): Report {
  const c = structuredClone(r);
  c.coverage.files[0].path += HOSTILE;
  c.incidents[0].title += HOSTILE;
  c.incidents[c.incidents.length - 1].evidence[0].text = HOSTILE;
  if (c.findings[0]) c.findings[0].explanation += HOSTILE;
  return c;
}

function checkPieces(t: import('ava').ExecutionContext, r: Report, what: string): void {
  const pieces = [...reportJsonPieces(r)];
  const joined = pieces.join('');
  t.is(joined, `${jsonText(r, 2)}\n`, `${what}: the pieces are the one-string JSON`);
  t.deepEqual(JSON.parse(joined), JSON.parse(JSON.stringify(r)), `${what}: parses back to the report`);
  t.false(UNSAFE.test(joined), `${what}: no raw control, C1 or bidi character`);
  // the head, then a piece per incident and finding, each list opened and closed, the end
  t.is(pieces.length, 1 + (r.incidents.length ? r.incidents.length + 2 : 1) + (r.findings.length ? r.findings.length + 2 : 1) + 1, what);
  const nd = [...reportNdjsonPieces(r)];
  t.is(nd.length, 1 + r.incidents.length + r.findings.length, `${what}: a line per record`);
  for (const line of nd) {
    t.true(line.endsWith('\n') && line.indexOf('\n') === line.length - 1, `${what}: one line each`);
    t.false(UNSAFE.test(line));
    t.is(line, `${jsonText(JSON.parse(line))}\n`);
  }
  t.deepEqual(
    nd.slice(1, 1 + r.incidents.length).map((l) => JSON.parse(l).title),
    r.incidents.map((i) => i.title),
  );
}

for (const [name, sample] of Object.entries(samples)) {
  test(`${name}: the JSON pieces are JSON.stringify(report, null, 2), byte for byte`, async (t) => {
    const r = await sample;
    t.true(r.incidents.length > 0);
    checkPieces(t, r, name);
    // nothing to escape in the sample: the pieces are exactly JSON.stringify's text
    t.is([...reportJsonPieces(r)].join(''), `${JSON.stringify(r, null, 2)}\n`);
  });

  test(`${name} with hostile text in the head, an incident and a finding: the pieces escape it as the one-string JSON does`, async (t) => {
    const r = hostile(await sample);
    checkPieces(t, r, name);
    const joined = [...reportJsonPieces(r)].join('');
    t.true(joined.includes('\\u009b2J') && joined.includes('\\u202eexe') && joined.includes('\\u001b]52;c;'));
    t.not(joined, `${JSON.stringify(r, null, 2)}\n`, 'JSON.stringify alone would leave C1 and U+202E raw');
  });
}

test('an empty report: the lists are [] and the pieces still the one-string JSON', async (t) => {
  const r = { ...(await samples['pike-rdo']), incidents: [], findings: [] };
  checkPieces(t, r, 'empty');
  t.regex([...reportJsonPieces(r)].join(''), /"incidents": \[\],\n {2}"findings": \[\]\n\}\n$/);
});

test('analyze --format json and ndjson through the CLI: masked, escaped, the same bytes on stdout and with -o', async (t) => {
  const dir = tmp();
  const log = join(dir, 'nova-api.log');
  const ctx = '[req-dbf75ad6-257d-4adf-bcb3-9bf8ad47e369 3c446ce467ce437bbe12b224adac4a27 fe50aad050494868a67d8d05d5313869 - - -]';
  // nova-api's DEBUG line of a create request (api/openstack/wsgi.py), then the conductor's failure for that request
  write(
    log,
    [
      `2016-12-08 14:54:22.496 30085 DEBUG nova.api.openstack.wsgi ${ctx} Action: 'create', calling method: <bound method ServersController.create of <nova.api.openstack.compute.servers.ServersController object at 0x7a60e10>>, body: {"server": {"name": "vm0\u009b2J", "adminPass": "Xq9AdminPassSECRET", "user_data": "I2Nsb3VkLWNvbmZpZwpwYXNzd29yZDogU0VDUkVU", "flavorRef": "60402618-8487-49a4-ab3f-b6bab3a372b5"}} _process_stack /usr/lib/python2.7/site-packages/nova/api/openstack/wsgi.py:696`,
      `2016-12-08 14:54:23.511 31 ERROR nova.conductor.manager ${ctx} Failed to schedule instances: NoValidHost_Remote: No valid host was found. \x1b]0;pwned\x07`,
      `2016-12-08 14:54:23.513 31 WARNING nova.scheduler.utils ${ctx} [instance: 5ae72bc6-405d-47ae-b299-122c56896b80] Setting instance to ERROR state.: NoValidHost_Remote: No valid host was found.`,
      '',
    ].join('\n'),
  );
  const file = join(tmp(), 'report.json');
  const [json, , ndjson] = await Promise.all([
    cli(['analyze', log, '--host', 'ctl9', '--format', 'json']),
    cli(['analyze', log, '--host', 'ctl9', '--format', 'json', '-o', file]),
    cli(['analyze', log, '--host', 'ctl9', '--format', 'ndjson']),
  ]);
  t.is(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout) as Report;
  t.true(report.incidents.length > 0, 'the failed build is an incident');
  t.is(json.stdout, `${jsonText(report, 2)}\n`, 'the streamed JSON is the one-string JSON of the same value');
  // generatedAt differs between runs: everything else is the same
  const a = JSON.parse(readFileSync(file, 'utf8')) as Report;
  t.deepEqual({ ...a, generatedAt: '' }, { ...report, generatedAt: '' }, '-o writes what stdout gets');
  for (const text of [json.stdout, readFileSync(file, 'utf8'), ndjson.stdout]) {
    t.false(text.includes('Xq9AdminPassSECRET'));
    t.false(text.includes('I2Nsb3VkLWNvbmZpZwpwYXNzd29yZDogU0VDUkVU'));
    t.false(UNSAFE.test(text));
  }
  t.regex(json.stdout, /\\u001b\]0;pwned\\u0007/);
  const lines = ndjson.stdout.trim().split('\n');
  t.is(JSON.parse(lines[0]).type, 'report');
  t.is(lines.filter((l) => JSON.parse(l).type === 'incident').length, report.incidents.length);
});
