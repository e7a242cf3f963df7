import test from 'ava';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, SAMPLES, type CliResult } from './helpers/cli.js';
import { ROOT } from './helpers/shared.js';

/**
 * `-` reads standard input: a tar stream (plain or compressed, known by its
 * bytes), one compressed log, or pasted text. Process substitution hands over
 * a /dev/fd path (a pipe). Either way the result is the file's.
 */

const CTL = join(SAMPLES, 'antelope-kolla', 'sosreport-ctl01-2024-10-02-kqzvmra.tar.xz');
const CMP01 = join(SAMPLES, 'antelope-kolla', 'sosreport-cmp01-2024-10-02-hwdpxel.tar.gz');
const CMP02 = join(SAMPLES, 'antelope-kolla', 'sosreport-cmp02-2024-10-02-tnfoubc');

function run(args: string[], input?: Buffer, shell = false): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = shell ? spawn('bash', ['-c', args.join(' ')], { cwd: ROOT }) : spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** The events, with the name the input was read under taken out of their `file`. */
function events(stdout: string, input: string): string[] {
  return stdout
    .trim()
    .split('\n')
    .map((l) => l.split(JSON.stringify(input).slice(1, -1)).join('<input>'));
}

test('a sosreport piped in, compressed or not, gives the events of the archive file, line for line', async (t) => {
  const file = await run(['events', CTL]);
  t.is(file.code, 0);
  const expected = events(file.stdout, CTL);
  t.true(expected.length > 200);
  const xz = readFileSync(CTL);
  const piped = await run(['events', '-'], xz);
  t.is(piped.code, 0, piped.stderr);
  t.deepEqual(events(piped.stdout, 'stdin'), expected);
  t.regex(piped.stderr, /ctl01\.cloud\.example/);
  // `xz -dc sosreport.tar.xz | nova-forensics events -`: a plain tar stream.
  const tar = await run([`xz -dc ${CTL} | node ${CLI} events -`], undefined, true);
  t.is(tar.code, 0, tar.stderr);
  t.deepEqual(events(tar.stdout, 'stdin'), expected);
  // The same tar recompressed with gzip: the bytes say what it is, never a name.
  const gz = await run(['events', '-'], readFileSync(CMP01));
  const gzFile = await run(['events', CMP01]);
  t.deepEqual(events(gz.stdout, 'stdin'), events(gzFile.stdout, CMP01));
});

test('process substitution hands a pipe as a path: `events <(xz -dc a.tar.xz)` reads like the file', async (t) => {
  const file = await run(['events', CTL]);
  const sub = await run([`node ${CLI} events <(xz -dc ${CTL})`], undefined, true);
  t.is(sub.code, 0, sub.stderr);
  const fd = /"file":"(\/dev\/fd\/\d+|\/proc\/self\/fd\/\d+)/.exec(sub.stdout)?.[1];
  t.truthy(fd, sub.stdout.slice(0, 300));
  t.deepEqual(events(sub.stdout, fd!), events(file.stdout, CTL));
});

test('analyze with one sosreport on stdin finds the same incidents as with its file', async (t) => {
  const strip = (json: string, input: string): unknown => {
    const r = JSON.parse(json.split(JSON.stringify(input).slice(1, -1)).join('<input>'));
    return { incidents: r.incidents, findings: r.findings, hosts: r.hosts };
  };
  const file = await run(['analyze', '--format', 'json', CTL, CMP01, CMP02]);
  t.is(file.code, 0, file.stderr);
  const piped = await run(['analyze', '--format', 'json', '-', CMP01, CMP02], readFileSync(CTL));
  t.is(piped.code, 0, piped.stderr);
  const a = strip(file.stdout, CTL) as { incidents: unknown[] };
  t.true(a.incidents.length >= 4);
  t.deepEqual(strip(piped.stdout, 'stdin'), a);
});

test('a pasted excerpt and one compressed log on stdin are read as logs; `-` twice is read once', async (t) => {
  const paste = readFileSync(join(ROOT, 'test', 'fixtures', 'pastes', 'cncf-testbed-issue101.terminal-wrapped.txt'));
  const r = await run(['events', '-'], paste);
  t.is(r.code, 0, r.stderr);
  const evs = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { file: string; instanceUuid?: string });
  t.is(evs.length, 3);
  t.true(evs.every((e) => e.file === 'stdin' && e.instanceUuid === '60e8f0f8-acbc-4be7-a6ac-0b482224bc77'));
  t.regex(r.stderr, /paste \(terminal-wrapped at 210 columns\) \+ oslo/);

  // One gzipped log (a rotated nova-compute.log.1.gz): the service comes from its loggers, having no name.
  const { execFileSync } = await import('node:child_process');
  const tarList = execFileSync('tar', ['-tzf', CMP01], { encoding: 'utf8' });
  const member = tarList.split('\n').find((m) => m.endsWith('nova-compute.log'))!;
  const log = execFileSync('tar', ['-xzOf', CMP01, member]);
  const { gzipSync } = await import('node:zlib');
  const gz = await run(['events', '--summary', '-', '-'], gzipSync(log));
  t.is(gz.code, 0, gz.stderr);
  t.regex(gz.stdout, /nova-compute \d+/);
  t.regex(gz.stdout, /standard input \(-\) was named twice: it is read once/);
});

test('the TUI cannot take its inputs from stdin, and says why', async (t) => {
  const r = await run(['tui', '-']);
  t.is(r.code, 2);
  t.regex(r.stderr, /cannot read the inputs from stdin \(-\)/);
});
