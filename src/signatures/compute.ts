import { exceptionOfText, exceptionTextNeeds } from '../../parsers/exception-text.js';
import { instanceOfExternalEvent } from '../../parsers/paste/messages.js';
import { classifyEventFailure, classifyFrames, framesOf, MOVE_FRAMES, ownMessage } from './compute-failure.js';
import type { Signature } from './signature.js';

/** The compute host's own complaints: its resource tracker and its build (nova/compute/*.py). */

export const computeBuildAborted: Signature = {
  id: 'compute.build-aborted',
  description: 'A compute aborted a build for good (no reschedule): BuildAbortException with the reason.',
  source: 'nova/compute/manager.py _do_build_and_run_instance (every release)',
  loggers: ['nova.compute.manager'],
  levels: ['ERROR'],
  // LOG.exception(e.format_message()): the message is the exception's text; the class follows only in the traceback
  // (or a `: BuildAbortException` suffix), which a quote may leave out.
  where: (e) =>
    !!e.instanceUuid &&
    (e.exception?.type === 'BuildAbortException' || (!e.exception && exceptionOfText(e.message, ['BuildAbortException']) !== undefined)),
  samples: [
    {
      line: 'nova/nova-compute.log:2015-05-15 09:53:05.901 1591 ERROR nova.compute.manager [-] [instance: 8e21dcfd-1421-4693-8408-74e77ee28eb2] Build of instance 8e21dcfd-1421-4693-8408-74e77ee28eb2 aborted: Failed to allocate the network(s), not rescheduling.',
      seen: 'test/corpus/real/github-projectcalico-felix-issue540 (Juno or Kilo, 2015; grep -r output, its traceback not quoted)',
      pasted: true,
    },
  ],
};

/*
 * The resource tracker's allocation messages (nova/compute/resource_tracker.py
 * `_remove_deleted_instances_allocations`, every `update_available_resource`
 * period, 60 s by default). They exist from Pike (09e169bd7a, 2017-08); in
 * Newton and Ocata the report client deleted every allocation its node did
 * not track ("Deleting stale allocation for instance %s"), so there was no
 * allocation it would not heal. Logs stopped being translated in Pike and
 * none of these strings is in any of nova's catalogues (checked in the
 * nova-log-*.po and nova.po of every stable branch from Newton to master), so
 * the English templates are their only wording.
 */

export const trackerNotManaged: Signature = {
  id: 'tracker.not-managed',
  description: 'The resource tracker found allocations on its host for an instance it does not manage, and will not heal them.',
  source:
    'nova/compute/resource_tracker.py _remove_deleted_instances_allocations (WARNING from Pike, 09e169bd7a; from Train a DEBUG twin "Instance with task_state …" while a task is in progress, ad4ef5af8b)',
  loggers: ['nova.compute.resource_tracker*'],
  pattern:
    /^Instance (?<consumer>[0-9a-f-]{36}) is not being actively managed by this compute host but has allocations referencing this compute host/,
  samples: [
    {
      line: "2024-10-02 12:07:18.800 1590924 WARNING nova.compute.resource_tracker [None req-f8320401-70fb-4532-8d87-e5240e53f68b - - - - - -] Instance b32e5792-427c-43b1-83dc-2d3e3c8d74c4 is not being actively managed by this compute host but has allocations referencing this compute host: {'resources': {'VCPU': 12, 'MEMORY_MB': 32768, 'DISK_GB': 80}}. Skipping heal of allocation because we do not know what to do.",
      seen: 'seed 003 (2024), nova-compute.log',
      fields: { consumer: 'b32e5792-427c-43b1-83dc-2d3e3c8d74c4' },
    },
  ],
};

export const trackerMoved: Signature = {
  id: 'tracker.moved',
  description: 'The instance was moved to another host; allocations remain against this (the source) host.',
  source:
    'nova/compute/resource_tracker.py _remove_deleted_instances_allocations (Pike+: DEBUG in 16.0.0 and 17.0.0, WARNING from Rocky and in later Pike and Queens releases, a54e5ed00f)',
  loggers: ['nova.compute.resource_tracker*'],
  pattern:
    // The first sentence is the message's own (one format string with the second): enough where a copy wrapped the rest.
    /^Instance (?<consumer>[0-9a-f-]{36}) has been moved to another host (?<otherHost>[^\s(]+)\((?<otherNode>[^\s)]+)\)\./,
  samples: [
    {
      line: '2018-11-19 09:40:24.262 108862 WARNING nova.compute.resource_tracker [req-f79dc843-44b9-4b43-8e70-64d4f292e9ef b7b6e6d00a77423c8b9627305edcd3e7 738eefc285c846dd86504d0c09bb55de -',
      more: [
        ' default default] Instance b41e94e5-f39e-4ae7-87e6-7a0ee9e51be2 has been moved to another host compute02(compute02). ',
        " There are allocations remaining against the source host that might need to be removed: {u'resources': {u'VCPU': 2, u'MEMORY_MB': 2048, u'DISK_GB': 20}}.:",
      ],
      seen: "test/corpus/real/github-lamtov-lamtv10-ops-migration-notes nova-compute-resource-tracker.txt lines 3-5 (Pike 16.1.x, 2018-11-19): an operator's notes that wrap the record inside its context and after its first sentence, verbatim",
      fields: { consumer: 'b41e94e5-f39e-4ae7-87e6-7a0ee9e51be2', otherHost: 'compute02', otherNode: 'compute02' },
    },
  ],
};

export const trackerNotFound: Signature = {
  id: 'tracker.not-found',
  description:
    'Allocations against this host for a consumer with no instance row in its cell (a leaked migration, an archived instance, a build buried in cell0, or a build racing the tracker).',
  source: 'nova/compute/resource_tracker.py _remove_deleted_instances_allocations (INFO, Queens+ and later Pike releases, d176175db4)',
  loggers: ['nova.compute.resource_tracker*'],
  pattern: /^Instance (?<consumer>[0-9a-f-]{36}) has allocations against this compute host but is not found in the database/,
  samples: [
    {
      line: '2018-08-23 15:23:36.136 3558 INFO nova.compute.resource_tracker [req-f76d5408-00f8-4a67-854e-ad3da2098811 - - - - -] Instance 620cd801-8849-481a-80e0-2980b6c8dba6 has allocations against this compute host but is not found in the database.',
      seen: 'an operator\'s troubleshooting notes published 2018-08-26 (GitHub file, search-index id 10398174609; "create vm error", solved by nova-manage cell_v2 discover_hosts)',
      fields: { consumer: '620cd801-8849-481a-80e0-2980b6c8dba6' },
    },
    {
      line: '2021-09-25 18:40:42.982 2129 INFO nova.compute.resource_tracker [req-52189c54-1223-47ae-a960-6b76acd33a45 - - - - -] Instance ee0eb8cd-560e-47b6-9c32-fec87a55ffb4 has allocations against this compute host but is not found in the database.',
      seen: 'a Chinese blog post on openstack server commands, 2021-09-25 (GitHub file, search-index id 44680043549; the author names "host compute is not mapped to any cell" and runs discover_hosts)',
      fields: { consumer: 'ee0eb8cd-560e-47b6-9c32-fec87a55ffb4' },
    },
    {
      line: '2024-10-02 08:00:02.820 7 INFO nova.compute.resource_tracker [None req-01a1de54-0d12-423e-b69f-cafa71523be4 - - - - - -] Instance e95ea4f2-d8cf-4e0a-b99d-894223a169f9 has allocations against this compute host but is not found in the database.',
      seen: 'generated: samples/antelope-kolla cmp01 nova-compute.log',
      fields: { consumer: 'e95ea4f2-d8cf-4e0a-b99d-894223a169f9' },
    },
  ],
};

export const trackerAllocationsDeleted: Signature = {
  id: 'tracker.allocations-deleted',
  description: 'The resource tracker deleted the allocations of an instance it found deleted: the allocation healed itself.',
  source: 'nova/compute/resource_tracker.py _remove_deleted_instances_allocations (DEBUG, Pike+)',
  loggers: ['nova.compute.resource_tracker*'],
  pattern: /^Instance (?<consumer>[0-9a-f-]{36}) has been deleted \(perhaps locally\)\. Deleting allocations that remained/,
  samples: [],
  unsampled: 'no public log line found yet (a DEBUG line)',
};

export const reportStaleAllocationDeleted: Signature = {
  id: 'report-client.stale-allocation-deleted',
  description:
    'Newton and Ocata: the report client deleted an allocation of its node for an instance the node did not track (before Pike nothing was left unhealed).',
  source: 'nova/scheduler/client/report.py remove_deleted_instances (WARNING in Newton and 15.0.0, DEBUG from 15.1.0; gone in Pike)',
  loggers: ['nova.scheduler.client.report*'],
  pattern: /^Deleting stale allocation for instance (?<consumer>[0-9a-f-]{36})/,
  samples: [],
  unsampled: 'no public log line found yet',
};

export const trackerPeriodicAudit: Signature = {
  id: 'tracker.periodic-audit',
  description:
    "A period of the resource tracker's audit (`update_available_resource`): its start, or its final view. Tells whether a warning stopped while the tracker kept running.",
  source:
    'nova/compute/resource_tracker.py update_available_resource and _report_final_resource_view (every release; the start DEBUG from Pike, the final view INFO until Stein, DEBUG from Train)',
  routine: true,
  hostWide: true,
  loggers: ['nova.compute.resource_tracker*'],
  pattern: /^(?:Auditing locally available compute resources for (?:node )?(?<host>\S+)|Final resource view: name=(?<node>\S+))/,
  samples: [
    {
      line: '2022-02-04 10:51:59.996 378365 DEBUG nova.compute.resource_tracker [req-04b1da28-ab1b-4aac-afd1-c792d608dff0 - - - - -] Auditing locally available compute resources for compute4.mylab.home (node: compute4.mylab.home) update_available_resource /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:862',
      seen: 'corpus hotsos/openstack nova-compute.log.1.gz line 5930 (Ussuri, 2022)',
      fields: { host: 'compute4.mylab.home' },
    },
    {
      line: '2022-02-04 10:52:01.641 378365 DEBUG nova.compute.resource_tracker [req-04b1da28-ab1b-4aac-afd1-c792d608dff0 - - - - -] Final resource view: name=compute4.mylab.home phys_ram=16008MB used_ram=512MB phys_disk=299GB used_disk=0GB total_vcpus=2 used_vcpus=0 pci_stats=[] _report_final_resource_view /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:1040',
      seen: 'corpus hotsos/openstack nova-compute.log.1.gz line 5948 (Ussuri, 2022)',
      fields: { node: 'compute4.mylab.home' },
    },
  ],
};

export const computePowerSync: Signature = {
  id: 'compute.power-sync',
  description: "The periodic power-state sync counts the database's instances against the hypervisor's domains.",
  source: 'nova/compute/manager.py _sync_power_states (every release)',
  routine: true,
  hostWide: true,
  loggers: ['nova.compute.manager'],
  pattern:
    /^While synchronizing instance power states, found (?<database>\d+) instances in the database and (?<hypervisor>\d+) instances on the hypervisor/,
  samples: [
    {
      line: '2024-10-02 12:07:35.608 1590924 WARNING nova.compute.manager [None req-f8320401-70fb-4532-8d87-e5240e53f68b - - - - - -] While synchronizing instance power states, found 1 instances in the database and 2 instances on the hypervisor.',
      seen: 'seed 003 (2024), nova-compute.log',
      fields: { database: '1', hypervisor: '2' },
    },
  ],
};

export const computeSpawnFailed: Signature = {
  id: 'compute.spawn-failed',
  description:
    'The hypervisor driver failed to start the guest (the traceback names why); the build is rescheduled unless retries ran out.',
  source: 'nova/compute/manager.py _build_resources / _spawn (every release)',
  // '': the message pasted alone with its exception (no logger), read as nova's by the class it names.
  loggers: ['nova.compute.manager', ''],
  levels: ['ERROR'],
  pattern: /^Instance failed to spawn/,
  samples: [
    {
      line: '2013-12-10 03:16:55.264 25049 ERROR nova.compute.manager [req-faccb823-f4de-4b6a-a5df-654a8e541507 01555a44694c46ae94132ffad7ed000a ad9fe3bfdf6240e0bfaa5233f7bf006b] [instance: c40758bc-e049-4634-bd5c-5c0a14438cce] Instance failed to spawn',
      seen: 'test/corpus/real/github-openstackcookbook-openstackcookbook-issue12/nova-compute.log line 2 (Havana)',
    },
  ],
};

/**
 * nova.compute.utils' notify_about_instance_usage logs the fault of an error notification (`create.error` when a
 * build fails on the compute) at DEBUG: the exception's message alone, no class, no traceback. Where the compute's
 * ERROR lines were not captured (an excerpt), it is the only line of the failure; the message names the class
 * through nova's exception catalogue, in any language.
 */
export const computeNotifiedFault: Signature = {
  id: 'compute.notified-fault',
  description:
    "The fault of a compute's error notification, logged at DEBUG as the exception's message: a build attempt failed with a compute-side error.",
  source: 'nova/compute/utils.py notify_about_instance_usage (Folsom–Stein: `LOG.debug(fault_payload["message"], instance=instance)`)',
  loggers: ['nova.compute.utils'],
  levels: ['DEBUG'],
  // No debugNeeds: the message is an exception's text, translated; nova.compute.utils writes few DEBUG lines else.
  where: (e) => !!e.instanceUuid && classifyEventFailure(e) !== undefined,
  samples: [
    {
      line: '2017-01-19 06:15:03.006 DEBUG nova.compute.utils [req-11ea2e21-d952-4ab4-ae43-fcf2403123e4 demo demo] [instance: 15734ad5-a957-41e7-aab7-6278e3338d40] Image  is unacceptable: Bad Image format: Image  could not be found. from (pid=4496) notify_about_instance_usage /opt/stack/nova/nova/compute/utils.py:313',
      seen: 'test/corpus/real/github-stackinabox-stackinabox.io-issue6/n-cpu-image-unacceptable.log line 4, the second record glued on it (Newton)',
    },
    {
      line: '2019-01-21 17:10:08.411 32921 DEBUG nova.compute.utils [req-ec66d439-8856-4a50-8a86-51c804748e4f 7e046bab8ff542f48c2d5c354a3a6177 f76bcdc7f31946d0aa00bbeb20a2979d - default default] [instance: 60e8f0f8-acbc-4be7-a6ac-0b482224bc77] Virtual Interface creation failed notify_about_instance_usage /usr/lib/python2.7/dist-packages/nova/compute/utils.py:331',
      seen: 'test/corpus/real/github-cncf-cnf-testbed-issue101/nova-compute-build-aborted.log (Rocky; the uuid rejoined where the paste wrapped it)',
    },
  ],
};

export const computeBuildAndRunFailed: Signature = {
  id: 'compute.build-and-run-failed',
  description: 'A build failed on the compute with an error nova reschedules (Ussuri+ logs it before RescheduledException).',
  source: 'nova/compute/manager.py _build_and_run_instance (Ussuri+)',
  loggers: ['nova.compute.manager'],
  levels: ['ERROR'],
  pattern: /^Failed to build and run instance/,
  samples: [],
  unsampled: 'no public log line found yet',
};

export const computeExternalEventFailed: Signature = {
  id: 'compute.external-event-failed',
  description:
    "An instance's external event from neutron (network-vif-plugged-<port>) failed on the compute: the driver's error callback, or the event refused as the compute shuts down.",
  source: 'nova/virt/libvirt/driver.py _neutron_failed_callback; nova/compute/manager.py InstanceEvents (Icehouse+)',
  levels: ['ERROR'],
  where: (e) => !!e.instanceUuid && instanceOfExternalEvent(e.message) === e.instanceUuid,
  samples: [
    {
      line: 'Neutron Reported failure on event network-vif-plugged-60c05a0d-8758-44c9-81e4-754551567be5 for instance 32c493c4-d88c-4f14-98db-c7af64bf3324: NovaException: In shutdown, no new events can be scheduled',
      seen: 'test/corpus/real/openstack-kolla-ansible-commit-192dcd1e/nova-compute-message.txt (Stein), its hand-wrap joined',
      pasted: true,
    },
  ],
};

export const computeNetworkSetupFailed: Signature = {
  id: 'compute.network-setup-failed',
  description: "The compute could not allocate the instance's network (neutron's or quantum's error in the traceback).",
  source: 'nova/compute/manager.py _allocate_network_async (every release)',
  loggers: ['nova.compute.manager'],
  levels: ['ERROR'],
  pattern: /^Instance failed network setup after (?<attempts>\d+) attempt\(s\)/,
  samples: [
    {
      line: '2015-05-18 13:13:21.313 25737 ERROR nova.compute.manager [-] Instance failed network setup after 1 attempt(s)',
      seen: 'test/corpus/real/github-bloomberg-chef-bcpc-issue573/nova-compute.log line 1 (Kilo)',
      fields: { attempts: '1' },
    },
  ],
};

/**
 * _build_resources logs the error that stopped the block devices' preparation, then aborts the build with
 * BuildAbortException('Failure prepping block device.') — not rescheduled. Its head line is nova's reason without
 * the stop (the catalogue's `block-device-prep-failed`, read in any language); what failed (cinder, a volume's
 * attach, the host refusing a file) is the exception after it.
 */
export const computeBlockDevicePrepFailed: Signature = {
  id: 'compute.block-device-prep-failed',
  description: "The compute could not prepare the instance's block devices: the build is aborted, not rescheduled.",
  source: 'nova/compute/manager.py _build_resources, LOG.exception (Icehouse+)',
  loggers: ['nova.compute.manager'],
  levels: ['ERROR'],
  where: (e) =>
    !!e.instanceUuid &&
    exceptionOfText((ownMessage(e) ?? e.message).trim(), ['BuildAbortException'])?.reason === 'block-device-prep-failed',
  samples: [
    {
      line: "2023-02-14 11:54:31.094 3490324 ERROR nova.compute.manager [req-d8c21949-4edb-4ae8-859e-bdc407402446 919173c1ba5b04004ac4c467c678e6e842b90f5206a224168ba0d3d83c398dfb fd686745c7724189bb02e5f62020a1b2 - 7078ee187a1c42c2a798707b9ca4cd68 7078ee187a1c42c2a798707b9ca4cd68] [instance: ae35c62d-3f91-4e76-8274-9a7893b9627d] Failure prepping block device: gi.repository.GLib.GError: g-io-error-quark: Error opening directory '/usr/share/osinfo': Permission denied (14)",
      seen: 'test/corpus/real/github-canonical-hotsos-lp2012284-prep-block-device-osinfo-denied (hotsos scenario of LP#2012284, 2023)',
    },
  ],
};

/**
 * The compute could not get an instance's network info from neutron while cleaning up after its failed build: the
 * error neutron's client raised is the message's end. Where the build's own error is the same text, it was neutron's.
 */
export const computeNetworkCleanupFailed: Signature = {
  id: 'compute.network-cleanup-failed',
  description:
    "Cleaning up a failed build's networks, the compute could not get the instance's network info from neutron (the error neutron's client raised follows 'Error:').",
  source: 'nova/compute/manager.py _cleanup_allocated_networks / unplug of the VIFs (seen in Stein 19.3.2, English since Pike)',
  loggers: ['nova.compute.manager'],
  levels: ['WARNING'],
  pattern:
    /^Failed to update network info cache when cleaning up allocated networks\. Stale VIFs may be left on this host\.\s*Error: (?<error>.+)/s,
  samples: [
    {
      line: '2022-03-23 11:02:16.481 970 WARNING nova.compute.manager [req-8f7d61d1-be71-418a-be39-baa5dc7dcf5f 8e9813079f73476b9ba29a6b8c3cf4af fdd6efd656374844a7d4a095736e21dd - default default] Failed to update network info cache when cleaning up allocated networks. Stale VIFs may be left on this host.Error: Auth plugin requires parameters which were not given: auth_url: MissingRequiredOptions: Auth plugin requires parameters which were not given: auth_url',
      seen: 'test/corpus/real/github-zasfe-labs-openstack-troubleshooting/nova-compute-build-aborted.txt (Stein 19.3.2), its grep prefix left out',
      fields: {
        error:
          'Auth plugin requires parameters which were not given: auth_url: MissingRequiredOptions: Auth plugin requires parameters which were not given: auth_url',
      },
    },
  ],
};

export const computeRescheduled: Signature = {
  id: 'compute.rescheduled',
  description:
    'The compute gave the build back to the conductor for another host: "Build of instance … was re-scheduled: <reason>" (any language).',
  source: 'nova/compute/manager.py _do_build_and_run_instance (every release)',
  loggers: ['nova.compute.manager'],
  where: (e) => exceptionOfText(e.message, ['RescheduledException']) !== undefined,
  // The compute writes it at DEBUG (`LOG.debug(e.format_message())`): a line holding no word of any of its formats is not it.
  debugNeeds: exceptionTextNeeds(['RescheduledException']),
  samples: [],
  unsampled:
    'no public log line of the compute found yet (the reason appears inside conductor lines: test/corpus/real/github-okd-project-okd-issue79)',
};

export const computeBuildSucceeded: Signature = {
  id: 'compute.build-succeeded',
  description: 'A build finished on the compute: a failure before it was retried to success.',
  source: 'nova/compute/manager.py _build_and_run_instance (every release)',
  routine: true,
  loggers: ['nova.compute.manager'],
  levels: ['INFO', 'AUDIT'],
  pattern: /^Took [\d.]+ seconds to build instance/,
  samples: [
    {
      line: '2017-05-16 00:00:10.470 2931 INFO nova.compute.manager [req-8e64797b-fb99-4c8a-87e5-9a8de673412f 113d3a99c3da401fbd62cc2caa5b96d2 54fadb412c4e40cdbaed9335e4c35a9e - - -] [instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] Took 19.84 seconds to build instance.',
      seen: 'corpus loghub-openstack/OpenStack_2k.log (without its file-name column)',
    },
  ],
};

/**
 * The compute's ERROR (or pre-Liberty TRACE) about one instance whose exception is a known compute-side failure:
 * the tail of a traceback pasted alone still says what failed.
 */
export const computeInstanceFailure: Signature = {
  id: 'compute.instance-failure',
  description: "A compute's error about an instance naming a compute-side failure class (neutron's, cinder's, glance's, the claim's).",
  source: 'nova/compute/manager.py (every release)',
  loggers: ['nova.compute.manager'],
  levels: ['ERROR', 'TRACE'],
  where: (e) => !!e.instanceUuid && classifyEventFailure(e) !== undefined,
  samples: [
    {
      line: '2013-05-13 15:59:38.717 3014 TRACE nova.compute.manager [instance: c307ae2b-c09d-4c05-9525-906ed35d81c5] QuantumClientException: 404 Not Found',
      seen: 'test/corpus/real/github-bilelmsekni-openstack-grizzly-install-guide-issue45/nova-compute.log (Grizzly)',
    },
  ],
};

const QUOTED_TRACEBACK_HEAD = /^(?:\s*File "|\s*Traceback \(most recent call last\)|\s{2,}\S)/;

export const computeBuildTraceback: Signature = {
  id: 'compute.build-traceback',
  description:
    "A traceback of nova-compute for an instance, quoted without its head line, whose frames are a build's: the network set-up or the guest's start.",
  source: 'nova/compute/manager.py _build_and_run_instance, nova/virt/libvirt/driver.py spawn (every release)',
  loggers: ['nova.compute.manager'],
  levels: ['ERROR', 'TRACE'],
  // The quote may open on a frame, on the traceback's head, or on the code line under a frame (indented, as
  // `    six.reraise(…)` is): an oslo message of its own never opens with indentation.
  where: (e) => !!e.instanceUuid && QUOTED_TRACEBACK_HEAD.test(e.message) && classifyFrames(framesOf(e)) !== undefined,
  samples: [
    {
      line: 'Jul 13 02:16:32 fv-az1276-702 nova-compute[80768]: ERROR nova.compute.manager [instance: deb01d2a-6729-4a7b-822d-606e63f47563]   File "/opt/stack/nova/nova/virt/libvirt/driver.py", line 8251, in _create_guest_with_network',
      seen: 'test/corpus/real/github-gophercloud-gophercloud-issue3460 (devstack journal, 2025)',
    },
    {
      line: 'Sep 05 09:02:15 leg-004 nova-compute[15144]: ERROR nova.compute.manager [instance: b500a3d8-89b8-45ab-8725-c2420e6d7e98]     six.reraise(self.type_, self.value, self.tb)',
      more: [
        'Sep 05 09:02:15 leg-004 nova-compute[15144]: ERROR nova.compute.manager [instance: b500a3d8-89b8-45ab-8725-c2420e6d7e98]   File "/opt/stack/nova-lxd/nova/virt/lxd/driver.py", line 560, in spawn',
        'Sep 05 09:02:15 leg-004 nova-compute[15144]: ERROR nova.compute.manager [instance: b500a3d8-89b8-45ab-8725-c2420e6d7e98]     container_config, wait=True)',
      ],
      seen: 'test/corpus/real/github-lxc-lxc-issue1786 (devstack journal, Pike, nova-lxd)',
    },
    {
      line: "2024-03-17 13:45:10.711 1 ERROR nova.compute.manager [instance: 87799560-117e-400c-9a25-b70cc0f29e73]     raise libvirtError('virDomainCreateWithFlags() failed')",
      more: [
        "2024-03-17 13:45:10.711 1 ERROR nova.compute.manager [instance: 87799560-117e-400c-9a25-b70cc0f29e73] libvirt.libvirtError: internal error: Process exited prior to exec: libvirt:  error : Cannot delete directory '/run/libvirt/qemu/2-instance-00000002.shm': Device or resource busy",
      ],
      seen: 'test/corpus/real/github-syunkitada-labo-libvirt-apparmor-docker (2023.2): only the raise of libvirt-python, which names the guest start',
    },
  ],
};

export const computeMoveTraceback: Signature = {
  id: 'compute.move-traceback',
  description:
    "A traceback of nova-compute for an instance, quoted without its head line, whose frames are a move's: a resize's or cold migration's (migrate_disk_and_power_off, finish_migration) or a live migration's.",
  source:
    "nova/compute/manager.py resize_instance, finish_resize, _live_migration; the virt drivers' migrate_disk_and_power_off (every release)",
  loggers: ['nova.compute.manager'],
  levels: ['ERROR', 'TRACE'],
  where: (e) => !!e.instanceUuid && QUOTED_TRACEBACK_HEAD.test(e.message) && framesOf(e).some((f) => MOVE_FRAMES.includes(f)),
  samples: [
    {
      line: '2015-09-23 17:11:40.051 27041 ERROR nova.compute.manager [instance: 1d6e3e6b-2877-47f8-bd8a-40a33dbca1de]   File "/usr/lib/python2.7/dist-packages/oslo_utils/excutils.py", line 195, in __exit__',
      more: [
        '2015-09-23 17:11:40.051 27041 ERROR nova.compute.manager [instance: 1d6e3e6b-2877-47f8-bd8a-40a33dbca1de]     six.reraise(self.type_, self.value, self.tb)',
        '2015-09-23 17:11:40.051 27041 ERROR nova.compute.manager [instance: 1d6e3e6b-2877-47f8-bd8a-40a33dbca1de]   File "/usr/lib/python2.7/dist-packages/nclxd/nova/virt/lxd/container_migrate.py", line 57, in migrate_disk_and_power_off',
      ],
      seen: 'test/corpus/real/github-lxc-nova-lxd-issue33 (Liberty, nova-compute-lxd)',
    },
  ],
};

export const computeInstanceErrored: Signature = {
  id: 'compute.instance-set-error',
  description:
    "The compute put the instance in ERROR after an operation failed on it (a resize's prep_resize whose reschedule failed, among others): its exception follows.",
  source: 'nova/compute/manager.py _error_out_instance_on_exception (Icehouse+; translatable before Pike: _ in Icehouse, _LE from Kilo)',
  loggers: ['nova.compute.manager'],
  levels: ['ERROR'],
  pattern: /^Setting instance vm_state to ERROR/,
  where: (e) => !!e.instanceUuid,
  samples: [
    {
      line: '2024-10-02 11:40:07.912 7 ERROR nova.compute.manager [None req-3c9e1f7a-5b2d-4e8f-a1c3-9d7b5e2f4a60 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - default default] [instance: 5f0c2a7e-9b1d-4c3e-8a6f-2d4b6c8e0a13] Setting instance vm_state to ERROR',
      seen: 'generated: the format of nova/compute/manager.py _error_out_instance_on_exception (2023.1, LOG.exception: its traceback follows on lines of its own); no public line found yet',
    },
  ],
};
