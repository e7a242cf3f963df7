/**
 * What a byte stream is, from its first bytes, never from its name: operators
 * rename files, and a `.tar.xz` that is really an HTML error page must be
 * reported as such.
 */

export type Magic = 'xz' | 'gzip' | 'bzip2' | 'zstd' | 'tar' | 'zip' | 'text' | 'binary' | 'empty';

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
  // A local file header, or the end record alone (an empty zip); a spanned archive's marker before the first header.
  if (
    head.length >= 4 &&
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6) || (head[2] === 7 && head[3] === 8))
  )
    return 'zip';
  if (sniffTextEncoding(head).encoding !== 'utf-8') return 'text';
  return looksLikeText(head) ? 'text' : 'binary';
}

/** How text is encoded, when it is not plain UTF-8 (or latin-1, which reads as UTF-8 with errors). */
export type TextEncoding = 'utf-8' | 'utf-8 with BOM' | 'utf-16le' | 'utf-16be';

export interface EncodingSniff {
  encoding: TextEncoding;
  /** Bytes of the byte-order mark, to skip. */
  bom: number;
  /** UTF-16 told by its NUL pattern, without a byte-order mark. */
  guessed?: boolean;
}

/**
 * A byte-order mark first: Windows tools (Notepad's "Unicode", PowerShell 5's
 * `>` and `Out-File`) write UTF-16LE with one. Without a mark, UTF-16 text in
 * the Latin range has a NUL in every other byte, which no UTF-8 log has.
 */
export function sniffTextEncoding(head: Buffer): EncodingSniff {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8 with BOM', bom: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  const n = Math.min(head.length, 4096) & ~1;
  if (n < 32) return { encoding: 'utf-8', bom: 0 };
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.9 && evenNul < pairs * 0.05) return { encoding: 'utf-16le', bom: 0, guessed: true };
  if (evenNul > pairs * 0.9 && oddNul < pairs * 0.05) return { encoding: 'utf-16be', bom: 0, guessed: true };
  return { encoding: 'utf-8', bom: 0 };
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
