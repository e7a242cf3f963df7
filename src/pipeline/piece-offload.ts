import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TempFolder } from '../correlate/temp-folder.js';
import { decodeDigest, SpillFile, type StoreDigest } from '../correlate/store-digest.js';
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

/**
 * Bytes of a piece: big enough that a round trip costs little, small enough to hold a few. 1 MiB against
 * 4: the same time (mixed 1 GiB 15.2, 17.5 s → 15.9, 15.9; quiet 1 GiB 13.7, 13.4 → 12.7, 13.1) and 15–30 MB
 * less peak RSS in the main process (the digests that wait to be replayed, and the read buffer).
 */
export const PIECE_BYTES = 1 << 20;

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
  /** Parse workers. Default 1. */
  workers?: number;
}

/** Pieces a worker holds at most (one parsed, one waiting): more would only hold bytes longer. */
const PER_WORKER = 2;

interface Waiting {
  files: [string, string];
  resolve: (r: PieceResult | Buffer) => void;
  reject: (e: Error) => void;
}

/** One parse worker process and the pieces it holds, answered in the order sent. */
class Worker {
  readonly waiting: Waiting[] = [];
  /** Why it stopped giving results, when it did. */
  failure?: string;
  /** Pieces it parsed. */
  pieces = 0;
  private child?: ChildProcess;
  private readonly reader = new FrameReader();

  constructor(
    private readonly script: string,
    /** The file its context goes to. */
    readonly spill: string,
  ) {}

  start(): ChildProcess | undefined {
    if (this.child || this.failure) return this.child;
    try {
      // A worker's garbage dies young (one piece's lines): a smaller young generation keeps its RSS 20 MB lower
      // (153–157 → 131–133 MiB on quiet 300 MiB) at the same speed; 2 MiB saved 10 more at 1% of the time.
      const child = spawn(process.execPath, ['--max-semi-space-size=4', this.script], { stdio: ['pipe', 'pipe', 'ignore'] });
      child.on('error', (e) => this.fail(e.message));
      child.on('close', (code, signal) => this.fail(`the parse worker ended (${signal ?? `exit code ${code}`})`));
      // A worker gone while pieces are written: its pipe breaks; the waiting pieces are parsed here.
      child.stdin!.on('error', (e) => this.fail(e.message));
      child.stdout!.on('data', (chunk: Buffer) => {
        for (const f of this.reader.push(chunk)) this.answer(f.head as Record<string, unknown>);
      });
      this.child = child;
    } catch (e) {
      this.fail((e as Error).message);
    }
    return this.child;
  }

  send(w: Waiting, head: unknown): void {
    this.waiting.push(w);
    for (const b of frame(head)) this.child!.stdin!.write(b);
  }

  /** Its stdin ends (it exits then); whatever still waits comes back. */
  close(): void {
    this.child?.stdin?.end();
    this.child = undefined;
    this.fail('closed');
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
    settle(w, result?.plain ? result : undefined);
  }

  private fail(why: string): void {
    this.failure ??= why;
    for (const w of this.waiting.splice(0)) settle(w, undefined);
  }
}

export class PieceOffloader implements PieceOffload {
  readonly pieceBytes: number;
  /** Pieces the workers may hold at once (PER_WORKER each). */
  readonly capacity: number;
  /** Pieces parsed here (`parseHere`). */
  piecesHere = 0;
  /** One worker: this process parses pieces too when it is busy; several: this process only reads and takes results. */
  readonly hereWhenFull: boolean;
  private readonly workers: Worker[] = [];
  private folder?: TempFolder;
  private rules?: PieceRules;
  /** Where pieces parsed here write their context (null: no file could be made). */
  private hereSpill?: SpillFile | null;
  private sent = 0;

  constructor(private readonly opts: OffloadOptions) {
    this.pieceBytes = opts.pieceBytes ?? PIECE_BYTES;
    this.capacity = PER_WORKER * (opts.workers ?? 1);
    this.hereWhenFull = (opts.workers ?? 1) <= 1;
  }

  /** Pieces parsed by the workers. */
  get pieces(): number {
    return this.workers.reduce((n, w) => n + w.pieces, 0);
  }

  /** Pieces the workers hold now. */
  get held(): number {
    return this.workers.reduce((n, w) => n + w.waiting.length, 0);
  }

  replay(d: StoreDigest): void {
    this.opts.replay(d);
  }

  parseHere(job: Omit<PieceJob, 'tz' | 'kinds'>, bytes: Buffer): PieceResult {
    this.rules ??= pieceRules(this.opts.kinds);
    this.piecesHere++;
    // Its context to a file of this process's own, as the worker's goes to its: never through the heap.
    if (this.hereSpill === undefined) {
      try {
        this.hereSpill = new SpillFile(join(this.dir().path, 'context-main.json'));
      } catch {
        this.hereSpill = null;
      }
    }
    return parsePiece({ ...job, tz: this.opts.tz ?? [], kinds: this.opts.kinds }, bytes, this.rules, this.hereSpill ?? undefined);
  }

  parse(job: Omit<PieceJob, 'tz' | 'kinds'>, bytes: Buffer): Promise<PieceResult | Buffer> {
    this.warm();
    // The least busy worker still working.
    const worker = this.workers.filter((w) => !w.failure).sort((a, b) => a.waiting.length - b.waiting.length)[0];
    if (!worker?.start()) return Promise.resolve(Buffer.from(bytes));
    const n = this.sent++;
    const piece = join(this.folder!.path, `piece-${n}`);
    const out = join(this.folder!.path, `result-${n}`);
    try {
      writeFile(piece, bytes);
    } catch {
      rmSync(piece, { force: true });
      return Promise.resolve(Buffer.from(bytes));
    }
    return new Promise((resolve, reject) => {
      worker.send(
        { files: [piece, out], resolve, reject },
        { ...job, tz: this.opts.tz ?? [], kinds: this.opts.kinds, piece, out, spill: worker.spill },
      );
    });
  }

  /** Starts the workers (they take a while to). */
  warm(): void {
    if (this.workers.length > 0) return;
    let dir: TempFolder;
    try {
      dir = this.dir();
    } catch {
      return;
    }
    for (let k = 0; k < (this.opts.workers ?? 1); k++) {
      const w = new Worker(this.opts.script ?? WORKER, join(dir.path, `context-worker-${k}.json`));
      this.workers.push(w);
      w.start();
    }
  }

  /**
   * Ends the workers (each exits when its stdin ends) and removes the folder: after the event store's seal,
   * which reads the context they spilled there.
   */
  close(): void {
    for (const w of this.workers) w.close();
    this.hereSpill?.close();
    this.hereSpill = null;
    this.folder?.remove();
  }

  /** The folder pieces, results and spilled context go to (made once). */
  private dir(): TempFolder {
    this.folder ??= new TempFolder('nova-forensics-pieces-');
    return this.folder;
  }
}

/** A piece's answer: its result, or its bytes back (read from its file) for the reader to parse. */
function settle(w: Waiting, result: PieceResult | undefined): void {
  try {
    if (result) w.resolve(result);
    else w.resolve(readFileSync(w.files[0]));
  } catch (e) {
    // Lines read and then lost: the reader says where its reading stopped.
    w.reject(new Error(`a piece of the log handed to the parse worker could not be read back (${(e as NodeJS.ErrnoException).code ?? e})`));
  } finally {
    for (const f of w.files) rmSync(f, { force: true });
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
