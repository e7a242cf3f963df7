import { providerCapacity } from '../../src/audit/rules/provider-capacity.js';
import { PIKE } from '../../scripts/samples/cloud-pike.js';
import { caseTable } from '../helpers/case-table.js';
import { RP1, RP2 } from '../helpers/audit-dbs.js';
import { Db } from '../helpers/facts.js';
import { antelopeFacts, pikeFacts } from '../helpers/sample-facts.js';

/** audit provider-capacity: providers over capacity, or nearly full, with the orphaned share (seed 000). */

const A = 'a0000000-0000-4000-8000-00000000000a';
const B = 'a0000000-0000-4000-8000-00000000000b';

caseTable(providerCapacity, {
  valid: [
    {
      name: 'two providers with room: no finding',
      db: () => new Db().compute(1, 'h1', RP1).compute(2, 'h2', RP2).instance(A, 'h1').allocate(A, 1).instance(B, 'h2').allocate(B, 2),
    },
    { name: 'seeds 001–004 (2023.1 sample): every provider has room', db: antelopeFacts },
    { name: 'no placement tables in the dump', db: () => ({ cells: [], dumps: [] }) },
  ],
  invalid: [
    {
      name: 'seed 000 (Pike sample): compute1 MEMORY_MB 11426 used of (7841 - 512) × 1.5, with the orphan share named; compute2 fits',
      db: pikeFacts,
      expect: [
        {
          code: 'provider-over-capacity',
          cause: 'insufficient-capacity',
          where: { subject: { providerUuid: PIKE.rp.compute1, resourceClass: 'MEMORY_MB' } },
          severity: 'error',
          details: {
            total: 7841,
            reserved: 512,
            allocationRatio: 1.5,
            capacity: 10993.5,
            used: 11426,
            headroom: -432.5,
            orphanUsed: 4096,
            doubledUsed: 1024,
          },
          explanation: /11426 of capacity 10993\.5/,
        },
      ],
      // compute2 still fits its smallest flavor
      none: [{ subject: { providerUuid: PIKE.rp.compute2 } }],
    },
    {
      name: 'over, nearly full and comfortable: only h1, nearly full (info); h2 is comfortable',
      db: () =>
        new Db()
          .compute(1, 'h1', RP1, { memory: 4096 })
          .compute(2, 'h2', RP2, { memory: 65536 })
          .instance(A, 'h1', { memory_mb: 4000 })
          .allocate(A, 1, 1, 4000)
          .instance(B, 'h2')
          .allocate(B, 2),
      expect: [
        {
          code: 'provider-over-capacity',
          cause: 'insufficient-capacity',
          severity: 'info',
          subject: { resourceClass: 'MEMORY_MB', providerUuid: RP1 },
          explanation: /^h1 is nearly full: MEMORY_MB used 4000 of capacity 4096/,
          firstCommand: `openstack resource provider usage show ${RP1}`,
        },
      ],
    },
    {
      // Seed 000's situation on a hand-made database: a live VM and an orphan (no instances row) past capacity; Ussuri services (placement audit is Ussuri+).
      name: 'over capacity because of an orphaned allocation: the orphan share, and placement audit to win it back',
      db: () =>
        new Db()
          .compute(1, 'h1', RP1, { memory: 4096, version: 51 })
          .instance(A, 'h1', { memory_mb: 3072 })
          .allocate(A, 1, 1, 3072)
          .allocate('0b6377f0-5b0c-4273-a24a-921f793b3004', 1, 1, 2048),
      expect: [
        {
          code: 'provider-over-capacity',
          cause: 'insufficient-capacity',
          severity: 'error',
          subject: { resourceClass: 'MEMORY_MB', providerUuid: RP1 },
          details: { used: 5120, capacity: 4096, headroom: -1024, orphanUsed: 2048, doubledUsed: 0 },
          explanation: /without them the headroom would be 1024/,
          commands: [
            `openstack resource provider show --allocations ${RP1}`,
            `nova-manage placement audit --resource_provider ${RP1} --verbose`,
          ],
        },
      ],
    },
  ],
});
