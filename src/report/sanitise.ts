/**
 * Terminal safety: the one rule for every character that came from an input
 * and leaves the program. Reports are `cat` in terminals and pasted into
 * tickets, so nothing an input holds may act on the reader's terminal or
 * hide what the text says:
 *
 * - C0 controls but tab and newline (ESC starts every CSI, OSC, DCS, APC, PM
 *   and SOS sequence; BEL ends OSC; CR rewrites a line), and DEL;
 * - C1 controls U+0080–U+009F (8-bit CSI U+009B, OSC U+009D, DCS U+0090…);
 * - bidirectional overrides, embeddings and isolates (U+202A–U+202E,
 *   U+2066–U+2069: Trojan Source) and marks (U+200E, U+200F, U+061C);
 * - line and paragraph separators (U+2028, U+2029: line breaks to some
 *   viewers), zero-width and invisible formatting characters (U+200B–U+200D,
 *   U+2060–U+2064, U+FEFF), Unicode tag characters (U+E0000–U+E007F, text no
 *   one sees) and unpaired surrogates.
 *
 * In text they are shown escaped (`\x1b`, `\x9b`, `\u202e`), never passed
 * through, so an escape sequence reads as what it is and a line holding only
 * one is not blank; in JSON they are `\u` escapes. The escapes are plain
 * ASCII: escaping twice changes nothing.
 */

const UNSAFE_CLASS = String.raw`\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u{e0000}-\u{e007f}\ud800-\udfff`;

/** Text: tab and newline stay. */
const UNSAFE_TEXT = new RegExp(`[${UNSAFE_CLASS}]`, 'u');
const UNSAFE_TEXT_ALL = new RegExp(`[${UNSAFE_CLASS}]`, 'gu');
/** One line (a file name, a host, a table row): the newline is escaped too. */
const UNSAFE_LINE = new RegExp(`[\\n${UNSAFE_CLASS}]`, 'u');
const UNSAFE_LINE_ALL = new RegExp(`[\\n${UNSAFE_CLASS}]`, 'gu');

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** `\x1b`, `\x9b` below U+0100, `\u202e` in the BMP, `\u{e0041}` above. */
export function escapeChar(c: string): string {
  const cp = c.codePointAt(0)!;
  if (cp < 0x100) return `\\x${hex(cp, 2)}`;
  if (cp < 0x10000) return `\\u${hex(cp, 4)}`;
  return `\\u{${hex(cp, 5)}}`;
}

/** Text from an input, safe for a terminal and a ticket: every unsafe character escaped, tabs and newlines kept. */
export function visibleText(s: string): string {
  return UNSAFE_TEXT.test(s) ? s.replace(UNSAFE_TEXT_ALL, escapeChar) : s;
}

/** Text that must stay on one line (a name, a path, a table row): newlines escaped too, so none starts a fake line. */
export function visibleLine(s: string): string {
  return UNSAFE_LINE.test(s) ? s.replace(UNSAFE_LINE_ALL, escapeChar) : s;
}

/**
 * JSON.stringify escapes C0 controls, but leaves DEL, C1, the bidi and
 * invisible characters and U+2028/U+2029 raw (they are valid JSON): this
 * escapes them as well. They can only stand inside strings, so the JSON
 * means the same and parses to the same values.
 */
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|\udb40[\udc00-\udc7f]/g;
/**
 * All of them are DEL or past ASCII. Most JSON lines are plain ASCII, which
 * the UTF-8 length (native, no copy) and a search for DEL tell without a
 * regex scan.
 */
function maybeUnsafe(s: string): boolean {
  return Buffer.byteLength(s, 'utf8') !== s.length || s.indexOf('\u007f') !== -1;
}

function jsonEscape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += `\\u${hex(s.charCodeAt(i), 4)}`;
  return out;
}

/** JSON text of a value in which no character can act on a terminal. */
export function jsonText(value: unknown, space?: number): string {
  const s = JSON.stringify(value, null, space);
  return maybeUnsafe(s) ? s.replace(JSON_UNSAFE, jsonEscape) : s;
}

/**
 * Fields whose text is a block by design: views fence it or show it line by
 * line (the log line as written, a remediation command). Every other string
 * of the model is one line when it is printed as text.
 */
const BLOCK_FIELDS: ReadonlySet<string> = new Set(['raw', 'command', 'traceback']);

/**
 * A model (report, coverage, findings) made ready for a text view: every
 * string escaped, newlines too outside block fields. A copy; the views then
 * only add their own (safe) text around it.
 */
export function visibleDeep<T>(value: T, key = ''): T {
  if (typeof value === 'string') return (BLOCK_FIELDS.has(key) ? visibleText(value) : visibleLine(value)) as T;
  if (Array.isArray(value)) return value.map((v) => visibleDeep(v, key)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[visibleLine(k)] = visibleDeep(v, k);
    return out as T;
  }
  return value;
}
