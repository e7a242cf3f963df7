import test from 'ava';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import ndjson from 'ndjson';
import type { Event } from '../src/model/event.js';
import { buildAntelope, HOSTS, UUIDS } from '../scripts/samples/cloud-antelope.js';
import { cli, SAMPLES } from './helpers/cli.js';
import { osloLine, tmp, write } from './helpers/fixture-tree.js';

const CLOUD = join(SAMPLES, 'antelope-kolla');
const scenario = buildAntelope();
const builds = scenario.expect.builds as Record<string, { req: string; uuid: string }>;

async function parseNdjson(text: string): Promise<Event[]> {
  const out: Event[] = [];
  for await (const o of Readable.from([text]).pipe(ndjson.parse({ strict: true }))) out.push(o as Event);
  return out;
}

test('--help lists the events command and its options', async (t) => {
  const r = await cli(['--help']);
  t.is(r.code, 0);
  t.regex(r.stdout, /events <inputs\.\.>/);
  const e = await cli(['events', '--help']);
  t.is(e.code, 0);
  for (const opt of ['--since', '--until', '--host', '--service', '--level', '--request-id', '--instance', '--tz'])
    t.true(e.stdout.includes(opt), opt);
});

test('events on the samples: NDJSON from all three sosreports (.tar.xz, .tar.gz, folder), coverage on stderr', async (t) => {
  const r = await cli(['events', CLOUD]);
  t.is(r.code, 0, r.stderr);
  const events = await parseNdjson(r.stdout);
  t.deepEqual([...new Set(events.map((e) => e.host))].sort(), [HOSTS.cmp01, HOSTS.cmp02, HOSTS.ctl01]);
  t.true(events.every((e) => e.ts && e.service && e.file && e.line > 0 && e.level && typeof e.message === 'string'));
  t.regex(r.stderr, /Coverage/);
  t.regex(r.stderr, /oslo-log \(nova-conductor\)/);
  const pre = events.find((e) => e.exception?.type === 'MigrationPreCheckError')!;
  t.is(pre.host, HOSTS.cmp02);
  t.true(
    pre.exceptionChain!.some((x) => x.type === 'InvalidCPUInfo'),
    'the chained InvalidCPUInfo is kept',
  );
  t.true(pre.file.includes('sosreport-cmp02'));
});

test('--request-id follows one build across api, scheduler, placement (global id) and conductor', async (t) => {
  const r = await cli(['events', CLOUD, '--request-id', builds.bigvm.req]);
  t.is(r.code, 0);
  const events = await parseNdjson(r.stdout);
  const services = new Set(events.map((e) => e.service));
  t.deepEqual([...services].sort(), ['nova-api', 'nova-conductor', 'nova-scheduler', 'placement-api']);
  t.true(events.filter((e) => e.service === 'placement-api').every((e) => e.globalRequestId === builds.bigvm.req));
  const search = events.find((e) => e.placementSearch?.outcome === 'none')!;
  t.deepEqual(search.placementSearch, { outcome: 'none', resourceClass: 'VCPU', amount: 64, providers: 0 });
  const q = events.find((e) => e.placementQuery?.resources?.VCPU === 64)!;
  t.deepEqual(q.placementQuery!.resources, { DISK_GB: 40, MEMORY_MB: 131072, VCPU: 64 });
});

test('filters: level, host, service, instance, since/until', async (t) => {
  const errors = await parseNdjson((await cli(['events', CLOUD, '--level', 'error'])).stdout);
  t.true(errors.length > 0 && errors.every((e) => e.level === 'ERROR' || e.level === 'CRITICAL'));
  const cmp02 = await parseNdjson(
    (await cli(['events', CLOUD, '--host', HOSTS.cmp02, '--service', 'nova-compute', '--level', 'WARNING'])).stdout,
  );
  t.true(cmp02.length > 0 && cmp02.every((e) => e.host === HOSTS.cmp02 && e.service === 'nova-compute'));
  const inst = await parseNdjson((await cli(['events', CLOUD, '--instance', UUIDS.batch3])).stdout);
  t.true(inst.length > 10);
  t.true(inst.every((e) => e.message.includes(UUIDS.batch3) || e.instanceUuid === UUIDS.batch3));
  const window = await parseNdjson((await cli(['events', CLOUD, '--since', '2024-10-02 13:00', '--until', '2024-10-02 13:01'])).stdout);
  t.true(window.length > 0);
  t.true(window.every((e) => e.ts >= '2024-10-02T13:00:00.000' && e.ts <= '2024-10-02T13:01:00.000'));
  const bad = await cli(['events', CLOUD, '--since', 'yesterday-ish']);
  t.not(bad.code, 0);
  t.regex(bad.stderr, /^nova-forensics: not a date and time/m);
  t.false(bad.stderr.includes('    at '), 'no stack trace');
});

test('--tz stamps a host zone on its times', async (t) => {
  const ev = await parseNdjson(
    (await cli(['events', CLOUD, '--host', HOSTS.ctl01, '--tz', `${HOSTS.ctl01}=Asia/Shanghai`, '--service', 'nova-api'])).stdout,
  );
  const oslo = ev.filter((e) => e.logger !== 'httpd.access');
  t.true(oslo.length > 0);
  t.true(
    oslo.every((e) => e.ts.endsWith('+08:00')),
    'oslo times get the zone given',
  );
  // httpd writes its own offset, which wins over --tz.
  t.true(ev.filter((e) => e.logger === 'httpd.access').every((e) => e.ts.endsWith('+00:00')));
});

test('secrets are redacted by default and kept only with --no-redact, which warns', async (t) => {
  const dir = tmp();
  const f = join(dir, 'nova-api.log');
  const token =
    'gAAAAABcJZlJ1dBRNYO2994is9JdT7XYnL-IqcbZrkg_Sf9oZChTWwNjZG1HWV4KYTjVoxs82RP77lMHtud4NTgPEREK7LiDdSp2ABuw4pKlmi8ce8Z77uQueeeXNOAlzX6iXYIBJHDBuXTcjRTnKebNQdB57tw_OwRMufVIrPN4LMMpvCFFN10';
  write(
    f,
    [
      osloLine(
        '2024-10-02 10:00:00.000',
        'DEBUG',
        'oslo_service.service',
        'transport_url = rabbit://openstack:Rabb1tS3cret@10.0.0.10:5672//',
      ),
      osloLine(
        '2024-10-02 10:00:01.000',
        'DEBUG',
        'keystoneauth.session',
        `REQ: curl -g -i -X GET http://ctl:8778/ -H "X-Auth-Token: ${token}"`,
      ),
      osloLine(
        '2024-10-02 10:00:02.000',
        'DEBUG',
        'oslo_service.service',
        'database.connection = mysql+pymysql://nova:N0vaDbPass@10.0.0.10/nova',
      ),
      osloLine('2024-10-02 10:00:03.000', 'DEBUG', 'oslo_service.service', 'placement.password = Pl4cementPass'),
      '',
    ].join('\n'),
  );
  const r = await cli(['events', f, '--host', 'ctl']);
  t.is(r.code, 0);
  for (const secret of ['Rabb1tS3cret', 'N0vaDbPass', 'Pl4cementPass', token.slice(10, 40)]) t.false(r.stdout.includes(secret), secret);
  t.true(r.stdout.includes('rabbit://openstack:***password***@10.0.0.10'));
  const open = await cli(['events', f, '--host', 'ctl', '--no-redact']);
  t.true(open.stdout.includes('Rabb1tS3cret'));
  t.regex(open.stderr, /--no-redact/);
});

test('nothing usable: a one-line error and a non-zero exit, never a stack trace', async (t) => {
  const missing = await cli(['events', '/nonexistent/sosreport.tar.xz']);
  t.not(missing.code, 0);
  t.regex(missing.stderr, /no such file or folder/);
  t.regex(missing.stderr, /nothing usable was read/);
  t.false(missing.stderr.includes('    at '));
  const dir = tmp();
  write(join(dir, 'sosreport-x-2024-01-01-abcdefg.tar.xz'), '<html>not found</html>');
  const fake = await cli(['events', join(dir, 'sosreport-x-2024-01-01-abcdefg.tar.xz')]);
  t.not(fake.code, 0);
  t.regex(fake.stderr, /not an archive/);
});

test('--summary counts events per host and level, and is what npm start prints', async (t) => {
  const r = await cli(['events', SAMPLES, '--summary']);
  t.is(r.code, 0);
  t.regex(r.stdout, new RegExp(`${HOSTS.cmp02.replace(/\./g, '\\.')}: \\d+ events`));
  t.regex(r.stdout, /exceptions: .*MigrationPreCheckError/);
  t.regex(r.stdout, /Found, not needed for events/);
});
