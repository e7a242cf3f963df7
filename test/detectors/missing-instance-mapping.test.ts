import test from 'ava';
import { missingInstanceMapping } from '../../src/detectors/missing-instance-mapping.js';
import { Db } from '../helpers/facts.js';
import { detect, line } from '../helpers/detect.js';

const VM = '2f565c93-6eec-4a74-b8e8-f55638b56da3';
const REQ = 'req-999c856a-e2b6-4360-9fba-3bf8db6e283f';
const CTX = `[${REQ} 8668aa3368c0427c98b1d1824a36f720 f30a92c42d264a79ba5744b084346a2d - default default]`;

function facts(mapped: boolean, deleted = 0) {
  return new Db()
    .compute(1, 'compute2', '22222222-2222-4222-8222-222222222222')
    .instance(VM, 'compute2', { __mapped: mapped ? 1 : 0, deleted, vm_state: deleted ? 'deleted' : 'active' })
    .facts();
}

test('seed 000: a running VM whose instance_mappings row was deleted answers 404', (t) => {
  const text = line(
    '2018-12-27 16:30:02.310',
    3311,
    'INFO',
    'nova.api.openstack.wsgi',
    CTX,
    `HTTP exception thrown: Instance ${VM} could not be found.`,
  );
  const [i] = detect(missingInstanceMapping, [{ host: 'controller', service: 'nova-api', text: `${text}\n` }], facts(false));
  t.is(i.cause.code, 'missing-instance-mapping');
  t.is(i.instanceUuid, VM);
  t.deepEqual(i.requestIds, [REQ]);
  t.regex(i.title, /runs on compute2 but the API answers 404/);
  t.regex(i.remediation[0].command, /^nova-manage cell_v2 map_instances --cell_uuid cccccccc-/);
});

test('the translated 404 (zh_CN) is recognised by structure', (t) => {
  const text = line(
    '2021-09-17 10:00:00.000',
    3311,
    'INFO',
    'nova.api.openstack.wsgi',
    CTX,
    `HTTP exception thrown: 云主机 ${VM} 没有找到。`,
  );
  t.is(detect(missingInstanceMapping, [{ host: 'controller', service: 'nova-api', text: `${text}\n` }], facts(false)).length, 1);
});

test('no incident when the instance is mapped or really deleted', (t) => {
  const text = line(
    '2018-12-27 16:30:02.310',
    3311,
    'INFO',
    'nova.api.openstack.wsgi',
    CTX,
    `HTTP exception thrown: Instance ${VM} could not be found.`,
  );
  t.deepEqual(detect(missingInstanceMapping, [{ host: 'controller', service: 'nova-api', text: `${text}\n` }], facts(true)), []);
  t.deepEqual(detect(missingInstanceMapping, [{ host: 'controller', service: 'nova-api', text: `${text}\n` }], facts(false, 7)), []);
});

test('InstanceNotFound met by a compute (post live migration on the destination, nova-operator#777) is no API 404', (t) => {
  const ctx =
    '[None req-590602d0-1d3d-4ac9-b000-cdd98a2400b4 3de117d20e5b45c1ba86c8136c841ef3 eab438b17a2a4575a3abff1f78afc4ff - - default default]';
  const text = line(
    '2024-07-11 22:11:06.965',
    2,
    'ERROR',
    'nova.compute.manager',
    ctx,
    `[instance: ${VM}] Post live migration at destination compute-2.ci-rdo.local failed: nova.exception_Remote.InstanceNotFound_Remote: Instance ${VM} could not be found.`,
  );
  t.deepEqual(detect(missingInstanceMapping, [{ host: 'compute-1', service: 'nova-compute', text: `${text}\n` }]), []);
  t.deepEqual(detect(missingInstanceMapping, [{ host: 'compute-1', service: 'nova-compute', text: `${text}\n` }], facts(false)), []);
  // An RPC server's traceback in a file that names no service (devstack's screen-n-cpu.txt) is not the API either.
  const rpc = line(
    '2024-07-11 22:11:06.965',
    2,
    'ERROR',
    'oslo_messaging.rpc.server',
    ctx,
    `nova.exception.InstanceNotFound: Instance ${VM} could not be found.`,
  );
  t.deepEqual(detect(missingInstanceMapping, [{ host: 'compute-1', service: 'unknown', text: `${rpc}\n` }], facts(false)), []);
});
