import test from 'ava';
import { PREFIX_FORMATS, applyPrefix, sniffPrefixes } from '../parsers/prefixes.js';
import { OSLO_BARE_HEADER, OSLO_HEADER, parseOsloLine } from '../parsers/oslo-log.js';

// lnav's habit: every pattern carries real sample lines, and every sample must parse.

for (const f of PREFIX_FORMATS) {
  test(`prefix format ${f.name}: every sample strips to its expected rest`, (t) => {
    t.true(f.samples.length > 0);
    for (const s of f.samples) {
      const info = applyPrefix(f, s.line);
      t.truthy(info, `${s.source}`);
      t.is(info!.rest, s.rest, s.source);
      t.truthy(
        parseOsloLine(info!.rest) ?? (OSLO_BARE_HEADER.pattern.test(info!.rest) ? {} : undefined),
        `rest parses as oslo: ${s.source}`,
      );
    }
  });
}

test('every oslo header sample matches exactly one header pattern', (t) => {
  for (const p of [OSLO_HEADER, OSLO_BARE_HEADER]) {
    for (const s of p.samples) {
      const hits = [OSLO_HEADER, OSLO_BARE_HEADER].filter((q) => q.pattern.test(s.line));
      t.deepEqual(
        hits.map((h) => h.name),
        [p.name],
        s.source,
      );
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
    ['grep', 'syslog'],
  );
});
