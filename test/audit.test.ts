import test from 'ava';
import { audit } from '../src/audit/audit.js';
import { allocationVerdicts } from '../src/facts/allocation-verdicts.js';
import { DbIndex } from '../src/facts/db-index.js';
import { staleSecondProvider } from './helpers/audit-dbs.js';
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
