import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TempFolder } from '../correlate/temp-folder.js';
import { decodeDigest, type StoreDigest } from '../correlate/store-digest.js';
import { FrameReader, frame } from './frames.js';
import { parsePiece, pieceRules, type PieceJob, type PieceResult, type PieceRules } from './piece-parse.js';
import type { PieceOffload } from './read-logs.js';

/**
 * The second core for `analyze`: one parse worker (parse-worker.ts), started
 * when the first piece of a big log is handed on, fed pieces in file order
 * and answering in the same order. Separate processes, not worker threads:
 * threads measured slower on this kind of 2-core VM (docs/performance.md).
 * Pieces and results go through files of a temp folder of our own (0700,
 * removed at the end, at exit and on a signal; parse-worker.ts says why not
 * the pipe). When the worker cannot start or dies, every piece still waiting
 * and every later one gets no result, and the reader parses them itself: a
 * run is never lost to it, only slower.
 */

/** Bytes of a piece: big enough that a round trip costs little, small enough to hold a few. */
export const PIECE_BYTES = 4 << 20;

const WORKER = fileURLToPath(new URL('./parse-worker.js', import.meta.url));

export interface OffloadOptions {
  pieceBytes?: number;
  /** The `--tz` zones, stamped on times as the main process does. */
  tz?: readonly string[];
  /** The kinds of the detectors that run (their signatures and contexts are what the store keeps). */
  kinds: readonly string[];
  /** Where digests go (the event store's `replay`). */
  replay(d: StoreDigest): void;
  /** The worker's script (tests: one that fails). */
  script?: string;
}

export class PieceOffloader implements PieceOffload {
  readonly pieceBytes: number;
  /** Why the worker stopped giving results, when it did. */
  failure?: string;
  /** Pieces parsed by the worker, and here (`parseHere`). */
  pieces = 0;
  piecesHere = 0;
  private child?: ChildProcess;
  private readonly waiting: { files: [string, string]; resolve: (r: PieceResult | Buffer) => void; reject: (e: Error) => void }[] = [];
  private folder?: TempFolder;
  private rules?: PieceRules;
  private sent = 0;
  private readonly reader = new FrameReader();

  constructor(private readonly opts: OffloadOptions) {
    this.pieceBytes = opts.pieceBytes ?? PIECE_BYTES;
  }

  replay(d: StoreDigest): void {
    this.opts.replay(d);
  }

  parseHere(job: Omit<PieceJob, 'tz' | 'kinds'>, bytes: Buffer): PieceResult {
    this.rules ??= pieceRules(this.opts.kinds);
    this.piecesHere++;
    return parsePiece({ ...job, tz: this.opts.tz ?? [], kinds: this.opts.kinds }, bytes, this.rules);
  }

  parse(job: Omit<PieceJob, 'tz' | 'kinds'>, bytes: Buffer): Promise<PieceResult | Buffer> {
    const child = this.failure ? undefined : this.start();
    if (!child) return Promise.resolve(Buffer.from(bytes));
    const n = this.sent++;
    const piece = join(this.folder!.path, `piece-${n}`);
    const out = join(this.folder!.path, `result-${n}`);
    try {
      writeFile(piece, bytes);
    } catch (e) {
      rmSync(piece, { force: true });
      this.fail((e as NodeJS.ErrnoException).code ?? String(e));
      return Promise.resolve(Buffer.from(bytes));
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ files: [piece, out], resolve, reject });
      const spill = join(this.folder!.path, 'context-worker.json');
      for (const b of frame({ ...job, tz: this.opts.tz ?? [], kinds: this.opts.kinds, piece, out, spill })) child.stdin!.write(b);
    });
  }

  warm(): void {
    if (!this.failure) this.start();
  }

  /**
   * Ends the worker (it exits when its stdin ends) and removes the folder: after the event store's seal,
   * which reads the context the worker spilled there.
   */
  close(): void {
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    child.stdin?.end();
    this.fail('closed');
    this.folder?.remove();
  }

  private start(): ChildProcess | undefined {
    if (this.child) return this.child;
    try {
      this.folder = new TempFolder('nova-forensics-pieces-');
      const child = spawn(process.execPath, [this.opts.script ?? WORKER], { stdio: ['pipe', 'pipe', 'ignore'] });
      child.on('error', (e) => this.fail(e.message));
      child.on('close', (code, signal) => this.fail(`the parse worker ended (${signal ?? `exit code ${code}`})`));
      // A worker gone while pieces are written: its pipe breaks; the waiting pieces are parsed here.
      child.stdin!.on('error', (e) => this.fail(e.message));
      child.stdout!.on('data', (chunk: Buffer) => {
        for (const f of this.reader.push(chunk)) this.answer(f.head as Record<string, unknown>);
      });
      this.child = child;
      return child;
    } catch (e) {
      this.fail((e as Error).message);
      return undefined;
    }
  }

  private answer(head: Record<string, unknown>): void {
    const w = this.waiting.shift();
    if (!w) return;
    let result: PieceResult | undefined;
    try {
      if (head.done === true) {
        const [f] = new FrameReader().push(readFileSync(w.files[1]));
        if (f) result = { ...(f.head as Omit<PieceResult, 'digest'>), digest: decodeDigest(f.payload) };
      }
    } catch {
      // Unreadable: the reader parses the piece itself.
    }
    if (result) this.pieces++;
    // Not read as plain oslo.log on its own (rare): the reader's file parser reads it.
    this.settle(w, result?.plain ? result : undefined);
  }

  /** A piece's answer: its result, or its bytes back (read from its file) for the reader to parse. */
  private settle(w: (typeof this.waiting)[number], result: PieceResult | undefined): void {
    try {
      if (result) w.resolve(result);
      else w.resolve(readFileSync(w.files[0]));
    } catch (e) {
      // Lines read and then lost: the reader says where its reading stopped.
      w.reject(
        new Error(`a piece of the log handed to the parse worker could not be read back (${(e as NodeJS.ErrnoException).code ?? e})`),
      );
    } finally {
      for (const f of w.files) rmSync(f, { force: true });
    }
  }

  private fail(why: string): void {
    this.failure ??= why;
    for (const w of this.waiting.splice(0)) this.settle(w, undefined);
  }
}

function writeFile(path: string, bytes: Buffer): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
  } finally {
    closeSync(fd);
  }
}
