import type { Service } from '../src/model/event.js';

/**
 * Which service wrote a line, from the names around it: a log file name
 * (`nova-compute.log.2.gz`), a container or syslog tag (`nova_compute`,
 * `wsgi-placement-api`), a systemd unit (`devstack@n-cpu.service`,
 * `edpm_nova_compute.service`, `snap.nova.compute.service`), or, last, the
 * logger (`nova.scheduler.manager`).
 */

/**
 * devstack's service short names (`devstack@n-cpu.service`, Zuul's
 * `screen-n-cpu.txt`): `n-` must start a word, so `neutron-api` is not `n-api`.
 */
const DEVSTACK: [RegExp, Service][] = [
  [/(?:^|[^a-z0-9])n-api-meta(?![a-z])/, 'nova-metadata'],
  [/(?:^|[^a-z0-9])n-api(?![a-z-])/, 'nova-api'],
  [/(?:^|[^a-z0-9])n-(?:super-)?cond(?:-cell\d+)?(?![a-z])/, 'nova-conductor'],
  [/(?:^|[^a-z0-9])n-sch(?![a-z])/, 'nova-scheduler'],
  [/(?:^|[^a-z0-9])n-cpu(?![a-z])/, 'nova-compute'],
  [/(?:^|[^a-z0-9])n-(?:novnc|spice|sproxy)(?:-cell\d+)?(?![a-z])/, 'nova-novncproxy'],
];

/** The nova snap's apps (`snap.nova.compute.service`): the app name alone. */
const SNAP_NOVA = /(?:^|[^a-z])snap\.nova\.(?:nova-)?(api-metadata|metadata|api|conductor|scheduler|compute|novncproxy|spicehtml5proxy)/;
const SNAP_APP: Record<string, Service> = {
  'api-metadata': 'nova-metadata',
  metadata: 'nova-metadata',
  api: 'nova-api',
  conductor: 'nova-conductor',
  scheduler: 'nova-scheduler',
  compute: 'nova-compute',
  novncproxy: 'nova-novncproxy',
  spicehtml5proxy: 'nova-novncproxy',
};

const BY_WORD: [RegExp, Service][] = [
  [/placement/, 'placement-api'],
  [/nova[-_]?api[-_]?metadata|nova[-_]metadata/, 'nova-metadata'],
  [/nova[-_]?(?:api|osapi)/, 'nova-api'],
  [/nova[-_]?conductor/, 'nova-conductor'],
  [/nova[-_]?scheduler/, 'nova-scheduler'],
  [/nova[-_]?compute/, 'nova-compute'],
  [/nova[-_]?novncproxy|nova[-_]?spicehtml5proxy|nova[-_]?serialproxy/, 'nova-novncproxy'],
  [/nova[-_]?manage/, 'nova-manage'],
  [/httpd|apache2?|error_log|access_log/, 'httpd'],
];

export function serviceFromName(name: string | undefined): Service | undefined {
  if (!name) return undefined;
  const lower = name.toLowerCase();
  // The service named first: `nova-compute-placement-400.txt` is nova-compute's, what follows its name a topic. httpd
  // only where no service of nova's is named (`apache2-nova-api.log` is nova-api's, served by httpd).
  let first: { at: number; svc: Service } | undefined;
  for (const [re, svc] of BY_WORD) {
    const at = lower.search(re);
    if (at >= 0 && (!first || (first.svc === 'httpd' ? svc !== 'httpd' : svc !== 'httpd' && at < first.at))) first = { at, svc };
  }
  if (first) return first.svc;
  if (lower.includes('n-')) for (const [re, svc] of DEVSTACK) if (re.test(lower)) return svc;
  const snap = SNAP_NOVA.exec(lower);
  if (snap) return SNAP_APP[snap[1]];
  return undefined;
}

const BY_LOGGER: [string, Service][] = [
  ['placement.', 'placement-api'],
  ['nova.api.openstack.placement', 'placement-api'],
  ['nova.api.metadata', 'nova-metadata'],
  ['nova.api.', 'nova-api'],
  ['nova.osapi_compute', 'nova-api'],
  ['nova.metadata', 'nova-metadata'],
  ['nova.conductor', 'nova-conductor'],
  ['nova.scheduler.client', 'unknown'],
  ['nova.scheduler', 'nova-scheduler'],
  ['nova.filters', 'nova-scheduler'],
  ['nova.compute', 'nova-compute'],
  ['nova.virt', 'nova-compute'],
];

/** Answers by logger: a log names few loggers, and a file of no known service asks for every line. Bounded (a hostile log names millions). */
const BY_LOGGER_SEEN = new Map<string, Service | null>();
const MAX_LOGGERS_SEEN = 10_000;

export function serviceFromLogger(logger: string | undefined): Service | undefined {
  if (!logger) return undefined;
  const seen = BY_LOGGER_SEEN.get(logger);
  if (seen !== undefined) return seen ?? undefined;
  let found: Service | null = null;
  for (const [prefix, svc] of BY_LOGGER) {
    if (logger.startsWith(prefix)) {
      found = svc === 'unknown' ? null : svc;
      break;
    }
  }
  if (BY_LOGGER_SEEN.size < MAX_LOGGERS_SEEN) BY_LOGGER_SEEN.set(logger, found);
  return found ?? undefined;
}
