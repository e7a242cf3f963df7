import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How many bytes the inputs hold once decompressed, for the progress line's
 * total and ETA: a plain file's or a folder's size, a tar's, a gzip file's
 * trailer (ISIZE), an xz file's index (`xz --robot --list`). Undefined where it
 * cannot be told cheaply (bzip2, zstd, a gzip past 4 GiB): then progress shows
 * bytes and rate without a total.
 */

const MAX_ENTRIES = 200_000;

export function inputBytes(inputs: readonly string[]): number | undefined {
  let total = 0;
  for (const input of inputs) {
    const n = oneInput(input);
    if (n === undefined) return undefined;
    total += n;
  }
  return total;
}

function oneInput(path: string): number | undefined {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (st.isDirectory()) return folderBytes(path);
  if (!st.isFile()) return 0;
  return fileBytes(path, st.size);
}

function folderBytes(root: string): number | undefined {
  let total = 0;
  let seen = 0;
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (++seen > MAX_ENTRIES) return undefined;
      const p = join(dir, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) {
        const n = fileBytes(p, safeSize(p));
        if (n === undefined) return undefined;
        total += n;
      }
    }
  }
  return total;
}

function safeSize(p: string): number {
  try {
    return statSync(p).size;
  } catch {
    return 0;
  }
}

function read(path: string, at: number, n: number): Buffer {
  const buf = Buffer.alloc(n);
  const fd = openSync(path, 'r');
  try {
    const got = readSync(fd, buf, 0, n, at);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

function fileBytes(path: string, size: number): number | undefined {
  if (size < 6) return size;
  let head: Buffer;
  try {
    head = read(path, 0, 6);
  } catch {
    return size;
  }
  if (head[0] === 0x1f && head[1] === 0x8b) {
    // ISIZE is the size modulo 4 GiB: below that (and of a single member, as gzip writes) it is exact.
    if (size >= 2 ** 32) return undefined;
    const isize = read(path, size - 4, 4).readUInt32LE(0);
    return isize >= size ? isize : undefined;
  }
  if (head.equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return xzBytes(path);
  if (head.subarray(0, 3).toString('latin1') === 'BZh' || head.readUInt32LE(0) === 0xfd2fb528) return undefined;
  return size;
}

function xzBytes(path: string): number | undefined {
  const r = spawnSync('xz', ['--robot', '--list', path], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) return undefined;
  // totals <streams> <blocks> <compressed> <uncompressed> …
  const totals = r.stdout.split('\n').find((l) => l.startsWith('totals\t'));
  const n = totals ? Number(totals.split('\t')[4]) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
