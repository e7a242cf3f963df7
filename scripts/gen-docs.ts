import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectorDocs } from '../src/registry/docs.js';
import { AUDIT_RULES, DETECTORS } from '../src/registry/index.js';
import { reportSchema, schemaText } from '../src/registry/schema.js';

/**
 * Writes what is derived from the detectors and rules: docs/detectors.md and
 * the enums of docs/report.schema.json. `--check` writes nothing and exits 1
 * when a committed file differs (the tests do the same comparison).
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const check = process.argv.includes('--check');
const files = [
  { path: join(ROOT, 'docs', 'detectors.md'), text: () => detectorDocs(DETECTORS, AUDIT_RULES) },
  {
    path: join(ROOT, 'docs', 'report.schema.json'),
    text: (old: string) => schemaText(reportSchema(JSON.parse(old), DETECTORS, AUDIT_RULES)),
  },
];
let stale = 0;
for (const f of files) {
  let old = '';
  try {
    old = readFileSync(f.path, 'utf8');
  } catch {
    // first run
  }
  const text = f.text(old);
  if (text === old) continue;
  stale++;
  if (check) process.stderr.write(`${f.path} is not what the registry generates: run npm run gen-docs\n`);
  else {
    writeFileSync(f.path, text);
    process.stdout.write(`wrote ${f.path}\n`);
  }
}
process.exitCode = check && stale ? 1 : 0;
