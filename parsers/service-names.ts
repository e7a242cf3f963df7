import type { Service } from '../src/model/event.js';

/**
 * Which service wrote a line, from the names around it: a log file name
 * (`nova-compute.log.2.gz`), a container or syslog tag (`nova_compute`,
 * `wsgi-placement-api`), or, last, the logger (`nova.scheduler.manager`).
 */

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
  for (const [re, svc] of BY_WORD) if (re.test(lower)) return svc;
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

export function serviceFromLogger(logger: string | undefined): Service | undefined {
  if (!logger) return undefined;
  for (const [prefix, svc] of BY_LOGGER) {
    if (logger.startsWith(prefix)) return svc === 'unknown' ? undefined : svc;
  }
  return undefined;
}
