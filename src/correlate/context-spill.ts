import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { TempFolder } from './temp-folder.js';
import { grown, resized } from './grown.js';

/**
 * The context the event store may need, kept out of the heap until the end
 * of the input (`EventStore`): each event as text (its line or its JSON:
 * classify.ts `toSpilled`) in a byte buffer, in memory
 * up to a few MiB and then in a file of a temp folder this process owns, and
 * per event a few numbers in typed arrays (its place in the bytes, role,
 * time, host, file, estimated size, and 32-bit hashes of the request ids and
 * uuids it names). Only the events chosen at the end are read and parsed.
 *
 * Why: whether a DEBUG step or a placement query matters is known only when
 * a failure names its request or instance, often later in the log, sometimes
 * hours later. Held as objects, such context outlived V8's young generation,
 * was promoted, and was let go by sweeps that read and rebuilt the whole
 * store: two thirds of ingest time and most of the peak RSS, and context let
 * go before the failure that needed it was read. Here the choice is made once,
 * with every failure known, and costs about 50 bytes per event, outside V8's heap.
 *
 * Hashes stand for the keys: two keys sharing a hash can only make a context
 * line look tied when it is not (kept, never lost).
 */

/** Bytes of JSON held in memory before the spill moves to a file. */
const IN_MEMORY = 8 * 2 ** 20;
/** The buffers JSON is written into, each written to the file whole; reads back go by windows of this size too. */
const CHUNK = 2 ** 20;

export interface SpilledMeta {
  /** KEYS (tied by its request ids and uuids) or TIME (tied by time to an anchor on its host). */
  role: number;
  /** Log time in ms (NaN when undated). */
  t: number;
  host: string;
  file: string;
  /** 1-based line in its file (what a coverage warning names). */
  line: number;
  /** Estimated heap bytes once read back (`approxBytes`). */
  size: number;
  /** How many of `keys` (the first ones) are request ids. */
  requestKeys: number;
  /** `hashKey` of the request ids (local, global) it names, then of its uuids (instance, then others). */
  keys: ArrayLike<number>;
}

export interface SpillOptions {
  /** Bytes held in memory before the spill moves to a file. Default 8 MiB. */
  held?: number;
  /** Where its temp folder is made. Default the system's (`os.tmpdir()`). */
  dir?: string;
  /**
   * The most events it will hold (the store's `maxSpilled`): past `GROW_AT_ONCE` rows its columns grow to
   * that at once rather than doubling. A doubling late in a long run held the old columns beside the new
   * (16 + 32 MB at 262,144 rows) at the ingest's peak, and the new had room for 52,000 rows never used.
   */
  rows?: number;
}

/** Rows past which the columns grow to `SpillOptions.rows` at once (about 4 MB of columns before). */
const GROW_AT_ONCE = 65_536;

export class ContextSpill {
  /** Events spilled and not let go. */
  count = 0;
  /** Set when the file could not be written (a full disk): later context is dropped, and counted. */
  failed?: string;
  /** Where event i's JSON starts in the spill's bytes, and its length. */
  private at = new Float64Array(1024);
  private len = new Int32Array(1024);
  /** Where event i's JSON is: 0 in the spill's own bytes, k in the file `sources[k - 1]` names (`putAt`). */
  private src = new Uint8Array(1024);
  private readonly sources: string[] = [];
  private seqs = new Int32Array(1024);
  private roles = new Uint8Array(1024);
  private times = new Float64Array(1024);
  private hostIds = new Int32Array(1024);
  private fileIds = new Int32Array(1024);
  private sizes = new Int32Array(1024);
  private lineNos = new Int32Array(1024);
  /** How many of event i's keys (the first ones) are request ids. */
  private requestKeys = new Uint8Array(1024);
  /** Key hashes of event i: keyHashes[keyStart[i] .. keyStart[i + 1]). */
  private keyStart = new Int32Array(1025);
  private keyHashes = new Int32Array(4096);
  private readonly hosts: string[] = [];
  private readonly hostIndex = new Map<string, number>();
  private readonly files: string[] = [];
  private readonly fileIndex = new Map<string, number>();
  /** The chunk being filled, where it starts in the spill's bytes, and how much of it is used. */
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK);
  private chunkAt = 0;
  private used = 0;
  /** Filled chunks kept in memory (no file yet), with where each starts. */
  private held: { at: number; bytes: Buffer }[] = [];
  private dir?: TempFolder;
  private fd?: number;

  /** `json`: the event's JSON, as text or as its UTF-8 bytes (a parse worker's, store-digest.ts). */
  put(json: string | Uint8Array, meta: SpilledMeta, seq: number): boolean {
    if (this.failed) return false;
    const place = this.write(json);
    if (!place) return false;
    this.record(0, place.at, place.len, meta, seq);
    return true;
  }

  /**
   * An event whose JSON was already written to a file of its own (a parse worker's spill: store-digest.ts):
   * `len` bytes at `at` of the file numbered `source` (`source`), read from there at the end. The file
   * must stay until then.
   */
  putAt(source: number, at: number, len: number, meta: SpilledMeta, seq: number): boolean {
    if (this.failed || source <= 0) return false;
    this.record(source, at, len, meta, seq);
    return true;
  }

  /** The number `putAt` knows a file by (0 when no more can be: up to 255). */
  source(path: string): number {
    const k = this.sources.indexOf(path) + 1;
    if (k > 0 || this.sources.length >= 255) return k;
    return this.sources.push(path);
  }

  private record(src: number, at: number, len: number, meta: SpilledMeta, seq: number): void {
    const i = this.count;
    if (i + 1 >= this.at.length) this.grow();
    this.src[i] = src;
    this.at[i] = at;
    this.len[i] = len;
    this.seqs[i] = seq;
    this.roles[i] = meta.role;
    this.times[i] = meta.t;
    this.hostIds[i] = intern(meta.host, this.hosts, this.hostIndex);
    this.fileIds[i] = intern(meta.file, this.files, this.fileIndex);
    this.sizes[i] = meta.size;
    this.lineNos[i] = meta.line;
    this.requestKeys[i] = meta.requestKeys;
    let k = this.keyStart[i];
    const n = meta.keys.length;
    if (k + n > this.keyHashes.length) this.keyHashes = grown(this.keyHashes, k + n);
    for (let j = 0; j < n; j++) this.keyHashes[k++] = meta.keys[j];
    this.keyStart[i + 1] = k;
    this.count++;
  }

  seqOf(i: number): number {
    return this.seqs[i];
  }
  roleOf(i: number): number {
    return this.roles[i];
  }
  sizeOf(i: number): number {
    return this.sizes[i];
  }
  timeOf(i: number): number {
    return this.times[i];
  }
  hostOf(i: number): string {
    return this.hosts[this.hostIds[i]];
  }
  /** The number of a host's name among the spilled events' (-1 when none is on it). */
  hostNumber(host: string): number {
    return this.hostIndex.get(host) ?? -1;
  }
  hostNumberOf(i: number): number {
    return this.hostIds[i];
  }
  fileOf(i: number): string {
    return this.files[this.fileIds[i]];
  }
  lineOf(i: number): number {
    return this.lineNos[i];
  }

  /** True when one of event i's request ids is in `keys`. */
  tiedByRequest(i: number, keys: ReadonlySet<number>): boolean {
    const end = this.keyStart[i] + this.requestKeys[i];
    for (let k = this.keyStart[i]; k < end; k++) if (keys.has(this.keyHashes[k])) return true;
    return false;
  }

  /** The hashes of event i's uuids. */
  *uuidHashes(i: number): IterableIterator<number> {
    for (let k = this.keyStart[i] + this.requestKeys[i]; k < this.keyStart[i + 1]; k++) yield this.keyHashes[k];
  }

  /**
   * The files `inFile` says, read as host `from`, belong to `to` (EventStore.renameHost).
   * `elsewhere`: some event of another file is still under `from`.
   */
  renameHost(from: string, to: string, inFile: (file: string) => boolean): { renamed: number; elsewhere: boolean } {
    const f = this.hostIndex.get(from);
    if (f === undefined) return { renamed: 0, elsewhere: false };
    const t = intern(to, this.hosts, this.hostIndex);
    let renamed = 0;
    let elsewhere = false;
    for (let i = 0; i < this.count; i++) {
      if (this.hostIds[i] !== f) continue;
      if (inFile(this.files[this.fileIds[i]])) {
        this.hostIds[i] = t;
        renamed++;
      } else elsewhere = true;
    }
    return { renamed, elsewhere };
  }

  /** Keeps the events `stays` says, in order; the others' bytes stay written and are never read. Returns how many went. */
  retain(stays: (i: number) => boolean): number {
    let w = 0;
    let k = 0;
    const n = this.count;
    for (let i = 0; i < n; i++) {
      if (!stays(i)) continue;
      const from = this.keyStart[i];
      const to = this.keyStart[i + 1];
      this.src[w] = this.src[i];
      this.at[w] = this.at[i];
      this.len[w] = this.len[i];
      this.seqs[w] = this.seqs[i];
      this.roles[w] = this.roles[i];
      this.times[w] = this.times[i];
      this.hostIds[w] = this.hostIds[i];
      this.fileIds[w] = this.fileIds[i];
      this.sizes[w] = this.sizes[i];
      this.lineNos[w] = this.lineNos[i];
      this.requestKeys[w] = this.requestKeys[i];
      this.keyStart[w] = k;
      this.keyHashes.copyWithin(k, from, to);
      k += to - from;
      w++;
    }
    this.keyStart[w] = k;
    this.count = w;
    return n - w;
  }

  /**
   * Keeps the events `wanted` says (`retain`: `each`'s `i` and the accessors number them anew) and hands
   * the JSON of each to `each`, in the order spilled, reading only those; then lets go of everything (the
   * file and its folder are removed).
   */
  drain(wanted: (i: number) => boolean, each: (i: number, json: string) => void): void {
    this.retain(wanted);
    // The columns shrink to the events read back before their JSON becomes events: on a long log they
    // hold up to `maxSpilled` rows (~60 bytes each) that would otherwise stay beside the events read back, in the peak RSS.
    this.resize(this.count);
    this.keyHashes = resized(this.keyHashes, this.keyStart[this.count]);
    const others: { fd?: number; window: Buffer; from: number; to: number }[] = this.sources.map(() => ({
      window: Buffer.alloc(0),
      from: 0,
      to: 0,
    }));
    try {
      if (this.fd !== undefined && !this.flush()) return;
      let window: Buffer = this.chunk;
      let from = 0;
      let to = 0;
      for (let i = 0; i < this.count; i++) {
        const at = this.at[i];
        const end = at + this.len[i];
        if (this.src[i] > 0) {
          // Another process's file: a window of its own, read forward as the events come.
          const o = others[this.src[i] - 1];
          o.fd ??= openSync(this.sources[this.src[i] - 1], 'r');
          if (at < o.from || end > o.to) {
            o.window = readWindow(o.fd, o.window, at, end - at);
            o.from = at;
            o.to = at + o.window.length;
          }
          each(i, o.window.toString('utf8', at - o.from, end - o.from));
          continue;
        }
        if (at < from || end > to) {
          if (this.fd === undefined) {
            // In memory: the held chunk holding it, or the one being filled (a record never spans two).
            const h = this.held.find((c) => c.at <= at && end <= c.at + c.bytes.length);
            window = h?.bytes ?? this.chunk;
            from = h?.at ?? this.chunkAt;
            to = from + (h ? h.bytes.length : this.used);
          } else {
            window = readWindow(this.fd, window === this.chunk ? Buffer.alloc(0) : window, at, end - at);
            from = at;
            to = at + window.length;
          }
        }
        each(i, window.toString('utf8', at - from, end - from));
      }
    } catch (e) {
      this.failed = (e as NodeJS.ErrnoException).code ?? String(e);
    } finally {
      for (const o of others) if (o.fd !== undefined) closeSync(o.fd);
      this.dispose();
    }
  }

  /** Removes the file and its folder (also on exit, should the run end early). */
  dispose(): void {
    this.held = [];
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // Already closed: nothing to do.
      }
      this.fd = undefined;
    }
    this.dir?.remove();
    this.dir = undefined;
  }

  constructor(private readonly opts: SpillOptions = {}) {}

  /** Writes one event's JSON; where it went, or undefined when it could not be written. */
  private write(json: string | Uint8Array): { at: number; len: number } | undefined {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const most = typeof json === 'string' ? json.length * 3 : json.length;
    if (this.used + most > CHUNK) {
      if (!this.flush()) return undefined;
      if (most > CHUNK) {
        // A record larger than a chunk gets a chunk of its own.
        const bytes = typeof json === 'string' ? Buffer.from(json, 'utf8') : Buffer.from(json);
        const at = this.chunkAt;
        this.chunk = bytes;
        this.used = bytes.length;
        if (!this.flush()) return undefined;
        return { at, len: bytes.length };
      }
    }
    const at = this.chunkAt + this.used;
    let len = json.length;
    if (typeof json === 'string') len = this.chunk.write(json, this.used, 'utf8');
    else this.chunk.set(json, this.used);
    this.used += len;
    // Past what may be held in memory: to the file now, not when the chunk is full.
    if (this.fd === undefined && !this.failed && at + len > (this.opts.held ?? IN_MEMORY) && !this.flush()) return undefined;
    return { at, len };
  }

  /** Hands the chunk being filled to memory or to the file, and starts a new one. */
  private flush(): boolean {
    if (this.used === 0) return true;
    const bytes = this.chunk.subarray(0, this.used);
    if (this.fd === undefined && !this.failed && this.chunkAt + this.used > (this.opts.held ?? IN_MEMORY)) this.open();
    if (this.fd === undefined) this.held.push({ at: this.chunkAt, bytes });
    else
      try {
        writeAll(this.fd, bytes, this.chunkAt);
      } catch (e) {
        this.failed = (e as NodeJS.ErrnoException).code ?? String(e);
        return false;
      }
    this.chunkAt += this.used;
    this.used = 0;
    // Held chunks stay as they are; a chunk written to the file is filled again.
    if (this.fd === undefined || this.chunk.length !== CHUNK) this.chunk = Buffer.allocUnsafe(CHUNK);
    return true;
  }

  /**
   * Moves the held chunks to a file of a temp folder of our own. When none can be made, what is held
   * stays (a few MiB) and later context is refused (`failed`): the store counts it as dropped.
   */
  private open(): void {
    let fd: number | undefined;
    try {
      this.dir = new TempFolder('nova-forensics-spill-', this.opts.dir);
      fd = openSync(join(this.dir.path, 'context.json'), 'w+', 0o600);
      for (const h of this.held) writeAll(fd, h.bytes, h.at);
      this.fd = fd;
      this.held = [];
    } catch (e) {
      this.failed = (e as NodeJS.ErrnoException).code ?? String(e);
      if (fd !== undefined) closeSync(fd);
      this.dir?.remove();
      this.dir = undefined;
    }
  }

  private grow(): void {
    const n = this.at.length;
    const most = (this.opts.rows ?? 0) + 2;
    this.resize(n >= GROW_AT_ONCE && most > n ? most : n * 2);
  }

  /** Columns with room for `n` events (fewer than held cuts the last ones); the old ones are let go at once. */
  private resize(n: number): void {
    this.at = resized(this.at, n);
    this.len = resized(this.len, n);
    this.src = resized(this.src, n);
    this.seqs = resized(this.seqs, n);
    this.hostIds = resized(this.hostIds, n);
    this.fileIds = resized(this.fileIds, n);
    this.sizes = resized(this.sizes, n);
    this.lineNos = resized(this.lineNos, n);
    this.keyStart = resized(this.keyStart, n + 1);
    this.roles = resized(this.roles, n);
    this.requestKeys = resized(this.requestKeys, n);
    this.times = resized(this.times, n);
  }
}

/** FNV-1a over the key's UTF-16 code units, 32 bits. */
export function hashKey(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

function intern(s: string, list: string[], index: Map<string, number>): number {
  let i = index.get(s);
  if (i === undefined) {
    i = list.length;
    list.push(s);
    index.set(s, i);
  }
  return i;
}

/** At least `need` bytes of the file from `at` (a CHUNK when there are), in `reuse` when it is big enough; fewer at the file's end. */
function readWindow(fd: number, reuse: Buffer, at: number, need: number): Buffer {
  const size = Math.max(CHUNK, need);
  const window = reuse.length >= size ? reuse : Buffer.allocUnsafe(size);
  let got = 0;
  while (got < size) {
    const n = readSync(fd, window, got, size - got, at + got);
    if (n === 0) break;
    got += n;
  }
  return window.subarray(0, got);
}

function writeAll(fd: number, bytes: Buffer, at: number): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off, at + off);
}
