/** The typed arrays the packed tables (request spans, the context spill) grow. */
type Packed = Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer> | Float64Array<ArrayBuffer>;

/** A copy of `a` with room for at least `atLeast` items (twice its length when that is more). */
export function grown<T extends Packed>(a: T, atLeast = 0): T {
  const b = new (a.constructor as new (n: number) => T)(Math.max(atLeast, a.length * 2));
  (b as Packed).set(a);
  return b;
}
