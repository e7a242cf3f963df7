import type { Event } from '../model/event.js';
import { SECRETS, type SecretEntry, type Shape } from './secrets.js';

/**
 * Masks the secrets of the redaction table (`secrets.ts`) in any text before
 * it is printed. Reports get pasted into tickets; redaction is on unless
 * `--no-redact`.
 *
 * Built to stay linear on a 100 MB line: a pattern only ever starts on a
 * literal (a key word, `://`, `-----BEGIN`, `gAAAAA`), keys are looked for
 * at most 64 characters around their key word, values are found with
 * `indexOf` and plain character scans, never with nested or backtracking
 * quantifiers; the masked text is built once from slices.
 */

export function mask(kind: string): string {
  return `***${kind}***`;
}

/** What every masked value becomes when the table does not say (kept for callers that only need to know a mask). */
export const MASK = mask('secret');

// --- the table, indexed ---------------------------------------------------

const BY_KEY = new Map<string, SecretEntry>();
const BY_SUFFIX = new Map<string, SecretEntry>();
const BY_SHAPE = new Map<Shape, SecretEntry>();
for (const e of SECRETS) {
  for (const k of e.keys ?? []) {
    if (!BY_KEY.has(k)) BY_KEY.set(k, e);
    if (!e.exact && !BY_SUFFIX.has(k)) BY_SUFFIX.set(k, e);
  }
  if (e.shape) BY_SHAPE.set(e.shape, e);
}

/** The words a secret field name holds; a hit is then widened to the whole name. */
const KEY_WORD =
  /pass|pwd|pswd|secret|token|authoriz|user_?data|private_?key|api_?key|access|fernet|credential|cookie|contents|fixed_?key|encrypt|auth_?key|ssl_?key|keyring/gi;
/**
 * The cheap test every text takes first: a key word, or the start of a
 * shape; most log lines leave here. It is the cost redaction adds to every
 * line (docs/performance.md): one scan, key words as short as they can be.
 */
const HINT =
  /pass(?:w|phrase|_|\b)|pwd|pswd|secret|token|authoriz|user_?data|private_?key|api_?key|access|fernet|credential|cookie|contents|fixed_?key|encrypt|auth_?key|ssl_?key|keyring|:\/\/|gAAAAA|eyJ|-----BEGIN|AQ[A-Za-z0-9+/]{38}==|AKIA|ASIA/i;
const KEY_WORD_TEST = new RegExp(KEY_WORD.source, 'i');
/** Values known by their shape alone. */
const SHAPE_TEST = /:\/\/|gAAAAA|eyJ|-----BEGIN|AQ[A-Za-z0-9+/]{38}==|AKIA|ASIA/;

const HINT_FROM = new RegExp(HINT.source, 'gi');

/** Whether a text can hold anything the table masks (from `from` on). */
export function mayHoldSecret(text: string, from = 0): boolean {
  if (from === 0) return HINT.test(text);
  HINT_FROM.lastIndex = from;
  return HINT_FROM.test(text);
}

/**
 * Where a log line's message starts: the header before it (time, pid, level,
 * logger, request ids; a syslog or collector prefix) holds no value, and is
 * most of what the first test would read. 0 when the message is not the
 * line's tail as written (decoded, or built from fields like an access log's).
 */
function messageStart(ev: Event): number {
  if (ev.decoded || ev.message.length < 8) return 0;
  const at = ev.raw.indexOf(ev.message.slice(0, 32));
  return at > 0 && at < 512 ? at : 0;
}

const normalised = new Map<string, string>();

/** `adminPass` → `admin_pass`, `X-Auth-Token` → `x_auth_token`, `keystone_authtoken.password` → `password`, `KeystoneFernetKey0` → `keystone_fernet_key`. */
export function normaliseKey(raw: string): string {
  let n = normalised.get(raw);
  if (n === undefined) {
    n = normalise(raw);
    // field names repeat; a bounded memo saves the regexes
    if (normalised.size > 4096) normalised.clear();
    normalised.set(raw, n);
  }
  return n;
}

function normalise(raw: string): string {
  const dot = raw.lastIndexOf('.');
  const name = dot === -1 ? raw : raw.slice(dot + 1);
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toLowerCase()
    .replace(/\d+$/, '')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The entry a field name belongs to: the name itself, else its longest `_`-aligned ending. */
export function entryForKey(norm: string): SecretEntry | undefined {
  const exact = BY_KEY.get(norm);
  if (exact) return exact;
  for (let i = norm.indexOf('_'); i !== -1; i = norm.indexOf('_', i + 1)) {
    const e = BY_SUFFIX.get(norm.slice(i + 1));
    if (e) return e;
  }
  return undefined;
}

// --- values that hold no secret -------------------------------------------

const LITERALS = new Set(['none', 'null', 'nil', 'true', 'false', 'redacted', 'token_redacted', 'sanitized', '<sanitized>', '[redacted]']);

function holdsNoSecret(v: string): boolean {
  if (v.length === 0) return true;
  if (LITERALS.has(v.toLowerCase())) return true;
  // masks: ours (***kind***), oslo's (****), placeholders (<password>), hashes keystoneauth logs instead of tokens
  return /^(?:\*+|\*{3}[\w-]*\*{3}|<[^<>]*>|\{SHA\d*\}\w*|\$\{?\w+\}?|%\(\w+\)s)$/.test(v);
}

/** Looks like an opaque credential, not prose or a dotted name. */
const OPAQUE = /^[A-Za-z0-9+/=_-]{16,}$/;
/** `InvalidToken`, `AdminPassword`: a class name or a TripleO parameter. */
const UPPER_CAMEL = /^[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+$/;

const SCHEME = /^(?:Basic|Bearer|Negotiate|Digest|Token|OAuth|AWS4-HMAC-SHA256|AWS|SharedKey)[ \t]+/i;

// --- spans ------------------------------------------------------------------

interface Span {
  start: number;
  end: number;
  kind: string;
}

function isKeyChar(c: number): boolean {
  // A-Z a-z 0-9 _ . -
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

/** Only blanks (and a YAML `- `) between the start of the line and `i`: no slice, so a long line costs nothing. */
function atLineStart(text: string, i: number): boolean {
  let j = i;
  if (text[j - 1] === ' ' && text[j - 2] === '-') j -= 2;
  while (j > 0 && isSpace(text[j - 1])) j--;
  return j === 0 || text[j - 1] === '\n';
}

/** Only blanks between `i` and the end of its line. */
function restIsBlank(text: string, i: number): boolean {
  while (isSpace(text[i]) || text[i] === '\r') i++;
  return i >= text.length || text[i] === '\n';
}

function lineEnd(text: string, i: number): number {
  const n = text.indexOf('\n', i);
  return n === -1 ? text.length : n;
}

/** Skips blanks, and at most one line break (a value wrapped onto the next line). */
function skipBlanks(text: string, i: number): number {
  let n = 0;
  while (isSpace(text[i]) && n++ < 64) i++;
  if (text[i] === '\r') i++;
  if (text[i] === '\n') {
    i++;
    n = 0;
    while (isSpace(text[i]) && n++ < 256) i++;
  }
  return i;
}

/**
 * A line of Python source in a traceback (`admin_pass=admin_password)` under
 * `File "…", line 1417, in _spawn`): it names variables, it holds no values.
 * The traceback may be lines of their own, or a python list repr on one line
 * whose elements hold a literal `\n`.
 */
function isTracebackSource(text: string, i: number): boolean {
  // source lines are short: a value far into a long line is not on one (and the scan back stays short)
  let ls = i;
  while (ls > 0 && i - ls <= 400 && text.charCodeAt(ls - 1) !== 10) ls--;
  const before = text.slice(Math.max(ls, i - 400), i);
  if (/File "[^"]*", line \d+, in \w+\\n +[\w.]+=$/.test(before)) return true;
  if (ls === 0 || text.charCodeAt(ls - 1) !== 10) return false;
  let ps = ls - 1;
  while (ps > 0 && ls - ps <= 600 && text.charCodeAt(ps - 1) !== 10) ps--;
  const prev = text.slice(ps, ls - 1);
  return /\bFile "[^"]*", line \d+/.test(prev);
}

/** End of a quoted value: the matching quote (backslash escapes honoured), else the end of the text (a cut or wrapped line). */
function closingQuote(text: string, from: number, q: string, escaped: boolean): number {
  if (escaped) {
    const j = text.indexOf(`\\${q}`, from);
    return j === -1 ? text.length : j;
  }
  let j = from;
  for (;;) {
    j = text.indexOf(q, j);
    if (j === -1) return text.length;
    let bs = 0;
    for (let k = j - 1; k >= from && text.charCodeAt(k) === 92; k--) bs++;
    if (bs % 2 === 0) return j;
    j++;
  }
}

const BARE_STOP = /[\s"'&<>\\]/g;

function bareEnd(text: string, from: number): number {
  BARE_STOP.lastIndex = from;
  const m = BARE_STOP.exec(text);
  let end = m ? m.index : text.length;
  // `f(password=x)`, `password=x,`: closing punctuation after a value is syntax
  while (end > from && ',;)]}'.includes(text[end - 1])) end--;
  return end;
}

/** oslo's DEBUG suffix (`log_opt_values /usr/lib/…/cfg.py:2609`) is not part of a config value. */
const DEBUG_SUFFIX = /(?:^| +)[\w<>]+ \/\S+\.py:\d+\s*$/;

interface KeyContext {
  text: string;
  keyStart: number;
  /** After the key and its closing quote. */
  keyEnd: number;
  name: string;
  entry: SecretEntry;
  /** The quote the key opened and did not close (`"X-Auth-Token: v"`), if any. */
  openQuote?: string;
  cli: boolean;
}

/**
 * Where the value of a secret key starts and ends, or undefined when the
 * key is not followed by a value (a word in prose, a container).
 */
function valueSpan(k: KeyContext): [number, number] | undefined {
  const { text } = k;
  let i = k.keyEnd;
  let sep: string;
  if (k.cli) {
    // --password x, --os-password=x
    if (text[i] === '=') {
      sep = '=';
      i++;
    } else if (isSpace(text[i])) {
      sep = ' ';
      while (isSpace(text[i])) i++;
    } else return undefined;
  } else if (text[k.keyStart - 1] === '<' && text[i] === '>') {
    // <password>x</password>
    const end = text.indexOf('<', i + 1);
    return [i + 1, end === -1 ? lineEnd(text, i) : end];
  } else {
    const blanksBefore = i;
    i = skipBlanks(text, i);
    const c = text[i];
    if (c === ':' && text[i + 1] !== ':' && text[i + 1] !== '/') sep = ':';
    else if (c === '=' && text[i + 1] !== '=') sep = text[i + 1] === '>' ? '=>' : '=';
    else if (c === '%' && /^%3[dD]/.test(text.slice(i, i + 3))) sep = '%3D';
    else return undefined;
    const spaced = i > blanksBefore;
    i += sep.length;
    const spacedAfter = isSpace(text[i]);
    i = skipBlanks(text, i);
    // INI and oslo's option dump: `key = value` alone on its line (after a log prefix) runs to the end of the line
    if (sep === '=' && spaced && spacedAfter && !k.openQuote && !/['"]/.test(text[i] ?? '')) {
      if (atLineStart(text, k.keyStart) || afterLogPrefix(text, k.keyStart)) return toLineEnd(text, i);
    }
  }
  if (k.entry.keepScheme) {
    const q = text[i] === '"' || text[i] === "'" ? 1 : 0;
    const m = SCHEME.exec(text.slice(i + q, i + q + 40));
    if (m) {
      if (q) return quoted(text, i, m[0].length);
      i += m[0].length;
    }
  }
  return quoted(text, i, 0) ?? bare(text, i, k, sep);
}

/** A quoted value (`"v"`, `'v'`, `u'v'`, `b"v"`, `\"v\"`), `skip` characters into it. */
function quoted(text: string, i: number, skip: number): [number, number] | undefined {
  let j = i;
  if (/[uUbBrR]/.test(text[j] ?? '') && (text[j + 1] === '"' || text[j + 1] === "'")) j++;
  let escaped = false;
  if (text[j] === '\\' && (text[j + 1] === '"' || text[j + 1] === "'")) {
    escaped = true;
    j++;
  }
  const q = text[j];
  if (q !== '"' && q !== "'") return undefined;
  const start = j + 1 + skip;
  return [start, Math.max(start, closingQuote(text, j + 1, q, escaped))];
}

function bare(text: string, i: number, k: KeyContext, sep: string): [number, number] | undefined {
  const c = text[i];
  if (c === undefined || c === '\n' || c === '{' || c === '[' || c === '(' || c === '|' || c === '>') {
    // a container (its own fields are looked at), a YAML block, nothing; keystoneauth's {SHA256}hash is no secret either
    return undefined;
  }
  if (k.openQuote) {
    // "X-Auth-Token: v" — the value ends where the quote the key opened closes
    const close = text.indexOf(k.openQuote, i);
    const end = Math.min(close === -1 ? text.length : close, lineEnd(text, i));
    return [i, end];
  }
  const lineStartKey = atLineStart(text, k.keyStart);
  const isDoubtful = sep === ':' && doubtful(text, k);
  // YAML and headers (`password: two words`, `Authorization: Basic x`) alone on their line run to its end
  if (sep === ':' && !isDoubtful && (lineStartKey || afterLogPrefix(text, k.keyStart))) return toLineEnd(text, i);
  const end = bareEnd(text, i);
  if (end <= i) return undefined;
  if (isDoubtful) {
    const v = text.slice(i, Math.min(end, i + 4096));
    if (!(OPAQUE.test(v) && v.indexOf('.') === -1) && !(restIsBlank(text, end) && lineStartKey && UPPER_CAMEL.test(k.name)))
      return undefined;
  }
  return [i, end];
}

/** `… [-] key = value`: the key opens a log message. */
function afterLogPrefix(text: string, i: number): boolean {
  return text[i - 1] === ' ' && text[i - 2] === ']';
}

function toLineEnd(text: string, i: number): [number, number] {
  let end = lineEnd(text, i);
  const from = Math.max(i, end - 300);
  const suffix = DEBUG_SUFFIX.exec(text.slice(from, end));
  if (suffix) end = from + suffix.index;
  while (end > i && /\s/.test(text[end - 1])) end--;
  return [i, end];
}

/**
 * `for token: keystonemiddleware…InvalidToken: Token authorization failed`:
 * a colon after a word of prose, after a dotted name or a class name is
 * rarely a field. Such values are masked only when they look opaque.
 */
function doubtful(text: string, k: KeyContext): boolean {
  if (k.name.indexOf('.') !== -1 || UPPER_CAMEL.test(k.name)) return true;
  const p = k.keyStart - 1;
  return text[p] === ' ' && p > 0 && /[\p{L}\p{N}]/u.test(text[p - 1]);
}

function keySpans(text: string, out: Span[]): void {
  KEY_WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = KEY_WORD.exec(text)) !== null) {
    const hit = m.index;
    let ks = hit;
    let ke = hit + m[0].length;
    const minStart = Math.max(0, hit - 64);
    while (ks > minStart && isKeyChar(text.charCodeAt(ks - 1))) ks--;
    const maxEnd = Math.min(text.length, ke + 64);
    while (ke < maxEnd && isKeyChar(text.charCodeAt(ke))) ke++;
    // A run of name characters longer than any field name (base64, a hash) is no key.
    if ((ks === minStart && ks > 0 && isKeyChar(text.charCodeAt(ks - 1))) || (ke === maxEnd && isKeyChar(text.charCodeAt(ke)))) {
      let e = ke;
      while (e < text.length && isKeyChar(text.charCodeAt(e))) e++;
      KEY_WORD.lastIndex = e;
      continue;
    }
    KEY_WORD.lastIndex = ke;
    let cli = false;
    while (text[ks] === '-' || text[ks] === '.') {
      if (text[ks] === '-' && text[ks + 1] === '-') cli = true;
      ks++;
    }
    // %3Ftoken%3D…: a URL-encoded query inside a query
    if (text[ks - 1] === '%' && /^[0-9A-Fa-f]{2}/.test(text.slice(ks, ks + 2)) && ks + 2 <= hit) ks += 2;
    while (text[ke - 1] === '.' || text[ke - 1] === '-') ke--;
    if (ke <= ks) continue;
    const name = text.slice(ks, ke);
    const entry = entryForKey(normaliseKey(name));
    if (!entry) continue;
    // A quoted key: its closing quote, or a quote it opened ("X-Auth-Token: v").
    let keyEnd = ke;
    let openQuote: string | undefined;
    const before = text[ks - 1];
    if (before === '"' || before === "'") {
      const escaped = text[ks - 2] === '\\';
      if (text[ke] === before) keyEnd = ke + 1;
      else if (escaped && text[ke] === '\\' && text[ke + 1] === before) keyEnd = ke + 2;
      else openQuote = before;
    }
    const span = valueSpan({ text, keyStart: ks, keyEnd, name, entry, openQuote, cli });
    if (!span) continue;
    const [vs, ve] = span;
    if (ve - vs <= 200 ? holdsNoSecret(text.slice(vs, ve)) : text.startsWith('{SHA', vs)) continue;
    if (entry.value && !entry.value.test(text.slice(vs, Math.min(ve, vs + 4096)))) continue;
    if (text[vs - 1] !== '"' && text[vs - 1] !== "'" && isTracebackSource(text, vs)) continue;
    out.push({ start: vs, end: ve, kind: entry.kind });
    KEY_WORD.lastIndex = Math.max(KEY_WORD.lastIndex, ve);
  }
}

// --- shapes -----------------------------------------------------------------

/** `scheme://user:password@host[,user:password@host…]`: the passwords. */
function urlSpans(text: string, out: Span[], kind: string): void {
  let from = 0;
  for (;;) {
    const at = text.indexOf('://', from);
    if (at === -1) return;
    // the scheme: letters, digits, + . - before ://, starting with a letter
    let s = at;
    while (s > 0 && at - s < 32 && /[A-Za-z0-9+.-]/.test(text[s - 1])) s--;
    STOP_URL.lastIndex = at + 3;
    const stop = STOP_URL.exec(text);
    const restEnd = stop ? stop.index : text.length;
    from = Math.max(at + 3, restEnd);
    if (s === at || !/[A-Za-z]/.test(text[s])) continue;
    const rest = text.slice(at + 3, Math.min(restEnd, at + 3 + 4096));
    const lastAt = rest.lastIndexOf('@');
    if (lastAt === -1) continue;
    const slash = rest.indexOf('/', lastAt);
    const hosts = slash === -1 ? rest : rest.slice(0, slash);
    let offset = at + 3;
    for (const entry of hosts.split(',')) {
      const a = entry.lastIndexOf('@');
      const colon = entry.indexOf(':');
      if (a !== -1 && colon !== -1 && colon < a) {
        const password = entry.slice(colon + 1, a);
        if (!holdsNoSecret(password)) out.push({ start: offset + colon + 1, end: offset + a, kind });
      }
      offset += entry.length + 1;
    }
  }
}
const STOP_URL = /[\s'"<>`]/g;

/** `-----BEGIN … PRIVATE KEY-----` … `-----END … PRIVATE KEY-----`: the body, on one line or many. */
function pemSpans(text: string, out: Span[], kind: string): void {
  const BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
  let m: RegExpExecArray | null;
  while ((m = BEGIN.exec(text)) !== null) {
    const start = m.index + m[0].length;
    const end = text.indexOf('-----END', start);
    out.push({ start, end: end === -1 ? text.length : end, kind });
    BEGIN.lastIndex = end === -1 ? text.length : end;
  }
}

function isB64Url(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

/** `eyJ….eyJ….sig`: a JWS compact serialisation (keystone's JWS tokens), scanned by hand so a long run is read once. */
function jwsSpans(text: string, out: Span[], kind: string): void {
  let from = 0;
  for (;;) {
    const s = text.indexOf('eyJ', from);
    if (s === -1) return;
    let i = s;
    let dots = 0;
    for (;;) {
      while (i < text.length && isB64Url(text.charCodeAt(i))) i++;
      if (text[i] === '.' && dots < 2 && i + 1 < text.length && isB64Url(text.charCodeAt(i + 1))) {
        dots++;
        i++;
      } else break;
    }
    if (dots === 2 && (s === 0 || !isB64Url(text.charCodeAt(s - 1)))) out.push({ start: s, end: i, kind });
    from = Math.max(i, s + 3);
  }
}

const SHAPE_PATTERNS: Partial<Record<Shape, RegExp>> = {
  // Fernet tokens: version 0x80, base64url
  'fernet-token': /gAAAAA[\w-]{20,}={0,2}/g,
  'ceph-key': /(?<![A-Za-z0-9+/])AQ[A-Za-z0-9+/]{38}==/g,
  'aws-access-key-id': /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g,
};

function shapeSpans(text: string, out: Span[]): void {
  for (const [shape, e] of BY_SHAPE) {
    if (shape === 'url-userinfo') {
      if (text.indexOf('://') !== -1) urlSpans(text, out, e.kind);
    } else if (shape === 'pem-private-key') {
      if (text.indexOf('-----BEGIN') !== -1) pemSpans(text, out, e.kind);
    } else if (shape === 'jws-token') {
      if (text.indexOf('eyJ') !== -1) jwsSpans(text, out, e.kind);
    } else {
      const re = SHAPE_PATTERNS[shape]!;
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text)) !== null) out.push({ start: m.index, end: m.index + m[0].length, kind: e.kind });
    }
  }
}

// --- masking ----------------------------------------------------------------

/** The mask for a span: one per line it covers, so a message and its continuation lines keep their number. */
function masked(text: string, s: Span): string {
  const m = mask(s.kind);
  let nl = false;
  for (let i = s.start; i < s.end && !nl; i++) nl = text.charCodeAt(i) === 10;
  if (!nl) return m;
  const parts: string[] = [];
  let from = s.start;
  for (;;) {
    const nl = text.indexOf('\n', from);
    if (nl === -1 || nl >= s.end) {
      parts.push(from < s.end ? m : '');
      break;
    }
    parts.push(nl > from ? m : '');
    from = nl + 1;
  }
  return parts.join('\n');
}

/**
 * Secret values met while masking: a value masked where its key showed
 * (a message joined with its continuation lines) is masked in every other
 * text that repeats it without the key (an exception type or message the
 * parser cut from one of those lines, a timeline entry, a piece of evidence).
 */
export class SecretValues {
  private readonly values = new Map<string, string>();
  private pattern: RegExp | undefined;

  add(value: string, kind: string): void {
    // short values would mask ordinary words
    const v = value.trim();
    if (v.length < 8 || holdsNoSecret(v) || this.values.has(v)) return;
    this.values.set(v, kind);
    this.pattern = undefined;
  }

  get size(): number {
    return this.values.size;
  }

  entries(): IterableIterator<[string, string]> {
    return this.values.entries();
  }

  /** The text with every known value masked. */
  apply(text: string): string {
    if (this.values.size === 0) return text;
    if (!this.pattern) {
      const alts = [...this.values.keys()].sort((a, b) => b.length - a.length).map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      this.pattern = new RegExp(alts.join('|'), 'g');
    }
    return text.replace(this.pattern, (v) => mask(this.values.get(v) ?? 'secret'));
  }

  applyDeep<T>(value: T): T {
    if (this.values.size === 0) return value;
    if (typeof value === 'string') return this.apply(value) as T;
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const v = this.applyDeep(value[i]);
        if (v !== value[i]) (out ??= value.slice())[i] = v;
      }
      return (out ?? value) as T;
    }
    if (value !== null && typeof value === 'object') {
      let out: Record<string, unknown> | undefined;
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const r = this.applyDeep(v);
        if (r !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = r;
      }
      return (out ?? value) as T;
    }
    return value;
  }
}

/**
 * Text with every secret the table knows replaced by `***kind***`; the text
 * itself when there is none. `found` collects the values masked, line by line.
 */
export function redact(text: string, found?: SecretValues): string {
  if (!mayHoldSecret(text)) return text;
  const spans: Span[] = [];
  if (KEY_WORD_TEST.test(text)) keySpans(text, spans);
  if (SHAPE_TEST.test(text)) shapeSpans(text, spans);
  if (spans.length === 0) return text;
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  // overlapping spans (a token inside a masked value) become one
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else if (s.end > s.start) merged.push({ ...s });
  }
  let out = '';
  let at = 0;
  for (const s of merged) {
    out += text.slice(at, s.start) + masked(text, s);
    if (found && s.end - s.start <= 4096) for (const line of text.slice(s.start, s.end).split('\n')) found.add(line, s.kind);
    at = s.end;
  }
  return out + text.slice(at);
}

/** Redacts every string inside a JSON-like value, keys excepted. What holds no secret is returned as it is, not copied. */
export function redactDeep<T>(value: T, found?: SecretValues): T {
  if (typeof value === 'string') return redact(value, found) as T;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = redactDeep(value[i], found);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return (out ?? value) as T;
  }
  if (value !== null && typeof value === 'object') {
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const r = redactDeep(v, found);
      if (r !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = r;
    }
    return (out ?? value) as T;
  }
  return value;
}

// Every event of a file shares its path: test it once.
let lastFile = '';
let lastFileHolds = false;
function fileMayHoldSecret(file: string): boolean {
  if (file !== lastFile) {
    lastFile = file;
    lastFileHolds = mayHoldSecret(file);
  }
  return lastFileHolds;
}

/**
 * An event with every string redacted (exception texts, HTTP paths, the
 * traceback…), or the event itself when none of its texts can hold a secret:
 * the common case costs a test or two. The message and its continuation
 * lines are redacted as one text, so a secret whose key ends one line and
 * whose value starts the next (a wrapped body, a PEM block in a traceback)
 * is still seen whole; the values found there are then masked in every
 * field of the event, and added to `found` for the texts derived from it.
 */
export function redactEvent<E extends Event>(ev: E, found?: SecretValues): E {
  const tb = ev.traceback;
  // The message is cut from the raw line (which also holds what other formats keep beside it: a referrer, a
  // JSON line's context); only decoding (escaped unicode) can make the message say more.
  if (
    !mayHoldSecret(ev.raw, messageStart(ev)) &&
    !(ev.decoded && mayHoldSecret(ev.message)) &&
    !tb?.some((l) => mayHoldSecret(l)) &&
    !fileMayHoldSecret(ev.file)
  )
    return ev;
  const mine = new SecretValues();
  let message = ev.message;
  let traceback = tb;
  if (tb?.length) {
    const text = [ev.message, ...tb].join('\n');
    const red = redact(text, mine);
    const whole = red.split('\n');
    const mLines = ev.message.split('\n').length;
    // masks keep line breaks, so the parts come back in place
    if (red !== text && whole.length === mLines + tb.length) {
      message = whole.slice(0, mLines).join('\n');
      traceback = whole.slice(mLines);
    }
  }
  // the other fields one by one; the message and its continuation lines as the one text redacted above
  let out: E;
  if (tb?.length) {
    const input = { ...ev, message: '', traceback: [] as string[] };
    const rest = redactDeep(input, mine);
    out = rest === input && message === ev.message && traceback === tb ? ev : ({ ...rest, message, traceback } as E);
  } else out = redactDeep(ev, mine);
  out = mine.applyDeep(out);
  if (found) for (const [v, k] of mine.entries()) found.add(v, k);
  return out;
}
