import anyTest from 'ava';
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { join } from 'node:path';
import type { Event } from '../src/model/event.js';
import type { FileCoverage } from '../src/model/coverage.js';
import { analyze } from '../src/pipeline/analyze.js';
import { App } from '../src/views/tui/app.js';
import { TimelineIndex } from '../src/views/tui/timeline-index.js';
import { cli } from './helpers/cli.js';
import { ROOT } from './helpers/shared.js';

/**
 * Issue 10 §5: every view says, per input, what each file was read as, how
 * many lines became events and how many were not understood; `-v` shows the
 * first lines not understood. The input is a real paste (docker-py#748: a
 * prompt, `docker version` output, then Juno nova-compute AUDIT lines).
 */

const test = anyTest.serial;
const real = (...p: string[]): string => join(ROOT, 'test', 'corpus', 'real', ...p);
const PASTE = real('github-docker-docker-py-issue748', 'nova-compute-paste.txt');
const FORMAT = 'paste (shell prompts) + oslo';

test('JSON: the file read as a paste, its counts and host; the lines not understood only with -v', async (t) => {
  const plain = await cli(['analyze', '--format', 'json', PASTE]);
  t.is(plain.code, 0, plain.stderr);
  const files = (JSON.parse(plain.stdout) as { coverage: { files: FileCoverage[] } }).coverage.files;
  t.is(files.length, 1);
  const f = files[0];
  t.like(f, { host: 'nsj7', service: 'nova-compute', format: FORMAT, lines: 22, events: 5, unparsed: 14 });
  t.is(f.unparsedSample, undefined);

  const verbose = await cli(['analyze', '--format', 'json', '-v', PASTE]);
  const v = (JSON.parse(verbose.stdout) as { coverage: { files: FileCoverage[] } }).coverage.files[0];
  t.deepEqual(v.unparsedSample?.slice(0, 3), [
    { line: 2, text: 'Client:' },
    { line: 3, text: ' Version:      1.8.1' },
    { line: 4, text: ' API version:  1.20' },
  ]);
  // The first few, not all fourteen.
  t.true(v.unparsedSample!.length < 14);
});

test('Markdown: the coverage table has a "read as" column; -v adds the lines not understood', async (t) => {
  const r = await cli(['analyze', '--format', 'md', '-v', PASTE]);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /\| nsj7 \| oslo-log \(nova-compute\) \| paste \(shell prompts\) \+ oslo \| 1 \| 22 \| 5 \| 14 \|/);
  t.regex(r.stdout, /Lines not understood \(the first few of each file\):\n\n```+\n.*nova-compute-paste\.txt:2: Client:\n/);
  const quiet = await cli(['analyze', '--format', 'md', PASTE]);
  t.false(quiet.stdout.includes('Lines not understood'));
});

test("summary (stderr coverage): the table and the pasted file's line say what it was read as; -v lists the lines not understood", async (t) => {
  const r = await cli(['analyze', '--format', 'summary', '-v', PASTE]);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, /\nnsj7 +oslo-log \(nova-compute\) +paste \(shell prompts\) \+ oslo +1 +1\.1 KiB +22 +5 +0 +14 /);
  t.regex(
    r.stderr,
    /nova-compute-paste\.txt \[unnamed part, host nsj7, nova-compute\]: paste \(shell prompts\) \+ oslo; 22 lines, 5 events, 14 not understood/,
  );
  t.regex(r.stderr, /Lines not understood \(the first few of each file\)\n {2}.*nova-compute-paste\.txt:2: Client:\n/);
});

test('TUI: c opens the coverage screen, with the format and the lines not understood', async (t) => {
  const { report, store } = await analyze([PASTE]);
  const index = new TimelineIndex(store.events, new Map(report.hosts.map((h) => [h.name, h.clockOffsetMs])));
  const lookup = new Map(store.events.map((e) => [`${e.file}\u0000${e.line}`, e as Event]));
  const r = render(createElement(App, { report, index, lookup, width: 200, height: 50, color: false, onExport: () => '' }));
  const tick = (): Promise<void> => new Promise((res) => setTimeout(res, 80));
  await tick();
  r.stdin.write('c');
  let frame = '';
  for (let i = 0; i < 60 && !frame.includes('Lines not understood'); i++) {
    await tick();
    frame = r.lastFrame() ?? '';
  }
  r.unmount();
  t.regex(frame, /Coverage: what was read, as what/);
  t.true(frame.includes(FORMAT), frame);
  t.regex(frame, /nova-compute-paste\.txt:2: Client:/);
});

test('nothing usable: each input named with what it looked like and why, and what is read', async (t) => {
  // A corpus manifest: JSON that is neither a log, a fault nor a dump.
  const table = real('openstack-nova-api-guide-faults', 'manifest.json');
  const r = await cli(['events', table, join(ROOT, 'no-such-dir', 'nova-compute.log')]);
  t.is(r.code, 2);
  t.false(r.stderr.includes('    at '));
  const msg = r.stderr.slice(r.stderr.indexOf('nova-forensics: nothing usable'));
  t.regex(
    msg,
    /^nova-forensics: nothing usable was read from the inputs; this path could not be read:\n {2}.*no-such-dir\/nova-compute\.log: no such file or folder\n/,
  );
  t.regex(msg, /\n {2}.*openstack-nova-api-guide-faults\/manifest\.json\n {4}not read: text starting «\{/);
  t.regex(msg, /no-such-dir\/nova-compute\.log\n {4}1 path\(s\) in it could not be read \(listed above\)/);
  t.regex(msg, /what is read:\n {2}- sosreports/);
});
