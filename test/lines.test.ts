import test from 'ava';
import { LineSplitter } from '../parsers/lines.js';

function split(chunks: Buffer[], max?: number): { lines: string[]; s: LineSplitter } {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l), max);
  for (const c of chunks) s.push(c);
  s.end();
  return { lines, s };
}

test('lines survive any chunk boundary, multi-byte characters included', (t) => {
  const text = 'a 找不到\r\nsecond 🔥 line\n\nlast without newline';
  const whole = Buffer.from(text, 'utf8');
  const expected = ['a 找不到', 'second 🔥 line', '', 'last without newline'];
  for (let size = 1; size <= whole.length; size++) {
    const chunks: Buffer[] = [];
    for (let i = 0; i < whole.length; i += size) chunks.push(whole.subarray(i, i + size));
    t.deepEqual(split(chunks).lines, expected, `chunk size ${size}`);
  }
});

test('a chunk bigger than the decoding piece (32 KiB) gives the same lines: multi-byte characters across each piece edge', (t) => {
  // 4-byte and 3-byte characters at every offset around the 32 KiB edges of one 256 KiB read.
  const lines = Array.from(
    { length: 3000 },
    (_, i) => `2024-10-02 08:00:00.${String(i % 1000).padStart(3, '0')} ${'🔥找'.repeat(i % 7)} ${'x'.repeat(i % 97)}`,
  );
  const whole = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  t.true(whole.length > 8 * 32 * 1024);
  for (const size of [whole.length, 256 * 1024, 32 * 1024 + 1, 65_537]) {
    const chunks: Buffer[] = [];
    for (let i = 0; i < whole.length; i += size) chunks.push(whole.subarray(i, i + size));
    const { lines: got, s } = split(chunks);
    t.deepEqual(got, lines, `chunk size ${size}`);
    t.is(s.stats.invalidUtf8Lines, 0);
  }
});

test('a line past the cap is cut, counted, and the next line is intact', (t) => {
  const long = Buffer.alloc(5_000_000, 0x61);
  const { lines, s } = split([long, Buffer.from('\nnext\n')], 1000);
  t.is(lines.length, 2);
  t.is(lines[0].length, 1000);
  t.is(lines[1], 'next');
  t.is(s.stats.longLines, 1);
  t.is(s.stats.firstLongLine, 1);
});

test('a 100 MB line with no newline ends in bounded memory', (t) => {
  const chunk = Buffer.alloc(1 << 20, 0x62);
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l), 1 << 16);
  for (let i = 0; i < 100; i++) s.push(chunk);
  s.end();
  t.is(lines.length, 1);
  t.is(lines[0].length, 1 << 16);
  t.is(s.stats.bytes, 100 << 20);
  t.is(s.stats.longLines, 1);
});

test('invalid UTF-8 and NUL bytes are counted; NULs removed', (t) => {
  const { lines, s } = split([Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a, 0, 0, 0, 0x63, 0x0a])]);
  t.deepEqual(lines, ['a\uFFFD\uFFFDb', 'c']);
  t.is(s.stats.invalidUtf8Lines, 1);
  t.is(s.stats.nulLines, 1);
});

test('NUL and bad bytes in the part of a line carried from an earlier chunk are found', (t) => {
  const { lines, s } = split([Buffer.from('ab\0c'), Buffer.from([0xff]), Buffer.from('|d\nnext\n')]);
  t.deepEqual(lines, ['abc\uFFFD|d', 'next']);
  t.is(s.stats.nulLines, 1);
  t.is(s.stats.invalidUtf8Lines, 1);
});

test('a CRLF line exactly at the cap is not long, whether or not it spans chunks', (t) => {
  const line = `${'x'.repeat(100)}\r\n`;
  for (const chunks of [[Buffer.from(line)], [Buffer.from(line.slice(0, 60)), Buffer.from(line.slice(60))]]) {
    const { lines, s } = split(chunks, 100);
    t.deepEqual(lines, ['x'.repeat(100)]);
    t.is(s.stats.longLines, 0);
  }
  const { lines, s } = split([Buffer.from('y'.repeat(60)), Buffer.from(`${'y'.repeat(41)}\r\n`)], 100);
  t.is(lines[0].length, 100);
  t.is(s.stats.longLines, 1);
});
