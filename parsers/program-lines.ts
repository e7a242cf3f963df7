import type { Level } from '../src/model/event.js';
import { pattern } from './pattern.js';

/**
 * Lines of programs other than nova that sit beside nova's in what people
 * hand over: a host's journal (libvirtd's own log lines, evidence for spawn and
 * migration failures), a CI job's output (devstack's xtrace), a container's
 * stdout (kolla_start's lines before the service starts). They are events of
 * their program; a format here only adds what the line itself says (its
 * level, who wrote it). Tried only on lines already known not to be nova's,
 * never on the oslo path.
 */

export interface ProgramLine {
  level: Level;
  /** What wrote it, as the line says (`libvirt virCommandWait:2613`, `xtrace functions-common:service_check:1603`). */
  logger: string;
  message: string;
  /** The program, when the line names it and the collector does not (`devstack` for its xtrace). */
  program?: string;
  /** The command a line says is run (kolla_start's), to pair its two lines. */
  command?: string;
  /**
   * The line is the program's only beside its sibling naming the same command
   * (`+ exec nova-compute` is any shell's trace; next to `Running command:
   * 'nova-compute'` it is kolla_start's).
   */
  paired?: true;
}

export interface ProgramFormat {
  name: string;
  description: string;
  pattern: RegExp;
  take(g: Record<string, string>): ProgramLine;
  /** Recognised on its own in a paste (a container's output pasted without prefixes), not only behind a collector's tag. */
  standalone?: boolean;
  samples: { line: string; source: string; expect: ProgramLine }[];
}

/** libvirt's virLogPriorityString. */
const LIBVIRT_LEVELS: Record<string, Level> = { debug: 'DEBUG', info: 'INFO', warning: 'WARNING', error: 'ERROR' };

export const PROGRAM_FORMATS: ProgramFormat[] = [
  {
    name: 'libvirt',
    description:
      "libvirtd's log line (virLogFormatString: `THREAD: PRIORITY : FUNC:LINE : MESSAGE`; its start-up banners have no FUNC:LINE), as its journal entries and its own log file carry it",
    pattern: pattern(
      String.raw`^(?<tid>\d+):[ ](?<prio>debug|info|warning|error)[ ]:[ ](?:(?<func>\w+):(?<lineno>\d+)[ ]:[ ])?(?<msg>.*)$`,
      's',
    ),
    take: (g) => ({ level: LIBVIRT_LEVELS[g.prio], logger: g.func ? `libvirt ${g.func}:${g.lineno}` : 'libvirt', message: g.msg }),
    samples: [
      {
        line: '14520: error : virNetSocketReadWire:1803 : End of file while reading data: Input/output error',
        source:
          'test/corpus/real/github-beskar-cloud-knowledgebase-unable-talking-to-kernel/journal-libvirtd.txt (after its journal prefix)',
        expect: {
          level: 'ERROR',
          logger: 'libvirt virNetSocketReadWire:1803',
          message: 'End of file while reading data: Input/output error',
        },
      },
      {
        line: '30210: info : hostname: compute-8',
        source:
          'test/corpus/real/github-redhat-performance-jetpack-issue309/libvirtd.log (after its time): a start-up banner, no FUNC:LINE',
        expect: { level: 'INFO', logger: 'libvirt', message: 'hostname: compute-8' },
      },
    ],
  },
  {
    name: 'devstack xtrace',
    description:
      "devstack's bash trace: PS4 is `+ $(short_source):   `, short_source printing `file:function:line` padded to 40 columns; one `+` per nesting level",
    pattern: pattern(String.raw`^\++[ ](?<src>[\w.-]+:[\w.-]+:\d+)[ ]*:[ ]*(?<cmd>.*)$`),
    take: (g) => ({ level: 'INFO', logger: `xtrace ${g.src}`, message: g.cmd, program: 'devstack' }),
    samples: [
      {
        line: '+ functions-common:service_check:1605      :   sudo systemctl is-enabled devstack@cinder.service',
        source: 'test/corpus/real/openstack-devstack-commit-65b46a50/job-output.txt (after its Zuul prefix)',
        expect: {
          level: 'INFO',
          logger: 'xtrace functions-common:service_check:1605',
          message: 'sudo systemctl is-enabled devstack@cinder.service',
          program: 'devstack',
        },
      },
    ],
  },
  {
    name: 'kolla_start',
    description:
      "kolla's container entry point: it echoes `Running command: '…'` and, traced, runs `+ exec …` (its last command); what a container printed before its service's first log line",
    pattern: pattern(String.raw`^(?:Running[ ]command:[ ]'(?<run>[^']*)'|\+[ ]exec[ ](?<exec>\S.*))$`),
    take: (g) =>
      g.run !== undefined
        ? { level: 'INFO', logger: 'kolla_start', message: `Running command: '${g.run}'`, program: 'kolla_start', command: g.run }
        : { level: 'INFO', logger: 'kolla_start', message: `exec ${g.exec}`, program: 'kolla_start', command: g.exec, paired: true },
    standalone: true,
    samples: [
      {
        line: "Running command: 'nova-compute'",
        source: 'test/corpus/real/github-beyondtheclouds-enos-issue349/docker-logs-nova_compute.txt',
        expect: {
          level: 'INFO',
          logger: 'kolla_start',
          message: "Running command: 'nova-compute'",
          program: 'kolla_start',
          command: 'nova-compute',
        },
      },
      {
        line: '+ exec nova-compute',
        source: 'test/corpus/real/github-beyondtheclouds-enos-issue349/docker-logs-nova_compute.txt',
        expect: {
          level: 'INFO',
          logger: 'kolla_start',
          message: 'exec nova-compute',
          program: 'kolla_start',
          command: 'nova-compute',
          paired: true,
        },
      },
    ],
  },
];

const STANDALONE = PROGRAM_FORMATS.filter((f) => f.standalone);

function match(formats: readonly ProgramFormat[], text: string): ProgramLine | undefined {
  for (const f of formats) {
    const m = f.pattern.exec(text);
    if (m) return f.take(m.groups as Record<string, string>);
  }
  return undefined;
}

/** What a line of another program says of itself; undefined when no format knows it (it is still that program's event). */
export function programLine(text: string): ProgramLine | undefined {
  return match(PROGRAM_FORMATS, text);
}

/** A program's line recognisable with no collector around it (pasted container output). */
export function standaloneProgramLine(text: string): ProgramLine | undefined {
  return match(STANDALONE, text);
}

/**
 * The service name of a program a collector names: the identifier as written
 * (`libvirtd`, `avahi-daemon`), a unit without its type (`libvirtd.service` →
 * `libvirtd`).
 */
export function programService(name: string): string {
  return name.replace(/\.(?:service|scope|socket|timer)$/, '');
}
