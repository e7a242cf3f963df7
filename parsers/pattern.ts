import { XRegExp } from './xregexp.js';

/**
 * Patterns are written with XRegExp (free-spacing `x`, comments, named
 * groups) for readability, but run as native RegExps: `XRegExp.exec` costs a
 * copy per call, and these run on every line. XRegExp compiles named groups to
 * numbered ones, so the names are put back as native `(?<name>…)` groups.
 */
export function pattern(source: string, flags = ''): RegExp {
  const x = XRegExp(source, flags);
  const names = (x as unknown as { xregexp: { captureNames: (string | null)[] | null } }).xregexp.captureNames ?? [];
  const src = x.source;
  let out = '';
  let group = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      out += c + (src[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      continue;
    }
    if (c === '(' && src[i + 1] !== '?') {
      const name = names[group++];
      out += name ? `(?<${name}>` : '(';
      continue;
    }
    out += c;
  }
  // XRegExp-only flags (x, n, A) are spent at compile time.
  return new RegExp(out, x.flags.replace(/[xnA]/g, ''));
}
