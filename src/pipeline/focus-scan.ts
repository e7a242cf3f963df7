import { openDecoded, type Opened } from '../sources/decode.js';
import { diskChunks, diskPathOf } from '../sources/file-chunks.js';
import { walkInputs, type WalkOptions } from '../sources/walk.js';
import type { Progress, Walk } from './ingest.js';
import { LOG_ROLES } from './read-logs.js';

/**
 * `--instance`'s first pass: what the instance's own lines and rows name, in every log and dump of the inputs. A
 * build's or a move's scheduler, placement and conductor lines carry its request id (placement's its global one,
 * nova's), not always the instance; a move's allocation is held by its migration's uuid, which only the
 * migrations row (or a line naming both) ties to the instance. With these the second pass (focus-gate.ts) knows
 * those lines. Bytes only: each file is decompressed and searched for the uuid with `Buffer.indexOf`; only the
 * text around a hit is decoded: its log line, or its dump row (the `(…)` of a multi-row INSERT).
 */

const REQUEST = /req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const UUID = /(?<!req-)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;
/** A line or row longer than this around a hit is read only this far on each side of it. */
const AROUND = 4096;
const NL = 10;
const OPEN = 40; // (
const CLOSE = 41; // )
/** The dump's table whose rows tie a uuid to the instance that logs do not: a move's allocation is its migration's. */
const INSERT = Buffer.from('INSERT INTO `', 'latin1');
const MIGRATIONS = Buffer.from('INSERT INTO `migrations`', 'latin1');

export interface InstanceIds {
  /** Request ids on its lines and in its rows (instance_actions'): the gate finds them by their `req-`. */
  requests: string[];
  /** Its migrations' uuids (the dump's migrations rows): the gate searches for each. */
  uuids: string[];
  /** The hosts (as the walker names them) of the logs its uuid stands in: where the gate reads the host-wide lines. */
  hosts: string[];
}

export async function idsOfInstance(
  inputs: readonly string[],
  instance: string,
  opts: WalkOptions,
  progress?: (p: Progress) => void,
  walk: Walk = walkInputs,
): Promise<InstanceIds> {
  // Its own count: the reading after it starts again from 0 (progress-meter.ts says which pass it is).
  const done: Progress = { files: 0, bytes: 0, phase: `looking for ${instance.slice(0, 8)}'s requests` };
  const needle = Buffer.from(instance, 'latin1');
  const requests = new Set<string>();
  const uuids = new Set<string>();
  const hosts = new Set<string>();
  /**
   * Whether the statement a hit is in is the migrations table's INSERT (mysqldump writes a row per line or all on
   * one; `carried`: what an earlier chunk said, when this one holds no INSERT before the hit).
   */
  const migrationsLine = (b: Buffer, at: number, carried: boolean): boolean => {
    const k = b.lastIndexOf(INSERT, at);
    return k === -1 ? carried : b.indexOf(MIGRATIONS, k) === k;
  };
  const take = (b: Buffer, at: number, row: boolean, migrations: boolean): void => {
    const lineStart = b.lastIndexOf(NL, at) + 1;
    const lineEnd = b.indexOf(NL, at);
    const open = row ? b.lastIndexOf(OPEN, at) : -1;
    const close = row ? b.indexOf(CLOSE, at) : -1;
    const from = Math.max(open, lineStart, at - AROUND);
    const rowEnd = close !== -1 && (lineEnd === -1 || close < lineEnd) ? close : -1;
    const to = Math.min(rowEnd !== -1 ? rowEnd : lineEnd === -1 ? b.length : lineEnd, at + AROUND);
    const text = b.toString('latin1', from, to);
    for (const m of text.matchAll(REQUEST)) requests.add(m[0]);
    if (migrations) for (const m of text.matchAll(UUID)) if (m[0] !== instance) uuids.add(m[0]);
  };
  await walk(inputs, opts, {
    async file(f) {
      const row = f.role.kind === 'mysqldump';
      if (!row && !LOG_ROLES.has(f.role.kind)) return;
      done.files++;
      done.host = f.host;
      // Decompressed as the reading will be (a sosreport's rotated `nova-compute.log.1.gz`); one that does not decode
      // is said so by the reading, which the file reaches next.
      let opened: Opened;
      try {
        opened = await openDecoded(f.stream);
      } catch {
        return;
      }
      const disk = diskPathOf(f.diskPath, opened);
      // The end of the last chunk is kept with the next one: a line cut between two chunks is searched whole.
      let tail: Buffer | undefined;
      let carried = false;
      try {
        for await (const chunk of disk ? diskChunks(disk, false) : opened.stream) {
          done.bytes += chunk.length;
          progress?.(done);
          const b = tail ? Buffer.concat([tail, chunk]) : chunk;
          const cut = Math.max(b.lastIndexOf(NL) + 1, b.length - AROUND);
          for (let i = b.indexOf(needle); i !== -1 && i < cut; i = b.indexOf(needle, i + needle.length)) {
            take(b, i, row, row && migrationsLine(b, i, carried));
            if (!row) hosts.add(f.host);
          }
          if (row) carried = migrationsLine(b, b.length - 1, carried);
          tail = Buffer.from(b.subarray(cut));
        }
      } catch {
        // A truncated or broken file: what was read is searched; the reading says where it broke.
      }
      if (tail)
        for (let i = tail.indexOf(needle); i !== -1; i = tail.indexOf(needle, i + needle.length)) {
          take(tail, i, row, row && migrationsLine(tail, i, carried));
          if (!row) hosts.add(f.host);
        }
    },
    unrecognised() {},
    warn() {},
  });
  return { requests: [...requests].sort(), uuids: [...uuids].sort(), hosts: [...hosts].sort() };
}
