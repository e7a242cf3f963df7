import { pattern } from '../pattern.js';
import { PREFIX_FORMATS } from '../prefixes.js';

/**
 * The shapes a pasted excerpt is read by, before any oslo parsing: how a log
 * record's first line begins (whatever collector wrote it), what a traceback
 * line looks like, and the `grep` prefix in front of either. Each shape is data
 * with real sample lines (test/paste.test.ts checks every sample).
 */

export interface Shape {
  name: string;
  pattern: RegExp;
  samples: { line: string; source: string }[];
}

const LEVEL = 'TRACE|DEBUG|INFO|AUDIT|WARNING|WARN|ERROR|CRITICAL|FATAL';

/**
 * How the first line of a record begins: a date and time (oslo, ISO, rsyslog,
 * CI prefixes), a syslog/journald month and day in any language, or an oslo
 * level and logger with no time at all (devstack under journald, `journalctl
 * -o cat`, a line copied without its time). A collector's prefix
 * (PREFIX_FORMATS) and a JSON object (oslo's JSONFormatter) start one too.
 */
export const RECORD_STARTS: Shape[] = [
  {
    name: 'date-time',
    pattern: pattern(String.raw`^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d`),
    samples: [
      {
        line: '2019-08-19 15:54:35.251 1437 ERROR nova.compute.manager [instance: 1451041c-da04-478c-93dd-0acb60dd149a]     self.wait()',
        source: 'github elasticluster/elasticluster#660 (after its 4-space indent)',
      },
    ],
  },
  {
    name: 'month-day-time',
    // The month as the locale writes it (`Jul`, `szept`, `sept.`, `9月`), then day and time.
    pattern: pattern(String.raw`^[^\s\d]{1,9}\.?[ ]{1,2}\d{1,2}[ ]\d\d:\d\d:\d\d[ .,]|^\d{1,2}月[ ]?\d{1,2}日?[ ]\d\d:\d\d:\d\d[ .,]`),
    samples: [
      {
        line: 'Feb 16 09:03:40 testoccm nova-scheduler[194098]: ERROR nova     return getattr(conn, service_type)',
        source: 'corpus bug-report-excerpts/kubernetes__cloud-provider-openstack__pr2084.nova-scheduler.journal.log',
      },
    ],
  },
  {
    name: 'time-level-logger',
    // Only the time of day, then the pid or not: a copy that cut the date off (a viewer's column, a note's).
    pattern: pattern(String.raw`^(?<tod>\d\d:\d\d:\d\d(?:[.,]\d{1,6})?[ ](?:(?<pid>\d+)[ ])?)(?:${LEVEL})[ ][A-Za-z_][\w.]*(?:[ ]|$)`),
    samples: [
      {
        line: '18:44:03 INFO nova.compute.manager [instance: ff549c0e] During sync_power_state the instance has a pending task (migrating). Skip.',
        source: 'test/corpus/real/github-bigstack-oss-cubecos-issue1440 (2023): its date, pid and context cut in the issue',
      },
    ],
  },
  {
    name: 'level-logger',
    // The logger bare, or in brackets as nova's test runs write it (StandardLogging: `%(levelname)s [%(name)s] …`).
    pattern: pattern(String.raw`^(?:${LEVEL})[ ](?:[A-Za-z_][\w.]*|\[[A-Za-z_][\w.]*\])(?:[ ]|$)`),
    samples: [
      {
        line: 'ERROR nova.virt.libvirt.driver [-] [instance: 7879eec3-9b60-4fb4-beff-a2a895cf0e0f] Live Migration failure: internal error Unknown CPU feature monitor',
        source: 'corpus bug-report-excerpts/01.org__solving-vm-live-migration-failure.nova-compute.log',
      },
      {
        line: 'WARNING [nova.scheduler.utils] Failed to',
        source: 'test/corpus/real/openstack-nova-commit-d5337279 (a functional test run, its time cut off, its indent left out)',
      },
    ],
  },
];

// A collector's prefix (PREFIX_FORMATS) starts a record too: new formats count here without a change.
// grep's prefix is paste mode's to take off (it names the source), not a record's start.
const COLLECTORS = PREFIX_FORMATS.filter((f) => f.name !== 'grep');
const RECORD_START = new RegExp(
  [...RECORD_STARTS, ...COLLECTORS, { pattern: /^\{"/ }].map((s) => `(?:${unnamed(s.pattern.source)})`).join('|'),
);

/** One regex of many: their group names would clash. */
function unnamed(source: string): string {
  return source.replace(/\(\?<([A-Za-z]\w*)>/g, '(?:');
}

/** The first line of a log record, in any of RECORD_STARTS or behind a collector's prefix. */
export function startsRecord(line: string): boolean {
  return RECORD_START.test(line);
}

/** A dated first line: the records an undated line can be placed after. */
export function startsDatedRecord(line: string): boolean {
  // A JSON object is a dated record when it is oslo's (JSONFormatter's asctime and levelname), not a fault's body.
  if (line.charCodeAt(0) === 123 /* { */) return OSLO_JSON_KEYS.test(line);
  return startsRecord(line) && !LEVEL_ONLY.test(line) && !TIME_ONLY.test(line);
}

const OSLO_JSON_KEYS = /"(?:asctime|levelname)"\s*:/;

const LEVEL_ONLY = RECORD_STARTS.find((s) => s.name === 'level-logger')!.pattern;
const TIME_ONLY = RECORD_STARTS.find((s) => s.name === 'time-level-logger')!.pattern;

/** `LEVEL logger …` with no time: oslo's line as devstack's journal keeps it; or with its time of day alone. */
export function startsUndatedRecord(line: string): boolean {
  return LEVEL_ONLY.test(line) || TIME_ONLY.test(line);
}

/**
 * A record pasted with its time of day only (`HH:MM:SS[.mmm] [pid] `): the rest as `LEVEL logger …`, and its pid. The
 * time of day is not kept: there is no date to put it on.
 */
export function withoutTimeOfDay(line: string): { rest: string; pid?: number } | undefined {
  const g = TIME_ONLY.exec(line)?.groups;
  return g && { rest: line.slice(g.tod.length), pid: g.pid ? Number(g.pid) : undefined };
}

/** Python traceback lines: they continue the record above, never start one. */
export const TRACEBACK_LINE: Shape = {
  name: 'traceback',
  pattern: pattern(
    String.raw`^(?:Traceback[ ]\(most[ ]recent[ ]call[ ]last\)
      |\s+File[ ]"[^"]*",[ ]line[ ]\d+
      |During[ ]handling[ ]of[ ]the[ ]above[ ]exception
      |The[ ]above[ ]exception[ ]was[ ]the[ ]direct[ ]cause)`,
    'x',
  ),
  samples: [
    {
      line: '  File "/usr/lib/python3.9/site-packages/nova/conductor/manager.py", line 1580, in schedule_and_build_instances',
      source: 'corpus bug-report-excerpts/bigstack-oss__cubecos__issue312.instance-fault.txt',
    },
    { line: 'Traceback (most recent call last):', source: 'corpus bug-report-excerpts/bigstack-oss__cubecos__issue312.instance-fault.txt' },
  ],
};

export function isTracebackLine(line: string): boolean {
  return TRACEBACK_LINE.pattern.test(line);
}

/**
 * A record's header glued onto the end of the record before it, a newline
 * lost in the copy: oslo's DEBUG suffix `path.py:NNN` runs straight into the
 * next record's date (`…lockutils.py:2822017-01-19 06:15:03.006 DEBUG …`).
 * Only a whole header counts (date, time, optional pid, level, logger) and
 * only right after a `:` and digits, so a date quoted in a message is left
 * alone; the line number is the shortest run of digits before the date.
 */
export const GLUED_RECORD: Shape = {
  name: 'glued-record',
  pattern: pattern(String.raw`:\d+?(?=\d{4}-\d\d-\d\d[ ]\d\d:\d\d:\d\d(?:[.,]\d+)?[ ]+(?:\d+[ ]+)?(?:${LEVEL})[ ][A-Za-z_][\w.]*[ ])`),
  samples: [
    {
      line: '2017-01-19 06:15:03.005 DEBUG oslo_concurrency.lockutils [req-11ea2e21-d952-4ab4-ae43-fcf2403123e4 demo demo] Lock "compute_resources" released by "nova.compute.resource_tracker.abort_instance_claim" :: held 0.178s from (pid=4496) inner /usr/local/lib/python2.7/dist-packages/oslo_concurrency/lockutils.py:2822017-01-19 06:15:03.006 DEBUG nova.compute.utils [req-11ea2e21-d952-4ab4-ae43-fcf2403123e4 demo demo] [instance: 15734ad5-a957-41e7-aab7-6278e3338d40] Image  is unacceptable',
      source:
        'test/corpus/real/github-stackinabox-stackinabox.io-issue6/n-cpu-image-unacceptable.log line 4 (Newton), cut after the message',
    },
  ],
};

/**
 * Records whose newlines a web page turned into spaces (a forum post outside a code block, a page's
 * text copied): whole headers — time with its fraction, pid, level, logger, context — each after a space.
 * Taken only where a line starts with a record and holds at least two more: one header after a space may
 * be a record a message quotes.
 */
export const SPACE_JOINED_RECORDS: Shape = {
  name: 'space-joined-records',
  // An oslo header, or libvirtd's own (its log file's `TIME+ZONE: THREAD: PRIORITY : `).
  pattern: pattern(
    String.raw`[ ](?=\d{4}-\d\d-\d\d[ ]\d\d:\d\d:\d\d[.,]\d+(?:[ ]\d+[ ](?:${LEVEL})[ ][A-Za-z_][\w.]*[ ]\[|[+-]\d{4}:[ ]\d+:[ ](?:debug|info|warning|error)[ ]:[ ]))`,
  ),
  samples: [
    {
      line: '2018-12-17 13:47:12.449 16987 INFO nova.virt.libvirt.driver [req-7bc758de-b2e4-461b-a971-f79be6cd4703 313d1247d7b845da9c731eec53e50a26 2f693c782fa748c2baece8db95b4ba5b - default default] [instance: ead8ecc3-f473-4672-a67b-c44534c6042d] Migration running for 2280 secs, memory 3% remaining; (bytes processed=2541888418, remaining=126791680, total=3226542080) 2018-12-17 13:47:29.591 16987 WARNING nova.virt.libvirt.migration [req-7bc758de-b2e4-461b-a971-f79be6cd4703 313d1247d7b845da9c731eec53e50a26 2f693c782fa748c2baece8db95b4ba5b - default default] [instance: ead8ecc3-f473-4672-a67b-c44534c6042d] Live migration not completed after 2400 sec 2018-12-17 13:47:30.097 16987 WARNING nova.virt.libvirt.driver [req-7bc758de-b2e4-461b-a971-f79be6cd4703 313d1247d7b845da9c731eec53e50a26 2f693c782fa748c2baece8db95b4ba5b - default default] [instance: ead8ecc3-f473-4672-a67b-c44534c6042d] Migration operation was cancelled 2018-12-17 13:47:30.299 16987 ERROR nova.virt.libvirt.driver [req-7bc758de-b2e4-461b-a971-f79be6cd4703 313d1247d7b845da9c731eec53e50a26 2f693c782fa748c2baece8db95b4ba5b - default default] [instance: ead8ecc3-f473-4672-a67b-c44534c6042d] Live Migration failure: operation aborted: migration job: canceled by client: libvirtError: operation aborted: migration job: canceled by client',
      source: 'test/corpus/real/pastebin-3mxsvnrr/nova-compute.log line 1 (2018: four records, their newlines spaces in the copy read)',
    },
    {
      line: `2016-01-26 10:30:51.197+0000: 8591: debug : qemuMonitorJSONCommandWithFd:264 : Send command '{"execute":"query-migrate","id":"libvirt-144"}' for write with FD -1 2016-01-26 10:30:51.197+0000: 8591: debug : qemuMonitorSend:959 : QEMU_MONITOR_SEND_MSG: mon=0x7f1e0c00db30 msg={"execute":"query-migrate","id":"libvirt-144"} fd=-1 2016-01-26 10:30:51.199+0000: 8590: debug : qemuMonitorIOWrite:504 : QEMU_MONITOR_IO_WRITE: mon=0x7f1e0c00db30`,
      source:
        'test/corpus/real/launchpad-nova-1535232-comment-6-libvirtd-debug (2016: libvirtd records of a page whose newlines were lost), shortened here',
    },
  ],
};

const DATED_START = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d/;
/** The two shapes' patterns for `matchAll`, made once (it copies a global pattern, so sharing one is safe). */
const GLUED_ALL = new RegExp(GLUED_RECORD.pattern.source, 'g');
const SPACE_JOINED_ALL = new RegExp(SPACE_JOINED_RECORDS.pattern.source, 'g');

/** Where records glued onto one line begin (GLUED_RECORD, SPACE_JOINED_RECORDS), after the first: the offsets to split the line at. */
export function gluedRecordStarts(line: string): number[] {
  const out: number[] = [];
  // Cheap test first: most lines hold no second date.
  if (line.length < 60 || line.indexOf(':', 20) === -1) return out;
  for (const m of line.matchAll(GLUED_ALL)) out.push(m.index! + m[0].length);
  // A grep prefix before the first record (`120:2018-12-17 …`) is the line's start all the same.
  if (DATED_START.test(line) || DATED_START.test(line.slice(grepPrefix(line)?.length ?? 0))) {
    const spaced = [...line.matchAll(SPACE_JOINED_ALL)].map((m) => m.index! + 1);
    if (spaced.length >= 2) return [...new Set([...out, ...spaced])].sort((a, b) => a - b);
  }
  return out;
}

export interface GrepPrefix {
  /** The file grep named (`grep -r`, several files, `-H`). */
  path?: string;
  /** `-n`'s line number in that file. */
  lineNo?: number;
  /** A context line (`-A/-B/-C`: `-` separators) rather than a match (`:`). */
  context: boolean;
  /** Characters of the prefix. */
  length: number;
}

/**
 * `grep -n`/`-r`/`-H`/`-C` in front of a record: `path:`, `path:NN:`,
 * `path-NN-` (context), `path-` (context without `-n`), `NN:`, `NN-`. The path
 * must hold a `.` or `/` (a name like `messages` alone is too common a word).
 * Tried only where a record start follows, so a rotated name
 * (`nova-compute.log-20151124.gz:`) splits where the record begins.
 */
export const GREP_SAMPLES: { line: string; source: string; prefix: GrepPrefix }[] = [
  {
    line: '25547:2018-08-09 09:19:08.040 7 DEBUG nova.filters [req-0af99b3d-73da-495c-8426-2f918439c4de c8b1a4b90b9b4975ab5727d405f22cce f09a20ae5267476f9f62e7e9e83b3c55 - - -] Starting with 0 host(s) get_filtered_objects /usr/lib/python2.7/site-packages/nova/filters.py:70',
    source: 'corpus bug-report-excerpts/todaygood__openstack-solution__issue23.nova-scheduler-grep.log',
    prefix: { lineNo: 25547, context: false, length: 6 },
  },
  {
    line: 'sosreport-compute-1-2024-07-11-rujznhs/var/log/messages:Jul 11 18:11:06 np0004787595 nova_compute[129891]: 2024-07-11 22:11:06.965 2 ERROR nova.compute.manager',
    source: 'corpus bug-report-excerpts/openstack-k8s-operators__nova-operator__pr777.sosreport-messages-grep.log',
    prefix: { path: 'sosreport-compute-1-2024-07-11-rujznhs/var/log/messages', context: false, length: 56 },
  },
  {
    line: 'dair-ua-c03/nova.log:Dec 19 12:10:59 dair-ua-c03',
    source: 'OpenStack Operations Guide, app-crypt (corpus-b; after its RST indent)',
    prefix: { path: 'dair-ua-c03/nova.log', context: false, length: 21 },
  },
];

const NUMBERED = /^(\d+)([:-])/;
/** A record's date alone at the end of a line: a narrow wrap cut its header right after it. */
const DATE_CUT = /^\d{4}-\d\d-\d\d$/;

function recordAfterPrefix(rest: string): boolean {
  return startsRecord(rest) || DATE_CUT.test(rest);
}

export function grepPrefix(line: string): GrepPrefix | undefined {
  const n = NUMBERED.exec(line);
  if (n && recordAfterPrefix(line.slice(n[0].length))) return { lineNo: Number(n[1]), context: n[2] === '-', length: n[0].length };
  // A path has no space and no colon: try each `:` or `-` up to the first of those as its end.
  const limit = Math.min(line.length, 1024);
  for (let i = 1; i < limit; i++) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) return undefined;
    if (c !== 58 /* : */ && c !== 45 /* - */) continue;
    const path = line.slice(0, i);
    if (path.includes('.') || path.includes('/')) {
      const rest = line.slice(i + 1);
      const num = NUMBERED.exec(rest);
      if (num && num[2].charCodeAt(0) === c && recordAfterPrefix(rest.slice(num[0].length)))
        return { path, lineNo: Number(num[1]), context: c === 45, length: i + 1 + num[0].length };
      if (recordAfterPrefix(rest)) return { path, context: c === 45, length: i + 1 };
      // A file's name written as a label before its line (`nova-consoleauth.log: 12:38:01.998 …`), a space after the colon.
      if (c === 58 && rest.charCodeAt(0) === 32 && recordAfterPrefix(rest.slice(1))) return { path, context: false, length: i + 2 };
    }
    if (c === 58) return undefined;
  }
  return undefined;
}

/**
 * The grep prefix of a line that is not a record (a traceback or context line
 * grep printed), known by the paths and numbering the record lines showed.
 */
export function knownGrepPrefix(line: string, paths: readonly string[], numbered: boolean): GrepPrefix | undefined {
  for (const path of paths) {
    if (!line.startsWith(path)) continue;
    const rest = PREFIX_TAIL.exec(line.slice(path.length));
    if (rest) {
      const n = rest[1] ?? rest[2];
      return { path, lineNo: n ? Number(n) : undefined, context: rest[0].startsWith('-'), length: path.length + rest[0].length };
    }
  }
  if (numbered) {
    const m = NUMBER_PREFIX.exec(line);
    if (m) return { lineNo: Number(m[1]), context: m[0].endsWith('-'), length: m[0].length };
  }
  return undefined;
}

const PREFIX_TAIL = /^(?::(\d+):|-(\d+)-|[:-])/;
const NUMBER_PREFIX = /^(\d+)[:-]/;

const EMPHASIS = /^(?:\*\*|__|\*|_|```|~~~|`)/;

/**
 * A record line with Markdown emphasis typed around it, the marks kept where
 * the renderer did not take them (`_2015-11-09 13:18:41.943 DEBUG …`, from
 * cmusatyalab/elijah-openstack#4), or a code fence glued to it
 * (`` ```2025-12-01 15:28:44.943 119149 ERROR … ``, vexxhost/atmosphere#3313), or each line its own inline code
 * span, a Markdown hard break (two spaces) after it (`` `2018-01-23 06:26:18.952 7478 ERROR …`␠␠ ``, a cnblogs post):
 * the line without them, or undefined when it is not one.
 */
export function unemphasise(line: string): string | undefined {
  const c = line.charCodeAt(0);
  if (c !== 95 /* _ */ && c !== 42 /* * */ && c !== 96 /* ` */ && c !== 126 /* ~ */) return unemphasiseHeader(line);
  const m = EMPHASIS.exec(line);
  if (!m) return undefined;
  const mark = m[0];
  const rest = line.slice(mark.length);
  if (!startsRecord(rest)) return undefined;
  const end = rest.trimEnd();
  return end.endsWith(mark) ? end.slice(0, -mark.length) : rest;
}

/**
 * Emphasis typed inside an oslo header, around its level and logger (ajnouri/coa#50: `… 1103 **ERROR
 * nova.servicegroup.drivers.db OperationalError: …` and, bold closed on the next line, `… ERROR
 * nova.servicegroup.drivers.db** `): the line without those marks. Only there: `**kwargs` in a
 * traceback is code. The logger must hold a dot, as every nova and oslo logger does: a script's
 * `__main__` is its name, not emphasis.
 */
const HEADER_EMPHASIS =
  /^(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)? +\d+ +)(\*\*|__|\*|_)?((?:TRACE|DEBUG|INFO|AUDIT|WARNING|ERROR|CRITICAL) +[\w.]*\.[\w.]*?\w)(\*\*|__|\*|_)?(?= |$)/;

function unemphasiseHeader(line: string): string | undefined {
  const m = HEADER_EMPHASIS.exec(line);
  if (!m || (!m[2] && !m[4])) return undefined;
  return m[1] + m[3] + line.slice(m[0].length);
}

/**
 * A record whose brackets a Markdown converter escaped (`… ERROR nova.virt.libvirt.driver \\[-\\] \\[instance: …\\] …`: a
 * WordPress post imported into a static site, whitekid/whitekid.github.io 2013): the header's context opens with `\\[`.
 */
const ESCAPED_CONTEXT = /^\S.{8,80}? (?:TRACE|DEBUG|INFO|AUDIT|WARNING|ERROR|CRITICAL) +[\w.]+ \\\[/;

/** Markdown's backslash escapes (CommonMark: a backslash before ASCII punctuation), taken off. */
const MD_ESCAPE = /\\([!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~])/g;

/** The lines are a Markdown source's: a record line's context escaped (`\\[-\\]`) says the converter escaped them all. */
export function markdownEscaped(line: string): boolean {
  return ESCAPED_CONTEXT.test(line) && startsRecord(line);
}

export function unescapeMarkdown(line: string): string {
  return line.includes('\\') ? line.replace(MD_ESCAPE, '$1') : line;
}

/** grep's separator between context groups, and Markdown fences around a pasted block. */
/**
 * A CLI table's line drawn whole (`+----+----+`, `| key | value |`) followed
 * by the table's next line: a table's own rows, not a terminal's cut, even
 * where every line has the one width a cut would give them.
 */
export function tableRowsMeet(line: string, next: string): boolean {
  // A fixed-width copy marks its cut rows with `\` or `/` where the border was (the operations guide's tables).
  return /^\s*[+|].*[+|\\/]\s*$/.test(line) && /^\s*(?:\+[-=+]{3,}|\|)/.test(next);
}

export const MARKUP_LINE = /^(?:--|```[\w-]*|~~~[\w-]*|<\/?(?:pre|code|details|summary)>)\s*$/;
