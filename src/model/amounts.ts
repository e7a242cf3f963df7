/** Resource amounts in plain words, the same in every finding and incident. */

/** 10993.5 stays, 11426 stays, 0.3333 → 0.3. */
export function amount(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** `{VCPU: 12, MEMORY_MB: 32768}` → `12 VCPU, 32768 MEMORY_MB`. */
export function resourceList(r: Record<string, number>): string {
  return Object.entries(r)
    .map(([k, v]) => `${amount(v)} ${k}`)
    .join(', ');
}
