import { QEMU_LOG_LINE } from '../../parsers/qemu-log.js';
import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, readFile, readlink, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { Parser, type ReadEntry } from 'tar';
import { DecodeError, discard, openDecoded, type ByteSource, type DecodeNotes } from './decode.js';
import type { Magic } from './magic.js';
import { ARCHIVE_NAME, asSubset, classify, hostFromSosName, looksRelevant, rotation, type Role } from './roles.js';
import { collectorLogRole } from './journal-file.js';
import { fileChunks } from './file-chunks.js';
import { zipMembers } from './zip-members.js';
import { looksLikeFaultText } from '../../parsers/fault-text.js';
import { unpastedHead } from '../../parsers/paste/unpaste.js';
import { looksLikeNovaPaste } from '../../parsers/paste/messages.js';
import { serviceFromName } from '../../parsers/service-names.js';
import { yearMonthFromDate, type YearMonth } from '../../parsers/timestamps.js';

/**
 * Inputs (archives, extracted sosreports, folders of them, loose files) →
 * one visit per file nova-forensics reads, with its host and role. Archives
 * are read as streams: a member's path is only ever a string to classify,
 * never a place on disk.
 */

export type HostSource = 'hostname-file' | 'sos-name' | 'option' | 'folder-name' | 'unknown';

export interface SourceFile {
  input: string;
  host: string;
  hostSource: HostSource;
  /** When the sosreport was taken (sos_commands/date), for log lines that carry no year (journald). */
  collected?: YearMonth;
  /** `archive.tar.xz:member/path` for archive members, the file's path otherwise. */
  displayPath: string;
  /** Path inside the report root, which the role was read from. */
  relPath: string;
  role: Role;
  size?: number;
  /** Last modified: when a journal or syslog file with no year on its lines ends, if nothing better says. */
  mtime?: Date;
  /** One-shot: must be consumed (or abandoned) before the visit returns. */
  stream: ByteSource;
  /**
   * The regular file on disk `stream` reads, from its first byte (a folder's file, a loose file not
   * compressed, transcoded or NUL-led): a reader may read it by position instead (`analyze --jobs 2`).
   */
  diskPath?: string;
  /** A file given on its own or in a folder of inputs, not part of a host's tree. */
  loose?: boolean;
  /** What decoding a loose file (sniffed here, so `stream` is already decoded) found: said in its coverage. */
  decoded?: DecodeNotes;
}

export interface WalkWarning {
  input: string;
  file?: string;
  message: string;
  /** Byte offset (compressed input) where reading stopped, when known. */
  offset?: number;
  /** The file (display path) whose stream this cut short: its coverage says it ends early. */
  cutFile?: string;
}

export interface WalkVisitor {
  file(f: SourceFile): Promise<void>;
  /** A file nothing reads; `relevant` when its path suggests it should have been. */
  /** `what`: what the file looked like, where its bytes were read (a loose file named as an input). */
  unrecognised(input: string, host: string, displayPath: string, relevant: boolean, what?: string): void;
  /**
   * A symbolic or hard link inside a sosreport, not followed: sos stores the
   * target as a file of its own, so following would read it twice. `relevant`
   * when the link stands where a log or dump would be read.
   */
  link?(input: string, host: string, displayPath: string, target: string, relevant: boolean): void;
  warn(w: WalkWarning): void;
  /**
   * A path that could not be read (permission denied, gone since it was
   * listed, a loop of links) or was not opened on purpose (a FIFO, socket or
   * device inside a folder). `role` when its path says what it would have been.
   */
  unreadable?(input: string, host: string | undefined, path: string, reason: string, role?: string): void;
  /** An input was opened as this kind (`sosreport archive`, `folder`, `loose file`…). */
  input?(input: string, kind: string, host?: string): void;
  /**
   * The archive's hostname file came after files already visited under the
   * name from the sosreport's folder (sos sorts `etc/` before `sos_commands/`).
   */
  hostRenamed?(input: string, from: string, to: string): void;
}

export interface WalkOptions {
  /** Host for inputs that do not name one. */
  host?: string;
}

interface RootState {
  host: string;
  hostSource: HostSource;
  /** Which of HOSTNAME_FILES named the host: a better one later still wins. */
  hostnameRank?: number;
  collected?: YearMonth;
  /** The host's whole journal was met: its other journals are parts of it. */
  fullJournal?: boolean;
}

const MAX_DEPTH = 6;

function hostFromText(text: string): string | undefined {
  const h = text.trim().split(/\s+/)[0];
  return h && /^[\w.-]+$/.test(h) ? h : undefined;
}

// ───────────────────────────── folders ─────────────────────────────

async function isDir(p: string): Promise<boolean> {
  try {
    return (await lstat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** A sosreport root, or any folder laid out like a host's `/` (os-log-merger's `logs/<host>/var/log/nova`). */
async function isHostRoot(dir: string): Promise<boolean> {
  if (await isDir(join(dir, 'sos_commands'))) return true;
  if (await isDir(join(dir, 'var', 'log'))) return true;
  if (await isDir(join(dir, 'etc', 'nova'))) return true;
  return false;
}

/** Where a sosreport says its host name, best first: folders and archives agree on it. */
const HOSTNAME_FILES = ['sos_commands/host/hostname', 'sos_commands/general/hostname', 'hostname', 'etc/hostname'];

function hostnameRank(rel: string): number {
  const i = HOSTNAME_FILES.indexOf(rel);
  return i === -1 ? HOSTNAME_FILES.length : i;
}

async function readHostname(dir: string): Promise<string | undefined> {
  for (const p of HOSTNAME_FILES) {
    try {
      const st = await lstat(join(dir, p));
      // The top-level `hostname` is a symlink into sos_commands; read only regular files.
      if (!st.isFile() || st.size > 4096) continue;
      const h = hostFromText(await readFile(join(dir, p), 'utf8'));
      if (h) return h;
    } catch {
      // absent
    }
  }
  return undefined;
}

/** A path found in a folder and not read: why. */
interface Skipped {
  path: string;
  reason: string;
}

const MAX_TREE_DEPTH = 40;

/** Why a path could not be opened, in words; `listed` when it was seen in a folder moments before. */
export function unreadableReason(e: unknown, listed: boolean): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return listed ? 'gone: removed after it was listed' : 'no such file or folder';
    case 'ELOOP':
      return 'a loop of symbolic links';
    case 'ENOTDIR':
      return 'a path through something that is not a folder';
    case 'EIO':
      return 'input/output error (a failing disk, or a network mount gone?)';
    case 'ENXIO':
    case 'ENODEV':
      return 'a device or socket that cannot be opened';
    default:
      return (err.message ?? String(e)).replace(/^\w+: /, '').replace(/, \w+ '.*'$/, '');
  }
}

/** Says a path was not read; the path is data, as it is on disk (outputs escape it, src/report/sanitise.ts). */
function unreadable(v: WalkVisitor, input: string, host: string | undefined, path: string, reason: string, role?: string): void {
  v.unreadable?.(input, host, path, reason, role);
}

/** What a non-regular file is, for the coverage. */
function specialKind(e: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (e.isFIFO()) return 'a FIFO (named pipe)';
  if (e.isSocket()) return 'a socket';
  if (e.isCharacterDevice() || e.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * Every regular file under `dir`. Links are collected, not followed; FIFOs,
 * sockets and devices are listed and never opened (a FIFO would block the
 * walk until some writer came); folders that cannot be listed are said.
 */
async function listFiles(
  dir: string,
  out: { path: string; size: number; mtime?: Date }[],
  links: string[],
  skipped: Skipped[],
  depth = 0,
): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    skipped.push({ path: dir, reason: `folder not listed: ${unreadableReason(e, depth > 0)}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isSymbolicLink()) {
      // sos links tailed copies back to their original paths: reading both would double-count.
      links.push(p);
      continue;
    }
    if (e.isDirectory()) {
      if (depth < MAX_TREE_DEPTH) await listFiles(p, out, links, skipped, depth + 1);
      else skipped.push({ path: p, reason: `folder more than ${MAX_TREE_DEPTH} levels deep: not read` });
    } else if (e.isFile()) {
      try {
        const st = await lstat(p);
        out.push({ path: p, size: st.size, mtime: st.mtime });
      } catch (err) {
        skipped.push({ path: p, reason: unreadableReason(err, true) });
      }
    } else {
      skipped.push({ path: p, reason: `${specialKind(e)} inside a folder: listed, not opened` });
    }
  }
}

/** A link where a log, dump or config nova-forensics reads would stand: its target should be in the sosreport. */
function linkIsRelevant(rel: string): boolean {
  // Only where a file would be read: looksRelevant's net (any path naming nova or libvirt) catches juju's hook links.
  const role = classify(rel);
  return !!role && role.kind !== 'hostname' && role.kind !== 'sos-date';
}

/** Oldest rotation first within a group; groups and other files by path. */
function orderForReading(files: { rel: string; role: Role }[]): void {
  files.sort((a, b) => {
    const ga = a.role.group ?? a.rel;
    const gb = b.role.group ?? b.rel;
    if (ga !== gb) return ga < gb ? -1 : 1;
    return (a.role.rotationRank ?? 0) - (b.role.rotationRank ?? 0);
  });
}

/**
 * Opens a file found in a folder. Non-blocking, and only a regular file is
 * read: whatever stands there now (a FIFO swapped in since the listing) never
 * blocks the walk. Throws what `open` throws, for the caller to list.
 */
async function openListed(path: string): Promise<ByteSource> {
  const fh = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  let st: Stats;
  try {
    st = await fh.stat();
  } catch (e) {
    await fh.close();
    throw e;
  }
  if (!st.isFile()) {
    await fh.close();
    throw new Error(`${specialKind(st)} now stands there (it was a file when listed): not opened`);
  }
  return readStream(fh);
}

/** Opens a path the user named: a FIFO there is the user's choice, and is read. */
async function openNamed(path: string): Promise<ByteSource> {
  return readStream(await open(path, 'r'));
}

function readStream(fh: import('node:fs/promises').FileHandle): ByteSource {
  return fileChunks(fh);
}

async function walkHostRoot(input: string, root: string, state: RootState, v: WalkVisitor): Promise<void> {
  const files: { path: string; size: number; mtime?: Date }[] = [];
  const links: string[] = [];
  const skipped: Skipped[] = [];
  await listFiles(root, files, links, skipped);
  for (const k of skipped) {
    const role = classify(relative(root, k.path).split(sep).join('/'));
    unreadable(v, input, state.host, k.path, k.reason, role?.kind);
  }
  for (const p of links) {
    const rel = relative(root, p).split(sep).join('/');
    v.link?.(input, state.host, p, await readlink(p).catch(() => '?'), linkIsRelevant(rel));
  }
  const known: { rel: string; role: Role; path: string; size: number; mtime?: Date }[] = [];
  for (const f of files) {
    const rel = relative(root, f.path).split(sep).join('/');
    const role = classify(rel);
    if (!role || role.kind === 'hostname') {
      if (!role) v.unrecognised(input, state.host, f.path, looksRelevant(rel));
      continue;
    }
    known.push({ rel, role, path: f.path, size: f.size, mtime: f.mtime });
  }
  orderForReading(known);
  const fullJournal = known.some((k) => k.role.fullJournal);
  for (const k of known) {
    k.role = asSubset(k.role, fullJournal);
    if (k.role.kind === 'archive') {
      await walkArchiveFile(k.path, v, { host: state.host });
      continue;
    }
    // Whatever the visitor did not read is closed, not read: a folder's file costs nothing unread.
    let stream: ByteSource;
    try {
      stream = await openListed(k.path);
    } catch (e) {
      unreadable(v, input, state.host, k.path, unreadableReason(e, true), k.role.kind);
      continue;
    }
    await v.file({
      input,
      host: state.host,
      hostSource: state.hostSource,
      collected: state.collected,
      // File names are data, kept as on disk: every output escapes them (src/report/sanitise.ts).
      displayPath: k.path,
      relPath: k.rel,
      role: k.role,
      size: k.size,
      mtime: k.mtime,
      stream,
      diskPath: k.path,
    });
    await discard(stream);
  }
}

async function walkFolder(input: string, dir: string, opts: WalkOptions, v: WalkVisitor, depth: number): Promise<void> {
  if (await isHostRoot(dir)) {
    const fromFile = await readHostname(dir);
    const fromName = hostFromSosName(basename(dir));
    const state: RootState = fromFile
      ? { host: fromFile, hostSource: 'hostname-file' }
      : fromName
        ? { host: fromName, hostSource: 'sos-name' }
        : opts.host
          ? { host: opts.host, hostSource: 'option' }
          : { host: basename(dir), hostSource: 'folder-name' };
    v.input?.(dir, 'host folder', state.host);
    for (const p of ['sos_commands/date/date', 'sos_commands/general/date']) {
      try {
        state.collected ??= yearMonthFromDate(await readFile(join(dir, p), 'utf8'));
      } catch {
        // absent
      }
    }
    await walkHostRoot(input, dir, state, v);
    return;
  }
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    unreadable(v, input, opts.host, dir, `folder not listed: ${unreadableReason(e, depth > 0)}`);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const loose: { rel: string; role: Role; path: string }[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    let special = isDir || isFile ? undefined : specialKind(e);
    if (e.isSymbolicLink()) {
      // A folder of inputs may link the archives it gathers: follow links to files, not to folders (loops).
      let st: Stats | undefined;
      let err: unknown;
      try {
        st = await stat(p);
      } catch (x) {
        err = x;
      }
      if (st?.isDirectory()) v.warn({ input, file: p, message: 'a symbolic link to a folder: not followed (name the folder itself)' });
      else if ((err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
        v.warn({ input, file: p, message: 'a symbolic link to nothing (its target is missing): skipped' });
      else if (err) unreadable(v, input, opts.host, p, `a symbolic link: ${unreadableReason(err, false)}`);
      isFile = !!st?.isFile();
      isDir = false;
      special = st && !st.isFile() && !st.isDirectory() ? `a symbolic link to ${specialKind(st)}` : undefined;
    }
    if (isDir) {
      if (depth < MAX_DEPTH) await walkFolder(input, p, opts, v, depth + 1);
      else v.warn({ input, file: p, message: `more than ${MAX_DEPTH} folders deep: not read` });
      continue;
    }
    if (special) {
      // Never opened: a FIFO would block the walk until a writer came, a device may never end.
      unreadable(v, input, opts.host, p, `${special} inside a folder: listed, not opened`);
      continue;
    }
    if (!isFile) continue;
    // The name only orders the files; what each one is comes from its content.
    loose.push({ rel: e.name, role: looseRole(e.name) ?? { kind: 'archive' }, path: p });
  }
  orderForReading(loose);
  for (const l of loose) await walkLooseFile(l.path, opts.host ?? basename(dir), opts.host ? 'option' : 'folder-name', v, false);
}

function looseRole(name: string): Role | undefined {
  const r = classify(name);
  if (r) return r;
  const rot = rotation(name);
  if (rot) return { kind: 'oslo-log', service: serviceFromName(rot.base), group: rot.base, rotationRank: rot.rank, layout: 'loose' };
  return undefined;
}

// ───────────────────────────── loose files ─────────────────────────────

// An oslo header anywhere near a line's start (after a grep, syslog or kubectl prefix), or
// journald's `tag[pid]: LEVEL logger` of devstack.
const OSLO_START =
  /\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)? +\d+ +(?:TRACE|DEBUG|INFO|AUDIT|WARNING|ERROR|CRITICAL) [\w.]+|\]: (?:DEBUG|INFO|WARNING|ERROR|CRITICAL) [\w.]+ /;
/** Quoted-printable's escape of `=` (`LC_ALL=3DC`, `reason=3Dfailed`) or its soft line break: a mail's copy. */
const QP_ESCAPE = /=3D|=\r?\n\S/;
const DUMP_START = /^-- (?:MySQL|MariaDB) dump|^\/\*!40\d{3} SET |^CREATE TABLE `|^INSERT INTO `/m;

/** How much of a loose file's start is read to tell what it is: a few long lines (a traceback, a JSON line) fit. */
const SNIFF_BYTES = 64 << 10;

/**
 * Role of a loose file from its content, when its name says nothing. A pasted
 * excerpt (a fault, a traceback, level-only lines) counts only for a file
 * named as an input: inside a folder a README quoting a log line is not one.
 */
/** oslo.config's INI: a section header on a line of its own (comments and blank lines may come first). */
const INI_SECTION = /^\s*\[([A-Za-z_][\w.-]*)\]\s*$/m;
/**
 * Sections only nova's configuration has: neutron's, cinder's and glance's share [DEFAULT] and [database],
 * ceilometer's has a [compute].
 */
const NOVA_ONLY_SECTION = /^\s*\[(?:libvirt|api_database|filter_scheduler|workarounds|conductor|serial_console|vnc|spice|cells)\]\s*$/m;

/** `virsh capabilities`: the root element on a line of its own, its <host> after it (a prompt line may come first). */
const VIRSH_CAPABILITIES = /^\s*<capabilities>\s*$[\s\S]*^\s*<host>\s*$/m;
/** `virsh list --all`: its header and the rule under it. */
const VIRSH_LIST = /^\s*Id\s+Name\s+State\s*\r?\n-{10,}\s*$/m;

/**
 * A nova.conf handed over loose (a ticket's attachment, a folder of one host's files), as its name or a section
 * only nova has says: outside a sosreport its path (etc/nova/) is gone.
 */
function looksLikeNovaConf(head: string, name: string): boolean {
  return INI_SECTION.test(head) && !OSLO_START.test(head) && (/nova/i.test(name) || NOVA_ONLY_SECTION.test(head));
}

/** A paste whose first lines read as nova's only once the paste reader joined them (a fault a terminal cut). */
function looksLikeOnceUnpasted(head: string): boolean {
  const text = unpastedHead(head);
  return text !== undefined && (looksLikeNovaPaste(text) || looksLikeFaultText(text));
}

function roleFromContent(head: string, name: string, named: boolean): Role | undefined {
  if (DUMP_START.test(head)) return { kind: 'mysqldump', layout: 'loose' };
  // A guest's QEMU log saved alone (a ticket's `instance-0000abcd.log`): libvirt's banner, or QEMU's stamped stderr.
  // A mail's quoted-printable copy of one is a paste: the oslo reader's paste mode undoes it and hands it to the QEMU reader.
  if (head.split('\n', 8).some((l) => QEMU_LOG_LINE.test(l)) && !QP_ESCAPE.test(head))
    return { kind: 'qemu-log', group: name, rotationRank: 2e9, layout: 'loose' };
  // kubectl logs of a pebble pod (Sunbeam) can open with pages of pebble's own lines.
  // A pasted excerpt (a fault, a traceback, an indented or quoted log) is read too: paste mode undoes it.
  if (
    OSLO_START.test(head) ||
    /^\{"message": /m.test(head) ||
    /^\d{4}-\d\d-\d\dT[\d:.]+Z \[[\w-]+\] /m.test(head) ||
    (named && (looksLikeNovaPaste(head) || looksLikeFaultText(head) || looksLikeOnceUnpasted(head)))
  ) {
    return { kind: 'oslo-log', service: serviceFromName(name), group: name, rotationRank: rotation(name)?.rank ?? 2e9, layout: 'loose' };
  }
  // After the logs and pastes: a ticket's text that quotes a section of nova.conf among log lines is read for its lines.
  if (/\.(?:conf|ini|cfg|txt)$/i.test(name) && looksLikeNovaConf(head, name)) return { kind: 'nova-conf', layout: 'loose' };
  // virsh's own output saved beside a host's logs (sos names these by command; a ticket's attachment by anything).
  if (VIRSH_CAPABILITIES.test(head)) return { kind: 'virsh-capabilities', layout: 'loose' };
  if (VIRSH_LIST.test(head)) return { kind: 'virsh-list', layout: 'loose' };
  return undefined;
}

/** `named`: the user named this file as an input (not found in a folder). */
async function walkLooseFile(path: string, host: string, hostSource: HostSource, v: WalkVisitor, named: boolean): Promise<void> {
  let src: ByteSource;
  try {
    src = named ? await openNamed(path) : await openListed(path);
  } catch (e) {
    unreadable(v, path, hostSource === 'unknown' ? undefined : host, path, unreadableReason(e, !named));
    return;
  }
  try {
    // A FIFO or a device the user named is read as a stream only: never again by position (`SourceFile.diskPath`).
    const regular = named ? !!(await stat(path).catch(() => undefined))?.isFile() : true;
    await walkStream(path, basename(path), src, host, hostSource, v, named ? 'named' : 'found', regular);
  } finally {
    // A decoder's stream that was never iterated cannot close what it wraps: close the file itself.
    await discard(src);
  }
}

/**
 * One stream named `path`: a file, or standard input (`piped`: read as a log
 * whatever it looks like, since it was handed over on purpose). Its bytes say
 * what it is: an archive (plain or compressed), a compressed log, a text log.
 */
async function walkStream(
  path: string,
  name: string,
  src: ByteSource,
  host: string,
  hostSource: HostSource,
  v: WalkVisitor,
  how: 'found' | 'named' | 'piped',
  regular = false,
): Promise<void> {
  const piped = how === 'piped';
  let opened;
  try {
    opened = await openDecoded(src);
  } catch (e) {
    warnDecode(v, path, path, e);
    return;
  }
  if (opened.inner === 'zip') {
    if (regular && !piped && opened.outer === 'zip') {
      await discard(opened.stream);
      await walkZip(path, name, { host: hostSource === 'option' ? host : undefined }, v);
      return;
    }
    // yauzl reads a zip by position (its directory is at the end): a stream cannot be read as one.
    v.warn({
      input: path,
      file: path,
      message: `a zip archive ${piped ? 'on standard input' : opened.outer !== 'zip' ? `inside ${opened.outer} compression` : 'not in a regular file'}: a zip is read only from a file on disk; save it (or unzip it into a folder) and name that`,
    });
    v.unrecognised(path, host, path, true, `${describe(opened.outer, opened.inner)} data`);
    await discard(opened.stream);
    return;
  }
  if (opened.inner === 'tar') {
    v.input?.(path, `${piped ? 'standard input: ' : ''}${opened.outer === 'tar' ? '' : `${opened.outer} `}tar archive`);
    await walkTar(path, piped ? 'unknown' : name, opened.stream, { host: hostSource === 'option' ? host : undefined }, v);
    return;
  }
  if (!piped && ARCHIVE_NAME.test(name)) {
    // Named like an archive, but the bytes say otherwise (a failed download, an HTML error page).
    v.warn({
      input: path,
      file: path,
      message:
        opened.inner === 'empty' && opened.leadingNulBytes
          ? `an empty tar archive (${opened.leadingNulBytes} zero bytes, no members): nothing to read`
          : opened.inner === 'empty'
            ? `an empty ${opened.outer === 'empty' ? 'file' : `${opened.outer} stream`} (no data inside): nothing to read`
            : `named like a tar archive but holds ${describe(opened.outer, opened.inner)} data: not an archive, skipped`,
    });
    v.unrecognised(path, host, path, true);
    await discard(opened.stream);
    return;
  }
  const role = piped ? undefined : (classify(name.replace(/\.(?:gz|xz|bz2)$/, '')) ?? classify(name));
  const headText = opened.inner === 'text' ? opened.head.toString('utf8', 0, Math.min(opened.head.length, SNIFF_BYTES)) : undefined;
  const byContent =
    (headText !== undefined ? roleFromContent(headText, name, how !== 'found') : undefined) ?? collectorLogRole(opened.head, name);
  const pipedText: Role | undefined =
    piped && opened.inner === 'text' ? { kind: 'oslo-log', group: name, rotationRank: 2e9, layout: 'loose' } : undefined;
  const chosen = role && role.kind !== 'archive' ? role : (byContent ?? pipedText);
  if (!chosen) {
    if (opened.inner === 'binary' || opened.inner === 'empty') {
      v.warn({
        input: path,
        file: path,
        message:
          opened.inner !== 'empty'
            ? `not an archive or a text log (${describe(opened.outer, opened.inner)}), skipped`
            : opened.leadingNulBytes
              ? `holds nothing but ${opened.leadingNulBytes} NUL byte(s) (a preallocated file never written?), skipped`
              : 'empty file, skipped',
      });
    } else if (opened.head.length >= SNIFF_BYTES && opened.head.subarray(0, SNIFF_BYTES).indexOf(0x0a) === -1) {
      // What a file is comes from its first lines; a first line longer than the look-ahead hides them.
      v.warn({
        input: path,
        file: path,
        message: `no line end in its first ${SNIFF_BYTES} bytes (one very long line?): its format could not be told, skipped; a file named like the log it is (nova-compute.log) is read whatever its first line, long lines cut`,
      });
    }
    const seen = looksLike(opened.outer, opened.inner, opened.head);
    // A paste found in a folder is passed over (a README quoting a log line is not one); the user may have
    // meant it, as a ticket's attachments saved together: say how to have it read.
    const paste = how === 'found' && headText !== undefined && roleFromContent(headText, name, true) !== undefined;
    v.unrecognised(path, host, path, true, paste ? `${seen}: a pasted excerpt, read only when the file is named as an input` : seen);
    await discard(opened.stream);
    return;
  }
  v.input?.(path, piped ? `standard input: ${describe(opened.outer, opened.inner)}` : 'loose file', host);
  const mtime = piped ? undefined : (await stat(path).catch(() => undefined))?.mtime;
  const decoded: DecodeNotes = {
    encoding: opened.encoding,
    encodingGuessed: opened.encodingGuessed,
    leadingNulBytes: opened.leadingNulBytes,
  };
  await v.file({
    input: path,
    host,
    hostSource,
    displayPath: path,
    relPath: name,
    role: chosen,
    mtime,
    stream: opened.stream,
    loose: true,
    ...(opened.encoding || opened.leadingNulBytes ? { decoded } : {}),
    ...(regular && !piped && opened.outer === 'text' && !opened.encoding && !opened.leadingNulBytes ? { diskPath: path } : {}),
  });
  await discard(opened.stream);
}

function describe(outer: Magic, inner: Magic): string {
  return outer === inner ? inner : `${outer} holding ${inner}`;
}

/** What a file nothing reads looked like: its kind, and for text its first line (control characters escaped). */
function looksLike(outer: Magic, inner: Magic, head: Buffer): string {
  if (inner !== 'text') return `${describe(outer, inner)} data`;
  const text = head.toString('utf8', 0, Math.min(head.length, 4096));
  const first = text.split('\n').find((l) => l.trim().length > 0) ?? '';
  const cut = first.length > 100 ? `${first.slice(0, 99)}…` : first;
  return `${describe(outer, inner)} starting «${cut.trimEnd()}»`;
}

async function drain(s: ByteSource): Promise<void> {
  try {
    for await (const _ of s) {
      // discard
    }
  } catch {
    // already reported by whoever decoded it
  }
}

function warnDecode(v: WalkVisitor, input: string, file: string, e: unknown): void {
  if (e instanceof DecodeError && e.complete) v.warn({ input, file, message: e.message, offset: e.compressedBytes });
  else if (e instanceof DecodeError)
    v.warn({
      input,
      file,
      message: `${e.message} (stopped at compressed byte ${e.compressedBytes}); what was read before is kept`,
      offset: e.compressedBytes,
    });
  else v.warn({ input, file, message: (e as Error).message });
}

// ───────────────────────────── archives ─────────────────────────────

async function walkArchiveFile(path: string, v: WalkVisitor, opts: WalkOptions): Promise<void> {
  await walkLooseFile(path, opts.host ?? basename(path), opts.host ? 'option' : 'folder-name', v, false);
}

/** Where a host's `/` shows in a member path: the folder before `var/log/`, `etc/` or `sos_commands/`. */
const HOST_TREE = /\/(?:var\/log|etc|sos_commands)\//;

function cleanMemberPath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^(?:\.\/|\/)+/, '');
}

// Member paths and link targets are data from the archive, kept as they are: every output escapes
// what a terminal would obey (src/report/sanitise.ts).

/** One member of an archive, tar or zip, as `archiveMembers` takes it. */
interface ArchiveMember {
  path: string;
  type: 'file' | 'link' | 'other';
  linkpath?: string;
  size: number;
  mtime?: Date;
  /** The member's bytes (a file's); what is left unread the caller skips. */
  stream?: ByteSource;
}

/**
 * What every archive's members go through, whatever the archive: each member
 * classified by its path and handed to the visitor as a stream, the host read
 * from the sosreport's name or hostname file; nested archives (`sos collect`
 * bundles, sosreports zipped together) recurse.
 */
function archiveMembers(input: string, archiveName: string, opts: WalkOptions, v: WalkVisitor) {
  const roots = new Map<string, RootState>();
  const archiveHost = hostFromSosName(archiveName);
  const counts = { files: 0 };
  /** The member being read, to name when the archive breaks off inside it. */
  let reading: string | undefined;

  const rootState = (root: string): RootState => {
    let s = roots.get(root);
    if (!s) {
      const fromName = hostFromSosName(root) ?? archiveHost;
      s = fromName
        ? { host: fromName, hostSource: 'sos-name' }
        : opts.host
          ? { host: opts.host, hostSource: 'option' }
          : { host: root ? basename(root) : archiveName.replace(ARCHIVE_NAME, ''), hostSource: 'folder-name' };
      roots.set(root, s);
      v.input?.(`${input}:${root}`, 'sosreport archive', s.host);
    }
    return s;
  };

  const visit = async (m: ArchiveMember): Promise<void> => {
    const path = cleanMemberPath(m.path);
    const isLink = m.type === 'link';
    if (!isLink && m.type !== 'file') return;
    if (!isLink) counts.files++;
    const slash = path.indexOf('/');
    const first = slash === -1 ? '' : path.slice(0, slash);
    const isSosRoot = first !== '' && (first.startsWith('sosreport-') || first.startsWith('sos-collector'));
    // Not a sosreport: a host's tree under a folder of its name (`logs/<host>/var/log/nova/…`, os-log-merger's
    // layout), as folders are walked. Without such a folder the archive is one host.
    const hostTree = isSosRoot ? undefined : HOST_TREE.exec(path);
    const root = isSosRoot ? first : hostTree ? path.slice(0, hostTree.index) : '';
    const rel = isSosRoot ? path.slice(slash + 1) : hostTree ? path.slice(hostTree.index + 1) : path;
    const display = `${input}:${path}`;
    if (isLink) {
      // The member path and its target are data: recorded, never resolved on disk.
      v.link?.(input, rootState(root).host, display, m.linkpath ?? '?', linkIsRelevant(rel));
      return;
    }
    const stream = m.stream ?? (async function* () {})();
    const classified = classify(rel);
    if (!classified && !isSosRoot && !hostTree) {
      // Logs tarred or zipped as they were (`nova-compute.log`, `compute1/nova-compute.log.1.gz`), not a host's
      // tree: read as the files of a folder are, by their content, the host named by their folder or the archive.
      const dir = path.lastIndexOf('/');
      const host = opts.host ?? (dir > 0 ? basename(path.slice(0, dir)) : archiveName.replace(ARCHIVE_NAME, ''));
      await walkStream(display, basename(path), stream, host, opts.host ? 'option' : 'folder-name', v, 'found');
      return;
    }
    if (classified?.fullJournal) rootState(root).fullJournal = true;
    const role = classified && asSubset(classified, !!(classified.journalSubset && rootState(root).fullJournal));
    if (role?.kind === 'archive') {
      // sos collect: one sosreport archive per host inside the bundle.
      let opened;
      try {
        opened = await openDecoded(stream);
      } catch (e) {
        warnDecode(v, input, display, e);
        return;
      }
      if (opened.inner === 'tar') {
        await walkTar(display, basename(rel), opened.stream, opts, v);
      } else {
        v.unrecognised(input, rootState(root).host, display, true);
        await drain(opened.stream);
      }
      return;
    }
    const state = rootState(root);
    if (role?.kind === 'hostname') {
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c);
      const h = hostFromText(Buffer.concat(chunks).toString('utf8'));
      const rank = hostnameRank(rel);
      if (h && (state.hostSource !== 'hostname-file' || rank < (state.hostnameRank ?? HOSTNAME_FILES.length))) {
        if (h !== state.host) v.hostRenamed?.(input, state.host, h);
        state.host = h;
        state.hostSource = 'hostname-file';
        state.hostnameRank = rank;
        v.input?.(`${input}:${root}`, 'sosreport archive', h);
      }
      return;
    }
    if (role?.kind === 'sos-date' && m.size < 4096) {
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c);
      const data = Buffer.concat(chunks);
      state.collected ??= yearMonthFromDate(data.toString('utf8'));
      await v.file({
        input,
        host: state.host,
        hostSource: state.hostSource,
        collected: state.collected,
        displayPath: display,
        relPath: rel,
        role,
        size: data.length,
        stream: (async function* () {
          yield data;
        })(),
      });
      return;
    }
    if (!role) {
      v.unrecognised(input, state.host, display, looksRelevant(rel));
      return;
    }
    reading = display;
    await v.file({
      input,
      host: state.host,
      hostSource: state.hostSource,
      collected: state.collected,
      displayPath: display,
      relPath: rel,
      role,
      size: m.size,
      mtime: m.mtime,
      stream,
    });
    reading = undefined;
  };

  return { visit, counts, reading: () => reading };
}

/**
 * Streams one tar: each member is classified by its path and handed to the
 * visitor as a stream; nested archives (`sos collect` bundles) recurse.
 */
async function walkTar(input: string, archiveName: string, stream: ByteSource, opts: WalkOptions, v: WalkVisitor): Promise<void> {
  const members = archiveMembers(input, archiveName, opts, v);
  const parser = new Parser({ strict: false });
  let entryWork: Promise<void> = Promise.resolve();
  let sawEntry = false;
  let warnings = 0;

  parser.on('warn', (code: string, message: string | Error) => {
    if (warnings++ < 20)
      v.warn({ input, file: input, message: `tar: ${code}: ${typeof message === 'string' ? message : message.message}` });
  });

  parser.on('entry', (entry: ReadEntry) => {
    sawEntry = true;
    const type =
      entry.type === 'SymbolicLink' || entry.type === 'Link'
        ? 'link'
        : entry.type === 'File' || entry.type === 'OldFile' || entry.type === 'ContiguousFile'
          ? 'file'
          : 'other';
    // One member's failure is that member's warning; the parser must still get every member consumed
    // (whatever the visitor left unread is skipped for the parser to go on).
    entryWork = entryWork.then(() =>
      members
        .visit({
          path: entry.path,
          type,
          linkpath: entry.linkpath,
          size: entry.size,
          mtime: entry.mtime,
          stream: type === 'file' ? (entry as unknown as ByteSource) : undefined,
        })
        .catch((e) => warnDecode(v, input, `${input}:${cleanMemberPath(entry.path)}`, e))
        .finally(() => entry.resume()),
    );
  });

  try {
    for await (const chunk of stream) {
      if (!parser.write(chunk)) await drained(parser);
    }
  } catch (e) {
    warnDecode(v, input, input, e);
    const reading = members.reading();
    if (reading && !(e instanceof DecodeError && e.complete))
      v.warn({
        input,
        file: reading,
        message: 'the archive broke off inside this member: it ends early, and the members after it are lost',
        cutFile: reading,
      });
  }
  parser.end();
  await entryWork;
  if (!sawEntry) v.warn({ input, file: input, message: 'no tar members could be read: the archive is empty or corrupt' });
  else if (members.counts.files === 0)
    v.warn({ input, file: input, message: 'the archive holds no files (only folders): nothing to read' });
}

/**
 * A zip on disk (a ticket's attachments zipped, sosreports zipped again): its
 * members go the way a tar's do. yauzl reads by position, so a zip that is not
 * a plain file (standard input, a member of another archive) is said, not read.
 */
async function walkZip(path: string, name: string, opts: WalkOptions, v: WalkVisitor): Promise<void> {
  let zip;
  try {
    zip = await zipMembers(path);
  } catch (e) {
    v.warn({ input: path, file: path, message: `zip: ${(e as Error).message}: not read` });
    return;
  }
  v.input?.(path, 'zip archive');
  const members = archiveMembers(path, name.replace(/\.zip$/i, ''), opts, v);
  try {
    for await (const m of zip.members) {
      if (m.type === 'folder') continue;
      const display = `${path}:${cleanMemberPath(m.path)}`;
      if (m.refused) {
        v.warn({ input: path, file: display, message: `zip: ${m.refused}` });
        continue;
      }
      let stream: ByteSource | undefined;
      try {
        stream = await m.open();
        const linkpath = m.type === 'link' ? await smallText(stream) : undefined;
        await members.visit({ path: m.path, type: m.type, linkpath, size: m.size, mtime: m.mtime, stream });
      } catch (e) {
        warnDecode(v, path, display, e);
      } finally {
        if (stream) await discard(stream);
      }
    }
  } catch (e) {
    // The central directory itself is broken past this point: what was read is kept.
    v.warn({ input: path, file: path, message: `zip: ${(e as Error).message}: the members after it are not read` });
  } finally {
    zip.close();
  }
  if (zip.count === 0) v.warn({ input: path, file: path, message: 'an empty zip archive (no members): nothing to read' });
  else if (members.counts.files === 0)
    v.warn({ input: path, file: path, message: 'the zip archive holds no files (only folders or links): nothing to read' });
}

/** A link's target, stored as its member's bytes: a path, never more than a few hundred bytes. */
async function smallText(s: ByteSource): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of s) {
    chunks.push(c);
    n += c.length;
    if (n >= 4096) break;
  }
  return Buffer.concat(chunks).toString('utf8', 0, Math.min(n, 4096));
}

/** The parser wants no more input until an entry is consumed; it may also give up. */
function drained(parser: Parser): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      parser.off('drain', done);
      parser.off('close', done);
      parser.off('abort', done);
      resolve();
    };
    parser.on('drain', done);
    parser.on('close', done);
    parser.on('abort', done);
  });
}

// ───────────────────────────── entry point ─────────────────────────────

/** How standard input is named in the coverage and in events' `file`. */
export const STDIN_NAME = 'stdin';
/** `-` on the command line; yargs drops a lone `-`, so the CLI hands it over as this. */
export const STDIN_ARG = 'stdin:-';

export function isStdin(input: string): boolean {
  return input === '-' || input === STDIN_ARG;
}

export async function walkInputs(inputs: readonly string[], opts: WalkOptions, v: WalkVisitor): Promise<void> {
  let stdinRead = false;
  for (const input of inputs) {
    if (isStdin(input)) {
      // `-`: standard input, once (`pbpaste | nova-forensics analyze -`, `xz -dc sos.tar.xz | … -`).
      if (stdinRead) {
        v.warn({ input, message: 'standard input (-) was named twice: it is read once' });
        continue;
      }
      stdinRead = true;
      await walkStream(STDIN_NAME, STDIN_NAME, process.stdin, opts.host ?? 'unknown', opts.host ? 'option' : 'unknown', v, 'piped');
      continue;
    }
    let st;
    try {
      // What the user names is followed if it is a link.
      st = await stat(input);
    } catch (e) {
      unreadable(v, input, opts.host, input, unreadableReason(e, false));
      continue;
    }
    if (st.isDirectory()) {
      v.input?.(input, 'folder');
      await walkFolder(input, input, opts, v, 0);
    } else {
      await walkLooseFile(input, opts.host ?? 'unknown', opts.host ? 'option' : 'unknown', v, true);
    }
  }
}
