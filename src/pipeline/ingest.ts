import type { Event } from '../model/event.js';
import { emptyCoverage, fileCoverage, type Coverage, type FileCoverage } from '../model/coverage.js';
import { walkInputs, type SourceFile, type WalkOptions, type WalkVisitor } from '../sources/walk.js';
import { LOG_ROLES, readLogFile, type ReadOptions } from './read-logs.js';
import { DecodeError } from '../sources/decode.js';
import { sameHost } from '../model/host.js';

/**
 * Sources → parsers: walks every input, sends log files through their
 * parsers and other files (dumps, configs, virsh output) to whoever asked
 * for them, and records the coverage. The one place inputs are read.
 */

export interface IngestHandlers {
  /** `ofLine`: parsers/oslo-events.ts `eventOfLine` makes the event again from its raw line. */
  event?(ev: Event, ofLine?: boolean): void;
  /** A record passed over unbuilt (ReadOptions.unbuilt): its time, host and request ids are as read; its message is not decoded. */
  passed?(ev: Event): void;
  /** Called between chunks: a returned promise pauses reading (output backpressure). */
  pause?(): Promise<void> | undefined;
  /** Files that are not logs. Return their coverage, or undefined to have them counted as not read. */
  other?(file: SourceFile): Promise<FileCoverage | undefined>;
  progress?(p: Progress): void;
  /**
   * Files of `input` (`underInput`) read as host `from` belong to host `to`: an archive's hostname file came
   * late (WalkVisitor.hostRenamed), or a loose log's compute named itself (src/signatures/self-naming.ts).
   */
  hostRenamed?(input: string, from: string, to: string): void;
}

/** Whether a file's path (as coverage and events give it) is `input`'s: the loose file itself, or a member of it. */
export function underInput(path: string, input: string): boolean {
  return path === input || path.startsWith(`${input}:`);
}

export interface Progress {
  files: number;
  bytes: number;
  current?: string;
  host?: string;
  /** A pass before the reading (`--instance`'s search for its requests): said first, its bytes counted from 0. */
  phase?: string;
}

/** How the inputs are walked: `walkInputs`, or a walk recorded by an earlier pass (walk-recording.ts). */
export type Walk = (inputs: readonly string[], opts: WalkOptions, v: WalkVisitor) => Promise<void>;

export interface IngestOptions extends WalkOptions, ReadOptions {
  /** Default `walkInputs`. */
  walk?: Walk;
  /** Log roles to parse; others are found and counted but not read (the audit needs no log). Default: all. */
  logRoles?: ReadonlySet<string>;
  /** `--verbose`: list every file read and as what. */
  onFileRead?(cov: FileCoverage): void;
}

export async function ingest(inputs: readonly string[], opts: IngestOptions, h: IngestHandlers): Promise<Coverage> {
  const coverage = emptyCoverage();
  const progress: Progress = { files: 0, bytes: 0 };
  /** Files an archive broke off inside of, while they were being read. */
  const cut = new Set<string>();
  let bytesBefore = 0;
  const emit = h.event ?? (() => {});

  const renamed = (input: string, from: string, to: string): void => {
    const named = [
      ...coverage.files,
      ...coverage.links.relevant,
      ...coverage.unrecognised.relevant,
      ...coverage.unrecognised.other,
      ...(coverage.unreadable ?? []),
    ];
    for (const f of named) if (f.host === from && underInput(f.path, input)) f.host = to;
    h.hostRenamed?.(input, from, to);
  };

  /**
   * A loose nova-compute log read under a guess (its folder's name, none) whose compute names its own host:
   * the databases and the other hosts' logs know it by that name, and so do the loose logs beside it in its
   * folder (a devstack's or a job's node folder, an all-in-one's copy: one machine), read before it or after.
   * A file of several services' lines (loghub's) is not renamed for its compute's, nor one of several
   * computes' names; a second compute in the folder naming another host takes its name for its own file only.
   */
  const folderHosts = new Map<string, string>();
  const folderOf = (path: string, host: string): string => `${path.slice(0, path.lastIndexOf('/') + 1)}\n${host}`;
  const adopt = (cov: FileCoverage, input: string, own: readonly string[]): void => {
    const from = cov.host;
    const folder = folderOf(cov.path, from);
    const to = own[0];
    // A compute's own lines, or libvirt's banner in its own log or a guest's QEMU log (it runs on the compute it serves).
    const byLibvirt = cov.service === 'libvirtd' || cov.service === 'qemu';
    const named = !!to && (cov.service === 'nova-compute' || byLibvirt) && own.every((o) => sameHost(o, to));
    const before = folderHosts.get(folder);
    if (!named) {
      // A log beside a compute's that named its host, read after it.
      if (before && !sameHost(before, from)) {
        cov.host = before;
        renamed(input, from, before);
      }
      return;
    }
    if (sameHost(to, from)) return;
    cov.host = to;
    coverage.warnings.push({
      input,
      file: cov.path,
      message: `${byLibvirt ? 'its libvirtd names its host' : 'its nova-compute names its own host'} ${to} (${cov.service === 'libvirtd' ? "its start-up banner's `hostname:`" : cov.service === 'qemu' ? 'the `hostname:` of the banner libvirt writes as it starts the guest' : "its periodic audit's lines"}): read as host ${to}, not ${from}${before ? '' : `, and so are the loose logs of its folder read as ${from}`}`,
    });
    renamed(input, from, to);
    if (before) return;
    folderHosts.set(folder, to);
    const inputsOf = new Set(coverage.inputs.map((i) => i.path));
    for (const c of coverage.files)
      if (c.host === from && inputsOf.has(c.path) && folderOf(c.path, from) === folder) renamed(c.path, from, to);
  };

  await (opts.walk ?? walkInputs)(inputs, opts, {
    input(path, kind, host) {
      const existing = coverage.inputs.find((i) => i.path === path);
      if (existing) existing.host = host ?? existing.host;
      else coverage.inputs.push({ path, kind, host });
    },
    hostRenamed: renamed,
    warn(w) {
      coverage.warnings.push({ input: w.input, file: w.file, message: w.message });
      if (w.cutFile) cut.add(w.cutFile);
    },
    unreadable(_input, host, path, reason, role) {
      coverage.unreadable ??= [];
      if (coverage.unreadable.length < 5000)
        coverage.unreadable.push({ ...(host ? { host } : {}), path, reason, ...(role ? { role } : {}) });
    },
    unrecognised(_input, host, path, relevant, what) {
      coverage.unrecognised.count++;
      const list = relevant ? coverage.unrecognised.relevant : coverage.unrecognised.other;
      if (list.length < 5000) list.push(what ? { host, path, what } : { host, path });
    },
    link(_input, host, path, target, relevant) {
      coverage.links.count++;
      if (relevant && coverage.links.relevant.length < 5000) coverage.links.relevant.push({ host, path, target });
    },
    async file(f) {
      progress.files++;
      progress.current = f.displayPath;
      progress.host = f.host;
      h.progress?.(progress);
      let cov: FileCoverage | undefined;
      // A pasted file can name several sources: one coverage entry each, the first the file's own.
      let more: FileCoverage[] = [];
      if (LOG_ROLES.has(f.role.kind) && (!opts.logRoles || opts.logRoles.has(f.role.kind))) {
        const counted = {
          async *[Symbol.asyncIterator]() {
            for await (const c of f.stream) {
              progress.bytes += c.length;
              // Within a file too: one big log is most of a long run (the listener throttles).
              h.progress?.(progress);
              yield c;
              const p = h.pause?.();
              if (p) await p;
            }
          },
        };
        const base = progress.bytes;
        const readTo = (n: number): void => {
          // The reader read the file by position: the stream's count is behind (or already counted its head).
          if (base + n <= progress.bytes) return;
          progress.bytes = base + n;
          h.progress?.(progress);
        };
        let own: string[] = [];
        [cov, ...more] = await readLogFile(
          { ...f, stream: counted },
          { ...opts, readTo, selfNamed: (hosts) => (own = hosts) },
          emit,
          (w) => coverage.warnings.push(w),
          h.passed ?? emit,
        );
        if (more.length === 0 && underInput(cov.path, f.input)) adopt(cov, f.input, own);
        // A loose file named its host by its lines (a journal): its input entry says so too.
        if (f.loose && cov.host !== f.host && more.length === 0) for (const i of coverage.inputs) if (i.path === f.input) i.host = cov.host;
      } else if (h.other && !LOG_ROLES.has(f.role.kind)) {
        try {
          cov = await h.other(f);
          if (cov) progress.bytes += cov.bytes;
        } catch (e) {
          // One unreadable file (a truncated nova.conf.gz) is its own warning, never the run's end.
          const where = e instanceof DecodeError ? ` at compressed byte ${e.compressedBytes}` : '';
          coverage.warnings.push({ input: f.input, file: f.displayPath, message: `${(e as Error).message}${where}: skipped` });
          cov = {
            ...fileCoverage({ host: f.host, path: f.displayPath, role: f.role.kind, layout: f.role.layout, bytes: f.size }),
            truncatedTail: true,
          };
        }
      }
      if (cov && cut.has(f.displayPath)) cov.truncatedTail = true;
      if (cov) {
        for (const c of [cov, ...more]) {
          coverage.files.push(c);
          opts.onFileRead?.(c);
        }
      } else {
        // Not needed by this command: left unread (the walker closes or skips it), but passed in the progress.
        progress.bytes += f.size ?? 0;
        coverage.files.push(fileCoverage({ host: f.host, path: f.displayPath, role: f.role.kind, layout: f.role.layout, bytes: f.size }));
      }
      if (progress.bytes !== bytesBefore) {
        bytesBefore = progress.bytes;
        h.progress?.(progress);
      }
    },
  });
  return coverage;
}
