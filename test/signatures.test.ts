import test from 'ava';
import { DETECTORS } from '../src/detectors/index.js';
import { hostWideTexts, keepRule } from '../src/registry/keep.js';
import { match, type Signature } from '../src/signatures/signature.js';
import { parseQemuText, parseText } from './helpers/parse.js';

/**
 * Every log signature a detector keys on, against the real lines it was
 * written for (as lnav checks its formats' samples): each sample, parsed as
 * the pipeline parses a log, gives an event the signature matches, with the
 * fields the sample names. A signature without a sample must say why.
 */

const signatures = [...new Map(DETECTORS.flatMap((d) => d.signatures).map((s) => [s.id, s])).values()];

function firstEvent(sample: { line: string; more?: readonly string[]; pasted?: true; log?: 'qemu' }) {
  if (sample.log === 'qemu') return parseQemuText(`${[sample.line, ...(sample.more ?? [])].join('\n')}\n`)[0];
  const { events } = parseText(`${[sample.line, ...(sample.more ?? [])].join('\n')}\n`, {
    host: 'h',
    file: 'sample.log',
    paste: sample.pasted,
  });
  return events[0];
}

for (const sig of signatures) {
  test(`signature ${sig.id}: every sample matches, with its fields`, (t) => {
    if (sig.samples.length === 0) {
      t.truthy(sig.unsampled, `${sig.id} has no sample and does not say why`);
      return;
    }
    t.falsy(sig.unsampled, `${sig.id} has samples but still says it has none`);
    for (const s of sig.samples) {
      const ev = firstEvent(s);
      t.truthy(ev, `the sample of ${sig.id} parses to an event: ${s.line.slice(0, 120)}`);
      const fields = match(sig, ev);
      t.truthy(fields, `${sig.id} matches its sample seen in ${s.seen}`);
      for (const [k, v] of Object.entries(s.fields ?? {})) t.is(fields?.[k], v, `${sig.id} field ${k}`);
      t.true(s.seen.length > 10, 'a sample says where it was seen');
    }
  });
}

test('signature ids are unique, and each is matched by no other signature of a different meaning on its samples', (t) => {
  const ids = signatures.map((s) => s.id);
  t.is(new Set(ids).size, ids.length);
  // A sample is the line its signature was written for: a signature matching another's sample must be listed here, with why.
  const overlaps = new Set([
    // MigrationPreCheckError wrapping InvalidCPUInfo carries both.
    'libvirt.invalid-cpu-info~compute.precheck-cpu',
    'compute.precheck-cpu~libvirt.invalid-cpu-info',
    // The conductor's refusal of a move carries the pre-check's exception as its text.
    'move.precheck-failed~scheduler-utils.move-failed',
    'scheduler-utils.move-failed~move.precheck-failed',
    // The conductor's mapping error with the HostMappingNotFound oslo.log appended (Rocky, crowbar#1913) is also a build-ending exception.
    'conductor.host-not-mapped~conductor.schedule-failed',
    // A move's refusal at the API is one of the API's error answers (the 404 detector's general template).
    'api.move-refused~api.http-exception',
    // The state a failed operation left: ERROR is the build's signal, any state the move's.
    'scheduler-utils.instance-error~scheduler-utils.instance-state',
    // The conductor's failed build quotes the scheduler's remote traceback: the build's failure, and the raise that says why.
    'scheduler.no-candidates-raised~scheduler-utils.build-failed-text',
    // The conductor sets the instance to ERROR with the scheduler's remote NoValidHost: the build's end, and its reason.
    'scheduler.no-candidates-remote~scheduler-utils.instance-error',
    'scheduler.no-candidates-remote~scheduler-utils.instance-state',
    // A server's fault whose details quote the filter scheduler's raise: the failure, and the raise that says why.
    'scheduler.filters-none-raised~fault.pasted',
    // A server's fault of an empty reason before Pike is a pasted fault too.
    'scheduler.pre-placement-empty-reason~fault.pasted',
    // So is one whose reason is the end of the retries before Liberty.
    'scheduler-utils.exceeded-attempts-reason~fault.pasted',
  ]);
  const found: string[] = [];
  for (const a of signatures)
    for (const s of a.samples) {
      const ev = firstEvent(s);
      for (const b of signatures as Signature[])
        if (b !== a && match(b, ev) && !overlaps.has(`${a.id}~${b.id}`)) found.push(`${a.id}~${b.id}`);
    }
  t.deepEqual(found, []);
});

test('the event store keeps every sample line and indexes it under its signature', (t) => {
  const keep = keepRule(DETECTORS);
  for (const sig of signatures)
    for (const s of sig.samples) t.true(keep.signaturesOf(firstEvent(s)).includes(sig.id), `${sig.id} is indexed for its sample`);
});

test("host-wide signatures: every sample's line holds one of the texts --instance reads such lines by, and only periodic host lines are host-wide", (t) => {
  const texts = hostWideTexts(DETECTORS);
  const hostWide = signatures.filter((s) => s.hostWide);
  t.deepEqual(hostWide.map((s) => s.id).sort(), ['compute.power-sync', 'tracker.audit-free', 'tracker.periodic-audit']);
  for (const s of hostWide) {
    t.true(s.routine, `${s.id}: a host-wide line is routine (it starts no incident)`);
    for (const x of s.samples)
      t.true(
        texts.some((w) => x.line.includes(w)),
        `${s.id}: its sample holds a text the focus gate searches for (${x.line.slice(0, 100)})`,
      );
  }
});
