import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import anyTest from 'ava';
import { CORPUS, SEEDS, withShared } from './helpers/shared.js';
import { parseOsloLineByPattern, scanOsloHeader } from '../parsers/oslo-log.js';
import { applyPrefixes, sniffPrefixes } from '../parsers/prefixes.js';

/**
 * The character-code scan of the common header is a speed-up of OSLO_HEADER,
 * never a second definition: whatever it accepts, the regex must give the same
 * fields for; what it declines goes to the regex.
 */

const test = withShared();

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(log|txt|md|tailed|gz|\d+)$/.test(name) && !name.endsWith('.csv')) yield p;
  }
}

function check(t: import('ava').ExecutionContext, line: string, where: string): 'fast' | 'declined' | 'mismatch' {
  const fast = scanOsloHeader(line);
  if (fast === null) return 'declined';
  const slow = parseOsloLineByPattern(line);
  if (JSON.stringify(fast) === JSON.stringify(slow)) return 'fast';
  t.log(`${where}\n  line: ${line.slice(0, 300)}\n  scan: ${JSON.stringify(fast)}\n  regex: ${JSON.stringify(slow)}`);
  return 'mismatch';
}

test('on every line of the real corpus and the seeds, the fast header scan gives what the regex gives, or declines', (t) => {
  const n = { fast: 0, declined: 0, mismatch: 0, matchedByRegex: 0 };
  for (const root of [CORPUS, SEEDS]) {
    for (const f of files(root)) {
      const buf = readFileSync(f);
      const text = (f.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
      const lines = text.split('\n');
      const prefixes = sniffPrefixes(lines.slice(0, 32));
      for (const [i, raw] of lines.entries()) {
        const line = prefixes.length > 0 ? (applyPrefixes(prefixes, raw)?.rest ?? raw) : raw;
        if (parseOsloLineByPattern(line)) n.matchedByRegex++;
        n[check(t, line, `${f}:${i + 1}`)]++;
      }
    }
  }
  t.log(n);
  t.is(n.mismatch, 0);
  // The scan must carry the bulk of the real lines, or it speeds nothing up.
  t.true(n.fast > n.matchedByRegex * 0.8, JSON.stringify(n));
});

anyTest('header shapes the scan declines still parse through the regex; those it takes match it', (t) => {
  const ctx = '[req-6b1b3f1e-3d7c-4a49-9f4e-2f9c3b1f0a11 9a8b7c6d 1a2b3c4d - default default]';
  const cases: [string, 'fast' | 'declined'][] = [
    [`2024-10-02 12:07:18.800 1590924 WARNING nova.compute.resource_tracker ${ctx} msg`, 'fast'],
    [`2024-10-02T12:07:18.800 17 INFO nova.api ${ctx} [instance: 2f565c93-1b2e-4a1f-9a2b-3c4d5e6f7a8b] msg`, 'fast'],
    ['2024-10-02 12:07:18.800 17 INFO nova.api', 'fast'],
    ['2024-10-02 12:07:18.800 17 INFO nova.api ', 'fast'],
    ['2024-10-02 12:07:18.800 17 WARN nova.api [-] x', 'fast'],
    ['2024-10-02 12:07:18.800 17 ERROR nova.compute.manager [instance: 2f565c93-1b2e-4a1f-9a2b-3c4d5e6f7a8b] Traceback', 'fast'],
    ['2024-10-02 12:07:18.800 17 ERROR nova [None req-1 - - - - - -] a [b] c', 'fast'],
    ['2024-10-02 12:07:18.800 17 INFO nova.api [req-1  user] double space inside the context', 'fast'],
    ['2024-10-02 12:07:18.800123 17 INFO nova.api [-] six fraction digits', 'declined'],
    ['2024-10-02 12:07:18 17 INFO nova.api [-] no fraction', 'declined'],
    ['2024-10-02 12:07:18,800 17 INFO nova.api [-] comma', 'declined'],
    ['2024-10-02 12:07:18.800+02:00 17 INFO nova.api [-] zone', 'declined'],
    ['2024-10-02 12:07:18.800  17 INFO nova.api [-] two spaces before the pid', 'declined'],
    ['2024-10-02 12:07:18.800 17  INFO nova.api [-] two spaces before the level', 'declined'],
    ['2024-10-02 12:07:18.800 17 INFO nova.api\t[-] a tab after the logger', 'declined'],
    ['2024-10-02 12:07:18.800 17 INFO nova.api[-] a bracket in the logger', 'declined'],
    ['2024-10-02 12:07:18.800 17 INFO nová.api [-] non-ASCII logger', 'declined'],
    ['2024-10-02 12:07:18.800 17 NOTICE nova.api [-] unknown level', 'declined'],
    ['2024-10-02 12:07:18.800 x17 INFO nova.api [-] pid not a number', 'declined'],
  ];
  for (const [line, want] of cases) {
    const got = check(t, line, 'case');
    t.is(got, want, line);
  }
  // What is declined is still read, by the regex, where it is a header at all.
  t.truthy(parseOsloLineByPattern(cases[8][0]));
  t.truthy(parseOsloLineByPattern(cases[12][0]));
  t.is(parseOsloLineByPattern(cases[15][0]), undefined);
});
