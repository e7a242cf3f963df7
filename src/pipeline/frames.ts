/**
 * Messages over a pipe between the main process and a parse worker: each a
 * frame of its total length (4 bytes), its JSON head's length (4 bytes), the
 * head, then raw bytes (a piece of a log, a digest's arrays and body) that
 * never go through JSON.
 */

export interface Frame {
  head: unknown;
  payload: Buffer;
}

export function frame(head: unknown, payload: readonly Buffer[] = []): Buffer[] {
  // Spaces after the JSON make the payload start 8-byte aligned (a digest's numbers are read in place).
  const json = JSON.stringify(head);
  const h = Buffer.from(json.padEnd(json.length + ((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8)));
  const lens = Buffer.allocUnsafe(8);
  let total = 4 + h.length;
  for (const p of payload) total += p.length;
  lens.writeUInt32LE(total, 0);
  lens.writeUInt32LE(h.length, 4);
  return [lens, h, ...payload];
}

/** Frames out of a byte stream cut anywhere. */
export class FrameReader {
  private parts: Buffer[] = [];
  private bytes = 0;

  push(chunk: Buffer): Frame[] {
    this.parts.push(chunk);
    this.bytes += chunk.length;
    const out: Frame[] = [];
    for (;;) {
      if (this.bytes < 4) break;
      if (this.parts[0].length < 4) this.join();
      const total = this.parts[0].readUInt32LE(0);
      if (this.bytes < 4 + total) break;
      const b = this.join();
      const headLen = b.readUInt32LE(4);
      out.push({ head: JSON.parse(b.toString('utf8', 8, 8 + headLen)), payload: b.subarray(8 + headLen, 4 + total) });
      const rest = b.subarray(4 + total);
      this.parts = rest.length > 0 ? [rest] : [];
      this.bytes = rest.length;
    }
    return out;
  }

  private join(): Buffer {
    if (this.parts.length > 1) this.parts = [Buffer.concat(this.parts)];
    return this.parts[0];
  }
}
