import { Lexer, type Token, type Tokens } from 'marked';

/** The Markdown as GFM tokens, flattened to the block level, to assert structure rather than substrings. */

export function blocks(md: string): Token[] {
  return new Lexer({ gfm: true }).lex(md).filter((t) => t.type !== 'space');
}

export function headings(tokens: Token[], depth: number): string[] {
  return tokens.filter((t): t is Tokens.Heading => t.type === 'heading' && t.depth === depth).map((t) => t.text);
}

export function tables(tokens: Token[]): Tokens.Table[] {
  return tokens.filter((t): t is Tokens.Table => t.type === 'table');
}

export function header(t: Tokens.Table): string[] {
  return t.header.map((h) => h.text);
}

export function codeBlocks(tokens: Token[], lang?: string): Tokens.Code[] {
  const out: Tokens.Code[] = [];
  const walk = (ts: Token[]): void => {
    for (const t of ts) {
      if (t.type === 'code' && (lang === undefined || (t as Tokens.Code).lang === lang)) out.push(t as Tokens.Code);
      if (t.type === 'list') for (const item of (t as Tokens.List).items) walk(item.tokens);
    }
  };
  walk(tokens);
  return out;
}

/** Blocks of one `## ` section: from its heading to the next heading of the same depth. */
export function section(tokens: Token[], title: RegExp, depth = 2): Token[] {
  const start = tokens.findIndex(
    (t) => t.type === 'heading' && (t as Tokens.Heading).depth === depth && title.test((t as Tokens.Heading).text),
  );
  if (start === -1) return [];
  const end = tokens.findIndex((t, i) => i > start && t.type === 'heading' && (t as Tokens.Heading).depth <= depth);
  return tokens.slice(start + 1, end === -1 ? undefined : end);
}
