import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeInputs } from '../src/pipeline/analyze.js';
import { tmp } from './helpers/fixture-tree.js';

/**
 * A long log of a cloud in trouble fills the event store: what a detector concludes from what came
 * after (an allocation warning that stopped because the tracker's audits ran on without it) must still
 * hold when those later lines were not kept.
 */

const CONSUMER = 'b32e5792-427c-43b1-83dc-2d3e3c8d74c4';
const REQ = 'req-04b1da28-ab1b-4aac-afd1-c792d608dff0';
const complaint = (at: string): string =>
  `2024-10-02 ${at} 1590924 WARNING nova.compute.resource_tracker [None ${REQ} - - - - - -] Instance ${CONSUMER} is not being actively managed by this compute host but has allocations referencing this compute host: {'resources': {'VCPU': 12, 'MEMORY_MB': 32768, 'DISK_GB': 80}}. Skipping heal of allocation because we do not know what to do.`;
const audit = (at: string): string[] => [
  `2024-10-02 ${at}.100 1590924 DEBUG nova.compute.resource_tracker [${REQ} - - - - -] Auditing locally available compute resources for cmp01 (node: cmp01) update_available_resource /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:862`,
  `2024-10-02 ${at}.900 1590924 DEBUG nova.compute.resource_tracker [${REQ} - - - - -] Final resource view: name=cmp01 phys_ram=16008MB used_ram=512MB phys_disk=299GB used_disk=0GB total_vcpus=2 used_vcpus=0 pci_stats=[] _report_final_resource_view /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:1040`,
];
/** ERROR lines of another trouble (RabbitMQ down), enough to fill a small store. */
const rabbit = (i: number): string =>
  `2024-10-02 12:05:${String(i).padStart(2, '0')}.000 1590924 ERROR oslo.messaging._drivers.impl_rabbit [-] Connection failed: [Errno 111] ECONNREFUSED (retrying in 5.0 seconds): ConnectionRefusedError: [Errno 111] ECONNREFUSED`;

/** Two periods with the warning, then a burst of ERRORs: what every case starts with. */
const start = (): string[] => [
  ...audit('12:00:00'),
  complaint('12:00:00.500'),
  ...audit('12:01:00'),
  complaint('12:01:00.500'),
  ...Array.from({ length: 20 }, (_, i) => rabbit(i)),
];

function write(name: string, lines: string[]): string {
  const path = join(tmp(name), 'nova-compute.log');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** After the ERRORs the audits ran on (`auditsAfter`), without the warning; or the log ends. */
const log = (auditsAfter: boolean): string =>
  write('long-log', [...start(), ...(auditsAfter ? ['12:06:00', '12:07:00', '12:08:00'].flatMap(audit) : [])]);

/** The warning goes on after the ERRORs, one period after another, each with its audit: it never stopped. */
const repeatedLog = (): string =>
  write('long-log-repeated', [
    ...start(),
    ...['12:06:00', '12:07:00', '12:08:00', '12:09:00'].flatMap((at) => [...audit(at), complaint(`${at}.500`)]),
  ]);

const unmanaged = async (path: string, maxEvents?: number): Promise<string[]> =>
  (await analyzeInputs([path], { host: 'cmp01', store: maxEvents ? { maxEvents } : {} })).incidents
    .filter((i) => i.kind === 'unmanaged-allocation')
    .map((i) => i.id);

test('an allocation warning the audits ran on without is settled, whether the store kept those audits or not', async (t) => {
  // Everything kept: the three audits after the last warning settle it.
  t.deepEqual(await unmanaged(log(true)), []);
  // A store of 12 events: the warnings and the ERRORs fill it, the later audits are not kept; the store noted when they ran.
  t.deepEqual(await unmanaged(log(true), 12), []);
});

test('an allocation warning with no audit after it still stands, with a full store or not', async (t) => {
  t.is((await unmanaged(log(false))).length, 1);
  t.is((await unmanaged(log(false), 12)).length, 1);
});

test('an allocation warning repeated past the memory cap is not settled by the audits between its repeats', async (t) => {
  // Everything kept: the last warning is the last line of the kind, nothing settles it.
  t.is((await unmanaged(repeatedLog())).length, 1);
  // A store of 12 events keeps the first warnings, not their repeats after the ERRORs: the audits after the kept ones
  // ran between repeats the store only counted, and must not settle it.
  t.is((await unmanaged(repeatedLog(), 12)).length, 1);
});
