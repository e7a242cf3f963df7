import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ByteSource } from './decode.js';
import type { Role } from './roles.js';
import { isJournalExport } from '../../parsers/journal-export.js';
import { applyPrefixes, sniffPrefixes } from '../../parsers/prefixes.js';
import { parseBareOsloLine, parseOsloLine } from '../../parsers/oslo-log.js';
import { serviceFromName } from '../../parsers/service-names.js';

/**
 * journald's binary journal files (`var/log/journal/<machine-id>/*.journal`):
 * no maintained reader exists for Node (docs/dependencies.md), and the format
 * (compressed objects, hash tables, entry arrays) is systemd's to keep. The
 * file is copied into a temp folder this process owns and handed to the
 * machine's `journalctl --file=… -o export`, whose output the export reader
 * parses as it streams. Where journalctl is missing, the file is skipped and
 * the coverage says how to export it.
 */

/** journald's file header magic (`LPKSHHRH`, systemd's journal-def.h). */
export function isJournalFile(head: Buffer): boolean {
  return head.length >= 8 && head.toString('latin1', 0, 8) === 'LPKSHHRH';
}

let found: string | null | undefined;

/** The machine's journalctl, or null. */
export function journalctlPath(): string | null {
  if (found !== undefined) return found;
  for (const p of ['/usr/bin/journalctl', '/bin/journalctl']) {
    const r = spawnSync(p, ['--version'], { stdio: 'ignore' });
    if (r.status === 0) return (found = p);
  }
  return (found = null);
}

export class JournalctlMissing extends Error {
  constructor(name: string) {
    super(
      `a binary journal; journalctl is not installed here, so it was skipped. Export it where journalctl is: journalctl --file=${name} -o export > ${name}.export, and give that file`,
    );
  }
}

/**
 * The export-format text of a binary journal: copied to a temp file (journalctl
 * reads files, not pipes), then streamed out of `journalctl -o export`. The
 * temp folder is removed whatever happens.
 */
export async function* exportJournalFile(src: ByteSource, name: string): AsyncGenerator<Buffer> {
  const journalctl = journalctlPath();
  if (!journalctl) {
    for await (const _ of src) {
      // drained, so an archive can go on
    }
    throw new JournalctlMissing(name);
  }
  const dir = await mkdtemp(join(tmpdir(), 'nova-forensics-journal-'));
  try {
    // journalctl only opens names ending in .journal or .journal~.
    const file = join(dir, 'copy.journal');
    const out = createWriteStream(file);
    for await (const c of src) if (!out.write(c)) await once(out, 'drain');
    out.end();
    await once(out, 'close');
    const child = spawn(journalctl, [`--file=${file}`, '-o', 'export', '--no-pager'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8', SYSTEMD_COLORS: '0', SYSTEMD_PAGER: '' },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      if (stderr.length < 2000) stderr += d;
    });
    const exited = once(child, 'close');
    try {
      for await (const c of child.stdout) yield c as Buffer;
    } finally {
      if (child.exitCode === null) child.kill();
    }
    const [code] = (await exited) as [number | null];
    if (code !== 0) throw new Error(`journalctl could not read this journal (exit ${code}): ${stderr.trim().split('\n')[0] ?? ''}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A loose file whose name says nothing, recognised by its content as a
 * service log behind a collector: a binary journal, journald's export, or
 * lines a prefix format covers whose rest is oslo (`journalctl -u nova-compute
 * > journal.txt`, a CRI log, a syslog excerpt); or oslo lines of a header
 * shape the walker's quick test does not know (Essex and Folsom, no pid).
 */
export function collectorLogRole(head: Buffer, name: string): Role | undefined {
  const service = serviceFromName(name);
  if (isJournalFile(head)) return { kind: 'oslo-log', service, group: name, rotationRank: 2e9, layout: 'journal-binary' };
  if (isJournalExport(head)) return { kind: 'oslo-log', service, group: name, rotationRank: 2e9, layout: 'journal-export' };
  const lines = head.toString('utf8', 0, Math.min(head.length, 16384)).split('\n').slice(0, 64);
  const formats = sniffPrefixes(lines);
  for (const l of lines) {
    // Without a prefix, any header shape the parser knows (Essex's and Folsom's have no pid).
    const rest = formats.length > 0 ? applyPrefixes(formats, l)?.rest : l;
    if (rest !== undefined && (parseOsloLine(rest) || (formats.length > 0 && parseBareOsloLine(rest)))) {
      return { kind: 'oslo-log', service, group: name, rotationRank: 2e9, layout: 'loose' };
    }
  }
  return undefined;
}
