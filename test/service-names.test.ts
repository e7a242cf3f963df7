import test from 'ava';
import { serviceFromLogger, serviceFromName } from '../parsers/service-names.js';

test('units, identifiers and container names name the nova service they run', (t) => {
  const cases: [string, string | undefined][] = [
    // devstack's units and Zuul's screen logs
    ['devstack@n-cpu.service', 'nova-compute'],
    ['devstack@n-sch.service', 'nova-scheduler'],
    ['devstack@n-cond-cell1.service', 'nova-conductor'],
    ['devstack@n-super-cond.service', 'nova-conductor'],
    ['devstack@n-api.service', 'nova-api'],
    ['devstack@n-api-meta.service', 'nova-metadata'],
    ['devstack@n-novnc-cell1.service', 'nova-novncproxy'],
    ['devstack@placement-api.service', 'placement-api'],
    ['screen-n-cpu.txt', 'nova-compute'],
    ['screen-n-cond-cell1.txt.gz', 'nova-conductor'],
    // packages, EDPM, snaps
    ['nova-compute', 'nova-compute'],
    ['openstack-nova-compute.service', 'nova-compute'],
    ['openstack-nova-scheduler', 'nova-scheduler'],
    ['edpm_nova_compute.service', 'nova-compute'],
    ['snap.nova.compute.service', 'nova-compute'],
    ['snap.nova.conductor.service', 'nova-conductor'],
    ['snap.nova.api-metadata.service', 'nova-metadata'],
    ['snap.openstack-hypervisor.nova-compute.service', 'nova-compute'],
    ['snap.microstack.nova-scheduler.service', 'nova-scheduler'],
    // kolla and podman container names
    ['nova_compute', 'nova-compute'],
    ['nova_scheduler', 'nova-scheduler'],
    ['nova_conductor', 'nova-conductor'],
    ['nova_api', 'nova-api'],
    ['nova_metadata', 'nova-metadata'],
    ['nova_novncproxy', 'nova-novncproxy'],
    ['placement_api', 'placement-api'],
    // file names: the service named first, what follows it the topic a ticket's attachment was named for
    ['nova-placement-api.log', 'placement-api'],
    ['placement_wsgi_error.log', 'placement-api'],
    ['nova-compute-placement-400.txt', 'nova-compute'],
    ['nova-scheduler-placement-500.log', 'nova-scheduler'],
    ['apache2-nova-api.log', 'nova-api'],
    ['error_log-placement', 'placement-api'],
    // not nova's
    ['nova_libvirt', undefined],
    ['libvirtd', undefined],
    ['neutron-api', undefined],
    ['devstack@q-svc.service', undefined],
    ['sudo', undefined],
    ['kernel', undefined],
    ['systemd', undefined],
  ];
  for (const [name, svc] of cases) t.is(serviceFromName(name) as string | undefined, svc, name);
});

test('loggers name the service last', (t) => {
  t.is(serviceFromLogger('nova.compute.manager'), 'nova-compute');
  t.is(serviceFromLogger('nova.scheduler.client.report'), undefined);
  t.is(serviceFromLogger('oslo_messaging.rpc.server'), undefined);
});
