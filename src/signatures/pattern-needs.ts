/**
 * The texts a pattern cannot match without: one of them is in every string it
 * matches. The reader passes a DEBUG record over unbuilt when its line holds
 * none of what its loggers' signatures need (src/registry/keep.ts
 * `unbuiltRule`); a signature that says nothing makes every DEBUG record of
 * its loggers built. Most patterns open with their template's literal words
 * (`^Instance (?<consumer>…) has allocations…`), so those words are what it
 * needs, worked out here rather than written a second time beside the
 * pattern, where an edit to one would leave the other wrong.
 *
 * Only what is certain: the literal run each top-level alternative opens with
 * (a group of alternatives opening the pattern is looked into); anything else
 * (a class, an escape for a kind of character, a quantified group, a
 * case-insensitive pattern) ends the run, and an alternative with no run
 * makes the answer `undefined` (every line built).
 */
export function patternNeeds(re: RegExp): readonly string[] | undefined {
  if (re.flags.includes('i')) return undefined;
  const texts = alternativesNeeds(re.source);
  return texts && texts.length > 0 ? [...new Set(texts)] : undefined;
}

/** Characters that are themselves when escaped. */
const ESCAPED_LITERAL = new Set([...'.*+?()[]{}|/\\^$-\'"!,:;=<>@#%&~` ']);
/** Characters with a meaning of their own unescaped. */
const META = new Set([...'.*+?()[]{}|^$\\']);
const QUANTIFIER = new Set([...'*+?{']);

function alternativesNeeds(source: string): string[] | undefined {
  const out: string[] = [];
  for (const alt of splitTopLevel(source)) {
    const needs = alternativeNeeds(alt);
    if (!needs) return undefined;
    out.push(...needs);
  }
  return out;
}

function alternativeNeeds(alt: string): string[] | undefined {
  const body = alt.startsWith('^') ? alt.slice(1) : alt;
  const run = literalRun(body);
  if (run !== '') return [run];
  // `(?:A…|B…)` opening the pattern, not made optional or repeated: each of its alternatives opens with its run.
  if (!body.startsWith('(?:')) return undefined;
  const end = closingParen(body, 0);
  if (end < 0 || QUANTIFIER.has(body[end + 1] ?? '')) return undefined;
  return alternativesNeeds(body.slice(3, end));
}

/** The literal text `s` opens with (a character a quantifier follows is not certain, so not included). */
function literalRun(s: string): string {
  let run = '';
  let i = 0;
  while (i < s.length) {
    let ch: string;
    let next: number;
    if (s[i] === '\\') {
      const e = s[i + 1];
      if (e === undefined || !ESCAPED_LITERAL.has(e)) break;
      ch = e;
      next = i + 2;
    } else if (META.has(s[i])) break;
    else {
      ch = s[i];
      next = i + 1;
    }
    if (QUANTIFIER.has(s[next] ?? '')) break;
    run += ch;
    i = next;
  }
  return run;
}

/** The source's alternatives at depth 0 (escapes and classes skipped). */
function splitTopLevel(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(source, i);
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(source.slice(start));
  return parts;
}

/** Where the group opening at `open` closes (-1: it does not). */
function closingParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(s, i);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** The index of the `]` closing the class opening at `open`. */
function classEnd(s: string, open: number): number {
  let i = open + 1;
  if (s[i] === '^') i++;
  if (s[i] === ']') i++;
  for (; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === ']') return i;
  }
  return s.length;
}
