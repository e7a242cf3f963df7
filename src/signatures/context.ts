import type { Event } from '../model/event.js';
import { ACCESS_LINE_TEXTS, type ContextSelector } from './signature.js';

/**
 * The lines timelines keep around the signatures' own: a detector lists the
 * ones it needs, and the event store keeps what any detector lists (most of a
 * nova log — DEBUG chatter, periodic tasks, GET access lines — is counted and
 * let go). Access lines are kept only when they change something or fail:
 * their logger's other lines do not bring them in.
 */

const INFO: Event['level'][] = ['INFO', 'AUDIT'];
const DEBUG: Event['level'][] = ['DEBUG', 'TRACE'];

export const problems: ContextSelector = {
  id: 'problems',
  description: 'every warning and error, and any line naming an exception',
  debugNeeds: 'exception',
  where: (e) => e.level === 'WARNING' || e.level === 'ERROR' || e.level === 'CRITICAL' || !!e.exception,
};

export const instanceLines: ContextSelector = {
  id: 'instance-lines',
  description: "INFO lines of any nova logger about an instance (`[instance: …]`): the instance's own story",
  levels: INFO,
  where: (e) => !e.http && e.instanceUuid !== undefined && (e.logger ?? '').startsWith('nova.'),
};

export const changingRequests: ContextSelector = {
  id: 'changing-requests',
  description: 'access lines of requests that change something or fail (not GET, or 4xx/5xx)',
  debugNeeds: ACCESS_LINE_TEXTS,
  where: (e) => !!e.http && ((e.http.status ?? 0) >= 400 || e.http.method !== 'GET'),
};

export const placementSearches: ContextSelector = {
  id: 'placement-searches',
  description: "placement's candidate queries and searches (the resources asked, what was found)",
  // A search is read from placement.objects loggers only, whose DEBUG the scheduling decisions build anyway.
  debugNeeds: [...ACCESS_LINE_TEXTS, 'placement.objects'],
  where: (e) => !!e.placementSearch || !!e.placementQuery,
};

export const schedulingStory: ContextSelector = {
  id: 'scheduling-story',
  description: 'INFO of the conductor, scheduler, filters and placement',
  loggers: ['nova.conductor*', 'nova.scheduler*', 'nova.filters*', 'placement.*', 'nova.api.openstack.placement*'],
  levels: INFO,
  where: (e) => !e.http,
};

export const schedulingDecisions: ContextSelector = {
  id: 'scheduling-decisions',
  description: "DEBUG of the scheduler's and conductor's decisions and placement's search",
  loggers: [
    'nova.filters*',
    'nova.scheduler.filters*',
    'nova.scheduler.manager*',
    'nova.scheduler.filter_scheduler*',
    'nova.scheduler.utils*',
    'nova.scheduler.host_manager*',
    'nova.conductor*',
    'placement.objects*',
    'nova.api.openstack.placement.objects*',
  ],
  levels: DEBUG,
  where: (e) => !e.http,
};

export const trackerStory: ContextSelector = {
  id: 'tracker-story',
  description: "the resource tracker's INFO, and its DEBUG about allocations (Pike and Queens log the moved-instance warning at DEBUG)",
  loggers: ['nova.compute.resource_tracker*'],
  debugNeeds: ['allocations'],
  where: (e) =>
    !e.http &&
    (INFO.includes(e.level) ||
      (DEBUG.includes(e.level) && e.logger === 'nova.compute.resource_tracker' && e.message.includes('allocations'))),
};

export const computeStory: ContextSelector = {
  id: 'compute-story',
  description: "INFO of the compute manager, its claims and the virt driver (a move's steps on each host)",
  loggers: ['nova.compute.manager*', 'nova.compute.claims*', 'nova.virt*'],
  levels: INFO,
  where: (e) => !e.http,
};

export const apiStory: ContextSelector = {
  id: 'api-story',
  description: "INFO of the API's request handling (the exceptions it turns into HTTP answers)",
  loggers: ['nova.api.openstack.wsgi*'],
  levels: INFO,
  where: (e) => !e.http,
};
