import test from 'ava';
import { opensRecord, recordCut } from '../parsers/record-cut.js';

/**
 * Where a plain oslo.log may be cut for a parse worker: only before a line that opens a record for
 * certain. Lines from real logs (nova-compute of the antelope sample, hotsos's, the upstream
 * documentation's traceback); a cut before any of the others would split a record.
 */
const cases: { line: string; opens: boolean; why: string }[] = [
  {
    line: '2024-10-02 12:00:00.100 1590924 DEBUG nova.compute.resource_tracker [req-04b1da28-ab1b-4aac-afd1-c792d608dff0 - - - - -] Auditing locally available compute resources for cmp01 (node: cmp01)',
    opens: true,
    why: 'a DEBUG record',
  },
  {
    line: '2023-03-15 10:02:11.352 7 INFO nova.compute.manager [None req-8f3a2b1c-1d4e-4f5a-9b6c-7d8e9f0a1b2c - - - - - -] [instance: 6f1ae3c1-95f3-4f52-9ecc-0d6f2f1e4d5a] Took 4.12 seconds to build instance.',
    opens: true,
    why: 'an INFO record (kolla: pid 7)',
  },
  {
    line: '2024-10-02 12:00:00.500 1590924 WARNING nova.compute.resource_tracker [None req-04b1da28-ab1b-4aac-afd1-c792d608dff0 - - - - - -] Instance b32e5792-427c-43b1-83dc-2d3e3c8d74c4 is not being actively managed by this compute host but has allocations referencing this compute host',
    opens: true,
    why: 'a WARNING record',
  },
  {
    line: '2017-05-16 00:00:00.008 25746 AUDIT nova.compute.resource_tracker [-] Total usable vcpus: 2, total allocated vcpus: 0',
    opens: true,
    why: 'pre-Kilo AUDIT level',
  },
  {
    line: '2024-10-02 12:05:01.000 1590924 ERROR nova.compute.manager [instance: 6f1ae3c1-95f3-4f52-9ecc-0d6f2f1e4d5a] Traceback (most recent call last):',
    opens: false,
    why: 'ERROR lines continue an open traceback',
  },
  {
    line: '2016-10-18 10:55:23.129 19530 TRACE nova.compute.manager   File "/usr/lib/python2.7/site-packages/nova/compute/manager.py", line 1905, in _do_build_and_run_instance',
    opens: false,
    why: 'TRACE lines are a traceback',
  },
  {
    line: '  File "/usr/lib/python3/dist-packages/nova/compute/manager.py", line 2437, in _build_and_run_instance',
    opens: false,
    why: 'a continuation line',
  },
  {
    line: 'Oct  2 12:00:00 cmp01 nova-compute[1590924]: 2024-10-02 12:00:00.100 1590924 INFO nova.compute.manager [-] x',
    opens: false,
    why: 'a syslog prefix (such files are never cut)',
  },
  { line: '2024-10-02T12:00:00.100+00:00 cmp01 nova-compute[1]: INFO x', opens: false, why: 'not the oslo.log header' },
  {
    line: '2024-10-02 12:00:00 1590924 INFO nova.compute.manager [-] no fraction',
    opens: false,
    why: 'a header the fast scan does not read',
  },
  { line: '2024-10-02 12:00:00.100 1590924 INFO [nova.compute.manager] x', opens: false, why: 'no logger name' },
];

for (const c of cases)
  test(`opensRecord: ${c.why}`, (t) => {
    const b = Buffer.from(`${c.line}\n`);
    t.is(opensRecord(b, 0), c.opens);
  });

test('recordCut: the first opening line at or after the offset, never inside a traceback', (t) => {
  const lines = [cases[0].line, cases[4].line, cases[6].line, cases[5].line, cases[1].line, cases[2].line];
  const b = Buffer.from(`${lines.join('\n')}\n`);
  const starts = lines.map((_, i) =>
    Buffer.byteLength(
      lines
        .slice(0, i)
        .map((l) => `${l}\n`)
        .join(''),
    ),
  );
  t.is(recordCut(b, 0), 0);
  // From inside the first line: the traceback's lines are passed over, the INFO line is the next cut.
  t.is(recordCut(b, 1), starts[4]);
  t.is(recordCut(b, starts[4]), starts[4]);
  t.is(recordCut(b, starts[4] + 1), starts[5]);
  t.is(recordCut(b, starts[5] + 1), -1);
  // A header cut off by the end of the bytes is not a place to cut.
  t.is(recordCut(b.subarray(0, starts[5] + 20), starts[4] + 1), -1);
});
