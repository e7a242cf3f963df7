import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { failedMove } from '../../src/detectors/failed-move/index.js';
import { type CaseLog, caseTable, exact, has } from '../helpers/case-table.js';
import { line } from '../helpers/detect.js';
import { Db } from '../helpers/facts.js';
import { CSDN_CONDUCTOR, CSDN_SCHEDULER, committedCorpus, pastedCorpus } from '../helpers/real-lines.js';
import { noCandidatesLines } from '../helpers/scheduling.js';

/**
 * failed-move: cold and live migrations, resizes and evacuations that were
 * refused or failed. Real lines where public logs hold them (Kilo's
 * os-log-merger conductor, openstack-helm's TLS failure, EDPM's paused-guest
 * failure); the rest is laid out in nova's own formats of the release named.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const INST = '5f0c2a7e-9b1d-4c3e-8a6f-2d4b6c8e0a13';
const REQ = 'req-7e2b9c41-0d3a-4f5e-9b8c-1a2d3e4f5a6b';
const CTX = `[None ${REQ} 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - default default]`;
const RP1 = '11111111-1111-4111-8111-111111111111';
const RP2 = '22222222-2222-4222-8222-222222222222';
const MIG = 'f00d0000-0000-4000-8000-0000000000aa';

const ctl = (service: CaseLog['service'], lines: readonly string[]): CaseLog => ({ host: 'ctl01', service, lines });

/**
 * A live migration's destination as libvirt logs the guest (libvirt/qemu/instance-….log): the banner and command line
 * (libvirt 4.0's one-line form, trimmed to the arguments read), then QEMU's lines of the Launchpad bug's destination
 * (test/corpus/real/launchpad-cloud-archive-1838569-qemu-devel-mail, 2019: the virtio-balloon state refused), the mail's
 * soft line breaks undone. The instance's uuid is put in the command line.
 */
const QEMU_INST = '9a8f6c2e-1b3d-4e5f-8a7b-6c5d4e3f2a1b';
const qemuStart = (incoming: boolean): string[] => [
  '2019-07-24 06:46:48.950+0000: starting up libvirt version: 4.0.0, package: 1ubuntu8.10~cloud0 (Openstack Ubuntu Testing Bot <openstack-testing-bot@ubuntu.com> Fri, 22 Mar 2019 13:49:24 +0000), qemu version: 2.11.1(Debian 1:2.11+dfsg-1ubuntu7.13~cloud0), hostname: cmp2',
  `LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin QEMU_AUDIO_DRV=none /usr/bin/kvm-spice -name guest=instance-00000a1f,debug-threads=on -S -object secret,id=masterKey0,format=raw,file=/var/lib/libvirt/qemu/domain-7-instance-00000a1f/master-key.aes -machine pc-i440fx-bionic,accel=kvm,usb=off,dump-guest-core=off -m 2048 -uuid ${QEMU_INST}${incoming ? ' -incoming defer' : ''} -msg timestamp=on`,
  '2019-07-24T06:46:49.487109Z qemu-system-x86_64: warning: Unknown firmware file in legacy mode: etc/msr_feature_control',
];
const QEMU_LOAD_FAILED = [
  ...qemuStart(true),
  '2019-07-24T06:47:22.187749Z qemu-system-x86_64: VQ 2 size 0x80 < last_avail_idx 0xb57 - used_idx 0xb59',
  '2019-07-24T06:47:22.187768Z qemu-system-x86_64: Failed to load virtio-balloon:virtio',
  "2019-07-24T06:47:22.187771Z qemu-system-x86_64: error while loading state for instance 0x0 of device '0000:00:05.0/virtio-balloon'",
  '2019-07-24T06:47:22.188194Z qemu-system-x86_64: load of migration failed: Operation not permitted',
  '2019-07-24 06:47:22.430+0000: shutting down, reason=failed',
];

/** Kilo's conductor (real, corpus os-log-merger/debug-live-migration hp-ms-01-c29 nova-conductor.log): migrate_server refused, the instance set back. */
function kiloRefusal(req: string, at: string, text: string, instance = 'a18a5824-4215-4e24-bcfc-cb9f89f6bcbd'): string[] {
  return [
    `${at}.666 2309 WARNING nova.scheduler.utils [${req} None] Failed to compute_task_migrate_server: ${text}`,
    `${at}.670 2309 WARNING nova.scheduler.utils [${req} None] [instance: ${instance}] Setting instance to ACTIVE state.`,
  ];
}

/** 2023.1: a cold migration the scheduler refused (the conductor's refusal, scheduler and placement lines of the request). */
function coldMigrationRefused(resources: string, vcpus: number): { scheduler: string[]; placement: string[]; conductor: string[] } {
  return {
    ...noCandidatesLines({ at: '2024-10-02 11:04:20', ctx: CTX, req: REQ, instance: INST, resources: resources, vcpus }),
    conductor: [
      line(
        '2024-10-02 11:04:20.510',
        31,
        'WARNING',
        'nova.scheduler.utils',
        CTX,
        'Failed to compute_task_migrate_server: No valid host was found. There are not enough hosts available.',
      ),
      line('2024-10-02 11:04:20.512', 31, 'WARNING', 'nova.scheduler.utils', CTX, `[instance: ${INST}] Setting instance to ACTIVE state.`),
    ],
  };
}

const q = (vcpus: number, memory = 4096): string => `DISK_GB%3A40%2CMEMORY_MB%3A${memory}%2CVCPU%3A${vcpus}`;
const COLD_8 = coldMigrationRefused(q(8), 8);

/** Two computes, the instance (8 VCPU) running on the first. */
const running =
  (o: { vcpus?: number; maxUnit?: number; memory?: number } = {}) =>
  (): Db =>
    new Db()
      .compute(1, 'cmp01', RP1, { vcpus: o.vcpus ?? 16, maxUnit: o.maxUnit, memory: o.memory })
      .compute(2, 'cmp02', RP2, { vcpus: o.vcpus ?? 16, maxUnit: o.maxUnit, memory: o.memory })
      .instance(INST, 'cmp01', { vcpus: 8, memory_mb: 4096, root_gb: 40 })
      .allocate(INST, 1, 8, 4096, 40);

/**
 * 2023.1: a live migration forced to cmp03 (microversion 2.30–2.67, `--force`), refused by the conductor's check of
 * the destination's cell. Generated: the reason is nova/conductor/tasks/live_migrate.py
 * _get_destination_cell_mapping (Pike+, 2023.1 line 460), inside MigrationPreCheckError's msg_fmt (nova/exception.py)
 * in `wrapper`'s language, logged by nova/scheduler/utils.py set_vm_state_and_notify; no public line found yet.
 */
function forcedToUnmapped(wrapper = 'Migration pre-check error: %(reason)s', host = 'cmp03'): CaseLog[] {
  const reason = wrapper.replace('%(reason)s', `Unable to determine in which cell destination host ${host} lives.`);
  return [
    ctl('nova-conductor', [
      line('2024-10-02 11:30:12.401', 31, 'WARNING', 'nova.scheduler.utils', CTX, `Failed to compute_task_migrate_server: ${reason}`),
      line('2024-10-02 11:30:12.404', 31, 'WARNING', 'nova.scheduler.utils', CTX, `[instance: ${INST}] Setting instance to ACTIVE state.`),
    ]),
  ];
}

const VENV = '/var/lib/kolla/venv/lib/python3.10/site-packages';
const PCI = 'Insufficient compute resources: Claim pci failed.';

/** A destination's failed prep_resize (2023.1, nova/compute/manager.py _log_original_error: "Error: %s" with its traceback), rescheduled. */
function prepResizeFailed(host: string, at: string): CaseLog {
  const p = `${at} 7 ERROR nova.compute.manager [instance: ${INST}]`;
  return {
    host,
    service: 'nova-compute',
    lines: [
      line(at, 7, 'ERROR', 'nova.compute.manager', CTX, `[instance: ${INST}] Error: ${PCI}`),
      `${p} Traceback (most recent call last):`,
      `${p}   File "${VENV}/nova/compute/manager.py", line 5880, in _prep_resize`,
      `${p}     with self.rt.resize_claim(`,
      `${p}   File "${VENV}/nova/compute/claims.py", line 72, in _claim_test`,
      `${p}     raise exception.ComputeResourcesUnavailable(reason=reason)`,
      `${p} nova.exception.ComputeResourcesUnavailable: ${PCI}`,
    ],
  };
}

/** The conductor's record of a reschedule: the last host's error (nova/scheduler/utils.py _log_compute_error, 2023.1). */
const errorFromLast = (host: string, at: string): string =>
  line(
    at,
    31,
    'ERROR',
    'nova.scheduler.utils',
    CTX,
    `[instance: ${INST}] Error from last host: ${host} (node ${host}.cloud.example): ['nova.exception.ComputeResourcesUnavailable: ${PCI}\\n']`,
  );

/**
 * 2023.1: a resize whose two destinations (cmp02, then the alternate cmp03) each failed their PCI claim. Generated from
 * nova's formats: the compute's "Error: %s" and "Error trying to reschedule" (nova/compute/manager.py
 * _reschedule_resize_or_reraise), its "Setting instance vm_state to ERROR" (_error_out_instance_on_exception), the
 * conductor's "Error from last host" (scheduler/utils.py _log_compute_error) and its refusal, MaxRetriesExceeded with
 * conductor/tasks/migrate.py's "Exhausted all hosts available for retrying build failures" (Queens+); no public line
 * found yet.
 */
function resizeRetriesRanOut(o: { computes?: boolean; wrapper?: string } = {}): CaseLog[] {
  const refusal = (o.wrapper ?? 'Exceeded maximum number of retries. %(reason)s').replace(
    '%(reason)s',
    `Exhausted all hosts available for retrying build failures for instance ${INST}.`,
  );
  const p = `2024-10-02 11:40:07.910 7 ERROR nova.compute.manager [instance: ${INST}]`;
  const last: CaseLog = {
    host: 'cmp03',
    service: 'nova-compute',
    lines: [
      line('2024-10-02 11:40:07.905', 7, 'ERROR', 'nova.compute.manager', CTX, `[instance: ${INST}] Error trying to reschedule`),
      `${p} Traceback (most recent call last):`,
      `${p}   File "${VENV}/nova/compute/manager.py", line 6444, in _reschedule_resize_or_reraise`,
      `${p}     self.compute_task_api.resize_instance(`,
      `${p} nova.exception_Remote.MaxRetriesExceeded_Remote: ${refusal}`,
      line('2024-10-02 11:40:07.912', 7, 'ERROR', 'nova.compute.manager', CTX, `[instance: ${INST}] Setting instance vm_state to ERROR`),
      `${p} Traceback (most recent call last):`,
      `${p}   File "${VENV}/nova/compute/claims.py", line 72, in _claim_test`,
      `${p}     raise exception.ComputeResourcesUnavailable(reason=reason)`,
      `${p} nova.exception.ComputeResourcesUnavailable: ${PCI}`,
    ],
  };
  return [
    ctl('nova-conductor', [
      errorFromLast('cmp02', '2024-10-02 11:40:04.210'),
      errorFromLast('cmp03', '2024-10-02 11:40:07.880'),
      line('2024-10-02 11:40:07.890', 31, 'WARNING', 'nova.scheduler.utils', CTX, `Failed to compute_task_migrate_server: ${refusal}`),
      line('2024-10-02 11:40:07.893', 31, 'WARNING', 'nova.scheduler.utils', CTX, `[instance: ${INST}] Setting instance to ACTIVE state.`),
    ]),
    ...(o.computes === false ? [] : [prepResizeFailed('cmp02', '2024-10-02 11:40:04.190'), last]),
  ];
}

/** openstack-helm (2025, real: test/corpus/real/github-vexxhost-atmosphere-issue2553): libvirt's TLS refused the source. */
const ATMOSPHERE = [
  "2025-04-30 13:11:48.184 117662 ERROR nova.virt.libvirt.driver [None req-4856de26-8128-4079-a229-b04674fced35 - - - - - -] [instance: 45cc9aa4-eafd-4fa4-babe-68f3d9fca7cf] Live Migration failure: authentication failed: Failed to verify peer's certificate: libvirt.libvirtError: authentication failed: Failed to verify peer's certificate",
  '2025-04-30 13:11:48.626 117662 ERROR nova.virt.libvirt.driver [None req-4856de26-8128-4079-a229-b04674fced35 - - - - - -] [instance: 45cc9aa4-eafd-4fa4-babe-68f3d9fca7cf] Migration operation has aborted',
];

const AREQ = 'req-3c5d7e9f-1a2b-4c3d-8e4f-5a6b7c8d9e0f';
const ACTX = `[None ${AREQ} 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - default default]`;

/** 2023.1 nova-api lines of one server action: the DEBUG body (when `body`), the error text (when `error`), the access line. */
function apiAction(o: { body?: string; error?: string; status: number; at?: string }): CaseLog {
  const at = o.at ?? '2024-10-02 11:40:02';
  const lines: string[] = [];
  if (o.body)
    lines.push(
      line(
        `${at}.101`,
        23,
        'DEBUG',
        'nova.api.openstack.wsgi',
        ACTX,
        `Action: '${Object.keys(JSON.parse(o.body))[0]}', calling method: <bound method ServersController._action of <nova.api.openstack.compute.servers.ServersController object at 0x7f3b2c1d4e50>>, body: ${o.body} _process_stack /usr/lib/python3.9/site-packages/nova/api/openstack/wsgi.py:511`,
      ),
    );
  if (o.error) lines.push(line(`${at}.118`, 23, 'INFO', 'nova.api.openstack.wsgi', ACTX, `HTTP exception thrown: ${o.error}`));
  lines.push(
    line(
      `${at}.121`,
      23,
      'INFO',
      'nova.osapi_compute.wsgi.server',
      ACTX,
      `10.0.0.11 "POST /v2.1/servers/${INST}/action HTTP/1.1" status: ${o.status} len: 403 time: 0.0612290`,
    ),
  );
  return ctl('nova-api', lines);
}

/**
 * Generated: a rebuild with a new image the scheduler checked on the instance's own host (Queens+), refused by an
 * out-of-tree filter that logs the RequestSpec it was given; only the scheduler's log read.
 */
const REBUILD_CHECK = [
  line(
    '2024-10-02 11:20:05.140',
    28,
    'DEBUG',
    'nova.scheduler.manager',
    CTX,
    `Starting to schedule for instances: ['${INST}'] select_destinations /usr/lib/python3.9/site-packages/nova/scheduler/manager.py:142`,
  ),
  line(
    '2024-10-02 11:20:05.210',
    28,
    'DEBUG',
    'nova.scheduler.filters.failure_domain_filter',
    CTX,
    "(cmp01, cmp01) fails for RequestSpec(availability_zone=None,flavor=Flavor(2),force_hosts=['cmp01'],ignore_hosts=None,image=ImageMeta(b0f3c1d2),instance_uuid=5f0c2a7e-9b1d-4c3e-8a6f-2d4b6c8e0a13,num_instances=1,scheduler_hints={_nova_check_type=['rebuild'],source_host=['cmp01']}) host_passes /usr/lib/python3.9/site-packages/failure_domain/filter.py:61",
  ),
  line(
    '2024-10-02 11:20:05.212',
    28,
    'INFO',
    'nova.filters',
    CTX,
    `Filtering removed all hosts for the request with instance ID '${INST}'. Filter results: ['ComputeFilter: (start: 1, end: 1)', 'ImagePropertiesFilter: (start: 1, end: 1)', 'FailureDomainFilter: (start: 1, end: 0)']`,
  ),
];

caseTable(failedMove, {
  valid: [
    {
      name: "a resize typed, then a reboot, then the listing: the ERROR may be the reboot's, no failed move (real lines, a command put between)",
      logs: [
        {
          host: 'paste',
          service: 'unknown',
          paste: true,
          lines: committedCorpus('tzpst-hatenablog-20130112-resize-error', 'cli-nova-resize-list-reboot.txt').flatMap((l) =>
            l === '$ nova list' ? ['$ nova reboot vm00', l] : [l],
          ),
        },
      ],
    },
    {
      name: 'a resize typed, then the listing shows another server in ERROR: not the moved one, no failed move (real lines, the server renamed in the command)',
      logs: [
        {
          host: 'paste',
          service: 'unknown',
          paste: true,
          lines: committedCorpus('tzpst-hatenablog-20130112-resize-error', 'cli-nova-resize-list-reboot.txt').map((l) =>
            l.replace('nova resize vm00', 'nova resize vm01'),
          ),
        },
      ],
    },
    {
      name: 'Kilo: a live migration the API accepted (202), its body in the DEBUG line, logged as the action "action" (real lines)',
      logs: [
        {
          host: 'hp-ms-01-c29',
          service: 'nova-api',
          lines: [
            '2015-10-29 10:52:52.710 28343 DEBUG nova.api.openstack.wsgi [req-5f2adc28-1772-480e-a35c-c12ec08b94d7 None] Action: \'action\', calling method: <bound method AdminActionsController._migrate_live of <nova.api.openstack.compute.contrib.admin_actions.AdminActionsController object at 0x50e61d0>>, body: {"os-migrateLive": {"disk_over_commit": false, "block_migration": false, "host": "hp-ms-01-c29.moonshot1.lab.eng.rdu.redhat.com"}} _process_stack /usr/lib/python2.7/site-packages/nova/api/openstack/wsgi.py:934',
            '2015-10-29 10:52:54.582 28343 INFO nova.osapi_compute.wsgi.server [req-5f2adc28-1772-480e-a35c-c12ec08b94d7 None] 10.12.27.29 "POST /v2/807a77751fc84631875e6bc15f58e0c7/servers/a18a5824-4215-4e24-bcfc-cb9f89f6bcbd/action HTTP/1.1" status: 202 len: 209 time: 2.1819429',
          ],
        },
      ],
    },
    {
      name: 'the API refusing a reboot (409, InstanceInvalidState) is no move',
      logs: [
        apiAction({
          body: '{"reboot": {"type": "HARD"}}',
          error: `Cannot 'reboot' instance ${INST} while it is in task_state rebooting_hard`,
          status: 409,
        }),
      ],
    },
    {
      name: 'a live migration the API accepted (202) is no failure',
      logs: [apiAction({ body: '{"os-migrateLive": {"host": null, "block_migration": "auto"}}', status: 202 })],
    },
    {
      name: "a build with a flavor that does not exist (POST /servers answered 400, FlavorNotFound's text) is no move",
      logs: [
        ctl('nova-api', [
          line(
            '2024-10-02 11:40:02.118',
            23,
            'INFO',
            'nova.api.openstack.wsgi',
            ACTX,
            'HTTP exception thrown: Flavor centos72 could not be found.',
          ),
          line(
            '2024-10-02 11:40:02.121',
            23,
            'INFO',
            'nova.osapi_compute.wsgi.server',
            ACTX,
            '10.0.0.11 "POST /v2.1/servers HTTP/1.1" status: 400 len: 403 time: 0.0612290',
          ),
        ]),
      ],
    },
    {
      name: "the scheduler's refusal of a build (no host left out, no check-type hint) is no move",
      logs: [
        ctl('nova-scheduler', [
          line(
            '2024-10-02 11:04:20.480',
            28,
            'INFO',
            'nova.filters',
            CTX,
            `Filtering removed all hosts for the request with instance ID '${INST}'. Filter results: ['AvailabilityZoneFilter: (start: 2, end: 2)', 'ComputeFilter: (start: 2, end: 0)']`,
          ),
        ]),
      ],
    },
    {
      // Real lines: corpus os-log-merger/debug-live-migration hp-ms-01-c29 nova-compute.log (Kilo).
      name: 'Kilo: a live migration that completed (real lines)',
      logs: [
        {
          host: 'hp-ms-01-c29',
          service: 'nova-compute',
          lines: [
            '2015-10-29 10:53:17.375 29022 INFO nova.compute.manager [req-5f2adc28-1772-480e-a35c-c12ec08b94d7 None] [instance: a18a5824-4215-4e24-bcfc-cb9f89f6bcbd] Post operation of migration started',
            '2015-10-29 10:54:29.040 29022 INFO nova.virt.libvirt.driver [-] [instance: a18a5824-4215-4e24-bcfc-cb9f89f6bcbd] Migration operation has completed',
            '2015-10-29 10:54:29.042 29022 INFO nova.compute.manager [-] [instance: a18a5824-4215-4e24-bcfc-cb9f89f6bcbd] _post_live_migration() is started..',
          ],
        },
      ],
    },
    {
      name: "a live migration the destination refused for its CPU is the cpu-incompatible-migration detector's",
      logs: [
        ctl('nova-conductor', [
          line(
            '2024-10-02 13:00:05.170',
            31,
            'WARNING',
            'nova.scheduler.utils',
            CTX,
            "Failed to compute_task_migrate_server: Migration pre-check error: Unacceptable CPU info: CPU doesn't have compatibility.",
          ),
          line(
            '2024-10-02 13:00:05.172',
            31,
            'WARNING',
            'nova.scheduler.utils',
            CTX,
            `[instance: ${INST}] Setting instance to ACTIVE state.`,
          ),
        ]),
      ],
    },
    {
      name: "libvirt failing a live migration on the CPU (missing features) is the cpu-incompatible-migration detector's",
      logs: [
        {
          host: 'cmp01',
          service: 'nova-compute',
          lines: [
            line(
              '2024-10-02 13:10:41.220',
              7,
              'ERROR',
              'nova.virt.libvirt.driver',
              CTX,
              `[instance: ${INST}] Live Migration failure: operation failed: guest CPU doesn't match specification: missing features: avx512f`,
            ),
            line(
              '2024-10-02 13:10:41.626',
              7,
              'ERROR',
              'nova.virt.libvirt.driver',
              CTX,
              `[instance: ${INST}] Migration operation has aborted`,
            ),
          ],
        },
      ],
    },
    {
      name: "a build the scheduler refused (compute_task_build_instances) is a failed build's, not a move's",
      logs: [
        ctl('nova-conductor', [
          '2016-04-12 14:26:37.532 14823 WARNING nova.scheduler.utils [req-1d5e8f0a-7c3b-4e2d-9f1a-6b8c0d2e4f61 7dbf9b1c2d5e4f60a1b2c3d4e5f60718 5a6b7c8d9e0f41a2b3c4d5e6f7a8b9c0 - - -] Failed to compute_task_build_instances: No valid host was found. There are not enough hosts available.',
        ]),
      ],
    },
    {
      name: 'a DestinationDiskExists at DEBUG (a retry nova handles) is no failure',
      logs: [
        {
          host: 'cmp02',
          service: 'nova-compute',
          lines: [
            line(
              '2024-10-02 11:00:00.100',
              7,
              'DEBUG',
              'nova.virt.libvirt.driver',
              CTX,
              `[instance: ${INST}] The supplied disk path (/var/lib/nova/instances/${INST}) already exists, it is expected not to exist.`,
            ),
          ],
        },
      ],
    },
    {
      // Real (test/corpus/real/openstack-nova-api-guide-faults): a build's fault, no move shown.
      name: "a pasted build fault (the API's answer, NoValidHost) is no failed move",
      logs: [pastedCorpus('openstack-nova-api-guide-faults', 'server-show-fault.json.txt')],
    },
    {
      name: 'a live migration forced to a mapped destination that went through (the compute says it finished) is no failure',
      logs: [
        {
          host: 'cmp01',
          service: 'nova-compute',
          lines: [
            line(
              '2024-10-02 11:30:20.118',
              7,
              'INFO',
              'nova.compute.manager',
              CTX,
              `[instance: ${INST}] Migrating instance to cmp03 finished successfully.`,
            ),
          ],
        },
      ],
      db: () => new Db().compute(1, 'cmp01', RP1).compute(3, 'cmp03', RP2).instance(INST, 'cmp03'),
    },
    {
      // Real (corpus hotsos/openstack var/log/libvirt/qemu/instance-00000002.log, Ussuri, 2022): the source's guest log of
      // a migration that succeeded; and a destination whose guest started for the migration and logged only warnings.
      name: "a guest's QEMU logs of a migration that went through ('initiating migration', 'shutting down, reason=migrated') are no failure",
      logs: [
        {
          host: 'compute4',
          service: 'qemu',
          lines: [
            '2022-02-10 16:14:03.381+0000: starting up libvirt version: 6.0.0, package: 0ubuntu8.15 (Christian Ehrhardt <christian.ehrhardt@canonical.com> Thu, 18 Nov 2021 10:23:11 +0100), qemu version: 4.2.1Debian 1:4.2-3ubuntu6.19, kernel: 5.4.0-97-generic, hostname: compute4.mylab.home',
            '-uuid 359150c9-6f40-416e-b381-185bff09e974 \\',
            '-msg timestamp=on',
            'char device redirected to /dev/pts/2 (label charserial0)',
            "2022-02-10T16:14:03.678891Z qemu-system-x86_64: warning: host doesn't support requested feature: MSR(48FH).vmx-exit-load-perf-global-ctrl [bit 12]",
            '2022-02-10 16:18:31.313+0000: initiating migration',
            '2022-02-10 16:18:33.029+0000: shutting down, reason=migrated',
            '2022-02-10T16:18:33.031019Z qemu-system-x86_64: terminating on signal 15 from pid 1074 (/usr/sbin/libvirtd)',
          ],
        },
        { host: 'cmp2', service: 'qemu', lines: qemuStart(true) },
      ],
    },
    {
      // Laid out in Train's formats: InstanceFaultRollback wrapping InstanceSuspendFailure (the libvirt driver's suspend of
      // a guest with mediated devices).
      name: "a suspend's rollback ('Setting instance back to active after: Instance rollback performed due to: Failed to suspend instance: …') is no move",
      logs: [
        {
          host: 'cmp01',
          service: 'nova-compute',
          lines: [
            `2020-03-02 10:14:55.101 3211 INFO nova.compute.manager ${CTX} [instance: ${INST}] Setting instance back to active after: Instance rollback performed due to: Failed to suspend instance: Suspend is not supported for instances having attached mediated devices.`,
          ],
        },
      ],
    },
    {
      name: 'a resize rescheduled once (cmp02 failed its PCI claim) and then done on cmp03 is no failure',
      logs: [
        ctl('nova-conductor', [errorFromLast('cmp02', '2024-10-02 11:40:04.210')]),
        prepResizeFailed('cmp02', '2024-10-02 11:40:04.190'),
      ],
    },
  ],
  invalid: [
    {
      // Real lines (code-index 44680043549: a Chinese post on openstack server commands, an RDO Train lab, 2021-09-25): the
      // conductor's resize of fourthVM; the RPC server's traceback shortened to its nova frames and its exception.
      name: "a resize whose scheduling call timed out (MessagingTimeout through the migrate task's select_destinations) → scheduler-unreachable, the instance left ACTIVE",
      logs: [
        {
          host: 'controller',
          service: 'nova-conductor',
          lines: [
            '2021-09-25 14:19:50.517 2407 WARNING nova.scheduler.utils [req-adb018d8-afb7-4668-869c-179b90ea5dbf 9942eb4321644336a0c7383d9f1c2bed a7d812868cb74f1a978035530f55f1d0 - default default] Failed to compute_task_migrate_server: Timed out waiting for a reply to message ID 187df0b0f95a4e27919321830142d187: MessagingTimeout: Timed out waiting for a reply to message ID 187df0b0f95a4e27919321830142d187',
            '2021-09-25 14:19:50.522 2407 WARNING nova.scheduler.utils [req-adb018d8-afb7-4668-869c-179b90ea5dbf 9942eb4321644336a0c7383d9f1c2bed a7d812868cb74f1a978035530f55f1d0 - default default] [instance: a2c57cfb-7dd9-42b6-b1e2-454d07cfbe77] Setting instance to ACTIVE state.: MessagingTimeout: Timed out waiting for a reply to message ID 187df0b0f95a4e27919321830142d187',
            '2021-09-25 14:19:50.616 2407 ERROR oslo_messaging.rpc.server [req-adb018d8-afb7-4668-869c-179b90ea5dbf 9942eb4321644336a0c7383d9f1c2bed a7d812868cb74f1a978035530f55f1d0 - default default] Exception during message handling: MessagingTimeout: Timed out waiting for a reply to message ID 187df0b0f95a4e27919321830142d187',
            '2021-09-25 14:19:50.616 2407 ERROR oslo_messaging.rpc.server Traceback (most recent call last):',
            '2021-09-25 14:19:50.616 2407 ERROR oslo_messaging.rpc.server   File "/usr/lib/python2.7/site-packages/nova/conductor/manager.py", line 299, in migrate_server',
            '2021-09-25 14:19:50.616 2407 ERROR oslo_messaging.rpc.server     host_list)',
            '2021-09-25 14:19:50.616 2407 ERROR oslo_messaging.rpc.server   File "/usr/lib/python2.7/site-packages/nova/conductor/tasks/migrate.py", line 376, in _schedule',
            '2021-09-25 14:19:50.616 2407 ERROR oslo_messaging.rpc.server     return_objects=True, return_alternates=True)',
            '2021-09-25 14:19:50.616 2407 ERROR oslo_messaging.rpc.server   File "/usr/lib/python2.7/site-packages/nova/scheduler/client/query.py", line 42, in select_destinations',
            '2021-09-25 14:19:50.616 2407 ERROR oslo_messaging.rpc.server     instance_uuids, return_objects, return_alternates)',
            '2021-09-25 14:19:50.616 2407 ERROR oslo_messaging.rpc.server   File "/usr/lib/python2.7/site-packages/nova/scheduler/rpcapi.py", line 160, in select_destinations',
            "2021-09-25 14:19:50.616 2407 ERROR oslo_messaging.rpc.server     return cctxt.call(ctxt, 'select_destinations', **msg_args)",
            '2021-09-25 14:19:50.616 2407 ERROR oslo_messaging.rpc.server MessagingTimeout: Timed out waiting for a reply to message ID 187df0b0f95a4e27919321830142d187',
            '2021-09-25 14:19:50.616 2407 ERROR oslo_messaging.rpc.server',
          ],
        },
      ],
      expect: {
        cause: 'scheduler-unreachable',
        instance: 'a2c57cfb-7dd9-42b6-b1e2-454d07cfbe77',
        details: { state: 'ACTIVE', error: 'MessagingTimeout' },
        firstCommand: has('openstack compute service list --service nova-scheduler'),
      },
    },
    // ─── the nova user's ssh between the computes ───
    {
      // Real (corpus hotsos/defs-tests-excerpts/lp1904580.nova-compute.log, Launchpad bug 1904580, 2022): the compute's
      // rollback with processutils' lines folded into it.
      name: "the compute's rollback 'Setting instance back to active after: … Resize error: not able to execute ssh command' → ssh-to-destination-failed, the instance left ACTIVE on its source",
      logs: [
        {
          host: 'juju-compute-1',
          service: 'nova-compute',
          lines: [
            '2022-02-04 19:02:58.275 29845 INFO nova.compute.manager [req-1ca6c5ea-839d-454a-a7ac-f1f7df882f95 ca1265ef24834623b3ff360f95bbec9b caadf4ef9ccb4eae8a2f6ca0cb142827 - 28c08ee9c0114334a269a1f56b1d6724 28c08ee9c0114334a269a1f56b1d6724] [instance: ba04a48c-1dff-4015-a4f1-625946a40611] Setting instance back to active after: Instance rollback performed due to: Resize error: not able to execute ssh command: Unexpected error while running command.',
            'Command: ssh -o BatchMode=yes 10.5.1.153 mkdir -p /var/lib/nova/instances/ba04a48c-1dff-4015-a4f1-625946a40611',
            'Exit code: 255',
            "Stdout: ''",
            "Stderr: '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\\r\\n@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @\\r\\n@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\\r\\nPermissions 0644 for \\'/var/lib/nova/.ssh/id_rsa\\' are too open.\\r\\nIt is required that your private key files are NOT accessible by others.\\r\\nThis private key will be ignored.\\r\\nLoad key \"/var/lib/nova/.ssh/id_rsa\": bad permissions\\r\\nnova@10.5.1.153: Permission denied (publickey).\\r\\n'",
          ],
        },
      ],
      expect: {
        cause: 'ssh-to-destination-failed',
        instance: 'ba04a48c-1dff-4015-a4f1-625946a40611',
        title:
          /^Cold migration or resize of instance ba04a48c failed: the source's ssh to 10\.5\.1\.153 as nova failed \(nova@10\.5\.1\.153: Permission denied \(publickey\)\.\)$/,
        details: {
          operation: 'cold migration or resize',
          source: 'juju-compute-1',
          destination: '10.5.1.153',
          state: 'ACTIVE',
          step: 'directory',
          command: 'ssh -o BatchMode=yes 10.5.1.153 mkdir -p /var/lib/nova/instances/ba04a48c-1dff-4015-a4f1-625946a40611',
        },
        commands: [/^sudo -u nova ssh -o BatchMode=yes 10\.5\.1\.153 true/, /^sudo ls -la ~nova\/\.ssh\//],
        noCommands: [/ssh-keygen -R/, /sshd_config/],
      },
    },
    {
      // Real (test/corpus/real/openstack-kolla-ansible-commit-bfa9dd97, 2024): scp of the disk to an sshd with no sftp.
      name: "the disk's scp to the destination failed ('subsystem request failed') → ssh-to-destination-failed at the copy, the destination's sshd to check",
      logs: [pastedCorpus('openstack-kolla-ansible-commit-bfa9dd97', 'nova-compute-resize-scp.log')],
      expect: {
        cause: 'ssh-to-destination-failed',
        instance: '8ca2c7e8-acae-404c-af7d-6cac38e354b8',
        summary: /failed copying the instance's disk to the destination as nova .* after the guest had been powered off for it/,
        details: { destination: '192.0.2.2', step: 'copy' },
        commands: [/^grep -i '\^Subsystem' \/etc\/ssh\/sshd_config {3}# on 192\.0\.2\.2/],
      },
    },
    {
      // Real (test/corpus/real/openstack-nova-commit-845adc65, Newton): the message quoted whole and hand-wrapped.
      name: "the libvirt driver's own MigrationError: a serial console its libvirt cannot rewrite for the destination → console-addresses",
      logs: [pastedCorpus('openstack-nova-commit-845adc65', 'nova-compute-message.txt')],
      expect: {
        cause: 'console-addresses',
        summary: /stopped by the libvirt driver: the guest has a serial console/,
        details: { console: 'serial' },
        commands: [/^grep -A3 '\^\\\[serial_console\\\]' \/etc\/nova\/nova\.conf {3}# on paste-nova-compute-message\.txt$/],
      },
    },
    {
      // Real line: test/corpus/real/pastebin-ix6q0xl3 (2016).
      name: "the libvirt driver's own MigrationError: graphics listening on the source's address, which its libvirt cannot rewrite → console-addresses (real line)",
      logs: [
        {
          host: 'compute-1',
          service: 'nova-compute',
          lines: [
            '2016-08-19 17:02:30.655 45804 ERROR oslo_messaging.rpc.server MigrationError: Migration error: Your libvirt version does not support the VIR_DOMAIN_XML_MIGRATABLE flag or your destination node does not support retrieving listen addresses. In order for live migration to work properly, you must configure the graphics (VNC and/or SPICE) listen addresses to be either the catch-all address (0.0.0.0 or ::) or the local address (127.0.0.1 or ::1).',
          ],
        },
      ],
      expect: {
        cause: 'console-addresses',
        title: /failed: the source's libvirt cannot move the guest's graphics listen addresses$/,
        details: {
          console: 'graphics',
          error: /^Migration error: Your libvirt version does not support the VIR_DOMAIN_XML_MIGRATABLE flag/,
        },
        commands: [/^grep -E '\^\(vncserver_listen\|server_listen\)' \/etc\/nova\/nova\.conf {3}# on compute-1$/],
      },
    },
    {
      name: "the destination's QEMU log alone: 'load of migration failed' after a device's state was refused → a failed live migration, QEMU's lines as its cause",
      logs: [{ host: 'cmp2', service: 'qemu', lines: QEMU_LOAD_FAILED }],
      expect: {
        cause: 'live-migration-failed',
        instance: QEMU_INST,
        title: /^Live migration of instance 9a8f6c2e failed in the hypervisor: load of migration failed: Operation not permitted$/,
        details: {
          operation: 'live migration',
          destination: 'cmp2',
          source: undefined,
          destinationError: has(
            "Failed to load virtio-balloon:virtio\nerror while loading state for instance 0x0 of device '0000:00:05.0/virtio-balloon'\nload of migration failed",
          ),
        },
        gaps: [/only the destination's QEMU log was read/, /no migrations row/],
      },
    },
    {
      // The source's line as libvirt words a destination's load failure (qemu-devel, 2025: "operation failed: job
      // 'migration in' failed: load of migration failed: Input/output error"), in Rocky's format, its request logged.
      name: "the source's 'Live Migration failure: … job 'migration in' failed: load of migration failed' and the destination's QEMU log → one failed move, both hosts",
      logs: [
        {
          host: 'cmp1',
          service: 'nova-compute',
          lines: [
            `2019-07-24 06:47:22.512 2471 ERROR nova.virt.libvirt.driver [req-6c7f3f3e-95f0-4f43-9f0c-2b7a4c1d8e11 - - - - -] [instance: ${QEMU_INST}] Live Migration failure: operation failed: job 'migration in' failed: load of migration failed: Operation not permitted: libvirtError: operation failed: job 'migration in' failed: load of migration failed: Operation not permitted`,
            `2019-07-24 06:47:22.990 2471 ERROR nova.virt.libvirt.driver [req-6c7f3f3e-95f0-4f43-9f0c-2b7a4c1d8e11 - - - - -] [instance: ${QEMU_INST}] Migration operation has aborted`,
          ],
        },
        { host: 'cmp2', service: 'qemu', lines: QEMU_LOAD_FAILED },
      ],
      expect: {
        cause: 'live-migration-failed',
        instance: QEMU_INST,
        details: {
          source: 'cmp1',
          destination: 'cmp2',
          error: /^operation failed: job 'migration in' failed: load of migration failed/,
          destinationError: has('VQ 2 size 0x80 < last_avail_idx 0xb57 - used_idx 0xb59'),
        },
        incidents: 1,
        requestIds: ['req-6c7f3f3e-95f0-4f43-9f0c-2b7a4c1d8e11'],
        commands: [/virsh -r version; virsh -r domcapabilities .* # on cmp1 and on cmp2$/],
        noCommands: [/virsh -c qemu\+tls/],
        timelineServices: ['qemu', 'nova-compute'],
      },
    },
    {
      // Real (test/corpus/real/openstack-openstack-ansible-os_nova-commit-1e7f093f, 2020): the driver's own end of the
      // job, VIR_DOMAIN_JOB_FAILED, with no "Live Migration failure" line read.
      name: "'Migration operation has aborted' alone: libvirt's job failed, a failed live migration",
      logs: [
        {
          host: 'hv2',
          service: 'nova-compute',
          lines: [
            '2020-05-19 22:13:32.553 4511 ERROR nova.virt.libvirt.driver [-] [instance: b5a313c0-326c-4e3f-bec4-22926289999f] Migration operation has aborted',
          ],
        },
      ],
      expect: {
        cause: 'live-migration-failed',
        instance: 'b5a313c0-326c-4e3f-bec4-22926289999f',
        details: { operation: 'live migration' },
      },
    },
    {
      // Real (test/corpus/real/github-lxc-nova-lxd-issue33, Liberty, nova-compute-lxd): the source's traceback quoted from
      // its middle, neither its head nor its exception in the quote.
      name: "a compute's traceback quoted from its middle through the driver's migrate_disk_and_power_off → a cold migration or resize failed there, unknown",
      logs: [
        {
          host: 'cmp-lxd',
          service: 'nova-compute',
          lines: readFileSync(join(ROOT, 'test', 'corpus', 'real', 'github-lxc-nova-lxd-issue33', 'nova-compute.log'), 'utf8')
            .replace(/\n$/, '')
            .split('\n'),
        },
      ],
      expect: {
        cause: 'unknown',
        instance: '1d6e3e6b-2877-47f8-bd8a-40a33dbca1de',
        title: /^Cold migration or resize of instance 1d6e3e6b failed in migrate_disk_and_power_off → container_migrate$/,
        details: { operation: 'cold migration or resize', traced: ['migrate_disk_and_power_off', 'container_migrate'] },
        gaps: [/the exception of cmp-lxd's traceback is not in the lines read/],
      },
    },
    // ─── a move's fault or client error pasted alone ───
    {
      // Real (test/corpus/real/github-airshipit-treasuremap-issue8): the client's --wait errors and Horizon's fault pane.
      name: "'openstack server resize --wait' failed and Horizon's pane shows the fault (OSError, 500) → one failed resize, unknown",
      logs: [
        pastedCorpus('github-airshipit-treasuremap-issue8', 'cli-server-resize.txt'),
        pastedCorpus('github-airshipit-treasuremap-issue8', 'horizon-fault.txt'),
      ],
      expect: {
        cause: 'unknown',
        instance: '29cb7f21-2241-44f4-9ba9-61d8d840c026',
        details: { operation: 'resize', refusedWith: 'OSError' },
        gaps: [/only the server's fault was read/, /a pasted fault names no server: taken to be 29cb7f21-2241-44f4-9ba9-61d8d840c026's/],
      },
    },
    {
      // Real (test/corpus/real/github-osm1n-homelab-setup-error-fixes-live-migration): a README's bullet quoting the log.
      name: "a ticket's bullet '- Compute logs: `Live Migration failure: internal error: … Postcopy is not supported`' → nova's template read, a failed live migration",
      logs: [pastedCorpus('github-osm1n-homelab-setup-error-fixes-live-migration', 'compute-postcopy.txt')],
      expect: {
        cause: 'live-migration-failed',
        summary:
          /failed in the hypervisor: internal error: unable to execute QEMU command 'migrate-set-capabilities': Postcopy is not supported\.$/,
      },
    },
    {
      // Real (test/corpus/real/backendcloud-resize-error-2017): a Kilo compute's TRACE lines, quoted without their ERROR line.
      name: "Kilo: a traceback's TRACE lines alone ending in ResizeError, the ssh mkdir of the instance's directory met a changed host key → ssh-to-destination-failed, the nova user's known_hosts to clean",
      logs: [pastedCorpus('backendcloud-resize-error-2017', 'nova-compute-trace.txt')],
      expect: {
        cause: 'ssh-to-destination-failed',
        instance: '54091e90-55f5-4f4d-8f66-31fbc787584f',
        title:
          /^Cold migration or resize of instance 54091e90 failed: the source's ssh to 172\.16\.231\.26 as nova failed \(Permission denied \(publickey/,
        details: {
          destination: '172.16.231.26',
          step: 'directory',
          command: 'ssh 172.16.231.26 -p 22 mkdir -p /var/lib/nova/instances/54091e90-55f5-4f4d-8f66-31fbc787584f',
        },
        commands: [/^sudo -u nova ssh-keygen -R 172\.16\.231\.26/, /^sudo ls -la ~nova\/\.ssh\//],
      },
    },
    {
      // Real (test/corpus/real/github-computecanada-mc-hub-issue118): terraform-provider-openstack's poll of a resize.
      name: "Terraform's wait on a resize ends back in ACTIVE ('unexpected state 'ACTIVE', wanted target 'VERIFY_RESIZE'') → a failed resize, unknown",
      logs: [pastedCorpus('github-computecanada-mc-hub-issue118', 'terraform-resize-error.txt')],
      expect: { cause: 'unknown', instance: '80f2fbd3-57ea-4426-a51b-0b7dfaf1bb71', details: { operation: 'resize' } },
    },
    {
      // Real (test/corpus/real/github-hashicorp-terraform-issue5780): the compute API's error body as Terraform printed it.
      name: "the API's 400 body 'Resize requires a flavor change.' (CannotResizeToSameFlavor as Mitaka's API words it) → a resize refused, invalid-request, not a build",
      logs: [pastedCorpus('github-hashicorp-terraform-issue5780', 'nova-api-error-body.txt')],
      expect: { cause: 'invalid-request', details: { operation: 'resize', refusedWith: 'CannotResizeToSameFlavor' } },
    },
    {
      // Real (test/corpus/real/github-containx-openstack4j-issue257, 2015): Jersey's dump of the response, the Juno wording of the
      // API's refusal ("Cannot '%(action)s' while instance is in …", no server id).
      name: "openstack4j's dump of a 409 'Cannot 'os-migrateLive' while instance is in task_state migrating' → a live migration refused by state, its request id from the response's header",
      logs: [pastedCorpus('github-containx-openstack4j-issue257', 'openstack4j-jersey-live-migrate-409.txt')],
      expect: {
        cause: 'invalid-state',
        requestIds: ['req-86d23e74-4afc-43b4-963c-c8aa3b2fe57a'],
        details: { operation: 'live migration', attr: 'task_state', refusedState: 'migrating' },
        summary:
          /^The API refused the live migration \(409\): the instance was in task_state migrating, which does not allow 'os-migrateLive'/,
      },
    },
    {
      // Real (test/corpus/real/github-apache-libcloud-issue1309, 2019): libcloud's BaseHTTPError carrying the API's schema refusal.
      name: "libcloud's '400 Bad Request Invalid input for field/attribute resize. … Additional properties are not allowed' → a resize refused by the API's schema, invalid-request",
      logs: [pastedCorpus('github-apache-libcloud-issue1309', 'libcloud-ex-resize-error.txt')],
      expect: {
        cause: 'invalid-request',
        details: { operation: 'resize', refusedWith: 'ValidationError' },
        summary: /did not pass the API's schema \(field resize\): Additional properties are not allowed/,
        firstCommand: /^openstack versions show --service compute/,
      },
    },
    {
      // Real (test/corpus/real/mail-archive-yahoo-eng-team-msg93706-evacuate-400): openstacksdk's error as the client printed it,
      // mail-wrapped; nova raised NotSupportedComputeForEvacuateV295 with a dict, so the API's message is the dict.
      name: "2024.2: 'openstack server evacuate' answered 400 {'currently': 0, 'expected': 62} → invalid-request, the computes' service version, the server from the URL",
      logs: [pastedCorpus('mail-archive-yahoo-eng-team-msg93706-evacuate-400', 'cli-server-evacuate-400.txt')],
      expect: {
        cause: 'invalid-request',
        instance: '2ed7c251-fbd2-47e5-acc9-090a32baffec',
        details: { operation: 'evacuation', refusedWith: 'NotSupportedComputeForEvacuateV295' },
        summary:
          /service version 0, and an evacuation at microversion 2\.95 or later needs 62\. Version 0 means no nova-compute was counted/,
        firstCommand: /^openstack compute service list --service nova-compute/,
      },
    },
    {
      // Real (test/corpus/real/suse-doc-cloud-hos5-live-migration-storage-checks): novaclient's answer to a block migration.
      name: "'nova live-migration --block-migrate' answered 400 with InvalidLocalStorage ('… is not on local storage') → precheck-failed",
      logs: [pastedCorpus('suse-doc-cloud-hos5-live-migration-storage-checks', 'live-migration-block-not-local.txt')],
      expect: {
        cause: 'precheck-failed',
        instance: '84a02b42-9527-47ac-bed9-8fde1f98e3fe',
        details: { check: 'helion-cp1-comp0002-mgmt is not on local storage: Block migration can not be used with shared storage.' },
      },
    },
    {
      // Real (test/corpus/real/pastebin-ly9kt60t-pre-live-migration-failed-at-dest): a terminal copy, wrapped inside the uuid.
      name: "Kilo: the source's 'Pre live migration failed at nova1' (its [instance: …] cut by the wrap inside the uuid, joined), the remote error past the copy → unknown, the destination's preparation named, not the hypervisor",
      logs: [
        {
          host: 'nova2',
          service: 'nova-compute',
          lines: committedCorpus('pastebin-ly9kt60t-pre-live-migration-failed-at-dest', 'source-nova-compute.log'),
        },
      ],
      expect: {
        cause: 'unknown',
        instance: '2ae2fc70-eb23-45f0-8fcb-d65bdc7139e5',
        summary: /failed while nova1 prepared for it: the source's call of its pre_live_migration raised/,
        details: { destination: 'nova1', operation: 'live migration' },
        gaps: [/what failed on nova1 is not in the lines read: its nova-compute log of request req-d35efe82-3fd6-4c84-953c-256248a34f5b/],
      },
    },
    {
      // Real (test/corpus/real/launchpad-nova-1214943-live-migration-lack-of-memory): the bug's quoted error, alone.
      name: "Havana's pre-check 'Unable to migrate <uuid> to hchenos2: Lack of memory(host:336 <= instance:512)' names no instance otherwise: its own reason gives it → precheck-failed of that instance",
      logs: [pastedCorpus('launchpad-nova-1214943-live-migration-lack-of-memory', 'bug-description-error.txt')],
      expect: {
        cause: 'precheck-failed',
        instance: 'a34f9b88-1e07-4798-af46-ca3b3dbaceda',
        noGaps: [/no line read names the instance/],
      },
    },
    {
      // Real (test/corpus/real/suse-doc-cloud-hos5-live-migration-storage-checks): `nova host-evacuate-live`'s table.
      name: "'nova host-evacuate-live' printed 'Live Migration Accepted False' for each server → a live migration refused per row, by its own error",
      logs: [pastedCorpus('suse-doc-cloud-hos5-live-migration-storage-checks', 'host-evacuate-live-not-shared.txt')],
      expect: {
        incidents: 2,
        cause: 'precheck-failed',
        instance: '95a7ded8-ebfc-4848-9090-2df378c88a4c',
        requestIds: ['req-9fd79670-a780-40ed-a515-c14e28e0a0a7'],
        details: {
          operation: 'live migration',
          check: /^helion-cp1-comp0001-mgmt is not on shared storage: Live migration can not be used/,
        },
      },
    },
    {
      // Real (test/corpus/real/github-rcbops-ansible-lxc-rpc-issue587): the fault row of `nova show`, wrapped in its cell.
      name: "a 'nova show' fault: the source's ssh mkdir of the instance's directory on the destination failed → ssh-to-destination-failed, what ssh said not known",
      logs: [pastedCorpus('github-rcbops-ansible-lxc-rpc-issue587', 'nova-show-fault.txt')],
      expect: {
        cause: 'ssh-to-destination-failed',
        instance: 'e24af2e7-2ab3-4036-ac74-66c39ae23d0f',
        details: { operation: 'cold migration or resize', destination: '10.16.28.13' },
        gaps: [/what ssh printed \(the command's Stderr\) is not in the lines read/],
      },
    },
    {
      // Real (test/corpus/real/github-beskar-cloud-knowledgebase-orphaned-ostack-allocation): the command typed and its error.
      name: "'openstack server migrate --host …' typed, then the client's NoValidHost → a cold migration refused, unknown without the scheduler",
      logs: [pastedCorpus('github-beskar-cloud-knowledgebase-orphaned-ostack-allocation', 'cli-migrate-novalidhost.txt')],
      expect: {
        cause: 'unknown',
        instance: 'f160ed61-2256-4401-aece-789cb1a3c359',
        details: { refusedWith: 'NoValidHost' },
        gaps: [/no nova-scheduler log/, /only the server's fault was read/],
      },
    },
    {
      // Real (test/corpus/real/github-beskar-cloud-knowledgebase-orphaned-ostack-allocation): the three pastes of the write-up.
      name: "'server migrate --host eli-hda1-016' refused NoValidHost, and eli-hda1-016's provider holds the instance's own stale allocation → insufficient-capacity",
      logs: [
        pastedCorpus('github-beskar-cloud-knowledgebase-orphaned-ostack-allocation', 'cli-server-show-grep.txt'),
        pastedCorpus('github-beskar-cloud-knowledgebase-orphaned-ostack-allocation', 'cli-migrate-novalidhost.txt'),
        pastedCorpus('github-beskar-cloud-knowledgebase-orphaned-ostack-allocation', 'cli-resource-provider-allocations.txt'),
      ],
      expect: {
        cause: 'insufficient-capacity',
        rule: "The destination asked for holds the instance's own stale allocation",
        instance: 'f160ed61-2256-4401-aece-789cb1a3c359',
        summary: /still holds an allocation of this same instance \(VCPU 30, MEMORY_MB 741376, DISK_GB 1668\)/,
        details: {
          destination: 'eli-hda1-016-ostack.priv.cloud.domain.edu',
          staleAllocation: { providerUuid: 'f3bfbfa8-4dcb-4cf1-b8b3-5b3069870d08' },
          unmanagedAllocation: /^unmanaged-allocation:[0-9a-f]{8}$/,
        },
        gaps: [/the provider's inventory is not in the inputs/],
        commands: [has('resource provider inventory list f3bfbfa8-4dcb-4cf1-b8b3-5b3069870d08')],
      },
    },
    {
      // Real pastes (beskar-cloud knowledgebase, 2023), the server's host edited to the destination's: its allocation there is its own.
      name: "the same refusal when 'server show' puts the instance on the destination asked for: no stale claim, unknown",
      logs: [
        {
          ...pastedCorpus('github-beskar-cloud-knowledgebase-orphaned-ostack-allocation', 'cli-server-show-grep.txt'),
          lines: pastedCorpus('github-beskar-cloud-knowledgebase-orphaned-ostack-allocation', 'cli-server-show-grep.txt').lines.map((l) =>
            l.replace('eli-hda1-010-ostack', 'eli-hda1-016-ostack'),
          ),
        },
        pastedCorpus('github-beskar-cloud-knowledgebase-orphaned-ostack-allocation', 'cli-migrate-novalidhost.txt'),
        pastedCorpus('github-beskar-cloud-knowledgebase-orphaned-ostack-allocation', 'cli-resource-provider-allocations.txt'),
      ],
      expect: { cause: 'unknown', details: { refusedWith: 'NoValidHost' } },
    },
    // ─── destination-disk-exists ───
    {
      name: "Train: the destination's pre_live_migration raised DestinationDiskExists (a leftover of an earlier failed block migration)",
      logs: [
        {
          host: 'cmp02',
          service: 'nova-compute',
          lines: [
            line(
              '2020-06-15 09:12:40.551',
              7,
              'ERROR',
              'oslo_messaging.rpc.server',
              '[req-3c5d7e9f-1a2b-4c3d-8e4f-5a6b7c8d9e0f 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - default default]',
              `Exception during message handling: nova.exception.DestinationDiskExists: The supplied disk path (/var/lib/nova/instances/${INST}) already exists, it is expected not to exist.`,
            ),
          ],
        },
      ],
      db: () => running()().migration(MIG, INST, 'cmp01', 'cmp02', 'error'),
      expect: {
        cause: 'destination-disk-exists',
        instance: INST,
        details: { operation: 'live migration', source: 'cmp01', destination: 'cmp02', path: `/var/lib/nova/instances/${INST}` },
        firstCommand: has(`ls -la /var/lib/nova/instances/${INST}`),
        evidence: [/DestinationDiskExists/, new RegExp(`migrations: ${MIG} live-migration cmp01 → cmp02 status=error`)],
      },
    },
    // ─── host-not-mapped ───
    {
      name: '2023.1: a live migration forced to cmp03, which has no host_mappings row → host-not-mapped, discover_hosts first',
      logs: forcedToUnmapped(),
      db: () => new Db().compute(1, 'cmp01', RP1).compute(3, 'cmp03', RP2, { mapped: false }).instance(INST, 'cmp01'),
      expect: {
        cause: 'host-not-mapped',
        instance: INST,
        requestIds: [REQ],
        title: /^Live migration of instance 5f0c2a7e refused: cmp03 is not mapped to a cell$/,
        summary: has('cmp03 has no host_mappings row'),
        details: { operation: 'live migration', source: 'cmp01', destination: 'cmp03', state: 'ACTIVE', mappedLater: undefined },
        firstCommand: /^nova-manage cell_v2 discover_hosts/,
        commands: [
          'openstack compute service list --service nova-compute --host cmp03',
          `openstack server migrate --live-migration --host cmp03 ${INST}`,
        ],
        noGaps: [/host_mappings could not be checked/],
      },
    },
    {
      name: "the same refusal, its class in German (the reason is nova's English: it has no translation), no dump → host-not-mapped, the mapping unchecked",
      logs: forcedToUnmapped('Fehler bei der Migrationsvorabprüfung: %(reason)s', 'cmp03.cloud.example'),
      expect: {
        cause: 'host-not-mapped',
        details: { destination: 'cmp03.cloud.example', operation: 'live migration' },
        gaps: [/no nova_api dump: host_mappings could not be checked/],
        firstCommand: /^nova-manage cell_v2 discover_hosts --verbose$/,
      },
    },
    {
      name: 'a dump taken later: cmp03 got its host_mappings row after the refusal → host-not-mapped, mapped later, no discover_hosts',
      logs: forcedToUnmapped(),
      db: () =>
        new Db()
          .compute(1, 'cmp01', RP1)
          .compute(3, 'cmp03', RP2, { mapped: false })
          .row('nova_api', 'host_mappings', { id: 3, cell_id: 2, host: 'cmp03', created_at: '2024-10-02 11:52:40', updated_at: null })
          .instance(INST, 'cmp01'),
      expect: {
        cause: 'host-not-mapped',
        title: /cmp03 was not yet mapped to a cell$/,
        details: { destination: 'cmp03', mappedLater: '2024-10-02 11:52:40' },
        evidence: [/host_mappings: cmp03 cell_id=2 created_at=2024-10-02 11:52:40/],
        noCommands: [/discover_hosts/],
        commands: [`openstack server migrate --live-migration --host cmp03 ${INST}`],
      },
    },
    {
      // Generated: nova/conductor/tasks/live_migrate.py _get_source_cell_mapping (Pike+), the instance's own mapping missing.
      name: "the pre-check's other cell reason (the instance's own mapping missing) is no unmapped host: precheck-failed",
      logs: [
        ctl('nova-conductor', [
          line(
            '2024-10-02 11:30:12.401',
            31,
            'WARNING',
            'nova.scheduler.utils',
            CTX,
            `Failed to compute_task_migrate_server: Migration pre-check error: Unable to determine in which cell instance ${INST} lives.`,
          ),
        ]),
      ],
      expect: { cause: 'precheck-failed', details: { check: `Unable to determine in which cell instance ${INST} lives.` } },
    },
    {
      // Real lines: test/corpus/real/tzpst-hatenablog-20130112-resize-error, whole (2013).
      name: '`nova resize vm00` typed, then `nova list` shows vm00 in ERROR (no power-state column): the resize failed, why unknown (real lines)',
      logs: [pastedCorpus('tzpst-hatenablog-20130112-resize-error', 'cli-nova-resize-list-reboot.txt')],
      expect: {
        cause: 'unknown',
        instance: 'bfd70cf1-5caf-4bda-8ea1-9a4d25dd4cd4',
        title: /^Resize of instance bfd70cf1 failed$/,
        summary: /^The resize left vm00 in ERROR: the server listing pasted after the move command shows it so\./,
        gaps: [/only a server listing pasted after the move command shows the failure/],
      },
    },
    {
      // Real line: test/corpus/real/launchpad-cloud-archive-1994002-qemu-devel-mail (2022), its mail's quoted-printable soft breaks undone.
      name: "the driver's 'Error monitoring migration: <libvirt error>' (it re-raises): a failed live migration, its error quoted (real line)",
      logs: [
        {
          host: 'cmp',
          service: 'nova-compute',
          lines: [
            '2022-03-30 06:08:37.197 7 WARNING nova.virt.libvirt.driver [req-5c3296cf-88ee-4af6-ae6a-ddba99935e23 - - - - -] [instance: af339c99-1182-4489-b15c-21e52f50f724] Error monitoring migration: internal error: migration was active, but no RAM info was set: libvirt.libvirtError: internal error: migration was active, but no RAM info was set',
          ],
        },
      ],
      expect: {
        cause: 'live-migration-failed',
        instance: 'af339c99-1182-4489-b15c-21e52f50f724',
        requestIds: ['req-5c3296cf-88ee-4af6-ae6a-ddba99935e23'],
        summary: /failed in the hypervisor: internal error: migration was active, but no RAM info was set/,
      },
    },
    // ─── precheck-failed ───
    {
      // Real lines: corpus os-log-merger/debug-live-migration hp-ms-01-c29 nova-conductor.log lines 613-614 (Kilo).
      name: 'Kilo: the real migrate_server to the host the instance already runs on, the instance set back to ACTIVE',
      logs: [
        {
          host: 'hp-ms-01-c29',
          service: 'nova-conductor',
          lines: [
            '2015-10-20 11:51:28.083 28141 WARNING nova.scheduler.utils [req-a40a6ce0-ec37-4fae-9773-f915c79c2aab None] Failed to compute_task_migrate_server: Unable to migrate instance (456d8388-2014-4935-9af5-adeaca222a9b) to current host (hp-ms-01-c29.moonshot1.lab.eng.rdu.redhat.com).',
            '2015-10-20 11:51:28.086 28141 WARNING nova.scheduler.utils [req-a40a6ce0-ec37-4fae-9773-f915c79c2aab None] [instance: 456d8388-2014-4935-9af5-adeaca222a9b] Setting instance to ACTIVE state.',
          ],
        },
      ],
      expect: {
        cause: 'precheck-failed',
        instance: '456d8388-2014-4935-9af5-adeaca222a9b',
        requestIds: ['req-a40a6ce0-ec37-4fae-9773-f915c79c2aab'],
        title:
          /^Live migration of instance 456d8388 refused by its pre-check: the destination hp-ms-01-c29\.\S+ is the host the instance runs on$/,
        details: { operation: 'live migration', destination: 'hp-ms-01-c29.moonshot1.lab.eng.rdu.redhat.com', state: 'ACTIVE' },
        gaps: [/no migrations row/],
      },
    },
    {
      // Real lines: test/corpus/real/rackspace-how-to-rpc-vm-block-migration nova-scheduler.log (Essex, 2012), whole.
      name: "Essex: the scheduler's own refusal of a live migration to the instance's host names no instance but in UnableToMigrateToSelf's text (real lines)",
      logs: [
        { host: 'ctl', service: 'nova-scheduler', lines: committedCorpus('rackspace-how-to-rpc-vm-block-migration', 'nova-scheduler.log') },
      ],
      expect: {
        cause: 'precheck-failed',
        instance: '89a5e582-d3f3-4665-afc2-03c2114f0bbb',
        requestIds: ['req-10302630-7f13-49fd-aeed-b73e1bbe69ef'],
        title: /^Live migration of instance 89a5e582 refused by its pre-check: the destination compute2 is the host the instance runs on$/,
      },
    },
    {
      name: 'Kilo: the same refusal tried three times is one incident with three attempts (real lines)',
      logs: [
        {
          host: 'hp-ms-01-c29',
          service: 'nova-conductor',
          lines: [
            ...kiloRefusal(
              'req-953d6884-e77e-4765-8ba9-daf3fca8c5df',
              '2015-10-27 05:58:10',
              'Unable to migrate instance (a18a5824-4215-4e24-bcfc-cb9f89f6bcbd) to current host (hp-ms-01-c30.moonshot1.lab.eng.rdu.redhat.com).',
            ),
            ...kiloRefusal(
              'req-64f29c21-072f-4b90-b681-5dcf2638cc26',
              '2015-10-28 09:01:44',
              'Unable to migrate instance (a18a5824-4215-4e24-bcfc-cb9f89f6bcbd) to current host (hp-ms-01-c30.moonshot1.lab.eng.rdu.redhat.com).',
            ),
            ...kiloRefusal(
              'req-b9c017c1-88eb-400b-849c-8e259898b132',
              '2015-10-28 09:03:02',
              'Unable to migrate instance (a18a5824-4215-4e24-bcfc-cb9f89f6bcbd) to current host (hp-ms-01-c30.moonshot1.lab.eng.rdu.redhat.com).',
            ),
          ],
        },
      ],
      expect: {
        cause: 'precheck-failed',
        count: 3,
        requestIds: [
          'req-953d6884-e77e-4765-8ba9-daf3fca8c5df',
          'req-64f29c21-072f-4b90-b681-5dcf2638cc26',
          'req-b9c017c1-88eb-400b-849c-8e259898b132',
        ],
        title: /\(tried 3 times\)$/,
        details: { attempts: [{ requestId: 'req-953d6884-e77e-4765-8ba9-daf3fca8c5df' }, {}, { start: '2015-10-28T09:03:02.666' }] },
      },
    },
    {
      name: 'Kilo: shared storage refused (InvalidSharedStorage in the refusal), no destination claimed',
      logs: [
        {
          host: 'hp-ms-01-c29',
          service: 'nova-conductor',
          lines: kiloRefusal(
            'req-3d2e34e0-ff36-45c4-94c9-218f9c5e5bf6',
            '2015-10-20 12:05:31',
            'hp-ms-01-c29.moonshot1.lab.eng.rdu.redhat.com is not on shared storage: Live migration can not be used without shared storage.',
            '456d8388-2014-4935-9af5-adeaca222a9b',
          ),
        },
      ],
      expect: {
        cause: 'precheck-failed',
        details: {
          check:
            'hp-ms-01-c29.moonshot1.lab.eng.rdu.redhat.com is not on shared storage: Live migration can not be used without shared storage.',
          destination: undefined,
        },
      },
    },
    // ─── destination-unavailable ───
    {
      // Real lines: corpus os-log-merger/debug-live-migration hp-ms-01-c29 nova-conductor.log (Kilo): the operator's name had a ^C in it.
      name: 'Kilo: the destination named has no compute service up (real lines, a ^C typed into the host name)',
      logs: [
        {
          host: 'hp-ms-01-c29',
          service: 'nova-conductor',
          lines: [
            '2015-10-28 10:20:26.345 2309 WARNING nova.scheduler.utils [req-2bad4bc2-0969-4344-ace9-21d0aad10074 None] Failed to compute_task_migrate_server: Compute service of hp-ms-01-c29^Coonshot1.lab.eng.rdu.redhat.com is unavailable at this time.',
            '2015-10-28 10:20:26.349 2309 WARNING nova.scheduler.utils [req-2bad4bc2-0969-4344-ace9-21d0aad10074 None] [instance: a18a5824-4215-4e24-bcfc-cb9f89f6bcbd] Setting instance to ACTIVE state.',
          ],
        },
      ],
      expect: {
        cause: 'destination-unavailable',
        details: {
          destination: 'hp-ms-01-c29^Coonshot1.lab.eng.rdu.redhat.com',
          refusedWith: 'ComputeServiceUnavailable',
          operation: 'live migration',
        },
        firstCommand: 'openstack compute service list --service nova-compute --host hp-ms-01-c29^Coonshot1.lab.eng.rdu.redhat.com',
      },
    },
    // ─── max-retries-exceeded ───
    {
      name: '2023.1: a resize whose two destinations each failed their PCI claim, the alternates spent → max-retries-exceeded, each host with its error, left ERROR',
      logs: resizeRetriesRanOut(),
      db: () => running()().migration(MIG, INST, 'cmp01', 'cmp03', 'error'),
      expect: {
        cause: 'max-retries-exceeded',
        instance: INST,
        title: /failed on every destination tried$/,
        summary: /ComputeResourcesUnavailable.*left ERROR, still on its source/,
        details: {
          source: 'cmp01',
          state: 'ERROR',
          attemptedHosts: exact([
            { host: 'cmp02', node: 'cmp02.cloud.example', cause: 'claim-failed', error: 'ComputeResourcesUnavailable' },
            { host: 'cmp03', node: 'cmp03.cloud.example', cause: 'claim-failed', error: 'ComputeResourcesUnavailable' },
          ]),
        },
        evidence: [/attempt on cmp02/, /attempt on cmp03/, /Exhausted all hosts/, /Setting instance vm_state to ERROR/],
        commands: [`openstack server set --state active ${INST}`],
      },
    },
    {
      name: 'the conductor\'s lines alone, its class in French: each host from "Error from last host", the state the conductor set',
      logs: resizeRetriesRanOut({ computes: false, wrapper: 'Nombre maximum de nouvelles tentatives dépassé. %(reason)s.' }),
      expect: {
        cause: 'max-retries-exceeded',
        details: { state: 'ACTIVE', attemptedHosts: [{ host: 'cmp02' }, { host: 'cmp03' }] },
        noCommands: [/--state active/],
        noGaps: [/errors are not in the logs read/],
      },
    },
    // ─── the scheduling causes, on the move's request ───
    {
      name: 'a cold migration refused while placement was unreachable (ConnectFailure, 2023.1)',
      logs: [
        ctl('nova-scheduler', [
          line(
            '2024-10-02 11:04:20.100',
            28,
            'ERROR',
            'nova.scheduler.client.report',
            CTX,
            'Failed to retrieve allocation candidates from placement API for filters: keystoneauth1.exceptions.connection.ConnectFailure: Unable to establish connection to http://10.0.0.10:8778/allocation_candidates',
          ),
        ]),
        ctl('nova-conductor', COLD_8.conductor),
      ],
      db: running(),
      expect: {
        cause: 'placement-unreachable',
        instance: INST,
        details: { exception: 'ConnectFailure', state: 'ACTIVE', source: 'cmp01' },
      },
    },
    {
      name: 'a resize to a flavor with a class no provider reports (VGPU)',
      logs: [
        ctl('nova-scheduler', COLD_8.scheduler),
        ctl(
          'placement-api',
          COLD_8.placement.map((l) => l.replace('VCPU%3A8', 'VCPU%3A8%2CVGPU%3A1')),
        ),
        ctl('nova-conductor', COLD_8.conductor),
      ],
      db: running(),
      expect: { cause: 'resource-class-not-offered', details: { notOffered: ['VGPU'], operation: 'migration' } },
    },
    {
      name: "a cold migration of an 8-VCPU instance where every compute's max_unit is 4",
      logs: [ctl('nova-scheduler', COLD_8.scheduler), ctl('placement-api', COLD_8.placement), ctl('nova-conductor', COLD_8.conductor)],
      db: running({ maxUnit: 4 }),
      expect: { cause: 'max-unit-exceeded', instance: INST, details: { resourceClass: 'VCPU', requestedAmount: 8, maxUnit: 4 } },
    },
    {
      name: 'a cold migration refused: the other compute is full (its VCPU used to capacity)',
      logs: [ctl('nova-scheduler', COLD_8.scheduler), ctl('placement-api', COLD_8.placement), ctl('nova-conductor', COLD_8.conductor)],
      db: () =>
        running({ vcpus: 4, maxUnit: 16 })()
          .instance('a0000000-0000-4000-8000-000000000001', 'cmp01', { vcpus: 6 })
          .allocate('a0000000-0000-4000-8000-000000000001', 1, 6, 2048, 10)
          .instance('a0000000-0000-4000-8000-000000000002', 'cmp02', { vcpus: 14 })
          .allocate('a0000000-0000-4000-8000-000000000002', 2, 14, 2048, 10),
      expect: {
        cause: 'insufficient-capacity',
        rule: 'No provider has room for the request',
        instance: INST,
        details: { state: 'ACTIVE' },
      },
    },
    {
      name: 'Queens: a cold migration the filters ended (ComputeFilter removed the only other host)',
      logs: [
        {
          host: 'controller',
          service: 'nova-scheduler',
          lines: [
            `2021-09-17 10:02:11.211 1711 INFO nova.filters [${REQ} 8668aa3368c0427c98b1d1824a36f720 f30a92c42d264a79ba5744b084346a2d - default default] Filter ComputeFilter returned 0 hosts`,
            `2021-09-17 10:02:11.212 1711 INFO nova.filters [${REQ} 8668aa3368c0427c98b1d1824a36f720 f30a92c42d264a79ba5744b084346a2d - default default] Filtering removed all hosts for the request with instance ID '${INST}'. Filter results: ['RetryFilter: (start: 1, end: 1)', 'AvailabilityZoneFilter: (start: 1, end: 1)', 'ComputeFilter: (start: 1, end: 0)']`,
          ],
        },
        {
          host: 'controller',
          service: 'nova-conductor',
          lines: [
            `2021-09-17 10:02:11.290 1802 WARNING nova.scheduler.utils [${REQ} 8668aa3368c0427c98b1d1824a36f720 f30a92c42d264a79ba5744b084346a2d - default default] Failed to compute_task_migrate_server: No valid host was found. There are not enough hosts available.`,
            `2021-09-17 10:02:11.293 1802 WARNING nova.scheduler.utils [${REQ} 8668aa3368c0427c98b1d1824a36f720 f30a92c42d264a79ba5744b084346a2d - default default] [instance: ${INST}] Setting instance to ACTIVE state.`,
          ],
        },
      ],
      expect: { cause: 'filters-rejected-all-hosts', instance: INST, details: { filter: 'ComputeFilter', state: 'ACTIVE' } },
    },
    {
      name: 'a cold migration placement had no candidate for, and no dump to say why',
      logs: [ctl('nova-scheduler', COLD_8.scheduler), ctl('placement-api', COLD_8.placement), ctl('nova-conductor', COLD_8.conductor)],
      expect: {
        cause: 'no-allocation-candidates',
        instance: INST,
        details: { placementFoundNone: ['8 VCPU'], state: 'ACTIVE' },
        gaps: [/no placement database dump/],
        firstCommand: 'openstack allocation candidate list --resource DISK_GB=40 --resource MEMORY_MB=4096 --resource VCPU=8',
      },
    },
    {
      name: 'a cold migration refused in zh_CN: the scheduler left out the source (computer), ComputeFilter removed the only other host (real lines)',
      logs: [
        { host: 'controller', service: 'nova-scheduler', lines: CSDN_SCHEDULER },
        { host: 'controller', service: 'nova-conductor', lines: CSDN_CONDUCTOR },
      ],
      expect: {
        cause: 'filters-rejected-all-hosts',
        instance: 'ac91ed2c-6c0e-4865-afcf-2b1b9fcb5485',
        details: { source: 'computer', state: 'ACTIVE', filter: 'ComputeFilter' },
        summary: /has not been heard from in a while/,
      },
    },
    {
      name: "the same cold migration with only the scheduler's log: the source left out names a move, so the refusal is a failed move, the conductor's side inferred (real lines)",
      logs: [{ host: 'controller', service: 'nova-scheduler', lines: CSDN_SCHEDULER }],
      expect: {
        cause: 'filters-rejected-all-hosts',
        instance: 'ac91ed2c-6c0e-4865-afcf-2b1b9fcb5485',
        title: /^Migration of instance ac91ed2c/,
        details: { source: 'computer', filter: 'ComputeFilter' },
        gaps: [/only the scheduler's refusal was read/],
      },
    },
    // ─── refused at the API ───
    {
      name: '2023.1: a resize the API refused (409): the instance is in vm_state error → invalid-state, the flavor asked said',
      logs: [
        apiAction({
          body: '{"resize": {"flavorRef": "m1.large"}}',
          error: `Cannot 'resize' instance ${INST} while it is in vm_state error`,
          status: 409,
        }),
      ],
      expect: {
        cause: 'invalid-state',
        instance: INST,
        title: /^Resize of instance 5f0c2a7e refused by the API: the instance is in vm_state error$/,
        details: {
          operation: 'resize',
          state: 'ERROR',
          attr: 'vm_state',
          refusedState: 'error',
          refusedAt: 'api',
          action: 'resize',
          httpStatus: 409,
          flavor: { to: 'm1.large' },
        },
        summary: /Nothing moved/,
        noGaps: [/no migrations row/],
      },
    },
    {
      name: '2023.1: a live migration to a host nova does not know (400, ComputeHostNotFound), the host from the body → destination-unavailable',
      logs: [
        apiAction({
          body: '{"os-migrateLive": {"host": "cmp09", "block_migration": "auto"}}',
          error: 'Compute host cmp09 could not be found.',
          status: 400,
        }),
      ],
      db: () => new Db().compute(1, 'cmp01', RP1).instance(INST, 'cmp01'),
      expect: {
        cause: 'destination-unavailable',
        instance: INST,
        details: {
          operation: 'live migration',
          source: 'cmp01',
          destination: 'cmp09',
          refusedWith: 'ComputeHostNotFound',
          httpStatus: 400,
        },
      },
    },
    {
      name: "a resize to the same flavor, the API's error line alone (no access line, no body): the class names the action → invalid-request",
      logs: [
        ctl('nova-api', [
          line(
            '2024-10-02 11:40:02.118',
            23,
            'INFO',
            'nova.api.openstack.wsgi',
            ACTX,
            'HTTP exception thrown: When resizing, instances must change flavor!',
          ),
        ]),
      ],
      expect: {
        cause: 'invalid-request',
        details: { operation: 'resize', refusedWith: 'CannotResizeToSameFlavor', reason: 'the new flavor is the one the instance has' },
        gaps: [/no line read names the instance/],
      },
    },
    {
      // Generated: nova/api/openstack/compute/migrate_server.py answers MigrationPreCheckError 400 with its text; forced and
      // synchronous only in microversions 2.30–2.33 (2.34 made the check asynchronous, 2.68 removed force).
      name: 'a live migration forced to an unmapped host, refused at the API (400, microversion 2.30–2.33) → host-not-mapped, the host from the text',
      logs: [
        apiAction({
          body: '{"os-migrateLive": {"host": "cmp03", "block_migration": "auto", "force": true}}',
          error: 'Migration pre-check error: Unable to determine in which cell destination host cmp03 lives.',
          status: 400,
        }),
      ],
      expect: {
        cause: 'host-not-mapped',
        instance: INST,
        details: { operation: 'live migration', destination: 'cmp03', refusedAt: 'api', httpStatus: 400 },
        firstCommand: /^nova-manage cell_v2 discover_hosts/,
      },
    },
    {
      name: 'a live migration refused at the API with the text of a pre-check (400; the API waited for the check before microversion 2.34) → precheck-failed, the check said',
      logs: [
        apiAction({
          body: '{"os-migrateLive": {"host": "cmp02", "block_migration": false, "disk_over_commit": false}}',
          error:
            'Migration pre-check error: Unable to migrate 5f0c2a7e-9b1d-4c3e-8a6f-2d4b6c8e0a13: Disk of instance is too large(available on destination host:10737418240 < need:42949672960)',
          status: 400,
        }),
      ],
      expect: {
        cause: 'precheck-failed',
        instance: INST,
        details: { operation: 'live migration', destination: 'cmp02', check: /Disk of instance is too large/ },
      },
    },
    {
      name: 'a live migration answered 400 without its error text: a refused move, why not known',
      logs: [apiAction({ body: '{"os-migrateLive": {"host": "cmp02", "block_migration": "auto"}}', status: 400 })],
      expect: {
        cause: 'unknown',
        instance: INST,
        details: { operation: 'live migration', destination: 'cmp02', httpStatus: 400 },
        gaps: [/without its error text/],
      },
    },
    {
      name: 'an unshelve the conductor found no host for: the instance stays SHELVED_OFFLOADED (2023.1)',
      logs: [
        ctl('nova-conductor', [
          line(
            '2024-10-02 12:02:41.907',
            31,
            'WARNING',
            'nova.conductor.manager',
            CTX,
            `[instance: ${INST}] No valid host found for unshelve instance`,
          ),
        ]),
      ],
      expect: {
        cause: 'unknown',
        instance: INST,
        title: /^Unshelve of instance 5f0c2a7e failed$/,
        details: { operation: 'unshelve', state: 'SHELVED_OFFLOADED', refusedWith: 'NoValidHost' },
        gaps: [/no nova-scheduler log/],
      },
    },
    {
      name: "the scheduler's refusal of a request whose RequestSpec carries _nova_check_type ['rebuild'] (generated): a rebuild's check, no build",
      logs: [ctl('nova-scheduler', REBUILD_CHECK)],
      expect: {
        cause: 'filters-rejected-all-hosts',
        instance: INST,
        details: { operation: 'rebuild (a new image checked by the scheduler)', filter: 'FailureDomainFilter' },
        gaps: [/only the scheduler's refusal was read/],
      },
    },
    // ─── live-migration-failed ───
    {
      name: "openstack-helm 2025: libvirt's TLS refused the source's certificate (real lines)",
      logs: [{ host: 'compute-a', service: 'nova-compute', lines: ATMOSPHERE }],
      expect: {
        cause: 'live-migration-failed',
        instance: '45cc9aa4-eafd-4fa4-babe-68f3d9fca7cf',
        title: /^Live migration of instance 45cc9aa4 failed in the hypervisor: authentication failed: Failed to verify peer's certificate/,
        details: { source: 'compute-a', operation: 'live migration' },
        evidence: [/Live Migration failure/, /Migration operation has aborted/],
      },
    },
    {
      // Real lines: github.com/openstack-k8s-operators/nova-operator/pull/777 (EDPM, 2024), syslog prefixes taken off.
      name: 'EDPM 2024: a paused guest gone during the move, then post-live-migration could not find it on the destination (real lines)',
      logs: [
        {
          host: 'np0004787595',
          service: 'nova-compute',
          lines: [
            '2024-07-11 22:10:59.946 2 ERROR nova.virt.libvirt.driver [None req-590602d0-1d3d-4ac9-b000-cdd98a2400b4 3de117d20e5b45c1ba86c8136c841ef3 eab438b17a2a4575a3abff1f78afc4ff - - default default] [instance: 7b7edae6-f878-4756-a858-86f836d02c33] Live Migration failure: operation failed: domain is not running: libvirt.libvirtError: operation failed: domain is not running',
            '2024-07-11 22:11:06.965 2 ERROR nova.compute.manager [None req-590602d0-1d3d-4ac9-b000-cdd98a2400b4 3de117d20e5b45c1ba86c8136c841ef3 eab438b17a2a4575a3abff1f78afc4ff - - default default] [instance: 7b7edae6-f878-4756-a858-86f836d02c33] Post live migration at destination compute-2.ci-rdo.local failed: nova.exception_Remote.InstanceNotFound_Remote: Instance 7b7edae6-f878-4756-a858-86f836d02c33 could not be found.',
          ],
        },
      ],
      expect: {
        cause: 'live-migration-failed',
        details: { source: 'np0004787595', destination: 'compute-2.ci-rdo.local', error: /^operation failed: domain is not running/ },
        commands: [has('virsh -c qemu+tls://compute-2.ci-rdo.local/system list')],
      },
    },
    {
      // Real lines: test/corpus/real/pastebin-3mxsvnrr (2018), its four records one per line.
      name: 'the migration ran past its completion timeout and nova aborted it (real lines): completion-timeout, not a libvirt fault',
      logs: [
        {
          host: 'compute-1',
          service: 'nova-compute',
          lines: [
            '2018-12-17 13:47:12.449 16987 INFO nova.virt.libvirt.driver [req-7bc758de-b2e4-461b-a971-f79be6cd4703 313d1247d7b845da9c731eec53e50a26 2f693c782fa748c2baece8db95b4ba5b - default default] [instance: ead8ecc3-f473-4672-a67b-c44534c6042d] Migration running for 2280 secs, memory 3% remaining; (bytes processed=2541888418, remaining=126791680, total=3226542080)',
            '2018-12-17 13:47:29.591 16987 WARNING nova.virt.libvirt.migration [req-7bc758de-b2e4-461b-a971-f79be6cd4703 313d1247d7b845da9c731eec53e50a26 2f693c782fa748c2baece8db95b4ba5b - default default] [instance: ead8ecc3-f473-4672-a67b-c44534c6042d] Live migration not completed after 2400 sec',
            '2018-12-17 13:47:30.097 16987 WARNING nova.virt.libvirt.driver [req-7bc758de-b2e4-461b-a971-f79be6cd4703 313d1247d7b845da9c731eec53e50a26 2f693c782fa748c2baece8db95b4ba5b - default default] [instance: ead8ecc3-f473-4672-a67b-c44534c6042d] Migration operation was cancelled',
            '2018-12-17 13:47:30.299 16987 ERROR nova.virt.libvirt.driver [req-7bc758de-b2e4-461b-a971-f79be6cd4703 313d1247d7b845da9c731eec53e50a26 2f693c782fa748c2baece8db95b4ba5b - default default] [instance: ead8ecc3-f473-4672-a67b-c44534c6042d] Live Migration failure: operation aborted: migration job: canceled by client: libvirtError: operation aborted: migration job: canceled by client',
          ],
        },
      ],
      expect: {
        cause: 'completion-timeout',
        instance: 'ead8ecc3-f473-4672-a67b-c44534c6042d',
        title: /^Live migration of instance ead8ecc3 did not complete within 2400 s$/,
        details: { source: 'compute-1', timeoutSeconds: 2400, lastProgress: /^Migration running for 2280 secs, memory 3% remaining/ },
        commands: [has('live_migration_permit_auto_converge = True'), has('live_migration_timeout_action = force_complete')],
      },
    },
    {
      // Real line: github.com/canonical/hotsos/issues/268 (2022).
      name: "the source's ssh to the destination's libvirt refused its host key (real line): the remedy retries that URI as nova",
      logs: [
        {
          host: 'compute-1',
          service: 'nova-compute',
          lines: [
            '2022-01-26 09:53:04.297 1861927 ERROR nova.virt.libvirt.driver [req-7382c229-077f-4636-a624-6b6713e97c98 - - - - -] [instance: 8267c51a-c826-4c54-b277-a0e95e6fecc1] Live Migration failure: operation failed: Failed to connect to remote libvirt URI qemu+ssh://10.226.0.59/system: Cannot recv data: Host key verification failed.: Connection reset by peer: libvirt.libvirtError: operation failed: Failed to connect to remote libvirt URI qemu+ssh://10.226.0.59/system: Cannot recv data: Host key verification failed.: Connection reset by peer',
          ],
        },
      ],
      expect: {
        cause: 'live-migration-failed',
        details: { source: 'compute-1', destination: '10.226.0.59', error: /Host key verification failed/ },
        commands: [has('sudo -u nova virsh -c qemu+ssh://10.226.0.59/system list   # from compute-1')],
      },
    },
    {
      name: "Folsom-style libvirt error naming the destination's URI: the destination is taken from it",
      logs: [
        {
          host: 'node-aio',
          service: 'nova-compute',
          lines: [
            `2013-10-31 18:12:19.004 2710 ERROR nova.virt.libvirt.driver [-] [instance: ${INST}] Live Migration failure: operation failed: Failed to connect to remote libvirt URI qemu+tcp://node-compute/system`,
          ],
        },
      ],
      expect: { cause: 'live-migration-failed', details: { destination: 'node-compute', source: 'node-aio' } },
    },
    // ─── unknown ───
    {
      name: 'a refusal whose text names no class known, no scheduler nor compute log: unknown, saying what is missing',
      logs: [
        ctl('nova-conductor', [
          line(
            '2024-10-02 11:04:20.510',
            31,
            'WARNING',
            'nova.scheduler.utils',
            CTX,
            'Failed to compute_task_migrate_server: Timed out waiting for a reply to message ID 2f1c9e0b8a7d4c3e',
          ),
          line(
            '2024-10-02 11:04:20.512',
            31,
            'WARNING',
            'nova.scheduler.utils',
            CTX,
            `[instance: ${INST}] Setting instance to ACTIVE state.`,
          ),
        ]),
      ],
      expect: {
        cause: 'unknown',
        instance: INST,
        summary: /failed; the instance was left ACTIVE, but the evidence read does not show why/,
        gaps: [/no nova-compute log/, /no migrations row/],
      },
    },
  ],
});
