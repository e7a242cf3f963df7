import type { Event } from '../model/event.js';
import { match, type Signature } from './signature.js';

/**
 * Lines in which a nova-compute names the host it runs as: its `[DEFAULT]
 * host`, what `services.host`, `instances.host`, migrations and the other
 * hosts' logs call it. A loose log's path often names no host (a ticket's
 * folder, a file in the current directory), and a log read under a folder's
 * name matches nothing the databases and the scheduler say; the name its
 * compute gives itself does (src/pipeline/ingest.ts renames the file's
 * host to it). The node name (`Final resource view: name=…`) is left out:
 * an ironic compute has one per baremetal node, a uuid each.
 *
 * Each is a signature for its loggers, pattern and real samples (tested as
 * the detectors' are: test/self-naming.test.ts); the `host` field is the name.
 */

const auditStart: Signature = {
  id: 'self.tracker-audit',
  description:
    "The resource tracker's periodic audit starts for the compute's host (Kilo–Ocata: for its node, the same name under libvirt).",
  source:
    'nova/compute/resource_tracker.py update_available_resource (Kilo–Ocata INFO `for node %s`, Pike+ DEBUG `for %(host)s (node: %(node)s)`)',
  loggers: ['nova.compute.resource_tracker'],
  pattern: /^Auditing locally available compute resources for (?:node )?(?<host>[\w.-]+)/,
  samples: [
    {
      line: '2022-02-04 10:21:58.740 284971 DEBUG nova.compute.resource_tracker [req-97b163b2-ff4c-4c93-915a-6c990d19af26 - - - - -] Auditing locally available compute resources for compute4.mylab.home (node: compute4.mylab.home) update_available_resource /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:862',
      seen: 'corpus hotsos/openstack nova-compute.log.1.gz line 1388 (Ussuri, 2022)',
      fields: { host: 'compute4.mylab.home' },
    },
    {
      line: 'nova-compute.log.1.2017-05-16_13:55:31 2017-05-16 00:00:13.658 2931 INFO nova.compute.resource_tracker [req-addc1839-2ed5-4778-b57e-5854eb7b8b09 - - - - -] Auditing locally available compute resources for node cp-1.slowvm1.tcloud-pg0.utah.cloudlab.us',
      seen: 'corpus loghub-openstack/OpenStack_2k.log line 34 (2017, with its loghub prefix)',
      fields: { host: 'cp-1.slowvm1.tcloud-pg0.utah.cloudlab.us' },
    },
  ],
};

const serviceRecord: Signature = {
  id: 'self.service-record',
  description: "The compute's service record written by its periodic audit, for its host (and node).",
  source:
    'nova/virt/libvirt/connection.py (Essex: `for %s`), nova/compute/resource_tracker.py (Folsom–Ocata: `for %(host)s:%(node)s`), nova/scheduler/client/report.py (Kilo–Liberty: `for %s` of a (host, node) tuple)',
  loggers: ['nova.compute.resource_tracker', 'nova.scheduler.client.report', 'nova.virt.libvirt.connection'],
  pattern: /^Compute_service record (?:created|updated) for (?:\(')?(?<host>[\w.-]+)/,
  samples: [
    {
      line: '2012-07-05 22:03:53 INFO nova.virt.libvirt.connection [-] Compute_service record updated for server3.faveones.com',
      seen: 'test/corpus/real/github-nii-cloud-dodai-deploy-issue18 nova-compute.log line 5 (Essex, 2012)',
      fields: { host: 'server3.faveones.com' },
    },
    {
      line: '2014-04-16 21:33:05.949 17878 INFO nova.compute.resource_tracker [req-28704354-718e-42ae-a5df-2e4fe4ba60f3 None None] Compute_service record updated for littlebigguy:littlebigguy',
      seen: 'corpus OpenStackForensics/nova-compute.log line 67 (Icehouse, 2014)',
      fields: { host: 'littlebigguy' },
    },
    {
      line: "2015-10-29 10:52:03.861 29022 INFO nova.scheduler.client.report [-] Compute_service record updated for ('hp-ms-01-c29.moonshot1.lab.eng.rdu.redhat.com', 'hp-ms-01-c29.moonshot1.lab.eng.rdu.redhat.com')",
      seen: 'corpus os-log-merger debug-live-migration hp-ms-01-c29 nova-compute.log line 496 (Kilo, RDO, 2015)',
      fields: { host: 'hp-ms-01-c29.moonshot1.lab.eng.rdu.redhat.com' },
    },
  ],
};

const libvirtdHostname: Signature = {
  id: 'self.libvirtd-hostname',
  description: "libvirtd's start-up banner naming the host it runs on (its log file, its journal): the compute's host under libvirt.",
  source: 'libvirt src/util/virlog.c virLogHostnameString (libvirt 1.2.x+: `hostname: %s` after the version banner)',
  loggers: ['libvirt'],
  pattern: /^hostname: (?<host>[\w.-]+)$/,
  samples: [
    {
      line: '2020-11-24 06:25:08.138+0000: 30210: info : hostname: compute-8',
      seen: 'test/corpus/real/github-redhat-performance-jetpack-issue309/libvirtd.log line 2 (OSP 16, 2020)',
      fields: { host: 'compute-8' },
    },
  ],
};

const qemuLogBanner: Signature = {
  id: 'self.qemu-log-banner',
  description: "libvirt's banner as it starts a guest's QEMU, in the guest's log: the host the guest runs on.",
  source: 'libvirt src/qemu/qemu_process.c qemuProcessStart via qemuLogOperation (libvirt 1.2.x+: `hostname: %s` ends the banner)',
  loggers: ['libvirt'],
  pattern: /^starting up libvirt version: .*, hostname: (?<host>[\w.-]+)$/,
  samples: [
    {
      line: '2022-02-10 16:18:04.843+0000: starting up libvirt version: 6.0.0, package: 0ubuntu8.15 (Christian Ehrhardt <christian.ehrhardt@canonical.com> Thu, 18 Nov 2021 10:23:11 +0100), qemu version: 4.2.1Debian 1:4.2-3ubuntu6.19, kernel: 5.4.0-97-generic, hostname: compute4.mylab.home',
      seen: 'corpus hotsos/openstack var/log/libvirt/qemu/instance-00000001.log line 1 (Ussuri, 2022)',
      log: 'qemu',
      fields: { host: 'compute4.mylab.home' },
    },
  ],
};

export const SELF_NAMING: readonly Signature[] = [auditStart, serviceRecord, libvirtdHostname, qemuLogBanner];

/** Each self-naming signature's loggers, for a cheap first look at every event of a loose log. */
const LOGGERS = new Set(SELF_NAMING.flatMap((s) => s.loggers ?? []));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The host a compute's line names as its own, if it is one of those lines (an ironic node's uuid is not a host). */
export function selfNamedHost(ev: Event): string | undefined {
  if (!ev.logger || !LOGGERS.has(ev.logger) || !ev.message) return undefined;
  for (const s of SELF_NAMING) {
    const host = match(s, ev)?.host;
    if (host && !UUID.test(host)) return host;
  }
  return undefined;
}
