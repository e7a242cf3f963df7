import type { Evidence } from '../../../model/finding.js';
import { errorFromLastHost, schedulerUtilsExceededAttempts } from '../../../signatures/conductor.js';
import { match, matches } from '../../../signatures/signature.js';
import { type Cause, logEvidence } from '../../detector.js';
import { failureClass } from '../builds.js';
import type { Attempt, BuildEvidence } from '../evidence.js';

export const maxRetriesExceeded: Cause<BuildEvidence> = {
  code: 'max-retries-exceeded',
  title: 'Every host tried failed the build',
  decidedBy:
    'MaxRetriesExceeded (or "Exceeded max scheduling attempts"), with each attempt\'s "Error from last host" and the computes\' errors',
  action: "read each host's own error in the fault and the compute logs, fix it there (port binding, disk, image), then rebuild",
  details: '`attemptedHosts[]` (`host`, `node`, `cause`: the compute-side cause code of that attempt, `error`)',
  headline: (_v, what) => `${what} failed on every host tried`,
  decide({ build: b, related, attempts: tried }) {
    const maxRetries =
      related.find((e) => e.exception?.type === 'MaxRetriesExceeded' || matches(schedulerUtilsExceededAttempts, e)) ??
      b.signals.find((e) => failureClass(e) === 'MaxRetriesExceeded');
    if (!maxRetries) return undefined;
    const evidence: Evidence[] = [];
    const gaps: string[] = [];
    const attempts = tried();
    for (const a of attempts) evidence.push(logEvidence(a.event, `attempt on ${a.host}: ${a.label}`));
    const shown = new Set(attempts.map((a) => a.event));
    const computeErrors = related.filter(
      (e) => e.service === 'nova-compute' && e.level === 'ERROR' && e.instanceUuid === b.instanceUuid && !shown.has(e),
    );
    for (const e of computeErrors) evidence.push(logEvidence(e));
    evidence.push(logEvidence(maxRetries));
    if (attempts.length === 0 && computeErrors.length === 0)
      gaps.push(
        'the attempted hosts\' errors are not in the logs read (no conductor "Error from last host" lines, no compute log of the attempts)',
      );
    const cause = (a: Attempt): string => a.kind?.code ?? (a.spawn ? 'spawn-failed' : 'unknown');
    return {
      code: 'max-retries-exceeded',
      summary: `Every attempted host failed the build and the scheduler ran out of retries${attempts.length ? `: ${attempts.map((a) => `${a.host} (${a.label})`).join(', ')}` : ''}.`,
      details: {
        attemptedHosts: attempts.map((a) => ({
          host: a.host,
          node: match(errorFromLastHost, a.event)?.node,
          cause: cause(a),
          error: a.label,
        })),
      },
      evidence,
      gaps,
      remediation: [
        {
          command: `openstack server show ${b.instanceUuid ?? '<server>'} -c fault`,
          why: "the fault holds the last host's error; fix that (networking/port binding, disk, image) on the computes, then rebuild",
        },
        ...(attempts.length ? (attempts[attempts.length - 1].kind?.commands(attempts[attempts.length - 1].host) ?? []) : []),
      ],
    };
  },
};
