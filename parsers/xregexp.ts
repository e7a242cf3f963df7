import { createRequire } from 'node:module';
import type XRegExpModule from 'xregexp';

/**
 * XRegExp, loaded from the one-file build the package ships (`xregexp-all.js`,
 * the same release). Its main entry is Babel output that `require`s ~280
 * files of core-js-pure one by one: 0.15 s of CPU at the start of every run,
 * a tenth of a pasted excerpt's whole analysis. The bundle holds the same
 * code with core-js inlined (the pure build: no globals patched).
 */
const require = createRequire(import.meta.url);
export const XRegExp: typeof XRegExpModule = require('xregexp/xregexp-all.js');
