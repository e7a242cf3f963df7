import type { Evidence, Remediation } from '../../../model/finding.js';
import { COMPUTE_FAILURES, type ComputeFailureKind, SPAWN_FAILED, virtDriverOf } from '../../../signatures/compute-failure.js';
import { type Cause, logEvidence, type Verdict } from '../../detector.js';
import type { Attempt, BuildEvidence } from '../evidence.js';

/**
 * The build got a host and failed there: one cause per compute-side kind of
 * ../../compute-failure.ts (the table says which classes decide each), the
 * last attempt deciding. An attempt the table does not classify is the
 * hypervisor's spawn failure when the line says the spawn failed, else a
 * compute failure of unknown kind.
 */

/** The attempt that decides: the last one (earlier ones were rescheduled). */
function lastAttempt(ev: BuildEvidence): Attempt | undefined {
  const all = ev.attempts();
  return all[all.length - 1];
}

function codeOf(a: Attempt): string {
  return a.kind?.code ?? (a.spawn ? SPAWN_FAILED.code : 'unknown');
}

/** A loose file's host is `unknown` until a line names it. */
function where(host: string): string {
  return host === 'unknown' ? 'its compute (the log names no host)' : host;
}

/** nova's own wrappers of a build's failure: their class says nothing of what failed. */
const NOVA_WRAPPERS: ReadonlySet<string> = new Set(['BuildAbortException', 'RescheduledException']);

function verdictFor(ev: BuildEvidence, a: Attempt, kind: Omit<ComputeFailureKind, 'exceptions'> | undefined): Verdict {
  const all = ev.attempts();
  const evidence: Evidence[] = all.flatMap((x) => [
    logEvidence(x.event, `${x.host}: ${x.label}`),
    ...(x.decidedBy ? [logEvidence(x.decidedBy)] : []),
  ]);
  const gaps: string[] = [];
  if (ev.build.attemptsOnly)
    gaps.push(
      "only failed attempts were read (no conductor line of the build, no database row): whether it was rescheduled to another host and succeeded there is not known; the controller's nova-conductor log or the database would say",
    );
  if (a.sameErrorAs)
    gaps.push(
      `this build's own lines name no cause: its error, '${a.sameErrorAs.error}', is the one ${a.sameErrorAs.build} failed with, whose lines decided it; the same error taken for the same failure`,
    );
  const earlier = all.slice(0, -1);
  // Decided by nova's own reason alone (the stage the build stopped at), the error under it of no class of that cause's
  // (libosinfo's GError under "Failure prepping block device"): that error says what failed, first.
  const reasonOnly =
    !!a.byReason && a.kind === a.byReason && !a.decidedBy && !a.byReason.exceptions.includes(a.label) && !NOVA_WRAPPERS.has(a.label);
  const stage: Remediation[] = reasonOnly
    ? [
        {
          command: `openstack server show ${ev.build.instanceUuid ?? '<server>'} -c fault`,
          why: `nova's reason names only the stage the build stopped at; the error logged there, ${a.label}, says what failed (on ${where(a.host)}): read it before the commands below, which take the cause to be ${kind?.code}`,
        },
      ]
    : [];
  return {
    code: codeOf(a),
    summary: `${kind ? kind.title : 'The compute failed the build'} on ${where(a.host)}: ${a.label}.${earlier.length ? ` Earlier attempts failed on ${earlier.map((x) => `${where(x.host)} (${x.label})`).join(', ')}.` : ''}`,
    details: { host: a.host, error: a.label, attempts: all.map((x) => ({ host: x.host, cause: codeOf(x), error: x.label })) },
    evidence,
    gaps,
    remediation: kind
      ? // A pasted fault names no compute: the commands say which one to run them on, not 'unknown'.
        [...stage, ...kind.commands(a.host === 'unknown' ? '<compute>' : a.host, a.driver ?? virtDriverOf(a.event))]
      : [
          {
            command: `openstack server show ${ev.build.instanceUuid ?? '<server>'} -c fault`,
            why: `the fault and ${a.host}'s nova-compute log hold the error`,
          },
        ],
  };
}

function computeCause(kind: Omit<ComputeFailureKind, 'exceptions'>): Cause<BuildEvidence> {
  return {
    code: kind.code,
    title: kind.title,
    decidedBy: kind.decidedBy,
    action: kind.action,
    details: '`host`, `error`, `attempts[]` (`host`, `cause`, `error`: each host tried, in order)',
    headline: (v, what) => `${what} failed on ${where(String(v.details.host))}: ${v.details.error}`,
    decide(ev) {
      const a = lastAttempt(ev);
      return a && codeOf(a) === kind.code ? verdictFor(ev, a, kind) : undefined;
    },
  };
}

export const COMPUTE_SIDE_CAUSES: readonly Cause<BuildEvidence>[] = [
  ...COMPUTE_FAILURES.map(computeCause),
  computeCause(SPAWN_FAILED),
  {
    code: 'unknown',
    title: 'A compute failed the build; its error names no known cause',
    decidedBy: 'a failed attempt on a compute whose error the compute-side table does not classify',
    action: "read the compute's log around the attempt (and the fault)",
    details: '`host`, `error`, `attempts[]`',
    headline: (v, what) => `${what} failed on ${where(String(v.details.host))}: ${v.details.error}`,
    decide(ev) {
      const a = lastAttempt(ev);
      return a && codeOf(a) === 'unknown' ? verdictFor(ev, a, undefined) : undefined;
    },
  },
];
