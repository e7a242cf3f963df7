import test from 'ava';
import { PREFIX_FORMATS, applyPrefix, prefixOfOwnLine, sniffPrefixes } from '../parsers/prefixes.js';
import { OSLO_BARE_HEADER, OSLO_HEADER, OSLO_NO_PID_HEADER, parseBareOsloLine, parseOsloLine } from '../parsers/oslo-log.js';
import { stripColour } from '../parsers/text-decode.js';

// lnav's habit: every pattern carries real sample lines, and every sample must parse, with the fields it claims.

for (const f of PREFIX_FORMATS) {
  test(`prefix format ${f.name}: every sample strips to its expected rest and fields`, (t) => {
    t.true(f.samples.length > 0);
    t.true(f.description.length > 0);
    for (const s of f.samples) {
      const info = applyPrefix(f, s.line);
      t.truthy(info, s.source);
      t.is(info!.rest, s.rest, s.source);
      if (s.fields) t.like(info!, s.fields, s.source);
      // devstack's colour codes are taken off before the line is read, as the parser does.
      const text = stripColour(info!.rest);
      const oslo = parseOsloLine(text) ?? parseBareOsloLine(text);
      if (s.notOslo) t.is(oslo, undefined, `rest is another program's line: ${s.source}`);
      else t.truthy(oslo, `rest parses as oslo: ${s.source}`);
    }
  });
}

test('a sample of one format is not taken by another format listed before it', (t) => {
  // Sniffing breaks ties by list order: an earlier format must not also claim a later one's samples.
  PREFIX_FORMATS.forEach((f, i) => {
    for (const s of f.samples) {
      for (const earlier of PREFIX_FORMATS.slice(0, i)) {
        if (earlier.name === 'grep' || f.name === 'grep') continue;
        t.is(applyPrefix(earlier, s.line), undefined, `${earlier.name} claims a ${f.name} sample: ${s.source}`);
      }
    }
  });
});

test('a line of a format that stands alone is told by itself; oslo lines, frames and prose are not', (t) => {
  const alone = PREFIX_FORMATS.filter((f) => f.standsAlone);
  t.deepEqual(
    alone.map((f) => f.name),
    ['journald short-precise', 'syslog rfc3164', 'syslog rfc3339', 'libvirtd log', 'zuul logsearch'],
  );
  for (const f of alone)
    for (const s of f.samples) {
      // A pasted line that opens with a space goes on with the line above (glibc pads ` 9月`): never told alone.
      if (s.line.startsWith(' ')) {
        t.is(prefixOfOwnLine(s.line), undefined, s.source);
        continue;
      }
      // A format that wraps another's line is told first, the line inside it then (a search hit around a journal's line).
      const own = prefixOfOwnLine(s.line);
      t.is((own?.via ?? own?.format)?.name, f.name, s.source);
      if (f.wraps) t.is(own?.info.rest, applyPrefix(own!.format, s.rest)?.rest, s.source);
    }
  for (const line of [
    '2017-03-04 17:03:52.842 171181 ERROR nova.virt.libvirt.driver [req-35e04dac-fc4a-44e5-a8fb-d297e9dc2b49 - - -] Live Migration failure',
    '  File "/usr/lib/python2.7/site-packages/nova/compute/manager.py", line 2078, in _build_and_run_instance',
    'Logs of target node where the vm should be migrated',
    'Error 12 happened: see above',
    '',
  ])
    t.is(prefixOfOwnLine(line), undefined, line);
});

const HEADERS = [OSLO_HEADER, OSLO_NO_PID_HEADER, OSLO_BARE_HEADER];

test('every oslo header sample matches exactly one header pattern', (t) => {
  for (const p of HEADERS) {
    t.true(p.samples.length > 0, p.name);
    for (const s of p.samples) {
      const hits = HEADERS.filter((q) => q.pattern.test(s.line));
      t.deepEqual(
        hits.map((h) => h.name),
        [p.name],
        s.source,
      );
      t.truthy(p === OSLO_BARE_HEADER ? parseBareOsloLine(s.line) : parseOsloLine(s.line), s.source);
    }
  }
});

test('sniffing picks the collector prefix a file carries, layered when grep wraps syslog', (t) => {
  const pebble = PREFIX_FORMATS.find((f) => f.name === 'kubectl-pebble')!.samples.map((s) => s.line);
  t.deepEqual(
    sniffPrefixes(pebble).map((f) => f.name),
    ['kubectl-pebble'],
  );
  const plain = ['2022-02-04 09:37:50.031 21562 INFO os_vif [-] Loaded VIF plugins: linux_bridge, noop, ovs'];
  t.deepEqual(sniffPrefixes(plain), []);
  const grepSyslog = [
    'sosreport-compute-1-2024-07-11-rujznhs/var/log/messages:Jul 11 18:10:59 np0004787595 nova_compute[129891]: 2024-07-11 22:10:59.946 2 ERROR nova.virt.libvirt.driver [None req-590602d0-1d3d-4ac9-b000-cdd98a2400b4 - - - - - -] Live Migration failure',
  ];
  t.deepEqual(
    sniffPrefixes(grepSyslog).map((f) => f.name),
    ['grep', 'syslog rfc3164'],
  );
});

test("each format's samples are sniffed as that format", (t) => {
  for (const f of PREFIX_FORMATS) {
    const lines = f.samples.map((s) => s.line);
    t.is(sniffPrefixes(lines)[0]?.name, f.name, f.name);
  }
});
