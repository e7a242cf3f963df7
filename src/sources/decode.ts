import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { Readable, type Transform, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { MAGIC_BYTES, sniffMagic, type Magic } from './magic.js';

/**
 * Byte streams, peeked and decompressed. xz goes to a spawned `xz -dc` so that
 * decoding runs on the second core while this one parses (measured in
 * docs/performance.md); the WebAssembly decoder is the fallback where `xz` is
 * not installed. gzip uses zlib, whose work also runs off the main thread.
 */

export type ByteSource = AsyncIterable<Buffer>;

export class DecodeError extends Error {
  constructor(
    message: string,
    readonly compressedBytes: number,
  ) {
    super(message);
  }
}

/**
 * Stops a stream this process opened without reading the rest: a file closes,
 * a decoder (and its spawned process) stops. Never for a tar member, which the
 * archive's parser needs consumed: the walker resumes those.
 */
export async function discard(s: ByteSource): Promise<void> {
  try {
    const d = s as { destroy?: () => void; return?: () => Promise<unknown> };
    if (typeof d.destroy === 'function') d.destroy();
    else if (typeof d.return === 'function') await d.return();
  } catch {
    // nothing more to read
  }
}

/** Reads at least `n` bytes (or to the end) and gives back a stream that replays them. */
export async function peek(src: ByteSource, n = MAGIC_BYTES): Promise<{ head: Buffer; stream: ByteSource }> {
  const it = src[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let have = 0;
  let done = false;
  while (have < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    chunks.push(r.value);
    have += r.value.length;
  }
  const head = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  async function* replay(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (done) return;
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      await it.return?.();
    }
  }
  return { head, stream: replay() };
}

/** Counts what flows through, so a decode error can say at which compressed byte it broke. */
function counted(src: ByteSource, counter: { bytes: number }): Readable {
  async function* gen(): AsyncGenerator<Buffer> {
    for await (const c of src) {
      counter.bytes += c.length;
      yield c;
    }
  }
  return Readable.from(gen(), { objectMode: false });
}

async function* through(src: ByteSource, transform: Transform, what: string): AsyncGenerator<Buffer> {
  const counter = { bytes: 0 };
  const input = counted(src, counter);
  let failure: Error | undefined;
  pipeline(input, transform, (err) => {
    if (err) failure = err;
  });
  try {
    for await (const c of transform) yield c as Buffer;
  } catch (e) {
    throw new DecodeError(`${what}: ${(e as Error).message}`, counter.bytes);
  }
  if (failure) throw new DecodeError(`${what}: ${failure.message}`, counter.bytes);
}

let xzAvailable: boolean | undefined;

export function hasXz(): boolean {
  if (xzAvailable === undefined) {
    const r = spawnSync('xz', ['--version'], { stdio: 'ignore' });
    xzAvailable = r.status === 0;
  }
  return xzAvailable;
}

/** Forces the WebAssembly xz decoder, for tests and the benchmark. */
export function setXzAvailable(v: boolean | undefined): void {
  xzAvailable = v;
}

async function* spawned(src: ByteSource, cmd: string, args: string[], what: string): AsyncGenerator<Buffer> {
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 2000) stderr += d;
  });
  // A decoder that is not installed fails the spawn: no output, no exit, only 'error'. Know before reading.
  const spawnError = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', resolve);
  });
  if (spawnError) throw new DecodeError(`${what}: ${cmd} could not be run (${spawnError.message}); install it to read this file`, 0);
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  exited.catch(() => {});
  const counter = { bytes: 0 };
  // EPIPE when the decoder quits early on corrupt input: its exit status says why.
  child.stdin.on('error', () => {});
  const stdinGone = once(child.stdin, 'close').catch(() => {});
  const feeding = (async () => {
    try {
      for await (const c of src) {
        counter.bytes += c.length;
        // A decoder that quit reads no more: stop waiting for room it will never make.
        if (!child.stdin.write(c)) await Promise.race([once(child.stdin, 'drain'), stdinGone]);
        if (child.exitCode !== null || child.stdin.destroyed) break;
      }
    } catch {
      // the source failed (outer decoder); the child sees a short stream
    } finally {
      child.stdin.end();
    }
  })();
  let finished = false;
  try {
    for await (const c of child.stdout) yield c as Buffer;
    await feeding;
    const [code, signal] = await exited;
    finished = true;
    if (code !== 0) {
      const msg =
        stderr
          .trim()
          .split('\n')
          .pop()
          ?.replace(/^[\w-]+: \(stdin\): /, '') || `exit ${code ?? signal}`;
      throw new DecodeError(`${what}: ${msg}`, counter.bytes);
    }
  } finally {
    if (!finished) child.kill();
  }
}

async function* wasmXz(src: ByteSource): AsyncGenerator<Buffer> {
  // The package is CommonJS: under ESM its exports arrive as `default`.
  const m = (await import('xz-decompress')) as unknown as {
    XzReadableStream?: typeof import('xz-decompress').XzReadableStream;
    default?: { XzReadableStream: typeof import('xz-decompress').XzReadableStream };
  };
  const XzReadableStream = m.XzReadableStream ?? m.default!.XzReadableStream;
  const counter = { bytes: 0 };
  const web = Readable.toWeb(counted(src, counter)) as unknown as ReadableStream<Uint8Array>;
  const out = new XzReadableStream(web);
  try {
    for await (const c of out as unknown as AsyncIterable<Uint8Array>) yield Buffer.from(c.buffer, c.byteOffset, c.byteLength);
  } catch (e) {
    throw new DecodeError(`xz: ${(e as Error).message}`, counter.bytes);
  }
}

/** Undoes one layer of compression given its magic; other kinds pass through untouched. */
export function decompress(kind: Magic, src: ByteSource): ByteSource {
  switch (kind) {
    case 'gzip':
      return through(src, createGunzip(), 'gzip');
    case 'xz':
      return hasXz() ? spawned(src, 'xz', ['-dc'], 'xz') : wasmXz(src);
    case 'bzip2':
      return spawned(src, 'bzip2', ['-dc'], 'bzip2');
    case 'zstd':
      return spawned(src, 'zstd', ['-dc'], 'zstd');
    default:
      return src;
  }
}

export const COMPRESSED: ReadonlySet<Magic> = new Set<Magic>(['gzip', 'xz', 'bzip2', 'zstd']);

/** Peeks, decompresses when compressed (one layer), and peeks again at what is inside. */
export async function openDecoded(src: ByteSource): Promise<{ outer: Magic; inner: Magic; head: Buffer; stream: ByteSource }> {
  const first = await peek(src);
  const outer = sniffMagic(first.head);
  if (!COMPRESSED.has(outer)) return { outer, inner: outer, head: first.head, stream: first.stream };
  const second = await peek(decompress(outer, first.stream));
  return { outer, inner: sniffMagic(second.head), head: second.head, stream: second.stream };
}
