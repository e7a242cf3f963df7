import test from 'ava';
import { DETECTORS } from '../src/detectors/index.js';
import { patternNeeds } from '../src/signatures/pattern-needs.js';

/**
 * `patternNeeds` says which texts every match of a pattern holds one of: the
 * reader passes a DEBUG line holding none of its loggers' texts over unbuilt.
 * A text it claims wrongly would drop a line a signature keys on; so each row
 * gives the pattern, what it needs, and lines it matches (each must hold one).
 */
const CASES: { re: RegExp; needs: string[] | undefined; matching?: string[] }[] = [
  {
    re: /^Instance (?<consumer>[0-9a-f-]{36}) has allocations against this compute host but is not found in the database/,
    needs: ['Instance '],
    matching: ['Instance 620cd801-8849-481a-80e0-2980b6c8dba6 has allocations against this compute host but is not found in the database.'],
  },
  // Escaped punctuation is itself; a class ends the run.
  { re: /^Starting with 0 host\(s\)/, needs: ['Starting with 0 host(s)'], matching: ['Starting with 0 host(s) get_filtered_objects'] },
  { re: /^Instance launched has CPU info: \{/, needs: ['Instance launched has CPU info: {'] },
  { re: /^Starting to schedule for instances: \[(?<instances>.*)\]/, needs: ['Starting to schedule for instances: ['] },
  // Unanchored: the match still opens with the run.
  {
    re: /compute_task_(?<method>migrate_server|rebuild_server)/,
    needs: ['compute_task_'],
    matching: ['Failed to compute_task_migrate_server: No valid host was found.'],
  },
  // A group of alternatives opening the pattern: each alternative's run.
  {
    re: /^(?:Auditing locally available compute resources for (?:node )?(?<host>\S+)|Final resource view: name=(?<node>\S+))/,
    needs: ['Auditing locally available compute resources for ', 'Final resource view: name='],
    matching: ['Auditing locally available compute resources for cmp01 (node: cmp01)', 'Final resource view: name=cmp01 phys_ram=1MB'],
  },
  {
    re: /^(?:Live migration failed|Pre live migration failed at (?<host>\S+))/,
    needs: ['Live migration failed', 'Pre live migration failed at '],
  },
  // Top-level alternatives: one run each, or nothing certain when one has none.
  { re: /^Lock "x"|Semaphore "y"/, needs: ['Lock "x"', 'Semaphore "y"'], matching: ['a Semaphore "y" b'] },
  { re: /^Lock|\d+ hosts/, needs: undefined },
  // A character a quantifier follows is not certain: the run stops before it.
  { re: /^Hosts? filtered/, needs: ['Host'], matching: ['Host filtered', 'Hosts filtered'] },
  { re: /^Ab+c/, needs: ['A'], matching: ['Abbbc'] },
  { re: /^ab{2}c/, needs: ['a'], matching: ['abbc'] },
  // Opening with what is not literal: nothing certain.
  { re: /^\d+ instances/, needs: undefined },
  { re: /^[A-Z]\w+ failed/, needs: undefined },
  { re: /^(?:Live|Cold)? migration/, needs: undefined },
  { re: /^(?<x>\S+) failed/, needs: undefined },
  { re: /^.oo/, needs: undefined },
  // Case-insensitive: the text may be written otherwise.
  { re: /^instance failed/i, needs: undefined },
  // An escape for a kind of character ends the run; `\b` too.
  { re: /^Took\s+[\d.]+ seconds/, needs: ['Took'] },
  { re: /^Took\b/, needs: ['Took'] },
];

for (const c of CASES) {
  test(`patternNeeds ${c.re}`, (t) => {
    t.deepEqual(patternNeeds(c.re), c.needs);
    for (const line of c.matching ?? []) {
      t.true(c.re.test(line), `the row's line matches: ${line}`);
      t.true(c.needs?.some((n) => line.includes(n)) ?? true, line);
    }
  });
}

test("every signature's sample line holds one of the texts its pattern needs", (t) => {
  let checked = 0;
  for (const d of DETECTORS)
    for (const s of d.signatures) {
      const needs = s.pattern && patternNeeds(s.pattern);
      if (!needs) continue;
      for (const sample of s.samples) {
        if (!s.pattern!.test(sample.line.slice(sample.line.indexOf(']') + 1).trim()) && !s.pattern!.test(sample.line)) continue;
        checked++;
        t.true(
          needs.some((n) => sample.line.includes(n)),
          `${s.id}: ${sample.line.slice(0, 120)}`,
        );
      }
    }
  t.true(checked > 20, `${checked} samples checked`);
});
