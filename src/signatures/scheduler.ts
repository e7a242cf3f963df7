import type { Event } from '../model/event.js';
import { exceptionOfText } from '../../parsers/exception-text.js';
import type { Signature } from './signature.js';

/** The scheduler's decisions (nova/scheduler/manager.py, nova/filters.py). */

export const filtersRemovedAllHosts: Signature = {
  id: 'filters.removed-all-hosts',
  description: 'The filters removed every host for a request, with what each filter left.',
  source: 'nova/filters.py get_filtered_objects (Liberty+)',
  // '': the message pasted alone (no logger), which only this template's structure makes nova's
  // (parsers/paste/messages.ts; real: test/corpus/real/github-vexxhost-magnum-cluster-api-issue467).
  loggers: ['nova.filters', ''],
  pattern: /^Filtering removed all hosts for the request with instance ID '(?<instance>[0-9a-f-]{36})'\. Filter results: (?<results>.*)$/,
  samples: [
    {
      line: "2018-08-09 09:19:08.041 7 DEBUG nova.filters [req-0af99b3d-73da-495c-8426-2f918439c4de c8b1a4b90b9b4975ab5727d405f22cce f09a20ae5267476f9f62e7e9e83b3c55 - - -] Filtering removed all hosts for the request with instance ID '323dcae3-e3f0-4c19-a4ab-5413d9dfd304'. Filter results: [('AvailabilityZoneFilter', None)] get_filtered_objects /usr/lib/python2.7/site-packages/nova/filters.py:129",
      seen: 'corpus bug-report-excerpts/todaygood__openstack-solution__issue23.nova-scheduler-grep.log line 2 (kolla, 2018; without its grep -n prefix)',
      fields: { instance: '323dcae3-e3f0-4c19-a4ab-5413d9dfd304', results: "[('AvailabilityZoneFilter', None)]" },
    },
  ],
};

export const filterReturnedZero: Signature = {
  id: 'filters.returned-zero',
  description: 'One filter left no host.',
  source: 'nova/filters.py get_filtered_objects (every release)',
  loggers: ['nova.filters'],
  pattern: /^Filter (?<filter>\w+) returned 0 hosts/,
  samples: [
    {
      line: '2015-03-20 13:29:27.854 INFO nova.filters [req-6e082969-fa5e-40da-81ea-1dbb4c7b6130 admin admin] Filter RetryFilter returned 0 hosts',
      seen: 'test/corpus/real/github-cloudbytestorage-openstack-faq-high-flavor (Kilo devstack, 2015; Apache-2.0): the retry of a build its only host had failed',
      fields: { filter: 'RetryFilter' },
    },
  ],
};

export const filtersStartedEmpty: Signature = {
  id: 'filters.started-empty',
  description: "No host reached the filters: they started with 0 hosts (placement's candidates or the loaded cells gave none).",
  source: 'nova/filters.py get_filtered_objects (every release)',
  loggers: ['nova.filters'],
  pattern: /^Starting with 0 host\(s\)/,
  samples: [
    {
      line: '2018-08-09 09:19:08.040 7 DEBUG nova.filters [req-0af99b3d-73da-495c-8426-2f918439c4de c8b1a4b90b9b4975ab5727d405f22cce f09a20ae5267476f9f62e7e9e83b3c55 - - -] Starting with 0 host(s) get_filtered_objects /usr/lib/python2.7/site-packages/nova/filters.py:70',
      seen: 'corpus bug-report-excerpts/todaygood__openstack-solution__issue23.nova-scheduler-grep.log line 1 (without its grep -n prefix)',
    },
  ],
};

export const schedulerNoCandidates: Signature = {
  id: 'scheduler.no-candidates',
  description: 'Placement returned no allocation candidate for the request: the scheduler raises NoValidHost.',
  source: 'nova/scheduler/manager.py select_destinations (Pike+)',
  loggers: ['nova.scheduler*'],
  pattern: /^Got no allocation candidates from the Placement API/,
  samples: [
    {
      line: '2021-07-30 14:46:16.665 175316 INFO nova.scheduler.manager [None req-cb66e713-19a8-45d2-b107-dd31569f4653 b5957a478f0d4c328ef10cee0210a948 0fe34a6944b4416195ff5176f681c34f - default default] Got no allocation candidates from the Placement API. This could be due to insufficient resources or a temporary occurrence as compute nodes start up.',
      seen: 'seed 001 (Train), nova-scheduler.log, without its grep -n prefix',
    },
  ],
};

/** The event's message or traceback quotes `raise exception.NoValidHost(reason="")` under the frame `frame` matches. */
function quotesEmptyReasonRaise(frame: RegExp): (e: Event) => boolean {
  return (e) => {
    if (!e.traceback && !e.message.includes('NoValidHost(reason=""')) return false;
    const text = e.traceback ? `${e.message}\n${e.traceback.join('\n')}` : e.message;
    return text.includes('NoValidHost(reason=""') && frame.test(text);
  };
}

/**
 * The scheduler's raise on the no-candidates path, as a traceback quotes it: `nova/scheduler/manager.py` in
 * `select_destinations`, `raise exception.NoValidHost(reason="")`. From Pike (16.0.0) to master it is the only
 * NoValidHost that file raises with an empty reason, right after "Got no allocation candidates" (at DEBUG until
 * Rocky, so often not logged); the same branch is taken when placement could not be reached (the report client's
 * safe_connect returned nothing, and says so in its own WARNING). Before Pike the scheduler manager raised none.
 */
const NO_CANDIDATES_RAISE = /nova\/scheduler\/manager\.py", line \d+, in select_destinations\s+raise exception\.NoValidHost\(reason=""\)/;

export const schedulerNoCandidatesRaised: Signature = {
  id: 'scheduler.no-candidates-raised',
  description:
    "A traceback of the request shows the scheduler's raise on placement's empty answer (select_destinations' NoValidHost with an empty reason), where its own line was not logged or not read.",
  source: 'nova/scheduler/manager.py select_destinations, raise exception.NoValidHost(reason="") (Pike+)',
  levels: ['ERROR', 'WARNING', 'TRACE'],
  where: quotesEmptyReasonRaise(NO_CANDIDATES_RAISE),
  samples: [
    {
      line: '2018-12-27 15:05:45.402 31027 WARNING nova.scheduler.utils [req-49530488-2149-4f15-85ea-5659267ffada 8668aa3368c0427c98b1d1824a36f720 f30a92c42d264a79ba5744b084346a2d - default default] Failed to compute_task_build_instances: 找不到有效主机,原因是 。 Traceback (most recent call last): File "/usr/lib/python2.7/site-packages/oslo_messaging/rpc/server.py", line 232, in inner return func(*args, **kwargs) File "/usr/lib/python2.7/site-packages/nova/scheduler/manager.py", line 138, in select_destinations raise exception.NoValidHost(reason="") NoValidHost: \\u627e\\u4e0d\\u5230\\u6709\\u6548\\u4e3b\\u673a\\uff0c\\u539f\\u56e0\\u662f \\u3002 : NoValidHost_Remote: \\u627e\\u4e0d\\u5230\\u6709\\u6548\\u4e3b\\u673a\\uff0c\\u539f\\u56e0\\u662f \\u3002 Traceback (most recent call last): File "/usr/lib/python2.7/site-packages/oslo_messaging/rpc/server.py", line 232, in inner return func(*args, **kwargs) File "/usr/lib/python2.7/site-packages/nova/scheduler/manager.py", line 138, in select_destinations raise exception.NoValidHost(reason="") NoValidHost: \\u627e\\u4e0d\\u5230\\u6709\\u6548\\u4e3b\\u673a\\uff0c\\u539f\\u56e0\\u662f \\u3002',
      seen: 'seed 000 (Pike, 2018-12-27), nova-conductor.log: the blog joined the traceback into the line, its zh_CN message \\u-escaped',
    },
  ],
};

/** NoValidHost's reason in a text of its message format, in any language nova shipped (parsers/exception-text.ts). */
export function noValidHostReason(text: string): string | undefined {
  return exceptionOfText(text, ['NoValidHost'])?.fields.reason;
}

/**
 * Python 3 names a remote exception with its module (`nova.exception_Remote.NoValidHost_Remote`: oslo.messaging
 * rebuilds the scheduler's exception in the conductor under those names; python 2 printed the class alone). Python 3
 * means Rocky or later, when the scheduler raised NoValidHost with an empty reason only on placement's empty answer
 * (or on none at all, placement unreachable): Liberty to Ocata always gave one ("There are not enough hosts
 * available."), and the filter scheduler's empty reason (Juno and before) ran on python 2 only. The reason is read by
 * the class's message format in any language nova shipped (parsers/exception-text.ts), not by its English.
 */
const PY3_REMOTE_NO_VALID_HOST = /\bnova\.exception_Remote\.NoValidHost_Remote: ([^\n]*)/;

export const schedulerNoCandidatesRemote: Signature = {
  id: 'scheduler.no-candidates-remote',
  description:
    "The scheduler's NoValidHost as the conductor logs it, named as python 3 names a remote exception, with an empty reason: placement returned no candidate (or could not be reached).",
  source:
    'nova/scheduler/manager.py select_destinations, raise exception.NoValidHost(reason="") (Pike+); oslo.messaging deserialize_remote_exception (`<module>_Remote.<Class>_Remote`), printed so by python 3',
  levels: ['ERROR', 'WARNING'],
  where: (e: Event) => {
    if (!e.message.includes('exception_Remote.NoValidHost_Remote')) return false;
    const m = PY3_REMOTE_NO_VALID_HOST.exec(e.message);
    return !!m && noValidHostReason(m[1]) === '';
  },
  samples: [
    {
      line: 'Jul 16 10:57:31.057075 fv-az651-701 nova-conductor[66427]: WARNING nova.scheduler.utils [None req-477fd7ce-fca4-42de-b32b-186565dad555 admin admin] [instance: 14bfa6cb-85a6-4d5c-b98d-0f5f08365ca2] Setting instance to ERROR state.: nova.exception_Remote.NoValidHost_Remote: No valid host was found.',
      seen: "test/corpus/real/github-gophercloud-gophercloud-pr3102 (devstack's journal in gophercloud's CI, 2024)",
    },
  ],
};

/**
 * Before placement (Folsom to Juno) the filter scheduler raised NoValidHost with an empty reason when its filters
 * and weighers left fewer hosts than instances (`weighed_hosts.pop(0)` on an empty list in schedule_run_instance,
 * or too few selected in select_destinations): a traceback quoting that raise says the filters removed every host.
 */
const FILTERS_NONE_RAISE = /nova\/scheduler\/filter_scheduler\.py", line \d+, in \w+\s+raise exception\.NoValidHost\(reason=""\)/;

export const schedulerFiltersNoneRaised: Signature = {
  id: 'scheduler.filters-none-raised',
  description:
    "A traceback (or a fault's details) shows the pre-placement filter scheduler's raise with an empty reason: its filters left no host (Folsom–Juno).",
  source:
    'nova/scheduler/filter_scheduler.py schedule_run_instance / select_destinations, raise exception.NoValidHost(reason="") (2012.1–2014.2)',
  levels: ['ERROR', 'WARNING', 'TRACE'],
  where: quotesEmptyReasonRaise(FILTERS_NONE_RAISE),
  samples: [
    {
      line: 'No valid host was found.',
      more: [
        'Code',
        '500',
        'Details',
        'File "/usr/lib/python2.7/site-packages/nova/scheduler/filter_scheduler.py", line 108, in schedule_run_instance raise exception.NoValidHost(reason="")',
      ],
      seen: "test/corpus/real/pastebin-47t17bci-horizon-fault-icehouse (Icehouse, RDO): Horizon's fault block, its Message heading and Created left out",
      pasted: true,
    },
  ],
};

/** Pike's release: from then on the scheduler manager raised NoValidHost with an empty reason on placement's empty answer. */
const PIKE_RELEASED = '2017-08-30';

/**
 * A server's fault, read alone (pasted from `nova show`, the API, a client), of NoValidHost with an empty reason,
 * created before Pike. Two schedulers raised NoValidHost with an empty reason: the filter scheduler before placement
 * (Folsom–Juno), when its filters and weighers left fewer hosts than instances, and from Pike on the scheduler
 * manager on placement's empty answer; Liberty to Ocata always gave one ("There are not enough hosts available.").
 * A fault created before Pike was released is the former's. The reason is read by the class's message format in any
 * language nova shipped (parsers/exception-text.ts).
 */
export const schedulerPrePlacementEmptyReason: Signature = {
  id: 'scheduler.pre-placement-empty-reason',
  description:
    "A server's fault of NoValidHost with an empty reason, created before Pike: the pre-placement filter scheduler's, whose filters left no host (Folsom–Juno).",
  source:
    'nova/scheduler/filter_scheduler.py select_destinations, raise exception.NoValidHost(reason="") (2012.1–2014.2); nova/scheduler/manager.py, the same raise on no allocation candidates (16.0.0, 2017-08-30, on)',
  levels: ['ERROR'],
  where: (e: Event) => {
    const f = e.pasted?.fault;
    if (!f?.created || !(f.created < PIKE_RELEASED) || e.exception?.type !== 'NoValidHost') return false;
    return noValidHostReason(f.message) === '';
  },
  samples: [
    {
      line: '{"message": "No valid host was found. ", "code": 500, "created": "2015-03-14T20:34:25Z"} |',
      seen: "test/corpus/real/github-rcarratalasanchez-deploystack-novalidhost-juno (Juno, 2015): nova show's fault cell, commented out in a README (its `# ` off, as the paste reader gives it)",
      pasted: true,
    },
  ],
};

export const schedulerStartingToSchedule: Signature = {
  id: 'scheduler.starting-to-schedule',
  description: 'The instances a scheduling request is for.',
  source: 'nova/scheduler/manager.py select_destinations (Pike+)',
  routine: true,
  loggers: ['nova.scheduler*'],
  pattern: /^Starting to schedule for instances: \[(?<instances>.*)\]/,
  samples: [
    {
      line: "2018-12-27 15:05:44.502 30988 DEBUG nova.scheduler.manager [req-49530488-2149-4f15-85ea-5659267ffada 8668aa3368c0427c98b1d1824a36f720 f30a92c42d264a79ba5744b084346a2d - default default] Starting to schedule for instances: [u'c2963f0d-370c-43aa-8cee-0131760d6ef2'] select_destinations /usr/lib/python2.7/site-packages/nova/scheduler/manager.py:110",
      seen: 'generated: samples/pike-rdo controller nova-scheduler.log (the seed 000 build)',
      fields: { instances: "u'c2963f0d-370c-43aa-8cee-0131760d6ef2'" },
    },
  ],
};

export const schedulerNotEnoughHosts: Signature = {
  id: 'scheduler.not-enough-hosts',
  description:
    "The scheduler ended the request: its filters left fewer hosts than instances asked (0 for 1 as much as 1 for a multi-create of 2), and it raises NoValidHost 'There are not enough hosts available.'",
  source:
    'nova/scheduler/filter_scheduler.py select_destinations (Kilo–Pike, DEBUG), _ensure_sufficient_hosts (Queens+; nova/scheduler/manager.py from Yoga)',
  loggers: ['nova.scheduler*'],
  pattern: /^There are (?<hosts>\d+) hosts available but (?<requested>\d+) instances requested to build/,
  samples: [],
  unsampled:
    "no public line with its head found yet: test/corpus/real/github-eumel8-blog-2015-12-20-xencenter-devstack (Mitaka devstack) quotes one whose time, level and logger the author cut ('There are 0 hosts available but 1 instances requested to build. from (pid=10174) select_destinations …/filter_scheduler.py:78')",
};

export const schedulerIgnoringHosts: Signature = {
  id: 'scheduler.ignoring-hosts',
  description:
    "The scheduler left hosts out of a request (ignore_hosts): a move leaves out the host the instance runs on, so this names a move's source.",
  source: 'nova/scheduler/host_manager.py _strip_ignore_hosts (AUDIT before Kilo, INFO after)',
  loggers: ['nova.scheduler.host_manager'],
  levels: ['INFO', 'AUDIT', 'DEBUG'],
  pattern: /^Host filter ignoring hosts: (?<hosts>.+)$/,
  samples: [
    {
      line: '2021-09-24 15:23:33.148 2692 INFO nova.scheduler.host_manager [req-1b899c05-41da-4e75-b808-514d351dbc79 9942eb4321644336a0c7383d9f1c2bed a7d812868cb74f1a978035530f55f1d0 - default default] Host filter ignoring hosts: computer',
      seen: "an operator's 2021 write-up of a refused cold migration (zh_CN, Queens-era), search index id 44680043549 (the index gives no URL)",
      fields: { hosts: 'computer' },
    },
  ],
};

/**
 * The `_nova_check_type` scheduler hint a line of the request prints (a RequestSpec's repr at DEBUG): nova sets it
 * for what is no build (`rebuild`, a rebuild with a new image).
 */
export function checkTypeOf(e: Event): string | undefined {
  if (!e.message.includes('_nova_check_type')) return undefined;
  return /_nova_check_type['"]?\s*[:=]\s*\[?\s*u?['"]?(\w+)/.exec(e.message)?.[1] ?? 'unknown';
}
