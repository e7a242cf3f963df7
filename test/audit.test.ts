import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { audit } from '../src/audit/audit.js';
import { allocationVerdicts } from '../src/facts/allocation-verdicts.js';
import { DbIndex } from '../src/facts/db-index.js';
import { staleSecondProvider } from './helpers/audit-dbs.js';
import { factsOf } from './helpers/facts.js';
import { antelopeFacts, pikeFacts } from './helpers/sample-facts.js';

/**
 * What the audit rules read, checked apart from them: the rules' own rows are
 * in test/cases/audit-<rule id>.cases.ts. These are about the facts (the
 * allocation verdicts, the release, redaction) and the view of no dump, which
 * a rule's row cannot state.
 */

test('seed 000: the Pike dump has 245 allocations in nova_api and 6 consumers doubled across hosts', async (t) => {
  const facts = await pikeFacts();
  t.is(facts.placement?.db, 'nova_api', 'placement tables lived in nova_api before Stein');
  t.is(facts.placement!.allocations.length, 245);
  const verdicts = allocationVerdicts(new DbIndex(facts));
  t.is(new Set(verdicts.filter((v) => v.doubled).map((v) => v.consumer)).size, 6);
});

test('connection strings in cell_mappings are redacted as they are read', async (t) => {
  const facts = await antelopeFacts();
  const json = JSON.stringify(facts.api!.cellMappings);
  t.false(json.includes('N0vaDbPass'));
  t.false(json.includes('Rabb1tS3cret'));
  t.deepEqual(
    facts.api!.cellMappings.map((c) => c.databaseName),
    ['nova_cell0', 'nova'],
  );
});

test("the release the commands follow is read from the nova-compute services' version: 22 is Pike, 53 Victoria", (t) => {
  t.is(new DbIndex(staleSecondProvider(22).facts()).release?.name, 'Pike');
  t.is(new DbIndex(staleSecondProvider(53).facts()).release?.name, 'Victoria');
});

test('no dump, no findings, and the Markdown says so', async (t) => {
  const { findingsMarkdown } = await import('../src/views/findings-markdown.js');
  t.deepEqual(audit({ cells: [], dumps: [] }), []);
  t.regex(findingsMarkdown([], []), /No database dump was found/);
});

test("a dump's shadow_instances rows (archive_deleted_rows) are read into the facts, apart from the live instances", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nf-shadow-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'nova.sql');
  const columns =
    '`created_at` datetime, `updated_at` datetime, `deleted_at` datetime, `id` int, `uuid` varchar(36), `host` varchar(255), `node` varchar(255), `vm_state` varchar(255), `deleted` int';
  writeFileSync(
    file,
    [
      '-- MySQL dump 10.13  Distrib 5.7.42, for Linux (x86_64)',
      'CREATE DATABASE /*!32312 IF NOT EXISTS*/ `nova`;',
      'USE `nova`;',
      `CREATE TABLE \`instances\` (${columns});`,
      "INSERT INTO `instances` VALUES ('2024-09-01 10:00:00',NULL,NULL,1,'a0000000-0000-4000-8000-000000000001','cmp01','cmp01','active',0);",
      `CREATE TABLE \`shadow_instances\` (${columns});`,
      "INSERT INTO `shadow_instances` VALUES ('2024-09-01 10:00:00','2024-09-20 16:02:11','2024-09-20 16:02:11',77,'a0000000-0000-4000-8000-000000000005','cmp01','cmp01','deleted',77);",
      'CREATE TABLE `compute_nodes` (`id` int, `uuid` varchar(36), `host` varchar(255), `hypervisor_hostname` varchar(255), `deleted` int);',
      '',
    ].join('\n'),
  );
  const facts = await factsOf(file);
  const cell = facts.cells.find((c) => c.db === 'nova');
  t.deepEqual(
    cell?.instances.map((i) => i.uuid),
    ['a0000000-0000-4000-8000-000000000001'],
  );
  t.like(cell?.shadowInstances[0], {
    uuid: 'a0000000-0000-4000-8000-000000000005',
    deleted: 77,
    deletedAt: '2024-09-20 16:02:11',
    source: { db: 'nova', table: 'shadow_instances' },
  });
  const ix = new DbIndex(facts);
  t.is(ix.instance('a0000000-0000-4000-8000-000000000005'), undefined, 'nova does not find an archived instance');
  t.is(ix.archived.get('a0000000-0000-4000-8000-000000000005')?.id, 77);
});
