import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Event } from '../../src/model/event.js';
import { LineSplitter } from '../../parsers/lines.js';
import { QemuLogParser, type QemuLogContext, type QemuLogOptions } from '../../parsers/qemu-log.js';
import { OsloEventParser, type OsloFileContext, type OsloParseStats } from '../../parsers/oslo-events.js';
import { PASTE_SNIFF_LINES, PasteReader, sniffPaste } from '../../parsers/paste/unpaste.js';

/** Parses text or a file with the oslo parser, the way the pipeline does. */

/** `passed`: the records passed over unbuilt (`ctx.unbuilt`); by default they are events like the others. */
export function parseText(
  text: string,
  ctx: Partial<OsloFileContext> = {},
  passed?: (e: Event) => void,
): { events: Event[]; stats: OsloParseStats } {
  const events: Event[] = [];
  const p = new OsloEventParser({ host: 'h', file: 'f', ...ctx }, (e) => events.push(e), passed);
  const s = new LineSplitter((l, n) => p.push(l, n));
  s.push(Buffer.from(text, 'utf8'));
  s.end();
  p.end();
  return { events, stats: p.stats };
}

/**
 * Parses pasted text as src/pipeline/read-logs.ts reads a paste: the paste reader first (its indent, quotes and wraps
 * undone, its furniture ending what folds), every line into the one parser. `parseText` with `paste` reads the lines
 * as they are (the parser's own paste mode only).
 */
export function parsePastedText(text: string, ctx: Partial<OsloFileContext> = {}): { events: Event[]; stats: OsloParseStats } {
  const events: Event[] = [];
  const p = new OsloEventParser({ host: 'h', file: 'f', ...ctx, paste: true }, (e) => events.push(e));
  const profile = sniffPaste(text.split('\n').slice(0, PASTE_SNIFF_LINES));
  const reader =
    profile &&
    new PasteReader(profile, (l) => {
      if (l.markup === 'prompt') p.typed(l.text, l.first);
      if (l.markup) p.push('', l.first);
      else p.push(l.text, l.first, l.last, l.ts);
    });
  const s = new LineSplitter((l, n) => (reader ? reader.push(l, n) : p.push(l, n)));
  s.push(Buffer.from(text, 'utf8'));
  s.end();
  reader?.end();
  p.end();
  return { events, stats: p.stats };
}

/** Parses a guest's QEMU log's text (parsers/qemu-log.ts) as the pipeline does. */
export function parseQemuText(text: string, ctx: Partial<QemuLogContext> = {}, opts: QemuLogOptions = {}): Event[] {
  const events: Event[] = [];
  const p = new QemuLogParser({ host: 'h', file: 'instance-00000001.log', ...ctx }, (e) => events.push(e), opts);
  const s = new LineSplitter((l, n) => p.push(l, n));
  s.push(Buffer.from(text, 'utf8'));
  s.end();
  p.end();
  return events;
}

export async function parseFile(
  path: string,
  ctx: Partial<OsloFileContext> = {},
): Promise<{ events: Event[]; stats: OsloParseStats; lines: string[] }> {
  const events: Event[] = [];
  const lines: string[] = [''];
  const p = new OsloEventParser({ host: 'h', file: path, ...ctx }, (e) => events.push(e));
  const s = new LineSplitter((l, n) => {
    lines[n] = l;
    p.push(l, n);
  });
  let stream: NodeJS.ReadableStream = createReadStream(path);
  if (path.endsWith('.gz')) stream = stream.pipe(createGunzip());
  for await (const c of stream) s.push(c as Buffer);
  s.end();
  p.end();
  return { events, stats: p.stats, lines };
}
