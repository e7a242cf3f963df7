import test from 'ava';
import type { Event } from '../src/model/event.js';
import { entryForKey, mask, normaliseKey, redact, redactEvent } from '../src/report/redact.js';
import { LOOK_ALIKES, SECRETS } from '../src/report/secrets.js';
import { parseText } from './helpers/parse.js';

// One test per sample of the redaction table: the table is the specification.
for (const e of SECRETS) {
  for (const [n, s] of e.samples.entries()) {
    test(`table: ${e.name} #${n + 1} (${s.source.slice(0, 60)})`, (t) => {
      for (const secret of s.secrets) t.true(s.text.includes(secret), `the sample holds ${secret}`);
      const out = redact(s.text);
      for (const secret of s.secrets) t.false(out.includes(secret), `${secret} survived in ${out}`);
      t.true(out.includes(mask(e.kind)), `the mask says ${e.kind}: ${out}`);
      t.is(redact(out), out, 'masking twice changes nothing');
    });
  }
}

test('every entry of the table has samples, and a kind', (t) => {
  for (const e of SECRETS) {
    t.true(e.samples.length > 0, e.name);
    t.regex(e.kind, /^[a-z-]+$/);
    t.true(!!e.keys?.length || !!e.shape, `${e.name} matches something`);
  }
});

for (const l of LOOK_ALIKES) {
  test(`kept as it is: ${l.source}`, (t) => {
    t.is(redact(l.text), l.text);
  });
}

test('field names are normalised: case, camelCase, dashes, dotted groups, trailing digits', (t) => {
  t.is(normaliseKey('adminPass'), 'admin_pass');
  t.is(normaliseKey('X-Auth-Token'), 'x_auth_token');
  t.is(normaliseKey('keystone_authtoken.password'), 'password');
  t.is(normaliseKey('KeystoneFernetKey0'), 'keystone_fernet_key');
  t.is(normaliseKey('OS_PASSWORD'), 'os_password');
  t.is(normaliseKey('_context_auth_token'), 'context_auth_token');
  t.is(entryForKey('password_length'), undefined);
  t.is(entryForKey('token_expiration'), undefined);
  t.is(entryForKey('auth_type'), undefined);
  t.is(entryForKey('key_name'), undefined);
  t.is(entryForKey('public_key'), undefined);
  t.is(entryForKey('memcache_secret_key')?.kind, 'key');
  t.is(entryForKey('s3_store_access_key')?.kind, 'key');
});

test('one key in every syntax and casing: only the value goes', (t) => {
  const forms: [string, string][] = [
    ['{"password": "VALUE"}', '{"password": "***password***"}'],
    ['{"Password":"VALUE","x":1}', '{"Password":"***password***","x":1}'],
    ["{u'PASSWORD': u'VALUE', 'x': 1}", "{u'PASSWORD': u'***password***', 'x': 1}"],
    ["{'passWord': b'VALUE'}", "{'passWord': b'***password***'}"],
    ['password: VALUE', 'password: ***password***'],
    ['  password: "VALUE" # yaml', '  password: "***password***" # yaml'],
    ['password = VALUE', 'password = ***password***'],
    ['PASSWORD=VALUE make', 'PASSWORD=***password*** make'],
    ['GET /x?user=a&password=VALUE&next=1', 'GET /x?user=a&password=***password***&next=1'],
    ['-H "Password: VALUE" -H "X: y"', '-H "Password: ***password***" -H "X: y"'],
    ['--password VALUE --debug', '--password ***password*** --debug'],
    ['--password=VALUE', '--password=***password***'],
    ["<auth password='VALUE'/>", "<auth password='***password***'/>"],
    ['<password>VALUE</password>', '<password>***password***</password>'],
    ['connect(host="db", password=VALUE)', 'connect(host="db", password=***password***)'],
    ['{\\"password\\": \\"VALUE\\"}', '{\\"password\\": \\"***password***\\"}'],
    ["'password' => 'VALUE'", "'password' => '***password***'"],
    ['"password": 123456,', '"password": ***password***,'],
  ];
  for (const [input, want] of forms) t.is(redact(input.replace('VALUE', 'S3cr3tVALUE')), want, input);
});

test('JSON stays JSON: an object after a secret key is kept, its own secrets masked', (t) => {
  const body =
    '{"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "nova", "domain": {"name": "Default"}, "password": "KsPwSECRET"}}}}}';
  const out = redact(body);
  t.false(out.includes('KsPwSECRET'));
  const parsed = JSON.parse(out);
  t.is(parsed.auth.identity.password.user.password, '***password***');
  t.deepEqual(parsed.auth.identity.methods, ['password']);
  for (const e of SECRETS)
    for (const s of e.samples) {
      const m = /(\{".*\})/.exec(s.text);
      if (!m || !isJson(m[1])) continue;
      t.notThrows(() => JSON.parse(/(\{".*\})/.exec(redact(s.text))![1]), `${e.name}: ${s.text}`);
    }
});

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

test('a cut line (the 1 MiB cap) or a value wrapped onto the next line is masked to its end', (t) => {
  const cut = redact('body: {"server": {"user_data": "IyEvYmluL2Jhc2gKZWNobyBTRUNSRVQK');
  t.is(cut, 'body: {"server": {"user_data": "***user-data***');
  const wrapped = redact(
    '"user_data": "I2Nsb3VkLWNvbmZpZwpjaHBhc3N3ZDoKICBsaXN0OiB8CiAgICByb290Ok51\n   dGFuaXguMTIzCiAgICBleHBpcmU6IEZhbHNlCmZxZG46IG15TnV0YW5peFZNIAo=",\n "x": 1',
  );
  t.false(wrapped.includes('dGFuaXgu'));
  t.is(wrapped.split('\n').length, 3, 'one mask per line it covers: lines keep their number');
  t.true(wrapped.endsWith('\n "x": 1'));
});

function event(lines: string[]): Event {
  const { events } = parseText(`${lines.join('\n')}\n`);
  t0(events.length === 1, `one event, got ${events.length}`);
  return events[0];
}
function t0(ok: boolean, msg: string): void {
  if (!ok) throw new Error(msg);
}

const CTX = '[req-1a2b3c4d-0000-4000-8000-000000000001 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - -]';

test('a secret split between a message and its continuation line is seen whole', (t) => {
  const ev = event([
    `2024-10-02 09:30:12.250 23 DEBUG nova.api.openstack.wsgi ${CTX} Action: 'action', body: {"changePassword": {"adminPass":`,
    '   "SplitPassSECRET"}}',
  ]);
  t.truthy(ev.traceback?.length, 'the second line is folded into the event');
  const json = JSON.stringify(redactEvent(ev));
  t.true(JSON.stringify(ev).includes('SplitPassSECRET'), 'the test would see a leak');
  t.false(json.includes('SplitPassSECRET'));
});

test('a private key block in a traceback: every line of its body masked, the lines kept', (t) => {
  const ev = event([
    `2024-10-02 09:30:12.250 23 ERROR nova.compute.manager ${CTX} Failed to inject key: Traceback (most recent call last):`,
    '-----BEGIN RSA PRIVATE KEY-----',
    'MIIEpAIBAAKCAQEAtracebackSECRETline1',
    'tracebackSECRETline2tracebackSECRET',
    '-----END RSA PRIVATE KEY-----',
    'ValueError: bad key',
  ]);
  const out = redactEvent(ev);
  t.false(JSON.stringify(out).includes('tracebackSECRET'));
  t.is(out.traceback?.length, ev.traceback?.length);
  t.true(out.traceback?.includes('***private-key***'));
  t.true(out.traceback?.includes('ValueError: bad key'));
});

test('the real tokens of the os-log-merger corpus lines are masked, their neighbours kept', (t) => {
  // shapes of os-log-merger nova-api.log lines 1, 2 and 7 (tokens made up)
  const lines = [
    '2015-10-29 10:51:11.206 4470 DEBUG keystoneclient.session [-] REQ: curl -i -X GET http://10.12.27.29:35357/v3/auth/tokens -H "X-Subject-Token: TOKEN_REDACTED" -H "User-Agent: python-keystoneclient" -H "Accept: application/json" -H "X-Auth-Token: TOKEN_REDACTED" _http_log_request /usr/lib/python2.7/site-packages/keystoneclient/session.py:195',
    "2015-10-29 10:51:11.600 4470 DEBUG keystoneclient.session [-] RESP: [200] {'content-length': '7751', 'x-subject-token': '0fd1a2b3c4d5e6f708192a3b4c5d6e7f', 'vary': 'X-Auth-Token', 'connection': 'keep-alive'}",
    'REQ: curl -i http://10.12.27.29:9696/v2.0/floatingips.json?tenant_id=e6ed98db2fbf4e8ea3642ca9b7e2ace1 -X GET -H "X-Auth-Token: 1fd1a2b3c4d5e6f708192a3b4c5d6e7f" -H "User-Agent: python-neutronclient"',
  ];
  const out = lines.map((l) => redact(l));
  t.is(out[0], lines[0], 'TOKEN_REDACTED is a mask already');
  t.false(out[1].includes('0fd1a2b3'));
  t.true(out[1].includes("'vary': 'X-Auth-Token'"));
  t.false(out[2].includes('1fd1a2b3'));
  t.true(out[2].includes('tenant_id=e6ed98db2fbf4e8ea3642ca9b7e2ace1'), 'a tenant id is no secret');
});

test('an enormous user_data and adversarial repetitions are masked in one pass (no nested quantifier on unbounded input)', (t) => {
  // Not timed (benchmarks time things): a quadratic pattern would not finish within ava's timeout on these.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let x = 7;
  const chunk = Array.from({ length: 1 << 16 }, () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return alphabet[(x >> 8) & 63];
  }).join('');
  const blob = chunk.repeat(64); // 4 MiB
  const big = `{"server": {"user_data": "${blob}", "name": "vm"}}`;
  t.is(redact(big), '{"server": {"user_data": "***user-data***", "name": "vm"}}');
  const cutAt = redact(`{"server": {"user_data": "${blob}`);
  t.is(cutAt, '{"server": {"user_data": "***user-data***');
  for (const unit of [
    'token',
    'token=',
    'password: ',
    'a://b:c@',
    'eyJ',
    'eyJa.',
    '"password": "',
    'x password = ',
    'access ',
    'gAAAAA',
    '-----BEGIN ',
  ]) {
    const s = unit.repeat(Math.ceil((1 << 20) / unit.length));
    const out = redact(s);
    t.true(typeof out === 'string' && out.length > 0, unit);
  }
});

test('redactEvent leaves an event without secrets as it is (the common case costs a test)', (t) => {
  const ev = event([`2024-10-02 09:30:12.250 23 INFO nova.compute.manager ${CTX} Took 2.0 seconds to build instance.`]);
  t.is(redactEvent(ev), ev);
});
