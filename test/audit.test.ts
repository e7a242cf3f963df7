import test from 'ava';
import { join } from 'node:path';
import { audit } from '../src/audit/audit.js';
import { allocationVerdicts } from '../src/facts/allocation-verdicts.js';
import { DbIndex } from '../src/facts/db-index.js';
import type { Finding } from '../src/model/finding.js';
import { HOSTS, UUIDS } from '../scripts/samples/cloud-antelope.js';
import { PIKE } from '../scripts/samples/cloud-pike.js';
import { SAMPLES } from './helpers/cli.js';
import { Db, factsOf } from './helpers/facts.js';

const RP1 = '11111111-1111-4111-8111-111111111111';
const RP2 = '22222222-2222-4222-8222-222222222222';

const pike = factsOf(join(SAMPLES, 'pike-rdo'));
const antelope = factsOf(join(SAMPLES, 'antelope-kolla'));

function only(fs: Finding[], code: string): Finding[] {
  return fs.filter((f) => f.code === code);
}

// ─────────── seed 000: orphaned and doubled allocations, 404 from a deleted mapping ───────────

test('seed 000: the Pike dump has 245 allocations in nova_api and 6 consumers doubled across hosts', async (t) => {
  const facts = await pike;
  t.is(facts.placement?.db, 'nova_api', 'placement tables lived in nova_api before Stein');
  t.is(facts.placement!.allocations.length, 245);
  const verdicts = allocationVerdicts(new DbIndex(facts));
  t.is(new Set(verdicts.filter((v) => v.doubled).map((v) => v.consumer)).size, 6);
});

test('seed 000: compute1 MEMORY_MB 11426 used of (7841 - 512) × 1.5, with the orphan share named', async (t) => {
  const fs = only(audit(await pike), 'provider-over-capacity');
  const c1 = fs.find((f) => f.subject.providerUuid === PIKE.rp.compute1 && f.subject.resourceClass === 'MEMORY_MB')!;
  t.truthy(c1);
  t.is(c1.severity, 'error');
  t.like(c1.details, {
    total: 7841,
    reserved: 512,
    allocationRatio: 1.5,
    capacity: 10993.5,
    used: 11426,
    headroom: -432.5,
    orphanUsed: 4096,
    doubledUsed: 1024,
  });
  t.regex(c1.explanation, /11426 of capacity 10993\.5/);
  // compute2 still fits its smallest flavor: no finding (negative case)
  t.false(fs.some((f) => f.subject.providerUuid === PIKE.rp.compute2));
});

test('seed 000: the doubled consumer 01b6377f is one orphan finding with both providers; the healthy VM none', async (t) => {
  const fs = only(audit(await pike), 'orphan-allocation');
  const d = fs.filter((f) => f.subject.consumerUuid === PIKE.doubled);
  t.is(d.length, 1);
  t.is(d[0].cause, 'unknown-consumer');
  t.deepEqual(Object.keys(d[0].resources!).sort(), [PIKE.rp.compute1, PIKE.rp.compute3].sort());
  t.deepEqual((d[0].resources as Record<string, Record<string, number>>)[PIKE.rp.compute1], { VCPU: 1, MEMORY_MB: 1024, DISK_GB: 10 });
  t.true(d[0].remediation.some((r) => r.command === `openstack resource provider allocation delete ${PIKE.doubled}`));
  t.false(fs.some((f) => f.subject.consumerUuid === PIKE.healthy));
  t.true(fs.filter((f) => f.cause === 'instance-deleted').length >= 40, 'instances deleted in nova whose allocations stayed');
});

test('seed 000: the running instance whose mapping was deleted, and mappings to the deleted cell', async (t) => {
  const fs = audit(await pike);
  const missing = only(fs, 'missing-instance-mapping');
  t.is(missing.length, 1);
  t.is(missing[0].subject.instanceUuid, PIKE.unmapped);
  t.regex(missing[0].explanation, /could not be found/);
  t.regex(missing[0].remediation[0].command, /^nova-manage cell_v2 map_instances --cell_uuid /);
  const bad = only(fs, 'instance-mapping-bad-cell');
  t.is(bad.length, 4);
  t.true(bad.every((f) => f.cause === 'missing-cell'));
});

// ─────────── seeds 001, 003, 004 on the kolla cloud ───────────

test('seed 001: a 64 VCPU flavor exceeds every VCPU max_unit (48); allocation_ratio 4 does not lift it', async (t) => {
  const fs = only(audit(await antelope), 'max-unit-too-small');
  t.is(fs.length, 1);
  t.like(fs[0], { cause: 'max-unit-exceeded', severity: 'error', subject: { flavor: 'm1.xhuge', resourceClass: 'VCPU' } });
  t.like(fs[0].details, { requested: 64, largestMaxUnit: 48, allocationRatio: 4 });
  t.regex(fs[0].explanation, /allocation_ratio 4 multiplies capacity, not max_unit/);
});

test('seed 003: the instance deleted by hand (deleted=1, not its id) keeps 12 VCPU / 32768 MB / 80 GB on cmp02', async (t) => {
  const fs = only(audit(await antelope), 'orphan-allocation').filter((f) => f.subject.consumerUuid === UUIDS.batch3);
  t.is(fs.length, 1);
  t.is(fs[0].cause, 'instance-deleted');
  t.deepEqual(fs[0].resources, { [UUIDS.rp.cmp02]: { VCPU: 12, MEMORY_MB: 32768, DISK_GB: 80 } });
  t.regex(fs[0].explanation, /deleted=1, but nova's own soft delete sets deleted to the row id 80123/);
});

test('seed 004: cmp03 has no host mapping; the build buried in cell0 left its claim there', async (t) => {
  const fs = audit(await antelope);
  const unmapped = only(fs, 'unmapped-host');
  t.deepEqual(
    unmapped.map((f) => f.subject.host),
    [HOSTS.cmp03],
  );
  t.regex(unmapped[0].remediation[0].command, /^nova-manage cell_v2 discover_hosts --cell_uuid [0-9a-f-]{36} --verbose$/);
  const leak = only(fs, 'orphan-allocation').find((f) => f.subject.consumerUuid === UUIDS.app07)!;
  t.is(leak.cause, 'host-not-mapped');
});

test('a failed migration still holding its source allocation; the completed one holds nothing', async (t) => {
  const fs = only(audit(await antelope), 'orphan-allocation');
  const m = fs.find((f) => f.subject.consumerUuid === UUIDS.migOld)!;
  t.is(m.cause, 'failed-migration');
  t.is(m.subject.migrationUuid, UUIDS.migOld);
  t.false(fs.some((f) => f.subject.consumerUuid === UUIDS.migOk));
  // live instances on their own hosts are never orphans
  for (const u of [UUIDS.web01, UUIDS.db01, UUIDS.cache02, UUIDS.web02])
    t.false(
      fs.some((f) => f.subject.consumerUuid === u),
      u,
    );
});

test('connection strings in cell_mappings are redacted as they are read', async (t) => {
  const facts = await antelope;
  const json = JSON.stringify(facts.api!.cellMappings);
  t.false(json.includes('N0vaDbPass'));
  t.false(json.includes('Rabb1tS3cret'));
  t.deepEqual(
    facts.api!.cellMappings.map((c) => c.databaseName),
    ['nova_cell0', 'nova'],
  );
});

// ─────────── rules on hand-made databases: negatives and edges ───────────

test('justified allocations: on the instance node, a migration in progress, a build in flight', (t) => {
  const facts = new Db()
    .compute(1, 'h1', RP1)
    .compute(2, 'h2', RP2)
    .instance('a0000000-0000-4000-8000-000000000001', 'h1')
    .allocate('a0000000-0000-4000-8000-000000000001', 1)
    // live migration h1 → h2 running: the migration holds h1, the instance h2
    .instance('a0000000-0000-4000-8000-000000000002', 'h1')
    .migration('b0000000-0000-4000-8000-000000000002', 'a0000000-0000-4000-8000-000000000002', 'h1', 'h2', 'running')
    .allocate('b0000000-0000-4000-8000-000000000002', 1)
    .allocate('a0000000-0000-4000-8000-000000000002', 2)
    // being built: no host yet, the scheduler claimed on h2
    .instance('a0000000-0000-4000-8000-000000000003', null, { vm_state: 'building' })
    .allocate('a0000000-0000-4000-8000-000000000003', 2)
    .facts();
  t.deepEqual(only(audit(facts), 'orphan-allocation'), []);
});

test('a live instance with a stale second provider gets one finding for that provider only, with a partial remediation', (t) => {
  const facts = new Db()
    .compute(1, 'h1', RP1)
    .compute(2, 'h2', RP2)
    .instance('a0000000-0000-4000-8000-000000000009', 'h1')
    .migration('b0000000-0000-4000-8000-000000000009', 'a0000000-0000-4000-8000-000000000009', 'h2', 'h1', 'error')
    .allocate('a0000000-0000-4000-8000-000000000009', 1)
    .allocate('a0000000-0000-4000-8000-000000000009', 2)
    .facts();
  const fs = only(audit(facts), 'orphan-allocation');
  t.is(fs.length, 1);
  t.like(fs[0], { cause: 'failed-migration', subject: { providerUuid: RP2, instanceUuid: 'a0000000-0000-4000-8000-000000000009' } });
  const cmds = fs[0].remediation.map((r) => r.command);
  t.true(
    cmds.some((c) => /allocation unset --provider 22222222-/.test(c)),
    cmds.join('\n'),
  );
  t.false(
    cmds.some((c) => c.includes('allocation delete')),
    'a live instance keeps its good allocation',
  );
});

test('commands follow the release: Pike has no allocation unset, placement audit or heal --force; Victoria has them all', (t) => {
  const build = (version: number) =>
    new Db()
      .compute(1, 'h1', RP1, { version })
      .compute(2, 'h2', RP2, { version })
      .instance('a0000000-0000-4000-8000-000000000009', 'h1')
      .migration('b0000000-0000-4000-8000-000000000009', 'a0000000-0000-4000-8000-000000000009', 'h2', 'h1', 'error')
      .allocate('a0000000-0000-4000-8000-000000000009', 1)
      .allocate('a0000000-0000-4000-8000-000000000009', 2)
      .facts();
  t.is(new DbIndex(build(22)).release?.name, 'Pike');
  t.is(new DbIndex(build(53)).release?.name, 'Victoria');
  const pike = only(audit(build(22)), 'orphan-allocation')[0].remediation.map((r) => r.command);
  t.true(
    pike.includes(
      `openstack resource provider allocation set --allocation rp=${RP1},VCPU=1,MEMORY_MB=1024,DISK_GB=10 a0000000-0000-4000-8000-000000000009`,
    ),
    pike.join('\n'),
  );
  t.false(
    pike.some((c) => /allocation unset|placement audit|--force/.test(c)),
    pike.join('\n'),
  );
  const victoria = only(audit(build(53)), 'orphan-allocation')[0].remediation.map((r) => r.command);
  t.true(victoria.some((c) => c.includes('allocation unset --provider')));
  t.true(victoria.includes(`nova-manage placement audit --resource_provider ${RP2} --verbose`));
});

test('a cell mapped but not dumped: said once, and consumers found in no dumped cell are not called orphans', (t) => {
  const facts = new Db()
    .compute(1, 'h1', RP1)
    .row('nova_api', 'cell_mappings', {
      id: 3,
      uuid: 'cccccccc-0000-0000-0000-000000000002',
      name: 'cell2',
      database_connection: 'mysql+pymysql://nova:pw@db2/nova_cell2',
    })
    .row('placement', 'resource_providers', {
      id: 9,
      uuid: '99999999-9999-4999-8999-999999999999',
      name: 'h9',
      generation: 1,
      root_provider_id: 9,
      parent_provider_id: null,
    })
    .row('placement', 'inventories', {
      id: 90,
      resource_provider_id: 9,
      resource_class_id: 0,
      total: 16,
      reserved: 0,
      min_unit: 1,
      max_unit: 16,
      step_size: 1,
      allocation_ratio: 4,
    })
    .allocate('d0000000-0000-4000-8000-000000000001', 1)
    .facts();
  const fs = audit(facts);
  const missing = only(fs, 'cell-not-dumped');
  t.is(missing.length, 1);
  t.like(missing[0].details, { database: 'nova_cell2', cellName: 'cell2' });
  t.deepEqual(only(fs, 'orphan-allocation'), [], 'the consumer may live in cell2');
  t.deepEqual(only(fs, 'provider-without-compute-node'), [], 'h9 may be a compute of cell2');
  // The same cloud with every cell dumped calls both out.
  const whole = new Db()
    .compute(1, 'h1', RP1)
    .row('placement', 'resource_providers', {
      id: 9,
      uuid: '99999999-9999-4999-8999-999999999999',
      name: 'h9',
      generation: 1,
      root_provider_id: 9,
      parent_provider_id: null,
    })
    .row('placement', 'inventories', {
      id: 90,
      resource_provider_id: 9,
      resource_class_id: 0,
      total: 16,
      reserved: 0,
      min_unit: 1,
      max_unit: 16,
      step_size: 1,
      allocation_ratio: 4,
    })
    .allocate('d0000000-0000-4000-8000-000000000001', 1)
    .facts();
  const all = audit(whole);
  t.is(only(all, 'cell-not-dumped').length, 0);
  t.is(only(all, 'orphan-allocation').length, 1);
  t.is(only(all, 'provider-without-compute-node').length, 1);
});

test('a soft-deleted instance keeps its allocation (restorable); a mapping with cell_id NULL leaves the API blind', (t) => {
  const facts = new Db()
    .compute(1, 'h1', RP1)
    .instance('e0000000-0000-4000-8000-000000000001', 'h1', { vm_state: 'soft-delete' })
    .allocate('e0000000-0000-4000-8000-000000000001', 1)
    .instance('e0000000-0000-4000-8000-000000000002', 'h1', { __mapped: 0 })
    .row('nova_api', 'instance_mappings', { id: 77, instance_uuid: 'e0000000-0000-4000-8000-000000000002', cell_id: null })
    .facts();
  const fs = audit(facts);
  t.deepEqual(only(fs, 'orphan-allocation'), []);
  const m = only(fs, 'missing-instance-mapping');
  t.is(m.length, 1);
  t.is(m[0].subject.instanceUuid, 'e0000000-0000-4000-8000-000000000002');
  t.regex(m[0].explanation, /cell_id NULL/);
  t.regex(
    m[0].remediation[0].command,
    /^UPDATE nova_api\.instance_mappings SET cell_id = 2 WHERE instance_uuid = 'e0000000-0000-4000-8000-000000000002' AND cell_id IS NULL;$/,
  );
});

test('an unmapped host whose compute node is flagged mapped needs discover_hosts --by-service', (t) => {
  const facts = new Db().compute(1, 'h1', RP1, { mapped: false, version: 40 }).facts();
  const f = only(audit(facts), 'unmapped-host');
  t.is(f.length, 1);
  // The fixture's compute_nodes row has no mapped column: plain discovery would find it.
  t.regex(f[0].remediation[0].command, /discover_hosts --cell_uuid cccccccc-0000-0000-0000-000000000001 --verbose$/);
  const flagged = (version: number) =>
    only(audit(new Db().compute(1, 'h1', RP1, { mapped: false, nodeMapped: 1, version }).facts()), 'unmapped-host')[0].remediation[0];
  t.regex(flagged(40).command, /discover_hosts --cell_uuid \S+ --by-service --verbose$/);
  t.notRegex(flagged(40).why, /or later/, 'Train is known to have --by-service');
  // Pike has no --by-service: the flag must be cleared first.
  t.regex(flagged(22).command, /discover_hosts --cell_uuid \S+ --verbose$/);
  t.regex(flagged(22).why, /compute_nodes\.mapped=0/);
});

test('capacity: over, nearly full and comfortable providers', (t) => {
  const facts = new Db()
    .compute(1, 'h1', RP1, { memory: 4096 })
    .compute(2, 'h2', RP2, { memory: 65536 })
    .instance('a0000000-0000-4000-8000-00000000000a', 'h1', { memory_mb: 4000 })
    .allocate('a0000000-0000-4000-8000-00000000000a', 1, 1, 4000)
    .instance('a0000000-0000-4000-8000-00000000000b', 'h2')
    .allocate('a0000000-0000-4000-8000-00000000000b', 2)
    .facts();
  const fs = only(audit(facts), 'provider-over-capacity');
  t.is(fs.length, 1, 'only h1, nearly full; h2 is comfortable');
  t.is(fs[0].severity, 'info');
  t.is(fs[0].subject.resourceClass, 'MEMORY_MB');
});

test('compute nodes and providers that do not pair, and a stale build request', (t) => {
  const facts = new Db()
    .compute(1, 'h1', RP1)
    .row('nova', 'compute_nodes', {
      id: 7,
      uuid: '77777777-7777-4777-8777-777777777777',
      host: 'h7',
      hypervisor_hostname: 'h7',
      deleted: 0,
    })
    .row('nova_api', 'host_mappings', { id: 7, cell_id: 2, host: 'h7' })
    .row('placement', 'resource_providers', {
      id: 9,
      uuid: '99999999-9999-4999-8999-999999999999',
      name: 'gone',
      root_provider_id: 9,
      parent_provider_id: null,
    })
    .row('placement', 'inventories', {
      id: 91,
      resource_provider_id: 9,
      resource_class_id: 0,
      total: 8,
      reserved: 0,
      min_unit: 1,
      max_unit: 8,
      step_size: 1,
      allocation_ratio: 16,
    })
    .instance('a0000000-0000-4000-8000-00000000000c', 'h1')
    .allocate('a0000000-0000-4000-8000-00000000000c', 1)
    .row('nova_api', 'build_requests', { id: 1, instance_uuid: 'a0000000-0000-4000-8000-00000000000c', project_id: 'p' })
    .facts();
  const fs = audit(facts);
  t.deepEqual(
    only(fs, 'compute-node-without-provider').map((f) => f.subject.host),
    ['h7'],
  );
  t.deepEqual(
    only(fs, 'provider-without-compute-node').map((f) => f.subject.providerUuid),
    ['99999999-9999-4999-8999-999999999999'],
  );
  t.deepEqual(
    only(fs, 'stale-build-request').map((f) => f.subject.instanceUuid),
    ['a0000000-0000-4000-8000-00000000000c'],
  );
  t.deepEqual(only(fs, 'unmapped-host'), [], 'h1 and h7 are mapped');
});

test('no dump, no findings, and the Markdown says so', async (t) => {
  const { findingsMarkdown } = await import('../src/views/findings-markdown.js');
  t.regex(findingsMarkdown([], []), /No database dump was found/);
});
