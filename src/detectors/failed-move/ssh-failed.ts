import { exceptionOfText } from '../../../parsers/exception-text.js';
import type { StoredEvent } from '../../correlate/event-store.js';
import type { Remediation } from '../../model/finding.js';
import { fieldsOf } from '../../signatures/move.js';
import { type Cause, logEvidence, namedHost } from '../detector.js';
import { type MoveEvidence, phrase } from './evidence.js';
import { rollbackOf } from './moves.js';

/**
 * A cold migration or resize whose source could not reach the destination over ssh as the user nova-compute runs as:
 * the libvirt driver creates the instance's directory on the destination (`ssh <dest> mkdir -p
 * /var/lib/nova/instances/<uuid>`) and copies its disks with scp or rsync before anything moves. Kilo+ raises
 * ResizeError with nova's own reason "not able to execute ssh command: %s" (catalogued as migration-ssh-failed, any
 * language) and keeps the instance where it was; older releases let the ProcessExecutionError of that command go up.
 * What ssh said (its Stderr) tells which of the nova user's keys or known_hosts to fix.
 */

const REASON = 'migration-ssh-failed';

/** The command nova ran on the destination through ssh (to its path's end), or its copy to it: the host named. */
const SSH_COMMAND =
  /\bssh(?: -o \S+| -p \d+| -[46])* (?<host>[\w.:-]+)(?: -p \d+)? (?:mkdir|touch|rm|mv|cp)(?: -\w+)* \S+|\b(?:scp|rsync)(?: -\S+)* \S+ (?<to>[\w.-]+):\S*\/instances\/\S*/;

/** `Stderr: '…'`: what ssh printed, its CR LF pairs escaped as python printed them; on its own line or joined to the rest. */
const STDERR = /\bStderr: u?(['"])(?<text>(?:\\.|(?!\1).)*)\1/;

interface SshFailure {
  event: StoredEvent;
  host?: string;
  command?: string;
  /** ssh's last words: `Permission denied (publickey).`, `Host key verification failed.` */
  said?: string;
  /** All it printed (a changed host key's banner comes before the refusal). */
  printed?: string;
}

function textsOf(e: StoredEvent): string[] {
  return [e.message, ...(e.traceback ?? [])];
}

/** The move's lines that say its ssh failed: nova's reason, or the command it ran over ssh failing. */
function sshFailureOf(ev: MoveEvidence): SshFailure | undefined {
  let found: SshFailure | undefined;
  for (const e of [...ev.move.signals, ...ev.related]) {
    const texts = textsOf(e);
    const reason = fieldsOf(e, ['ResizeError'])?.reason ?? rollbackOf([e])?.fields.reason;
    const byReason = reason !== undefined && exceptionOfText(reason, ['ResizeError'])?.reason === REASON;
    let command: string | undefined;
    let host: string | undefined;
    let said: string | undefined;
    let printed: string | undefined;
    for (const t of texts)
      for (const line of t.split('\n')) {
        const c = SSH_COMMAND.exec(line);
        if (c && !command) {
          command = c[0];
          host = c.groups!.host ?? c.groups!.to;
        }
        const s = STDERR.exec(line);
        if (s && !said) {
          said = lastWords(s.groups!.text);
          printed = s.groups!.text;
        }
      }
    if (!byReason && !command) continue;
    if (!found || (!found.command && command)) found = { event: e, host, command, said, printed };
    if (found.command && found.said) break;
  }
  return found;
}

/** ssh's telling line: the last non-banner line of what it printed (`\r\n`-escaped as python printed it). */
function lastWords(stderr: string): string | undefined {
  const lines = stderr
    .split(/\\r\\n|\\n|\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !/^@+$/.test(l) && !/^@.*@$/.test(l));
  return lines[lines.length - 1];
}

export const sshToDestinationFailed: Cause<MoveEvidence> = {
  code: 'ssh-to-destination-failed',
  title: "The nova user's ssh (or scp) from the source to the destination failed",
  decidedBy:
    'ResizeError whose reason is the libvirt driver\'s "not able to execute ssh command: …" (any language nova shipped), or the move\'s command run on the destination over ssh (`ssh <dest> mkdir -p …/instances/<uuid>`, scp or rsync of its disks) failing',
  action:
    "fix the nova user's ssh between the computes (its key, its permissions, the destination's authorized_keys, known_hosts, the destination's sshd), then move again",
  details:
    '`operation`, `source`, `destination`, `state`, `command` (what nova ran over ssh), `step` (`directory`: before anything moved; `copy`: the disk copy, the guest powered off), `sshSaid` (the last line ssh printed)',
  headline: (v, what) =>
    `${what} failed: ${v.details.step === 'copy' ? 'copying its disk' : "the source's ssh"} to ${v.details.destination ?? 'the destination'} as nova failed${v.details.sshSaid ? ` (${v.details.sshSaid})` : ''}`,
  decide(ev) {
    const f = sshFailureOf(ev);
    if (!f) return undefined;
    const destination = f.host ?? ev.destination;
    const source = namedHost(ev.source, f.event.service === 'nova-compute' ? f.event.host : undefined);
    const on = source ?? 'the source';
    const dest = destination ?? '<destination>';
    const said = f.said ?? '';
    const remediation: Remediation[] = [
      {
        command: `sudo -u nova ssh -o BatchMode=yes ${dest} true   # on ${on}, as the user nova-compute runs as`,
        why: 'what nova does before a resize or cold migration moves anything: it must print nothing and exit 0',
      },
    ];
    const printed = f.printed ?? said;
    if (/Host key verification failed|IDENTIFICATION HAS CHANGED|host key/i.test(printed))
      remediation.push({
        command: `sudo -u nova ssh-keygen -R ${dest}   # on ${on}, once the destination's new host key is known to be right`,
        why: "the nova user's known_hosts holds an old key for the destination (reinstalled, or its address reused)",
      });
    if (/Permission denied|bad permissions|publickey/i.test(printed))
      remediation.push({
        command: `sudo ls -la ~nova/.ssh/   # on ${on}; the key must be 0600 and the nova user's, its public half in ~nova/.ssh/authorized_keys on ${dest}`,
        why: "ssh refused the key: one too open is ignored, one not in the destination's authorized_keys is not accepted",
      });
    if (/subsystem request failed/i.test(printed))
      remediation.push({
        command: `grep -i '^Subsystem' /etc/ssh/sshd_config   # on ${dest}, in the sshd nova's scp reaches`,
        why: "the destination's sshd has no sftp subsystem: OpenSSH 9's scp copies over SFTP",
      });
    remediation.push({
      command: `openstack server show ${ev.move.instanceUuid ?? '<server>'} -c status -c OS-EXT-SRV-ATTR:host`,
      why: "the instance's state and host before moving it again",
    });
    // The disk is copied after the guest was powered off; the directory is made before anything is touched.
    const step = f.command && /^(?:scp|rsync)\b/.test(f.command) ? 'copy' : 'directory';
    const left = ev.state ? ` The instance was left ${ev.state}${step === 'directory' ? ', on its source' : ''}.` : '';
    return {
      code: 'ssh-to-destination-failed',
      summary:
        step === 'copy'
          ? `The ${phrase({ ...ev, source, destination })} failed copying the instance's disk to the destination as nova (${f.command}), after the guest had been powered off for it${said ? `; ssh said: ${said}` : ''}.${left}`
          : `The ${phrase({ ...ev, source, destination })} failed before anything moved: the source could not run its command on the destination over ssh as nova${f.command ? ` (${f.command})` : ''}${said ? `; ssh said: ${said}` : ''}.${left}`,
      details: {
        operation: ev.operation,
        source,
        destination,
        state: ev.state,
        ...(f.command ? { command: f.command } : {}),
        step,
        ...(said ? { sshSaid: said } : {}),
      },
      evidence: [logEvidence(f.event)],
      gaps: f.said ? [] : ["what ssh printed (the command's Stderr) is not in the lines read: which key or host key to fix is not known"],
      remediation,
    };
  },
};
