import type { TimelineEntry } from '../../model/incident.js';

/**
 * A mermaid `sequenceDiagram` of a request's path across services, from its
 * timeline: one participant per service and host, one arrow per hand-over,
 * the failing step drawn as a cross arrow with a note. Only a small subset of
 * the grammar is used (participant, ->>, --x, Note over), and labels are
 * reduced to characters that cannot break it; the tests parse every diagram
 * with mermaid's own parser.
 */

const MAX_STEPS = 14;

function label(s: string): string {
  const clean = s
    .replace(/[^\p{L}\p{N} ._,()/=+\-']/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > 60 ? `${clean.slice(0, 59)}…` : clean || 'event';
}

function actor(e: TimelineEntry): string {
  const host = e.host.split('.')[0];
  return e.service === 'nova-compute' || e.service === 'httpd' ? `${e.service} ${host}` : e.service;
}

export function sequenceDiagram(tl: TimelineEntry[]): string | undefined {
  const steps: { from: string; to: string; text: string; failing: boolean }[] = [];
  let prev: string | undefined;
  for (const e of tl) {
    const a = actor(e);
    if (prev !== undefined && (a !== prev || e.failing))
      steps.push({ from: prev, to: a, text: label(e.exception ? `${e.exception.type} ${e.message}` : e.message), failing: !!e.failing });
    prev = a;
  }
  if (steps.length === 0) return undefined;
  // Keep the first hand-overs and the failing one: the diagram is an overview, the table has it all.
  const failingAt = steps.findIndex((s) => s.failing);
  const kept =
    steps.length <= MAX_STEPS
      ? steps
      : [...steps.slice(0, MAX_STEPS - 2), ...(failingAt >= MAX_STEPS - 2 ? [steps[failingAt]] : [steps[steps.length - 1]])];
  const ids = new Map<string, string>();
  const out = ['sequenceDiagram'];
  for (const s of kept) {
    for (const a of [s.from, s.to]) {
      if (!ids.has(a)) {
        ids.set(a, `P${ids.size + 1}`);
        out.push(`  participant ${ids.get(a)} as ${label(a)}`);
      }
    }
  }
  for (const s of kept) {
    const from = ids.get(s.from)!;
    const to = ids.get(s.to)!;
    if (s.failing) {
      out.push(`  ${from}--x${to}: ${s.text}`);
      out.push(`  Note over ${to}: FAILED here`);
    } else out.push(`  ${from}->>${to}: ${s.text}`);
  }
  return out.join('\n');
}
