import { maxUnit } from '../../src/audit/rules/max-unit.js';
import { caseTable } from '../helpers/case-table.js';
import { RP1, RP2 } from '../helpers/audit-dbs.js';
import { Db } from '../helpers/facts.js';
import { antelopeFacts, pikeFacts } from '../helpers/sample-facts.js';

/** audit max-unit: flavors no provider can ever take, whatever allocation_ratio (seed 001). */

/** A flavors row of nova_api, as the table holds it. */
const flavor = (id: number, name: string, vcpus: number, memory = 2048) => ({
  id,
  flavorid: String(id),
  name,
  vcpus,
  memory_mb: memory,
  root_gb: 20,
  ephemeral_gb: 0,
  swap: 0,
  disabled: 0,
  is_public: 1,
});

/** Two 16-VCPU computes (max_unit 16, allocation_ratio 4). */
const computes = (): Db => new Db().compute(1, 'h1', RP1).compute(2, 'h2', RP2);

caseTable(maxUnit, {
  valid: [
    {
      name: 'a flavor as large as the largest max_unit fits',
      db: () => computes().row('nova_api', 'flavors', flavor(1, 'm1.xlarge', 16, 32768)),
    },
    { name: "seed 000 (Pike sample): every flavor within some provider's max_unit", db: pikeFacts },
    { name: 'no placement tables in the dump: nothing to hold flavors against', db: () => ({ cells: [], dumps: [] }) },
  ],
  invalid: [
    {
      name: 'seed 001 (2023.1 sample): a 64 VCPU flavor exceeds every VCPU max_unit (48); allocation_ratio 4 does not lift it',
      db: antelopeFacts,
      expect: [
        {
          code: 'max-unit-too-small',
          cause: 'max-unit-exceeded',
          severity: 'error',
          subject: { flavor: 'm1.xhuge', resourceClass: 'VCPU' },
          details: { requested: 64, largestMaxUnit: 48, allocationRatio: 4 },
          explanation: /allocation_ratio 4 multiplies capacity, not max_unit/,
        },
      ],
    },
    {
      // From nova_api's flavors schema: a flavor defined but asked by no instance yet is a warning.
      name: 'a flavor of 32 VCPU no instance asked yet, against max_unit 16: a warning, with the largest max_unit named',
      db: () =>
        computes()
          .row('nova_api', 'flavors', flavor(1, 'm1.small', 1))
          .row('nova_api', 'flavors', flavor(2, 'c1.32x', 32)),
      expect: [
        {
          code: 'max-unit-too-small',
          cause: 'max-unit-exceeded',
          severity: 'warning',
          subject: { flavor: 'c1.32x', resourceClass: 'VCPU' },
          details: { requested: 32, largestMaxUnit: 16, instances: [] },
          evidence: ['flavor c1.32x asks VCPU=32', /^largest VCPU max_unit of any provider is 16 /],
          commands: ['openstack flavor show c1.32x'],
        },
      ],
    },
  ],
});
