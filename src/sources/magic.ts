/**
 * What a byte stream is, from its first bytes, never from its name: operators
 * rename files, and a `.tar.xz` that is really an HTML error page must be
 * reported as such.
 */

export type Magic = 'xz' | 'gzip' | 'bzip2' | 'zstd' | 'tar' | 'text' | 'binary' | 'empty';

/** Enough for every signature below, tar's `ustar` at 257 included. */
export const MAGIC_BYTES = 512;

export function sniffMagic(head: Buffer): Magic {
  if (head.length === 0) return 'empty';
  if (
    head.length >= 6 &&
    head[0] === 0xfd &&
    head[1] === 0x37 &&
    head[2] === 0x7a &&
    head[3] === 0x58 &&
    head[4] === 0x5a &&
    head[5] === 0x00
  )
    return 'xz';
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 3 && head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68) return 'bzip2';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  if (head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar';
  return looksLikeText(head) ? 'text' : 'binary';
}

/**
 * Text if it has no NUL and few control bytes. UTF-8 and latin-1 bytes above
 * 0x7f are fine: logs are translated.
 */
export function looksLikeText(head: Buffer): boolean {
  let control = 0;
  const n = Math.min(head.length, 4096);
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b === 0) return false;
    if (b < 9 || (b > 13 && b < 32 && b !== 27)) control++;
  }
  return control * 20 < n;
}
