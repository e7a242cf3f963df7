import { missingInstanceMapping } from '../../src/detectors/missing-instance-mapping.js';
import { line } from '../helpers/detect.js';
import { caseTable } from '../helpers/case-table.js';
import { Db } from '../helpers/facts.js';

/**
 * missing-instance-mapping: the API answering 404 for an instance a cell holds
 * alive. Old: Pike's `[req-… user project - default default]` (seed 000);
 * new: 2023.1 contexts and the compute's InstanceNotFound, which is no API 404.
 */

const VM = '2f565c93-6eec-4a74-b8e8-f55638b56da3';
const REQ = 'req-999c856a-e2b6-4360-9fba-3bf8db6e283f';
const CTX = `[${REQ} 8668aa3368c0427c98b1d1824a36f720 f30a92c42d264a79ba5744b084346a2d - default default]`;

/** compute2's running VM, mapped or not, deleted (`deleted` non-zero) or not. */
const cell1 =
  (mapped: boolean, deleted = 0) =>
  (): Db =>
    new Db()
      .compute(1, 'compute2', '22222222-2222-4222-8222-222222222222')
      .instance(VM, 'compute2', { __mapped: mapped ? 1 : 0, deleted, vm_state: deleted ? 'deleted' : 'active' });

/** Seed 000's 404 as nova-api logs it (samples/pike-rdo; the seed quotes the client's side of it). */
const HTTP_404 = line(
  '2018-12-27 16:30:02.310',
  3311,
  'INFO',
  'nova.api.openstack.wsgi',
  CTX,
  `HTTP exception thrown: Instance ${VM} could not be found.`,
);

const POST_LIVE_CTX =
  '[None req-590602d0-1d3d-4ac9-b000-cdd98a2400b4 3de117d20e5b45c1ba86c8136c841ef3 eab438b17a2a4575a3abff1f78afc4ff - - default default]';
/** nova-operator#777's line (a real sosreport's syslog), without the syslog prefix and with this table's instance. */
const POST_LIVE = line(
  '2024-07-11 22:11:06.965',
  2,
  'ERROR',
  'nova.compute.manager',
  POST_LIVE_CTX,
  `[instance: ${VM}] Post live migration at destination compute-2.ci-rdo.local failed: nova.exception_Remote.InstanceNotFound_Remote: Instance ${VM} could not be found.`,
);

caseTable(missingInstanceMapping, {
  valid: [
    {
      name: 'a lone 404 without the databases: a client asking for a server that is gone, nothing shows it exists',
      logs: [{ host: 'controller', service: 'nova-api', lines: [HTTP_404] }],
    },
    {
      name: 'a 404, and the compute logged the instance only before it (deleted since): nothing shows it exists now',
      logs: [
        { host: 'controller', service: 'nova-api', lines: [HTTP_404] },
        {
          host: 'compute2',
          service: 'nova-compute',
          lines: [
            line(
              '2018-12-27 16:02:40.118',
              2281,
              'INFO',
              'nova.compute.manager',
              '[req-5c1d7b2a-3e4f-4a6b-9c8d-7e6f5a4b3c2d 8668aa3368c0427c98b1d1824a36f720 f30a92c42d264a79ba5744b084346a2d - default default]',
              `[instance: ${VM}] Terminating instance`,
            ),
          ],
        },
      ],
    },
    {
      name: 'seed 000: the 404 for an instance that is mapped',
      logs: [{ host: 'controller', service: 'nova-api', lines: [HTTP_404] }],
      db: cell1(true),
    },
    {
      name: 'seed 000: the 404 for an instance really deleted: the API is right',
      logs: [{ host: 'controller', service: 'nova-api', lines: [HTTP_404] }],
      db: cell1(false, 7),
    },
    {
      name: 'InstanceNotFound met by a compute after a live migration (nova-operator#777) is no API 404, without a dump',
      logs: [{ host: 'compute-1', service: 'nova-compute', lines: [POST_LIVE] }],
    },
    {
      name: 'InstanceNotFound met by a compute after a live migration, with the instance unmapped in the dump',
      logs: [{ host: 'compute-1', service: 'nova-compute', lines: [POST_LIVE] }],
      db: cell1(false),
    },
    {
      name: "an RPC server's InstanceNotFound in a file that names no service (devstack's screen-n-cpu.txt) is not the API either",
      logs: [
        {
          host: 'compute-1',
          service: 'unknown',
          lines: [
            line(
              '2024-07-11 22:11:06.965',
              2,
              'ERROR',
              'oslo_messaging.rpc.server',
              POST_LIVE_CTX,
              `nova.exception.InstanceNotFound: Instance ${VM} could not be found.`,
            ),
          ],
        },
      ],
      db: cell1(false),
    },
    {
      // Real line: corpus loghub-openstack/OpenStack_2k.log line 60 (2017), without its file-name column.
      name: 'a real 404 of the server external events API, naming no instance',
      logs: [
        {
          host: 'controller',
          service: 'nova-api',
          lines: [
            '2017-05-16 00:00:21.067 25746 INFO nova.api.openstack.wsgi [req-0b851395-2895-44b9-8265-a27d0bb52910 f7b8d1f1d4d44643b07fa10ca7d021fb e9746973ac574c6b8a9e8857f56a7608 - - -] HTTP exception thrown: No instances found for any event',
          ],
        },
      ],
      db: cell1(false),
    },
  ],
  invalid: [
    {
      name: 'seed 000 (Pike): a running VM whose instance_mappings row was deleted answers 404',
      logs: [{ host: 'controller', service: 'nova-api', lines: [HTTP_404] }],
      db: cell1(false),
      expect: {
        cause: 'missing-instance-mapping',
        instance: VM,
        requestIds: [REQ],
        title: /runs on compute2 but the API answers 404/,
        firstCommand: /^nova-manage cell_v2 map_instances --cell_uuid cccccccc-/,
      },
    },
    {
      name: 'the translated 404 (zh_CN) is recognised by structure',
      logs: [
        {
          host: 'controller',
          service: 'nova-api',
          lines: [
            line('2021-09-17 10:00:00.000', 3311, 'INFO', 'nova.api.openstack.wsgi', CTX, `HTTP exception thrown: 云主机 ${VM} 没有找到。`),
          ],
        },
      ],
      db: cell1(false),
      expect: { cause: 'missing-instance-mapping', instance: VM },
    },
    {
      // The access line of the same request, as samples/pike-rdo writes it (nova's eventlet access-line format).
      name: "seed 000: the API's access line alone, GET of the server answered 404",
      logs: [
        {
          host: 'controller',
          service: 'nova-api',
          lines: [
            line(
              '2018-12-27 16:30:02.315',
              3311,
              'INFO',
              'nova.osapi_compute.wsgi.server',
              CTX,
              `10.0.0.11 "GET /v2.1/f30a92c42d264a79ba5744b084346a2d/servers/${VM} HTTP/1.1" status: 404 len: 434 time: 0.0911230`,
            ),
          ],
        },
      ],
      db: cell1(false),
      expect: {
        cause: 'missing-instance-mapping',
        instance: VM,
        summary: /nova_api\.instance_mappings has no row for it/,
        evidence: [/status: 404/, /instance_mappings: no row for/],
      },
    },
    {
      name: '2023.1: a mapping row with cell_id NULL leaves the API as blind as none',
      logs: [
        {
          host: 'ctl01',
          service: 'nova-api',
          lines: [
            line(
              '2024-10-02 14:02:11.512',
              25,
              'INFO',
              'nova.api.openstack.wsgi',
              `[None ${REQ} 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - default default]`,
              `HTTP exception thrown: Instance ${VM} could not be found.`,
            ),
          ],
        },
      ],
      db: () => cell1(false)().row('nova_api', 'instance_mappings', { id: 77, instance_uuid: VM, cell_id: null }),
      expect: {
        cause: 'missing-instance-mapping',
        summary: /maps it to no cell \(cell_id NULL\)/,
        firstCommand: /^UPDATE nova_api\.instance_mappings SET cell_id = 2 WHERE instance_uuid = '2f565c93-/,
      },
    },
    {
      name: 'seed 000: the 404 for an instance its compute still logs, without the databases: unknown, the missing dump said',
      logs: [
        { host: 'controller', service: 'nova-api', lines: [HTTP_404] },
        {
          host: 'compute2',
          service: 'nova-compute',
          lines: [
            line('2018-12-27 16:41:13.507', 2281, 'INFO', 'nova.compute.manager', '[-]', `[instance: ${VM}] VM Resumed (Lifecycle Event)`),
          ],
        },
      ],
      expect: {
        cause: 'unknown',
        instance: VM,
        title: /^Instance \(2f565c93\) the API answers 404$/,
        details: { host: 'compute2' },
        evidence: [/logs the instance after the 404/],
        gaps: [/no database dump with nova_api and the cells/],
        firstCommand: 'nova-manage cell_v2 map_instances --cell_uuid <cell uuid>',
      },
    },
  ],
});
