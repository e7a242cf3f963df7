import { closeSync, openSync, readSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { discard, type ByteSource } from './decode.js';
import { fileChunks, type FileChunks } from './file-chunks.js';
import { MAGIC_BYTES, sniffMagic } from './magic.js';
import { walkInputs, type SourceFile, type WalkOptions, type WalkVisitor } from './walk.js';

/**
 * An archive walked once and read twice. `--instance` reads its inputs in two passes (src/pipeline/focus-scan.ts,
 * then the reading): a sosreport `.tar.xz` was decompressed for each, and on 1 GiB of logs the second `xz`
 * cost nearly all that the focus gate saved. Here the first pass's walk of an archive is recorded as it goes: what
 * the walker told its visitor, in order, and each file's bytes as the walker gave them (a member as stored in
 * the tar, a loose `.gz` decompressed), written to a temp folder this process owns. The second pass is told the
 * same from the recording, each file read from its copy on disk, by position.
 *
 * Only archives and compressed files are recorded (a folder's or a plain file's bytes are read again for less
 * than a copy costs), within a budget of disk: at most RECORD_LIMIT bytes in all, and half of what the temp
 * folder's disk has free. An archive past it is walked again, as before.
 */

/** Bytes recorded in all, at most: past the page cache a copy read back costs about what decompressing did. */
const RECORD_LIMIT = 4 * 2 ** 30;
/** Bytes written to a copy at a time. */
const WRITE_CHUNK = 1 << 20;

type Call =
  | { kind: 'file'; file: Omit<SourceFile, 'stream' | 'diskPath'>; copy: string; error?: unknown }
  | { kind: 'unrecognised'; args: Parameters<WalkVisitor['unrecognised']> }
  | { kind: 'link'; args: Parameters<NonNullable<WalkVisitor['link']>> }
  | { kind: 'warn'; args: Parameters<WalkVisitor['warn']> }
  | { kind: 'unreadable'; args: Parameters<NonNullable<WalkVisitor['unreadable']>> }
  | { kind: 'input'; args: Parameters<NonNullable<WalkVisitor['input']>> }
  | { kind: 'hostRenamed'; args: Parameters<NonNullable<WalkVisitor['hostRenamed']>> };

export class WalkRecorder {
  private readonly recordings = new Map<string, Call[]>();
  private budget: number;
  private copies = 0;

  /** `folder`: a temp folder of this process's own (correlate/temp-folder.ts), removed by its owner. */
  constructor(
    private readonly folder: string,
    limit = RECORD_LIMIT,
  ) {
    let free = Number.POSITIVE_INFINITY;
    try {
      const s = statfsSync(folder);
      free = s.bavail * s.bsize;
    } catch {
      // unknown: the limit alone
    }
    this.budget = Math.min(limit, free / 2);
  }

  /** `walkInputs`, its archives recorded while `v` is told what they hold. */
  async walk(inputs: readonly string[], opts: WalkOptions, v: WalkVisitor): Promise<void> {
    for (const input of inputs) {
      if (!worthRecording(input)) {
        await walkInputs([input], opts, v);
        continue;
      }
      const calls: Call[] = [];
      const written: string[] = [];
      const budget = this.budget;
      let over = false;
      const note = (c: Call): void => {
        if (!over) calls.push(c);
      };
      await walkInputs([input], opts, {
        unrecognised(...args) {
          note({ kind: 'unrecognised', args });
          v.unrecognised(...args);
        },
        link(...args) {
          note({ kind: 'link', args });
          v.link?.(...args);
        },
        warn(...args) {
          note({ kind: 'warn', args });
          v.warn(...args);
        },
        unreadable(...args) {
          note({ kind: 'unreadable', args });
          v.unreadable?.(...args);
        },
        input(...args) {
          note({ kind: 'input', args });
          v.input?.(...args);
        },
        hostRenamed(...args) {
          note({ kind: 'hostRenamed', args });
          v.hostRenamed?.(...args);
        },
        file: async (f) => {
          const copy = join(this.folder, `walked-${this.copies++}`);
          const sink = over ? undefined : new CopySink(copy, this);
          if (sink) written.push(copy);
          const it = f.stream[Symbol.asyncIterator]();
          let done = false;
          let error: unknown;
          const pull = async (): Promise<IteratorResult<Buffer>> => {
            try {
              const r = await it.next();
              if (r.done) done = true;
              else sink?.write(r.value);
              return r;
            } catch (e) {
              done = true;
              error = e;
              throw e;
            }
          };
          // The visitor's reading, every chunk copied; what it leaves is read here, for the copy and for the walker.
          const teed = { [Symbol.asyncIterator]: () => ({ next: pull, return: async () => ({ done: true as const, value: undefined }) }) };
          const { stream: _s, diskPath: _d, ...rest } = f;
          try {
            await v.file({ ...f, stream: teed });
          } finally {
            try {
              while (!done) await pull();
            } catch {
              // said by the visitor's reading, or the walker's warning
            }
            sink?.close();
          }
          if (!sink || sink.failed) over = true;
          note({ kind: 'file', file: rest, copy, ...(error !== undefined ? { error } : {}) });
        },
      });
      if (over) {
        // Given up: its copies go, and the room they took is the next input's.
        for (const w of written) rmSync(w, { force: true });
        this.budget = budget;
      } else this.recordings.set(input, calls);
    }
  }

  /** Whether `input` was recorded (and `replay` tells it from its copies). */
  recorded(input: string): boolean {
    return this.recordings.has(input);
  }

  /** Takes `n` bytes of the budget; false when they do not fit (the recording of that input is given up). */
  take(n: number): boolean {
    if (n > this.budget) return false;
    this.budget -= n;
    return true;
  }

  /**
   * `walkInputs` for the second pass: a recorded input told from its recording, each file's stream its copy
   * (read by position when it is plain text: `SourceFile.diskPath`), ending in the error its reading met;
   * any other walked again.
   */
  async replay(inputs: readonly string[], opts: WalkOptions, v: WalkVisitor): Promise<void> {
    for (const input of inputs) {
      const calls = this.recordings.get(input);
      if (!calls) {
        await walkInputs([input], opts, v);
        continue;
      }
      for (const c of calls) {
        // Read by position when its first reading ended well (by position, a reader would not meet the error).
        if (c.kind === 'file') {
          const stream = copyStream(c.copy, c.error);
          await v.file({ ...c.file, stream, ...(c.error === undefined ? { diskPath: c.copy } : {}) });
          await discard(stream);
        } else if (c.kind === 'unrecognised') v.unrecognised(...c.args);
        else if (c.kind === 'link') v.link?.(...c.args);
        else if (c.kind === 'warn') v.warn(...c.args);
        else if (c.kind === 'unreadable') v.unreadable?.(...c.args);
        else if (c.kind === 'input') v.input?.(...c.args);
        else v.hostRenamed?.(...c.args);
      }
    }
  }
}

/** An archive or a compressed file (by its first bytes): what a second pass would decompress again. */
function worthRecording(input: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(input, 'r');
    const head = Buffer.alloc(MAGIC_BYTES);
    const n = readSync(fd, head, 0, head.length, 0);
    const m = sniffMagic(head.subarray(0, n));
    return m === 'xz' || m === 'gzip' || m === 'bzip2' || m === 'zstd' || m === 'tar';
  } catch {
    // a folder, or unreadable: walked as it is, which says so
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A file's copy, written a chunk at a time; `failed` once the budget or the disk said no (the rest not written). */
class CopySink {
  failed = false;
  private readonly fd: number;
  private buf = Buffer.allocUnsafe(WRITE_CHUNK);
  private used = 0;

  constructor(
    path: string,
    private readonly recorder: WalkRecorder,
  ) {
    this.fd = openSync(path, 'wx', 0o600);
  }

  write(b: Buffer): void {
    if (this.failed) return;
    if (!this.recorder.take(b.length)) {
      this.failed = true;
      return;
    }
    if (this.used + b.length > this.buf.length) this.flush();
    if (b.length >= this.buf.length) this.out(b);
    else {
      b.copy(this.buf, this.used);
      this.used += b.length;
    }
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.used > 0) this.out(this.buf.subarray(0, this.used));
    this.used = 0;
  }

  private out(b: Buffer): void {
    if (this.failed) return;
    try {
      for (let at = 0; at < b.length; ) at += writeSync(this.fd, b, at, b.length - at);
    } catch {
      // a full disk: this input is walked again
      this.failed = true;
    }
  }
}

/**
 * A copy's bytes in fresh chunks, then the error its first reading ended with (if any). Opened when first read;
 * closed at its end, or by `destroy` (decode.ts `discard`: a reader that read the copy by position left it).
 */
function copyStream(path: string, error: unknown): ByteSource & { destroy(): void } {
  let chunks: FileChunks | undefined;
  let destroyed = false;
  return {
    destroy() {
      destroyed = true;
      chunks?.destroy();
    },
    async *[Symbol.asyncIterator]() {
      if (destroyed) return;
      chunks = fileChunks(await open(path, 'r'));
      try {
        yield* chunks;
      } finally {
        chunks.destroy();
      }
      if (error !== undefined) throw error;
    },
  };
}
