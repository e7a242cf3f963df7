import type { Event, Level } from '../model/event.js';

/**
 * A log signature: one thing nova (or placement, libvirt) writes that a
 * detector keys on, as data — where nova writes it, which events can carry it
 * (logger and level, checked first because they are cheap), what the message
 * looks like (a pattern whose named groups are the fields), or which
 * exception class it is, and real lines it was written for. Like lnav's
 * formats, every sample is checked against its signature by a test
 * (test/signatures.test.ts), fields included.
 *
 * Detectors key on structure: loggers, levels, exception classes, and
 * message templates nova stopped translating in Pike. Exception texts, which
 * still come translated, are recognised through the exception catalogue
 * (parsers/exception-text.ts) inside `where`.
 */

export interface SignatureSample {
  /** The record's first line as the log holds it. */
  line: string;
  /**
   * Where it was seen: a seed, a real-corpus file, a public thread; or, where no
   * public line was found yet, `generated: …` naming the sample that wrote it.
   */
  seen: string;
  /** What the pattern must extract from it. */
  fields?: Record<string, string>;
  /** Lines a sample carries after its first (a traceback that names the exception). */
  more?: readonly string[];
  /** Pasted text, not a log: read in paste mode (a fault, a client's error). */
  pasted?: true;
  /** A line of a guest's QEMU log (parsers/qemu-log.ts), not of an oslo.log. */
  log?: 'qemu';
}

export interface Signature {
  /** `<component>.<what>`: stable, named in docs and stats. */
  id: string;
  description: string;
  /** Where nova writes it: file and function, and the releases. */
  source: string;
  /** Loggers that write it: exact names, or prefixes ending in `*` (`nova.conductor*`). Absent: any logger. */
  loggers?: readonly string[];
  /** Absent: any level. */
  levels?: readonly Level[];
  /** Over the decoded message; named groups are the signature's fields. */
  pattern?: RegExp;
  /** The class of the exception the event finally names (the last of its message and traceback). */
  exceptions?: readonly string[];
  /** A class anywhere in the event's chain (a cause wrapped by what was finally raised). */
  chainExceptions?: readonly string[];
  /** A structural condition the fields above cannot say (kept small). */
  where?(e: Event): boolean;
  /**
   * What a DEBUG record with nothing folded into it must contain for this to
   * match it, so that the reader can pass such records over unbuilt
   * (`unbuiltRule` in src/registry/keep.ts): `exception` when only a record
   * naming an exception can match (a DEBUG message is not scanned for one:
   * only a traceback names it, and a traceback gets the record built), or
   * texts of which the line must hold one. Implied `exception` by
   * `exceptions`/`chainExceptions`; absent, the words its `pattern` opens
   * with (`patternNeeds`, src/signatures/pattern-needs.ts). With neither, every
   * DEBUG record of its loggers is built. test/unbuilt.test.ts holds every
   * declaration to the real logs.
   */
  debugNeeds?: DebugNeeds;
  /**
   * Healthy clouds write it all the time (a periodic audit, a build that
   * succeeded): it starts no incident by itself, and when the event store is
   * full it is kept only beside an incident's own lines (src/registry/keep.ts).
   */
  routine?: true;
  /**
   * A periodic line about its host, not about any one instance or request (the tracker's audit, the power-state
   * sync), which detectors judge from by its presence or absence on the host. `--instance` reads every line that
   * may carry it (the words its pattern opens with, `patternNeeds`), though it names neither the instance nor its
   * requests (src/pipeline/focus-gate.ts): without the audits that came after a complaint, a settled one looked live.
   */
  hostWide?: true;
  samples: readonly SignatureSample[];
  /** Why there is no sample yet: no public line found (docs/detectors.md lists these). */
  unsampled?: string;
}

/**
 * Events a detector keeps for its timelines beyond its signatures (the
 * scheduler's DEBUG decisions around a failed build, say). No samples: a
 * context is a family of lines, not one template.
 */
export interface ContextSelector {
  id: string;
  description: string;
  loggers?: readonly string[];
  levels?: readonly Level[];
  /** As a signature's (`Signature.debugNeeds`). */
  debugNeeds?: DebugNeeds;
  where?(e: Event): boolean;
}

export type DebugNeeds = 'exception' | readonly string[];

/** Access lines as parsers/placement-request.ts finds them (`Starting request:`, `" status: `): a DEBUG record without either has no `http`. */
export const ACCESS_LINE_TEXTS: readonly string[] = ['Starting request: ', '" status: '];

export function loggerMatches(loggers: readonly string[] | undefined, logger: string | undefined): boolean {
  if (!loggers) return true;
  const l = logger ?? '';
  for (const p of loggers) if (p.endsWith('*') ? l.startsWith(p.slice(0, -1)) : l === p) return true;
  return false;
}

function chainNames(e: Event, classes: readonly string[]): boolean {
  if (e.exceptionChain) return e.exceptionChain.some((x) => classes.includes(x.type));
  return !!e.exception && classes.includes(e.exception.type);
}

/** The signature's fields when the event carries it, else undefined. Prefilters first: most events fail on the logger. */
export function match(sig: Signature, e: Event): Record<string, string> | undefined {
  if (!placeMatches(sig, e) || !exceptionsMatch(sig, e)) return undefined;
  let fields: Record<string, string> = {};
  if (sig.pattern) {
    const m = sig.pattern.exec(e.message);
    if (!m) return undefined;
    fields = m.groups ? { ...m.groups } : {};
  }
  if (sig.where && !sig.where(e)) return undefined;
  return fields;
}

export function matches(sig: Signature, e: Event): boolean {
  return placeMatches(sig, e) && contentMatches(sig, e);
}

/** Whether the event was written where the signature is: its logger and level. */
export function placeMatches(sig: Signature, e: Event): boolean {
  return loggerMatches(sig.loggers, e.logger) && (!sig.levels || sig.levels.includes(e.level));
}

/** The rest of `matches`, for an event whose place already matches (the keep rule works places out once per logger and level). */
export function contentMatches(sig: Signature, e: Event): boolean {
  if (!exceptionsMatch(sig, e)) return false;
  // `test`, not `exec`: no match array or fields object for the many events a pattern is tried on.
  if (sig.pattern && !sig.pattern.test(e.message)) return false;
  return !sig.where || sig.where(e);
}

function exceptionsMatch(sig: Signature, e: Event): boolean {
  if (sig.exceptions && !(e.exception && sig.exceptions.includes(e.exception.type))) return false;
  return !sig.chainExceptions || chainNames(e, sig.chainExceptions);
}
