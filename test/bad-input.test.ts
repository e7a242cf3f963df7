import test from 'ava';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Event } from '../src/model/event.js';
import type { Report } from '../src/model/report.js';
import { ingest } from '../src/pipeline/ingest.js';
import { DecodeError, openDecoded } from '../src/sources/decode.js';
import { ROOT, corpus, withShared } from './helpers/shared.js';
import { osloLine, sosTree, tar, tmp, write } from './helpers/fixture-tree.js';
import { cliUnprivileged, denyAccess, isRoot, openUp } from './helpers/unprivileged.js';
import { cli } from './helpers/cli.js';

/**
 * Hostile inputs on the reading side (issue 10 §6): each gets a line in the
 * coverage and on stderr, never a stack trace, a hang or a silent drop, and
 * everything readable is still read. Real logs from ../shared are reshaped the
 * way crashes, Windows tools and broken downloads reshape them, and must give
 * the same events as the original.
 */

/** The real compute log names its host in its periodic audit (test/self-naming.test.ts): a loose copy is read as that host. */
const SELF_NAMED =
  "its nova-compute names its own host littlebigguy (its periodic audit's lines): read as host littlebigguy, not unknown, and so are the loose logs of its folder read as unknown";
const REAL_LOG = corpus('OpenStackForensics', 'nova-compute.log');

async function run(inputs: string[], h: { event?: (e: Event) => void } = {}) {
  const events: Event[] = [];
  const coverage = await ingest(
    inputs,
    {},
    {
      event: (e) => {
        events.push(e);
        h.event?.(e);
      },
    },
  );
  return { events, coverage };
}

/** What an event says, without where it was read from. */
function said(events: Event[]): string[] {
  return events.map((e) => JSON.stringify([e.ts, e.level, e.logger, e.requestId, e.message, e.line, e.exception?.type]));
}

function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

async function readAll(src: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of src) parts.push(c);
  return Buffer.concat(parts);
}

/** Feeds `buf` in pieces of random sizes (1 to 300 bytes), so that framing is cut at every kind of place. */
async function* pieces(buf: Buffer, seed: number): AsyncGenerator<Buffer> {
  let s = seed;
  for (let i = 0; i < buf.length; ) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const n = 1 + (s % 300);
    yield buf.subarray(i, i + n);
    i += n;
  }
}

withShared()(
  'a log behind a run of NULs, in UTF-16 (LE, BE, with and without BOM), with a UTF-8 BOM or a NUL hole: the same events',
  async (t) => {
    const text = readFileSync(REAL_LOG);
    const dir = tmp();
    const plain = join(dir, 'plain', 'nova-compute.log');
    write(plain, text);
    const utf16 = Buffer.from(text.toString('utf8'), 'utf16le');
    const be = Buffer.from(utf16).swap16();
    const mid = text.indexOf('\n2014-04-17') + 1;
    const variants: Record<string, Buffer> = {
      'nul-head': Buffer.concat([Buffer.alloc(3 << 20), text]),
      'utf-16le-bom': Buffer.concat([Buffer.from([0xff, 0xfe]), utf16]),
      'utf-16be-bom': Buffer.concat([Buffer.from([0xfe, 0xff]), be]),
      'utf-16le': utf16,
      'utf-8-bom': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]),
      // copytruncate while the writer held its offset: a hole of NULs longer than the line cap, then lines again
      'nul-hole': Buffer.concat([text.subarray(0, mid), Buffer.alloc(2 << 20), text.subarray(mid)]),
    };
    const base = await run([plain]);
    t.true(base.events.length > 10000);
    for (const [name, bytes] of Object.entries(variants)) {
      const p = join(dir, name, 'nova-compute.log');
      write(p, bytes);
      const r = await run([p]);
      t.deepEqual(said(r.events), said(base.events), name);
      const f = r.coverage.files[0];
      t.is(f.lines, base.coverage.files[0].lines, name);
      t.falsy(f.truncatedTail, name);
      const warnings = r.coverage.warnings.map((w) => w.message).join('\n');
      if (name === 'nul-head') {
        t.is(f.nulBytes, 3 << 20);
        t.regex(warnings, /^3145728 NUL byte\(s\) at the start skipped .*; the 13869 line\(s\) after them were read$/m);
      } else if (name === 'nul-hole') {
        t.is(f.nulBytes, 2 << 20);
        t.is(f.nulLines, 1);
        t.is(f.longLines, 0, 'NULs never count toward the line cap');
        t.regex(warnings, /1 line\(s\) held NUL bytes \(2097152 removed/);
      } else if (name === 'utf-8-bom') {
        t.is(f.encoding, 'utf-8 with BOM');
        t.is(f.unparsed, 0, 'the BOM does not spoil the first line');
        t.is(warnings, SELF_NAMED, 'nothing but the host its compute names');
      } else {
        t.is(f.encoding, name.replace('-bom', ''));
        t.regex(
          warnings,
          name.endsWith('-bom')
            ? /a UTF-16[LB]E text \(from its byte-order mark\): decoded to UTF-8 and read/
            : /a UTF-16LE text \(no byte-order mark: told by its NUL pattern\)/,
        );
      }
    }
  },
);

test('UTF-16 and NUL runs decode alike in any chunking', async (t) => {
  const text = 'première ligne\nzweite Zeile 漢字 😀\n';
  const cases: [Buffer, string][] = [
    [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'utf-16le'],
    [Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]), 'utf-16be'],
    [Buffer.concat([Buffer.alloc(5000), Buffer.from(text)]), ''],
  ];
  for (const [bytes, enc] of cases) {
    for (let seed = 1; seed < 30; seed++) {
      const o = await openDecoded(pieces(bytes, seed));
      t.is(o.inner, 'text');
      t.is(o.encoding ?? '', enc);
      t.is((await readAll(o.stream)).toString('utf8'), text, `${enc || 'nul'} seed ${seed}`);
    }
  }
  const allNul = await openDecoded(pieces(Buffer.alloc(100_000), 3));
  t.is(allNul.inner, 'empty');
  t.is(allNul.leadingNulBytes, 100_000);
});

test('gzip: trailing garbage keeps every byte before it and says so; members, NUL padding and chunk cuts are handled; a bad CRC is caught', async (t) => {
  const a = Buffer.from(Array.from({ length: 3000 }, (_, i) => `line ${i} ${'x'.repeat(i % 90)}`).join('\n'));
  const b = Buffer.from('\nsecond member\n');
  const gzA = gzipSync(a);
  const second = gzipSync(b);
  const cases: { name: string; bytes: Buffer; want: Buffer; note?: RegExp; error?: RegExp }[] = [
    { name: 'one member', bytes: gzA, want: a },
    { name: 'two members', bytes: Buffer.concat([gzA, second]), want: Buffer.concat([a, b]) },
    { name: 'NUL padding', bytes: Buffer.concat([gzA, Buffer.alloc(4096)]), want: a },
    {
      name: 'trailing garbage',
      bytes: Buffer.concat([gzA, Buffer.from('<html>502 Bad Gateway</html>\n')]),
      want: a,
      note: new RegExp(
        `^gzip: 29 byte\\(s\\) of trailing garbage after the compressed data \\(from compressed byte ${gzA.length}\\), ignored`,
      ),
    },
    { name: 'cut', bytes: gzA.subarray(0, gzA.length - 100), want: a, error: /^gzip: unexpected end of file/ },
  ];
  // A header with a file name and a comment, as `gzip` and python's gzip write them.
  const withName = Buffer.from(gzA);
  const hdr = Buffer.concat([withName.subarray(0, 3), Buffer.from([8 | 16]), withName.subarray(4, 10), Buffer.from('x.log\0a comment\0')]);
  cases.push({ name: 'FNAME and FCOMMENT', bytes: Buffer.concat([hdr, withName.subarray(10)]), want: a });
  const badCrc = Buffer.from(gzA);
  badCrc[badCrc.length - 8] ^= 0xff;
  cases.push({ name: 'bad CRC', bytes: badCrc, want: a, error: /crc error/ });

  for (const c of cases) {
    for (const seed of [0, 7, 11]) {
      const src =
        seed === 0
          ? (async function* () {
              yield c.bytes;
            })()
          : pieces(c.bytes, seed);
      const o = await openDecoded(src);
      t.is(o.outer, 'gzip');
      const got: Buffer[] = [];
      let err: unknown;
      try {
        for await (const x of o.stream) got.push(x);
      } catch (e) {
        err = e;
      }
      const out = Buffer.concat(got);
      if (c.error) {
        t.true(err instanceof DecodeError && !err.complete, `${c.name}: ${err}`);
        t.regex((err as Error).message, c.error, c.name);
        if (c.name === 'cut')
          t.true(a.subarray(0, out.length).equals(out) && out.length > a.length - 2000, 'what came before the cut is kept');
        else t.true(out.equals(c.want), `${c.name}: every byte was delivered before the CRC was checked`);
      } else {
        t.true(out.equals(c.want), `${c.name} seed ${seed}: ${out.length} of ${c.want.length} bytes`);
        if (c.note) {
          t.true(err instanceof DecodeError && err.complete, `${c.name}: a note, not a failure`);
          t.regex((err as Error).message, c.note);
        } else t.is(err, undefined, c.name);
      }
    }
  }
  // The system's gzip agrees on what trailing garbage leaves.
  const sys = spawnSync('gzip', ['-dc'], { input: cases[3].bytes });
  if (sys.status !== null) t.true(sys.stdout.equals(a) && /trailing garbage/.test(sys.stderr.toString()));
});

withShared()('a .log.gz and a sosreport .tar.gz with trailing garbage: all their events, a note, not a partial file', async (t) => {
  const dir = tmp();
  const plain = join(dir, 'plain', 'nova-compute.log');
  write(plain, readFileSync(REAL_LOG));
  const gz = join(dir, 'gz', 'nova-compute.log.1.gz');
  write(gz, Buffer.concat([gzipSync(readFileSync(REAL_LOG)), Buffer.from('garbage after the stream\n')]));
  const base = await run([plain]);
  const r = await run([gz]);
  t.deepEqual(said(r.events), said(base.events));
  t.falsy(r.coverage.files[0].truncatedTail);
  t.deepEqual(
    r.coverage.warnings.map((w) => w.message),
    [
      `gzip: 25 byte(s) of trailing garbage after the compressed data (from compressed byte ${readFileSync(gz).length - 25}), ignored; everything before them was read`,
      SELF_NAMED,
    ],
  );

  const root = 'sosreport-cmp01-2024-10-02-abcdefg';
  sosTree(dir, root, 'cmp01');
  const clean = tar(dir, root, join(tmp(), `${root}.tar.gz`), 'gzip');
  const dirty = join(tmp(), `${root}.tar.gz`);
  writeFileSync(dirty, Buffer.concat([readFileSync(clean), Buffer.from('\x89PNG garbage')]));
  const a = await run([clean]);
  const b = await run([dirty]);
  t.deepEqual(said(b.events), said(a.events));
  t.deepEqual(
    b.coverage.files.map((f) => [f.path.slice(dirty.length), f.lines, !!f.truncatedTail]),
    a.coverage.files.map((f) => [f.path.slice(clean.length), f.lines, !!f.truncatedTail]),
  );
  t.is(b.coverage.warnings.length, 1);
  t.regex(b.coverage.warnings[0].message, /trailing garbage/);
});

test('an archive cut inside a member marks that member partial; empty archives say so', async (t) => {
  const dir = tmp();
  const root = 'sosreport-cmp01-2024-10-02-abcdefg';
  sosTree(dir, root, 'cmp01');
  // A big member, so that the cut falls inside it.
  write(
    join(dir, root, 'var', 'log', 'nova', 'nova-conductor.log'),
    Array.from({ length: 20000 }, (_, i) =>
      osloLine(
        `2024-10-01 10:${String(Math.floor(i / 600) % 60).padStart(2, '0')}:00.000`,
        'INFO',
        'nova.conductor.manager',
        `n ${i} ${i * 7919}`,
      ),
    ).join('\n'),
  );
  const whole = readFileSync(tar(dir, root, join(tmp(), 'x.tar.xz'), 'xz'));
  const cut = join(tmp(), `${root}.tar.xz`);
  writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.5)));
  const r = await run([cut]);
  const member = r.coverage.files.find((f) => f.path.endsWith('nova-conductor.log'))!;
  t.true(member.truncatedTail, JSON.stringify(r.coverage.files));
  t.true(member.lines > 100 && member.lines < 20000);
  t.true(r.coverage.warnings.some((w) => w.file === member.path && /broke off inside this member/.test(w.message)));

  const empties = tmp();
  write(join(empties, 'only-folders', 'var', 'log', 'nova', '.keep-dir', 'x'), '');
  unlinkSync(join(empties, 'only-folders', 'var', 'log', 'nova', '.keep-dir', 'x'));
  execFileSync('tar', ['-cJf', join(empties, 'folders.tar.xz'), '-C', join(empties, 'only-folders'), '.']);
  execFileSync('tar', ['-cJf', join(empties, 'nothing.tar.xz'), '-T', '/dev/null']);
  writeFileSync(join(empties, 'xz-of-nothing.tar.xz'), execFileSync('xz', ['-c'], { input: '' }));
  const e = await run(['folders.tar.xz', 'nothing.tar.xz', 'xz-of-nothing.tar.xz'].map((n) => join(empties, n)));
  const said2 = e.coverage.warnings.map((w) => `${w.file?.slice(empties.length + 1)}: ${w.message}`);
  t.deepEqual(said2, [
    'folders.tar.xz: the archive holds no files (only folders): nothing to read',
    'nothing.tar.xz: an empty tar archive (10240 zero bytes, no members): nothing to read',
    'xz-of-nothing.tar.xz: an empty xz stream (no data inside): nothing to read',
  ]);
});

test('FIFOs, devices and files gone since the listing are listed, never opened, never fatal; the rest is read', async (t) => {
  t.timeout(60_000, 'a FIFO opened inside a folder would block here');
  const inputs = tmp();
  write(join(inputs, 'nova-api.log'), `${osloLine('2024-10-01 10:00:00.000', 'INFO', 'nova.api', 'loose and readable')}\n`);
  mkfifo(join(inputs, 'nova-scheduler.log'));
  symlinkSync('/dev/zero', join(inputs, 'nova-conductor.log'));
  const sos = tmp();
  const root = sosTree(sos, 'sosreport-cmp01-2024-10-02-abcdefg', 'cmp01');
  mkdirSync(join(root, 'sos_commands', 'mysql'), { recursive: true });
  mkfifo(join(root, 'sos_commands', 'mysql', 'mysqldump_--all-databases'));
  // Read in order: nova-compute's rotations first; nova-scheduler.log is gone by the time its turn comes.
  const doomed = join(root, 'var', 'log', 'nova', 'nova-scheduler.log');
  write(doomed, `${osloLine('2024-10-01 10:00:00.000', 'INFO', 'nova.scheduler', 'never read')}\n`);
  let removed = false;
  const r = await run([inputs, root], {
    event: (e) => {
      if (!removed && e.file.endsWith('nova-compute.log.2.gz')) {
        removed = true;
        unlinkSync(doomed);
      }
    },
  });
  t.true(removed);
  const u = (r.coverage.unreadable ?? []).map(
    (x) =>
      `${x.path.startsWith(inputs) ? x.path.slice(inputs.length) : x.path.slice(root.length)}: ${x.reason}${x.role ? ` [${x.role}]` : ''}`,
  );
  t.deepEqual(u.sort(), [
    '/nova-conductor.log: a symbolic link to a device inside a folder: listed, not opened',
    '/nova-scheduler.log: a FIFO (named pipe) inside a folder: listed, not opened',
    '/sos_commands/mysql/mysqldump_--all-databases: a FIFO (named pipe) inside a folder: listed, not opened [mysqldump]',
    '/var/log/nova/nova-scheduler.log: gone: removed after it was listed [oslo-log]',
  ]);
  t.true(r.events.some((e) => e.message === 'loose and readable'));
  t.true(
    r.events.some((e) => e.host === 'cmp01' && e.message === 'after'),
    'the rest of the sosreport is read',
  );
  t.false(r.events.some((e) => e.message === 'never read'));
});

test("a FIFO named as an input is the user's choice, and is read", async (t) => {
  t.timeout(60_000);
  const dir = tmp();
  const fifo = join(dir, 'nova-compute.log');
  mkfifo(fifo);
  const line = osloLine('2024-10-01 10:00:00.000', 'ERROR', 'nova.compute.manager', 'through a pipe');
  const writer = new Promise<void>((resolve, reject) =>
    execFile('sh', ['-c', 'printf "%s\\n" "$1" > "$2"', 'sh', line, fifo], (e) => (e ? reject(e) : resolve())),
  );
  const r = await run([fifo]);
  await writer;
  t.deepEqual(
    r.events.map((e) => e.message),
    ['through a pipe'],
  );
  t.is(r.coverage.unreadable, undefined);
});

test(`permission denied (${isRoot ? 'as nobody: the tests run as root' : 'chmod 000'}): listed in the coverage and on stderr, never a stack trace; fatal only when nothing at all is readable`, async (t) => {
  const dir = tmp();
  openUp(dir);
  const root = sosTree(dir, 'sosreport-cmp01-2024-10-02-abcdefg', 'cmp01');
  copyFileSync(join(ROOT, 'test', 'fixtures', 'dumps', 'placement-single-db.sql'), join(root, 'sos_commands', 'host', 'placement.sql'));
  write(join(root, 'sos_commands', 'mysql', 'mysqldump_--all-databases'), '-- MariaDB dump 10.19\n');
  write(join(root, 'var', 'log', 'nova', 'old', 'nova-compute.log.9'), 'x\n');
  execFileSync('chmod', ['-R', 'a+rX', dir]);
  denyAccess(join(root, 'sos_commands', 'mysql', 'mysqldump_--all-databases'));
  denyAccess(join(root, 'var', 'log', 'nova', 'old'));
  const denied = [
    'cmp01: sos_commands/mysql/mysqldump_--all-databases: permission denied (where a mysqldump would be read)',
    'cmp01: var/log/nova/old: folder not listed: permission denied',
  ];
  const shown = (stderr: string) =>
    stderr
      .split('\n')
      .filter((l) => l.includes(': permission denied') || l.includes('folder not listed'))
      .map((l) => l.trim().replace(`${root}/`, ''));

  for (const cmd of [['events'], ['analyze', '--format', 'json'], ['report'], ['audit', '--format', 'json']]) {
    const r = await cliUnprivileged([...cmd, root]);
    t.false(r.stderr.includes('    at '), `${cmd[0]}: no stack trace\n${r.stderr}`);
    t.is(r.code, 0, `${cmd[0]}: ${r.stderr}`);
    t.deepEqual(shown(r.stderr).sort(), denied, cmd[0]);
    t.regex(r.stderr, /Not readable: 2 path\(s\), listed and skipped/);
    if (cmd[0] === 'analyze') {
      const report = JSON.parse(r.stdout) as Report;
      t.deepEqual(
        report.coverage.unreadable?.map((u) => [u.host, u.path.slice(root.length + 1), u.reason, u.role]),
        [
          ['cmp01', 'var/log/nova/old', 'folder not listed: permission denied', undefined],
          ['cmp01', 'sos_commands/mysql/mysqldump_--all-databases', 'permission denied', 'mysqldump'],
        ],
      );
      t.true(
        report.coverage.files.some((f) => f.path.endsWith('placement.sql') && f.events > 0),
        'the readable dump is read',
      );
    }
    if (cmd[0] === 'report')
      t.regex(r.stdout, /2 path\(s\) could not be read, listed and skipped: `.*mysqldump_--all-databases` \(permission denied\)/);
  }

  // Nothing readable at all: exit non-zero with the list.
  const file = join(dir, 'nova-compute.log');
  write(file, `${osloLine('2024-10-01 10:00:00.000', 'INFO', 'nova.compute.manager', 'x')}\n`);
  chmodSync(file, 0o644);
  denyAccess(file);
  const none = await cliUnprivileged(['events', file, join(root, 'var', 'log', 'nova', 'old'), join(dir, 'missing.log')]);
  t.is(none.code, 2);
  t.false(none.stderr.includes('    at '));
  t.regex(
    none.stderr,
    /nova-forensics: nothing usable was read from the inputs; these 3 paths could not be read:\n {2}.*nova-compute\.log: permission denied\n {2}.*old: folder not listed: permission denied\n {2}.*missing\.log: no such file or folder\n/,
  );
});

test('a file name with control characters reaches the terminal escaped; a loose file whose first line hides its format says so', async (t) => {
  const dir = tmp();
  const evil = join(dir, 'evil-\x1b]0;pwned\x07-nova-compute.log');
  write(evil, `${osloLine('2024-10-01 10:00:00.000', 'ERROR', 'nova.compute.manager', 'named oddly')}\n`);
  write(
    join(dir, 'capture.txt'),
    `${'a'.repeat(100_000)}\n${osloLine('2024-10-01 10:00:01.000', 'INFO', 'nova.compute.manager', 'after the long line')}\n`,
  );
  const r = await cli(['events', '-v', dir]);
  t.is(r.code, 0, r.stderr);
  t.false(r.stderr.includes('\x1b') || r.stderr.includes('\x07'), 'no control character on stderr');
  t.true(r.stderr.includes('evil-\\x1b]0;pwned\\x07-nova-compute.log (nova-compute, loose) as oslo:'), r.stderr);
  t.regex(r.stderr, /capture\.txt: no line end in its first 65536 bytes \(one very long line\?\): its format could not be told, skipped/);
});
