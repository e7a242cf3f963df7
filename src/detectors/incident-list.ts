import type { Incident, TimelineEntry } from '../model/incident.js';
import { type DetectContext, type Detector, incidentId, MAX_TIMELINE } from './detector.js';

/**
 * A cloud in trouble for days fails thousands of builds the same way. Past the first
 * `DetectContext.incidentsInFull` incidents of one kind and cause (in the order the
 * detector finds them, which is the order they were read), the report keeps one
 * incident that stands for the rest: how many, when, where, which instances, and
 * one line of each (its failing line) as its timeline. Each was decided on its own
 * evidence before it was folded; what is let go is its timeline and evidence, which
 * thousands of would neither fit in memory nor be read. Folded as they are found, so
 * a detector never holds thousands of full incidents at once.
 */

/** The default of `DetectContext.incidentsInFull`. */
export const INCIDENTS_IN_FULL = 50;
/** Instances a folded incident names in its details. */
const INSTANCES_LISTED = 100;

interface Folded {
  severity: Incident['severity'];
  count: number;
  start?: string;
  end?: string;
  hosts: Set<string>;
  instances: string[];
  instancesNotListed: number;
  lines: TimelineEntry[];
  linesNotKept: number;
}

/** The incident is about `instance`: its own, one of a multi-create's, or an allocation it holds. */
export function aboutInstance(i: Incident, instance: string): boolean {
  const d = i.cause.details;
  return i.instanceUuid === instance || d.consumerUuid === instance || (Array.isArray(d.instances) && d.instances.includes(instance));
}

export class IncidentList {
  private readonly full: Incident[] = [];
  private readonly shown = new Map<string, number>();
  private readonly folded = new Map<string, Folded>();

  constructor(
    private readonly ctx: DetectContext,
    private readonly detector: Pick<Detector<unknown>, 'kind' | 'name' | 'causes'>,
  ) {}

  add(i: Incident): void {
    const focus = this.ctx.focus;
    if (focus && !aboutInstance(i, focus.instance)) {
      // Left out before any is folded: the instance asked about is always shown in full.
      focus.leftOut++;
      if (this.ctx.timelineRoom) this.ctx.timelineRoom.left += i.timeline.length;
      return;
    }
    const code = i.cause.code;
    const shown = this.shown.get(code) ?? 0;
    if (shown < (this.ctx.incidentsInFull ?? Number.POSITIVE_INFINITY)) {
      this.shown.set(code, shown + 1);
      this.full.push(i);
      return;
    }
    let f = this.folded.get(code);
    if (!f) {
      f = { severity: i.severity, count: 0, hosts: new Set(), instances: [], instancesNotListed: 0, lines: [], linesNotKept: 0 };
      this.folded.set(code, f);
    }
    f.count++;
    if (i.start && (!f.start || i.start < f.start)) f.start = i.start;
    if (i.end && (!f.end || i.end > f.end)) f.end = i.end;
    for (const h of i.hosts) f.hosts.add(h);
    if (i.instanceUuid) {
      if (f.instances.length < INSTANCES_LISTED) f.instances.push(i.instanceUuid);
      else f.instancesNotListed++;
    }
    const line = i.timeline.find((t) => t.failing) ?? i.timeline[i.timeline.length - 1];
    const kept = !!line && f.lines.length < MAX_TIMELINE;
    if (kept) f.lines.push(line);
    else if (line) f.linesNotKept++;
    // The timeline this incident took from the report's room is given back, but for the line kept.
    if (this.ctx.timelineRoom) this.ctx.timelineRoom.left += i.timeline.length - (kept ? 1 : 0);
  }

  /** The incidents in full, then one for each cause past its first ones. */
  list(): Incident[] {
    return [...this.full, ...[...this.folded.entries()].map(([code, f]) => this.incidentOf(code, f))];
  }

  private incidentOf(code: string, f: Folded): Incident {
    const { kind, name, causes } = this.detector;
    const cause = causes.find((c) => c.code === code);
    const inFull = this.shown.get(code) ?? 0;
    const lines = [...f.lines].sort((a, b) => (a.adjustedTs < b.adjustedTs ? -1 : a.adjustedTs > b.adjustedTs ? 1 : 0));
    const gaps = [
      `past the first ${inFull} incidents of this kind and cause, the report keeps of the other ${f.count} their failing line (up to ${MAX_TIMELINE}) and their instances, not their own timelines and evidence: thousands would neither fit in memory nor be read`,
    ];
    if (f.linesNotKept > 0) gaps.push(`${f.linesNotKept} of them are not in the timeline`);
    return {
      id: incidentId(kind, `folded|${code}`),
      kind,
      title: `${f.count} more (${name}): ${cause?.title ?? code}`,
      severity: f.severity,
      requestIds: [],
      hosts: [...f.hosts],
      start: f.start,
      end: f.end,
      count: f.count,
      folds: f.count,
      cause: {
        code,
        summary: `Each of these ${f.count} was decided as ${code} on its own evidence, as the ${inFull} shown in full were.${cause?.action ? ` What to do: ${cause.action.replace(/\.?$/, '.')}` : ''}`,
        details: {
          instances: f.instances,
          ...(f.instancesNotListed > 0 ? { instancesNotListed: f.instancesNotListed } : {}),
        },
      },
      evidence: [],
      timeline: lines,
      remediation: [],
      gaps,
    };
  }
}
