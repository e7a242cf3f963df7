import test from 'ava';
import { join } from 'node:path';
import {
  decodePlacementQuery,
  parseAccessMessage,
  parsePlacementSearch,
  parseResources,
  queryParams,
} from '../parsers/placement-request.js';
import { parseAccessLine, parseErrorLine } from '../parsers/apache.js';
import { ingest } from '../src/pipeline/ingest.js';
import { REAL_CORPUS } from './helpers/real-corpus.js';
import { CORPUS, ROOT, SEEDS, withShared } from './helpers/shared.js';

test('resources, granular groups, required, member_of, in_tree, limit', (t) => {
  t.deepEqual(parseResources('VCPU:64,MEMORY_MB:1024'), { VCPU: 64, MEMORY_MB: 1024 });
  const q = decodePlacementQuery(
    'resources=VCPU%3A1%2CMEMORY_MB%3A512%2CDISK_GB%3A1&resources1=SRIOV_NET_VF%3A1&required1=CUSTOM_PHYSNET_A&member_of=in%3Aagg1%2Cagg2&required=%21COMPUTE_STATUS_DISABLED&in_tree=b266b258-d78d-414c-a71d-1bf5137abbe2&limit=1000&group_policy=none',
  );
  t.deepEqual(q, {
    resources: { VCPU: 1, MEMORY_MB: 512, DISK_GB: 1 },
    groups: { '1': { resources: { SRIOV_NET_VF: 1 }, required: ['CUSTOM_PHYSNET_A'] } },
    memberOf: ['in:agg1,agg2'],
    required: ['!COMPUTE_STATUS_DISABLED'],
    inTree: 'b266b258-d78d-414c-a71d-1bf5137abbe2',
    limit: 1000,
    groupPolicy: 'none',
  });
  t.is(decodePlacementQuery('foo=bar'), undefined);
});

test('request-log messages: starting, finished, nova wsgi and eventlet shapes', (t) => {
  t.deepEqual(
    parseAccessMessage(
      '172.16.88.187 "GET /resource_providers/49905d0d-8b33-434a-8bc5-6a73898b9922/allocations" status: 200 len: 259 microversion: 1.0',
    ),
    {
      clientIp: '172.16.88.187',
      method: 'GET',
      path: '/resource_providers/49905d0d-8b33-434a-8bc5-6a73898b9922/allocations',
      status: 200,
      length: 259,
      microversion: '1.0',
    },
  );
  t.like(
    parseAccessMessage(
      '10.11.10.1 "GET /v2/54fadb412c4e40cdbaed9335e4c35a9e/servers/detail HTTP/1.1" status: 200 len: 1893 time: 0.2477829',
    ),
    { status: 200, time: 0.2477829 },
  );
  t.like(parseAccessMessage('::1 "DELETE /allocations/01b6377f-5b0c-4273-a24a-921f793b3004" status: 204 len: 0 microversion: 1.28'), {
    method: 'DELETE',
    status: 204,
    length: 0,
  });
  t.like(parseAccessMessage('10.0.0.1 "PUT /allocations/x" status: 409 len: - microversion: -'), {
    status: 409,
    length: undefined,
    microversion: undefined,
  });
  t.is(parseAccessMessage('Acquired lock "compute_resources"'), undefined);
});

test("placement's candidate-search debug lines", (t) => {
  t.deepEqual(parsePlacementSearch('getting providers with 64 VCPU'), { outcome: 'getting', resourceClass: 'VCPU', amount: 64 });
  t.deepEqual(parsePlacementSearch('found no providers with 64 VCPU'), {
    outcome: 'none',
    resourceClass: 'VCPU',
    amount: 64,
    providers: 0,
  });
  t.deepEqual(parsePlacementSearch('found 3 providers with available 1024 MEMORY_MB'), {
    outcome: 'found',
    resourceClass: 'MEMORY_MB',
    amount: 1024,
    providers: 3,
  });
  t.deepEqual(parsePlacementSearch('found 2 providers under 2 trees with available 1 VGPU'), {
    outcome: 'found',
    resourceClass: 'VGPU',
    amount: 1,
    providers: 2,
  });
  t.is(parsePlacementSearch('found nothing'), undefined);
});

test('httpd access and error lines (TripleO placement_wsgi_access.log, RHEL error_log)', (t) => {
  const ctx = { host: 'ctl', file: 'f', service: 'placement-api' as const };
  const a = parseAccessLine(
    '172.17.1.10 - - [27/Dec/2018:15:05:44 +0800] "GET /placement/allocation_candidates?limit=1000&resources=DISK_GB%3A10%2CMEMORY_MB%3A1024%2CVCPU%3A1 HTTP/1.1" 200 53 "-" "nova-scheduler keystoneauth1/3.4.0 python-requests/2.14.2 CPython/2.7.5"',
    1,
    ctx,
  )!;
  t.is(a.ts, '2018-12-27T15:05:44.000+08:00');
  t.deepEqual(a.placementQuery, { limit: 1000, resources: { DISK_GB: 10, MEMORY_MB: 1024, VCPU: 1 } });
  t.like(a.http, { status: 200, length: 53, path: '/placement/allocation_candidates' });
  const e = parseErrorLine(
    '[Thu Dec 27 15:10:02.123456 2018] [:error] [pid 2314] [remote 10.0.0.9:52] NotFound: Instance 2f565c93-6eec-4a74-b8e8-f55638b56da3 could not be found. (HTTP 404) (Request-ID: req-999c856a-e2b6-4360-9fba-3bf8db6e283f)',
    7,
    { ...ctx, service: 'httpd' },
  )!;
  t.like(e, { ts: '2018-12-27T15:10:02.123', level: 'ERROR', pid: 2314, requestId: 'req-999c856a-e2b6-4360-9fba-3bf8db6e283f', line: 7 });
  t.is(e.exception?.type, 'NotFound');
  t.is(parseAccessLine('garbage', 1, ctx), undefined);
  // nova-api's own access log: a query is not a placement query.
  const api = parseAccessLine(
    '10.0.0.9 - - [27/Dec/2018:15:10:02 +0800] "GET /v2.1/servers/detail?limit=1000 HTTP/1.1" 200 4010 "-" "python-novaclient"',
    2,
    { ...ctx, service: 'nova-api' },
  )!;
  t.like(api.http, { path: '/v2.1/servers/detail', query: 'limit=1000' });
  t.is(api.placementQuery, undefined);
  // A CR or U+2028 inside an error-log message does not make the line unparsed.
  t.is(
    parseErrorLine('[Thu Dec 27 15:10:02 2018] [:error] [pid 1] a\rb\u2028c', 8, { ...ctx, service: 'httpd' })?.message.endsWith('c'),
    true,
  );
});

/** `queryParams` reads by hand what `URLSearchParams` read (its every name, in order, with all its values). */
const bySearchParams = (q: string): [string, string[]][] => {
  const p = new URLSearchParams(q);
  return [...new Set(p.keys())].map((k) => [k, p.getAll(k)]);
};

test('a query read by hand is what URLSearchParams reads: pluses, escapes, repeats, empty and odd parts', (t) => {
  for (const q of [
    'resources=VCPU%3A1%2CMEMORY_MB%3A512&limit=1000',
    'resources=VCPU:1,MEMORY_MB:512&resources=DISK_GB:1',
    'member_of=in%3Aa%2Cb&member_of=c',
    'required=%21COMPUTE_STATUS_DISABLED&required=HW_CPU_X86_AVX2',
    'a+b=c+d%2Be',
    '&&limit=5&&',
    '=x&y=&z&w==v',
    'limit',
    '',
    '%',
    'a=%zz',
    'a=%E2%82',
    'a=%E2%82%AC&b=%C3%A9',
    'a=%ED%A0%80',
    'caf\u00e9=\u20ac',
    'a=\ud800',
    'resources%31=VCPU%3A2',
    'in_tree=b266b258-d78d-414c-a71d-1bf5137abbe2&group_policy=none',
  ])
    t.deepEqual([...queryParams(q)], bySearchParams(q), q);
  // And 20,000 strings made of the characters that matter, in a fixed sequence (a failure names one).
  const alphabet = ['%', '+', '=', '&', 'a', 'F', '0', '3', 'A', 'E2', '82', 'C3', 'ED', '%2', '%3A', '%E2%82%AC', '\u00e9', '\ud800', ' '];
  let x = 7;
  for (let i = 0; i < 20_000; i++) {
    let q = '';
    for (let n = i % 17; n > 0; n--) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      q += alphabet[x % alphabet.length];
    }
    if (JSON.stringify([...queryParams(q)]) !== JSON.stringify(bySearchParams(q))) return t.fail(JSON.stringify(q));
  }
});

withShared()('every query of the real logs and the samples reads as URLSearchParams reads it', async (t) => {
  let queries = 0;
  const wrong: string[] = [];
  await ingest(
    [join(ROOT, 'samples'), SEEDS, REAL_CORPUS, CORPUS],
    {},
    {
      event(ev) {
        const q = ev.http?.query;
        if (q === undefined) return;
        queries++;
        if (JSON.stringify([...queryParams(q)]) !== JSON.stringify(bySearchParams(q)) && wrong.length < 10) wrong.push(q);
      },
    },
  );
  t.deepEqual(wrong, []);
  // Not vacuous: the real logs' placement and API access lines (110 when this was written).
  t.true(queries > 100, `${queries} queries`);
});
