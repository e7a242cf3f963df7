/** The typed arrays the packed tables (request spans, the context spill) grow. */
type Packed = Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer> | Float64Array<ArrayBuffer>;

/** A copy of `a` with room for at least `atLeast` items (twice its length when that is more); `a` is let go (`release`). */
export function grown<T extends Packed>(a: T, atLeast = 0): T {
  return resized(a, Math.max(atLeast, a.length * 2));
}

/** A copy of `a` with exactly `n` items (its first `n`, or all of them and zeros); `a` is let go (`release`). */
export function resized<T extends Packed>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  (b as Packed).set(a.length > n ? a.subarray(0, n) : a);
  release(a);
  return b;
}

/**
 * Frees a packed table's memory at the next minor collection; `a` is empty afterwards.
 *
 * Why: a table that lived a while has its ArrayBuffer object in V8's old space, and its bytes (outside the
 * heap) are freed only when that object is, at a full collection, which may not come before the run ends:
 * on a 1 GiB log the context spill's old columns (60 MB) stayed in the peak RSS. Transferring the bytes to
 * a clone nobody keeps hands them to a young object, which the next scavenge frees (measured: 60 MB back at
 * once, against none without).
 */
export function release(a: Packed): void {
  if (a.buffer.byteLength > 0) structuredClone(a.buffer, { transfer: [a.buffer] });
}
