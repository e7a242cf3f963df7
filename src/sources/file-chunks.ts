import { closeSync, openSync, readSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import type { ByteSource, Opened } from './decode.js';

/**
 * A file's bytes, a chunk of `size` (default 1 MiB) at a time, each in a buffer of its own. What
 * `FileHandle.createReadStream` gave, for less: on a 1 GiB log the stream spent 0.7–1.3 s (0.5–1.1 s of it
 * in the kernel), these reads 0.55–0.6 s (docs/performance.md, thirteenth session). A buffer is never
 * reused: whoever takes a chunk may hold it (a spawned `xz` is written to while the next is read).
 * A read error reaches whoever iterates; the file closes at its end, on an error, or when `return` or
 * `destroy` is called (decode.ts `discard`), whether or not it was read.
 */

const CHUNK = 1 << 20;
/** A read this short (a pipe's) is copied out, so that a small chunk does not hold a whole buffer. */
const SHORT = CHUNK >> 4;

export interface FileChunks extends ByteSource, AsyncIterator<Buffer> {
  destroy(): void;
}

export function fileChunks(fh: FileHandle, size = CHUNK): FileChunks {
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    fh.close().catch(() => {});
  };
  const ended: IteratorReturnResult<undefined> = { done: true, value: undefined };
  return {
    async next(): Promise<IteratorResult<Buffer>> {
      if (closed) return ended;
      try {
        const buf = Buffer.allocUnsafeSlow(size);
        const { bytesRead } = await fh.read(buf, 0, size, null);
        if (bytesRead === 0) {
          close();
          return ended;
        }
        const value = bytesRead === size ? buf : bytesRead < SHORT ? Buffer.from(buf.subarray(0, bytesRead)) : buf.subarray(0, bytesRead);
        return { done: false, value };
      } catch (e) {
        close();
        throw e;
      }
    },
    async return(): Promise<IteratorResult<Buffer>> {
      close();
      return ended;
    },
    destroy: close,
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Bytes a file is read by position at a time (`diskChunks`: into one buffer, handed on before the next read). */
const DISK_READ = 1 << 20;

/**
 * The file on disk (walk.ts `SourceFile.diskPath`) whose bytes `opened` gives, from its first byte: read by
 * position instead (`diskChunks`). Not when it was decompressed, transcoded or stripped of leading NULs.
 */
export function diskPathOf(diskPath: string | undefined, opened: Opened): string | undefined {
  return diskPath && opened.outer === 'text' && !opened.leadingNulBytes && !opened.encoding ? diskPath : undefined;
}

/**
 * A file's bytes read by position: each chunk is the same buffer, valid until the next is asked for (the line
 * splitter decodes it at once, a gate copies what it holds, `readInPieces` copies it). Read errors end the
 * iteration as a stream's would. A stream's fresh buffer per chunk cost a 1 GiB log 0.4–0.9 s more, most of it
 * in the kernel (docs/performance.md, thirteenth session). `sync`: each read blocks (`readInPieces`: a stream reads
 * ahead only one chunk while a piece is parsed, and then keeps the parse waiting for the rest); else each read
 * is a turn of the event loop (a TUI loading, a progress line, are not held up for a whole file).
 */
export async function* diskChunks(path: string, sync: boolean): AsyncGenerator<Buffer> {
  const chunk = Buffer.allocUnsafe(DISK_READ);
  if (sync) {
    const fd = openSync(path, 'r');
    try {
      for (let at = 0; ; ) {
        const n = readSync(fd, chunk, 0, chunk.length, at);
        if (n === 0) return;
        at += n;
        yield chunk.subarray(0, n);
      }
    } finally {
      closeSync(fd);
    }
  }
  const fh = await open(path, 'r');
  try {
    for (let at = 0; ; ) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, at);
      if (bytesRead === 0) return;
      at += bytesRead;
      yield chunk.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}
