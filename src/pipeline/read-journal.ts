import { JournalExportReader, isJournalExport } from '../../parsers/journal-export.js';
import type { OsloEventParser } from '../../parsers/oslo-events.js';
import type { ByteSource } from '../sources/decode.js';
import { exportJournalFile, isJournalFile } from '../sources/journal-file.js';

/**
 * journald's structured streams, which are not lines: the export format
 * (`journalctl -o export`, sos's `journalctl -o export` on CoreOS) and binary
 * journal files (read through the machine's journalctl). Each entry goes to
 * the oslo parser as a line with its fields for a prefix.
 */

export function isJournalStream(head: Buffer): boolean {
  return isJournalExport(head) || isJournalFile(head);
}

export interface JournalRead {
  /** Bytes of the file as given. */
  bytes: number;
  /** Lines of the export text; entries for a binary journal. */
  lines: number;
  format: 'journald export' | 'journald binary';
}

export async function readJournalStream(stream: ByteSource, head: Buffer, name: string, parser: OsloEventParser): Promise<JournalRead> {
  const binary = isJournalFile(head);
  const counted = { bytes: 0 };
  async function* counting(): AsyncGenerator<Buffer> {
    for await (const c of stream) {
      counted.bytes += c.length;
      yield c;
    }
  }
  const reader = new JournalExportReader((info, raw, lineNo) => parser.pushEntry(info, raw, lineNo));
  try {
    for await (const c of binary ? exportJournalFile(counting(), name) : counting()) reader.push(c);
  } finally {
    reader.end();
  }
  return {
    bytes: counted.bytes,
    lines: binary ? reader.stats.entries : reader.stats.lines,
    format: binary ? 'journald binary' : 'journald export',
  };
}
