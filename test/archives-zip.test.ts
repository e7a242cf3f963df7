import test from 'ava';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Event } from '../src/model/event.js';
import { ingest } from '../src/pipeline/ingest.js';
import { CLI } from './helpers/cli.js';
import { osloLine, sosTree, tar, tmp, write, zip } from './helpers/fixture-tree.js';

/**
 * Zip archives (a ticket's attachments) and tars of loose logs: read as the
 * same files in a folder are, with every member that cannot be read said.
 */

async function run(inputs: string[], host?: string) {
  const events: Event[] = [];
  const coverage = await ingest(inputs, { host }, { event: (e) => events.push(e) });
  return { events, coverage, warnings: coverage.warnings.map((w) => `${w.file}: ${w.message}`).join('\n') };
}

const seen = (events: Event[]) => events.map((e) => [e.host, e.service, e.message, e.line].join(' | ')).sort();

const ROOT = 'sosreport-cmp01-2024-10-02-abcdefg';

test('a zipped sosreport folder, and sosreport archives zipped together, give the events of the folder', async (t) => {
  const dir = tmp();
  sosTree(dir, ROOT, 'cmp01.example.org');
  const folder = await run([join(dir, ROOT)]);
  t.true(folder.events.length > 0);

  const zipped = await zip(dir, ROOT, join(tmp(), 'case-01234.zip'));
  const a = await run([zipped]);
  t.deepEqual(seen(a.events), seen(folder.events));
  t.true(a.events[0].file.startsWith(`${zipped}:${ROOT}/`), 'files are named archive:member');

  // What a support engineer is sent: the sosreports, zipped again.
  const outer = tmp();
  write(join(outer, 'attachments', 'notes.txt'), 'sosreport of cmp01 for case 01234\n');
  tar(dir, ROOT, join(outer, 'attachments', `${ROOT}.tar.xz`), 'xz');
  const both = await zip(outer, 'attachments', join(tmp(), 'attachments.zip'));
  const b = await run([both]);
  t.deepEqual(seen(b.events), seen(folder.events));
  t.is(b.warnings, '');
});

test('loose logs zipped or tarred as they were: read by their content, the host named by their folder', async (t) => {
  const dir = tmp();
  const line = (h: string) => `${osloLine('2024-10-01 12:00:00.000', 'ERROR', 'nova.compute.manager', `boom on ${h}`)}\n`;
  write(join(dir, 'logs', 'compute1', 'nova-compute.log'), line('compute1'));
  // A rotated log, compressed inside the archive.
  write(join(dir, 'logs', 'compute2', 'nova-compute.log.1.gz'), gzipSync(line('compute2')));
  write(join(dir, 'logs', 'README.txt'), 'logs of the two computes, as asked\n');
  const expected = ['compute1: boom on compute1', 'compute2: boom on compute2'];
  for (const archive of [
    await zip(dir, 'logs', join(tmp(), 'logs.zip')),
    tar(dir, 'logs', join(tmp(), 'logs.tar.gz'), 'gzip'),
    join(dir, 'logs'),
  ]) {
    const { events } = await run([archive]);
    t.deepEqual(events.map((e) => `${e.host}: ${e.message}`).sort(), expected, archive);
  }
});

test('a zip that cannot be read whole: what is readable is read, each problem said', async (t) => {
  const dir = tmp();
  sosTree(dir, ROOT, 'cmp01');
  // Member names are data: a name climbing out of the folder is read as a name, never as a place on disk.
  // (yazl refuses to write one: written as `XX/…`, then the bytes of the name changed in place.)
  const good = await zip(dir, ROOT, join(tmp(), 'good.zip'), {
    'XX/XX/XX/XX/tmp/nf-zip-escape/nova-compute.log': Buffer.from(line('escaped')),
  });
  const whole = Buffer.from(readFileSync(good).toString('latin1').replaceAll('XX/XX/XX/XX/', '../../../../'), 'latin1');
  writeFileSync(good, whole);
  const bad = tmp();
  // Cut before its central directory (an attachment that did not download whole).
  writeFileSync(join(bad, 'cut.zip'), whole.subarray(0, Math.floor(whole.length * 0.7)));
  // An encrypted member: the flag set in its local header and its central directory entry.
  const enc = Buffer.from(readFileSync(await zip(dir, ROOT, join(tmp(), 'enc.zip'))));
  for (const sig of [0x04034b50, 0x02014b50]) {
    const flagAt = sig === 0x04034b50 ? 6 : 8;
    for (let i = enc.indexOf(u32(sig)); i !== -1; i = enc.indexOf(u32(sig), i + 4))
      enc.writeUInt16LE(enc.readUInt16LE(i + flagAt) | 1, i + flagAt);
  }
  writeFileSync(join(bad, 'enc.zip'), enc);
  writeFileSync(join(bad, 'empty.zip'), Buffer.from([0x50, 0x4b, 5, 6, ...new Array(18).fill(0)]));

  const r = await run([good, bad]);
  t.regex(r.warnings, /cut\.zip: zip: .*: not read/);
  t.regex(r.warnings, /enc\.zip:sosreport-cmp01-[^:]*: zip: encrypted/);
  t.regex(r.warnings, /empty\.zip: an empty zip archive/);
  t.true(
    r.events.some((e) => e.host === 'cmp01' && e.message === 'after'),
    'the good zip is read',
  );
  t.true(
    r.events.some((e) => e.message === 'boom on escaped' && e.file.endsWith(':../../../../tmp/nf-zip-escape/nova-compute.log')),
    'the climbing name is read as a member',
  );
  t.false(
    r.events.some((e) => e.file.includes('enc.zip')),
    'nothing of the encrypted members is taken for text',
  );
});

test('a zip on standard input or inside gzip is said, not read', async (t) => {
  const dir = tmp();
  sosTree(dir, ROOT, 'cmp01');
  const z = readFileSync(await zip(dir, ROOT, join(tmp(), 'x.zip')));
  const gz = join(tmp(), 'x.zip.gz');
  writeFileSync(gz, gzipSync(z));
  const r = await run([gz]);
  t.regex(r.warnings, /a zip archive inside gzip compression: a zip is read only from a file on disk/);
  t.is(r.events.length, 0);

  const piped = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'analyze', '-', '--format', 'md']);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
    child.stdin.end(z);
  });
  t.regex(piped.out, /a zip archive on standard input: a zip is read only from a file on disk; save it/);
  t.notRegex(piped.out, /\n\s+at .*\.js:\d+/, 'no stack trace');
});

function line(h: string): string {
  return `${osloLine('2024-10-01 12:00:00.000', 'ERROR', 'nova.compute.manager', `boom on ${h}`)}\n`;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}
