import { join } from 'node:path';
import type { DbFacts } from '../../src/model/db.js';
import { SAMPLES } from './cli.js';
import { factsOf } from './facts.js';

/** The databases of the two samples (seeds 000 and 001–004 rebuilt), read once per process whichever tables use them. */

let pike: Promise<DbFacts> | undefined;
let antelope: Promise<DbFacts> | undefined;

export const pikeFacts = (): Promise<DbFacts> => (pike ??= factsOf(join(SAMPLES, 'pike-rdo')));
export const antelopeFacts = (): Promise<DbFacts> => (antelope ??= factsOf(join(SAMPLES, 'antelope-kolla')));
