import { computeProviders } from '../../src/audit/rules/compute-providers.js';
import { caseTable } from '../helpers/case-table.js';
import { cell2NotDumped, everyCellDumped, RP1, RP2, unpaired } from '../helpers/audit-dbs.js';
import { Db } from '../helpers/facts.js';
import { antelopeFacts, pikeFacts } from '../helpers/sample-facts.js';

/** audit compute-providers: compute nodes and resource providers that do not pair up by uuid. */

caseTable(computeProviders, {
  valid: [
    { name: 'each compute node with its provider', db: () => new Db().compute(1, 'h1', RP1).compute(2, 'h2', RP2) },
    { name: 'a provider no dumped cell backs while a mapped cell is not dumped: h9 may be a compute of cell2', db: cell2NotDumped },
    { name: 'seed 000 (Pike sample): placement in nova_api, every compute paired', db: pikeFacts },
    { name: 'seeds 001–004 (2023.1 sample): every compute paired', db: antelopeFacts },
  ],
  invalid: [
    {
      name: 'a compute node without provider (h7), and a provider without compute node holding nothing (info)',
      db: unpaired,
      expect: [
        {
          code: 'compute-node-without-provider',
          cause: 'provider-missing',
          severity: 'warning',
          subject: { host: 'h7', providerUuid: '77777777-7777-4777-8777-777777777777' },
          firstCommand: /^systemctl restart nova-compute {3}# on h7/,
        },
        {
          code: 'provider-without-compute-node',
          cause: 'stale-provider',
          severity: 'info',
          subject: { providerUuid: '99999999-9999-4999-8999-999999999999' },
          firstCommand: 'openstack resource provider delete 99999999-9999-4999-8999-999999999999',
        },
      ],
    },
    {
      name: 'every cell dumped: the provider no compute node backs is stale; holding nothing, it is info and may go',
      db: everyCellDumped,
      expect: [
        {
          code: 'provider-without-compute-node',
          cause: 'stale-provider',
          severity: 'info',
          subject: { providerUuid: '99999999-9999-4999-8999-999999999999', host: 'h9' },
          firstCommand: 'openstack resource provider delete 99999999-9999-4999-8999-999999999999',
        },
      ],
    },
    {
      name: 'a stale provider that still holds an allocation: a warning, and its allocations are looked at before anything is removed',
      db: () => everyCellDumped().allocate('d0000000-0000-4000-8000-000000000002', 9),
      expect: [
        {
          code: 'provider-without-compute-node',
          cause: 'stale-provider',
          severity: 'warning',
          subject: { providerUuid: '99999999-9999-4999-8999-999999999999', host: 'h9' },
          evidence: [/^placement\.resource_providers: h9 uuid 99999999-9999-4999-8999-999999999999, 1 consumer\(s\) allocated$/],
          firstCommand: 'openstack resource provider show --allocations 99999999-9999-4999-8999-999999999999',
          noCommands: [/resource provider delete/],
        },
      ],
    },
  ],
});
