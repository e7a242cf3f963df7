import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { isOwnDecision, OWN_DECISION_SAMPLES, pastedMessage } from '../parsers/paste/messages.js';
import { analyzeInputs } from '../src/pipeline/analyze.js';

/**
 * The scheduler's decisions pasted without their log line are read as nova's
 * by their template's structure, whole: a filter list ends in `…]`, which the
 * dashboard's `[Error: …]` reading must not take apart.
 */

for (const s of OWN_DECISION_SAMPLES)
  test(`a decision pasted alone is one message, whole (${s.seen})`, (t) => {
    const m = pastedMessage(s.sample);
    t.is(m?.message, s.sample);
    t.is(m?.exception, undefined, 'a filter name in the list is no exception class');
  });

test('a sentence about filters, or the template without its instance, is no decision of nova', (t) => {
  t.false(isOwnDecision('Filtering removed all hosts, what does that mean?'));
  t.false(isOwnDecision("Filtering removed all hosts for the request with instance ID '<uuid>'. Filter results: [...]"));
  t.is(pastedMessage('Filtering removed all hosts for my request, see [attached: log]'), undefined);
});

/** A pasted file, analysed as `nova-forensics analyze FILE` does. */
async function analyzePaste(name: string, text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'nf-pasted-'));
  try {
    writeFileSync(join(dir, name), text);
    return await analyzeInputs([join(dir, name)]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a compute's 'Instance failed to spawn: <class>: <error>' pasted alone is a spawn failure of an unnamed build", async (t) => {
  // kolla-ansible dff7896d's words (hand-wrapped there) with a class the reader names today.
  const r = await analyzePaste(
    'nova-compute-message.txt',
    "Instance failed to spawn: InternalError: unsupported configuration: CPU mode 'host-model' for aarch64 kvm domain on aarch64 host is not supported by hypervisor.\n",
  );
  t.deepEqual(
    r.incidents.map((i) => [i.kind, i.cause.code]),
    [['failed-build', 'spawn-failed']],
  );
  t.true(r.incidents[0].gaps.some((g) => /names the instance or a request/.test(g)));
});

test("the scheduler's refusal pasted alone is a build refused by the filter that removed the last host, the rest inferred", async (t) => {
  const r = await analyzePaste('nova-scheduler-message.txt', `${OWN_DECISION_SAMPLES[0].sample}\n`);
  t.deepEqual(
    r.incidents.map((i) => [i.kind, i.cause.code, i.cause.details.filter]),
    [['failed-build', 'filters-rejected-all-hosts', 'FailureDomainFilter']],
  );
  t.true(r.incidents[0].gaps.some((g) => /only the scheduler's refusal was read/.test(g)));
});

test("the resource tracker's 'Migration instance not found' pasted alone is its DEBUG record naming the instance, and no incident", async (t) => {
  const sample = OWN_DECISION_SAMPLES.find((s) => s.sample.startsWith('Migration instance not found: '))!.sample;
  const m = pastedMessage(sample);
  t.like(m, { logger: 'nova.compute.resource_tracker', level: 'DEBUG', instanceUuid: 'b4ff3ef3-3cb2-485a-b93c-f23d6dfc91ce' });
  // Another sentence that starts so, naming nothing, is no record of nova's.
  t.is(pastedMessage('Migration instance not found: see the notes below'), undefined);
  const r = await analyzePaste('nova-compute-message.txt', `${sample}\n`);
  t.deepEqual(r.incidents, []);
  t.is(r.coverage.files[0].events, 1);
});
