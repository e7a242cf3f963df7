import { promptOf } from './prompt.js';
import { grepPrefix, isTracebackLine, knownGrepPrefix, MARKUP_LINE, startsDatedRecord, startsRecord, type GrepPrefix } from './shapes.js';

/**
 * Paste mode: a log excerpt as people paste it into a ticket, a mail or a
 * chat, turned back into the log lines it was. Sniffed once per file from its
 * first lines; an ordinary log file is left alone (sniffPaste says so, and the
 * reader is never built). What is undone, outermost first, in the order it was
 * done to the text:
 *  - rich-text editors' non-breaking spaces and curly quotes;
 *  - `> ` quoting (mail replies, Markdown quotes);
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
  /** Non-breaking spaces, zero-width spaces, curly quotes: a rich-text editor's. */
  rich: boolean;
  quote: boolean;
  /** The indentation every pasted log line carries ('' for none). */
  indent: string;
  wrap?: { kind: 'terminal' | 'word'; width: number };
  /** grep named these files, or numbered the lines (`-n` on one file). */
  grep?: { paths: string[]; numbered: boolean };
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
}

/** Lines looked at to decide; pastes are short, and a real log says what it is in its first lines. */
export const PASTE_SNIFF_LINES = 64;

const RICH = /[\u00a0\u2007\u202f\u200b\u2060\ufeff\u2018\u2019\u201a\u201b]/;
const QUOTE = /^(?:[ \t]*>)+[ \t]?/;

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
function peelGrep(text: string, grep: PasteProfile['grep']): { text: string; prefix?: GrepPrefix } {
  if (!grep) return { text };
  const g = grepPrefix(text) ?? knownGrepPrefix(text, grep.paths, grep.numbered);
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
  let lines = [...sample];
  let nonBlank = lines.filter((l) => l.trim().length > 0);
  if (nonBlank.length === 0) return undefined;
  const rich = nonBlank.some((l) => RICH.test(l));
  if (rich) lines = lines.map(normaliseRich);
  const quote = nonBlank.filter((l) => QUOTE.test(l)).length * 2 >= nonBlank.length;
  if (quote) lines = lines.map((l) => l.replace(QUOTE, ''));
  nonBlank = lines.filter((l) => l.trim().length > 0);

  // The indentation the record lines share; with no record line, what all lines share.
  const isRecordish = (t: string): boolean => startsRecord(t) || grepPrefix(t) !== undefined;
  const recordIndents = nonBlank.filter((l) => isRecordish(l.trimStart())).map(leading);
  let indent = '';
  if (recordIndents.length > 0) {
    const [ws, n] = mostCommon(recordIndents);
    if (ws && n * 5 >= recordIndents.length * 3) indent = ws;
  } else {
    indent = commonPrefix(nonBlank.map(leading));
  }
  if (indent) lines = lines.map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
  nonBlank = lines.filter((l) => l.trim().length > 0);

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
  const wrap = sniffWrap(lines, grep);

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
  const firstDated = nonBlank.findIndex((l) => startsDatedRecord(l));
  const dated = nonBlank.filter((l) => startsDatedRecord(l)).length;
  // A log that opens mid-record (sos's tailed copies) is still ordinary when most of it is dated records.
  const ordinary = !rich && !quote && !indent && !grep && !wrap && !markup && (firstDated === 0 || dated * 2 >= nonBlank.length);
  if (ordinary) return undefined;
  return { rich, quote, indent, wrap, grep };
}

/**
 * A terminal cuts at its exact width: several lines of one same, longest,
 * length are each followed by a line that starts no record. A mail or ticket
 * wraps at words: a record line is followed by lines that start none, each
 * because its first word would not have fit on the line before.
 */
function sniffWrap(lines: readonly string[], grep: PasteProfile['grep']): PasteProfile['wrap'] {
  const continues = (l: string | undefined): boolean => {
    if (l === undefined || l.trim().length === 0) return false;
    const t = peelGrep(l, grep).text;
    return !startsRecord(t) && !isTracebackLine(t) && !MARKUP_LINE.test(l.trim());
  };
  let max = 0;
  for (const l of lines) if (l.length > max) max = l.length;
  let atMax = 0;
  let recordAtMax = 0;
  for (let i = 0; i + 1 < lines.length; i++) {
    if (lines[i].length !== max || !continues(lines[i + 1])) continue;
    atMax++;
    if (startsRecord(peelGrep(lines[i], grep).text)) recordAtMax++;
  }
  // Once is enough in a short paste when the line cut is a record's.
  if (max >= 60 && (atMax >= 2 || (recordAtMax === 1 && lines.length <= 12))) return { kind: 'terminal', width: max };

  let width = 0;
  for (const l of lines) if (l.trimEnd().includes(' ', leading(l).length) && l.length > width) width = l.length;
  if (width === 0 || width > 160) return undefined;
  let forced = 0;
  let unforced = 0;
  let inRecord = false;
  for (let i = 0; i + 1 < lines.length; i++) {
    const t = peelGrep(lines[i], grep).text;
    if (startsRecord(t) || isTracebackLine(t)) inRecord = true;
    else if (lines[i].trim().length === 0) inRecord = false;
    if (!inRecord || !continues(lines[i + 1])) continue;
    if (lines[i].length + 1 + firstWordLength(lines[i + 1]) > width) forced++;
    else {
      unforced++;
      inRecord = false;
    }
  }
  return forced >= 2 && forced > unforced ? { kind: 'word', width } : undefined;
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
  return names.size === 1 ? [...names][0] : undefined;
}

/** What the coverage says was undone. */
export function describePaste(p: PasteProfile, seen: ReadonlySet<string>): string[] {
  const out: string[] = [];
  if (p.rich) out.push('rich-text spaces and quotes');
  if (p.quote) out.push('> quoting');
  if (p.indent) out.push(p.indent.startsWith('\t') ? 'tab indent' : `${p.indent.length}-space indent`);
  if (p.wrap && seen.has('joined'))
    out.push(`${p.wrap.kind === 'terminal' ? 'terminal-wrapped' : 'word-wrapped'} at ${p.wrap.width} columns`);
  if (seen.has('grep')) out.push('grep prefixes');
  if (seen.has('prompt')) out.push('shell prompts');
  if (seen.has('header')) out.push('file headers');
  return out;
}

/** A syslog header with nothing after its host: the rest of its line was wrapped onto the next. */
const SYSLOG_HEADER_ONLY = /^[^\s\d]{1,9}\.? {1,2}\d{1,2} \d\d:\d\d:\d\d \S+$/;

function headerOnly(text: string, grep: PasteProfile['grep']): boolean {
  return SYSLOG_HEADER_ONLY.test(peelGrep(text, grep).text.trimEnd());
}

interface Pending {
  text: string;
  first: number;
  last: number;
  /** The last physical line, as the wrap saw it. */
  tail: string;
  record: boolean;
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

  constructor(
    private readonly profile: PasteProfile,
    private readonly sink: (l: LogicalLine) => void,
    private readonly maxChars = 1 << 20,
  ) {}

  push(raw: string, lineNo: number): void {
    const p = this.profile;
    let line = raw;
    if (p.rich) line = normaliseRich(line);
    if (p.quote) line = line.replace(QUOTE, '');
    if (p.indent && line.startsWith(p.indent)) line = line.slice(p.indent.length);
    if (line.trim().length === 0) {
      this.flush();
      this.afterBreak = true;
      this.sink({ text: '', first: lineNo, last: lineNo, markup: 'blank', source: this.block });
      return;
    }
    const t = peelGrep(line, p.grep).text;
    const record = startsRecord(t);
    const traceback = !record && isTracebackLine(t);
    const pend = this.pending;
    const wrapped = pend && !record && !traceback && this.continues(pend, line);
    if (pend && (wrapped || (record && pend.first === pend.last && headerOnly(pend.text, p.grep)))) {
      const joinWord = !wrapped || p.wrap!.kind === 'word';
      const add = joinWord ? ` ${line.trimStart()}` : line;
      if (pend.text.length + add.length <= this.maxChars) pend.text += add;
      pend.last = lineNo;
      pend.tail = line;
      this.seen.add('joined');
      return;
    }
    this.flush();
    this.pending = { text: line, first: lineNo, last: lineNo, tail: line, record: record || traceback };
  }

  end(): void {
    this.flush();
  }

  private continues(pend: Pending, line: string): boolean {
    const w = this.profile.wrap;
    if (!w) return false;
    if (w.kind === 'terminal') return pend.tail.length === w.width;
    return pend.record && pend.tail.length + 1 + firstWordLength(line) > w.width;
  }

  private flush(): void {
    const pend = this.pending;
    if (!pend) return;
    this.pending = undefined;
    let text = pend.text;
    const trimmed = text.trim();
    const afterBreak = this.afterBreak;
    this.afterBreak = true;
    if (MARKUP_LINE.test(trimmed)) {
      this.sink({ text, first: pend.first, last: pend.last, markup: 'separator', source: this.block });
      return;
    }
    let source = this.block;
    const peeled = peelGrep(text, this.profile.grep);
    if (peeled.prefix) {
      text = peeled.text;
      this.seen.add('grep');
      const path = peeled.prefix.path;
      if (path) source = { name: path, host: this.block.host };
    }
    if (!startsRecord(text) && !isTracebackLine(text)) {
      const prompt = promptOf(trimmed);
      if (prompt) {
        this.seen.add('prompt');
        this.block = { host: prompt.host ?? this.block.host, name: prompt.sources.length === 1 ? prompt.sources[0] : undefined };
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
    this.sink({ text, first: pend.first, last: pend.last, source });
  }
}
