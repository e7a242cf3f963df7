import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FocusGate, type FocusNeedles, needlesOn } from '../src/pipeline/focus-gate.js';
import { SAMPLES } from './helpers/cli.js';

/**
 * The focus gate (src/pipeline/focus-gate.ts) on a real-shaped compute log, fed in chunks of 1 byte to 64 KiB: the
 * lines read are those naming a needle and the lines after them that open no record (a multi-line message), in
 * order and whole; every other line is passed over and counted, so that read and passed add up to the file.
 */

const LOG = readFileSync(
  join(SAMPLES, 'antelope-kolla', 'sosreport-cmp02-2024-10-02-tnfoubc', 'var', 'log', 'kolla', 'nova', 'nova-compute.log'),
);

/**
 * What the gate should read, line by line, told the slow way: a line naming a needle, and the lines after it that go
 * on with its record (opening none, or starting with its date, time, process, level and logger: its traceback's).
 */
function expected(text: string, needles: FocusNeedles): string {
  const lines = text.split(/(?<=\n)/);
  let kept = true;
  let head: string | undefined;
  let out = '';
  let first = true;
  for (const l of lines) {
    const opens = /^\d{4}-/.test(l);
    const hit = needles.uuids.some((u) => l.includes(u)) || [...needles.requests].some((r) => l.includes(r));
    const goesOn = !opens || (head !== undefined && l.startsWith(head) && /^[ \r\n]/.test(l.slice(head.length)));
    const read: boolean = first || hit || (goesOn && kept);
    // The first line is the reader's own (read before the gate judges): it counts as read.
    first = false;
    if (hit && opens) head = /^(?:\S+ ){4}\S+(?= )/.exec(l)?.[0];
    if (read) out += l;
    kept = read;
  }
  return out;
}

function gated(buf: Buffer, needles: FocusNeedles, size: number): { read: string; passedLines: number; passedBytes: number } {
  const read: Buffer[] = [];
  let passedLines = 0;
  let passedBytes = 0;
  const gate = new FocusGate(needles, {
    read: (b) => read.push(Buffer.from(b)),
    passed: (bytes, lines) => {
      passedBytes += bytes;
      passedLines += lines;
    },
    opened: () => {},
  });
  for (let i = 0; i < buf.length; i += size) gate.push(buf.subarray(i, i + size));
  gate.end();
  return { read: Buffer.concat(read).toString('utf8'), passedLines, passedBytes };
}

const CASES: { name: string; needles: FocusNeedles }[] = [
  {
    name: "an instance's uuid and its build's request",
    needles: { uuids: ['a9fabbe5-4f7f-4059-a2ca-634d3287f151'], requests: new Set(['req-190080d4-5fbe-4059-8a57-beda31a65c10']) },
  },
  {
    // The CPU check's request: its error line is followed by libvirt's multi-line text ('0', a blank, 'Refer to …').
    name: 'a request whose message goes on over lines that open no record, one of them a digit',
    needles: { uuids: [], requests: new Set(['req-ef473b6c-43d7-42e9-8c06-8127842c2d3c']) },
  },
  { name: 'a uuid nothing names', needles: { uuids: ['00000000-0000-4000-8000-000000000000'], requests: new Set() } },
];

for (const c of CASES)
  test(`focus gate: ${c.name}: the same lines read, whatever the chunks, and the rest counted`, (t) => {
    const want = expected(LOG.toString('utf8'), c.needles);
    const totalLines = LOG.toString('utf8').split('\n').length - 1;
    for (const size of [1, 7, 64, 1000, 4096, 65536]) {
      const g = gated(LOG, c.needles, size);
      t.is(g.read, want, `chunks of ${size}`);
      t.is(g.read.length + g.passedBytes, LOG.length, `chunks of ${size}: every byte read or passed over`);
      t.is(g.read.split('\n').length - 1 + g.passedLines, totalLines, `chunks of ${size}: every line counted once`);
    }
  });

test('focus gate: the multi-line message after a line read goes with it, the digit-led "0" line included', (t) => {
  const g = gated(LOG, CASES[1].needles, 4096);
  t.regex(g.read, /CPU doesn't have compatibility\.\n\n0\n\nRefer to http:\/\/libvirt\.org/);
  t.false(g.read.includes('Final resource view'));
});

test("focus gate: a traceback's lines, which oslo.log writes with the record's time, process and logger but no request, go with it", (t) => {
  // The destination's RPC server logs the CPU check's failure under its request, its traceback without it.
  const g = gated(LOG, CASES[1].needles, 4096);
  t.regex(g.read, /ERROR oslo_messaging\.rpc\.server nova\.exception\.InvalidCPUInfo: Unacceptable CPU info/);
  t.regex(g.read, /ERROR oslo_messaging\.rpc\.server Traceback \(most recent call last\):/);
  t.regex(g.read, /ERROR oslo_messaging\.rpc\.server nova\.exception\.MigrationPreCheckError: Migration pre-check error/);
  // The periodic audit's record right after the traceback is another's.
  t.false(g.read.includes('2024-10-02 13:00:59.211 7 DEBUG nova.compute.resource_tracker'));
});

test('focus gate: a 3 MiB line naming nothing is passed over without being held, the lines around it judged as usual', (t) => {
  const needle = 'req-190080d4-5fbe-4059-8a57-beda31a65c10';
  const head = `2024-10-02 09:10:04.200 7 INFO nova.compute.claims [None ${needle} a b - - default default] claim\n`;
  const huge = `2024-10-02 09:10:05.000 7 DEBUG nova.x [-] ${'x'.repeat(3 << 20)}\n`;
  const tail = `2024-10-02 09:10:06.000 7 INFO nova.compute.manager [None ${needle} a b - - default default] spawned\n`;
  const buf = Buffer.from(head + huge + tail);
  for (const size of [4096, 65536, 1 << 20]) {
    const g = gated(buf, { uuids: [], requests: new Set([needle]) }, size);
    t.is(g.read, head + tail, `chunks of ${size}`);
    t.is(g.passedLines, 1);
  }
});

test("focus gate: the host-wide texts are read on the hosts the instance's uuid stands in, and only there", (t) => {
  const texts = ['Auditing locally available compute resources for ', 'Final resource view: name='];
  const needles: FocusNeedles = {
    uuids: ['00000000-0000-4000-8000-000000000000'],
    requests: new Set(),
    texts,
    textHosts: new Set(['cmp02']),
  };
  const here = gated(LOG, needlesOn(needles, 'cmp02'), 4096);
  t.is(here.read, expected(LOG.toString('utf8'), { ...needles, uuids: [...needles.uuids, ...texts] }));
  t.true(here.read.split('\n').filter((l) => l.includes('Final resource view: name=cmp02')).length > 100);
  const elsewhere = gated(LOG, needlesOn(needles, 'cmp01'), 4096);
  t.false(elsewhere.read.includes('Final resource view'));
});
