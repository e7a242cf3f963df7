import { closeSync, openSync, writeSync } from 'node:fs';
import { tsMs } from '../model/clock.js';
import type { Event } from '../model/event.js';
import { detached } from './request-spans.js';
import { ANCHOR, classify, type KeepRule, NOT_KEPT, signalOrWarning, spillMeta, toJson, toSpilled } from './classify.js';

/**
 * What the event store would make of a run of lines, worked out where they
 * were parsed (a parse worker: src/pipeline/parse-worker.ts) and handed back
 * as one plain record: `EventStore.replay` then takes it exactly as `pass`
 * and `add` would have taken the events one by one. Only what the store
 * keeps travels as an event's JSON (the spilled context's bytes go to the
 * spill as they are, never parsed); everything it only counts is folded:
 * request sightings per request and place, signature sightings per
 * signature and host (the last few), counts.
 *
 * Decisions are `classify`'s, shared with the store, with the default
 * reserve: a store with another (`StoreCaps.reserve`) must not replay digests.
 */

/** `StoreDigest.ops` kinds. */
export const DIGEST_SPILL = 1;
export const DIGEST_ANCHOR = 2;
/** Spilled context whose JSON is in `StoreDigest.spillFile`, not in the body. */
export const DIGEST_SPILL_AT = 3;

export interface StoreDigest {
  /** Events seen (passed and added). */
  seen: number;
  /** Per run of sightings of one request at one place, in the order first seen: id, host, service. */
  requests: string[];
  /** Per run (`RequestSpans.seeRun`): first time, its zone flag, earliest readable time, its flag, count. */
  requestTimes: Float64Array;
  /** Events per signature id, in the order first seen. */
  signatures: [string, number][];
  /** Per signature and host, in the order first seen: the number of its times in `sightedTimes` (the last few). */
  sighted: [string, string, number][];
  sightedTimes: Float64Array;
  /**
   * Kept events in the order read. Spilled context: DIGEST_SPILL, role (with RESERVED), JSON bytes, time,
   * size, line, host and file (in `strings`), request keys, key count, keys. Anchors: DIGEST_ANCHOR, role,
   * JSON bytes, signature count, signatures (in `strings`).
   */
  ops: Float64Array;
  strings: string[];
  /** The kept events' JSON, one after another. */
  body: Buffer;
  /** The file DIGEST_SPILL_AT events are in (a worker's `SpillFile`). */
  spillFile?: string;
}

/**
 * Context JSON written by a parse worker to a file of its own (in the main
 * process's temp folder), appended piece after piece: the main process's
 * spill points into it (`ContextSpill.putAt`) and reads only what it chooses
 * at the end, so spilled context never crosses back through a pipe or a copy.
 */
export class SpillFile {
  private readonly fd: number;
  private chunk = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private written = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a', 0o600);
  }

  /** Appends one event's JSON; where it starts, and its length. */
  write(json: string): [number, number] {
    if (this.used + json.length * 3 > this.chunk.length) {
      this.flush();
      if (json.length * 3 > this.chunk.length) this.chunk = Buffer.allocUnsafe(json.length * 3);
    }
    const at = this.written + this.used;
    const len = this.chunk.write(json, this.used, 'utf8');
    this.used += len;
    return [at, len];
  }

  /** Everything written is in the file (before the piece's answer goes). */
  flush(): void {
    for (let off = 0; off < this.used; ) off += writeSync(this.fd, this.chunk, off, this.used - off);
    this.written += this.used;
    this.used = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

const EMPTY = Buffer.alloc(0);
const BODY_START = 64 << 10;

/** Signature sightings kept per host: as many as the store keeps (`EventStore.lastSightings`). */
const SIGHTINGS = 4;

interface RequestRun {
  host: string;
  service: string;
  /** Where its times are in `requestTimes`. */
  at: number;
  minT: number;
  count: number;
}

/** A growable Float64Array. */
class Numbers {
  a = new Float64Array(4096);
  n = 0;
  push(x: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = x;
  }
  done(): Float64Array {
    return this.a.subarray(0, this.n);
  }
}

export class DigestBuilder {
  private seen = 0;
  /** Per request id, its runs (one per place; nearly always one). */
  private readonly runs = new Map<string, RequestRun[]>();
  private readonly requests: string[] = [];
  private readonly requestTimes = new Numbers();
  private readonly signatures = new Map<string, number>();
  private readonly sighted = new Map<string, { id: string; host: string; times: number[] }>();
  private readonly ops = new Numbers();
  private readonly strings = new Map<string, number>();
  private readonly body: Buffer[] = [];
  /** Made when the first JSON comes (with a worker's spill file, only anchors': few). */
  private chunk = EMPTY;
  private used = 0;

  /** `spill`: where spilled context's JSON goes (a worker's); else it travels in the body. */
  constructor(
    private readonly keep: KeepRule,
    private readonly spill?: SpillFile,
  ) {}

  /** As `EventStore.pass`. */
  pass(ev: Event): void {
    this.seen++;
    if (!ev.ts) return;
    if (ev.requestId) this.sightRequest(ev.requestId, ev.host, ev.service, ev.ts);
    if (ev.globalRequestId && ev.globalRequestId !== ev.requestId) this.sightRequest(ev.globalRequestId, ev.host, ev.service, ev.ts);
  }

  /** As `EventStore.add` (the main process's store makes an event spilled as its line again). */
  add(ev: Event, ofLine = false): void {
    this.pass(ev);
    const { sigs, role } = classify(this.keep, ev);
    for (const id of sigs) {
      this.signatures.set(id, (this.signatures.get(id) ?? 0) + 1);
      if (ev.ts) this.sightSignature(id, ev.host, tsMs(ev.ts));
    }
    if (role === NOT_KEPT) return;
    const o = this.ops;
    if (role === ANCHOR) {
      const len = this.write(toJson(ev));
      o.push(DIGEST_ANCHOR);
      o.push(role);
      o.push(len);
      o.push(sigs.length);
      for (const id of sigs) o.push(this.string(id));
      return;
    }
    const m = spillMeta(ev, role, signalOrWarning(ev, sigs));
    if (this.spill) {
      const [at, len] = this.spill.write(toSpilled(ev, ofLine));
      o.push(DIGEST_SPILL_AT);
      o.push(m.role);
      o.push(len);
      o.push(at);
    } else {
      o.push(DIGEST_SPILL);
      o.push(m.role);
      o.push(this.write(toSpilled(ev, ofLine)));
    }
    o.push(m.t);
    o.push(m.size);
    o.push(m.line);
    o.push(this.string(m.host));
    o.push(this.string(m.file));
    o.push(m.requestKeys);
    o.push(m.keys.length);
    for (let i = 0; i < m.keys.length; i++) o.push(m.keys[i]);
  }

  finish(): StoreDigest {
    const sightedTimes: number[] = [];
    const sighted: [string, string, number][] = [];
    for (const s of this.sighted.values()) {
      sighted.push([s.id, s.host, s.times.length]);
      sightedTimes.push(...s.times);
    }
    if (this.used > 0) this.body.push(this.chunk.subarray(0, this.used));
    this.spill?.flush();
    return {
      spillFile: this.spill?.path,
      seen: this.seen,
      requests: this.requests,
      requestTimes: this.requestTimes.done(),
      signatures: [...this.signatures],
      sighted,
      sightedTimes: Float64Array.from(sightedTimes),
      ops: this.ops.done(),
      strings: [...this.strings.keys()],
      body: Buffer.concat(this.body),
    };
  }

  private sightRequest(id: string, host: string, service: string, ts: string): void {
    const t = tsMs(ts);
    const z = ts.length > 23 ? 1 : 0;
    let runs = this.runs.get(id);
    let run: RequestRun | undefined;
    if (runs) for (const r of runs) if (r.host === host && r.service === service) run = r;
    if (!run) {
      // A request id is a slice of its line: a flat copy of its own, or the digest would hold every line.
      const own = detached(id);
      run = { host, service, at: this.requestTimes.n, minT: t, count: 1 };
      if (runs) runs.push(run);
      else this.runs.set(own, (runs = [run]));
      this.requests.push(own, host, service);
      const n = this.requestTimes;
      n.push(t);
      n.push(z);
      n.push(t);
      n.push(z);
      n.push(1);
      return;
    }
    const n = this.requestTimes.a;
    n[run.at + 4] = ++run.count;
    // The earliest readable time, its first occurrence (NaN is never earlier, and never replaced by `<`).
    if (t < run.minT || (Number.isNaN(run.minT) && !Number.isNaN(t))) {
      run.minT = t;
      n[run.at + 2] = t;
      n[run.at + 3] = z;
    }
  }

  private sightSignature(id: string, host: string, t: number): void {
    const key = `${id}\n${host}`;
    let s = this.sighted.get(key);
    if (!s) this.sighted.set(key, (s = { id, host, times: [] }));
    s.times.push(t);
    if (s.times.length > SIGHTINGS) s.times.shift();
  }

  private string(s: string): number {
    let i = this.strings.get(s);
    if (i === undefined) this.strings.set(s, (i = this.strings.size));
    return i;
  }

  /** Appends the event's JSON to the body; its length in bytes. */
  private write(json: string): number {
    if (this.used + json.length * 3 > this.chunk.length) {
      if (this.used > 0) this.body.push(this.chunk.subarray(0, this.used));
      // Small first: a piece's anchors are often a few KiB; context without a spill file fills MiBs.
      this.chunk = Buffer.allocUnsafe(Math.max(Math.min(2 * this.chunk.length || BODY_START, 1 << 20), json.length * 3));
      this.used = 0;
    }
    const len = this.chunk.write(json, this.used, 'utf8');
    this.used += len;
    return len;
  }
}

/** A digest as bytes for a pipe: a JSON head (its texts and counts), then its number arrays, then the body. */
export function encodeDigest(d: StoreDigest): Buffer[] {
  const head = Buffer.from(
    JSON.stringify({
      seen: d.seen,
      requests: d.requests,
      signatures: d.signatures,
      sighted: d.sighted,
      strings: d.strings,
      spillFile: d.spillFile,
      n: [d.requestTimes.length, d.sightedTimes.length, d.ops.length, d.body.length],
    }),
  );
  // The numbers start 8-byte aligned (from the digest's first byte): read back, they are used where they lie.
  const pad = (8 - ((4 + head.length) % 8)) % 8;
  const len = Buffer.alloc(4 + pad, 32);
  len.writeUInt32LE(head.length + pad);
  const nums = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return [len.subarray(0, 4), head, len.subarray(4), nums(d.requestTimes), nums(d.sightedTimes), nums(d.ops), d.body];
}

/** `encodeDigest`'s bytes back (its numbers where they lie when the bytes are 8-byte aligned there). */
export function decodeDigest(b: Buffer): StoreDigest {
  const headLen = b.readUInt32LE(0);
  const h = JSON.parse(b.toString('utf8', 4, 4 + headLen)) as Omit<StoreDigest, 'requestTimes' | 'sightedTimes' | 'ops' | 'body'> & {
    n: [number, number, number, number];
  };
  let at = 4 + headLen;
  const aligned = (b.byteOffset + at) % 8 === 0;
  const nums = (n: number): Float64Array => {
    // In place when aligned (a file read whole is); else copied out.
    const a = aligned ? new Float64Array(b.buffer, b.byteOffset + at, n) : new Float64Array(n);
    if (!aligned) Buffer.from(a.buffer).set(b.subarray(at, at + n * 8));
    at += n * 8;
    return a;
  };
  const requestTimes = nums(h.n[0]);
  const sightedTimes = nums(h.n[1]);
  const ops = nums(h.n[2]);
  const body = b.subarray(at, at + h.n[3]);
  return {
    seen: h.seen,
    requests: h.requests,
    requestTimes,
    signatures: h.signatures,
    sighted: h.sighted,
    sightedTimes,
    ops,
    strings: h.strings,
    body,
    spillFile: h.spillFile,
  };
}
