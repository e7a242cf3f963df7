import test from 'ava';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { analyze } from '../src/pipeline/analyze.js';
import { policyStore } from '../src/report/output.js';
import { escapeChar, jsonText, visibleDeep, visibleLine, visibleText } from '../src/report/sanitise.js';
import { App } from '../src/views/tui/app.js';
import { Loading } from '../src/views/tui/run.js';
import { eventLines, incidentLines, printable } from '../src/views/tui/text.js';
import { TimelineIndex } from '../src/views/tui/timeline-index.js';
import { cli } from './helpers/cli.js';
import { ROOT } from './helpers/shared.js';
import { sosTree, tar, tmp, write } from './helpers/fixture-tree.js';

/**
 * The worst strings of the public terminal-injection write-ups (OSC 52
 * clipboard writes, OSC 8 links, title sets and title reports, screen
 * clears, DCS/DECRQSS, 8-bit C1 controls, Trojan Source bidi) through every
 * output: nothing may reach a terminal raw.
 */
const HOSTILE: [string, string][] = [
  ['OSC 52 clipboard write', '\x1b]52;c;ZWNobyBwd25lZA==\x07'],
  ['OSC 8 hyperlink', '\x1b]8;;https://evil.example/\x1b\\click here\x1b]8;;\x1b\\'],
  ['OSC 0 window title', '\x1b]0;pwned\x07'],
  ['OSC 2 title, ST-terminated', '\x1b]2;pwned\x1b\\'],
  ['title report (answerback into the shell)', '\x1b[21t'],
  ['clear screen and home', '\x1b[2J\x1b[H'],
  ['erase the previous line', '\x1b[1A\x1b[2K'],
  ['hidden text', '\x1b[8mhidden\x1b[0m'],
  ['alternate screen', '\x1b[?1049h'],
  ['DECRQSS (DCS)', '\x1bP$q"p\x1b\\'],
  ['APC, PM, SOS strings', '\x1b_apc\x1b\\\x1b^pm\x1b\\\x1bXsos\x1b\\'],
  ['8-bit CSI (C1)', '\u009b2J'],
  ['8-bit OSC and ST (C1)', '\u009d0;pwned\u009c'],
  ['8-bit DCS, APC, PM, SOS (C1)', '\u0090x\u009c\u009fx\u009c\u009ex\u009c\u0098x\u009c'],
  ['Trojan Source: RLO', 'access = "user\u202e \u2066// admin\u2069 \u2066"'],
  ['bidi embeddings and isolates', '\u202a\u202b\u202c\u202d\u2067\u2068'],
  ['BEL, BS, CR, VT, FF, DEL', 'a\x07b\x08c\rd\x0be\x0cf\x7fg'],
  ['line and paragraph separators', 'one\u2028two\u2029three'],
  ['tag characters (invisible text)', 'x\u{e0041}\u{e0042}y'],
];
const UNSAFE_TEXT =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u{e0000}-\u{e007f}]/u;

for (const [what, s] of HOSTILE) {
  test(`sanitiser: ${what} is shown escaped, as text`, (t) => {
    const text = visibleText(`before ${s} after`);
    t.false(UNSAFE_TEXT.test(text), JSON.stringify(text));
    t.true(text.startsWith('before ') && text.endsWith(' after'));
    t.is(visibleText(text), text, 'escaping twice changes nothing');
    const json = jsonText({ s });
    t.false(UNSAFE_TEXT.test(json), json);
    t.deepEqual(JSON.parse(json), { s }, 'JSON keeps the value: its escapes parse back to it');
  });
}

test('escapes read as what they are: \\x1b, \\x9b, \\u202e, \\u{e0041}', (t) => {
  t.is(visibleText('\x1b[2J'), '\\x1b[2J');
  t.is(visibleText('\u009b2J'), '\\x9b2J');
  t.is(visibleText('a\u202eb'), 'a\\u202eb');
  t.is(escapeChar('\u{e0041}'), '\\u{e0041}');
  t.is(visibleText('tab\tand\nnewline'), 'tab\tand\nnewline', 'text keeps tabs and newlines');
  t.is(visibleLine('name\nINJECTED'), 'name\\x0aINJECTED', 'a name is one line');
  t.is(visibleText('only \x1b'), 'only \\x1b');
  t.is(visibleText('nul\x00'), 'nul\\x00');
  t.is(visibleText('\ud800 lone'), '\\ud800 lone', 'an unpaired surrogate too');
  t.is(jsonText('\u009b\u202e\u2028'), '"\\u009b\\u202e\\u2028"');
  t.deepEqual(visibleDeep({ raw: 'a\nb\x1b', host: 'h\nx', list: ['\u202e'] }), { raw: 'a\nb\\x1b', host: 'h\\x0ax', list: ['\\u202e'] });
});

// --- every output, from hostile inputs ------------------------------------------

const CTX =
  '[req-f194cea3-b82b-466b-84cb-5d09456ebf81 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - default default]';
const EVIL_NAME = 'evil\x1b]0;pwned\x07\nINJECTED-LINE \u202eacd.exe\r\u009b2J';

function hostileInputs(): { dir: string; log: string; archive: string } {
  const dir = tmp();
  // a folder whose name holds ESC, BEL, a newline, CR, RLO and 8-bit CSI; the log in it is read by its name
  const logDir = join(dir, EVIL_NAME);
  mkdirSync(logDir, { recursive: true });
  const log = join(logDir, 'nova-conductor.log');
  // hostile lines among ordinary ones, as in a real log (a file of mostly control bytes reads as binary, and is skipped)
  const ordinary = Array.from(
    { length: 60 },
    (_, n) =>
      `2024-10-02 09:29:${String(n % 60).padStart(2, '0')}.000 31 INFO nova.conductor.manager [-] Waiting for the scheduler, attempt ${n}`,
  );
  const lines = [
    ...ordinary,
    `2024-10-02 09:30:12.511 31 ERROR nova.conductor.manager ${CTX} Failed to schedule instances: nova.exception_Remote.NoValidHost_Remote: No valid host was found. ${HOSTILE.map(([, s]) => s).join(' ')}`,
    `2024-10-02 09:30:12.513 31 WARNING nova.scheduler.utils ${CTX} [instance: 5ae72bc6-405d-47ae-b299-122c56896b80] Setting instance to ERROR state.: nova.exception_Remote.NoValidHost_Remote: No valid host was found.`,
    ...HOSTILE.map(([what, s], n) => `2024-10-02 09:30:12.${520 + n} 31 WARNING nova.conductor.manager ${CTX} ${what}: ${s} end`),
    // a line that is nothing but an escape sequence
    `2024-10-02 09:30:12.600 31 WARNING nova.conductor.manager ${CTX} \x1b[2J`,
    // and one that is only a device status report (a terminal would answer it into the shell's input)
    `2024-10-02 09:30:12.602 31 WARNING nova.conductor.manager ${CTX} \x1b[6n`,
    // the literal text of an escape, decoded by the parser (python repr, rsyslog)
    `2024-10-02 09:30:12.601 31 WARNING nova.conductor.manager ${CTX} literal \\x1b]0;pwned\\x07 and #033[2J`,
    '',
  ];
  write(log, lines.join('\n'));
  // a sosreport whose hostname, member names and link target hold the same
  const root = 'sosreport-cmp6-2024-10-02-iiiiiii';
  sosTree(dir, root, 'cmp6');
  writeFileSync(join(dir, root, 'sos_commands', 'host', 'hostname'), 'cmp6\x1b]0;host\x07\n');
  write(join(dir, root, 'var', 'log', 'nova', `${EVIL_NAME}.log`), 'not a log\n');
  const archive = tar(dir, root, join(tmp(), `${root}.tar`), '');
  return { dir, log, archive };
}

function noRawControls(t: import('ava').ExecutionContext, what: string, text: string): void {
  const m = UNSAFE_TEXT.exec(text);
  t.falsy(
    m,
    `${what}: raw ${m ? escapeChar(m[0]) : ''} near ${m ? JSON.stringify(text.slice(Math.max(0, m.index - 60), m.index + 20)) : ''}`,
  );
  for (const line of text.split('\n')) t.false(/^\W*INJECTED-LINE/.test(line), `${what}: a name started a line: ${line}`);
}

test('no raw control, C1 or bidi character reaches any output; a newline in a name starts no line', async (t) => {
  const { log, archive } = hostileInputs();
  const out = join(tmp(), 'report.md');
  const runs: string[][] = [
    ['events', log, archive, '--host', 'ctl9'],
    ['events', log, archive, '--host', 'ctl9', '--raw', '--verbose'],
    ['events', log, archive, '--host', 'ctl9', '--summary'],
    ['analyze', log, archive, '--host', 'ctl9', '--format', 'md', '--verbose'],
    ['analyze', log, archive, '--host', 'ctl9', '--format', 'json'],
    ['analyze', log, archive, '--host', 'ctl9', '--format', 'ndjson'],
    ['analyze', log, archive, '--host', 'ctl9', '--format', 'summary', '--verbose'],
    ['report', log, archive, '--host', 'ctl9', '-o', out],
    ['audit', archive],
    ['audit', archive, '--format', 'json'],
    // an error message quoting a path
    ['events', join(tmp(), EVIL_NAME)],
  ];
  const results = await Promise.all(runs.map((args) => cli(args)));
  let sawEscaped = false;
  for (const [n, r] of results.entries()) {
    const what = runs[n].filter((a) => a !== log && a !== archive).join(' ');
    noRawControls(t, `${what} stdout`, r.stdout);
    noRawControls(t, `${what} stderr`, r.stderr);
    if (/\\x1b\]0;pwned|\\u001b\]0;pwned/.test(r.stdout)) sawEscaped = true;
  }
  const md = readFileSync(out, 'utf8');
  noRawControls(t, 'report -o file', md);
  t.true(sawEscaped, 'the sequences are shown, escaped');
  t.regex(md, /\\x1b\]52;c;ZWNobyBwd25lZA==\\x07/, 'OSC 52 reads as text in the report');
  t.regex(md, /INJECTED-LINE/, 'the hostile folder name is in the report, on one line');
  // JSON keeps the values: a tool reading it gets the path as it is
  const json = JSON.parse(results[4].stdout);
  t.true(json.coverage.files.some((f: { path: string }) => f.path.includes(EVIL_NAME)));
  const events = results[1].stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const only = events.find((e) => e.ts === '2024-10-02T09:30:12.600');
  t.is(only?.message, '\x1b[2J', 'a line that is only an escape sequence keeps it (escaped by the writer), it is not empty');
  t.regex(results[3].stdout, /\\x1b\[2J/);
  t.true(results[1].stdout.includes('"message":"\\u001b[6n"'), 'NDJSON: a \\u escape');
  t.true(results[3].stdout.includes('\\x1b[6n'), 'Markdown: the line that is only ESC[6n shows as \\x1b[6n');
  t.true(md.includes('\\x1b[6n'), 'report -o: the line that is only ESC[6n shows as \\x1b[6n, not as an empty line');
});

test('the TUI shows the same escapes: rows, the event detail, the loading screen', async (t) => {
  const { log, archive } = hostileInputs();
  const { report: raw, store } = await analyze([log, archive], { host: 'ctl9' });
  const { report, events } = policyStore(raw, store.events, { redact: true });
  const lines = [...events.flatMap((e) => eventLines(e, 120)), ...report.incidents.flatMap((i) => incidentLines(i, 120))].map(printable);
  for (const l of lines) noRawControls(t, 'tui line', l);
  t.true(lines.some((l) => l.includes('\\x1b]52;c;')));
  const index = new TimelineIndex(events, new Map(report.hosts.map((h) => [h.name, h.clockOffsetMs])));
  const lookup = new Map(events.map((e) => [`${e.file}\u0000${e.line}`, e]));
  let row = 0;
  while (row < index.length && !index.event(row)!.message.includes('clipboard')) row++;
  const app = render(
    createElement(App, {
      report,
      index,
      lookup,
      width: 160,
      height: 40,
      color: false,
      onExport: () => '/tmp/x.md',
      initial: { screen: 'whole', row },
    }),
  );
  await new Promise((r) => setTimeout(r, 150));
  // Ink's own inverse video for the selected row is the only escape it may write
  const frame = (app.lastFrame() ?? '').replace(/\x1b\[(?:7|27|39|49|0)?m/g, '');
  app.unmount();
  noRawControls(t, 'tui frame', frame);
  t.regex(frame, /\\x1b|\\x9b|\\u202e/);
  const loading = render(
    createElement(Loading, {
      progress: {
        files: 1,
        bytes: 10,
        current: `${EVIL_NAME}/nova-compute.log`,
        hosts: new Map([[EVIL_NAME, { files: 1, bytes: 10 }]]),
        // the progress line names the host read
        summary: `10 B read, 1 file, host ${EVIL_NAME}`,
      },
      width: 160,
      error: `failed: ${EVIL_NAME}`,
    }),
  );
  const lf = (loading.lastFrame() ?? '').replace(/\x1b\[(?:\d+;?)*m/g, '');
  loading.unmount();
  noRawControls(t, 'loading screen', lf);
  t.regex(lf, /\\x1b\]0;pwned/);
});

test('SQL values from a dump (an instance name holding ESC, BEL, a newline, RLO and 8-bit CSI) reach audit and analyze escaped, on one line', async (t) => {
  const name = 'never\\nINJECTED-LINE \x1b]0;pwned\x07 \u202eexe.txt \u009b2J';
  const dump = readFileSync(join(ROOT, 'test', 'fixtures', 'dumps', 'default.sql'), 'latin1').replace(
    "'never-scheduled'",
    // mysqldump writes a newline in a string as \n and other controls raw; the dump is UTF-8
    `'${Buffer.from(name, 'utf8').toString('latin1')}'`,
  );
  const file = join(tmp(), 'nova-dump.sql');
  writeFileSync(file, dump, 'latin1');
  const runs = [
    ['audit', file],
    ['audit', file, '--format', 'json'],
    ['analyze', file, '--format', 'md'],
  ];
  const results = await Promise.all(runs.map((args) => cli(args)));
  for (const [n, r] of results.entries()) {
    noRawControls(t, `${runs[n].join(' ')} stdout`, r.stdout);
    noRawControls(t, `${runs[n].join(' ')} stderr`, r.stderr);
  }
  t.regex(
    results[0].stdout,
    /never\\x0aINJECTED-LINE \\x1b\]0;pwned\\x07 \\u202eexe\.txt \\x9b2J/,
    'the name is shown, escaped, on one line',
  );
  const json = JSON.parse(results[1].stdout);
  t.true(
    JSON.stringify(json).includes('never\\nINJECTED-LINE \\u001b]0;pwned\\u0007 \u202eexe.txt \u009b2J'),
    'JSON gives the value as it was',
  );
  t.true(results[1].stdout.includes('\\u202eexe.txt \\u009b2J'), 'in \\u escapes');
});

test('the progress line on a terminal shows the host read escaped, masked and obfuscated', async (t) => {
  const { progressLine } = await import('../src/commands/progress.js');
  const { outputPolicy } = await import('../src/report/output.js');
  const { PassThrough } = await import('node:stream');
  const run = async (host: string, policy: ReturnType<typeof outputPolicy>): Promise<string> => {
    const err = Object.assign(new PassThrough(), { isTTY: true, columns: 200 });
    let text = '';
    err.setEncoding('utf8').on('data', (d: string) => (text += d));
    const line = progressLine([], err, true, policy);
    // the line shows once a run has lasted a second
    await new Promise((r) => setTimeout(r, 1100));
    line.onProgress?.({ files: 1, bytes: 4096, host, current: `${host}/nova-compute.log` });
    await new Promise((r) => setTimeout(r, 50));
    line.stop();
    // cli-progress's own cursor, wrap and erase sequences (ESC 7/8, ?7l/h, ?25l/h, G, K, A) are ours; nothing else may be raw
    return text.replace(/\x1b(?:\[(?:\?(?:25|7)[lh]|\d*[GKA])|[78])/g, '');
  };
  const evil = await run(EVIL_NAME, outputPolicy({ redact: true }));
  noRawControls(t, 'progress line', evil);
  t.true(evil.includes('host evil\\x1b]0;pwned\\x07\\x0aINJECTED-LINE'), JSON.stringify(evil));
  const obf = await run('cmp07.cloud.example', outputPolicy({ redact: true, obfuscate: true, obfuscateKey: 'k' }));
  t.regex(obf, /host host-[0-9a-f]{6}\.domain-[0-9a-f]{6}\.example/);
  t.false(obf.includes('cmp07'), JSON.stringify(obf));
});

test('C1 controls as raw bytes (not UTF-8) and UTF-8 encoded: the output bytes hold neither; encoded ones show as \\x9b, raw ones as U+FFFD', async (t) => {
  const { execFile } = await import('node:child_process');
  const { CLI } = await import('./helpers/cli.js');
  const bytes = (args: string[]): Promise<Buffer> =>
    new Promise((resolve, reject) =>
      execFile(process.execPath, [CLI, ...args], { encoding: 'buffer', maxBuffer: 1 << 26 }, (e, out, err) =>
        e && !out.length ? reject(e) : resolve(Buffer.concat([out, err])),
      ),
    );
  const ctx =
    '[req-f194cea3-b82b-466b-84cb-5d09456ebf81 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - default default]';
  const ordinary = Array.from(
    { length: 30 },
    (_, n) => `2024-10-02 09:29:${String(n).padStart(2, '0')}.000 31 INFO nova.conductor.manager [-] Waiting, attempt ${n}\n`,
  );
  const log = join(tmp(), 'nova-conductor.log');
  write(
    log,
    Buffer.concat([
      Buffer.from(ordinary.join('')),
      Buffer.from(
        `2024-10-02 09:30:12.511 31 ERROR nova.conductor.manager ${ctx} Failed to schedule instances: NoValidHost_Remote: No valid host was found. raw: `,
      ),
      Buffer.from([0x9b, 0x32, 0x4a, 0x20, 0x9d, 0x30, 0x3b, 0x74, 0x9c]),
      Buffer.from(' encoded: \u009b2J \u009d0;t\u009c end\n'),
      Buffer.from(
        `2024-10-02 09:30:12.513 31 WARNING nova.scheduler.utils ${ctx} [instance: 5ae72bc6-405d-47ae-b299-122c56896b80] Setting instance to ERROR state.: NoValidHost_Remote: No valid host was found.\n`,
      ),
    ]),
  );
  for (const args of [
    ['events', log, '--host', 'c1', '--raw'],
    ['analyze', log, '--host', 'c1', '--format', 'md'],
    ['analyze', log, '--host', 'c1', '--format', 'json'],
  ]) {
    const out = await bytes(args);
    // valid UTF-8 throughout: no lone byte 0x80-0x9F a terminal could read as 8-bit C1
    const text = new TextDecoder('utf-8', { fatal: true }).decode(out);
    t.false(/[\u0080-\u009f]/.test(text), `${args.join(' ')}: no C1 character`);
    t.true(
      text.includes('encoded: \\x9b2J \\x9d0;t\\x9c end') || text.includes('encoded: \\u009b2J \\u009d0;t\\u009c end'),
      args.join(' '),
    );
    t.true(text.includes('raw: \ufffd2J \ufffd0;t\ufffd'), `${args.join(' ')}: raw bytes are U+FFFD`);
  }
});
