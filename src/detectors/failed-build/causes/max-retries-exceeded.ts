import type { Evidence, Remediation } from '../../../model/finding.js';
import { errorFromLastHost, noValidHostExceededAttempts, schedulerUtilsExceededAttempts } from '../../../signatures/conductor.js';
import { match, matches } from '../../../signatures/signature.js';
import { type Cause, logEvidence } from '../../detector.js';
import { failureClass } from '../builds.js';
import type { Attempt, BuildEvidence } from '../evidence.js';

/** What each host tried said, as a build's or a move's retries ran out: the attempts, the computes' own errors, the gaps. */
export interface HostsTried {
  attempts: Attempt[];
  /** Each attempt's line, then the computes' other ERRORs of the instance. */
  evidence: Evidence[];
  gaps: string[];
  /** `cause.details.attemptedHosts`. */
  attemptedHosts: { host: string; node?: string; cause: string; error: string }[];
  /** The commands the last attempt's compute-side cause gives for its host. */
  lastHostCommands: Remediation[];
}

/**
 * The hosts tried, one per host in time order, from the conductor's "Error
 * from last host" (nova/scheduler/utils.py _log_compute_error, logged at each
 * reschedule of a build or a resize, Icehouse+) and the computes' ERRORs of
 * the instance.
 */
export function hostsTried({ build: b, related, attempts: tried }: BuildEvidence): HostsTried {
  const evidence: Evidence[] = [];
  const gaps: string[] = [];
  const attempts = tried();
  for (const a of attempts) evidence.push(logEvidence(a.event, `attempt on ${a.host}: ${a.label}`));
  const shown = new Set(attempts.map((a) => a.event));
  const computeErrors = related.filter(
    (e) => e.service === 'nova-compute' && e.level === 'ERROR' && e.instanceUuid === b.instanceUuid && !shown.has(e),
  );
  for (const e of computeErrors) evidence.push(logEvidence(e));
  if (attempts.length === 0 && computeErrors.length === 0)
    gaps.push(
      'the attempted hosts\' errors are not in the logs read (no conductor "Error from last host" lines, no compute log of the attempts)',
    );
  const cause = (a: Attempt): string => a.kind?.code ?? (a.spawn ? 'spawn-failed' : 'unknown');
  // An attempt known by its compute's own line takes its node from the conductor's record of it.
  const nodes = new Map<string, string>();
  for (const e of related) {
    const last = match(errorFromLastHost, e);
    if (last && !nodes.has(last.host.split('.')[0])) nodes.set(last.host.split('.')[0], last.node);
  }
  const last = attempts[attempts.length - 1];
  return {
    attempts,
    evidence,
    gaps,
    attemptedHosts: attempts.map((a) => ({
      host: a.host,
      node: match(errorFromLastHost, a.event)?.node ?? nodes.get(a.host.split('.')[0]),
      cause: cause(a),
      error: a.label,
    })),
    lastHostCommands: last ? (last.kind?.commands(last.host) ?? []) : [],
  };
}

export const maxRetriesExceeded: Cause<BuildEvidence> = {
  code: 'max-retries-exceeded',
  title: 'Every host tried failed the build',
  decidedBy:
    'MaxRetriesExceeded (or "Exceeded max scheduling attempts"), with each attempt\'s "Error from last host" and the computes\' errors',
  action: "read each host's own error in the fault and the compute logs, fix it there (port binding, disk, image), then rebuild",
  details: '`attemptedHosts[]` (`host`, `node`, `cause`: the compute-side cause code of that attempt, `error`)',
  headline: (_v, what) => `${what} failed on every host tried`,
  decide(ev) {
    const { build: b, related } = ev;
    const maxRetries =
      related.find(
        (e) =>
          e.exception?.type === 'MaxRetriesExceeded' ||
          matches(schedulerUtilsExceededAttempts, e) ||
          matches(noValidHostExceededAttempts, e),
      ) ?? b.signals.find((e) => failureClass(e) === 'MaxRetriesExceeded' || matches(noValidHostExceededAttempts, e));
    if (!maxRetries) return undefined;
    const tried = hostsTried(ev);
    const { attempts } = tried;
    return {
      code: 'max-retries-exceeded',
      summary: `Every attempted host failed the build and the scheduler ran out of retries${attempts.length ? `: ${attempts.map((a) => `${a.host} (${a.label})`).join(', ')}` : ''}.`,
      details: { attemptedHosts: tried.attemptedHosts },
      evidence: [...tried.evidence, logEvidence(maxRetries)],
      gaps: tried.gaps,
      remediation: [
        {
          command: `openstack server show ${b.instanceUuid ?? '<server>'} -c fault`,
          why: "the fault holds the last host's error; fix that (networking/port binding, disk, image) on the computes, then rebuild",
        },
        ...tried.lastHostCommands,
      ],
    };
  },
};
