import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { MAGIC_BYTES, sniffMagic, sniffTextEncoding, type Magic, type TextEncoding } from './magic.js';

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
    /** Every byte of the data was delivered; only what followed it was bad (trailing garbage). */
    readonly complete = false,
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
      return gunzip(src);
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

export interface Opened extends DecodeNotes {
  outer: Magic;
  inner: Magic;
  /** The first bytes of `stream`: after decompression, leading NULs and a byte-order mark, as UTF-8. */
  head: Buffer;
  stream: ByteSource;
}

/** What decoding did to text besides decompressing it, for the coverage. */
export interface DecodeNotes {
  /** Set when the text was not plain UTF-8: it is transcoded to UTF-8 (UTF-16) or its byte-order mark dropped. */
  encoding?: TextEncoding;
  /** UTF-16 told by its NUL pattern, without a byte-order mark. */
  encodingGuessed?: boolean;
  /** NUL bytes skipped before the first other byte (a preallocated file a crash left, a copytruncate hole). */
  leadingNulBytes?: number;
}

/**
 * Peeks, decompresses when compressed (one layer), and peeks again at what is
 * inside. Text comes out as UTF-8 whatever it was written in, without a
 * leading run of NULs: such a run is skipped and counted, never taken for
 * binary data when text follows it.
 */
export async function openDecoded(src: ByteSource): Promise<Opened> {
  let nuls = 0;
  let first = await peek(src);
  if (first.head.length > 0 && first.head[0] === 0) {
    const skipped = await skipNuls(first.stream);
    nuls += skipped.skipped;
    first = await peek(skipped.stream);
  }
  const outer = sniffMagic(first.head);
  let inner = outer;
  let cur = first;
  if (COMPRESSED.has(outer)) {
    cur = await peek(decompress(outer, first.stream));
    if (cur.head.length > 0 && cur.head[0] === 0) {
      const skipped = await skipNuls(cur.stream);
      nuls += skipped.skipped;
      cur = await peek(skipped.stream);
    }
    inner = sniffMagic(cur.head);
  }
  const out: Opened = { outer, inner, head: cur.head, stream: cur.stream };
  if (nuls > 0) out.leadingNulBytes = nuls;
  if (inner !== 'text') return out;
  const enc = sniffTextEncoding(cur.head);
  if (enc.encoding === 'utf-8') return out;
  out.encoding = enc.encoding;
  if (enc.guessed) out.encodingGuessed = true;
  const body = enc.encoding === 'utf-8 with BOM' ? skipBytes(cur.stream, enc.bom) : fromUtf16(cur.stream, enc.encoding === 'utf-16be');
  const again = await peek(body);
  out.head = again.head;
  out.stream = again.stream;
  out.inner = sniffMagic(again.head);
  return out;
}

/** Drops the NUL bytes at the start of a stream, counting them; the stream then starts at the first other byte. */
async function skipNuls(src: ByteSource): Promise<{ skipped: number; stream: ByteSource }> {
  const it = src[Symbol.asyncIterator]();
  let skipped = 0;
  for (;;) {
    const r = await it.next();
    if (r.done) return { skipped, stream: (async function* () {})() };
    const c = r.value;
    let i = 0;
    while (i < c.length && c[i] === 0) i++;
    skipped += i;
    if (i < c.length) return { skipped, stream: resume(c.subarray(i), it) };
  }
}

async function* resume(first: Buffer, it: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield first;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  } finally {
    await it.return?.();
  }
}

async function* skipBytes(src: ByteSource, n: number): AsyncGenerator<Buffer> {
  let left = n;
  for await (const c of src) {
    if (left >= c.length) {
      left -= c.length;
      continue;
    }
    yield left > 0 ? c.subarray(left) : c;
    left = 0;
  }
}

/** UTF-16 (little or big endian) → UTF-8, chunk by chunk; a byte-order mark is dropped. */
async function* fromUtf16(src: ByteSource, bigEndian: boolean): AsyncGenerator<Buffer> {
  const decoder = new StringDecoder('utf16le');
  let odd: Buffer | undefined;
  let first = true;
  const emit = (text: string): Buffer | undefined => {
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text.length > 0 ? Buffer.from(text, 'utf8') : undefined;
  };
  for await (const c of src) {
    let b = c;
    if (bigEndian) {
      // swap16 works in place on whole pairs: copy, and carry an odd byte to the next chunk.
      b = odd ? Buffer.concat([odd, c]) : Buffer.from(c);
      odd = undefined;
      if (b.length % 2 === 1) {
        odd = Buffer.from(b.subarray(b.length - 1));
        b = b.subarray(0, b.length - 1);
      }
      b.swap16();
    }
    const out = emit(decoder.write(b));
    if (out) yield out;
  }
  const tail = emit(decoder.end() + (odd ? '\uFFFD' : ''));
  if (tail) yield tail;
}

// ───────────────────────────── gzip ─────────────────────────────

/** Pulls bytes from a stream with look-ahead and push-back, for a format framed by hand. */
class ByteReader {
  private readonly it: AsyncIterator<Buffer>;
  private bufs: Buffer[] = [];
  private have = 0;
  private done = false;
  /** Bytes pulled from the source so far. */
  pulled = 0;

  constructor(src: ByteSource) {
    this.it = src[Symbol.asyncIterator]();
  }

  /** Buffers at least `n` bytes, or all that is left; returns how many are buffered. */
  async fill(n: number): Promise<number> {
    while (this.have < n && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else if (r.value.length > 0) {
        this.bufs.push(r.value);
        this.have += r.value.length;
        this.pulled += r.value.length;
      }
    }
    return this.have;
  }

  /** The first `n` buffered bytes (fewer if fewer are buffered), left in place. */
  peek(n: number): Buffer {
    if (this.bufs.length > 1 && this.bufs[0].length < n) this.bufs = [Buffer.concat(this.bufs)];
    const b = this.bufs[0] ?? Buffer.alloc(0);
    return b.subarray(0, Math.min(n, b.length));
  }

  skip(n: number): void {
    this.have -= n;
    while (n > 0) {
      const b = this.bufs[0];
      if (b.length <= n) {
        n -= b.length;
        this.bufs.shift();
      } else {
        this.bufs[0] = b.subarray(n);
        n = 0;
      }
    }
  }

  /** The next piece of input, at most `max` bytes; undefined at the end. */
  async chunk(max: number): Promise<Buffer | undefined> {
    if (this.have === 0 && (await this.fill(1)) === 0) return undefined;
    const b = this.bufs[0];
    const c = b.length <= max ? b : b.subarray(0, max);
    this.skip(c.length);
    return c;
  }

  unshift(b: Buffer): void {
    if (b.length === 0) return;
    this.bufs.unshift(b);
    this.have += b.length;
  }

  /** Bytes of input consumed so far (pulled minus buffered). */
  get consumed(): number {
    return this.pulled - this.have;
  }

  async close(): Promise<void> {
    await this.it.return?.();
  }
}

const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
const FHCRC = 2;
const MAX_GZIP_HEADER = 1 << 16;
/** Compressed bytes handed to zlib at a time: what one step may output is bounded by it. */
const INFLATE_SLICE = 64 << 10;
const crc32: ((data: Buffer, value?: number) => number) | undefined = (zlib as { crc32?: (d: Buffer, v?: number) => number }).crc32;

/**
 * gzip, member by member. zlib's own gunzip takes whatever follows a member
 * for the next member in the same step; when that is garbage (an error page
 * appended by a download, junk after a crash) the step fails and the
 * member's last output is lost with it. Here each member's header is read by
 * hand and its body inflated raw, so where a member ends is known exactly:
 * what follows is another member, NUL padding (ignored, as gzip does), or
 * trailing garbage, reported with its size once everything before it was
 * delivered (`DecodeError.complete`).
 */
async function* gunzip(src: ByteSource): AsyncGenerator<Buffer> {
  const r = new ByteReader(src);
  let members = 0;
  try {
    for (;;) {
      const have = await r.fill(10);
      if (have === 0) {
        if (members === 0) throw new DecodeError('gzip: empty input', 0);
        return;
      }
      const id = r.peek(2);
      if (have < 2 || id[0] !== 0x1f || id[1] !== 0x8b) {
        if (members === 0) throw new DecodeError('gzip: not in gzip format', 0);
        const at = r.consumed;
        let bytes = 0;
        let garbage = false;
        for (let c = await r.chunk(INFLATE_SLICE); c; c = await r.chunk(INFLATE_SLICE)) {
          bytes += c.length;
          if (!garbage) for (let i = 0; i < c.length && !garbage; i++) garbage = c[i] !== 0;
        }
        if (garbage)
          throw new DecodeError(
            `gzip: ${bytes} byte(s) of trailing garbage after the compressed data (from compressed byte ${at}), ignored; everything before them was read`,
            at,
            true,
          );
        return;
      }
      await readGzipHeader(r);
      yield* inflateMember(r);
      members++;
    }
  } finally {
    await r.close();
  }
}

async function readGzipHeader(r: ByteReader): Promise<void> {
  const at = r.consumed;
  const cut = (): DecodeError => new DecodeError('gzip: unexpected end of file (in a member header)', r.pulled);
  if ((await r.fill(10)) < 10) throw cut();
  const h = r.peek(10);
  if (h[2] !== 8) throw new DecodeError(`gzip: unknown compression method ${h[2]} (compressed byte ${at + 2})`, at);
  const flags = h[3];
  if (flags & 0xe0) throw new DecodeError(`gzip: reserved header flags set (compressed byte ${at + 3}): corrupt header`, at);
  r.skip(10);
  if (flags & FEXTRA) {
    if ((await r.fill(2)) < 2) throw cut();
    const len = r.peek(2).readUInt16LE(0);
    r.skip(2);
    if ((await r.fill(len)) < len) throw cut();
    r.skip(len);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    // A zero-terminated name or comment.
    for (let n = 0; ; ) {
      const got = await r.fill(n + 1);
      if (got <= n) throw cut();
      const b = r.peek(Math.min(got, MAX_GZIP_HEADER));
      const z = b.indexOf(0, n);
      if (z !== -1) {
        r.skip(z + 1);
        break;
      }
      n = b.length;
      if (n >= MAX_GZIP_HEADER) throw new DecodeError('gzip: a member header longer than 64 KiB: corrupt header', at);
    }
  }
  if (flags & FHCRC) {
    if ((await r.fill(2)) < 2) throw cut();
    r.skip(2);
  }
}

/** One member's deflate body and trailer; yields the data and checks its CRC and length. */
async function* inflateMember(r: ByteReader): AsyncGenerator<Buffer> {
  const inf = zlib.createInflateRaw();
  const out: Buffer[] = [];
  let ended = false;
  let failed: Error | undefined;
  let writing = false;
  let finishing = false;
  let wake: (() => void) | undefined;
  const poke = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  inf.on('data', (b: Buffer) => {
    out.push(b);
    poke();
  });
  inf.on('end', () => {
    ended = true;
    poke();
  });
  inf.on('error', (e: Error) => {
    failed = e;
    poke();
  });
  let fed = 0;
  let last: Buffer | undefined;
  let crc = 0;
  let size = 0;
  try {
    for (;;) {
      if (out.length > 0) {
        const b = out.shift()!;
        if (crc32) crc = crc32(b, crc);
        size = (size + b.length) >>> 0;
        yield b;
        continue;
      }
      if (failed) throw new DecodeError(`gzip: ${failed.message}`, r.pulled);
      if (ended) break;
      // zlib stopped taking input: the member ended inside what it was given. Wait for 'end'.
      if (writing || finishing || inf.bytesWritten < fed) {
        await new Promise<void>((res) => {
          wake = res;
        });
        continue;
      }
      const c = await r.chunk(INFLATE_SLICE);
      if (!c) {
        finishing = true;
        inf.end();
        continue;
      }
      fed += c.length;
      last = c;
      writing = true;
      inf.write(c, () => {
        writing = false;
        poke();
      });
    }
  } finally {
    inf.destroy();
  }
  // What zlib did not take belongs to the trailer and what follows.
  const unused = fed - inf.bytesWritten;
  if (unused > 0 && last) r.unshift(last.subarray(last.length - unused));
  if ((await r.fill(8)) < 8) throw new DecodeError('gzip: unexpected end of file (before the checksum at the end of a member)', r.pulled);
  const trailer = r.peek(8);
  const wantCrc = trailer.readUInt32LE(0);
  const wantSize = trailer.readUInt32LE(4);
  r.skip(8);
  if (crc32 && wantCrc !== crc >>> 0) throw new DecodeError('gzip: invalid compressed data--crc error', r.consumed);
  if (wantSize !== size) throw new DecodeError('gzip: invalid compressed data--length error', r.consumed);
}
