import anyTest from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { CLI } from './helpers/cli.js';
import { ROOT } from './helpers/shared.js';

/**
 * The real CLI in a real terminal: tmux runs `nova-forensics analyze` on the
 * samples, keys are sent, the screen is captured. CI installs tmux (.ci/run);
 * without it the test is skipped and says so.
 */

const hasTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
if (!hasTmux) process.stderr.write('\n  tmux is not installed: the TUI smoke test is SKIPPED (apt-get install tmux)\n\n');
const test = hasTmux ? anyTest.serial : (anyTest.skip as unknown as typeof anyTest.serial);

const SESSION = `nf-smoke-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = (): string => tmux('capture-pane', '-p', '-t', SESSION);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(re: RegExp, ms = 20_000): Promise<string> {
  const end = Date.now() + ms;
  let s = '';
  while (Date.now() < end) {
    s = screen();
    if (re.test(s)) return s;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${re}; screen:\n${s}`);
}

/** The screen shows `re` after a pause, and the app has not exited (the shell would print EXIT=). */
async function stillRunning(re: RegExp): Promise<string> {
  await sleep(400);
  const s = await waitFor(re);
  if (/EXIT=/.test(s)) throw new Error(`the app exited; screen:\n${s}`);
  return s;
}

async function keys(...k: string[]): Promise<void> {
  for (const x of k) {
    tmux('send-keys', '-t', SESSION, x);
    await sleep(150);
  }
}

test.after.always(() => {
  spawnSync('tmux', ['kill-session', '-t', SESSION], { stdio: 'ignore' });
});

test('tmux: the samples open in the full-screen app; an operator reaches each root cause in a few keys, and the screen is restored', async (t) => {
  tmux(
    'new-session',
    '-d',
    '-s',
    SESSION,
    '-x',
    '150',
    '-y',
    '40',
    '-c',
    ROOT,
    `echo BEFORE-TUI; node ${CLI} analyze samples/antelope-kolla; echo EXIT=$?; sleep 60`,
  );
  let s = await waitFor(/Incidents \(5\)/);
  t.regex(s, /Build of bigvm \(5ae72bc6\) failed: 64 VCPU exceeds every provider's/);
  // Esc on the main screen, pressed too often, leaves the app where it was.
  await keys('Escape', 'Escape', 'Escape');
  s = await stillRunning(/Incidents \(5\)/);
  t.regex(s, /Build of bigvm \(5ae72bc6\)/);
  t.regex(s, /The request asks 64 VCPU; the largest VCPU max_unit on any provider is 48/);
  await keys('j');
  s = await waitFor(/Build of app-07/);
  t.regex(s, /cmp03\.cloud\.example, which has no host_mappings row/);
  await keys('j');
  s = await waitFor(/refused: CPU incompatible \(10 features missing\)/);
  t.regex(s, /MigrationPreCheckError wrapping InvalidCPUInfo/);
  await keys('j', 'j');
  s = await waitFor(/deleted by hand in the database/);
  await keys('Tab', 'Enter');
  s = await waitFor(/^Event /m);
  t.regex(s, /is not being actively managed by this compute host/);
  await keys('Escape', 'Escape', 'Escape', 'Escape');
  s = await stillRunning(/Incidents \(5\)/);
  await keys('?');
  await waitFor(/Keys \(lnav's where it has them\)/);
  await keys('Escape', 'Escape', 'Escape');
  await stillRunning(/Incidents \(5\)/);
  await keys('t');
  s = await waitFor(/Whole timeline · \d+\/\d+ events/);
  await keys('f');
  await waitFor(/Filter the whole timeline/);
  await keys('Escape');
  await waitFor(/Whole timeline · \d+\/\d+ events/);
  await keys('/', 'x');
  await waitFor(/^\/x/m);
  await keys('Escape', 'Escape', 'Escape', 'Escape');
  s = await stillRunning(/Incidents \(5\)/);
  await keys('t');
  s = await waitFor(/Whole timeline · \d+\/\d+ events/);
  await keys('q', 'q');
  s = await waitFor(/EXIT=0/);
  t.regex(s, /BEFORE-TUI/);
  t.notRegex(s, /Incidents \(5\)/, 'the alternate screen is left: the app does not linger on the normal screen');
});
