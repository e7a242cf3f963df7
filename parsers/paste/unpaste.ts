import { decode as decodeQuotedPrintable } from 'libqp';
import { splitsAWord } from './english-words.js';
import { ExportReader, sniffExport, type ExportTable } from './exports.js';
import { DASHBOARD, pastedMessage } from './messages.js';
import { promptOf } from './prompt.js';
import { parseBareOsloLine, parseOsloLine } from '../oslo-log.js';
import {
  gluedRecordStarts,
  grepPrefix,
  isTracebackLine,
  knownGrepPrefix,
  MARKUP_LINE,
  startsDatedRecord,
  startsRecord,
  startsUndatedRecord,
  unemphasise,
  markdownEscaped,
  unescapeMarkdown,
  type GrepPrefix,
  tableRowsMeet,
} from './shapes.js';

/**
 * Paste mode: a log excerpt as people paste it into a ticket, a mail or a
 * chat, turned back into the log lines it was. Sniffed once per file from its
 * first lines; an ordinary log file is left alone (sniffPaste says so, and the
 * reader is never built). What is undone, outermost first, in the order it was
 * done to the text:
 *  - a mail's quoted-printable encoding: soft line breaks (`=` at a line's
 *    end, the rest in column 0, cutting words and uuids) and `=XX` escapes;
 *  - rich-text editors' non-breaking spaces and curly quotes;
 *  - `> ` quoting (mail replies, Markdown quotes), and `# ` comments (a script's or
 *    README's output shown commented out);
 *  - a terminal multiplexer's pane borders (tmux, screen) copied with the
 *    text: box-drawing characters at a line's start or end;
 *  - a common indentation (Markdown's 4-space code blocks, RST's 3, tabs);
 *  - wrapping: a terminal's hard cut at its width, or a mail/ticket word-wrap
 *    (often with a continuation indent); a line that does not start a record and
 *    follows one within the wrap width is joined back to it, so a request id
 *    or uuid cut across the wrap is whole again;
 *  - `grep` prefixes (`file:`, `file:NN:`, `file-NN-` context, `NN:`, `--`);
 *  - shell prompts and the commands typed, which are not log lines but say
 *    which file, unit or container (so which service) and which host the lines
 *    below come from; and file headers (`==> file <==`, a line naming a log).
 * A paste that mixes several files becomes several sources.
 */

export interface PasteProfile {
  /** A mail's quoted-printable body (RFC 2045): lines are joined at soft breaks and decoded first. */
  qp?: boolean;
  /** Non-breaking spaces, zero-width spaces, curly quotes: a rich-text editor's. */
  rich: boolean;
  /**
   * `> ` quoting (mail replies, Markdown quotes): `'> '` when a space follows the marks, `'>'` when not. `'# '`: every
   * line a comment (a script's or a README's output commented out), though no root prompt's command.
   */
  quote?: '>' | '> ' | '# ';
  /** A tmux or screen pane's borders (`│`, `┤`…) copied at the lines' ends with the text. */
  panes?: boolean;
  /**
   * (Nearly) every line ends in spaces: a terminal's or an editor's padding, Markdown's hard breaks. Taken off; a
   * few lines ending in a space are a word-wrap's cut inside a run of spaces, and keep it.
   */
  padded?: boolean;
  /**
   * Double-spaced: a blank line after every line (a web page's paragraphs copied, a `\r\r\n` editor), so that a
   * traceback's lines stand apart from their record. One blank line is the spacing; two or more are a break.
   */
  doubled?: boolean;
  /** The indentation every pasted log line carries ('' for none). */
  indent: string;
  /** Markdown emphasis marks typed before record lines (`_2015-11-09 …`). */
  emphasis?: boolean;
  /** Markdown's backslash escapes in the lines (`\\[-\\]`, `\\_`): a Markdown source copied, not its rendering. */
  mdEscaped?: boolean;
  /** `contIndent`: what a word-wrap put before each continuation line. */
  wrap?: { kind: 'terminal' | 'word'; width: number; contIndent?: string };
  /** Records glued onto one line (a lost newline: GLUED_RECORD), split back apart. */
  glued?: boolean;
  /** grep named these files, or numbered the lines (`-n` on one file). */
  grep?: { paths: string[]; numbered: boolean };
  /** An aggregator's export (Kibana/OpenSearch CSV, search documents as JSON lines): its rows are the records. */
  export?: ExportTable;
}

/** Where a run of lines came from, as far as the paste says. */
export interface SourceHint {
  /** The file, journal unit, container or pod, as written (a sosreport path names a host too). */
  name?: string;
  /** The host a prompt or `ssh` named. */
  host?: string;
}

export interface LogicalLine {
  text: string;
  /** First and last physical line (a wrapped line spans several). */
  first: number;
  last: number;
  /** Not a log line: the paste's own furniture. */
  markup?: 'blank' | 'prompt' | 'header' | 'separator';
  source: SourceHint;
  /** The time an export gave the record (`YYYY-MM-DDTHH:MM:SS.mmm`), for a message that has none of its own. */
  ts?: string;
  /** A further line of a record's text on physical lines already counted (a traceback inside one export row). */
  inner?: true;
}

/** Lines looked at to decide; pastes are short, and a real log says what it is in its first lines. */
export const PASTE_SNIFF_LINES = 200;

/** Spaces or tabs after a line's text (a `\r` a CRLF line ends with is not padding). */
const PADDED = /\S[ \t]+\r?$/;
const RICH = /[\u00a0\u2007\u202f\u200b\u2060\ufeff\u2018\u2019\u201a\u201b]/;
const QUOTE_MARKS = /^(?:[ \t]*>)+/;
/** Box-drawing a pane's border is made of, at a copied line's start or end (never in a log line's own ends). */
const PANE_START = /^[│┃║├┤┆┊]/u;
const PANE_END = /[│┃║├┤┆┊]\s*$/u;

/** A line without the pane borders a multiplexer's copy left at its ends. */
function unpane(line: string): string {
  return line.replace(PANE_START, '').replace(PANE_END, '');
}

/**
 * `# ` before a line: a comment, or a root prompt (`# virsh list`, told by its command). Indented too: output
 * commented out and then pasted as a code block (`    # {"message": …}`); the indent stays for the indent's step.
 */
const COMMENT = /^([ \t]*)#[ \t]/;

/** Takes a line's quote marks off, and the one space after them when the paste's quoting has it. */
function unquote(line: string, style: '>' | '> ' | '# '): string {
  if (style === '# ') {
    const m = COMMENT.exec(line);
    return m ? m[1] + line.slice(m[0].length) : line;
  }
  const m = QUOTE_MARKS.exec(line);
  if (!m) return line;
  const rest = line.slice(m[0].length);
  return style === '> ' && rest.startsWith(' ') ? rest.slice(1) : rest;
}

export function normaliseRich(line: string): string {
  return line
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .replace(/[\u200b\u2060\ufeff]/g, '')
    .replace(/[\u2018\u2019\u201a\u201b]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f]/g, '"')
    .replace(/\u2026/g, '...');
}

function leading(line: string): string {
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  return line.slice(0, i);
}

function firstWordLength(s: string): number {
  const t = s.trimStart();
  const sp = t.indexOf(' ');
  return sp === -1 ? t.length : sp;
}

/** `text` with a grep prefix taken off, when the profile has grep and the line shows one. */
type Peeled = { text: string; prefix?: GrepPrefix; beforeRecord?: boolean };
/**
 * The last two lines peeled: the reader peels each line up to three times (when it comes, when the next one
 * asks whether it continues it, when it is flushed), the line before it in between.
 */
const peeled: ({ text: string; grep: PasteProfile['grep']; out: Peeled } | undefined)[] = [undefined, undefined];
let peeledNext = 0;

function peelGrep(text: string, grep: PasteProfile['grep']): Peeled {
  if (!grep) return { text };
  for (const p of peeled) if (p && p.grep === grep && p.text === text) return p.out;
  const out = peelGrepOnce(text, grep);
  peeled[peeledNext] = { text, grep, out };
  peeledNext ^= 1;
  return out;
}

function peelGrepOnce(text: string, grep: NonNullable<PasteProfile['grep']>): Peeled {
  // A line that opens with a record's date has no prefix: `2018-` is no `NN-` context number.
  if (startsDatedRecord(text)) return { text };
  const strict = grepPrefix(text);
  if (strict) return { text: text.slice(strict.length), prefix: strict, beforeRecord: true };
  const g = knownGrepPrefix(text, grep.paths, grep.numbered);
  return g ? { text: text.slice(g.length), prefix: g } : { text };
}

function mostCommon(values: readonly string[]): [string, number] {
  const counts = new Map<string, number>();
  let best = '';
  let n = 0;
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > n) {
      best = v;
      n = c;
    }
  }
  return [best, n];
}

function commonPrefix(values: readonly string[]): string {
  if (values.length === 0) return '';
  let p = values[0];
  for (const v of values) while (!v.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/**
 * What a file's first lines say about how it was pasted; undefined for an
 * ordinary log (its first record line dated, at column 0, nothing to undo).
 */
export function sniffPaste(sample: readonly string[]): PasteProfile | undefined {
  const qp = isQuotedPrintable(sample);
  let lines = qp ? unQuotedPrintable(sample) : [...sample];
  let nonBlank = lines.filter((l) => l.trim().length > 0);
  if (nonBlank.length === 0) return undefined;
  const rich = nonBlank.some((l) => RICH.test(l));
  if (rich) {
    lines = lines.map(normaliseRich);
    nonBlank = lines.filter((l) => l.trim().length > 0);
  }
  const padded = nonBlank.length >= 2 && nonBlank.filter((l) => PADDED.test(l)).length * 5 >= nonBlank.length * 4;
  if (padded) {
    lines = lines.map((l) => l.trimEnd());
    nonBlank = lines.filter((l) => l.trim().length > 0);
  }
  const doubled = isDoubleSpaced(lines);
  if (doubled) {
    lines = undouble(lines);
    nonBlank = lines.filter((l) => l.trim().length > 0);
  }
  // A pane's borders: on at least half the lines, at one end or the other.
  const panes = nonBlank.filter((l) => PANE_START.test(l) || PANE_END.test(l)).length * 2 >= nonBlank.length;
  if (panes) {
    lines = lines.map(unpane);
    nonBlank = lines.filter((l) => l.trim().length > 0);
  }
  const quoted = nonBlank.filter((l) => QUOTE_MARKS.test(l));
  // A code fence around the quoted lines (a Markdown quote inside a fenced block) is not a line of the text.
  const textLines = nonBlank.filter(isText);
  let quote: PasteProfile['quote'];
  // Quoted: half of the text, or a quote of the log amid a ticket's prose (a quoted line that is a record once unquoted).
  const quotesLog = quoted.some((l) => {
    const t = l.slice(QUOTE_MARKS.exec(l)![0].length).trimStart();
    return startsRecord(t) || isTracebackLine(t);
  });
  if (quoted.length > 0 && (quoted.length * 2 >= textLines.length || quotesLog)) {
    // `> ` when (nearly) every quoted line has its space: a wrapped line's own indent must not be taken for it.
    const spaced = quoted.filter((l) => l.slice(QUOTE_MARKS.exec(l)![0].length).startsWith(' ')).length;
    quote = spaced * 5 >= quoted.length * 4 ? '> ' : '>';
    const style = quote;
    lines = lines.map((l) => unquote(l, style));
  } else if (commentedOut(textLines)) {
    // Output commented out, no line a root prompt's command: what a script or a README shows as comments.
    quote = '# ';
    lines = lines.map((l) => unquote(l, '# '));
  }
  nonBlank = lines.filter((l) => l.trim().length > 0);

  // The indentation the dated record lines share (a wrapped header's rest can look like an undated
  // record, one indent deeper); with no record line, what all lines share.
  const dated = (t: string): boolean => startsDatedRecord(t) || grepPrefix(t) !== undefined;
  const isRecordish = (t: string): boolean => startsRecord(t) || grepPrefix(t) !== undefined;
  const datedIndents = nonBlank.filter((l) => dated(l.trimStart())).map(leading);
  const recordIndents = datedIndents.length > 0 ? datedIndents : nonBlank.filter((l) => isRecordish(l.trimStart())).map(leading);
  let indent = '';
  if (recordIndents.length > 0) {
    const [ws, n] = mostCommon(recordIndents);
    if (ws && n * 5 >= recordIndents.length * 3) indent = ws;
  } else {
    indent = commonPrefix(nonBlank.map(leading));
  }
  if (indent) lines = lines.map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
  const emphasis = lines.some((l) => unemphasise(l) !== undefined);
  if (emphasis) lines = lines.map((l) => unemphasise(l) ?? l);
  // Taken off each record once joined (PasteReader.flush): a terminal's cut may fall between `\\` and `]`.
  const mdEscaped = lines.some(markdownEscaped);
  nonBlank = lines.filter((l) => l.trim().length > 0);

  // What is undone before the lines are looked at as a log's, whatever they turn out to be.
  const undone: PasteProfile = {
    ...(qp ? { qp } : {}),
    rich,
    ...(padded ? { padded } : {}),
    ...(doubled ? { doubled } : {}),
    ...(panes ? { panes } : {}),
    quote,
    indent,
  };
  // An aggregator's export: its rows are the records, nothing else of a paste applies inside them.
  const exported = sniffExport(lines);
  if (exported) return { ...undone, export: exported };

  const paths = new Set<string>();
  let numbered = 0;
  for (const l of nonBlank) {
    if (startsRecord(l)) continue;
    const g = grepPrefix(l);
    if (!g) continue;
    if (g.path) paths.add(g.path);
    else numbered++;
  }
  const grep = paths.size > 0 || numbered > 0 ? { paths: [...paths], numbered: numbered > 0 } : undefined;
  const wrap = sniffWrap(lines, grep, mdEscaped);

  // The paste's furniture; a line inside a record's continuation (an XML dump naming a console.log) is not.
  let markup = false;
  let afterBreak = true;
  for (const l of lines) {
    const t = l.trim();
    if (t.length === 0) {
      afterBreak = true;
      continue;
    }
    if (MARKUP_LINE.test(t) || promptOf(t) !== undefined || headerOf(l, afterBreak) !== undefined) markup = true;
    afterBreak = false;
  }
  const glued = nonBlank.some((l) => gluedRecordStarts(l).length > 0);
  const firstDated = nonBlank.findIndex((l) => startsDatedRecord(l));
  const datedLines = nonBlank.filter((l) => startsDatedRecord(l)).length;
  // A log that opens mid-record (sos's tailed copies) is still ordinary when most of it is dated records, unless
  // what comes before its first dated line is a record that lost its time in the copy (`WARNING nova… […] …`):
  // only paste mode reads that one.
  // So is a dashboard's error banner pasted above the log, which only paste mode reads (not any message of nova's: a log
  // that opens inside a remote traceback opens on its exception's line).
  const undatedFirst = nonBlank
    .slice(0, Math.max(firstDated, 0))
    .some((l) => startsUndatedRecord(l) || (DASHBOARD.test(l) && pastedMessage(l) !== undefined));
  const ordinary =
    !qp &&
    !doubled &&
    !padded &&
    !rich &&
    !panes &&
    !quote &&
    !indent &&
    !emphasis &&
    !mdEscaped &&
    !grep &&
    !wrap &&
    !markup &&
    !glued &&
    (firstDated === 0 || (datedLines * 2 >= nonBlank.length && !undatedFirst));
  if (ordinary) return undefined;
  return {
    ...undone,
    wrap,
    grep,
    ...(emphasis ? { emphasis } : {}),
    ...(mdEscaped ? { mdEscaped } : {}),
    ...(glued ? { glued } : {}),
  };
}

/**
 * Every line a comment; or, amid a ticket's prose, comments one of which is a log's line, a nova message or a
 * fault once uncommented. Never when a commented line is a root prompt's command (`# virsh list`).
 */
function commentedOut(textLines: readonly string[]): boolean {
  const commented = textLines.filter((l) => COMMENT.test(l));
  if (commented.length === 0 || commented.some((l) => promptOf(l.trimStart()) !== undefined)) return false;
  if (commented.length === textLines.length) return true;
  return commented.some((l) => {
    const t = unquote(l, '# ').trimStart();
    return startsRecord(t) || isTracebackLine(t) || startsMessage(t) || FAULT_DICT.test(t);
  });
}

/** A server's fault as a dict (`{"message": …`, python 2's `{u'message': …`). */
const FAULT_DICT = /^\{\s*u?["'](?:message|code)["']\s*:/;

/**
 * A blank line after every line of text, and the spacing parts a record from its continuation (a traceback's
 * line, a wrapped rest): no two lines of text meet. Single records with blank lines between them are not: nothing
 * would change.
 */
function isDoubleSpaced(lines: readonly string[]): boolean {
  const blank = (l: string): boolean => l.trim().length === 0;
  let text = 0;
  let parted = false;
  let before: string | undefined;
  const texts: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (blank(lines[i])) continue;
    if (i > 0 && !blank(lines[i - 1])) return false;
    text++;
    const t = lines[i].trimStart();
    if (
      before !== undefined &&
      !startsRecord(t) &&
      (startsRecord(before) || startsMessage(before) || isTracebackLine(before) || isTracebackLine(t))
    )
      parted = true;
    // A CLI table's rows and rules, each on a line of its own.
    if (before !== undefined && TABLE_LINE.test(before) && TABLE_LINE.test(t)) parted = true;
    before = t;
    if (texts.length < 20) texts.push(t);
  }
  // A message wrapped over lines, a blank after each (`"Migration error: Your libvirt version does not support the` …):
  // its lines joined read as one of nova's messages, the first alone does not.
  if (
    !parted &&
    texts.length >= 2 &&
    texts.every((t) => !startsRecord(t) && promptOf(t) === undefined) &&
    !startsMessage(texts[0]) &&
    startsMessage(texts.join(' '))
  )
    parted = true;
  return text >= 2 && parted;
}

const TABLE_LINE = /^(?:\+-|\|)/;

/** A double-spaced text's lines without the spacing: one blank line dropped, a longer run kept as one. */
function undouble(lines: readonly string[]): string[] {
  const out: string[] = [];
  let blanks = 0;
  for (const l of lines) {
    if (l.trim().length === 0) {
      blanks++;
      continue;
    }
    if (blanks >= 2) out.push('');
    blanks = 0;
    out.push(l);
  }
  return out;
}

/**
 * A text's first lines as the paste reader gives them back (joined where a wrap cut them, their marks taken off),
 * one per line; undefined when they sniff as an ordinary log. What decides that a loose file is read at all looks at
 * these too: a dashboard's banner cut by a terminal reads as one only once joined.
 */
export function unpastedHead(head: string): string | undefined {
  const lines = head.split('\n').slice(0, PASTE_SNIFF_LINES);
  const profile = sniffPaste(lines);
  if (!profile) return undefined;
  const out: string[] = [];
  const reader = new PasteReader(profile, (l) => {
    if (!l.markup) out.push(l.text);
  });
  for (let i = 0; i < lines.length; i++) reader.push(lines[i], i + 1);
  reader.end();
  return out.join('\n');
}

/** RFC 2045's limit: an encoded line is at most 76 characters, its soft break's `=` included. */
const QP_LINE = 76;

/**
 * A mail body in quoted-printable: no line longer than 76 characters, and
 * every `=` either a soft break at a line's end or an escape (`=3D`, `=20`,
 * `=C3=A9`): a bare `=` (`x=y`, a URL's query, base64's `==`) is never left
 * by an encoder. Two soft breaks, or an escape only an encoder writes (an
 * encoded `=`, white space at a line's end, a UTF-8 sequence): a log's line
 * may end in one `=` (base64), never in `=20`.
 */
function isQuotedPrintable(lines: readonly string[]): boolean {
  let soft = 0;
  let escapes = 0;
  for (const raw of lines) {
    const l = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (l.length > QP_LINE) return false;
    for (let i = l.indexOf('='); i !== -1; i = l.indexOf('=', i + 1)) {
      if (i === l.length - 1) {
        soft++;
        continue;
      }
      const hex = l.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return false;
      if (
        hex === '3D' ||
        ((hex === '20' || hex === '09') && i + 3 === l.length) ||
        /^[C-F][0-9A-F]=[89AB][0-9A-F]/.test(l.slice(i + 1, i + 6))
      )
        escapes++;
    }
  }
  return soft >= 2 || escapes >= 1;
}

/** One decoded line from the physical lines a soft break joined (each but the last ending in `=`). */
function decodeQpLine(parts: readonly string[]): string {
  // libqp reads a string as bytes: what was decoded to UTF-8 already goes back to its bytes first.
  return decodeQuotedPrintable(Buffer.from(parts.join('\n'), 'utf8')).toString('utf8');
}

function unQuotedPrintable(lines: readonly string[]): string[] {
  const out: string[] = [];
  let held: string[] = [];
  for (const raw of lines) {
    const l = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    held.push(l);
    if (l.endsWith('=')) continue;
    out.push(decodeQpLine(held));
    held = [];
  }
  if (held.length > 0) out.push(decodeQpLine(held));
  return out;
}

/**
 * A terminal cuts at its exact width: several lines of one same, longest,
 * length are each followed by a line that starts no record. A mail or ticket
 * wraps at words: a record line is followed by lines that start none, each
 * because its first word would not have fit on the line before.
 */
function sniffWrap(lines: readonly string[], grep: PasteProfile['grep'], mdEscaped = false): PasteProfile['wrap'] {
  const continues = (l: string | undefined): boolean => {
    if (l === undefined || l.trim().length === 0) return false;
    const t = peelGrep(l, grep).text;
    return !startsRecord(t) && !isTracebackLine(t) && !MARKUP_LINE.test(l.trim()) && !promptOf(l.trim());
  };
  // Every cut a terminal makes is at its width: the one length the lines it cut share. (Other blocks of a
  // ticket, not wrapped, can be longer.) A word-wrap's lines only sometimes reach its width.
  const cutAt: number[] = [];
  const contIndents: string[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (lines[i].trim().length === 0 || !continues(lines[i + 1]) || tableRowsMeet(lines[i], lines[i + 1])) continue;
    // A traceback's `File …` line and the indented source line under it: Python's layout, not a cut.
    if (isTracebackLine(peelGrep(lines[i], grep).text) && /^\s/.test(peelGrep(lines[i + 1], grep).text)) continue;
    cutAt.push(i);
    contIndents.push(leading(lines[i + 1]));
  }
  const [mode, atMax] = mostCommon(cutAt.map((i) => String(lines[i].length)));
  const max = Number(mode);
  // A short line before one that starts no record is no cut of any kind (a ticket's prose, a heading): the
  // lines a wrap cut are near its width.
  const cuts = cutAt.filter((i) => lines[i].length * 4 >= max * 3).length;
  let recordAtMax = 0;
  // A word-wrap can reach its width on lines of the same length (a repeated message): a terminal's cut shows
  // itself where it splits a word, an id or a space off the line, or by many different lines all cut at one
  // length, which a word-wrap does not do.
  let splits = 0;
  /** Of them, the cuts inside a word or an id (not at a space, which a wrap inside a run of spaces also leaves). */
  let tokenSplits = 0;
  const endings = new Set<string>();
  if (atMax >= 1) {
    const words = new Set<string>();
    for (const l of lines) for (const w of l.split(/[\s"'(),=[\]]+/)) if (w.length >= 4) words.add(w);
    for (const i of cutAt) {
      if (lines[i].length !== max) continue;
      if (startsRecord(peelGrep(lines[i], grep).text)) recordAtMax++;
      endings.add(lines[i].slice(-8));
      const split = cutSplitsToken(lines[i], lines[i + 1], words, mdEscaped);
      if (split) splits++;
      if (split === 'token') tokenSplits++;
    }
  }
  // A terminal never indents what it wraps: lines that (nearly) all share an indent were word-wrapped. Some
  // share a space only where a fixed-width header puts one at the cut.
  const [ci, ciCount] = mostCommon(contIndents);
  const indented = ci !== '' && ciCount * 5 >= contIndents.length * 4;
  // Once is enough in a short paste when the line cut is a record's.
  // A paste's blank lines and code fences do not make it longer.
  const textLines = lines.filter(isText).length;
  // Most cuts at one width; or many that split a word, an id or a space off (no word-wrap does that once), whatever
  // other breaks the paste has (a JSON document's own lines, a traceback's).
  const uniform = atMax * 5 >= cuts * 4 || (tokenSplits >= 3 && tokenSplits * 2 >= atMax) || (tokenSplits > 0 && tokenSplits === atMax);
  // Once is enough in a short paste when the line cut is a record's, or the cut split a word or an id.
  const once = (recordAtMax === 1 || tokenSplits === 1) && textLines <= 12;
  const terminal = !indented && (splits > 0 || endings.size >= 3) && uniform && (atMax >= 2 || once);
  // Lines of one fixed-width header (a journal's, a syslog's) cut by a terminal right after it: each cut lands on the
  // same column, the rest of the line (a traceback's indented code) below it. No word-wrap leaves a record's header
  // alone on several lines of exactly one length, whatever the indent under them.
  const headerCuts = cutAt.filter((i) => lines[i].length === max && headerState(lines[i], grep) !== undefined).length;
  const headersCut = headerCuts >= 2 && atMax === cuts;
  if (max >= 60 && (terminal || headersCut)) return { kind: 'terminal', width: max };

  let width = 0;
  for (const l of lines) if (l.trimEnd().includes(' ', leading(l).length) && l.length > width) width = l.length;
  if (width === 0 || width > 160) return undefined;
  let forced = 0;
  let unforced = 0;
  let inRecord = false;
  const indents: string[] = [];
  // The record's text so far: a break right after its header (its host, time, logger or context) is a cut
  // the reader joins whatever the width, which a hand-wrap makes where it likes.
  let record = '';
  for (let i = 0; i + 1 < lines.length; i++) {
    const peeled = peelGrep(lines[i], grep);
    // A message alone (a fault, a line from a commit message) is a record a hand-wrap cuts too.
    if (
      startsRecord(peeled.text) ||
      peeled.beforeRecord ||
      isTracebackLine(peeled.text) ||
      startsMessage(peeled.text) ||
      (!inRecord && messageParagraph(lines, i))
    ) {
      inRecord = true;
      record = peeled.text.trimEnd();
    } else if (lines[i].trim().length === 0) inRecord = false;
    else if (record.length < 400) record += ` ${lines[i].trim()}`;
    if (!inRecord || !continues(lines[i + 1])) continue;
    if (headerState(record, undefined) !== undefined) continue;
    if (lines[i].length + 1 + firstWordLength(lines[i + 1]) > width) {
      forced++;
      indents.push(leading(lines[i + 1]));
    } else {
      unforced++;
      inRecord = false;
    }
  }
  // One forced break is enough where none contradicts it (a short paste with one long record).
  if (forced === 0 || forced <= unforced || (forced === 1 && unforced > 0)) return undefined;
  const [ws, n] = mostCommon(indents);
  return ws && n * 5 >= indents.length * 3 ? { kind: 'word', width, contIndent: ws } : { kind: 'word', width };
}

/**
 * Does the paragraph from line `at` on (to a blank line) read, joined, as one of nova's messages, though its first line
 * alone does not (`Filtering removed all hosts for the request with instance ID` / `'03d2c6e7-…'. Filter results: …`)?
 */
function messageParagraph(lines: readonly string[], at: number): boolean {
  // A paragraph opens after a blank line or a code fence, and goes on to the next.
  if ((at > 0 && isText(lines[at - 1])) || !isText(lines[at])) return false;
  let text = lines[at].trim();
  for (let i = at + 1; i < lines.length && i <= at + 20 && text.length < 2000 && isText(lines[i]); i++) text += ` ${lines[i].trim()}`;
  return text !== lines[at].trim() && startsMessage(text);
}

/** A line cut where glued records begin (`gluedRecordStarts`): each record's text. */
function gluedPieces(line: string, starts: readonly number[]): string[] {
  return [0, ...starts].map((at, i) => line.slice(at, i < starts.length ? starts[i] : line.length));
}

/**
 * Has the message of the record `text` opens begun (its header, then text)? A word-wrap that broke inside a
 * traceback line's own indent (`… TRACE nova.compute.manager` / `    return f(*args)`) left that indent on the next
 * line, and it is the line's; once words have begun, a further line's indent is the hand-wrap's.
 */
function messageBegun(text: string): boolean {
  const h = parseOsloLine(text) ?? parseBareOsloLine(text);
  return !!h && /^\S/.test(h.message) && !isTracebackLine(h.message);
}

/** A traceback's frame line to its end: the function's name closes it. */
const COMPLETE_FRAME = /^\s*File "[^"]*", line \d+, in [\w<>.]+\s*$/;

/** A line of the paste's text: not blank, not a code fence or a separator. */
function isText(l: string): boolean {
  const t = l.trim();
  return t.length > 0 && !MARKUP_LINE.test(t);
}

/** The start of a record's header at a line's end, after a space: its date, and maybe its time, pid, level, logger. */
const GLUED_HEADER_CUT = / \d{4}-\d\d-\d\d(?: \d\d:\d\d:\d\d[.,]\d+(?: \d+(?: [A-Z]+(?: [A-Za-z_][\w.]*)?)?)?)?$/;
/** A whole oslo header glued after a space (parsers/paste/shapes.ts SPACE_JOINED_RECORDS), up to its context's bracket or the line's end. */
const GLUED_HEADER =
  /^ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d[.,]\d+ \d+ (?:TRACE|DEBUG|INFO|AUDIT|WARNING|ERROR|CRITICAL) [A-Za-z_][\w.]*(?: \[|$)/;

/** A line that is one of nova's messages on its own (parsers/paste/messages.ts): `Instance failed to spawn: libvirtError: …`. */
function startsMessage(text: string): boolean {
  return pastedMessage(text) !== undefined;
}

const HEX_ID = /^[0-9a-f]{32}$/;
const UUID_ACROSS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * Does the cut between `a` and `b` split something a word-wrap never would: a
 * space kept at the edge, a uuid, or a word whole elsewhere in the paste?
 */
function cutSplitsToken(a: string, b: string, words: ReadonlySet<string>, mdEscaped = false): 'space' | 'token' | false {
  if (a.endsWith(' ') || b.startsWith(' ')) return 'space';
  // A stop or a comma that begins a line right after a word: no space was there to break at. (Not an ellipsis: a
  // paste's `...` stands for lines left out.)
  if (/[A-Za-z0-9]$/.test(a) && /^[.,;:!?)\]}](?![.])/.test(b)) return 'token';
  // A Markdown escape cut from what it escapes (`…e89\` / `] Live …`): a shell's continuation has a space before its `\`.
  if (mdEscaped && /[^\s\\]\\$/.test(a) && /^[\][_*`]/.test(b)) return 'token';
  const left = /[^\s"'(),=[\]]*$/.exec(a)![0];
  const right = /^[^\s"'(),=[\]]*/.exec(b)![0];
  if (!left || !right) return false;
  const joined = left + right;
  for (const m of joined.matchAll(UUID_ACROSS)) if (m.index! < left.length && m.index! + m[0].length > left.length) return 'token';
  // Keystone's user and project ids in a request context: 32 hex digits a word-wrap never splits.
  if (HEX_ID.test(joined) && left.length < 32) return 'token';
  return words.has(joined) || splitsAWord(left, right) ? 'token' : false;
}

const TAIL_HEADER = /^==> (.+) <==$/;
const NAME_ONLY =
  /^(?:#{1,6}\s*|\*\*|__|`)?(?<name>[\w./@~-]*?(?:\.log(?:[.-][\w.-]*)?|\.txt|\.service|\/messages|\/syslog))(?:\*\*|__|`)?\s*[:：]?\s*$/;
const LOG_MENTION = /[\w./@-]*?[\w-]+\.log\b(?:[.-]\d[\w.-]*)?|[\w@.-]+\.service\b/g;

/**
 * A line that names the file the lines below come from: `==> f <==`, a name
 * alone, or (`afterBreak`: not inside a record's continuation) a short sentence
 * naming one log.
 */
export function headerOf(line: string, afterBreak = true): string | undefined {
  const t = line.trim();
  const tail = TAIL_HEADER.exec(t);
  if (tail) return tail[1];
  const only = NAME_ONLY.exec(t);
  if (only) return only.groups!.name;
  if (!afterBreak || t.length > 120 || startsRecord(t) || isTracebackLine(line)) return undefined;
  const names = new Set(t.match(LOG_MENTION) ?? []);
  // A sentence naming a log, not a line that starts with one (grep's `path:…`).
  if (names.size !== 1) return undefined;
  const name = [...names][0];
  return t.startsWith(name) ? undefined : name;
}

/** What the coverage says was undone. */
export function describePaste(p: PasteProfile, seen: ReadonlySet<string>): string[] {
  const out: string[] = [];
  if (p.qp && seen.has('quoted-printable')) out.push('quoted-printable');
  if (p.export) {
    const t = p.export;
    const cols = [t.text, t.time, t.host, t.file].filter(Boolean).join(', ');
    out.push(`${t.kind === 'csv' ? 'CSV export' : 'JSON documents export'}: ${cols}`);
    if (seen.has('newest first')) out.push('rows newest first (sort oldest first to keep a record split over rows whole)');
  }
  if (p.rich) out.push('rich-text spaces and quotes');
  if (p.padded) out.push('padding spaces');
  if (p.doubled) out.push('double-spaced');
  if (p.panes) out.push('pane borders');
  if (p.quote) out.push(p.quote === '# ' ? '# comments' : '> quoting');
  if (p.indent) out.push(p.indent.startsWith('\t') ? 'tab indent' : `${p.indent.length}-space indent`);
  if (p.mdEscaped) out.push('Markdown backslash escapes');
  if (p.emphasis) out.push('Markdown emphasis marks');
  else if (seen.has('block indent')) out.push('indented blocks');
  if (p.wrap && seen.has('joined'))
    out.push(`${p.wrap.kind === 'terminal' ? 'terminal-wrapped' : 'word-wrapped'} at ${p.wrap.width} columns`);
  if (seen.has('glued')) out.push('records glued onto one line split apart');
  if (seen.has('grep')) out.push('grep prefixes');
  if (seen.has('prompt')) out.push('shell prompts');
  if (seen.has('header')) out.push('file headers');
  return out;
}

/**
 * Where a record's header was cut, when it was: after a syslog header's host
 * (`host`), after an oslo date, time or pid, before the level (`time`), or after the
 * logger, before any message (`logger`). What the wrap put on the next line
 * continues it even where that looks like a record or a traceback of its own
 * (`INFO nova.service [-] …`, `Traceback (most recent call last):`).
 */
const CUT_AFTER_HOST = /^[^\s\d]{1,9}\.? {1,2}\d{1,2} \d\d:\d\d:\d\d(?:\.\d{1,9})? \S+$/;
const CUT_AFTER_TIME = /^\d{4}-\d\d-\d\d(?:[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?(?: +\d+)?)?$/;
/** A journal's or syslog's `Mon DD HH:MM:SS[.ffffff] host tag[pid]: ` before the oslo header, then oslo's date and pid. */
const HEAD_BEFORE_LEVEL = String.raw`^(?:[^\s\d]{1,9}\.? {1,2}\d{1,2} \d\d:\d\d:\d\d(?:\.\d{1,9})? \S+ [^\s\[\]]+(?:\[\d+\])?: )?(?:\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?(?: +\d+)? +)?(?:TRACE|DEBUG|INFO|AUDIT|WARNING|ERROR|CRITICAL) +[\w.]+`;
const CUT_AFTER_LOGGER = new RegExp(`${HEAD_BEFORE_LEVEL}$`);
/** The header whole, its context bracket last: a hand-wrap put the message on the next line (openstack/nova commit ad4ef5af). */
const CUT_AFTER_CONTEXT = new RegExp(`${HEAD_BEFORE_LEVEL} \\[[^\\]]*\\]$`);

function headerState(text: string, grep: PasteProfile['grep']): 'host' | 'time' | 'logger' | 'context' | undefined {
  // Asked at every line a record's text grows by: a long one is past its header (and is not copied to be sure).
  if (text.length > 1000) return undefined;
  const t = peelGrep(text, grep).text.trimEnd();
  if (t.length > 400) return undefined;
  if (CUT_AFTER_HOST.test(t)) return 'host';
  if (CUT_AFTER_TIME.test(t)) return 'time';
  if (t.length > 120 && !t.endsWith(']')) return undefined;
  if (CUT_AFTER_LOGGER.test(t)) return 'logger';
  return CUT_AFTER_CONTEXT.test(t) ? 'context' : undefined;
}

interface Pending {
  text: string;
  first: number;
  last: number;
  /** The last physical line, as the wrap saw it. */
  tail: string;
  /** What the paste's quote marks and indent took off that line. */
  tailMarks?: number;
  record: boolean;
  /** Its first line opens a log record (its header), not a traceback's line or a message alone. */
  head?: boolean;
  /** Its message had begun when the first further line came (`messageBegun`): asked once, the text grows. */
  begun?: boolean;
  /** The grep prefix of its first line: a wrap only appends, so it is the whole text's. */
  prefix?: GrepPrefix;
  /** A record glued after another on its physical line (GLUED_RECORD): that line is counted once. */
  glued?: boolean;
  /** A paragraph joined on trial (a message alone the wrap cut before what names it): its lines, to give back if it is none. */
  parts?: { text: string; first: number; last: number }[];
}

/**
 * Physical lines in, logical lines out (streaming: holds one logical line,
 * capped at `maxChars`). `seen` collects what was actually undone.
 */
export class PasteReader {
  readonly seen = new Set<string>();
  private pending: Pending | undefined;
  private block: SourceHint = {};
  /** The last line was a blank or the paste's furniture, not a record's text. */
  private afterBreak = true;
  /** A block of its own indentation (one of several code blocks in a ticket): what its lines share. */
  private blockIndent = '';
  private lastWasBlank = true;
  private readonly exported: ExportReader | undefined;
  private exportHeader: { text: string; lineNo: number } | undefined;
  private readonly lastExportTs = new Map<string, string>();
  /** Rows later and earlier than the one before them (of the same source). */
  private readonly exportOrder: [number, number] = [0, 0];
  /** Quoted-printable lines held at soft breaks, from line `qpFirst` on. */
  private qpHeld: string[] = [];
  private qpFirst = 0;
  /** Blank lines in a row so far in a double-spaced paste (PasteProfile.doubled). */
  private blanks = 0;
  /** How much the paste's quote marks and indent took off the physical line being read (see `reachedWidth`). */
  private marksTaken = 0;

  constructor(
    private readonly profile: PasteProfile,
    private readonly sink: (l: LogicalLine) => void,
    private readonly maxChars = 1 << 20,
  ) {
    this.exported = profile.export ? new ExportReader(profile.export, maxChars) : undefined;
  }

  push(raw: string, lineNo: number): void {
    // An encoder's escape can first show after the lines sniffed (short lines need no soft break): from then on it is undone.
    if (!this.profile.qp && raw.indexOf('=') !== -1 && isQuotedPrintable([raw])) this.profile.qp = true;
    if (!this.profile.qp) {
      this.take(raw, lineNo, lineNo);
      return;
    }
    // Quoted-printable: a soft break's line waits for the rest; the whole is decoded, then read as one line.
    const l = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.qpHeld.length === 0) this.qpFirst = lineNo;
    if (this.qpHeld.length < 4096) this.qpHeld.push(l);
    if (l.endsWith('=')) return;
    this.takeQp(lineNo);
  }

  private takeQp(last: number): void {
    const text = decodeQpLine(this.qpHeld);
    this.qpHeld = [];
    if (last > this.qpFirst) this.seen.add('quoted-printable');
    this.take(text, this.qpFirst, last);
  }

  /** A physical line, or (quoted-printable) the lines a soft break joined, `first` to `last`. */
  private take(raw: string, lineNo: number, last: number): void {
    const p = this.profile;
    let line = raw;
    // A rich-text editor's marks can first show after the lines sniffed: from then on they are undone.
    if (!p.rich && RICH.test(line)) p.rich = true;
    if (p.rich) line = normaliseRich(line);
    if (p.padded) line = line.trimEnd();
    if (p.doubled) {
      // The blank line after a line is spacing: counted with the record before it. A second one is a break.
      if (line.trim().length === 0 && this.blanks++ === 0 && this.pending) {
        this.pending.last = last;
        return;
      }
      if (line.trim().length > 0) this.blanks = 0;
    }
    if (p.panes) line = unpane(line);
    const marked = line.length;
    if (p.quote) line = unquote(line, p.quote);
    if (p.indent && line.startsWith(p.indent)) line = line.slice(p.indent.length);
    this.marksTaken = marked - line.length;
    if (p.emphasis) line = unemphasise(line) ?? line;
    if (this.exported) {
      this.pushExported(this.exported.push(line, lineNo), line, lineNo);
      return;
    }
    // Records a lost newline glued onto one line are read as the lines they were.
    const glued = gluedRecordStarts(line);
    if (glued.length > 0) {
      this.seen.add('glued');
      for (const [i, piece] of gluedPieces(line, glued).entries()) this.takeText(piece, lineNo, last, i > 0);
      // A terminal cut the physical line, not its last record: the next line goes on with that record if the line
      // reached the width.
      if (this.pending && this.pending.first === lineNo) this.pending.tail = line;
      return;
    }
    this.takeText(line, lineNo, last);
  }

  /** One line of text, the paste's marks taken off. */
  private takeText(text: string, lineNo: number, last: number, glued = false): void {
    const p = this.profile;
    let line = text;
    if (line.trim().length === 0) {
      this.flush();
      this.afterBreak = true;
      this.lastWasBlank = true;
      this.sink({ text: '', first: lineNo, last, markup: 'blank', source: this.block });
      return;
    }
    line = this.unindentBlock(line);
    // A code fence opens a block as a blank line does (its lines may share an indent of their own).
    this.lastWasBlank = MARKUP_LINE.test(line.trim()) && line.trim() !== '--';
    const peeled = peelGrep(line, p.grep);
    const t = peeled.text;
    // grep's prefix is only taken where a record follows (its date, when a wrap cut the rest).
    const record = startsRecord(t) || peeled.beforeRecord === true;
    const traceback = !record && isTracebackLine(t);
    const pend = this.pending;
    if (pend && !MARKUP_LINE.test(line.trim()) && this.joins(pend, line, t, record, traceback) && !promptOf(line.trim())) {
      // A terminal cut at its width, mid-word: the rest follows as it is. A word-wrap took the space it
      // broke at, and put its continuation indent before the rest.
      const ci = p.wrap?.contIndent;
      const rest = ci
        ? line.startsWith(ci)
          ? line.slice(ci.length)
          : line.trimStart()
        : p.wrap?.kind === 'word' && !(pend.head && (pend.begun ??= messageBegun(peelGrep(pend.text, p.grep).text)))
          ? line
          : // A record's wrapped message: the indent a hand-wrap put before each further line is no part of it.
            line.trimStart();
      const cut = p.wrap?.kind === 'terminal' && this.reachedWidth(pend, p.wrap.width);
      const add = cut ? line : ` ${rest}`;
      if (pend.text.length + add.length <= this.maxChars) pend.text += add;
      pend.parts?.push({ text: line, first: lineNo, last });
      pend.last = last;
      pend.tail = line;
      pend.tailMarks = this.marksTaken;
      this.seen.add('joined');
      return;
    }
    this.flush();
    // A message alone is a record a word-wrap may have cut (only then is it worth asking).
    const message = !record && !traceback && p.wrap?.kind === 'word' && startsMessage(t);
    // A paragraph's first line may be a message whose class or id the wrap pushed further down: joined on trial, kept
    // whole only if the whole is a message (flush).
    const trial = !record && !traceback && !message && p.wrap?.kind === 'word' && this.afterBreak && !promptOf(line.trim());
    this.pending = {
      text: line,
      first: lineNo,
      last,
      tail: line,
      tailMarks: this.marksTaken,
      record: record || traceback || message || trial,
      ...(record ? { head: true } : {}),
      ...(trial ? { parts: [{ text: line, first: lineNo, last }] } : {}),
      prefix: peeled.prefix,
      ...(glued ? { glued } : {}),
    };
  }

  end(): void {
    if (this.qpHeld.length > 0) this.takeQp(this.qpFirst + this.qpHeld.length - 1);
    const open = this.exported?.end();
    if (open) this.emitRecord(open, open.first);
    const header = this.exportHeader;
    if (header) this.sink({ text: header.text, first: header.lineNo, last: header.lineNo, markup: 'header', source: {} });
    if (this.exportOrder[1] > this.exportOrder[0]) this.seen.add('newest first');
    this.flush();
  }

  private pushExported(r: ReturnType<ExportReader['push']>, line: string, lineNo: number): void {
    if (r === undefined) return;
    if (r === 'skip') {
      // The header row is counted with the first row's source (a part of its own would be empty).
      this.exportHeader = { text: line.trim(), lineNo };
    } else if (r === 'foreign') this.sink({ text: '', first: lineNo, last: lineNo, markup: 'blank', source: {} });
    else this.emitRecord(r, lineNo);
  }

  /** One export row: its message's first line is the record (dated by the export), the rest its continuation. */
  private emitRecord(r: NonNullable<ReturnType<ExportReader['end']>>, last: number): void {
    this.seen.add('export');
    // Kibana, OpenSearch and Grafana list the newest first by default: a record split over rows is then read
    // backwards, which the coverage says.
    const source: SourceHint = r.record.file || r.record.host ? { name: r.record.file, host: r.record.host } : {};
    const ts = r.record.ts;
    if (ts) {
      // Per source: two files one after the other go back in time once; workers' lines a millisecond apart, rarely.
      const key = `${source.host ?? ''}\u0000${source.name ?? ''}`;
      const before = this.lastExportTs.get(key);
      if (before !== undefined && ts !== before) this.exportOrder[ts < before ? 1 : 0]++;
      this.lastExportTs.set(key, ts);
    }
    const header = this.exportHeader;
    if (header) {
      this.exportHeader = undefined;
      this.sink({ text: header.text, first: header.lineNo, last: header.lineNo, markup: 'header', source });
    }
    const [head, ...rest] = r.record.text.split('\n');
    this.sink({ text: head, first: r.first, last, source, ...(r.record.ts ? { ts: r.record.ts } : {}) });
    for (const l of rest) if (l.trim().length > 0) this.sink({ text: l.replace(/\r$/, ''), first: last, last, source, inner: true });
  }

  /**
   * A block that starts, after a blank line or a code fence, with an indented record, or an indented line that is one
   * of nova's messages (`RescheduledException: Build of instance … was re-scheduled:`), keeps that indentation to its
   * end (a ticket mixing prose and indented code blocks; a fenced excerpt whose lines the author indented).
   */
  private unindentBlock(line: string): string {
    if (this.blockIndent) {
      if (line.startsWith(this.blockIndent)) {
        // Marks taken off too: a terminal's cut of this line filled the width with them (`reachedWidth`).
        this.marksTaken += this.blockIndent.length;
        return line.slice(this.blockIndent.length);
      }
      this.blockIndent = '';
    }
    if (!this.lastWasBlank) return line;
    const ws = leading(line);
    const rest = ws ? peelGrep(line.slice(ws.length), this.profile.grep).text : '';
    if (ws && (startsRecord(rest) || startsMessage(rest))) {
      this.blockIndent = ws;
      this.seen.add('block indent');
      this.marksTaken += ws.length;
      return line.slice(ws.length);
    }
    return line;
  }

  /**
   * Is `line` the rest of the pending one? A record's header cut short is
   * continued whatever follows (the wrap may push a level, a logger or a
   * `Traceback (most recent call last):` down); otherwise a line that starts
   * no record and no traceback continues one the wrap filled.
   */
  private joins(pend: Pending, line: string, text: string, record: boolean, traceback: boolean): boolean {
    // A wrap inside the header of a record glued onto the line (`… total=3226542080) 2018-12-17` / `13:47:29.591 16987
    // WARNING …`, or `… 13:47:30.097 16987` / `WARNING nova.virt.libvirt.driver [req-…`): the rest goes on with it.
    if (this.profile.wrap) {
      // Only the last physical line is looked at: slicing the text joined so far would copy it at every cut.
      const cut = GLUED_HEADER_CUT.exec(pend.tail);
      if (cut && GLUED_HEADER.test(`${cut[0]} ${text.slice(0, 200)}`)) return true;
    }
    const head = headerState(pend.text, this.profile.grep);
    if (head === 'host') return true;
    if (head === 'time') return !startsDatedRecord(text);
    if (record) return false;
    if (head === 'logger' || head === 'context') return true;
    if (traceback) return false;
    return this.continues(pend, line);
  }

  private continues(pend: Pending, line: string): boolean {
    const w = this.profile.wrap;
    if (!w) return false;
    // A traceback's frame line whole (`File "…", line N, in f`): python prints its code on the next line, never a rest.
    if (COMPLETE_FRAME.test(pend.tail)) return false;
    if (w.kind === 'terminal') return this.reachedWidth(pend, w.width) && !tableRowsMeet(pend.tail, line);
    return pend.record && pend.tail.length + 1 + firstWordLength(line) > w.width;
  }

  /**
   * Did the pending record's last line fill the terminal's width? With or without the quote marks and indent the paste
   * took off it: a terminal may have shown the file quoted or indented (the cut counts them), or they came after the copy.
   */
  private reachedWidth(pend: Pending, width: number): boolean {
    return pend.tail.length === width || (pend.tailMarks !== undefined && pend.tail.length + pend.tailMarks === width);
  }

  private flush(): void {
    const pend = this.pending;
    if (!pend) return;
    this.pending = undefined;
    if (pend.parts && pend.parts.length > 1 && !startsMessage(pend.text.trim())) {
      // Not a message after all: its lines as they were.
      for (const part of pend.parts) {
        this.pending = { ...part, tail: part.text, record: false, prefix: part === pend.parts[0] ? pend.prefix : undefined };
        this.flush();
      }
      return;
    }
    let text = this.profile.mdEscaped ? unescapeMarkdown(pend.text) : pend.text;
    const trimmed = text.trim();
    const afterBreak = this.afterBreak;
    this.afterBreak = true;
    if (MARKUP_LINE.test(trimmed)) {
      this.sink({ text, first: pend.first, last: pend.last, markup: 'separator', source: this.block });
      return;
    }
    let source = this.block;
    // A first line cut inside the date after its prefix shows the prefix only once joined.
    const prefix = pend.prefix ?? (pend.last > pend.first ? peelGrep(text, this.profile.grep).prefix : undefined);
    if (prefix) {
      text = text.slice(prefix.length);
      this.seen.add('grep');
      const path = prefix.path;
      if (path) source = { name: path, host: this.block.host };
    }
    if (!startsRecord(text) && !isTracebackLine(text)) {
      const prompt = promptOf(trimmed);
      if (prompt) {
        this.seen.add('prompt');
        // One file named, not a glob or a folder: the lines below are that file's.
        const one = prompt.sources.length === 1 && !/[*?[\]]|\/$/.test(prompt.sources[0]) ? prompt.sources[0] : undefined;
        this.block = { host: prompt.host ?? this.block.host, name: one };
        this.sink({ text: trimmed, first: pend.first, last: pend.last, markup: 'prompt', source: this.block });
        return;
      }
      const header = headerOf(text, afterBreak);
      if (header) {
        this.seen.add('header');
        this.block = { host: this.block.host, name: header };
        this.sink({ text: trimmed, first: pend.first, last: pend.last, markup: 'header', source: this.block });
        return;
      }
    }
    this.afterBreak = false;
    // Records glued onto one line that a wrap then cut: split apart once joined (take() splits a line cut by nothing).
    const glued = pend.last > pend.first && !pend.glued ? gluedRecordStarts(text) : [];
    if (glued.length > 0) {
      this.seen.add('glued');
      // The space the records were glued with is neither's.
      for (const [i, piece] of gluedPieces(text, glued).entries())
        this.sink({ text: piece.trimEnd(), first: pend.first, last: pend.last, source, ...(i > 0 ? { inner: true as const } : {}) });
      return;
    }
    this.sink({ text, first: pend.first, last: pend.last, source, ...(pend.glued && pend.last === pend.first ? { inner: true } : {}) });
  }
}
