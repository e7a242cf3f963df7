import { EXPORT_PREFIX_FORMATS } from './export-prefixes.js';
import { pattern } from './pattern.js';
import { monthNumber } from './month-names.js';
import { journalJsonEntry } from './journal-json.js';
import type { ClockKind, PrefixInfo } from './collector-line.js';

/**
 * Text that collectors put in front of an oslo.log line: journalctl in each of
 * its output modes, rsyslog (RFC 3164, RFC 3339 and RFC 5424 headers),
 * kubectl (pebble pods, `--prefix`, `--timestamps`), docker and podman
 * `logs -t`, CRI-O/containerd log files, Zuul's job-output.txt, `grep -n`,
 * loghub's file-name column. Each format is data (a named-group pattern plus
 * real samples, as lnav does); a file's formats are sniffed once from its
 * first lines, not guessed per line.
 */

export type { ClockKind, PrefixInfo } from './collector-line.js';

export interface PrefixSample {
  line: string;
  source: string;
  rest: string;
  /** Fields the sample must give besides `rest`. */
  fields?: Partial<Omit<PrefixInfo, 'rest'>>;
  /** The rest is not an oslo line (a real wrapper around another program's line). */
  notOslo?: boolean;
}

export interface PrefixFormat {
  name: string;
  description: string;
  pattern: RegExp;
  /** Builds the PrefixInfo from a match; undefined when the match is not the format after all (an unknown month). */
  take(m: RegExpExecArray, line: string): PrefixInfo | undefined;
  /**
   * Several programs write into files of this format (a journal, syslog, CI
   * output): a line of a program that is not nova's is foreign, not unparsed,
   * and text without a tag naming nova is not nova's.
   */
  mixed?: boolean;
  /** Lines the collector writes about itself between records (journalctl's `-- Boot … --`), counted as foreign. */
  chatter?: RegExp;
  /** A message's further lines come unprefixed, indented to where its first line's text began (journalctl's short modes). */
  indentsContinuation?: boolean;
  /**
   * One line of it says what it is without its neighbours (its own full time, then its own fields): a paste that
   * mixes formats under labels (libvirtd's lines, then nova's, then the destination's syslog) has its lines of this
   * format read as such one by one, though no format covers the paste's first lines (`prefixOfOwnLine`).
   */
  standsAlone?: boolean;
  /** What it leaves is another collector's line (a search tool's hit around a journal's line): read on by `prefixOfOwnLine`. */
  wraps?: boolean;
  samples: PrefixSample[];
}

const APACHE_TS = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} /;

/** `host ident[pid]: `, as journalctl and rsyslog write it; the host is absent with `--no-hostname`. */
const HOST_TAG = String.raw`(?:(?<host>[^\s\[\]:]+)[ ])?(?<tag>[^\s\[\]]+?)(?:\[(?<pid>\d+)\])?:[ ]`;

/** journalctl's own lines: boot separators, the old header (`-- Logs begin at …, end at … --`), `-- No entries --`. */
const JOURNAL_CHATTER = /^-- (?:Boot [0-9a-f]{32}|Reboot|Logs begin at .*|Journal begins at .*|No entries|Journal (?:started|stopped)) --$/;

function syslogTake(m: RegExpExecArray, line: string, clock: ClockKind): PrefixInfo {
  const g = m.groups!;
  return { rest: line.slice(m[0].length), tag: g.tag, collectorTs: g.ts, clock, host: g.host, pid: g.pid ? Number(g.pid) : undefined };
}

function yearlessTake(m: RegExpExecArray, line: string): PrefixInfo | undefined {
  // The month is only a month if some locale names it so: `Error 12 …` is not a date.
  if (monthNumber(m.groups!.mon) === undefined) return undefined;
  return syslogTake(m, line, 'yearless');
}

/** What a line with a tool's own prefix before it opens with: an oslo.log date and time, or a journal's `Mon DD HH:MM:SS`. */
const DATED = String.raw`\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d|[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d`;

/** The month token: letters (any script, `sept.` with its dot) or CJK `9月`/`9월`; glibc pads some with spaces. */
const MONTH = String.raw`[ ]?(?<mon>[^\s\d:\[\]]{2,12}|\d{1,2}[月월])`;

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
      return { rest, tag, collectorTs: m.groups!.ts, clock: 'iso', foreign: tag === 'pebble' };
    },
    samples: [
      {
        line: '2025-05-14T11:22:56.780Z [nova-conductor] 2025-05-14 11:22:56.414 21 ERROR nova.servicegroup.drivers.db Traceback (most recent call last):',
        source: 'corpus hotsos/sunbeam/podlogs/nova-0 nova-conductor',
        rest: '2025-05-14 11:22:56.414 21 ERROR nova.servicegroup.drivers.db Traceback (most recent call last):',
        fields: { tag: 'nova-conductor', collectorTs: '2025-05-14T11:22:56.780Z' },
      },
      {
        line: '2025-05-14T04:32:50.791Z [wsgi-placement-api] 2025-05-14 04:32:50.791717 2025-05-14 04:32:50.791 36 INFO placement.requestlog [None req-8de545df-8deb-4312-acde-acb64c8b247b - - - - - -] ::1 "GET /" status: 200 len: 136 microversion: 1.0\\x1b[00m',
        source: 'corpus hotsos/sunbeam/podlogs/placement-0 placement-api',
        rest: '2025-05-14 04:32:50.791 36 INFO placement.requestlog [None req-8de545df-8deb-4312-acde-acb64c8b247b - - - - - -] ::1 "GET /" status: 200 len: 136 microversion: 1.0\\x1b[00m',
      },
    ],
  },
  {
    name: 'journald json',
    description:
      'journalctl -o json, json-seq (RS before each object), json-sse (`data: `): one entry per line, MESSAGE a string, an array of bytes, or null past 4096 bytes',
    pattern: /^(?:\x1e|data: )?\{"/,
    take(m, line) {
      return journalJsonEntry(line.slice(m[0].length - 2));
    },
    // json-sse separates entries with an empty line.
    chatter: /^$/,
    mixed: true,
    samples: [
      {
        line: '{"__CURSOR":"s=1f858521abf5452ea3340dfcadf49c2d;i=2;b=6a1fb3f5f1c24e58a1d2b8c0e4f1a001;m=28b0295b3;t=5586d7b04adb3;x=a921acb56af35f1a","MESSAGE":"DEBUG nova.scheduler.host_manager [None req-c8cd4884-6858-4438-ab57-07ac3adeefbe admin admin] Update host state with instances: {} {{(pid=15128) _locked_update /opt/stack/nova/nova/scheduler/host_manager.py:181}}","SYSLOG_IDENTIFIER":"nova-scheduler","__REALTIME_TIMESTAMP":"1504602122137011","_HOSTNAME":"leg-004","_BOOT_ID":"6a1fb3f5f1c24e58a1d2b8c0e4f1a001","_SYSTEMD_UNIT":"devstack@n-sch.service","_PID":"15128","__MONOTONIC_TIMESTAMP":"10922137011","PRIORITY":"7"}',
        source: 'journalctl 252 -o json, test/fixtures/journal/devstack-2017.json.txt (lxc/lxc#1786)',
        rest: 'DEBUG nova.scheduler.host_manager [None req-c8cd4884-6858-4438-ab57-07ac3adeefbe admin admin] Update host state with instances: {} {{(pid=15128) _locked_update /opt/stack/nova/nova/scheduler/host_manager.py:181}}',
        fields: {
          tag: 'nova-scheduler',
          unit: 'devstack@n-sch.service',
          host: 'leg-004',
          pid: 15128,
          collectorTs: '1504602122137011',
          clock: 'epoch-us',
        },
      },
      {
        line: '{"__MONOTONIC_TIMESTAMP":"10922137011","_PID":"15128","PRIORITY":"7","__REALTIME_TIMESTAMP":"1504602122137011","_BOOT_ID":"6a1fb3f5f1c24e58a1d2b8c0e4f1a001","MESSAGE":[27,91,48,48,59,51,50,109,68,69,66,85,71,32,110,111,118,97,46,115,99,104,101,100,117,108,101,114,46,104,111,115,116,95,109,97,110,97,103,101,114,32,91,27,91,48,49,59,51,54,109,78,111,110,101,32,114,101,113,45,99,56,99,100,52,56,56,52,45,54,56,53,56,45,52,52,51,56,45,97,98,53,55,45,48,55,97,99,51,97,100,101,101,102,98,101,32,27,91,48,48,59,51,54,109,97,100,109,105,110,32,97,100,109,105,110,27,91,48,48,59,51,50,109,93,32,27,91,48,49,59,51,53,109,27,91,48,48,59,51,50,109,85,112,100,97,116,101,32,104,111,115,116,32,115,116,97,116,101,32,119,105,116,104,32,105,110,115,116,97,110,99,101,115,58,32,123,125,27,91,48,48,109,32,27,91,48,48,59,51,51,109,123,123,40,112,105,100,61,49,53,49,50,56,41,32,95,108,111,99,107,101,100,95,117,112,100,97,116,101,32,47,111,112,116,47,115,116,97,99,107,47,110,111,118,97,47,110,111,118,97,47,115,99,104,101,100,117,108,101,114,47,104,111,115,116,95,109,97,110,97,103,101,114,46,112,121,58,49,56,49,125,125,27,91,48,48,109],"_SYSTEMD_UNIT":"devstack@n-sch.service","__CURSOR":"s=5a8035c57b0f49578444c4941e2a7bcf;i=2;b=6a1fb3f5f1c24e58a1d2b8c0e4f1a001;m=28b0295b3;t=5586d7b04adb3;x=464208d4084435b2","_HOSTNAME":"leg-004","SYSLOG_IDENTIFIER":"nova-scheduler"}',
        source:
          'journalctl 252 -o json, test/fixtures/journal/devstack-colour.json.txt: a devstack line with its colour codes, so MESSAGE is an array of bytes (lxc/lxc#1786)',
        rest: '\u001b[00;32mDEBUG nova.scheduler.host_manager [\u001b[01;36mNone req-c8cd4884-6858-4438-ab57-07ac3adeefbe \u001b[00;36madmin admin\u001b[00;32m] \u001b[01;35m\u001b[00;32mUpdate host state with instances: {}\u001b[00m \u001b[00;33m{{(pid=15128) _locked_update /opt/stack/nova/nova/scheduler/host_manager.py:181}}\u001b[00m',
        fields: { tag: 'nova-scheduler', unit: 'devstack@n-sch.service', host: 'leg-004', pid: 15128, clock: 'epoch-us' },
      },
      {
        line: '\x1e{"_HOSTNAME":"edpm-compute-0","_BOOT_ID":"6a1fb3f5f1c24e58a1d2b8c0e4f1a004","__CURSOR":"s=f42b11b31f6e4870a2a076bd7bc43345;i=1;b=6a1fb3f5f1c24e58a1d2b8c0e4f1a004;m=46fb4f780;t=63b3b2409df80;x=906b18b15fd776ab","__REALTIME_TIMESTAMP":"1753975054000000","_SYSTEMD_UNIT":"edpm_nova_compute.service","_PID":"354378","__MONOTONIC_TIMESTAMP":"19054000000","MESSAGE":"2025-07-31 15:17:34.056 2 ERROR oslo_messaging.rpc.server nova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU info: CPU doesn\'t >","PRIORITY":"3","SYSLOG_IDENTIFIER":"nova_compute"}',
        source: 'journalctl 252 -o json-seq, test/fixtures/journal/edpm.json-seq.txt (nova-operator#1001)',
        rest: "2025-07-31 15:17:34.056 2 ERROR oslo_messaging.rpc.server nova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU info: CPU doesn't >",
        fields: { tag: 'nova_compute', unit: 'edpm_nova_compute.service', host: 'edpm-compute-0', pid: 354378 },
      },
    ],
  },
  {
    name: 'journald short-precise',
    description:
      'journalctl -o short-precise (devstack and Zuul screen-*.txt): `Mon DD HH:MM:SS.ffffff host ident[pid]: `, the month in the locale',
    pattern: pattern(String.raw`^(?<ts>${MONTH} +\d{1,2} \d\d:\d\d:\d\d\.\d{1,9}) ${HOST_TAG}`),
    take: yearlessTake,
    mixed: true,
    standsAlone: true,
    chatter: JOURNAL_CHATTER,
    indentsContinuation: true,
    samples: [
      {
        line: 'Feb 04 10:21:58.881360 compute4 nova-compute[284971]: 2022-02-04 10:21:58.881 284971 ERROR nova.compute.manager Traceback (most recent call last):',
        source:
          'journalctl 252 -o short-precise, test/fixtures/journal/compute4.short-precise.txt (hotsos nova-compute.log.1.gz line 1397)',
        rest: '2022-02-04 10:21:58.881 284971 ERROR nova.compute.manager Traceback (most recent call last):',
        fields: { host: 'compute4', tag: 'nova-compute', pid: 284971, collectorTs: 'Feb 04 10:21:58.881360', clock: 'yearless' },
      },
      {
        line: ' 9月 05 09:02:02.137011 leg-004 nova-scheduler[15128]: DEBUG nova.scheduler.host_manager [None req-c8cd4884-6858-4438-ab57-07ac3adeefbe admin admin] Update host state with instances: {} {{(pid=15128) _locked_update /opt/stack/nova/nova/scheduler/host_manager.py:181}}',
        source:
          'journalctl 252 -o short-precise, LC_ALL=ja_JP.UTF-8, test/fixtures/journal/devstack-2017.short-precise.ja_JP.txt (lxc/lxc#1786)',
        rest: 'DEBUG nova.scheduler.host_manager [None req-c8cd4884-6858-4438-ab57-07ac3adeefbe admin admin] Update host state with instances: {} {{(pid=15128) _locked_update /opt/stack/nova/nova/scheduler/host_manager.py:181}}',
        fields: { host: 'leg-004', tag: 'nova-scheduler', pid: 15128, collectorTs: ' 9月 05 09:02:02.137011' },
      },
      {
        line: 'febr 16 09:03:40.411033 testoccm nova-scheduler[194098]: ERROR nova     return getattr(conn, service_type)',
        source:
          'journalctl 252 -o short-precise, LC_ALL=hu_HU.UTF-8, test/fixtures/journal/devstack-2023.short-precise.hu_HU.txt (kubernetes/cloud-provider-openstack#2084)',
        rest: 'ERROR nova     return getattr(conn, service_type)',
        fields: { host: 'testoccm', tag: 'nova-scheduler', pid: 194098 },
      },
      {
        line: 'févr. 04 10:21:58.745000 compute4 sudo[285102]: nova : PWD=/var/lib/nova ; USER=root ; COMMAND=/usr/bin/nova-rootwrap /etc/nova/rootwrap.conf privsep-helper --config-file /etc/nova/nova.conf --config-file /etc/nova/nova-compute.conf',
        source:
          'journalctl 252 -o short-precise, LC_ALL=fr_FR.UTF-8, test/fixtures/journal/compute4.short-precise.fr_FR.txt (the sudo entry written for the fixture)',
        rest: 'nova : PWD=/var/lib/nova ; USER=root ; COMMAND=/usr/bin/nova-rootwrap /etc/nova/rootwrap.conf privsep-helper --config-file /etc/nova/nova.conf --config-file /etc/nova/nova-compute.conf',
        fields: { host: 'compute4', tag: 'sudo', pid: 285102 },
        notOslo: true,
      },
    ],
  },
  {
    name: 'syslog rfc3164',
    description:
      'rsyslog and syslog-ng files (/var/log/messages, syslog, daemon.log) and journalctl -o short (sos journalctl_*): `Mon DD HH:MM:SS host tag[pid]: `, optionally `<PRI>` first',
    pattern: pattern(String.raw`^(?:<\d{1,3}>)?(?<ts>${MONTH} +\d{1,2} \d\d:\d\d:\d\d) ${HOST_TAG}`),
    take: yearlessTake,
    mixed: true,
    standsAlone: true,
    chatter: JOURNAL_CHATTER,
    indentsContinuation: true,
    samples: [
      {
        line: "Jul 31 15:17:34 edpm-compute-0 nova_compute[354378]: 2025-07-31 15:17:34.056 2 ERROR oslo_messaging.rpc.server nova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU info: CPU doesn't >",
        source: 'corpus bug-report-excerpts/openstack-k8s-operators__nova-operator__pr1001.journal.log',
        rest: "2025-07-31 15:17:34.056 2 ERROR oslo_messaging.rpc.server nova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU info: CPU doesn't >",
        fields: { host: 'edpm-compute-0', tag: 'nova_compute', pid: 354378, collectorTs: 'Jul 31 15:17:34', clock: 'yearless' },
      },
      {
        line: "<27>Dec  4 17:36:52 edpm-compute-0 nova_compute[354378]: 2025-07-31 15:17:34.056 2 ERROR oslo_messaging.rpc.server nova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU info: CPU doesn't >",
        source: 'util-linux logger 2.38.1 over TCP to a receiver (scripts/make-syslog-samples.sh), --rfc3164: the PRI, a space-padded day',
        rest: "2025-07-31 15:17:34.056 2 ERROR oslo_messaging.rpc.server nova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU info: CPU doesn't >",
        fields: { host: 'edpm-compute-0', tag: 'nova_compute', pid: 354378, collectorTs: 'Dec  4 17:36:52', clock: 'yearless' },
      },
      {
        line: 'Feb 04 10:21:58 compute4 nova-compute[284971]: [266B blob data]',
        source: 'journalctl 252 -o short of a MESSAGE that is not UTF-8, test/fixtures/journal/blob.short.txt: journalctl leaves it out',
        rest: '[266B blob data]',
        fields: { host: 'compute4', tag: 'nova-compute', pid: 284971 },
        notOslo: true,
      },
      {
        line: 'Feb 16 09:03:40 testoccm nova-scheduler[194098]: ERROR nova     return getattr(conn, service_type)',
        source: 'corpus bug-report-excerpts/kubernetes__cloud-provider-openstack__pr2084.nova-scheduler.journal.log',
        rest: 'ERROR nova     return getattr(conn, service_type)',
      },
      {
        line: 'Mar 29 16:16:05 os4 nova-api[14042]: DEBUG nova.api.openstack.wsgi [req-3e4fa169-80ec-4635-8a7e-b60c16eddbcb demo demo] Action: \'create\', calling method: <bound method ServersController.create of <nova.api.openstack.compute.servers.ServersController object at 0x7fa7c93584d0>>, body: {"server": {"min_count": 1,',
        source: 'https://dague.net/category/openstack/ ("In praise of systemd", 2017-03-29): devstack `journalctl REQUEST_ID=…`',
        rest: 'DEBUG nova.api.openstack.wsgi [req-3e4fa169-80ec-4635-8a7e-b60c16eddbcb demo demo] Action: \'create\', calling method: <bound method ServersController.create of <nova.api.openstack.compute.servers.ServersController object at 0x7fa7c93584d0>>, body: {"server": {"min_count": 1,',
        fields: { host: 'os4', tag: 'nova-api', pid: 14042 },
      },
      {
        line: 'фев 04 10:21:58 compute4 nova-compute[284971]: 2022-02-04 10:21:58.881 284971 ERROR nova.compute.manager Traceback (most recent call last):',
        source: 'journalctl 252 -o short, LC_ALL=ru_RU.UTF-8, test/fixtures/journal/compute4.short.ru_RU.txt (hotsos line 1397)',
        rest: '2022-02-04 10:21:58.881 284971 ERROR nova.compute.manager Traceback (most recent call last):',
        fields: { host: 'compute4', tag: 'nova-compute', pid: 284971, collectorTs: 'фев 04 10:21:58' },
      },
    ],
  },
  {
    name: 'syslog rfc3164 without tag',
    description:
      "rsyslog's file line of a message sent with no tag: Python's SysLogHandler before `ident` (nova's use_syslog up to Grizzly) writes `<PRI>` and the oslo line alone, so the host is followed by the oslo date",
    pattern: pattern(
      String.raw`^(?:<\d{1,3}>)?(?<ts>${MONTH} +\d{1,2} \d\d:\d\d:\d\d) (?<host>[^\s\[\]:]+) (?=\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d)`,
    ),
    take: yearlessTake,
    mixed: true,
    indentsContinuation: true,
    samples: [
      {
        line: 'Dec 19 12:10:59 dair-ua-c03 2012-12-19 12:10:59 INFO nova.virt.libvirt.imagecache [-] Removing base file: /var/lib/nova/instances/_base/7b4783508212f5d242cbf9ff56fb8d33b4ce6166_10',
        source:
          'test/corpus/real/openstack-operations-guide-app-crypt/rsyslog-grep-nova.log.txt (OpenStack Operations Guide, app-crypt: a central rsyslog host, Folsom), after its indent, grep prefix and hard wrap',
        rest: '2012-12-19 12:10:59 INFO nova.virt.libvirt.imagecache [-] Removing base file: /var/lib/nova/instances/_base/7b4783508212f5d242cbf9ff56fb8d33b4ce6166_10',
        fields: { host: 'dair-ua-c03', tag: undefined, collectorTs: 'Dec 19 12:10:59', clock: 'yearless' },
      },
    ],
  },
  {
    name: 'syslog rfc3339',
    description:
      "rsyslog's RSYSLOG_FileFormat (Ubuntu 24.04's /var/log/syslog) and journalctl -o short-iso / short-iso-precise: `2024-07-16T10:57:31.057075+00:00 host tag[pid]: `",
    pattern: pattern(String.raw`^(?:<\d{1,3}>)?(?<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)) ${HOST_TAG}`),
    take: (m, line) => syslogTake(m, line, 'iso'),
    mixed: true,
    standsAlone: true,
    chatter: JOURNAL_CHATTER,
    indentsContinuation: true,
    samples: [
      {
        line: '2022-02-04T11:21:58.740160+0100 compute4 nova-compute[284971]: 2022-02-04 10:21:58.740 284971 DEBUG nova.compute.resource_tracker [req-97b163b2-ff4c-4c93-915a-6c990d19af26 - - - - -] Auditing locally available compute resources for compute4.mylab.home (node: compute4.mylab.home) update_available_resource /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:862',
        source:
          'journalctl 252 -o short-iso-precise, TZ=Europe/Budapest, test/fixtures/journal/compute4.short-iso-precise.budapest.txt (hotsos line 1388)',
        rest: '2022-02-04 10:21:58.740 284971 DEBUG nova.compute.resource_tracker [req-97b163b2-ff4c-4c93-915a-6c990d19af26 - - - - -] Auditing locally available compute resources for compute4.mylab.home (node: compute4.mylab.home) update_available_resource /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:862',
        fields: { host: 'compute4', tag: 'nova-compute', pid: 284971, collectorTs: '2022-02-04T11:21:58.740160+0100', clock: 'iso' },
      },
      {
        line: '2023-02-16T09:03:40+0000 testoccm nova-scheduler[194098]: ERROR nova   File "/opt/stack/nova/nova/utils.py", line 985, in get_sdk_adapter',
        source: 'journalctl 252 -o short-iso, test/fixtures/journal/devstack-2023.short-iso.txt (kubernetes/cloud-provider-openstack#2084)',
        rest: 'ERROR nova   File "/opt/stack/nova/nova/utils.py", line 985, in get_sdk_adapter',
        fields: { host: 'testoccm', tag: 'nova-scheduler' },
      },
    ],
  },
  {
    name: 'syslog rfc5424',
    description:
      'RFC 5424 as rsyslog writes it (RSYSLOG_SyslogProtocol23Format) or a receiver stores it: `<PRI>1 TIME HOST APP PROCID MSGID SD `',
    pattern: pattern(
      String.raw`^<\d{1,3}>1[ ](?<ts>\S+)[ ](?<host>\S+)[ ](?<tag>\S+)[ ](?<pid>\S+)[ ]\S+[ ](?:-|(?:\[(?:[^\]"\\]|\\.|"(?:[^"\\]|\\.)*")*\])+)(?:[ ]|$)`,
      'x',
    ),
    take(m, line) {
      const g = m.groups!;
      const nil = (s: string): string | undefined => (s === '-' ? undefined : s);
      return {
        rest: line.slice(m[0].length).replace(/^\uFEFF/, ''),
        tag: nil(g.tag),
        collectorTs: nil(g.ts),
        clock: 'iso',
        host: nil(g.host),
        pid: /^\d+$/.test(g.pid) ? Number(g.pid) : undefined,
      };
    },
    mixed: true,
    samples: [
      {
        line: '<27>1 2026-12-04T17:36:51.743707+00:00 edpm-compute-0 nova_compute 354378 - [timeQuality tzKnown="1" isSynced="0"] 2025-07-31 15:17:34.056 2 ERROR oslo_messaging.rpc.server nova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU info: CPU doesn\'t >',
        source:
          'util-linux logger 2.38.1 over TCP to a receiver (scripts/make-syslog-samples.sh), --rfc5424, around the corpus nova-operator#1001 line',
        rest: "2025-07-31 15:17:34.056 2 ERROR oslo_messaging.rpc.server nova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU info: CPU doesn't >",
        fields: { host: 'edpm-compute-0', tag: 'nova_compute', pid: 354378, collectorTs: '2026-12-04T17:36:51.743707+00:00', clock: 'iso' },
      },
      {
        line: "<27>1 - edpm-compute-0 nova_compute 354378 - - 2025-07-31 15:17:34.056 2 ERROR oslo_messaging.rpc.server nova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU info: CPU doesn't >",
        source:
          'util-linux logger 2.38.1 over TCP to a receiver (scripts/make-syslog-samples.sh), --rfc5424=notime (nil time, no structured data)',
        rest: "2025-07-31 15:17:34.056 2 ERROR oslo_messaging.rpc.server nova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU info: CPU doesn't >",
        fields: { host: 'edpm-compute-0', tag: 'nova_compute', pid: 354378, collectorTs: undefined },
      },
      {
        line: '<27>1 2026-12-04T17:36:52.131492+00:00 leg-004 nova-scheduler 15128 - [timeQuality tzKnown="1" isSynced="0"] DEBUG nova.scheduler.host_manager [None req-c8cd4884-6858-4438-ab57-07ac3adeefbe admin admin] Update host state with instances: {} {{(pid=15128) _locked_update /opt/stack/nova/nova/scheduler/host_manager.py:181}}',
        source:
          'util-linux logger 2.38.1 over TCP to a receiver (scripts/make-syslog-samples.sh), --rfc5424, around the devstack lxc/lxc#1786 line',
        rest: 'DEBUG nova.scheduler.host_manager [None req-c8cd4884-6858-4438-ab57-07ac3adeefbe admin admin] Update host state with instances: {} {{(pid=15128) _locked_update /opt/stack/nova/nova/scheduler/host_manager.py:181}}',
        fields: { host: 'leg-004', tag: 'nova-scheduler', pid: 15128 },
      },
    ],
  },
  {
    name: 'journald short-full',
    description:
      'journalctl -o short-full and -o with-unit (the unit in place of the identifier): `Tue 2024-07-16 10:57:31 CEST host ident[pid]: `',
    pattern: pattern(
      String.raw`^(?<ts>(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[ ]\d{4}-\d\d-\d\d[ ]\d\d:\d\d:\d\d(?:\.\d{1,6})?)(?:[ ][A-Za-z][\w+/-]*|[ ][+-]\d\d(?::?\d\d)?)?[ ]${HOST_TAG}`,
      'x',
    ),
    take(m, line) {
      const info = syslogTake(m, line, 'local');
      info.collectorTs = info.collectorTs!.slice(4);
      // with-unit writes the unit where the identifier stands.
      if (/\.(?:service|scope|slice)(?:\/|$)/.test(info.tag ?? '')) info.unit = info.tag;
      return info;
    },
    mixed: true,
    chatter: JOURNAL_CHATTER,
    indentsContinuation: true,
    samples: [
      {
        line: 'Fri 2022-02-04 10:21:58 UTC compute4 nova-compute.service[284971]: 2022-02-04 10:21:58.881 284971 ERROR nova.compute.manager Traceback (most recent call last):',
        source: 'journalctl 252 -o with-unit, test/fixtures/journal/compute4.with-unit.txt (hotsos line 1397)',
        rest: '2022-02-04 10:21:58.881 284971 ERROR nova.compute.manager Traceback (most recent call last):',
        fields: {
          host: 'compute4',
          tag: 'nova-compute.service',
          unit: 'nova-compute.service',
          collectorTs: '2022-02-04 10:21:58',
          clock: 'local',
        },
      },
      {
        line: 'Fri 2022-02-04 10:21:58 UTC compute4 nova-compute[284971]: 2022-02-04 10:21:58.740 284971 DEBUG nova.compute.resource_tracker [req-97b163b2-ff4c-4c93-915a-6c990d19af26 - - - - -] Auditing locally available compute resources for compute4.mylab.home (node: compute4.mylab.home) update_available_resource /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:862',
        source: 'journalctl 252 -o short-full, test/fixtures/journal/compute4.short-full.txt (hotsos line 1388)',
        rest: '2022-02-04 10:21:58.740 284971 DEBUG nova.compute.resource_tracker [req-97b163b2-ff4c-4c93-915a-6c990d19af26 - - - - -] Auditing locally available compute resources for compute4.mylab.home (node: compute4.mylab.home) update_available_resource /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:862',
        fields: { host: 'compute4', tag: 'nova-compute', pid: 284971, collectorTs: '2022-02-04 10:21:58', clock: 'local' },
      },
    ],
  },
  {
    name: 'journald short-monotonic',
    description: 'journalctl -o short-monotonic and short-delta: `[ 3118.740003] host ident[pid]: `, seconds since boot',
    pattern: pattern(String.raw`^\[ *(?<ts>\d+\.\d{6})(?: +<[ \d.]+[ *]>)? *\] ${HOST_TAG}`),
    take: (m, line) => syslogTake(m, line, 'monotonic'),
    mixed: true,
    chatter: JOURNAL_CHATTER,
    indentsContinuation: true,
    samples: [
      {
        line: '[ 3118.881360] compute4 nova-compute[284971]: 2022-02-04 10:21:58.881 284971 ERROR nova.compute.manager Traceback (most recent call last):',
        source: 'journalctl 252 -o short-monotonic, test/fixtures/journal/compute4.short-monotonic.txt (hotsos line 1397)',
        rest: '2022-02-04 10:21:58.881 284971 ERROR nova.compute.manager Traceback (most recent call last):',
        fields: { host: 'compute4', tag: 'nova-compute', pid: 284971, collectorTs: '3118.881360', clock: 'monotonic' },
      },
    ],
  },
  {
    name: 'journald short-unix',
    description: 'journalctl -o short-unix: `1643970118.740003 host ident[pid]: `, seconds since 1970 UTC',
    pattern: pattern(String.raw`^(?<ts>\d{9,11}\.\d{6}) ${HOST_TAG}`),
    take: (m, line) => syslogTake(m, line, 'epoch-s'),
    mixed: true,
    chatter: JOURNAL_CHATTER,
    indentsContinuation: true,
    samples: [
      {
        line: '1676538220.411033 testoccm nova-scheduler[194098]: ERROR nova     return getattr(conn, service_type)',
        source:
          'journalctl 252 -o short-unix, test/fixtures/journal/devstack-2023.short-unix.txt (kubernetes/cloud-provider-openstack#2084)',
        rest: 'ERROR nova     return getattr(conn, service_type)',
        fields: { host: 'testoccm', tag: 'nova-scheduler', pid: 194098, collectorTs: '1676538220.411033', clock: 'epoch-s' },
      },
    ],
  },
  {
    name: 'zuul job-output',
    description:
      "Zuul's job-output.txt: `2024-07-16 10:57:31.057075 | host | ` (zuul_stream's `{now} | {host} | {line}`); task banners have no host",
    pattern: pattern(String.raw`^(?<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,6})?) \| (?:(?<host>[\w.-]+(?: -> [\w.-]+)?) \| )?`),
    take(m, line) {
      const g = m.groups!;
      // Lines with no host are the executor's own (TASK and PLAY banners, results): not a service's.
      return {
        rest: line.slice(m[0].length),
        collectorTs: g.ts,
        clock: 'local',
        host: g.host?.split(' -> ')[0],
        foreign: g.host === undefined,
      };
    },
    mixed: true,
    samples: [
      {
        line: '2021-09-28 05:44:47.809647 | controller | Failed to get unit file state for devstack@cinder.service: No such file or directory',
        source:
          'test/corpus/real/openstack-devstack-commit-65b46a50/job-output.txt (devstack commit 65b46a50 quoting a gate job-output.txt)',
        rest: 'Failed to get unit file state for devstack@cinder.service: No such file or directory',
        fields: { host: 'controller', collectorTs: '2021-09-28 05:44:47.809647', clock: 'local' },
        notOslo: true,
      },
      {
        line: '2022-02-04 10:22:12.104361 | compute4 | 2022-02-04 10:21:58.881 284971 ERROR nova.compute.manager Traceback (most recent call last):',
        source: "constructed: zuul_stream.py's `{now} | {host} | {line}` (zuul-ci/zuul) around hotsos nova-compute.log.1.gz line 1397",
        rest: '2022-02-04 10:21:58.881 284971 ERROR nova.compute.manager Traceback (most recent call last):',
        fields: { host: 'compute4', collectorTs: '2022-02-04 10:22:12.104361', clock: 'local' },
      },
    ],
  },
  {
    name: 'kubectl prefix',
    description: 'kubectl logs --prefix: `[pod/NAME/CONTAINER] ` (with --timestamps, a container timestamp follows)',
    pattern: pattern(String.raw`^\[(?:pod|deployment|statefulset|daemonset|job)/(?<pod>[^/\]\s]+)/(?<tag>[^\]\s]+)\] `),
    take(m, line) {
      return { rest: line.slice(m[0].length), tag: m.groups!.tag };
    },
    samples: [
      {
        line: '[pod/nova-compute-default-7f9c5/nova-compute] 2022-02-04 10:21:58.881 284971 ERROR nova.compute.manager Traceback (most recent call last):',
        source: 'constructed: the prefix kubectl logs --prefix prints (kubectl source, `[pod/<pod>/<container>] `) around hotsos line 1397',
        rest: '2022-02-04 10:21:58.881 284971 ERROR nova.compute.manager Traceback (most recent call last):',
        fields: { tag: 'nova-compute' },
      },
    ],
  },
  {
    name: 'cri',
    description:
      'CRI-O and containerd log files (/var/log/pods/…/0.log, /var/log/containers/*.log): `TIME stdout|stderr F|P `; P is a partial line, joined with what follows',
    pattern: pattern(
      String.raw`^(?<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)) (?<stream>stdout|stderr) (?<tag>[PF])(?::\S*)?(?: |$)`,
    ),
    take(m, line) {
      const g = m.groups!;
      return { rest: line.slice(m[0].length), collectorTs: g.ts, clock: 'iso', partial: g.tag === 'P' };
    },
    samples: [
      {
        line: '2017-09-12T22:32:21.212861448Z stdout F 2017-09-12 22:32:21.212 [INFO][88] table.go 710: Invalidating dataplane cache',
        source: 'elastic/beats libbeat/reader/readjson/docker_json_test.go ("CRI log"), a calico line from a CRI-O file',
        rest: '2017-09-12 22:32:21.212 [INFO][88] table.go 710: Invalidating dataplane cache',
        fields: { collectorTs: '2017-09-12T22:32:21.212861448Z', clock: 'iso', partial: false },
        notOslo: true,
      },
      {
        line: '2022-02-04T10:21:58.881930113Z stdout P 2022-02-04 10:21:58.881 284971 ERROR nova.compute.manager Traceback (most recent ',
        source:
          'constructed: the CRI log format (kubernetes cri-api, `TIME STREAM P|F MSG`) around hotsos line 1397, cut as a partial line',
        rest: '2022-02-04 10:21:58.881 284971 ERROR nova.compute.manager Traceback (most recent ',
        fields: { partial: true },
      },
    ],
  },
  {
    name: 'container timestamps',
    description:
      "docker logs -t, podman logs -t, kubectl logs --timestamps: an RFC 3339 time (nanoseconds) and a space before the line (not a Loki label set: logcli's)",
    pattern: pattern(
      String.raw`^(?<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)) (?!\[|\{[A-Za-z_][\w.]*=|(?:stdout|stderr) [PF] )`,
    ),
    take(m, line) {
      return { rest: line.slice(m[0].length), collectorTs: m.groups!.ts, clock: 'iso' };
    },
    samples: [
      {
        line: '2022-02-04T10:21:58.881930113Z 2022-02-04 10:21:58.881 284971 ERROR nova.compute.manager Traceback (most recent call last):',
        source: "constructed: docker logs -t's RFC 3339 nano time (docker daemon/logger) around hotsos line 1397",
        rest: '2022-02-04 10:21:58.881 284971 ERROR nova.compute.manager Traceback (most recent call last):',
        fields: { collectorTs: '2022-02-04T10:21:58.881930113Z', clock: 'iso' },
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
    name: 'libvirtd log',
    description:
      "libvirtd's own log file (/var/log/libvirt/libvirtd.log, log_outputs=…:file:…): `YYYY-MM-DD HH:MM:SS.mmm+0000: ` before the libvirt line (`THREAD: PRIORITY : FUNC:LINE : MESSAGE`); the lines are libvirtd's, never nova's",
    pattern: pattern(
      String.raw`^(?<ts>\d{4}-\d\d-\d\d[ ]\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}):[ ](?=\d+:[ ](?:debug|info|warning|error)[ ]:[ ])`,
    ),
    take(m, line) {
      return { rest: line.slice(m[0].length), collectorTs: m.groups!.ts, clock: 'iso', tag: 'libvirtd' };
    },
    mixed: true,
    standsAlone: true,
    samples: [
      {
        line: '2020-11-24 06:25:08.138+0000: 30210: error : virProcessKillPainfullyDelay:407 : Failed to terminate process 58150 with SIGKILL: Device or resource busy',
        source: 'test/corpus/real/github-redhat-performance-jetpack-issue309/libvirtd.log (OSP 16, 2020)',
        rest: '30210: error : virProcessKillPainfullyDelay:407 : Failed to terminate process 58150 with SIGKILL: Device or resource busy',
        fields: { collectorTs: '2020-11-24 06:25:08.138+0000', clock: 'iso', tag: 'libvirtd' },
        notOslo: true,
      },
    ],
  },
  {
    name: 'line-number',
    description:
      "a viewer's or editor's line numbers before each line (`nl`, `cat -n`, `less -N`, a copy out of one): `NN ` or `NN<tab>` before a dated line (an oslo.log line, or a journal's or syslog's `Mon DD HH:MM:SS`)",
    pattern: pattern(String.raw`^[ ]*\d+[ \t]+(?=${DATED})`),
    take(m, line) {
      return { rest: line.slice(m[0].length) };
    },
    samples: [
      {
        line: '937447 2015-03-20 13:49:44.014 27294 TRACE nova.compute.manager [instance: cddc4641-3f2d-4282-a8ec-0a2f9eac72df] Traceback (most recent call last):',
        source: 'test/corpus/real/github-cloudbytestorage-openstack-faq-no-valid-host (Kilo devstack, 2015)',
        rest: '2015-03-20 13:49:44.014 27294 TRACE nova.compute.manager [instance: cddc4641-3f2d-4282-a8ec-0a2f9eac72df] Traceback (most recent call last):',
      },
      {
        line: '  31103 Sep 07 19:32:06.850434 ubuntu-focal-ovh-bhs1-0019682147 nova-compute[92697]: ERROR oslo.service.loopingcall Traceback (most recent call last):',
        source:
          'test/corpus/real/launchpad-qemu-1894804-virtio-blk-detach-device-deleted (a devstack journal numbered by the viewer, quoted-printable undone; Victoria, 2020)',
        rest: 'Sep 07 19:32:06.850434 ubuntu-focal-ovh-bhs1-0019682147 nova-compute[92697]: ERROR oslo.service.loopingcall Traceback (most recent call last):',
        notOslo: true,
      },
    ],
  },
  {
    name: 'zuul logsearch',
    description:
      "a hit of the Zuul log search tool (`logsearch log …`, gibizer/zuul-log-search): the build's uuid and the line's number in its log file, then the line",
    pattern: pattern(String.raw`^[0-9a-f]{32}:\d+:(?=${DATED})`),
    take(m, line) {
      return { rest: line.slice(m[0].length) };
    },
    standsAlone: true,
    wraps: true,
    samples: [
      {
        line: '0db18e971c20424d8f526cbe9b99cf46:32078:May 29 08:46:26.211445 ubuntu-focal-rax-iad-0024867410 nova-compute[108320]: ERROR os_brick.initiator.connectors.iscsi Command: iscsiadm -m discoverydb -o show -P 1',
        source: "test/corpus/real/github-gibizer-zuul-log-search-readme-logsearch (the tool's README, nova-next's screen-n-cpu.txt, 2021)",
        rest: 'May 29 08:46:26.211445 ubuntu-focal-rax-iad-0024867410 nova-compute[108320]: ERROR os_brick.initiator.connectors.iscsi Command: iscsiadm -m discoverydb -o show -P 1',
        notOslo: true,
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
  // Log viewers' and aggregators' exports (Loki's logcli, Grafana's download).
  ...EXPORT_PREFIX_FORMATS,
];

/**
 * Picks the prefix formats most of the sampled lines carry, outermost first
 * (grep output of syslog lines has two). A format must cover at least half of
 * the non-empty sample, its own chatter lines aside, to be chosen, so one odd
 * line does not switch a file. Lines indented by two spaces or a tab do not
 * count: they continue the line above (journalctl indents a multi-line
 * message's further lines, a traceback its frames). One space may start a
 * record (glibc's ` 9月` in Japanese).
 */
export function sniffPrefixes(lines: readonly string[]): PrefixFormat[] {
  const chosen: PrefixFormat[] = [];
  let sample = lines.filter((l) => l.length > 0 && !l.startsWith('  ') && l.charCodeAt(0) !== 9);
  while (sample.length > 0 && chosen.length < 3) {
    let best: PrefixFormat | undefined;
    let bestCount = 0;
    let bestChatter = 0;
    for (const f of PREFIX_FORMATS) {
      if (chosen.includes(f)) continue;
      let n = 0;
      let chatter = 0;
      for (const l of sample) {
        if (f.chatter?.test(l)) chatter++;
        else if (applyPrefix(f, l)) n++;
      }
      if (n > bestCount) {
        best = f;
        bestCount = n;
        bestChatter = chatter;
      }
    }
    if (!best || bestCount * 2 < sample.length - bestChatter) break;
    chosen.push(best);
    const f = best;
    sample = sample.filter((l) => !f.chatter?.test(l)).map((l) => applyPrefix(f, l)?.rest ?? l);
  }
  return chosen;
}

const STANDS_ALONE = PREFIX_FORMATS.filter((f) => f.standsAlone);

/**
 * The prefix a pasted line carries that no format chosen for the paste covers, when its format `standsAlone`: the
 * line is then that format's line (libvirtd's own, a syslog line of a host), whatever the lines around it are.
 */
export function prefixOfOwnLine(line: string): { format: PrefixFormat; info: PrefixInfo; via?: PrefixFormat } | undefined {
  const c = line.charCodeAt(0);
  // Every such format opens with a digit, a month's letter or a syslog PRI.
  if (!(c > 32)) return undefined;
  for (const format of STANDS_ALONE) {
    const info = applyPrefix(format, line);
    if (!info) continue;
    const inner = format.wraps ? prefixOfOwnLine(info.rest) : undefined;
    return inner ? { ...inner, via: format } : { format, info };
  }
  return undefined;
}

export function applyPrefix(format: PrefixFormat, line: string): PrefixInfo | undefined {
  const m = format.pattern.exec(line);
  return m ? format.take(m, line) : undefined;
}

/** Strips each chosen prefix in turn; the innermost tag and timestamp win. */
export function applyPrefixes(formats: readonly PrefixFormat[], line: string): PrefixInfo | undefined {
  if (formats.length === 1) return applyPrefix(formats[0], line);
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
  if (p.unit !== undefined) out.unit = p.unit;
  if (p.collectorTs !== undefined) {
    out.collectorTs = p.collectorTs;
    out.clock = p.clock;
  }
  if (p.host !== undefined) out.host = p.host;
  if (p.pid !== undefined) out.pid = p.pid;
  if (p.foreign) out.foreign = true;
  if (p.partial) out.partial = true;
  if (p.omitted) out.omitted = true;
  return out;
}
