/**
 * Text from the inputs (log messages, instance and flavor names users chose)
 * goes into Markdown that GitHub and GitLab render: it must stay text. These
 * keep it from opening code spans, links, HTML or emphasis, and from ending a
 * table cell or a fence early.
 */

const LONGEST_TICKS = /`+/g;

function longestTicks(s: string): number {
  let n = 0;
  for (const m of s.matchAll(LONGEST_TICKS)) n = Math.max(n, m[0].length);
  return n;
}

/**
 * Prose from the inputs, escaped only where Markdown would act: backticks
 * (code spans), `](`, `][` and `]:` (links and their definitions; a bare `[x]` links to nothing, as no
 * reference is defined), `<` before a letter, `/`, `!` or `?` (HTML,
 * autolinks), a backslash before punctuation. The rest reads as written, the
 * `***` of a masked secret included.
 */
export function inline(text: string): string {
  return text.replace(/\\(?=[!-/:-@[-`{-~])|`|\](?=[([:])|<(?=[A-Za-z/!?])/g, (c) => `\\${c}`);
}

/** A table cell: inline text on one line, pipes escaped. */
export function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Inline code of any text: the fence is one backtick longer than the longest run inside. */
export function codeSpan(s: string): string {
  const ticks = '`'.repeat(longestTicks(s) + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${s}${pad}${ticks}`;
}

/** A fenced block of any text: the fence is longer than any backtick run inside. */
export function fence(text: string, lang = ''): string[] {
  const ticks = '`'.repeat(Math.max(3, longestTicks(text) + 1));
  return [`${ticks}${lang}`, ...text.split('\n'), ticks];
}
