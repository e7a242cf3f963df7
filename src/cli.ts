#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { runAnalyze } from './commands/analyze.js';
import { runAudit } from './commands/audit.js';
import { runEvents } from './commands/events.js';
import { KINDS } from './registry/index.js';
import { nothingReadMessage, nothingUsableText } from './views/coverage-text.js';
import { readSomething } from './model/coverage.js';
import { type OutputPolicy, outputPolicy, policyText } from './report/output.js';
import { isStdin, STDIN_ARG } from './sources/walk.js';
import { setFlagsFromString } from 'node:v8';
import { type TimeWindow, timeWindow } from './pipeline/window.js';

// V8 pretenures an allocation site whose objects often survive: the event store keeps the first events of a log, so
// the parser's event objects were soon all allocated in old space, where only a full collection frees the many the
// store does not keep (every line past the cap, every context line let go). Off: 1M ERROR lines' peak RSS 371 → 218 MB,
// mixed 200 MiB 258 → 230 MB, quiet 200 MiB 302–359 → 289–292 MB (docs/performance.md). The flag is read as objects
// are allocated, so setting it here, before any input is read, takes effect (--max-old-space-size, read once at start,
// would not).
setFlagsFromString('--no-allocation-site-pretenuring');

/** Commands and their options; the work is in src/commands. */

// `nova-forensics events … | head` closes our stdout early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

/** `--format markdown` is what people type: the same as `md`. */
const asFormat = <T extends string>(v: string): T => (v === 'markdown' ? 'md' : v) as T;

const REDACT = { type: 'boolean', default: true, describe: 'Mask passwords and tokens (--no-redact to keep them)' } as const;
const OBFUSCATE = {
  obfuscate: {
    type: 'boolean',
    default: false,
    describe: 'Replace host names, domains, IP and MAC addresses, user names and keystone ids by placeholders, for a public ticket',
  },
  'obfuscate-key': {
    type: 'string',
    describe: `Key of the placeholders (implies --obfuscate): the same key gives the same placeholders in every run (or set ${'NOVA_FORENSICS_OBFUSCATE_KEY'})`,
  },
  'obfuscate-map': {
    type: 'string',
    describe: 'Write the mapping (original → placeholder, sos clean layout) to this file, mode 0600; never into the report',
  },
  'obfuscate-domain': {
    type: 'string',
    array: true,
    describe: 'Also treat names in this domain as private (the domains of the hosts read always are)',
  },
} as const;
const HOST = { type: 'string', describe: 'Host name for inputs that do not name one' } as const;
const JOBS = {
  type: 'number',
  default: 1,
  describe: 'Processes that parse big plain logs (2: a parse worker beside this one; measured in docs/performance.md)',
} as const;
const QUIET = {
  type: 'boolean',
  alias: 'q',
  default: false,
  describe: 'No progress line on stderr (it shows only on a terminal anyway)',
} as const;
const TZ = { type: 'string', array: true, describe: "Zone of a host's clock, HOST=ZONE (or ZONE for all hosts)" } as const;
const SOSREPORTS = {
  type: 'string',
  array: true,
  demandOption: true,
  describe: 'the sosreports of the controller and the computes (archives or folders), loose logs and dumps',
} as const;
const SINCE = {
  type: 'string',
  describe: 'Only the logs from this time on, as the hosts wrote it (e.g. "2018-12-27 15:05"): lines before it are not read',
} as const;
const UNTIL = { type: 'string', describe: 'Only the logs up to this time (e.g. "2018-12-27 16:00"); dumps are read whole' } as const;
const KIND = {
  type: 'string',
  array: true,
  choices: KINDS,
  describe: 'Only incidents of these kinds (their detectors alone run; the database findings stay)',
} as const;

function warnNoRedact(redact: boolean | undefined): void {
  if (redact === false) process.stderr.write('nova-forensics: --no-redact: passwords and tokens from the inputs will be printed\n');
}

/** What may be printed in this run; error messages quote inputs too. */
let policy: OutputPolicy = { redact: true };

function policyOf(argv: {
  redact?: boolean;
  obfuscate?: boolean;
  'obfuscate-key'?: string;
  'obfuscate-map'?: string;
  'obfuscate-domain'?: (string | number)[];
}): OutputPolicy {
  warnNoRedact(argv.redact);
  const key = argv['obfuscate-key'] ?? process.env.NOVA_FORENSICS_OBFUSCATE_KEY;
  policy = outputPolicy({
    redact: argv.redact,
    obfuscate: argv.obfuscate || !!argv['obfuscate-key'] || !!argv['obfuscate-map'] || !!argv['obfuscate-domain']?.length,
    obfuscateKey: key || undefined,
    obfuscateDomains: argv['obfuscate-domain']?.map(String),
  });
  return policy;
}

const INSTANCE = {
  type: 'string',
  describe:
    "Only the incidents and database findings about this instance uuid (every log is still read: its build's lines need not name it)",
} as const;

/** `--instance`, checked before anything is read: a server's uuid, as the API shows it. */
function instanceOf(argv: { instance?: string }): string | undefined {
  const i = argv.instance?.trim().toLowerCase();
  if (i === undefined) return undefined;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(i))
    fail(`--instance wants an instance uuid (8-4-4-4-12 hexadecimal digits), not ${JSON.stringify(argv.instance)}`);
  return i;
}

/** `--since` / `--until`, checked before anything is read. */
function windowOf(argv: { since?: string; until?: string }): TimeWindow | undefined {
  try {
    return timeWindow(argv.since, argv.until);
  } catch (e) {
    fail((e as Error).message);
  }
}

function fail(message: string): never {
  process.stderr.write(`nova-forensics: ${policyText(message, policy)}\n`);
  process.exit(2);
}

// `-` is standard input; yargs would drop a lone `-`.
await yargs(hideBin(process.argv).map((a) => (a === '-' ? STDIN_ARG : a)))
  .scriptName('nova-forensics')
  .usage(
    '$0 <command> INPUT...\n\nOffline forensics for OpenStack Nova and Placement: sosreports (.tar.xz, .tar.gz, .tar or extracted), sos collect bundles, loose logs and dumps, as files, folders, a .zip or a tar.',
  )
  .command(
    'events <inputs..>',
    'Every nova and placement log event as NDJSON (one JSON object per line), with a coverage summary on stderr',
    (y) =>
      y
        .positional('inputs', {
          type: 'string',
          array: true,
          demandOption: true,
          describe: 'sosreport archives or folders, folders of them, log files',
        })
        .option('since', { type: 'string', describe: 'Keep events at or after this local time (e.g. "2018-12-27 15:05")' })
        .option('until', { type: 'string', describe: 'Keep events at or before this local time' })
        .option('host', {
          type: 'string',
          describe:
            'Keep events of this host (a name or its start: cmp01 finds cmp01.cloud.example); inputs that do not name their host are taken to be it',
        })
        .option('service', {
          type: 'string',
          array: true,
          describe: 'Keep these services (nova-api, nova-conductor, nova-scheduler, nova-compute, placement-api, httpd)',
        })
        .option('level', { type: 'string', describe: 'Keep events at this level or above (DEBUG, INFO, WARNING, ERROR, CRITICAL)' })
        .option('request-id', { type: 'string', describe: 'Keep events of this request (local or global id)' })
        .option('instance', { type: 'string', describe: 'Keep events about this instance uuid' })
        .option('tz', {
          type: 'string',
          array: true,
          describe: "Zone of a host's clock, HOST=ZONE (or ZONE for all hosts): times get its offset",
        })
        .option('summary', { type: 'boolean', default: false, describe: 'Print counts per host instead of the events' })
        .option('verbose', {
          type: 'boolean',
          alias: 'v',
          default: false,
          describe: 'List every file read and as what, and every file not read',
        })
        .option('redact', REDACT)
        .options(OBFUSCATE)
        .option('progress', { type: 'boolean', default: true, describe: 'Progress on stderr when it is a terminal' })
        .option('quiet', QUIET)
        .option('raw', {
          type: 'boolean',
          default: false,
          describe: 'Always include the raw line (by default only when decoding changed it)',
        })
        .example('$0 events sosreport-ctl-2024-10-02-abcdefg.tar.xz | jq -c "select(.level==\\"ERROR\\")"', 'Errors of one host')
        .example('$0 events sosreports/ --request-id req-49530488-2149-4f15-85ea-5659267ffada', 'One request across every host')
        .example('$0 events nova-compute.log.1.gz --host compute1 --level WARNING', 'A loose log, named')
        .example('$0 events samples/ --summary', 'Counts per host, and what was read'),
    async (argv) => {
      let result;
      try {
        result = await runEvents(
          {
            inputs: argv.inputs as string[],
            since: argv.since,
            until: argv.until,
            host: argv.host,
            service: argv.service as string[] | undefined,
            level: argv.level,
            requestId: argv['request-id'],
            instance: argv.instance,
            tz: argv.tz as string[] | undefined,
            summary: argv.summary,
            verbose: argv.verbose,
            policy: policyOf(argv),
            obfuscateMap: argv['obfuscate-map'],
            progress: argv.progress && !argv.quiet,
            raw: argv.raw,
          },
          process.stdout,
          process.stderr,
        );
      } catch (e) {
        fail((e as Error).message);
      }
      if (!readSomething(result.coverage)) fail(nothingUsableText(result.coverage, argv.inputs as string[]));
    },
  )
  .command(
    'audit <inputs..>',
    'Database findings from the mysqldumps in the inputs: orphan allocations, unmapped hosts and instances, capacity, max_unit',
    (y) =>
      y
        .positional('inputs', {
          type: 'string',
          array: true,
          demandOption: true,
          describe: 'sosreports holding a dump (sos_commands/mysql, sos_commands/openstack_database), or .sql / .sql.gz files',
        })
        .option('format', {
          choices: ['md', 'json'] as const,
          default: 'md' as const,
          coerce: asFormat<'md' | 'json'>,
          describe: 'Markdown for people (md or markdown), JSON for tools',
        })
        .option('host', HOST)
        .option('verbose', { type: 'boolean', alias: 'v', default: false, describe: 'List every file read and not read' })
        .option('redact', REDACT)
        .options(OBFUSCATE)
        .example('$0 audit sosreport-ctl01-2024-10-02-abcdefg.tar.xz', 'Findings as Markdown')
        .example(
          '$0 audit nova_api.sql.gz placement.sql --format json | jq ".findings[] | select(.code=="orphan-allocation")"',
          'Orphans from loose dumps',
        ),
    async (argv) => {
      let result;
      try {
        result = await runAudit(
          {
            inputs: argv.inputs as string[],
            host: argv.host,
            format: argv.format,
            verbose: argv.verbose,
            policy: policyOf(argv),
            obfuscateMap: argv['obfuscate-map'],
          },
          process.stdout,
          process.stderr,
        );
      } catch (e) {
        fail((e as Error).message);
      }
      if (result.dumps === 0) fail(nothingReadMessage(result.coverage, 'no database dump was found in the inputs'));
    },
  )
  .command(
    'analyze <inputs..>',
    'Explain every failed build, CPU-incompatible migration, unmanaged allocation and unmapped instance, with timelines, evidence and remediation',
    (y) =>
      y
        .positional('inputs', SOSREPORTS)
        .option('format', {
          choices: ['auto', 'tui', 'md', 'json', 'ndjson', 'summary'] as const,
          default: 'auto' as const,
          coerce: asFormat<'auto' | 'tui' | 'md' | 'json' | 'ndjson' | 'summary'>,
          describe:
            'auto: the full-screen app on a terminal, else the Markdown report; tui; md (or markdown); summary (a few lines per incident); json (docs/report-schema.md) and ndjson for tools',
        })
        .option('output', { alias: 'o', type: 'string', describe: 'Write the report to this file instead of stdout' })
        .option('host', HOST)
        .option('tz', TZ)
        .option('kind', KIND)
        .option('instance', INSTANCE)
        .option('since', SINCE)
        .option('until', UNTIL)
        .option('verbose', { type: 'boolean', alias: 'v', default: false, describe: 'List every file read and not read' })
        .option('redact', REDACT)
        .option('quiet', QUIET)
        .option('jobs', JOBS)
        .options(OBFUSCATE)
        .example('$0 analyze sosreport-ctl01-*.tar.xz sosreport-cmp0*', 'Incidents across the controller and computes')
        .example('$0 analyze sosreports/ --kind failed-build --format summary', 'Only the failed builds')
        .example('$0 analyze sosreports/ --instance c2963f0d-370c-43aa-8cee-0131760d6ef2', "One server's story, for its ticket")
        .example('$0 analyze sosreports/ --format json | jq ".incidents[] | {kind, cause: .cause.code}"', 'The report model as JSON'),
    async (argv) => {
      const window = windowOf(argv);
      const instance = instanceOf(argv);
      let format = argv.format;
      const terminal = process.stdout.isTTY === true && process.stdin.isTTY === true;
      if (format === 'auto') {
        format = terminal && !argv.output ? 'tui' : 'md';
        if (format === 'md' && !argv.output)
          process.stderr.write(
            'nova-forensics: not a terminal: writing the Markdown report (--format tui, summary, json or ndjson for others)\n',
          );
      }
      if (format === 'tui') {
        if ((argv.inputs as string[]).some(isStdin))
          fail('the TUI reads its keys from the terminal, so it cannot read the inputs from stdin (-): use --format md, or give a file');
        if (!terminal) fail('--format tui needs a terminal on stdin and stdout');
        await (await import('./commands/tui.js')).launchTui(argv.inputs as string[], {
          host: argv.host,
          tz: argv.tz as string[] | undefined,
          policy: policyOf(argv),
          kinds: argv.kind,
          window,
          instance,
        });
        process.exit(0);
      }
      let report;
      try {
        report = await runAnalyze(
          {
            inputs: argv.inputs as string[],
            host: argv.host,
            tz: argv.tz as string[] | undefined,
            format,
            policy: policyOf(argv),
            obfuscateMap: argv['obfuscate-map'],
            verbose: argv.verbose,
            output: argv.output,
            kinds: argv.kind,
            progress: !argv.quiet,
            jobs: argv.jobs,
            window,
            instance,
          },
          process.stdout,
          process.stderr,
        );
      } catch (e) {
        fail((e as Error).message);
      }
      if (!readSomething(report.coverage)) fail(nothingUsableText(report.coverage, argv.inputs as string[]));
    },
  )
  .command(
    'tui <inputs..>',
    'Browse incidents and the merged cross-host timeline in a full-screen app (analyze on a terminal does the same)',
    (y) =>
      y
        .positional('inputs', SOSREPORTS)
        .option('host', HOST)
        .option('tz', TZ)
        .option('instance', INSTANCE)
        .option('since', SINCE)
        .option('until', UNTIL)
        .option('redact', REDACT)
        .options(OBFUSCATE),
    async (argv) => {
      if ((argv.inputs as string[]).some(isStdin))
        fail('tui reads its keys from the terminal, so it cannot read the inputs from stdin (-): use analyze --format md, or give a file');
      if (process.stdout.isTTY !== true || process.stdin.isTTY !== true)
        fail('tui needs a terminal on stdin and stdout; use analyze or report when piping');
      await (await import('./commands/tui.js')).launchTui(argv.inputs as string[], {
        host: argv.host,
        tz: argv.tz as string[] | undefined,
        policy: policyOf(argv),
        window: windowOf(argv),
        instance: instanceOf(argv),
      });
      process.exit(0);
    },
  )
  .command(
    'report <inputs..>',
    'The Markdown incident report of the inputs (analyze --format md), for a ticket',
    (y) =>
      y
        .positional('inputs', SOSREPORTS)
        .option('output', { alias: 'o', type: 'string', describe: 'Write the report to this file instead of stdout' })
        .option('host', HOST)
        .option('tz', TZ)
        .option('kind', KIND)
        .option('instance', INSTANCE)
        .option('since', SINCE)
        .option('until', UNTIL)
        .option('redact', REDACT)
        .option('quiet', QUIET)
        .option('jobs', JOBS)
        .options(OBFUSCATE)
        .example('$0 report sosreport-*.tar.xz -o incident.md', 'A report to attach to a ticket'),
    async (argv) => {
      const window = windowOf(argv);
      const instance = instanceOf(argv);
      let report;
      try {
        report = await runAnalyze(
          {
            inputs: argv.inputs as string[],
            host: argv.host,
            tz: argv.tz as string[] | undefined,
            format: 'md',
            policy: policyOf(argv),
            obfuscateMap: argv['obfuscate-map'],
            output: argv.output,
            kinds: argv.kind,
            progress: !argv.quiet,
            jobs: argv.jobs,
            window,
            instance,
          },
          process.stdout,
          process.stderr,
        );
      } catch (e) {
        fail((e as Error).message);
      }
      if (!readSomething(report.coverage)) fail(nothingUsableText(report.coverage, argv.inputs as string[]));
    },
  )
  .demandCommand(1, 'Name a command: analyze, tui, report, events, audit')
  .strict()
  .help()
  .alias('h', 'help')
  .wrap(Math.min(120, process.stdout.columns ?? 100))
  .fail((msg, err, y) => {
    if (err) fail(err.message);
    process.stderr.write(`${y.help()}\n`);
    fail(msg);
  })
  .parseAsync();
