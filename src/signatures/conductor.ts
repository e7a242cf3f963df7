import { exceptionOfText } from '../../parsers/exception-text.js';
import type { Event } from '../model/event.js';
import type { Signature } from './signature.js';
import { noValidHostReason } from './scheduler.js';

/**
 * What the conductor and the scheduler's utilities write when an operation
 * fails to schedule (nova/conductor/manager.py, nova/scheduler/utils.py).
 */

/** Exceptions that end a build in the conductor. */
export const BUILD_EXCEPTIONS = ['NoValidHost', 'MaxRetriesExceeded', 'HostMappingNotFound', 'BuildAbortException', 'RescheduledException'];

// scheduler utils' set_vm_state_and_notify: 'Failed to %(service)s_%(method)s: %(ex)s'. The method is code, never translated;
// builds log build_instances, moves migrate_server and rebuild_server (evacuate too).
const BUILD_METHOD = /\bcompute_task_build_instances\s*[:：]\s*/;

/** The conductor's own words for its scheduling step failing (Ocata+; English from Pike, `_LE`-translated before). */
const SCHEDULING_FAILED = /^Failed to schedule instances\b/;

export const conductorScheduleFailed: Signature = {
  id: 'conductor.schedule-failed',
  description:
    "The conductor gave up on an operation: the scheduler or a compute raised one of the build-ending exceptions, or its scheduling step of a build raised anything (the scheduler's silence, MessagingTimeout, as much as its NoValidHost).",
  source:
    "nova/conductor/manager.py schedule_and_build_instances / build_instances (every release); from Ocata schedule_and_build_instances buries the instances in cell0 for any exception of its scheduling step (`except Exception: LOG.exception('Failed to schedule instances')`)",
  loggers: ['nova.conductor*'],
  levels: ['ERROR'],
  // Not `exceptions`: its own words name no class when what it met was not one of them.
  where: (e) => SCHEDULING_FAILED.test(e.message) || (!!e.exception && BUILD_EXCEPTIONS.includes(e.exception.type)),
  samples: [
    {
      line: String.raw`2018-12-27 15:05:44.860 31027 ERROR nova.conductor.manager [req-49530488-2149-4f15-85ea-5659267ffada 8668aa3368c0427c98b1d1824a36f720 f30a92c42d264a79ba5744b084346a2d - default default] Failed to schedule instances: NoValidHost_Remote: \u627e\u4e0d\u5230\u6709\u6548\u4e3b\u673a\uff0c\u539f\u56e0\u662f \u3002`,
      seen: 'seed 000 (Pike, zh_CN), nova-conductor.log',
    },
  ],
};

export const conductorHostNotMapped: Signature = {
  id: 'conductor.host-not-mapped',
  description: 'The scheduler picked a host that has no host_mappings row: the conductor buries the instance in cell0.',
  source: 'nova/conductor/manager.py schedule_and_build_instances (Pike+)',
  loggers: ['nova.conductor*'],
  levels: ['ERROR'],
  pattern: /No host-to-cell mapping found for selected host (?<host>\S+?)\.? Setup is incomplete/,
  samples: [
    {
      line: '2024-10-02 11:20:30.330 31 ERROR nova.conductor.manager [None req-f0414cef-02db-460c-ab03-47d911285ad5 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - default default] No host-to-cell mapping found for selected host cmp03.cloud.example. Setup is incomplete.',
      seen: 'generated: samples/antelope-kolla ctl01 nova-conductor.log (seed 004 situation; no public line found yet)',
      fields: { host: 'cmp03.cloud.example' },
    },
    {
      line: "2018-11-28 15:26:52.096 29009 ERROR nova.conductor.manager No host-to-cell mapping found for selected host d52-54-77-77-01-02. Setup is incomplete.: HostMappingNotFound: Host 'd52-54-77-77-01-02' is not mapped to any cell",
      seen: 'https://github.com/crowbar/crowbar-openstack/pull/1913 (2018-11-28, Rocky; the PR description quotes it hard-wrapped)',
      fields: { host: 'd52-54-77-77-01-02' },
    },
  ],
};

/** The conductor's build entry points (nova/conductor/manager.py): Ocata's schedule_and_build_instances, and build_instances. */
const CONDUCTOR_BUILD_FRAME = /nova\/conductor\/manager\.py", line \d+, in (?:schedule_and_build_instances|build_instances)\b/;
/** The compute RPC call that hands a build to the host the scheduler chose (a cast: nothing waits for the compute). */
const BUILD_CAST_FRAME = /nova\/compute\/rpcapi\.py", line \d+, in build_and_run_instance\b/;

/**
 * A traceback through one of the conductor's build entry points and then into the compute RPC API's
 * build_and_run_instance: the cast itself raised, so the build never reached the compute.
 */
function buildCastFailed(e: Pick<Event, 'message' | 'traceback'>): boolean {
  let inBuild = false;
  for (const l of [e.message, ...(e.traceback ?? [])]) {
    if (CONDUCTOR_BUILD_FRAME.test(l)) inBuild = true;
    else if (inBuild && BUILD_CAST_FRAME.test(l)) return true;
  }
  return false;
}

export const conductorBuildCastFailed: Signature = {
  id: 'conductor.build-cast-failed',
  description:
    "The conductor could not hand a build to the host it chose: the compute RPC cast build_and_run_instance raised (the cell's message bus refused it, or the compute RPC version cap), and the error went up to the RPC server. Nothing sets the instance to ERROR: it stays in BUILD (scheduling).",
  source:
    'nova/conductor/manager.py schedule_and_build_instances (Ocata+) and build_instances, into nova/compute/rpcapi.py build_and_run_instance; the RPC server logs "Exception during message handling"',
  // The RPC server's logger (oslo.messaging's, in each of its names since Grizzly's nova.openstack.common.rpc), or the
  // conductor's own: a where that reads every frame is not run on every ERROR of every logger.
  loggers: ['oslo_messaging.rpc.*', 'oslo.messaging.rpc.*', 'nova.openstack.common.rpc*', 'nova.rpc*', 'nova.conductor*'],
  levels: ['ERROR'],
  where: buildCastFailed,
  samples: [
    {
      line: '2018-01-23 06:26:18.952 7478 ERROR oslo_messaging.rpc.server [req-eb9ca3b8-58d8-4103-b8b0-d5b9a3d706b1 244f2e998d2e424d8da726ccec82588b 74ff9f41f424407d99df3e6607de120f - default default] Exception during message handling: AccessRefused: (0, 0): (403) ACCESS_REFUSED - Login was refused using authentication mechanism AMQPLAIN. For details see the broker logfile.',
      more: [
        '2018-01-23 06:26:18.952 7478 ERROR oslo_messaging.rpc.server Traceback (most recent call last):',
        '2018-01-23 06:26:18.952 7478 ERROR oslo_messaging.rpc.server File "/usr/lib/python2.7/dist-packages/nova/conductor/manager.py", line 1172, in schedule_and_build_instances',
        "2018-01-23 06:26:18.952 7478 ERROR oslo_messaging.rpc.server limits=host['limits'])",
        '2018-01-23 06:26:18.952 7478 ERROR oslo_messaging.rpc.server File "/usr/lib/python2.7/dist-packages/nova/compute/rpcapi.py", line 1124, in build_and_run_instance',
        '2018-01-23 06:26:18.952 7478 ERROR oslo_messaging.rpc.server limits=limits)',
        '2018-01-23 06:26:18.952 7478 ERROR oslo_messaging.rpc.server AccessRefused: (0, 0): (403) ACCESS_REFUSED - Login was refused using authentication mechanism AMQPLAIN. For details see the broker logfile.',
      ],
      seen: 'test/corpus/real/cnblogs-xzlive-14942406-conductor-access-refused (Pike, 16.0.3), frames between left out',
    },
  ],
};

export const schedulerUtilsInstanceError: Signature = {
  id: 'scheduler-utils.instance-error',
  description: "Scheduler utils set the instance to ERROR with the exception that ended its build (the instance's own line).",
  source: 'nova/scheduler/utils.py set_vm_state_and_notify (every release)',
  loggers: ['nova.scheduler.utils'],
  levels: ['WARNING'],
  exceptions: BUILD_EXCEPTIONS,
  where: (e) => !!e.instanceUuid,
  samples: [
    {
      line: String.raw`2018-12-27 15:05:45.403 31027 WARNING nova.scheduler.utils [req-49530488-2149-4f15-85ea-5659267ffada 8668aa3368c0427c98b1d1824a36f720 f30a92c42d264a79ba5744b084346a2d - default default] [instance: c2963f0d-370c-43aa-8cee-0131760d6ef2] Setting instance to ERROR state.: NoValidHost_Remote: \u627e\u4e0d\u5230\u6709\u6548\u4e3b\u673a\uff0c\u539f\u56e0\u662f \u3002`,
      seen: 'generated: samples/pike-rdo controller nova-conductor.log, as seed 000 describes it',
    },
  ],
};

export const schedulerUtilsExceededAttempts: Signature = {
  id: 'scheduler-utils.exceeded-attempts',
  description:
    'The retries of a build ran out (Kilo and before, the scheduler utils raise NoValidHost with this text; from Liberty, MaxRetriesExceeded, a NoValidHost subclass: nova b68c340fc1, 12.0.0).',
  source: 'nova/scheduler/utils.py populate_retry (every release with retries; its class MaxRetriesExceeded from Liberty)',
  loggers: ['nova.scheduler.utils'],
  pattern: /^Exceeded max scheduling attempts (?<attempts>\d+) for instance (?<instance>[0-9a-f-]{36})/,
  samples: [],
  unsampled: 'no public log line found yet (fault texts quote it: code-index 30081948259, 59126985641)',
};

const EXCEEDED_ATTEMPTS = /^Exceeded max scheduling attempts \d+ for instance [0-9a-f-]{36}/;

export const noValidHostExceededAttempts: Signature = {
  id: 'scheduler-utils.exceeded-attempts-reason',
  description:
    "NoValidHost whose reason is the end of a build's retries before Liberty (`Exceeded max scheduling attempts N for instance X`): every host tried failed the build. A server's fault says it so (Liberty on, MaxRetriesExceeded).",
  source:
    'nova/scheduler/utils.py populate_retry, raise exception.NoValidHost(reason=msg) (Folsom–Kilo; MaxRetriesExceeded from Liberty, nova b68c340fc1)',
  levels: ['ERROR', 'WARNING'],
  where: (e: Event) => {
    if (e.exception?.type !== 'NoValidHost') return false;
    const reason = noValidHostReason(e.exception.message || e.message);
    return !!reason && EXCEEDED_ATTEMPTS.test(reason);
  },
  samples: [
    {
      line: String.raw`"message\": \"No valid host was found. Exceeded max scheduling attempts 3 for instance 03d3c2dc-c0ab-4a30-be44-2380e088c1a5.`,
      seen: "test/corpus/real/github-cloudfoundry-attic-cf-release-issue914 (Juno, 2016): the server's fault quoted from the BOSH CPI's log, inside its escaped JSON body",
      pasted: true,
    },
  ],
};

export const schedulerUtilsBuildFailedText: Signature = {
  id: 'scheduler-utils.build-failed-text',
  description:
    'Scheduler utils log a failed build as "Failed to compute_task_build_instances: <exception text>", without the class: the class is named from nova\'s message formats in every language.',
  source: 'nova/scheduler/utils.py set_vm_state_and_notify (every release)',
  loggers: ['nova.scheduler.utils'],
  levels: ['WARNING'],
  pattern: BUILD_METHOD,
  samples: [
    {
      line: '2016-10-12 00:57:55.276 1604 WARNING nova.scheduler.utils [req-e21fdda8-7c6c-47d7-9137-0eaed3fc7c7c 5976e07fd29649a383023e80b50e1e9e 3090c353f4104643a1e4fbe8c96e23ba - - -] Failed to compute_task_build_instances: No valid host was found. There are not enough hosts available.',
      seen: 'corpus bug-report-excerpts/rcbops__rpc-openstack__pr1440.nova-conductor.log (Liberty)',
    },
  ],
};

/** The exception a "Failed to compute_task_build_instances: <text>" names, from its text alone. */
export function buildFailureClassOfText(message: string): string | undefined {
  const m = BUILD_METHOD.exec(message);
  return m ? exceptionOfText(message.slice(m.index + m[0].length))?.type : undefined;
}

export const schedulerUtilsMoveFailed: Signature = {
  id: 'scheduler-utils.move-failed',
  description:
    'A move (cold or live migration, resize, evacuation) failed to schedule: "Failed to compute_task_migrate_server / rebuild_server".',
  source: 'nova/scheduler/utils.py set_vm_state_and_notify (every release)',
  pattern: /compute_task_(?<method>migrate_server|rebuild_server)/,
  debugNeeds: ['compute_task_'],
  samples: [
    {
      line: '2015-10-20 11:51:28.083 28141 WARNING nova.scheduler.utils [req-a40a6ce0-ec37-4fae-9773-f915c79c2aab None] Failed to compute_task_migrate_server: Unable to migrate instance (456d8388-2014-4935-9af5-adeaca222a9b) to current host (hp-ms-01-c29.moonshot1.lab.eng.rdu.redhat.com).',
      seen: 'corpus os-log-merger/debug-live-migration hp-ms-01-c29 nova-conductor.log (Kilo)',
      fields: { method: 'migrate_server' },
    },
  ],
};

export const errorFromLastHost: Signature = {
  id: 'scheduler.error-from-last-host',
  description: 'A reschedule: the error of the host the build last failed on.',
  source: 'nova/scheduler/filter_scheduler.py (Havana), nova/scheduler/utils.py _log_compute_error (Icehouse+)',
  pattern: /^Error from last host: (?<host>\S+) \(node (?<node>\S+)\): (?<error>.*)$/s,
  debugNeeds: ['Error from last host: '],
  samples: [
    {
      line: '2014-04-17 14:49:56.843 966 ERROR nova.scheduler.filter_scheduler [req-8ab6878b-e9a4-4ff9-b7b1-1b113d3139dd e75374ede9834b41919d07e6a311401c e7dcfe9fe2f143d29e518e41a20553cf] [instance: 89990e3a-11fa-4c73-bb35-ce9345fbcbf2] Error from last host: littlebigguy (node littlebigguy): [u\'Traceback (most recent call last):\\n\', u\'  File "/usr/lib/python2.7/dist-packages/nova/compute/manager.py", line 1043, in _build_instance\\n    set_access_ip=set_access_ip)\\n\', u\'  File "/usr/lib/python2.7/dist-packages/nova/compute/manager.py", line 1426, in _spawn\\n    LOG.exception(_(\\\'Instance failed to spawn\\\'), instance=instance)\\n\', u\'  File "/usr/lib/python2.7/dist-packages/nova/compute/manager.py", line 1423, in _spawn\\n    block_device_info)\\n\', u\'  File "/usr/lib/python2.7/dist-packages/nova/virt/libvirt/driver.py", line 2084, in spawn\\n    admin_pass=admin_password)\\n\', u\'  File "/usr/lib/python2.7/dist-packages/nova/virt/libvirt/driver.py", line 2481, in _create_image\\n    net = netutils.get_injected_network_template(network_info)\\n\', u\'  File "/usr/lib/python2.7/dist-packages/nova/virt/netutils.py", line 74, in get_injected_network_template\\n    if not (network_info and template):\\n\', u\'  File "/usr/lib/python2.7/dist-packages/nova/network/model.py", line 379, in __len__\\n    return self._sync_wrapper(fn, *args, **kwargs)\\n\', u\'  File "/usr/lib/python2.7/dist-packages/nova/network/model.py", line 366, in _sync_wrapper\\n    self.wait()\\n\', u\'  File "/usr/lib/python2.7/dist-packages/nova/network/model.py", line 398, in wait\\n    self[:] = self._gt.wait()\\n\', u\'  File "/usr/lib/python2.7/dist-packages/eventlet/greenthread.py", line 168, in wait\\n    return self._exit_event.wait()\\n\', u\'  File "/usr/lib/python2.7/dist-packages/eventlet/event.py", line 120, in wait\\n    current.throw(*self._exc)\\n\', u\'  File "/usr/lib/python2.7/dist-packages/eventlet/greenthread.py", line 194, in main\\n    result = function(*args, **kwargs)\\n\', u\'  File "/usr/lib/python2.7/dist-packages/nova/compute/manager.py", line 1244, in _allocate_network_async\\n    dhcp_options=dhcp_options)\\n\', u\'  File "/usr/lib/python2.7/dist-packages/nova/network/api.py", line 94, in wrapped\\n    return func(self, context, *args, **kwargs)\\n\', u\'  File "/usr/lib/python2.7/dist-packages/nova/network/api.py", line 49, in wrapper\\n    res = f(self, context, *args, **kwargs)\\n\', u\'  File "/usr/lib/python2.7/dist-packages/nova/network/api.py", line 301, in allocate_for_instance\\n    nw_info = self.network_rpcapi.allocate_for_instance(context, **args)\\n\', u\'  File "/usr/lib/python2.7/dist-packages/nova/network/rpcapi.py", line 184, in allocate_for_instance\\n    macs=jsonutils.to_primitive(macs))\\n\', u\'  File "/usr/lib/python2.7/dist-packages/nova/rpcclient.py", line 85, in call\\n    return self._invoke(self.proxy.call, ctxt, method, **kwargs)\\n\', u\'  File "/usr/lib/python2.7/dist-packages/nova/rpcclient.py", line 63, in _invoke\\n    return cast_or_call(ctxt, msg, **self.kwargs)\\n\', u\'  File "/usr/lib/python2.7/dist-packages/nova/openstack/common/rpc/proxy.py", line 126, in call\\n    result = rpc.call(context, real_topic, msg, timeout)\\n\', u\'  File "/usr/lib/python2.7/dist-packages/nova/openstack/common/rpc/__init__.py", line 139, in call\\n    return _get_impl().call(CONF, context, topic, msg, timeout)\\n\', u\'  File "/usr/lib/python2.7/dist-packages/nova/openstack/common/rpc/impl_kombu.py", line 816, in call\\n    rpc_amqp.get_connection_pool(conf, Connection))\\n\', u\'  File "/usr/lib/python2.7/dist-packages/nova/openstack/common/rpc/amqp.py", line 574, in call\\n    rv = list(rv)\\n\', u\'  File "/usr/lib/python2.7/dist-packages/nova/openstack/common/rpc/amqp.py", line 539, in __iter__\\n    raise result\\n\', u\'NoMoreFloatingIps_Remote: Zero floating ips available.\\nTraceback (most recent call last):\\n\\n  File "/usr/lib/python2.7/dist-packages/nova/openstack/common/rpc/amqp.py", line 461, in _process_data\\n    **args)\\n\\n  File "/usr/lib/python2.7/dist-packages/nova/openstack/common/rpc/dispatcher.py", line 172, in dispatch\\n    result = getattr(proxyobj, method)(ctxt, **kwargs)\\n\\n  File "/usr/lib/python2.7/dist-packages/nova/network/floating_ips.py", line 122, in allocate_for_instance\\n    True)\\n\\n  File "/usr/lib/python2.7/dist-packages/nova/network/floating_ips.py", line 238, in allocate_floating_ip\\n    project_id=project_id)\\n\\n  File "/usr/lib/python2.7/dist-packages/nova/network/floating_ips.py", line 226, in allocate_floating_ip\\n    context, project_id, pool, auto_assigned=auto_assigned)\\n\\n  File "/usr/lib/python2.7/dist-packages/nova/db/api.py", line 275, in floating_ip_allocate_address\\n    auto_assigned)\\n\\n  File "/usr/lib/python2.7/dist-packages/nova/db/sqlalchemy/api.py", line 126, in wrapper\\n    return f(*args, **kwargs)\\n\\n  File "/usr/lib/python2.7/dist-packages/nova/db/sqlalchemy/api.py", line 798, in floating_ip_allocate_address\\n    raise exception.NoMoreFloatingIps()\\n\\nNoMoreFloatingIps: Zero floating ips available.\\n\\n\']',
      seen: 'corpus OpenStackForensics/nova-scheduler.log line 95 (Havana)',
      fields: { host: 'littlebigguy', node: 'littlebigguy' },
    },
  ],
};

/**
 * handle_schedule_error's own exception line (Folsom–Icehouse): it logs one for every error but NoValidHost, before
 * the WARNING that sets the instance to ERROR. Its WARNING without this line before it is NoValidHost's.
 */
export const schedulerDriverRunInstanceRaised: Signature = {
  id: 'scheduler-driver.run-instance-raised',
  description:
    "The scheduler's run_instance failed with an error other than NoValidHost (its `LOG.exception` before it set the instance to ERROR).",
  source: 'nova/scheduler/driver.py handle_schedule_error (Folsom–Icehouse): LOG.exception unless the error is NoValidHost',
  loggers: ['nova.scheduler.driver'],
  levels: ['ERROR', 'TRACE'],
  samples: [],
  unsampled:
    'no public log line found yet (nova.scheduler.driver logs no other ERROR in those releases: its other raises are live migration checks, which log nothing)',
};

/** "Choosing host WeighedHost [host: …] for instance …": the filter scheduler gave one instance of the request a host (Havana–Icehouse INFO). */
export const schedulerChoosingHost: Signature = {
  id: 'scheduler.choosing-host',
  description:
    'The filter scheduler (Havana–Icehouse) gave an instance of the request a host: the weighed host (its repr) and the instance.',
  source: 'nova/scheduler/filter_scheduler.py schedule_run_instance (Havana–Icehouse, INFO; DEBUG without the instance before)',
  loggers: ['nova.scheduler.filter_scheduler'],
  levels: ['INFO'],
  routine: true,
  // The WeighedHost repr is the structure; the words around it are translated.
  pattern: /WeighedHost \[host: (?<host>[^,\]\s]+)[^\]]*\].*?(?<instance>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/,
  samples: [
    {
      line: '2014-04-22 11:22:18.074 973 INFO nova.scheduler.filter_scheduler [req-07b76f71-00c0-481e-a738-a4728d4164e8 e75374ede9834b41919d07e6a311401c e7dcfe9fe2f143d29e518e41a20553cf] Choosing host WeighedHost [host: littlebigguy, weight: 8775.0] for instance 699ed187-e91a-4674-ad23-be4f13a84d10',
      seen: 'corpus OpenStackForensics/nova-scheduler.log (Havana, 2014): the first of four instances of a multi-create of five placed',
      fields: { host: 'littlebigguy', instance: '699ed187-e91a-4674-ad23-be4f13a84d10' },
    },
  ],
};

export const schedulerDriverInstanceError: Signature = {
  id: 'scheduler-driver.instance-error',
  description: 'Before Icehouse the scheduler itself set a build it gave up on to ERROR (nova.scheduler.driver).',
  source: 'nova/scheduler/driver.py handle_schedule_error (Grizzly–Havana)',
  loggers: ['nova.scheduler.driver'],
  levels: ['WARNING'],
  pattern: /^Setting instance to ERROR state/,
  where: (e) => !!e.instanceUuid,
  samples: [
    {
      line: '2014-04-17 14:49:56.862 966 WARNING nova.scheduler.driver [req-8ab6878b-e9a4-4ff9-b7b1-1b113d3139dd e75374ede9834b41919d07e6a311401c e7dcfe9fe2f143d29e518e41a20553cf] [instance: 89990e3a-11fa-4c73-bb35-ce9345fbcbf2] Setting instance to ERROR state.',
      seen: 'corpus OpenStackForensics/nova-scheduler.log line 96 (Havana)',
    },
  ],
};
