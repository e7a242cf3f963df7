import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { jsonText } from '../report/sanitise.js';

/**
 * NDJSON out, one object per line. Lines are batched into ~64 KB writes:
 * the `ndjson` package's per-object stream costs more than the parsing
 * (docs/performance.md). Every line is `jsonText`: no raw control or bidi
 * character reaches a terminal that shows it. `pause()` hands the reader a promise while the
 * destination (a slow `jq`) has not drained, so memory stays bounded.
 */
export class NdjsonWriter {
  private buf: string[] = [];
  private size = 0;
  private waiting: Promise<void> | undefined;
  count = 0;

  constructor(
    private readonly out: Writable,
    private readonly batchChars = 64 * 1024,
  ) {}

  write(value: unknown): void {
    const s = jsonText(value);
    this.buf.push(s);
    this.size += s.length + 1;
    this.count++;
    if (this.size >= this.batchChars) this.flush();
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    const text = `${this.buf.join('\n')}\n`;
    this.buf = [];
    this.size = 0;
    if (!this.out.write(text) && !this.waiting) {
      this.waiting = once(this.out, 'drain').then(() => {
        this.waiting = undefined;
      });
    }
  }

  pause(): Promise<void> | undefined {
    return this.waiting;
  }

  async end(): Promise<void> {
    this.flush();
    if (this.waiting) await this.waiting;
  }
}
