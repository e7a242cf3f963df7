import { pattern } from './pattern.js';

/**
 * Text that collectors put in front of an oslo.log line: kubectl/pebble pod
 * logs (Sunbeam), journald and rsyslog, `grep -n`, loghub's file-name column.
 * Each format is data (a named-group pattern plus real samples, as lnav does);
 * a file's format is sniffed once from its first lines, not guessed per line.
 */

export interface PrefixInfo {
  /** The line with the prefix removed. */
  rest: string;
  /** Container or syslog tag, a hint for the service (`nova-conductor`, `nova_compute`). */
  tag?: string;
  /** Collector timestamp, used when the rest has none of its own (devstack journald). */
  collectorTs?: string;
  /** The host the collector names (syslog), for files that do not say whose they are. */
  host?: string;
  pid?: number;
  /** The collector says this line is its own chatter, not the service's (pebble). */
  foreign?: boolean;
}

export interface PrefixFormat {
  name: string;
  description: string;
  pattern: RegExp;
  /** Builds the PrefixInfo from a match. */
  take(m: RegExpExecArray, line: string): PrefixInfo;
  samples: { line: string; source: string; rest: string }[];
}

const APACHE_TS = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} /;

export const PREFIX_FORMATS: PrefixFormat[] = [
  {
    name: 'kubectl-pebble',
    description: 'kubectl logs of a pebble-managed pod: `<ISO time> [container] `, wsgi containers add an apache timestamp',
    pattern: pattern(String.raw`^(?<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) \[(?<tag>[^\]\s]+)\] `),
    take(m, line) {
      let rest = line.slice(m[0].length);
      const tag = m.groups!.tag;
      const apache = APACHE_TS.exec(rest);
      if (apache) rest = rest.slice(apache[0].length);
      return { rest, tag, collectorTs: m.groups!.ts, foreign: tag === 'pebble' };
    },
    samples: [
      {
        line: '2025-05-14T11:22:56.780Z [nova-conductor] 2025-05-14 11:22:56.414 21 ERROR nova.servicegroup.drivers.db Traceback (most recent call last):',
        source: 'corpus hotsos/sunbeam/podlogs/nova-0 nova-conductor',
        rest: '2025-05-14 11:22:56.414 21 ERROR nova.servicegroup.drivers.db Traceback (most recent call last):',
      },
      {
        line: '2025-05-14T04:32:50.791Z [wsgi-placement-api] 2025-05-14 04:32:50.791717 2025-05-14 04:32:50.791 36 INFO placement.requestlog [None req-8de545df-8deb-4312-acde-acb64c8b247b - - - - - -] ::1 "GET /" status: 200 len: 136 microversion: 1.0\\x1b[00m',
        source: 'corpus hotsos/sunbeam/podlogs/placement-0 placement-api',
        rest: '2025-05-14 04:32:50.791 36 INFO placement.requestlog [None req-8de545df-8deb-4312-acde-acb64c8b247b - - - - - -] ::1 "GET /" status: 200 len: 136 microversion: 1.0\\x1b[00m',
      },
    ],
  },
  {
    name: 'syslog',
    description: 'journald / rsyslog: `Mon DD HH:MM:SS host tag[pid]: `',
    pattern: pattern(String.raw`^(?<ts>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) (?<host>\S+) (?<tag>[\w.@-]+?)(?:\[(?<pid>\d+)\])?: `),
    take(m, line) {
      const g = m.groups!;
      return { rest: line.slice(m[0].length), tag: g.tag, collectorTs: g.ts, host: g.host, pid: g.pid ? Number(g.pid) : undefined };
    },
    samples: [
      {
        line: "Jul 31 15:17:34 edpm-compute-0 nova_compute[354378]: 2025-07-31 15:17:34.056 2 ERROR oslo_messaging.rpc.server nova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU info: CPU doesn't >",
        source: 'corpus bug-report-excerpts/openstack-k8s-operators__nova-operator__pr1001.journal.log',
        rest: "2025-07-31 15:17:34.056 2 ERROR oslo_messaging.rpc.server nova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU info: CPU doesn't >",
      },
      {
        line: 'Feb 16 09:03:40 testoccm nova-scheduler[194098]: ERROR nova     return getattr(conn, service_type)',
        source: 'corpus bug-report-excerpts/kubernetes__cloud-provider-openstack__pr2084.nova-scheduler.journal.log',
        rest: 'ERROR nova     return getattr(conn, service_type)',
      },
    ],
  },
  {
    name: 'grep',
    description: '`grep -n` and `grep -r` output: `[path:]NN:` before the line',
    pattern: pattern(String.raw`^(?:[^\s:]+\/[^\s:]*:(?:\d+:)?|\d+:)(?=\d{4}-\d\d-\d\d |[A-Z][a-z]{2} [ \d]\d )`),
    take(m, line) {
      return { rest: line.slice(m[0].length) };
    },
    samples: [
      {
        line: '25547:2018-08-09 09:19:08.040 7 DEBUG nova.filters [req-0af99b3d-73da-495c-8426-2f918439c4de c8b1a4b90b9b4975ab5727d405f22cce f09a20ae5267476f9f62e7e9e83b3c55 - - -] Starting with 0 host(s) get_filtered_objects /usr/lib/python2.7/site-packages/nova/filters.py:70',
        source: 'corpus bug-report-excerpts/todaygood__openstack-solution__issue23.nova-scheduler-grep.log',
        rest: '2018-08-09 09:19:08.040 7 DEBUG nova.filters [req-0af99b3d-73da-495c-8426-2f918439c4de c8b1a4b90b9b4975ab5727d405f22cce f09a20ae5267476f9f62e7e9e83b3c55 - - -] Starting with 0 host(s) get_filtered_objects /usr/lib/python2.7/site-packages/nova/filters.py:70',
      },
    ],
  },
  {
    name: 'loghub',
    description: "loghub's dataset: the source log file name, then the line",
    pattern: pattern(String.raw`^(?<tag>[\w-]+\.log(?:\.[\w:.-]+)?) (?=\d{4}-\d\d-\d\d )`),
    take(m, line) {
      return { rest: line.slice(m[0].length), tag: m.groups!.tag };
    },
    samples: [
      {
        line: 'nova-compute.log.1.2017-05-16_13:55:31 2017-05-16 00:00:04.500 2931 INFO nova.compute.manager [req-3ea4052c-895d-4b64-9e2d-04d64c4d94ab - - - - -] [instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] VM Started (Lifecycle Event)',
        source: 'corpus loghub-openstack/OpenStack_2k.log',
        rest: '2017-05-16 00:00:04.500 2931 INFO nova.compute.manager [req-3ea4052c-895d-4b64-9e2d-04d64c4d94ab - - - - -] [instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] VM Started (Lifecycle Event)',
      },
    ],
  },
];

/**
 * Picks the prefix formats most of the sampled lines carry, outermost first
 * (grep output of syslog lines has two). A format must cover at least half of
 * the non-empty sample to be chosen, so one odd line does not switch a file.
 */
export function sniffPrefixes(lines: readonly string[]): PrefixFormat[] {
  const chosen: PrefixFormat[] = [];
  let sample = lines.filter((l) => l.length > 0);
  while (sample.length > 0 && chosen.length < 3) {
    let best: PrefixFormat | undefined;
    let bestCount = 0;
    for (const f of PREFIX_FORMATS) {
      if (chosen.includes(f)) continue;
      let n = 0;
      for (const l of sample) if (f.pattern.test(l)) n++;
      if (n > bestCount) {
        best = f;
        bestCount = n;
      }
    }
    if (!best || bestCount * 2 < sample.length) break;
    chosen.push(best);
    const f = best;
    sample = sample.map((l) => applyPrefix(f, l)?.rest ?? l);
  }
  return chosen;
}

export function applyPrefix(format: PrefixFormat, line: string): PrefixInfo | undefined {
  const m = format.pattern.exec(line);
  return m ? format.take(m, line) : undefined;
}

/** Strips each chosen prefix in turn; the innermost tag and timestamp win. */
export function applyPrefixes(formats: readonly PrefixFormat[], line: string): PrefixInfo | undefined {
  let info: PrefixInfo | undefined;
  let rest = line;
  for (const f of formats) {
    const next = applyPrefix(f, rest);
    if (!next) return info;
    info = info ? { ...info, ...definedOnly(next) } : next;
    rest = next.rest;
  }
  return info;
}

function definedOnly(p: PrefixInfo): PrefixInfo {
  const out: PrefixInfo = { rest: p.rest };
  if (p.tag !== undefined) out.tag = p.tag;
  if (p.collectorTs !== undefined) out.collectorTs = p.collectorTs;
  if (p.host !== undefined) out.host = p.host;
  if (p.pid !== undefined) out.pid = p.pid;
  if (p.foreign) out.foreign = true;
  return out;
}
