import type { Coverage } from '../model/coverage.js';
import type { DbFacts } from '../model/db.js';
import { FactsCollector } from '../facts/collect.js';
import { ingest, type IngestHandlers, type IngestOptions } from './ingest.js';
import { readDumpFile } from './read-dump.js';

/**
 * Reads the inputs' database dumps into facts; logs and other files go to
 * the handlers given (or are counted as not needed).
 */
export async function ingestWithFacts(
  inputs: readonly string[],
  opts: IngestOptions,
  h: IngestHandlers = {},
): Promise<{ coverage: Coverage; facts: DbFacts }> {
  const collector = new FactsCollector();
  const warnings: { input: string; file?: string; message: string }[] = [];
  const coverage: Coverage = await ingest(inputs, opts, {
    ...h,
    async other(f) {
      if (f.role.kind === 'mysqldump') return readDumpFile(f, collector, (w) => warnings.push(w));
      return h.other?.(f);
    },
  });
  coverage.warnings.push(...warnings);
  return { coverage, facts: collector.finish() };
}
