import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection at a phase boundary, when the heap holds more than `above` bytes.
 *
 * Why: ingest promotes a steady stream of short-lived context to V8's old space (what the store let go,
 * what the spill wrote), and V8 collects it only when the old space reaches a limit it sets from its own
 * growth: at the end of a 1 GiB log the old space held 30-50 MB of it when the spilled context was read
 * back and the report built on top, and that stack was the run's peak RSS (mixed 1 GiB log: 282-300 MB,
 * 232-245 MB with one collection before the read-back; one collection of a ~100 MB heap costs ~0.1 s).
 * Small inputs skip it: their heap is a few MB.
 *
 * Node has no API for it without `--expose-gc`, which a user's `node dist/src/cli.js` does not pass: the
 * flag is set at run time and the function taken from a new context (the flag adds `gc` to contexts made
 * after it; ours keeps its globals as they are). When either fails, nothing happens: memory only.
 */
export function collectGarbage(above: number): void {
  if (getHeapStatistics().used_heap_size < above) return;
  // Looked for once: null when it cannot be had, and not asked again.
  if (gc === undefined) gc = exposedGc();
  gc?.();
}

let gc: (() => void) | null | undefined;

function exposedGc(): (() => void) | null {
  try {
    setFlagsFromString('--expose-gc');
    const fn: unknown = runInNewContext('gc');
    return typeof fn === 'function' ? (fn as () => void) : null;
  } catch {
    return null;
  }
}

/**
 * A full collection during ingest when the heap holds more than `floor` and `growth` times what the last
 * one left: V8 lets old space fill with promoted context (let go, spilled) up to a limit of its own, and on
 * a 1 GiB log that slack, on top of the live store, was the run's peak RSS (mixed 1 GiB `.tar.xz`: 275-276
 * MB without, 238-248 with, ~2% more CPU). Asked every `every` events, so it costs a counter per event.
 *
 * Or when the memory outside the heap (Buffers' bytes) is `externalSlack` more than the least it held
 * since the last collection: a compressed archive's chunks, promoted before they died, piled up there
 * (mixed 1 GiB `.tar.xz`: 33 → 80 MB over 8 s, until V8's own limit) while the heap stayed under the
 * other rule's mark. The least, not what the collection left: their bytes are freed after it returns.
 */
export class HeapGovernor {
  private n = 0;
  private live = 0;
  private leastExternal = Number.POSITIVE_INFINITY;

  constructor(
    private readonly floor: number,
    private readonly growth = 1.5,
    private readonly every = 1 << 16,
    private readonly externalSlack = 24 * 2 ** 20,
  ) {}

  /** `events` read since the last tick (a parse worker's digest stands for many). */
  tick(events = 1): void {
    this.n += events;
    if (this.n < this.every) return;
    this.n = 0;
    const h = getHeapStatistics();
    const heapFull = h.used_heap_size >= this.floor && h.used_heap_size >= this.live * this.growth;
    this.leastExternal = Math.min(this.leastExternal, h.external_memory);
    if (!heapFull && h.external_memory < this.leastExternal + this.externalSlack) return;
    collectGarbage(0);
    this.live = getHeapStatistics().used_heap_size;
    this.leastExternal = Number.POSITIVE_INFINITY;
  }
}
