import type { StoredEvent } from '../../../correlate/event-store.js';
import type { Evidence, Remediation } from '../../../model/finding.js';
import { errorFromLastHost, noValidHostExceededAttempts, schedulerUtilsExceededAttempts } from '../../../signatures/conductor.js';
import { filterReturnedZero, filtersRemovedAllHosts } from '../../../signatures/scheduler.js';
import { match, matches } from '../../../signatures/signature.js';
import { type Cause, logEvidence } from '../../detector.js';
import { failureClass } from '../builds.js';
import type { Attempt, BuildEvidence } from '../evidence.js';
import { lastFilterOf } from './filters-rejected-all-hosts.js';

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

/** The retry filter's own logger: its lines name the host it removed and the hosts the request had tried. */
const RETRY_FILTER_LOGGER = 'nova.scheduler.filters.retry_filter';
/** A `[host, node]` pair of the tried hosts' python repr (`[[u'cmp1', u'cmp1'], …]`), in any language's message. */
const TRIED_PAIR = /\[u?'([^']+)', u?'[^']*'\]/g;

/**
 * RetryFilter removed the last hosts: a build rescheduled after failing found every host it could go to already
 * tried for it (the scheduler then raises NoValidHost, not MaxRetriesExceeded, when the hosts run out before the
 * attempts do). The filter's own lines of the request, and the hosts they say were tried.
 */
function retryFilterEnded({ related }: BuildEvidence): { ended: StoredEvent; own: StoredEvent[]; tried: string[] } | undefined {
  // The filters' own lines that can name it, not the candidates' (placement's side, not needed when a compute failed).
  const ending = related.filter((e) => matches(filterReturnedZero, e) || matches(filtersRemovedAllHosts, e)).sort((a, b) => a.seq - b.seq);
  if (lastFilterOf(ending) !== 'RetryFilter') return undefined;
  const ended = ending[ending.length - 1];
  const own = related.filter((e) => e.logger === RETRY_FILTER_LOGGER && e.requestId === ended.requestId && e.message.includes('[['));
  const tried = new Set<string>();
  for (const e of own) for (const m of e.message.slice(e.message.lastIndexOf('[[')).matchAll(TRIED_PAIR)) tried.add(m[1]);
  return { ended, own, tried: [...tried] };
}

export const maxRetriesExceeded: Cause<BuildEvidence> = {
  code: 'max-retries-exceeded',
  title: 'Every host tried failed the build',
  decidedBy:
    'MaxRetriesExceeded (or "Exceeded max scheduling attempts"), or RetryFilter removing the last hosts (each already tried for the build: "Filter RetryFilter returned 0 hosts"), with each attempt\'s "Error from last host" and the computes\' errors',
  action: "read each host's own error in the fault and the compute logs, fix it there (port binding, disk, image), then rebuild",
  details:
    '`attemptedHosts[]` (`host`, `node`, `cause`: the compute-side cause code of that attempt, `error`); `filter`: `RetryFilter` when it removed the last hosts, `previouslyTried[]`: the hosts its lines say the request had tried',
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
    const retry = maxRetries ? undefined : retryFilterEnded(ev);
    if (!maxRetries && !retry) return undefined;
    const tried = hostsTried(ev);
    const { attempts } = tried;
    const onHosts = attempts.length ? `: ${attempts.map((a) => `${a.host} (${a.label})`).join(', ')}` : '';
    if (retry) {
      if (attempts.length === 0 && retry.tried.length)
        tried.gaps[0] = `the errors of the hosts tried (${retry.tried.join(', ')}) are not in the logs read (no conductor "Error from last host" lines, no compute log of the attempts)`;
      return {
        code: 'max-retries-exceeded',
        summary: `The build was rescheduled after failing, and the scheduler's RetryFilter removed the last hosts left: each had already been tried for this build${retry.tried.length ? ` (${retry.tried.join(', ')})` : ''}, so no host was left to try${onHosts ? `. The attempts${onHosts}` : ''}.`,
        details: { attemptedHosts: tried.attemptedHosts, filter: 'RetryFilter', previouslyTried: retry.tried },
        evidence: [...tried.evidence, ...retry.own.map((e) => logEvidence(e)), logEvidence(retry.ended)],
        gaps: tried.gaps,
        remediation: [
          {
            command: `openstack server show ${b.instanceUuid ?? '<server>'} -c fault`,
            why: "the fault holds the error of the host that failed the build; the scheduler's filters only ran out of untried hosts",
          },
          ...tried.lastHostCommands,
        ],
      };
    }
    return {
      code: 'max-retries-exceeded',
      summary: `Every attempted host failed the build and the scheduler ran out of retries${onHosts}.`,
      details: { attemptedHosts: tried.attemptedHosts },
      evidence: [...tried.evidence, logEvidence(maxRetries!)],
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
