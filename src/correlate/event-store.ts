import { type HostSpan, tsMs } from '../model/clock.js';
import { orderTs, type Event } from '../model/event.js';
import {
  ANCHOR,
  approxBytes,
  classify,
  EVENT_OVERHEAD,
  fromJson,
  fromSpilled,
  type KeepRule,
  namedUuids,
  NOT_KEPT,
  RESERVED,
  requestKeys,
  signalOrWarning,
  type Rebuild,
  spillMeta,
  TIME,
  toSpilled,
} from './classify.js';
import { ContextSpill, hashKey, type SpilledMeta, type SpillOptions } from './context-spill.js';
import { detached, RequestSpans } from './request-spans.js';
import { DIGEST_ANCHOR, DIGEST_SPILL_AT, type StoreDigest } from './store-digest.js';

const EMPTY = Buffer.alloc(0);

export type { HostSpan };
export { approxBytes, type KeepRule, type Role } from './classify.js';

/**
 * The events an incident can need, indexed by request id (local and global),
 * by the uuids they mention (instances, migrations, consumers), by the
 * signatures they carry, and in arrival order. Everything else is counted and
 * let go: a multi-GB DEBUG log must not be held. Every request id also gets a
 * tiny per-host first sighting (bounded), which the clock-offset estimate reads.
 *
 * Memory is bounded whatever the input: the cap counts events of every level
 * and their estimated size. Events the reserve picks (those that carry a
 * signature, and WARNING and above, by default) may fill its last quarter.
 * Context (`Role` keys and time) waits in a spill until the input ends
 * (`ContextSpill`, `seal`), while anchors fill at most half the cap; then
 * what the anchors tie comes back, the untied counted as `letGo`, the tied
 * past the cap as `droppedAtCap` (the first one dropped named). Without a
 * spill (`StoreCaps.spill` false) the full store sweeps as it goes instead.
 */

export interface StoredEvent extends Event {
  seq: number;
}

export interface StoreStats {
  seen: number;
  retained: number;
  /** Worth keeping but past the cap (of any level). */
  droppedAtCap: number;
  /** Kept as context, let go when the store was full because no anchor tied them (see `Role`). */
  letGo: number;
  /** Times the full store was swept for context no anchor tied. */
  sweeps: number;
  /** Where the first event past the cap was read. */
  firstDropped?: { file: string; line: number };
  /** Why context could not be spilled or read back (a full disk, no temp folder): what it would have held is counted as dropped. */
  spillFailed?: string;
  requestsTracked: number;
  requestsUntracked: number;
  /** Events seen per signature id (kept or not). */
  signatures: Record<string, number>;
}

/** Sightings noted per signature and host (`lastSightings`), and (signature, host) pairs noted at most. */
const SIGHTINGS = 4;
const MAX_SIGHTED = 100_000;
/** A spilled event no anchor ties (`tiersInSpill`). */
const UNTIED = 255;
/** The share of the caps anchors may fill while context is spilled; the rest is the context's at the end. */
const ANCHOR_SHARE = 0.5;
/** Lines naming an anchor's uuid kept with it first (`promoteUuidNeighbours`): after it, and before it. */
const UUID_FOLLOWERS = 4;
const UUID_LEADERS = 2;
/** How far from an anchor naming the same uuid spilled context is needed first (an instance's build, a move). */
const UUID_NEAR_MS = 60 * 60_000;
/** How far from an anchor (log time) a `time` event it may need can be. */
export const TIME_LINK_MS = 10 * 60_000;
/** `time` events kept after each anchor on its host (a periodic audit's start and final view, twice). */
const TIME_FOLLOWERS = 4;
/** The newest share of the store a sweep never touches. */
const SWEEP_SPARES = 0.1;

export interface StoreCaps {
  /** The cap in events (every level). Default 300,000. */
  maxEvents?: number;
  /** The cap in estimated heap bytes of the kept events (every level). Default 48 MiB. */
  maxBytes?: number;
  /** Request ids whose first sighting per host is kept for the clock. Default 100,000. */
  maxRequests?: number;
  /** Which kept events may fill the reserve, the last quarter of the cap. Default: those with a signature, and WARNING and above. */
  reserve?: (ev: Event, signatures: readonly string[]) => boolean;
  /**
   * Context (`keys` and `time` events) waits outside the heap until the input ends (`ContextSpill`), and only
   * what the failures then tie is read back. Default true when the keep rule gives roles; false holds it as
   * events and sweeps the full store as it goes (what tests of the sweep use).
   */
  spill?: boolean;
  /**
   * Context events spilled at most (about 60 bytes each, outside the heap); past it untied ones are let go.
   * Default `SPILL_ROOM` (6) times the most the caps could ever take back (`maxBytes` over the least an event
   * costs, `EVENT_OVERHEAD`; at most `maxEvents`): 471,858 with the default caps, about 28 MB.
   */
  maxSpilled?: number;
  /** Where the spill writes, and how much it holds in memory first (`SpillOptions`). */
  spillTo?: SpillOptions;
  /**
   * Makes an event again from its line (parsers/oslo-events.ts `eventOfLine`): context that `add` is told
   * such a line makes is spilled as that line, not as JSON (`toSpilled`). Absent: all of it as JSON.
   */
  rebuild?: Rebuild;
}

/**
 * The spill holds this many times the context the caps could take back (`StoreCaps.maxSpilled`). Room is
 * time: a full spill lets go of what no failure has named yet, so the smaller it is, the sooner a line
 * waiting for a failure hours later goes. Measured on the bench's four 300 MiB and 1 GiB logs against
 * 1,000,000 rows: 4 (314,572) changed the timelines of 121 of the 633 incidents of the quiet 300 MiB log (an instance's
 * builds hours before its failure gone, later lines in their place); 8 gave the same reports on all four,
 * and 25-40 MB less peak RSS than 1,000,000 on the 1 GiB logs; 6 (471,858) the same timelines as 8 on all
 * four (ERRORs no signature names spilled too), ~9 MB less: the spill's columns are the ingest's peak.
 */
const SPILL_ROOM = 6;

/** Distinct strings shared among kept events (loggers, users, projects); past it, new ones are not shared. */
const MAX_INTERNED = 20_000;
/** Events outside the reserve stop at this share of the cap. */
const RESERVE_SHARE = 0.75;

export class EventStore {
  private readonly kept: StoredEvent[] = [];
  private readonly reqIndex = new Map<string, StoredEvent[]>();
  private readonly uuidIndex = new Map<string, StoredEvent[]>();
  /** Events by the signatures they carry, in arrival order: what detectors start from. */
  private readonly bySignature = new Map<string, StoredEvent[]>();
  readonly requests: RequestSpans;
  readonly stats: StoreStats = {
    seen: 0,
    retained: 0,
    droppedAtCap: 0,
    letGo: 0,
    sweeps: 0,
    requestsTracked: 0,
    requestsUntracked: 0,
    signatures: {},
  };
  /** Estimated heap bytes of the kept events. */
  bytes = 0;
  private readonly strings = new Map<string, string>();
  private readonly maxEvents: number;
  private readonly maxBytes: number;
  private readonly reserve: (ev: Event, signatures: readonly string[]) => boolean;
  /** Per kept event (same positions as `events`): its role code and estimated size. */
  private roles: number[] = [];
  private sizes: number[] = [];
  /** Per kept event: the uuids its message names besides its instance (found once, for the index and the sweeps). */
  private uuids: (string[] | undefined)[] = [];
  /** The request ids and uuids the anchors name: what ties context to a failure. Anchors are never let go, so it only grows. */
  private readonly anchorKeys = new Set<string>();
  private nextSeq = 0;
  /** Events offered since the last sweep: the next waits for an eighth of the cap of them (a sweep reads the whole store). */
  private sinceSweep = Infinity;
  /** Per signature and host, the times of its last SIGHTINGS events (`lastSightings`). */
  private readonly sighted = new Map<string, Map<string, number[]>>();
  private sightedHosts = 0;
  /** Context waiting for the end of the input (see `StoreCaps.spill`); undefined once read back. */
  private spill?: ContextSpill;
  private readonly maxSpilled: number;
  private readonly rebuild?: Rebuild;
  /** Context spilled since the spill was last swept. */
  private sinceSpillSweep = 0;

  constructor(
    private readonly keep: KeepRule,
    caps: StoreCaps = {},
  ) {
    this.maxEvents = caps.maxEvents ?? 300_000;
    this.maxBytes = caps.maxBytes ?? 48 * 2 ** 20;
    this.reserve = caps.reserve ?? signalOrWarning;
    this.requests = new RequestSpans(caps.maxRequests ?? 100_000);
    this.rebuild = caps.rebuild;
    this.maxSpilled = caps.maxSpilled ?? SPILL_ROOM * Math.min(this.maxEvents, Math.floor(this.maxBytes / EVENT_OVERHEAD));
    if ((caps.spill ?? true) && keep.role) this.spill = new ContextSpill({ rows: this.maxSpilled, ...caps.spillTo });
  }

  /** Every kept event, in arrival order (reading it ends the input: spilled context is read back). */
  get events(): StoredEvent[] {
    this.seal();
    return this.kept;
  }

  /** Kept events by request id (local and global), in arrival order. */
  get byRequest(): Map<string, StoredEvent[]> {
    this.seal();
    return this.reqIndex;
  }

  /** Kept events by the uuids they name (instances, migrations, consumers), in arrival order. */
  get byUuid(): Map<string, StoredEvent[]> {
    this.seal();
    return this.uuidIndex;
  }

  /**
   * An event read but passed over unbuilt (a record no detector can select,
   * ReadOptions.unbuilt): seen, and its request ids go to the clock's table.
   */
  pass(ev: Event): void {
    this.stats.seen++;
    // An undated event (pasted without its time) says nothing of when its request ran.
    if (ev.ts) {
      if (ev.requestId) this.requests.see(ev.requestId, ev.host, ev.service, ev.ts);
      if (ev.globalRequestId && ev.globalRequestId !== ev.requestId) this.requests.see(ev.globalRequestId, ev.host, ev.service, ev.ts);
    }
    this.stats.requestsTracked = this.requests.size;
    this.stats.requestsUntracked = this.requests.untracked;
  }

  /** `ofLine`: the event's parser makes it again from its raw line (`StoreCaps.rebuild`). */
  add(ev: Event, ofLine = false): void {
    this.pass(ev);
    const { sigs, role } = classify(this.keep, ev);
    for (const id of sigs) {
      this.stats.signatures[id] = (this.stats.signatures[id] ?? 0) + 1;
      if (ev.ts) this.sight(id, ev.host, tsMs(ev.ts));
    }
    if (role === NOT_KEPT) return;
    if (this.spill && role !== ANCHOR) {
      // Its text only when there is room for it: past the spill's cap most context is dropped.
      if (this.spillRoom(this.spill))
        this.toSpill(this.spill, toSpilled(ev, ofLine && !!this.rebuild), spillMeta(ev, role, this.reserve(ev, sigs)));
      else this.dropped(ev);
      return;
    }
    this.keepAnchor(ev, role, sigs);
  }

  /**
   * What a parse worker made of a run of lines (store-digest.ts), taken as `pass` and `add` would have
   * taken its events one by one: the same counts, request and signature sightings, spill and anchors.
   */
  replay(d: StoreDigest): void {
    this.stats.seen += d.seen;
    const r = d.requests;
    const n = d.requestTimes;
    for (let i = 0, j = 0; i < r.length; i += 3, j += 5)
      this.requests.seeRun(r[i], r[i + 1], r[i + 2], n[j], n[j + 1], n[j + 2], n[j + 3], n[j + 4]);
    this.stats.requestsTracked = this.requests.size;
    this.stats.requestsUntracked = this.requests.untracked;
    for (const [id, count] of d.signatures) this.stats.signatures[id] = (this.stats.signatures[id] ?? 0) + count;
    let k = 0;
    for (const [id, host, count] of d.sighted) for (const end = k + count; k < end; k++) this.sight(id, host, d.sightedTimes[k]);
    const ops = d.ops;
    const source = d.spillFile && this.spill ? this.spill.source(d.spillFile) : 0;
    let at = 0;
    for (let i = 0; i < ops.length; ) {
      const kind = ops[i];
      const role = ops[i + 1];
      const len = ops[i + 2];
      // Context a worker wrote to its own file: one more number, where in it.
      const fileAt = kind === DIGEST_SPILL_AT ? ops[++i + 2] : -1;
      const json = fileAt >= 0 ? EMPTY : d.body.subarray(at, at + len);
      if (fileAt < 0) at += len;
      if (kind === DIGEST_ANCHOR) {
        const sigs = Array.from(ops.subarray(i + 4, i + 4 + ops[i + 3]), (x) => d.strings[x]);
        i += 4 + ops[i + 3];
        this.keepAnchor(fromJson(json.toString('utf8')), role, sigs);
        continue;
      }
      const keys = ops[i + 9];
      const meta: SpilledMeta = {
        role,
        t: ops[i + 3],
        size: ops[i + 4],
        line: ops[i + 5],
        host: d.strings[ops[i + 6]],
        file: d.strings[ops[i + 7]],
        requestKeys: ops[i + 8],
        keys: ops.subarray(i + 10, i + 10 + keys),
      };
      i += 10 + keys;
      if (this.spill) this.toSpill(this.spill, json, meta, fileAt >= 0 ? source : undefined, fileAt, len);
      // Without a spill the store holds context as events (StoreCaps.spill false); JSON left in a worker's
      // file it cannot read (analyze.ts never hands such a store a worker's digest).
      else if (fileAt >= 0) throw new Error('a parse worker spilled context for a store that does not spill');
      else {
        const ev = fromSpilled(json.toString('utf8'), meta.line, this.rebuild);
        // Spilled JSON leaves host and file to the spill's columns (`toJson`): the op has them.
        ev.host = meta.host;
        ev.file = meta.file;
        this.keepAnchor(ev, role & ~RESERVED, this.keep.signaturesOf(ev));
      }
    }
  }

  /** A kept event held in the heap: an anchor, or any kept event when nothing is spilled. */
  private keepAnchor(ev: Event, role: number, sigs: readonly string[]): void {
    this.sinceSweep++;
    const size = approxBytes(ev);
    if (this.isFull(this.reserve(ev, sigs), size) && !(this.sweep() && !this.isFull(this.reserve(ev, sigs), size))) {
      this.dropped(ev);
      return;
    }
    const s = ev as StoredEvent;
    s.seq = this.nextSeq++;
    this.share(s);
    this.insert(s, role, size, sigs);
  }

  /** Notes when a signature was last seen on a host (`lastSightings`), kept or not. */
  private sight(id: string, host: string, t: number): void {
    let byHost = this.sighted.get(id);
    if (!byHost) this.sighted.set(id, (byHost = new Map()));
    let times = byHost.get(host);
    if (!times) {
      // A hostile log can name a million hosts: past the cap, later ones are not noted.
      if (this.sightedHosts >= MAX_SIGHTED) return;
      this.sightedHosts++;
      byHost.set(host, (times = []));
    }
    times.push(t);
    if (times.length > SIGHTINGS) times.shift();
  }

  /**
   * The times (ms, in the order read) of the last few events of a signature on each host, whether the
   * store kept them or not: what a detector that concludes from a signature's later absence or presence
   * (a periodic audit that ran on without a complaint) reads when the events themselves were let go.
   */
  lastSightings(signatureId: string): ReadonlyMap<string, readonly number[]> {
    return this.sighted.get(signatureId) ?? new Map();
  }

  /** Whether an event of this size would pass the cap (all of it for the reserve, three quarters for the rest). */
  private isFull(reserve: boolean, size: number): boolean {
    // While context is spilled, anchors leave half the room to it: a failure whose context did not fit
    // gets a wrong cause or splits from its request (measured against caps-lifted runs: docs/performance.md).
    const share = this.spill ? ANCHOR_SHARE : reserve ? 1 : RESERVE_SHARE;
    return this.kept.length >= this.maxEvents * share || this.bytes + size > this.maxBytes * share;
  }

  private dropped(ev: { file: string; line: number }): void {
    this.stats.droppedAtCap++;
    this.stats.firstDropped ??= { file: ev.file, line: ev.line };
  }

  /** Indexes a kept event (its `seq` set). */
  private insert(s: StoredEvent, role: number, size: number, sigs: readonly string[]): void {
    this.kept.push(s);
    this.roles.push(role);
    this.sizes.push(size);
    this.bytes += size;
    this.stats.retained++;
    for (const id of sigs) push(this.bySignature, id, s);
    if (s.requestId) push(this.reqIndex, s.requestId, s);
    if (s.globalRequestId && s.globalRequestId !== s.requestId) push(this.reqIndex, s.globalRequestId, s);
    if (s.instanceUuid) push(this.uuidIndex, s.instanceUuid, s);
    const named = namedUuids(s);
    for (const u of named ?? []) push(this.uuidIndex, u, s);
    this.uuids.push(named);
    if (role === ANCHOR) for (const k of linkKeys(s, named)) this.anchorKeys.add(k);
  }

  /**
   * Context to the spill: its JSON, and what choosing it at the end needs. With `file`: JSON a parse worker
   * spilled to a file of its own (`StoreDigest.spillFile`, by its number: `ContextSpill.source`), `len` bytes at `at`.
   */
  private toSpill(spill: ContextSpill, json: string | Uint8Array, meta: SpilledMeta, file?: number, at = 0, len = 0): void {
    const stored =
      this.spillRoom(spill) && (file === undefined ? spill.put(json, meta, this.nextSeq) : spill.putAt(file, at, len, meta, this.nextSeq));
    if (!stored) {
      if (spill.failed) this.stats.spillFailed = spill.failed;
      this.dropped(meta);
      return;
    }
    this.nextSeq++;
    this.sinceSpillSweep++;
  }

  /** Whether one more event fits in the spill, once a full one has swept (at most every eighth of its cap). */
  private spillRoom(spill: ContextSpill): boolean {
    if (spill.count >= this.maxSpilled && this.sinceSpillSweep >= this.maxSpilled / 8) this.sweepSpill(spill);
    return spill.count < this.maxSpilled;
  }

  /** A full spill lets go of the context no anchor ties yet, outside its newest tenth (as `sweep` does in the heap). */
  private sweepSpill(spill: ContextSpill): void {
    this.sinceSpillSweep = 0;
    this.stats.sweeps++;
    const tier = this.tiersInSpill(spill);
    const spare = Math.floor(spill.count * (1 - SWEEP_SPARES));
    this.stats.letGo += spill.retain((i) => i >= spare || tier[i] !== UNTIED);
  }

  /**
   * What each spilled event is to the anchors read so far, most needed first: 0 tied by one of their request
   * ids or by time (`timedNearAnchors`), 1 by a uuid within UUID_NEAR_MS of an anchor naming it, 2 by a uuid
   * only (an instance's periodic lines run for days), UNTIED. With `neighbours` (the seal's choice), the few
   * lines naming an anchor's uuid right before and after it join tier 0 (`promoteUuidNeighbours`).
   */
  private tiersInSpill(spill: ContextSpill, neighbours = false): Uint8Array {
    const requests = new Set<number>();
    const uuidTimes = new Map<number, number[]>();
    const anchorT: number[] = [];
    const anchorHost: number[] = [];
    for (let i = 0; i < this.kept.length; i++) {
      if (this.roles[i] !== ANCHOR) continue;
      const e = this.kept[i];
      const t = tsMs(e.ts);
      anchorT.push(t);
      anchorHost.push(spill.hostNumber(e.host));
      for (const r of requestKeys(e)) requests.add(hashKey(r));
      for (const u of [e.instanceUuid, ...(this.uuids[i] ?? [])]) {
        if (!u) continue;
        const h = hashKey(u);
        const l = uuidTimes.get(h);
        if (l) l.push(t);
        else uuidTimes.set(h, [t]);
      }
    }
    for (const l of uuidTimes.values()) l.sort((a, b) => a - b);
    const near = spilledNearAnchors(spill, anchorT, anchorHost);
    const tier = new Uint8Array(spill.count).fill(UNTIED);
    for (let i = 0; i < spill.count; i++) {
      if (near[i] === 1 || spill.tiedByRequest(i, requests)) {
        tier[i] = 0;
        continue;
      }
      const t = spill.timeOf(i);
      for (const h of spill.uuidHashes(i)) {
        const times = uuidTimes.get(h);
        if (!times) continue;
        if (tier[i] > 2) tier[i] = 2;
        if (!Number.isFinite(t)) continue;
        const j = upperBound(times, 0, times.length, t);
        if ((j < times.length && times[j] - t <= UUID_NEAR_MS) || (j > 0 && t - times[j - 1] <= UUID_NEAR_MS)) {
          tier[i] = 1;
          break;
        }
      }
    }
    if (neighbours) promoteUuidNeighbours(spill, tier, uuidTimes);
    return tier;
  }

  /**
   * The input has ended: reads back the spilled context (reading the store does it too). When the heap
   * store would have held all of it (what it did before the spill), all of it comes back. Otherwise what
   * the anchors tie, most needed first (`tiersInSpill`) while the caps allow, the untied counted as let go
   * and the tied past the caps as dropped. Either way in arrival order with the anchors.
   */
  seal(): void {
    const spill = this.spill;
    if (!spill) return;
    this.spill = undefined;
    if (spill.count === 0) {
      spill.dispose();
      return;
    }
    const chosen =
      this.stats.droppedAtCap === 0 && this.stats.letGo === 0 && !spill.failed && this.allFit(spill)
        ? new Uint8Array(spill.count).fill(1)
        : this.choose(spill);
    const context: { e: StoredEvent; role: number }[] = [];
    spill.drain(
      (i) => chosen[i] === 1,
      (i, json) => {
        const e = fromSpilled<StoredEvent>(json, spill.lineOf(i), this.rebuild);
        e.seq = spill.seqOf(i);
        e.host = spill.hostOf(i);
        e.file = spill.fileOf(i);
        context.push({ e, role: spill.roleOf(i) & ~RESERVED });
      },
    );
    if (spill.failed) {
      this.stats.spillFailed = spill.failed;
      let wanted = 0;
      for (const c of chosen) wanted += c;
      this.stats.droppedAtCap += wanted - context.length;
    }
    // The anchors' signatures, as the index has them (not matched again).
    const sigsOf = new Map<StoredEvent, string[]>();
    for (const [id, list] of this.bySignature) for (const e of list) sigsOf.set(e, [...(sigsOf.get(e) ?? []), id]);
    const anchors = this.kept.splice(0);
    const sizes = this.sizes.splice(0);
    this.roles = [];
    this.uuids = [];
    this.bytes = 0;
    this.stats.retained = 0;
    for (const m of [this.reqIndex, this.uuidIndex, this.bySignature]) m.clear();
    this.anchorKeys.clear();
    let a = 0;
    let c = 0;
    while (a < anchors.length || c < context.length) {
      if (c >= context.length || (a < anchors.length && anchors[a].seq < context[c].e.seq)) {
        const e = anchors[a];
        this.insert(e, ANCHOR, sizes[a++], sigsOf.get(e) ?? []);
        continue;
      }
      const { e, role } = context[c++];
      this.shareTexts(e);
      this.insert(e, role, approxBytes(e), this.keep.signaturesOf(e));
    }
  }

  /** Which spilled events come back when not all fit: by tier, then in arrival order, within the caps. */
  private choose(spill: ContextSpill): Uint8Array {
    const tier = this.tiersInSpill(spill, true);
    const chosen = new Uint8Array(spill.count);
    let count = this.kept.length;
    let bytes = this.bytes;
    let firstDropped = -1;
    for (let want = 0; want <= 2; want++)
      for (let i = 0; i < spill.count; i++) {
        if (tier[i] !== want) continue;
        const share = spill.roleOf(i) & RESERVED ? 1 : RESERVE_SHARE;
        const size = spill.sizeOf(i);
        if (count >= this.maxEvents * share || bytes + size > this.maxBytes * share) {
          this.stats.droppedAtCap++;
          if (firstDropped < 0 || spill.seqOf(i) < spill.seqOf(firstDropped)) firstDropped = i;
          continue;
        }
        chosen[i] = 1;
        count++;
        bytes += size;
      }
    for (let i = 0; i < spill.count; i++) if (tier[i] === UNTIED) this.stats.letGo++;
    if (firstDropped >= 0) this.stats.firstDropped ??= { file: spill.fileOf(firstDropped), line: spill.lineOf(firstDropped) };
    return chosen;
  }

  /** Whether the heap store would have held every spilled event beside the anchors (as the store did before the spill). */
  private allFit(spill: ContextSpill): boolean {
    let count = 0;
    let bytes = 0;
    let a = 0;
    for (let i = 0; i < spill.count; i++) {
      const seq = spill.seqOf(i);
      for (; a < this.kept.length && this.kept[a].seq < seq; a++) {
        count++;
        bytes += this.sizes[a];
      }
      const share = spill.roleOf(i) & RESERVED ? 1 : RESERVE_SHARE;
      const size = spill.sizeOf(i);
      if (count >= this.maxEvents * share || bytes + size > this.maxBytes * share) return false;
      count++;
      bytes += size;
    }
    return true;
  }

  /**
   * Lets go of the context no anchor ties (by a request or uuid it names, or
   * for `time` events by being next to an anchor), outside the newest tenth.
   * Runs when the store is full, at most once per eighth of its size of
   * events offered since the last (a sweep reads the whole store). True when
   * it freed anything. Indexes keep their order; `seq` keeps its values
   * (detectors only compare them).
   */
  private sweep(): boolean {
    // While context is spilled the heap holds anchors alone: nothing to let go.
    if (this.spill) return false;
    if (this.sinceSweep < Math.min(this.maxEvents, this.kept.length) / 8) return false;
    this.sinceSweep = 0;
    this.stats.sweeps++;
    const keys = this.anchorKeys;
    const anchors: { t: number; host: string }[] = [];
    const timed: { i: number; t: number; host: string }[] = [];
    for (let i = 0; i < this.kept.length; i++) {
      const e = this.kept[i];
      if (this.roles[i] === ANCHOR) {
        anchors.push({ t: tsMs(e.ts), host: e.host });
      } else if (this.roles[i] === TIME) timed.push({ i, t: tsMs(e.ts), host: e.host });
    }
    const nearAnchor = timedNearAnchors(anchors, timed);
    const spare = Math.floor(this.kept.length * (1 - SWEEP_SPARES));
    const gone = new Set<StoredEvent>();
    let w = 0;
    for (let i = 0; i < this.kept.length; i++) {
      const e = this.kept[i];
      const role = this.roles[i];
      const stays = i >= spare || role === ANCHOR || tied(linkKeys(e, this.uuids[i]), keys) || nearAnchor.has(i);
      if (!stays) {
        gone.add(e);
        this.bytes -= this.sizes[i];
        continue;
      }
      this.kept[w] = e;
      this.roles[w] = role;
      this.sizes[w] = this.sizes[i];
      this.uuids[w] = this.uuids[i];
      w++;
    }
    this.kept.length = this.roles.length = this.sizes.length = this.uuids.length = w;
    if (gone.size === 0) return false;
    this.stats.letGo += gone.size;
    this.stats.retained -= gone.size;
    for (const m of [this.reqIndex, this.uuidIndex, this.bySignature])
      for (const [k, list] of m) {
        const left = list.filter((e) => !gone.has(e));
        if (left.length === 0) m.delete(k);
        else if (left.length !== list.length) m.set(k, left);
      }
    return true;
  }

  /**
   * Kept events share the strings many of them repeat (loggers, users,
   * projects), and the time is made one flat string: each was a slice of the
   * line or a rope of small strings (32 to 130 bytes). The texts stay equal.
   */
  private share(ev: StoredEvent): void {
    this.shareTexts(ev);
    ev.ts = detached(ev.ts);
    if (ev.afterTs) ev.afterTs = detached(ev.afterTs);
  }

  /** The shared strings only: an event read back from the spill has flat strings of its own. */
  private shareTexts(ev: StoredEvent): void {
    if (ev.logger) ev.logger = this.interned(ev.logger);
    if (ev.userId) ev.userId = this.interned(ev.userId);
    if (ev.projectId) ev.projectId = this.interned(ev.projectId);
  }

  private interned(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    if (this.strings.size >= MAX_INTERNED) return s;
    const own = detached(s);
    this.strings.set(own, own);
    return own;
  }

  /**
   * The events of the files `inFile` says, read as host `from`, belong to `to`:
   * a sosreport archive named its host only after them (a hostname file
   * late in the tar), or a loose log's compute named its own. Request spans are kept for every event, not only the
   * stored ones: they follow when no stored event of another input is left
   * under `from` (the usual case: `from` was only a guess of this input).
   */
  renameHost(from: string, to: string, inFile: (file: string) => boolean): number {
    let n = 0;
    let fromElsewhere = false;
    for (const e of this.kept) {
      if (e.host !== from) continue;
      if (!inFile(e.file)) {
        fromElsewhere = true;
        continue;
      }
      e.host = to;
      n++;
    }
    if (this.spill) {
      const { renamed, elsewhere } = this.spill.renameHost(from, to, inFile);
      n += renamed;
      fromElsewhere ||= elsewhere;
    }
    if (!fromElsewhere) {
      this.requests.renameHost(from, to);
      for (const byHost of this.sighted.values()) {
        const times = byHost.get(from);
        if (!times) continue;
        byHost.delete(from);
        byHost.set(to, [...(byHost.get(to) ?? []), ...times].slice(-SIGHTINGS));
      }
    }
    return n;
  }

  /** The kept events carrying this signature, in arrival order. */
  matching(signatureId: string): readonly StoredEvent[] {
    this.seal();
    return this.bySignature.get(signatureId) ?? [];
  }

  /** Events of these requests and uuids, once each, in time order. */
  related(requestIds: Iterable<string>, uuids: Iterable<string> = []): StoredEvent[] {
    this.seal();
    const out = new Map<number, StoredEvent>();
    for (const r of requestIds) for (const e of this.reqIndex.get(r) ?? []) out.set(e.seq, e);
    for (const u of uuids) for (const e of this.uuidIndex.get(u) ?? []) out.set(e.seq, e);
    // Time as each host logged it (clock offsets are the timeline's business); file order breaks ties.
    // An undated event goes where its file put it: after the dated event before it, or first.
    return [...out.values()]
      .map((e) => {
        const at = orderTs(e);
        return { e, t: at ? tsMs(at) : Number.NEGATIVE_INFINITY };
      })
      .sort((a, b) => (a.t === b.t ? 0 : a.t < b.t ? -1 : 1) || a.e.seq - b.e.seq)
      .map((x) => x.e);
  }
}

/** The request ids and uuids an event names (`named`: its message's other uuids): what ties context to it. */
function linkKeys(e: Event, named: readonly string[] | undefined): string[] {
  const out: string[] = [];
  if (e.requestId) out.push(e.requestId);
  if (e.globalRequestId) out.push(e.globalRequestId);
  if (e.instanceUuid) out.push(e.instanceUuid);
  if (named) out.push(...named);
  return out;
}

function tied(links: readonly string[], keys: ReadonlySet<string>): boolean {
  for (const k of links) if (keys.has(k)) return true;
  return false;
}

/**
 * The `time` events an anchor may need, by position: the last one read at
 * or before it (on any host: placement's query before a pre-Queens build's
 * failure) and the first TIME_FOLLOWERS after it on its own host (the
 * periodic audits that say an unmanaged allocation was settled). Each
 * anchor keeps at most a handful, however dense the log.
 */
function timedNearAnchors(anchors: { t: number; host: string }[], timed: { i: number; t: number; host: string }[]): Set<number> {
  const keep = new Set<number>();
  const sorted = timed.filter((x) => Number.isFinite(x.t)).sort((a, b) => a.t - b.t || a.i - b.i);
  const byHost = new Map<string, typeof sorted>();
  for (const x of sorted) {
    const l = byHost.get(x.host);
    if (l) l.push(x);
    else byHost.set(x.host, [x]);
  }
  for (const a of anchors) {
    if (!Number.isFinite(a.t)) continue;
    const before = firstAfter(sorted, a.t) - 1;
    if (before >= 0 && a.t - sorted[before].t <= TIME_LINK_MS) keep.add(sorted[before].i);
    const own = byHost.get(a.host) ?? [];
    for (let j = firstAfter(own, a.t - 1), n = 0; j < own.length && n < TIME_FOLLOWERS && own[j].t - a.t <= TIME_LINK_MS; j++, n++)
      keep.add(own[j].i);
  }
  return keep;
}

/**
 * `timedNearAnchors` over the spill, in typed arrays (a spill of a GiB log holds half a million `time`
 * events: as objects, each sweep made tens of MB of garbage). Anchors: their times and host numbers
 * (`ContextSpill.hostNumber`). Returns a flag per spilled event.
 */
function spilledNearAnchors(spill: ContextSpill, anchorT: readonly number[], anchorHost: readonly number[]): Uint8Array {
  const near = new Uint8Array(spill.count);
  let n = 0;
  for (let i = 0; i < spill.count; i++) if ((spill.roleOf(i) & ~RESERVED) === TIME && Number.isFinite(spill.timeOf(i))) n++;
  const sorted = new Int32Array(n);
  n = 0;
  for (let i = 0; i < spill.count; i++) if ((spill.roleOf(i) & ~RESERVED) === TIME && Number.isFinite(spill.timeOf(i))) sorted[n++] = i;
  sorted.sort((a, b) => spill.timeOf(a) - spill.timeOf(b) || a - b);
  const times = new Float64Array(n);
  for (let k = 0; k < n; k++) times[k] = spill.timeOf(sorted[k]);
  // The same, host by host (stable: still by time): a host's run starts at hostStart[host].
  let hosts = 0;
  for (let k = 0; k < n; k++) hosts = Math.max(hosts, spill.hostNumberOf(sorted[k]) + 1);
  const hostStart = new Int32Array(hosts + 1);
  for (let k = 0; k < n; k++) hostStart[spill.hostNumberOf(sorted[k]) + 1]++;
  for (let h = 0; h < hosts; h++) hostStart[h + 1] += hostStart[h];
  const fill = hostStart.slice(0, hosts);
  const byHost = new Int32Array(n);
  for (let k = 0; k < n; k++) byHost[fill[spill.hostNumberOf(sorted[k])]++] = sorted[k];
  const hostTimes = new Float64Array(n);
  for (let k = 0; k < n; k++) hostTimes[k] = spill.timeOf(byHost[k]);
  for (let a = 0; a < anchorT.length; a++) {
    const t = anchorT[a];
    if (!Number.isFinite(t)) continue;
    const before = upperBound(times, 0, n, t) - 1;
    if (before >= 0 && t - times[before] <= TIME_LINK_MS) near[sorted[before]] = 1;
    const h = anchorHost[a];
    if (h < 0 || h >= hosts) continue;
    const end = hostStart[h + 1];
    for (
      let j = upperBound(hostTimes, hostStart[h], end, t - 1), c = 0;
      j < end && c < TIME_FOLLOWERS && hostTimes[j] - t <= TIME_LINK_MS;
      j++, c++
    )
      near[byHost[j]] = 1;
  }
  return near;
}

/**
 * Each anchor's nearest lines by the uuids it names join tier 0: the first UUID_FOLLOWERS naming one at or
 * after the anchor's time (however much later) and the last UUID_LEADERS before it (within UUID_NEAR_MS). What a detector reads next to a failure (the
 * compute still logging an instance after the API's 404, the step before a spawn failed) must not lose its
 * room to context tied as loosely as an instance's every periodic line. Typed arrays, one sort.
 */
function promoteUuidNeighbours(spill: ContextSpill, tier: Uint8Array, anchorTimes: ReadonlyMap<number, readonly number[]>): void {
  let n = 0;
  for (let i = 0; i < spill.count; i++)
    if (tier[i] === 1 || tier[i] === 2) for (const h of spill.uuidHashes(i)) if (anchorTimes.has(h)) n++;
  const hash = new Int32Array(n);
  const time = new Float64Array(n);
  const ref = new Int32Array(n);
  n = 0;
  for (let i = 0; i < spill.count; i++) {
    if (tier[i] !== 1 && tier[i] !== 2) continue;
    const t = spill.timeOf(i);
    if (!Number.isFinite(t)) continue;
    for (const h of spill.uuidHashes(i))
      if (anchorTimes.has(h)) {
        hash[n] = h;
        time[n] = t;
        ref[n++] = i;
      }
  }
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  order.sort((a, b) => hash[a] - hash[b] || time[a] - time[b] || ref[a] - ref[b]);
  const times = new Float64Array(n);
  for (let k = 0; k < n; k++) times[k] = time[order[k]];
  let from = 0;
  while (from < n) {
    const h = hash[order[from]];
    let to = from;
    while (to < n && hash[order[to]] === h) to++;
    for (const at of anchorTimes.get(h) ?? []) {
      if (!Number.isFinite(at)) continue;
      const j = upperBound(times, from, to, at - 1);
      for (let k = j; k < Math.min(to, j + UUID_FOLLOWERS); k++) tier[ref[order[k]]] = 0;
      for (let k = Math.max(from, j - UUID_LEADERS); k < j; k++) if (at - times[k] <= UUID_NEAR_MS) tier[ref[order[k]]] = 0;
    }
    from = to;
  }
}

/** Position of the first of sorted[from, to) later than `t`. */
function upperBound(sorted: ArrayLike<number>, from: number, to: number, t: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Position of the first of `sorted` (by t) later than `t`. */
function firstAfter(sorted: readonly { t: number }[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid].t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Adds `v` to the list under `k`. Short lists are copied at their exact size:
 * push on a list of one makes room for 17, and most requests and uuids name
 * only a few kept events (that room was a fifth of what a kept event cost).
 */
function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (!l) m.set(k, [v]);
  else if (l.length < 16) m.set(k, l.concat([v]));
  else l.push(v);
}
