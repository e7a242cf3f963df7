import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode as qpEncode, wrap as qpWrap } from 'libqp';
import { corpus, ROOT, withShared } from './helpers/shared.js';
import { essence, prng, readText, wordWrap } from './helpers/paste.js';

/**
 * Property: however a real log is pasted — grep-prefixed, wrapped by a
 * terminal or a mail client at any width from 60 to 160 (with or without a
 * continuation indent), indented, quoted, rich-text mangled, with Windows line
 * ends, sent as a quoted-printable mail body — paste mode gives back the same events, field for field and message
 * for message. Cases come from a seeded generator: the same on every run.
 */

const test = withShared();

const LOGS = [
  // Kilo conductor (RDO): AUDIT level, TRACE blocks of failed moves and AMQP outages.
  { path: ['os-log-merger', 'debug-live-migration', 'logs', 'hp-ms-01-c29', 'var', 'log', 'nova', 'nova-conductor.log'], lines: 300 },
  // Havana compute: 1,420 TRACE lines in the whole file.
  { path: ['OpenStackForensics', 'nova-compute.log'], lines: 250 },
];
const CASES = 40;

interface Shape {
  grep?: 'path' | 'path-n' | 'n';
  wrap?: { kind: 'terminal' | 'word'; width: number; contIndent: string };
  indent?: string;
  rich?: boolean;
  quote?: string;
  crlf?: boolean;
  fenced?: boolean;
  /** The whole paste sent as a quoted-printable mail body (RFC 2045, soft breaks at 76 columns). */
  qp?: boolean;
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function shapeOf(r: () => number): Shape {
  const s: Shape = {};
  if (r() < 0.5) s.grep = pick(r, ['path', 'path-n', 'n'] as const);
  if (r() < 0.7)
    s.wrap = {
      kind: r() < 0.5 ? 'terminal' : 'word',
      width: 60 + Math.floor(r() * 101),
      contIndent: pick(r, ['', '', '  ', '    ', '\t']),
    };
  if (r() < 0.5) s.indent = pick(r, ['    ', '   ', '\t', '  ']);
  if (r() < 0.3) s.rich = true;
  if (r() < 0.3) s.quote = pick(r, ['> ', '>> ', '>']);
  if (r() < 0.3) s.crlf = true;
  if (r() < 0.3) s.fenced = true;
  if (r() < 0.3) s.qp = true;
  return s;
}

function paste(lines: readonly string[], s: Shape): string {
  let out = lines.map((l, i) => {
    if (s.grep === 'path') return `/var/log/nova/nova-conductor.log:${l}`;
    if (s.grep === 'path-n') return `/var/log/nova/nova-conductor.log:${i + 1001}:${l}`;
    if (s.grep === 'n') return `${i + 1001}:${l}`;
    return l;
  });
  if (s.wrap) {
    const w = s.wrap;
    out = out.flatMap((l) => {
      if (w.kind === 'word') return wordWrap(l, w.width, w.contIndent);
      const parts: string[] = [];
      for (let i = 0; i < l.length; i += w.width) parts.push(l.slice(i, i + w.width));
      return parts.length > 0 ? parts : [''];
    });
  }
  if (s.indent) out = out.map((l) => s.indent + l);
  if (s.fenced) out = ['Here is what the log says:', '', '```', ...out, '```', '', 'Any idea?'];
  if (s.rich) out = out.map((l) => l.replace(/ {2}/g, '\u00a0 ').replace(/'/g, '\u2019').replace(/"/g, '\u201d'));
  if (s.quote) out = out.map((l) => s.quote + l);
  const text = out.join(s.crlf ? '\r\n' : '\n');
  return s.qp ? qpWrap(qpEncode(text), 76) : text;
}

for (const log of LOGS) {
  test(`pasted any way, ${log.path.slice(-1)[0]} (${log.path[0]}) gives back the same events`, async (t) => {
    const lines = readFileSync(corpus(...log.path), 'utf8')
      .split('\n')
      .slice(0, log.lines);
    const expected = (await readText(lines.join('\n'))).events.map(essence);
    t.true(expected.length > 50);
    const r = prng(20260101);
    let failures = 0;
    for (let c = 0; c < CASES; c++) {
      const shape = shapeOf(r);
      const { events, covs } = await readText(paste(lines, shape));
      const got = events.map(essence);
      const same = got.length === expected.length && got.every((g, i) => JSON.stringify(g) === JSON.stringify(expected[i]));
      if (!same) {
        failures++;
        const at = got.findIndex((g, i) => JSON.stringify(g) !== JSON.stringify(expected[i]));
        t.log(`case ${c} ${JSON.stringify(shape)}: ${got.length} events (expected ${expected.length}); first difference at ${at}`);
        t.log(`  got      ${JSON.stringify(got[at])?.slice(0, 400)}`);
        t.log(`  expected ${JSON.stringify(expected[at])?.slice(0, 400)}`);
        t.log(`  read as ${covs.map((x) => x.format).join(' | ')}`);
      }
      // Nothing of the log is left not understood: only the paste's own prose.
      const unparsed = covs.reduce((n, x) => n + x.unparsed, 0);
      t.is(unparsed, shape.fenced ? 2 : 0, `case ${c} ${JSON.stringify(shape)}`);
    }
    t.is(failures, 0);
  });
}

/**
 * A message alone (no time, level or logger), hand-wrapped at any width with
 * no indent, as a commit message or a ticket has it: one event, its text
 * whole. kolla-ansible commit dff7896d's message, wrapped at 70 there.
 */
const MESSAGES = [
  readFileSync(join(ROOT, 'test', 'corpus', 'real', 'openstack-kolla-ansible-commit-dff7896d', 'nova-compute-message.txt'), 'utf8')
    .trim()
    .split('\n')
    .join(' '),
  // nova's own text for InvalidCPUInfo and for a failed cold migration (01.org, cubecos#312's fault).
  "Unacceptable CPU info: CPU doesn't have compatibility. Please refer to http://libvirt.org/html/libvirt-libvirt-host.html#virCPUCompareResult",
  'No valid host was found. There are not enough hosts available to satisfy the request of instance 14c8f79e-4436-4ad9-9e5f-07de34b47247 on this cloud',
];

test('a message alone, hand-wrapped at any width without indent (and sent quoted-printable or not), is one event with its whole text', async (t) => {
  const r = prng(20261204);
  for (const message of MESSAGES) {
    const expected = (await readText(message)).events.map(essence);
    t.is(expected.length, 1, message);
    t.truthy(expected[0].exception, message);
    for (let c = 0; c < 20; c++) {
      const width = 40 + Math.floor(r() * 41);
      const lines = wordWrap(message, width, '');
      if (lines.length < 3) continue;
      const text = `${lines.join('\n')}\n`;
      for (const body of [text, qpWrap(qpEncode(text), 76)]) {
        const { events, covs } = await readText(body);
        t.deepEqual(events.map(essence), expected, `${width} columns: ${JSON.stringify(lines)}`);
        t.is(covs[0].unparsed, 0);
      }
    }
  }
});

test("records glued onto one line where a newline was lost (after a DEBUG record's `path:NNN`) read as the records they were", async (t) => {
  // Kilo compute (RDO): its DEBUG records end in oslo's `path.py:NNN`.
  const path = ['os-log-merger', 'debug-live-migration', 'logs', 'hp-ms-01-c29', 'var', 'log', 'nova', 'nova-compute.log'];
  const lines = readFileSync(corpus(...path), 'utf8')
    .split('\n')
    .slice(0, 200);
  const expected = (await readText(`${lines.join('\n')}\n`)).events.map(essence);
  const gluable = lines.flatMap((l, i) => (/\.py:\d+$/.test(l) && /^\d{4}-/.test(lines[i + 1] ?? '') ? [i] : []));
  t.true(gluable.length >= 10);
  const r = prng(20261205);
  for (let c = 0; c < 20; c++) {
    // Lose one to three newlines, the first always in the file's first lines (where a paste is sniffed).
    const lost = new Set([gluable[Math.floor(r() * Math.min(5, gluable.length))]]);
    for (let k = Math.floor(r() * 3); k > 0; k--) lost.add(pick(r, gluable));
    const text = lines.map((l, i) => (lost.has(i) ? l : `${l}\n`)).join('');
    const { events, covs } = await readText(text);
    t.deepEqual(events.map(essence), expected, `newlines lost after lines ${[...lost].map((i) => i + 1).join(', ')}`);
    t.is(covs[0].lines, lines.length - lost.size);
    t.is(covs[0].unparsed, 0);
  }
});
