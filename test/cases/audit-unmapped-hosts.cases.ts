import { unmappedHosts } from '../../src/audit/rules/unmapped-hosts.js';
import { HOSTS } from '../../scripts/samples/cloud-antelope.js';
import { caseTable, not } from '../helpers/case-table.js';
import { RP1, RP2, unpaired } from '../helpers/audit-dbs.js';
import { Db } from '../helpers/facts.js';
import { antelopeFacts, pikeFacts } from '../helpers/sample-facts.js';

/** audit unmapped-hosts: computes nova knows that host_mappings lacks (seed 004). */

/** h1 unmapped; its compute_nodes row flagged mapped=1 or not, at a service version (22 Pike, 40 Train). */
const unmappedH1 = (version: number, nodeMapped?: 0 | 1) => (): Db =>
  new Db().compute(1, 'h1', RP1, { mapped: false, version, ...(nodeMapped !== undefined ? { nodeMapped } : {}) });

caseTable(unmappedHosts, {
  valid: [
    { name: 'two computes, both mapped', db: () => new Db().compute(1, 'h1', RP1).compute(2, 'h2', RP2) },
    { name: 'h1 and h7 mapped, beside computes and providers that do not pair', db: unpaired },
    { name: 'seed 000 (Pike sample): every compute mapped', db: pikeFacts },
    {
      name: 'a deleted nova-compute service and compute node are no host to map',
      db: () =>
        new Db()
          .compute(1, 'h1', RP1)
          .row('nova', 'services', {
            id: 9,
            host: 'old9',
            binary: 'nova-compute',
            topic: 'compute',
            deleted: 9,
            disabled: 1,
            forced_down: 0,
          })
          .row('nova', 'compute_nodes', {
            id: 9,
            uuid: '99999999-9999-4999-8999-999999999999',
            host: 'old9',
            hypervisor_hostname: 'old9',
            deleted: 9,
          }),
    },
  ],
  invalid: [
    {
      name: 'seed 004 (2023.1 sample): cmp03 has no host mapping',
      db: antelopeFacts,
      expect: [
        {
          code: 'unmapped-host',
          cause: 'host-not-mapped',
          severity: 'error',
          subject: { host: HOSTS.cmp03 },
          firstCommand: /^nova-manage cell_v2 discover_hosts --cell_uuid [0-9a-f-]{36} --verbose$/,
        },
      ],
    },
    {
      // The fixture's compute_nodes row has no mapped column: plain discovery would find it.
      name: 'Train: an unmapped host whose compute node has no mapped flag: plain discover_hosts',
      db: unmappedH1(40),
      expect: [
        {
          code: 'unmapped-host',
          cause: 'host-not-mapped',
          firstCommand: /discover_hosts --cell_uuid cccccccc-0000-0000-0000-000000000001 --verbose$/,
        },
      ],
    },
    {
      name: 'Train: an unmapped host whose compute node is flagged mapped needs discover_hosts --by-service',
      db: unmappedH1(40, 1),
      expect: [
        {
          code: 'unmapped-host',
          cause: 'host-not-mapped',
          firstCommand: /discover_hosts --cell_uuid \S+ --by-service --verbose$/,
          // Train is known to have --by-service
          firstWhy: not(/or later/),
        },
      ],
    },
    {
      name: 'Pike has no --by-service: the mapped flag must be cleared first',
      db: unmappedH1(22, 1),
      expect: [
        {
          code: 'unmapped-host',
          cause: 'host-not-mapped',
          firstCommand: /discover_hosts --cell_uuid \S+ --verbose$/,
          firstWhy: /compute_nodes\.mapped=0/,
        },
      ],
    },
    {
      // From nova's schema (services rows): a nova-compute service that never created its compute node.
      name: 'a nova-compute service with no host mapping and no compute node yet: the services row is the evidence',
      db: () =>
        new Db().compute(1, 'h1', RP1).row('nova', 'services', {
          id: 5,
          host: 'h5',
          binary: 'nova-compute',
          topic: 'compute',
          deleted: 0,
          disabled: 0,
          forced_down: 0,
          last_seen_up: '2024-10-02 09:00:00',
        }),
      expect: [
        {
          code: 'unmapped-host',
          cause: 'host-not-mapped',
          subject: { host: 'h5' },
          details: { cellDb: 'nova' },
          evidence: [/^nova\.services: nova-compute on h5, last seen 2024-10-02 09:00:00$/, /host_mappings: no row for h5/],
        },
      ],
    },
  ],
});
