import { EXCEPTION_FORMATS, MESSAGE_FORMATS, REASON_CLASSES, REASON_FORMATS } from './exception-catalog.data.js';

/**
 * Names a nova exception from its message alone, in any language nova
 * shipped. Where nova logs `str(exc)` without the class (scheduler utils'
 * "Failed to compute_task_build_instances: …", the reason inside a
 * MigrationPreCheckError) the message format is the structure left: each
 * `msg_fmt` of nova/exception.py and its translations (generated into
 * exception-catalog.data.ts) becomes a pattern whose placeholders capture.
 */

export interface ExceptionText {
  type: string;
  /** The placeholders' values by name (`reason`, `instance_id`…; a reason of REASON_FORMATS: the whole as `reason`, its `%s` as `s1`…, a named one under its name too). */
  fields: Record<string, string>;
  /** The text is one of nova's own reasons of `type` (REASON_FORMATS): which one. */
  reason?: string;
}

interface Compiled {
  type: string;
  reason?: string;
  re: RegExp;
  names: string[];
  /** Punctuation after the last placeholder, taken off its value when there. */
  tail?: string;
  /** A reason's placeholders' names where the format names them (`%(dest)s`), in the order of `s1`, `s2`…. */
  aliases?: (string | undefined)[];
  /**
   * The longest word of the format's literal text: a text without it cannot match (words match as
   * written, only the spaces between them are loose), so most formats are passed over for a plain
   * `includes` instead of their pattern (a text no format matched cost 33 µs, tried against all).
   */
  need: string;
}

const PLACEHOLDER = /%\((\w+)\)[sd]/g;
/** Placeholders that hold free text (an exception's reason); the others name one thing (a uuid, a host). */
// `value` and `message`: ValidationError's (the refused value; jsonschema's sentence), the only formats holding them.
const FREE_TEXT: ReadonlySet<string> = new Set(['reason', 'value', 'message']);
/**
 * ValidationError's refused value as python printed it: a dict, a list or a quoted string whole, whose dots and
 * spaces are no end of it (`{u'name': u'web01.example.com'}`), else one token up to a stop and a space, or a
 * full stop (`None`, `compute2.example.com`; `。` where the translation ends the sentence so).
 */
const VALUE = `(\\{[\\s\\S]*\\}|\\[[\\s\\S]*\\]|[uU]?'[^']*'|"[^"]*"|\\S+?(?=\\.\\s|。))`;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Literal text must match (spaces loosely: logs trim them); placeholders match
 * anything. A literal tail that is only punctuation may be missing, as when
 * the line was cut at the terminal's width or the reason was empty and trimmed.
 */
function compile(type: string, fmt: string): Compiled {
  const names: string[] = [];
  const parts: string[] = [];
  const texts: string[] = [];
  let last = 0;
  for (const m of fmt.matchAll(PLACEHOLDER)) {
    texts.push(fmt.slice(last, m.index));
    parts.push(literal(fmt.slice(last, m.index)));
    // A reason is free text; the others name one thing (a uuid, a host), without spaces, or nothing: nova writes an
    // empty id as it is (`Image  is unacceptable`), and a copy from a web page collapses the two spaces.
    parts.push(m[1] === 'value' ? VALUE : FREE_TEXT.has(m[1]) ? '([\\s\\S]*?)' : '(\\S*?)');
    names.push(m[1]);
    last = m.index! + m[0].length;
  }
  const tail = fmt.slice(last);
  // The last placeholder takes the rest when nothing but punctuation follows it.
  if (FREE_TEXT.has(names[names.length - 1]) && /^[\s\p{P}]*$/u.test(tail)) {
    parts[parts.length - 1] = '([\\s\\S]*)';
    return { type, re: new RegExp(`^\\s*${parts.join('')}`, 'u'), names, tail: tail.trim() || undefined, need: longestWord(texts) };
  }
  parts.push(`${literal(tail)}\\s*$`);
  return { type, re: new RegExp(`^\\s*${parts.join('')}`, 'u'), names, need: longestWord([...texts, tail]) };
}

/** The longest whitespace-free run of these literal texts ('' when they have none). */
function longestWord(texts: readonly string[]): string {
  let best = '';
  for (const t of texts) for (const w of t.split(/\s+/)) if (w.length > best.length) best = w;
  return best;
}

function literal(s: string): string {
  return s.split(/\s+/).map(escapeRegex).join('\\s*');
}

/**
 * One of nova's own reasons, the whole text the exception's reason: its `%s`
 * and `%(name)s` (what nova put in: an error, a host, an instance) free text,
 * captured in order as `s1`, `s2`…, its literal text whole, a final full stop
 * optional (a hand copy drops it).
 */
function compileReason(key: string, fmt: string): Compiled {
  const texts = fmt
    .trim()
    .replace(/[.。]$/u, '')
    .split(/%(?:\(\w+\))?s/);
  const parts = texts.map(literal);
  // A translation may put the placeholders in another order: `%(name)s` is known by its name in each format.
  const aliases = [...fmt.matchAll(/%(?:\((\w+)\))?s/g)].map((m) => m[1]);
  // A named placeholder that is no free text (an instance, a host, a number) is one word: two of them side by side
  // (`%(instance_uuid)s %(dest)s`, Turkish) split at the blank.
  const body = parts.reduce(
    (re, p, i) => (i === 0 ? p : `${re}${aliases[i - 1] && !FREE_TEXT.has(aliases[i - 1]!) ? '(\\S+?)' : '([\\s\\S]*?)'}${p}`),
    '',
  );
  const values = parts.slice(1).map((_, i) => `s${i + 1}`);
  return {
    type: REASON_CLASSES[key],
    reason: key,
    re: new RegExp(`^\\s*(${body}[.。]?)\\s*$`, 'u'),
    names: ['reason', ...values],
    aliases: aliases.some(Boolean) ? aliases : undefined,
    need: longestWord(texts),
  };
}

const COMPILED: Compiled[] = [
  ...Object.entries(EXCEPTION_FORMATS).flatMap(([type, fmts]) => fmts.map((f) => compile(type, f))),
  // After the classes' own formats: "Build of instance X aborted: <reason>" is the class's, its reason then this.
  ...Object.entries(REASON_FORMATS).flatMap(([key, fmts]) => fmts.map((f) => compileReason(key, f))),
];

/** The formats of these classes, in catalogue order, by the classes' names joined (the lists callers pass are few). */
const BY_TYPES = new Map<string, readonly Compiled[]>();

/**
 * The formats to try for `types`: picking them from all of the catalogue on each call was a third of the
 * time of a log of ERROR lines (signatures ask on every ERROR and WARNING, several times).
 */
function formatsOf(types: readonly string[] | undefined): readonly Compiled[] {
  if (!types) return COMPILED;
  const key = types.length === 1 ? types[0] : types.join('\u0000');
  let list = BY_TYPES.get(key);
  if (!list) {
    list = COMPILED.filter((c) => types.includes(c.type));
    if (BY_TYPES.size < 1000) BY_TYPES.set(key, list);
  }
  return list;
}

/**
 * Answers already given, by the classes asked for and then the text: a troubled cloud logs the same error
 * text thousands of times, and signatures ask about each, several times an event. Keyed by the text itself,
 * not a key string made of classes and text: an event's message is one string object for all of its
 * questions, and V8 keeps a string's hash once computed, so only the first question hashes it (a made key
 * was hashed anew on each: this function was 11% of a log of ERROR lines). Bounded; emptied when full.
 * Answers are frozen (shared).
 */
const ANSWERS = new Map<string, Map<string, ExceptionText | null>>();
let answered = 0;
const MAX_ANSWERS = 20_000;
const MAX_ANSWERED_TEXT = 2_000;

/** The exception whose message `text` is, trying only `types` when given. */
export function exceptionOfText(text: string, types?: readonly string[]): ExceptionText | undefined {
  if (text.length > MAX_ANSWERED_TEXT) return nameText(text, types);
  const asked = types ? (types.length === 1 ? types[0] : types.join('\u0000')) : '\u0001*';
  let byText = ANSWERS.get(asked);
  const known = byText?.get(text);
  if (known !== undefined) return known ?? undefined;
  const named = nameText(text, types);
  if (named) {
    Object.freeze(named.fields);
    Object.freeze(named);
  }
  if (answered >= MAX_ANSWERS) {
    ANSWERS.clear();
    answered = 0;
    byText = undefined;
  }
  if (!byText) ANSWERS.set(asked, (byText = new Map()));
  byText.set(text, named ?? null);
  answered++;
  return named;
}

function nameText(text: string, types?: readonly string[]): ExceptionText | undefined {
  for (const c of formatsOf(types)) {
    if (!text.includes(c.need)) continue;
    const m = c.re.exec(text);
    if (!m) continue;
    const fields: Record<string, string> = {};
    for (const [i, n] of c.names.entries()) fields[n] = m[i + 1].trim();
    const lastName = c.names[c.names.length - 1];
    if (c.tail && lastName && fields[lastName].endsWith(c.tail)) fields[lastName] = fields[lastName].slice(0, -c.tail.length).trim();
    c.aliases?.forEach((a, i) => {
      if (a) fields[a] = fields[`s${i + 1}`];
    });
    return c.reason ? { type: c.type, fields, reason: c.reason } : { type: c.type, fields };
  }
  return undefined;
}

/**
 * The words one of which a message of one of `types` holds, whatever its language (each format's `need`):
 * undefined when some format has no word of its own. For a reader that passes lines over before naming
 * their exception (src/registry/keep.ts): a line without any of them is not one of these classes' messages.
 */
export function exceptionTextNeeds(types: readonly string[]): readonly string[] | undefined {
  const needs = new Set<string>();
  for (const c of formatsOf(types)) {
    if (c.need === '') return undefined;
    needs.add(c.need);
  }
  return needs.size > 0 ? [...needs] : undefined;
}

/** The literal text before a format's first placeholder, spaces loose. */
function head(fmt: string): RegExp {
  const lit = fmt.split(PLACEHOLDER)[0].trim();
  return new RegExp(`^\\s*${literal(lit)}`, 'u');
}

const HEADS: ReadonlyMap<string, RegExp[]> = new Map(Object.entries(MESSAGE_FORMATS).map(([key, fmts]) => [key, fmts.map(head)]));

/**
 * Does `text` start as message `key` does (MESSAGE_FORMATS), in any language?
 * Only the head is matched: oslo.log writes the rest of a multi-line message
 * on lines of their own, which are folded apart from the message.
 */
export function startsAsMessage(text: string, key: string): boolean {
  return (HEADS.get(key) ?? []).some((re) => re.test(text));
}
