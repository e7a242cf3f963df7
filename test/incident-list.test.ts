import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Incident } from '../src/model/incident.js';
import { analyzeInputs } from '../src/pipeline/analyze.js';
import { CATALOG } from '../src/registry/index.js';
import { reportMarkdown } from '../src/views/markdown/report-md.js';
import { corpus, ROOT, withShared } from './helpers/shared.js';

/**
 * Past the first `incidentsInFull` incidents of one kind and cause, a detector's
 * incidents fold into one that stands for the rest (src/detectors/incident-list.ts).
 * Held on real logs (OpenStackForensics: seven failed builds its filters ended, five
 * of a failed image; os-log-merger: five live migrations refused by their
 * pre-check) against the same run with nothing folded.
 */

const real = withShared();
const byCause = (list: readonly Incident[]): Map<string, Incident[]> => {
  const m = new Map<string, Incident[]>();
  for (const i of list) m.set(`${i.kind} ${i.cause.code}`, [...(m.get(`${i.kind} ${i.cause.code}`) ?? []), i]);
  return m;
};

for (const name of ['OpenStackForensics', 'os-log-merger'])
  real(`${name}: two of each cause in full, the rest folded into one that names every instance and one failing line of each`, async (t) => {
    const all = await analyzeInputs([corpus(name)], { incidentsInFull: Number.POSITIVE_INFINITY });
    const folded = await analyzeInputs([corpus(name)], { incidentsInFull: 2 });
    t.false(all.incidents.some((i) => i.folds !== undefined));
    const want = byCause(all.incidents);
    const got = byCause(folded.incidents);
    t.deepEqual([...got.keys()].sort(), [...want.keys()].sort());
    let folds = 0;
    for (const [cause, list] of want) {
      const shown = got.get(cause)!.filter((i) => i.folds === undefined);
      const stand = got.get(cause)!.filter((i) => i.folds !== undefined);
      t.is(shown.length, Math.min(2, list.length), cause);
      // Those shown in full are exactly as the run with nothing folded has them.
      for (const i of shown)
        t.deepEqual(
          i,
          list.find((x) => x.id === i.id),
          cause,
        );
      if (list.length <= 2) {
        t.is(stand.length, 0, cause);
        continue;
      }
      folds++;
      t.is(stand.length, 1, cause);
      const [f] = stand;
      const rest = list.filter((i) => !shown.some((s) => s.id === i.id));
      t.is(f.folds, rest.length, cause);
      t.is(f.count, rest.length);
      t.deepEqual(
        [...(f.cause.details.instances as string[])].sort(),
        rest.flatMap((i) => (i.instanceUuid ? [i.instanceUuid] : [])).sort(),
        cause,
      );
      // One line of each: its failing line, as its own timeline had it.
      t.is(f.timeline.length, rest.length);
      for (const line of f.timeline) t.true(rest.some((i) => i.timeline.some((x) => JSON.stringify(x) === JSON.stringify(line))));
      t.true(f.start! <= f.end!);
      t.regex(f.title, new RegExp(`^${rest.length} more \\(`));
      t.true(f.gaps.some((g) => g.startsWith('past the first 2 incidents of this kind and cause')));
    }
    t.true(folds > 0, 'some cause had more than two');
    // Listed after the ones in full of their severity; the Markdown counts each folded one.
    const firstFolded = folded.incidents.findIndex((i) => i.folds !== undefined);
    t.false(
      folded.incidents.slice(firstFolded).some((i) => i.folds === undefined && i.severity === folded.incidents[firstFolded].severity),
    );
    t.true(reportMarkdown(folded, CATALOG).includes(`Found ${all.incidents.length} incidents`));
    const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'docs', 'report.schema.json'), 'utf8')));
    t.true(validate(JSON.parse(JSON.stringify(folded))), JSON.stringify(validate.errors?.slice(0, 3)));
  });
