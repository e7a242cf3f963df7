import type { FileCoverage } from '../../src/model/coverage.js';
import type { Event } from '../../src/model/event.js';
import { readLogFile } from '../../src/pipeline/read-logs.js';
import type { SourceFile } from '../../src/sources/walk.js';

/** Reads text the way a loose file given as an input is read (paste sniffing included). */
export async function readText(text: string | Buffer, name = 'paste.txt'): Promise<{ events: Event[]; covs: FileCoverage[] }> {
  const events: Event[] = [];
  const data = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const file: SourceFile = {
    input: name,
    host: 'unknown',
    hostSource: 'unknown',
    displayPath: name,
    relPath: name,
    role: { kind: 'oslo-log', layout: 'loose' },
    stream: (async function* () {
      // In pieces, as a stream arrives: line splitting must not depend on one chunk.
      for (let i = 0; i < data.length; i += 4096) yield data.subarray(i, i + 4096);
    })(),
    loose: true,
  };
  const covs = await readLogFile(
    file,
    {},
    (e) => events.push(e),
    () => {},
  );
  return { events, covs };
}

/** What an event says, without where it was read (line numbers, the raw line, the file). */
export function essence(e: Event): Record<string, unknown> {
  return {
    ts: e.ts,
    level: e.level,
    logger: e.logger,
    pid: e.pid,
    requestId: e.requestId,
    globalRequestId: e.globalRequestId,
    userId: e.userId,
    projectId: e.projectId,
    instanceUuid: e.instanceUuid,
    message: e.message,
    traceback: e.traceback,
    exception: e.exception,
    codeLocation: e.codeLocation,
  };
}

/** A small seeded generator (mulberry32): the property test is the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Greedy word wrap that never splits a word (as mail clients do: a long word
 * overflows its line). The space it breaks at is taken; each continuation gets
 * the continuation indent.
 */
export function wordWrap(line: string, width: number, contIndent = ''): string[] {
  const out: string[] = [];
  const words = line.split(' ');
  let cur = words[0];
  for (const word of words.slice(1)) {
    if (cur.length + 1 + word.length <= width) cur += ` ${word}`;
    else {
      out.push(cur);
      cur = contIndent + word;
    }
  }
  out.push(cur);
  return out;
}
