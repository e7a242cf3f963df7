import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import anyTest from 'ava';

/**
 * Real data lives beside the project in ../shared (corpus and seeds) and is
 * read at test time, never copied in. Where it is absent the tests that need
 * it are skipped, and say so.
 */

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root (tests run from dist/test/...). */
export const ROOT = resolve(here, '..', '..', '..');
export const SHARED = resolve(ROOT, '..', 'shared');
export const CORPUS = join(SHARED, 'corpus', 'real');
export const SEEDS = join(SHARED, 'seeds');

export const sharedAvailable = existsSync(CORPUS) && existsSync(SEEDS);

let warned = false;

/** `test` when ../shared is present, `test.skip` with a visible note otherwise. */
export function withShared(): typeof anyTest {
  if (sharedAvailable) return anyTest;
  if (!warned) {
    warned = true;
    process.stderr.write(`\n  ../shared is absent (looked in ${SHARED}): tests on the real corpus and the seeds are SKIPPED\n\n`);
  }
  return anyTest.skip as unknown as typeof anyTest;
}

export function corpus(...parts: string[]): string {
  return join(CORPUS, ...parts);
}

export function seed(prefix: string): string {
  const names = [
    '000_8d51171e091f62dc.txt',
    '001_12414c95e24c6481.txt',
    '002_d9859ccb02bdd8cb.txt',
    '003_1fe01b3cec3724ea.txt',
    '004_4d7f74ec1e0b1c80.txt',
  ];
  const n = names.find((x) => x.startsWith(prefix));
  if (!n) throw new Error(`no seed ${prefix}`);
  return join(SEEDS, n);
}
