import type { Report } from '../model/report.js';
import { jsonText } from '../report/sanitise.js';

/**
 * The report model as JSON (documented in docs/report-schema.md), or as
 * NDJSON: one line per record, typed. Given in pieces, one incident or
 * finding at a time, so that a report of thousands of incidents is written
 * without its whole text in memory; joined, the pieces are exactly
 * `jsonText(report, 2)`: `JSON.stringify(report, null, 2)` with control and
 * bidi characters as `\u` escapes (C1 and U+202E included).
 */

const INDENT = '    ';

function* listPieces(key: string, items: readonly unknown[], last: boolean): Generator<string> {
  if (items.length === 0) {
    yield `  ${JSON.stringify(key)}: []${last ? '' : ','}\n`;
    return;
  }
  yield `  ${JSON.stringify(key)}: [\n`;
  // a raw newline in JSON text is only ever indentation: strings hold theirs as \n
  for (const [i, item] of items.entries())
    yield `${INDENT}${jsonText(item, 2).replace(/\n/g, `\n${INDENT}`)}${i < items.length - 1 ? ',' : ''}\n`;
  yield `  ]${last ? '' : ','}\n`;
}

export function* reportJsonPieces(r: Report): Generator<string> {
  const { incidents, findings, ...head } = r;
  // The head's own keys, in the model's order; incidents and findings last, as the model has them.
  const headText = jsonText(head, 2);
  yield `${headText.slice(0, -2)},\n`;
  yield* listPieces('incidents', incidents, false);
  yield* listPieces('findings', findings, true);
  yield '}\n';
}

export function reportJson(r: Report): string {
  return [...reportJsonPieces(r)].join('');
}

export function* reportNdjsonPieces(r: Report): Generator<string> {
  const { incidents, findings, ...head } = r;
  yield `${jsonText({ type: 'report', ...head })}\n`;
  for (const i of incidents) yield `${jsonText({ type: 'incident', ...i })}\n`;
  for (const f of findings) yield `${jsonText({ type: 'finding', ...f })}\n`;
}

export function reportNdjson(r: Report): string {
  return [...reportNdjsonPieces(r)].join('');
}
