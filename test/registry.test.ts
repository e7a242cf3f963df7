import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { type Detector, decideCause, incidentId, logEvidence, signalled, span, timeline } from '../src/detectors/detector.js';
import { analyze } from '../src/pipeline/analyze.js';
import { catalogOf } from '../src/registry/catalog.js';
import { detectorDocs } from '../src/registry/docs.js';
import { AUDIT_RULES, DETECTORS } from '../src/registry/index.js';
import { reportSchema, schemaText } from '../src/registry/schema.js';
import { problems } from '../src/signatures/context.js';
import { match, type Signature } from '../src/signatures/signature.js';
import { reportMarkdown } from '../src/views/markdown/report-md.js';
import { parseText } from './helpers/parse.js';
import { ROOT } from './helpers/shared.js';

/**
 * Everything that lists kinds, causes or rules is derived from the detectors
 * and audit rules: a detector defined only here, and handed to the same
 * functions as the registered ones, reaches the schema, the docs, the event
 * store, the analysis and the Markdown view with nothing else edited.
 */

const committed = (name: string): string => readFileSync(join(ROOT, 'docs', name), 'utf8');

test('docs/detectors.md is what the detectors and rules generate (npm run gen-docs)', (t) => {
  t.is(committed('detectors.md'), detectorDocs(DETECTORS, AUDIT_RULES));
});

test("docs/report.schema.json's enums are what the detectors and rules generate (npm run gen-docs)", (t) => {
  const text = committed('report.schema.json');
  t.is(text, schemaText(reportSchema(JSON.parse(text), DETECTORS, AUDIT_RULES)));
});

test('each detector: kind, name, causes with what decides them and what to do, and the last cause an unknown', (t) => {
  const kinds = DETECTORS.map((d) => d.kind);
  t.is(new Set(kinds).size, kinds.length);
  for (const d of DETECTORS) {
    t.regex(d.kind, /^[a-z]+(?:-[a-z]+)*$/);
    t.truthy(d.name && d.title && d.description.length > 30, d.kind);
    t.true(d.causes.length > 0, d.kind);
    for (const c of d.causes) t.truthy(c.title && c.decidedBy && c.action, `${d.kind} ${c.code}`);
    t.true(d.signatures.length > 0 && d.context.length > 0, d.kind);
  }
});

test('each audit rule: findings with their causes, severity and remediation', (t) => {
  const codes = AUDIT_RULES.flatMap((r) => r.findings.map((f) => f.code));
  t.is(new Set(codes).size, codes.length);
  for (const r of AUDIT_RULES)
    for (const f of r.findings) t.truthy(f.title && f.checks && f.causes.length && f.severity && f.remediation, `${r.id} ${f.code}`);
});

// ─── a detector that exists only in this file ───

/** A live migration the hypervisor failed (nova-operator#777: the guest stopped during the move). */
const liveMigrationFailure: Signature = {
  id: 'test.live-migration-failure',
  description: 'the libvirt driver reports a live migration that failed in the hypervisor',
  source: 'nova/virt/libvirt/driver.py _live_migration_operation (every release)',
  loggers: ['nova.virt.libvirt.driver'],
  levels: ['ERROR'],
  pattern: /^Live Migration failure: (?<reason>.*)$/,
  samples: [
    {
      line: 'Jul 11 18:10:59 np0004787595 nova_compute[129891]: 2024-07-11 22:10:59.946 2 ERROR nova.virt.libvirt.driver [None req-590602d0-1d3d-4ac9-b000-cdd98a2400b4 3de117d20e5b45c1ba86c8136c841ef3 eab438b17a2a4575a3abff1f78afc4ff - - default default] [instance: 7b7edae6-f878-4756-a858-86f836d02c33] Live Migration failure: operation failed: domain is not running: libvirt.libvirtError: operation failed: domain is not running#033[00m',
      seen: 'corpus bug-report-excerpts/openstack-k8s-operators__nova-operator__pr777.sosreport-messages-grep.log line 1 (without its grep prefix)',
      fields: { reason: 'operation failed: domain is not running: libvirt.libvirtError: operation failed: domain is not running' },
    },
  ],
};

type Ev = { reason: string };
const testDetector: Detector<Ev> = {
  kind: 'test-hypervisor-migration-failure',
  name: 'hypervisor migration failure (test)',
  title: 'Live migrations the hypervisor failed (test detector)',
  description: 'Defined only in test/registry.test.ts, to show that one object is all a new detector needs.',
  causes: [
    {
      code: 'test-domain-not-running',
      title: 'The guest stopped during the move',
      decidedBy: 'libvirt\'s "domain is not running"',
      action: 'check the guest on the source',
      decide: (e) => (/domain is not running/.test(e.reason) ? verdictOf('test-domain-not-running', e.reason) : undefined),
    },
    {
      code: 'unknown',
      title: 'Another hypervisor error',
      decidedBy: 'anything else',
      action: 'read the libvirt log of the guest',
      decide: (e) => verdictOf('unknown', e.reason),
    },
  ],
  signatures: [liveMigrationFailure],
  context: [problems],
  detect(ctx) {
    return signalled(ctx, liveMigrationFailure).map((e) => {
      const reason = match(liveMigrationFailure, e)!.reason;
      const v = decideCause(testDetector.causes, { reason });
      const tl = timeline(ctx, [e]);
      return {
        id: incidentId('test-hypervisor-migration-failure', e.requestId ?? `${e.line}`),
        kind: 'test-hypervisor-migration-failure',
        title: `Live migration of ${e.instanceUuid} failed in the hypervisor`,
        severity: 'error',
        instanceUuid: e.instanceUuid,
        requestIds: e.requestId ? [e.requestId] : [],
        hosts: [e.host],
        ...span(tl),
        count: 1,
        cause: { code: v.code, summary: v.summary, details: v.details },
        evidence: [logEvidence(e)],
        timeline: tl,
        remediation: v.remediation,
        gaps: v.gaps,
      };
    });
  },
};

function verdictOf(code: string, reason: string) {
  return { code, summary: `libvirt said: ${reason}`, details: { reason }, evidence: [], gaps: [], remediation: [] };
}

const withTest = [...DETECTORS, testDetector as unknown as Detector];

test('a detector defined only in a test reaches the schema, the docs, the analysis and the Markdown view', async (t) => {
  const schema = reportSchema(JSON.parse(committed('report.schema.json')), withTest, AUDIT_RULES) as {
    $defs: { incident: { properties: { kind: { enum: string[] }; cause: { properties: { code: { enum: string[] } } } } } };
  };
  t.true(schema.$defs.incident.properties.kind.enum.includes('test-hypervisor-migration-failure'));
  t.true(schema.$defs.incident.properties.cause.properties.code.enum.includes('test-domain-not-running'));

  const sample = liveMigrationFailure.samples[0];
  t.deepEqual(match(liveMigrationFailure, parseText(`${sample.line}\n`).events[0]), sample.fields, 'its sample gives its fields');

  const docs = detectorDocs(withTest, AUDIT_RULES);
  t.regex(docs, /## test-hypervisor-migration-failure Live migrations the hypervisor failed/);
  t.regex(docs, /`test-domain-not-running` \| The guest stopped during the move/);
  t.true(docs.includes(liveMigrationFailure.samples[0].line), 'the sample line is in the docs');

  const dir = mkdtempSync(join(tmpdir(), 'nf-registry-'));
  try {
    const log = join(dir, 'messages');
    writeFileSync(log, `${liveMigrationFailure.samples[0].line}\n`);
    const { report, store } = await analyze([log], { detectors: withTest });
    t.is(store.matching('test.live-migration-failure').length, 1, 'the event store kept and indexed its signature');
    const inc = report.incidents.find((i) => i.kind === 'test-hypervisor-migration-failure');
    t.is(inc?.cause.code, 'test-domain-not-running');
    t.is(inc?.instanceUuid, '7b7edae6-f878-4756-a858-86f836d02c33');
    t.is(inc?.hosts[0], 'np0004787595', 'the host comes from the journal line');
    const md = reportMarkdown(report, catalogOf(withTest, AUDIT_RULES));
    t.regex(md, /\*\*Kind:\*\* hypervisor migration failure \(test\)/);
    t.regex(md, /1 hypervisor migration failure \(test\)/);
    // Without it, the same input gives no incident of its kind: only the registered detectors ran.
    const plain = await analyze([log], {});
    t.deepEqual(
      plain.report.incidents.map((i) => i.kind),
      ['failed-move'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
