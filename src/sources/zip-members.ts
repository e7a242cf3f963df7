import { type Entry, getFileNameLowLevel, openPromise, type ZipFile } from 'yauzl';
import type { ByteSource } from './decode.js';

/**
 * A zip archive's members, one at a time: a ticket's attachments often come
 * zipped (logs, or sosreports zipped again by whoever sent them). yauzl reads
 * the central directory at the end of the file and each member's bytes by
 * position, so only a file on disk can be read (not standard input), and
 * nothing is ever written out.
 */

export interface ZipMember {
  /** As the archive names it: data, never a place on disk. */
  path: string;
  type: 'file' | 'link' | 'folder';
  size: number;
  mtime?: Date;
  /** Why the member cannot be read (encrypted), when it cannot. */
  refused?: string;
  /** Its bytes, inflated; only for a member that is not refused. */
  open(): Promise<ByteSource>;
}

// Unix file type bits of the external attributes, as Info-ZIP stores them in the upper 16 bits.
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

function memberOf(zip: ZipFile, entry: Entry): ZipMember {
  // Names are decoded without yauzl's check, which ends the whole archive at one absolute or `..` name;
  // here a name is only ever a string to classify.
  const raw = entry.fileName as unknown as Buffer;
  const path = getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, false);
  const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
  const type = path.endsWith('/') || mode === S_IFDIR ? 'folder' : mode === S_IFLNK ? 'link' : 'file';
  let mtime: Date | undefined;
  try {
    mtime = entry.getLastModDate();
  } catch {
    // a DOS date of zeros
  }
  return {
    path,
    type,
    size: entry.uncompressedSize,
    mtime: mtime && Number.isFinite(mtime.getTime()) ? mtime : undefined,
    refused: entry.isEncrypted() ? 'encrypted (a password is needed): not read' : undefined,
    open: async () => (await zip.openReadStreamPromise(entry)) as AsyncIterable<Buffer>,
  };
}

/** Opens the zip at `path`; its members come in the order of its central directory. */
export async function zipMembers(path: string): Promise<{ count: number; members: AsyncIterable<ZipMember>; close(): void }> {
  const zip = await openPromise(path, { autoClose: false, decodeStrings: false, validateEntrySizes: true, strictFileNames: false });
  return {
    count: zip.entryCount,
    members: (async function* () {
      for await (const entry of zip.eachEntry()) yield memberOf(zip, entry);
    })(),
    close: () => zip.close(),
  };
}
