import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { encodeDigest, SpillFile } from '../correlate/store-digest.js';
import { FrameReader, frame } from './frames.js';
import { parsePiece, pieceRules, type PieceJob, type PieceRules } from './piece-parse.js';

/**
 * A parse worker: a child process of `analyze` (piece-offload.ts) that parses
 * pieces of big log files one after another. Each job comes on stdin as a
 * frame (frames.ts) naming the file that holds the piece and the file to write
 * the result to (both in the main process's temp folder); the answer on
 * stdout is a small frame. The bytes go through files, not the pipe: a pipe
 * moves only while both event loops turn, and each process spends most of its
 * time in synchronous parsing. It exits when stdin ends.
 */

/** Rules by the detectors' kinds (one set in a run). */
const rulesByKinds = new Map<string, PieceRules>();
const reader = new FrameReader();
/** The context's JSON, one file for the worker's life (the main process's spill points into it). */
let spill: SpillFile | undefined;

process.stdin.on('data', (chunk: Buffer) => {
  for (const f of reader.push(chunk)) {
    const job = f.head as PieceJob & { piece: string; out: string; spill: string };
    let answer: unknown = { done: true };
    try {
      spill ??= new SpillFile(job.spill);
      const key = job.kinds.join(' ');
      let rules = rulesByKinds.get(key);
      if (!rules) rulesByKinds.set(key, (rules = pieceRules(job.kinds)));
      const { digest, ...rest } = parsePiece(job, readFileSync(job.piece), rules, spill);
      writeAll(job.out, frame(rest, encodeDigest(digest)));
    } catch (e) {
      // The main process parses the piece itself: what went wrong is said, never thrown across.
      answer = { error: String((e as Error)?.message ?? e) };
    }
    for (const b of frame(answer)) process.stdout.write(b);
  }
});

function writeAll(path: string, parts: readonly Buffer[]): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    for (const p of parts) for (let off = 0; off < p.length; ) off += writeSync(fd, p, off);
  } finally {
    closeSync(fd);
  }
}
