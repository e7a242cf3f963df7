import type { Event, Level } from '../src/model/event.js';
import { decodeLine } from './text-decode.js';

/**
 * A guest's QEMU log as libvirt keeps it (`/var/log/libvirt/qemu/<domain>.log`, one file per domain,
 * every start of the guest appended): libvirt's own lines stamped `YYYY-MM-DD HH:MM:SS.mmm+0000: `
 * (the start-up banner, `initiating migration` on a migration's source, `shutting down, reason=…` when
 * the process ends), the command line it started QEMU with (one line, or one argument per line ending
 * in ` \`, libvirt 4.2+), and what QEMU itself wrote to stderr: `<ISO time>Z qemu-system-x86_64: …` with
 * `-msg timestamp=on`, without a time before it took effect. On a live migration's destination this
 * log is the only place that says why QEMU refused the incoming stream (`load of migration failed: …`,
 * the device whose state did not load just before it).
 *
 * Each start's command line names the guest's nova instance (`-uuid`); the events of that start carry
 * it. The command line itself is never kept (it can hold `-object secret,…,data=…`): only the uuid is
 * taken from it. QEMU does not translate its messages, nor libvirt these lines.
 */

export interface QemuLogContext {
  host: string;
  file: string;
}

/** A line format of the QEMU domain log, with real lines it was written for (test/qemu-log.test.ts checks them). */
export interface QemuLineFormat {
  name: string;
  description: string;
  pattern: RegExp;
  samples: { line: string; source: string; fields: Record<string, string> }[];
}

export const LIBVIRT_STAMPED: QemuLineFormat = {
  name: 'libvirt',
  description:
    "libvirt's own line in the domain log (qemuProcessStart's banner, qemuMigrationSrc's `initiating migration`, qemuProcessStop's `shutting down, reason=<virDomainShutoffReason>`): its time in UTC with the offset",
  pattern: /^(?<date>\d{4}-\d\d-\d\d) (?<time>\d\d:\d\d:\d\d\.\d{3})(?<zh>[+-]\d\d)(?<zm>\d\d): (?<message>.*)$/s,
  samples: [
    {
      line: '2022-02-10 16:18:33.029+0000: shutting down, reason=migrated',
      source: 'corpus hotsos/openstack var/log/libvirt/qemu/instance-00000002.log (Ussuri, libvirt 6.0.0)',
      fields: { date: '2022-02-10', time: '16:18:33.029', zh: '+00', zm: '00', message: 'shutting down, reason=migrated' },
    },
  ],
};

export const QEMU_STDERR: QemuLineFormat = {
  name: 'qemu',
  description:
    "QEMU's own message (error_report, warn_report, info_report) with `-msg timestamp=on`: `<ISO time>Z <program>: [warning: |info: ]<message>`; the time and the program may be missing (messages written before the option took effect)",
  pattern:
    /^(?:(?<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)Z )?(?<program>qemu-system-[\w-]+|qemu-kvm|qemu-kvm-[\w.-]+|kvm|qemu): (?:(?<kind>warning|info|error): )?(?<message>.*)$/s,
  samples: [
    {
      line: "2022-02-10T16:18:05.033085Z qemu-system-x86_64: warning: host doesn't support requested feature: MSR(48FH).vmx-exit-load-perf-global-ctrl [bit 12]",
      source: 'corpus hotsos/openstack var/log/libvirt/qemu/instance-00000001.log (Ussuri, QEMU 4.2)',
      fields: {
        ts: '2022-02-10T16:18:05.033085',
        program: 'qemu-system-x86_64',
        kind: 'warning',
        message: "host doesn't support requested feature: MSR(48FH).vmx-exit-load-perf-global-ctrl [bit 12]",
      },
    },
    {
      line: '2022-02-10T16:18:33.031019Z qemu-system-x86_64: terminating on signal 15 from pid 1074 (/usr/sbin/libvirtd)',
      source: 'corpus hotsos/openstack var/log/libvirt/qemu/instance-00000002.log (Ussuri, QEMU 4.2)',
      fields: {
        ts: '2022-02-10T16:18:33.031019',
        program: 'qemu-system-x86_64',
        message: 'terminating on signal 15 from pid 1074 (/usr/sbin/libvirtd)',
      },
    },
    {
      line: 'qemu-kvm: load of migration failed: Invalid argument',
      source:
        "qemu-devel mail on pcie-root-port migration (find_string 'load of migration failed', id 19893011236): a destination's stderr on pc-q35-6.0, as the patch quotes it",
      fields: { program: 'qemu-kvm', message: 'load of migration failed: Invalid argument' },
    },
  ],
};

export const QEMU_LINE_FORMATS: readonly QemuLineFormat[] = [LIBVIRT_STAMPED, QEMU_STDERR];

/**
 * A line only a guest's QEMU log holds: libvirt's own stamped lines (its banner, a migration's start, a process's end)
 * or QEMU's stamped stderr. What tells a QEMU log by its content (a ticket's attachment, a paste).
 */
export const QEMU_LOG_LINE =
  /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}[+-]\d{4}: (?:starting up libvirt version: |shutting down(?:, reason=|$)|initiating migration$)|^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z (?:qemu-system-[\w-]+|qemu-kvm): /;

/** The banner libvirt writes as it starts the guest's QEMU (qemuProcessStart → qemuDomainLogContextNew). */
const BANNER = /^starting up libvirt version: /;
/** libvirt's virDomainShutoffReason, as qemuProcessStop writes it. */
const SHUTDOWN = /^shutting down, reason=(?<reason>[\w-]+)/;
/** The ends libvirt writes for a process that failed: its start or an incoming migration failed, or QEMU died. */
const FAILED_REASONS = new Set(['failed', 'crashed']);
/** QEMU's stderr before `-msg timestamp=on` took effect, as libvirt's logs show it after the command line. */
const QEMU_UNSTAMPED = /^(?:char device redirected to |warning: |(?:qemu-system-[\w-]+|qemu-kvm|kvm|qemu): |virtio: )/;

/** A line of the command line: an environment assignment, the binary, an argument. */
const COMMAND_LINE = /^(?:[A-Z_][A-Z0-9_]*=\S*|\/\S*qemu\S*|-[\w-]+)(?: |$)/;

/** What a start's command line says about the guest. */
interface Start {
  uuid?: string;
}

/** Every line of a QEMU log is the guest's (libvirt's, QEMU's, its stderr's): an event, or folded into one. */
export interface QemuLogStats {
  events: number;
  /** Command-line lines taken into the start they belong to, and a paste's wraps joined to their line. */
  folded: number;
}

const UUID = /-uuid ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/;

/** `2022-02-10T16:18:05.033085` → `2022-02-10T16:18:05.033+00:00` (the event's form: ms, the zone given). */
function isoMs(ts: string): string {
  const dot = ts.indexOf('.', 19);
  const ms = dot < 0 ? '000' : ts.slice(dot + 1, dot + 4).padEnd(3, '0');
  return `${ts.slice(0, 19)}.${ms}+00:00`;
}

export interface QemuLogOptions {
  /**
   * The log was pasted (a ticket, a mail): a line no format knows after a stamped one is the rest of that line, wrapped
   * by the paste (`… load of migration` / `failed: Operation not permitted`).
   */
  pasted?: boolean;
}

export class QemuLogParser {
  readonly stats: QemuLogStats = { events: 0, folded: 0 };
  private start: Start | undefined;
  /** The banner waits for its command line, whose instance it carries. */
  private pending: Event | undefined;
  private inCommand = false;
  /** A line of the current start's command line was read: the banner is whole. */
  private commandSeen = false;
  private lastTs = '';
  /** The last event, held until the next line says whether it goes on (a paste's wrap). */
  private held: Event | undefined;

  constructor(
    private readonly ctx: QemuLogContext,
    private readonly emit: (ev: Event) => void,
    private readonly opts: QemuLogOptions = {},
  ) {}

  push(line: string, lineNo: number): void {
    if (this.inCommand) {
      // A paste's blank lines (a mail's paragraph per line) do not end the command line.
      if (line.trim() === '') return;
      // The banner wrapped by a paste (its `package: …` on the next line): its rest, up to the host it names.
      const banner = this.pending;
      if (banner && !this.commandSeen && !COMMAND_LINE.test(line) && !/, hostname: \S+$/.test(banner.message) && !this.stamped(line)) {
        banner.message += ` ${decodeLine(line.trim())}`;
        banner.lineEnd = lineNo;
        this.stats.folded++;
        return;
      }
      if (COMMAND_LINE.test(line) || (this.opts.pasted && !this.stamped(line) && !QEMU_UNSTAMPED.test(line.trim()))) {
        // In a paste, a wrap cuts arguments anywhere: every line up to QEMU's or libvirt's own is the command line's,
        // never kept (it may hold a secret).
        this.commandSeen = true;
        this.takeCommand(line);
        this.stats.folded++;
        if (!this.opts.pasted && !line.endsWith('\\')) this.endCommand();
        return;
      }
      this.endCommand();
    }
    if (line.trim() === '') return;
    const lv = LIBVIRT_STAMPED.pattern.exec(line);
    if (lv) {
      const g = lv.groups!;
      const ts = `${g.date}T${g.time}${g.zh}:${g.zm}`;
      this.lastTs = ts;
      const message = decodeLine(g.message);
      const down = SHUTDOWN.exec(message);
      const ev = this.event(lineNo, line, ts, down && FAILED_REASONS.has(down.groups!.reason) ? 'ERROR' : 'INFO', 'libvirt', message);
      if (BANNER.test(message)) {
        this.release();
        this.start = {};
        this.pending = ev;
        this.inCommand = true;
        this.commandSeen = false;
        return;
      }
      this.send(ev);
      return;
    }
    const q = QEMU_STDERR.pattern.exec(line);
    if (q) {
      const g = q.groups!;
      const ts = g.ts ? isoMs(g.ts) : '';
      if (ts) this.lastTs = ts;
      const message = decodeLine(g.message);
      // QEMU's own exit when libvirt stops it, and its note of a console's pty, are no errors.
      const level: Level =
        g.kind === 'warning'
          ? 'WARNING'
          : g.kind === 'info' || /^terminating on signal \d+|char device redirected to /.test(message)
            ? 'INFO'
            : 'ERROR';
      this.send(this.event(lineNo, line, ts, level, 'qemu', message));
      return;
    }
    const held = this.held;
    // Never the banner: what follows its command line is not its text.
    if (this.opts.pasted && held?.ts && !(held.logger === 'libvirt' && BANNER.test(held.message))) {
      // A paste's wrap: the rest of the stamped line before it.
      held.message += ` ${decodeLine(line.trim())}`;
      held.lineEnd = lineNo;
      this.stats.folded++;
      this.relevel(held);
      return;
    }
    // stderr without a program or time (a chardev's note, an old QEMU's `warning: …`, a rotated log's first lines):
    // the guest's, undated. The file is a QEMU log by its path or its content; QEMU writes nothing else there.
    const message = decodeLine(line.trim());
    const level: Level = /^warning: /.test(message) ? 'WARNING' : 'INFO';
    this.send(this.event(lineNo, line, '', level, 'qemu', message));
  }

  end(): void {
    this.endCommand();
    this.release();
  }

  /** A line of a known format (libvirt's or QEMU's own), as opposed to the rest of one. */
  private stamped(line: string): boolean {
    return LIBVIRT_STAMPED.pattern.test(line) || QEMU_STDERR.pattern.test(line);
  }

  /** libvirt's `shutting down, reason=…` completed by a wrap: its level from the whole reason. */
  private relevel(ev: Event): void {
    if (ev.logger !== 'libvirt') return;
    const down = SHUTDOWN.exec(ev.message);
    if (down) ev.level = FAILED_REASONS.has(down.groups!.reason) ? 'ERROR' : 'INFO';
  }

  private takeCommand(line: string): void {
    const s = this.start!;
    s.uuid ??= UUID.exec(line)?.[1];
  }

  private endCommand(): void {
    this.inCommand = false;
    const ev = this.pending;
    if (!ev) return;
    this.pending = undefined;
    this.send(ev);
  }

  /** The held event goes on to the sink. */
  private release(): void {
    const ev = this.held;
    if (!ev) return;
    this.held = undefined;
    this.stats.events++;
    this.emit(ev);
  }

  private event(lineNo: number, raw: string, ts: string, level: Level, logger: string, message: string): Event {
    const ev: Event = { ts, host: this.ctx.host, service: 'qemu', file: this.ctx.file, line: lineNo, level, logger, message, raw };
    if (!ts) {
      ev.undated = true;
      if (this.lastTs) ev.afterTs = this.lastTs;
    }
    if (message !== raw && !raw.includes(message)) ev.decoded = true;
    return ev;
  }

  private send(ev: Event): void {
    const s = this.start;
    if (s?.uuid) ev.instanceUuid = s.uuid;
    this.release();
    this.held = ev;
  }
}
