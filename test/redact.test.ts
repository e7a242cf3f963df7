import test from 'ava';
import { MASK, redact, redactEvent } from '../src/report/redact.js';
import { parseText } from './helpers/parse.js';

const cases: [string, string, string[]][] = [
  // [what, input, secrets that must not survive]
  [
    'transport_url with three rabbit hosts',
    'transport_url = rabbit://openstack:pw1SECRET@ctl1:5672,openstack:pw2SECRET@ctl2:5672,openstack:pw3SECRET@ctl3:5672//',
    ['pw1SECRET', 'pw2SECRET', 'pw3SECRET'],
  ],
  ['a password holding @', 'connection = mysql+pymysql://nova:p@ssSECRET@db.example/nova?charset=utf8', ['p@ssSECRET', 'ssSECRET']],
  [
    'python 2 repr of a context',
    "{u'_context_auth_token': u'0123456789abcdefSECRET', u'_context_user': u'admin'}",
    ['0123456789abcdefSECRET'],
  ],
  ['a quoted password with a space', '"password": "hunter 2SECRET"', ['hunter', '2SECRET']],
  ['mixed case and _pwd keys', 'PassWord=aSECRET db_pwd: bSECRET', ['aSECRET', 'bSECRET']],
  ['Authorization: Basic', 'Authorization: Basic dXNlcjpwYXNzU0VDUkVU', ['dXNlcjpwYXNzU0VDUkVU']],
  ['a JSON token key', '{"token": "abcdefSECRET", "expires": 1}', ['abcdefSECRET']],
  ['X-Auth-Token header', "'X-Auth-Token': 'gAAAAABlSECRETSECRETSECRETSECRET'", ['SECRETSECRET']],
  ['--os-password on a command line', 'openstack --os-password sSECRET server list', ['sSECRET']],
];

for (const [what, input, secrets] of cases) {
  test(`redacted: ${what}`, (t) => {
    const out = redact(input);
    for (const s of secrets) t.false(out.includes(s), `${s} survived in ${out}`);
    t.true(out.includes(MASK));
  });
}

test('what is no secret stays as it is', (t) => {
  for (const s of [
    'transport_url = rabbit://ctl1:5672/',
    'GET http://10.0.0.5:8778/placement/allocation_candidates?limit=1000',
    'INFO keystonemiddleware.auth_token [-] Using a token cache',
    'Instance 2f565c93-6eec-4a74-b8e8-f55638b56da3 could not be found.',
  ])
    t.is(redact(s), s);
  t.is(redact('transport_url = rabbit://openstack:pw@ctl1:5672/'), `transport_url = rabbit://openstack:${MASK}@ctl1:5672/`);
});

test('redactEvent masks every field of an event, the exception text too', (t) => {
  const line =
    '2024-10-02 11:00:00.000 31 ERROR nova.db.main.api [req-1a2b3c4d-0000-4000-8000-000000000001 - - - - -] DB error: oslo_db.exception.DBConnectionError: (pymysql.err.OperationalError) (1045, "Access denied") mysql+pymysql://nova:pwSECRET2@db/nova password=pwSECRET2\n';
  const [ev] = parseText(line).events;
  t.truthy(ev.exception);
  t.true(JSON.stringify(ev).includes('pwSECRET2'), 'the parsed event holds it');
  t.false(JSON.stringify(redactEvent(ev)).includes('pwSECRET2'));
});
