import { XRegExp } from '../../parsers/xregexp.js';
import type { KeepRule, Role } from '../correlate/event-store.js';
import type { Detector } from '../detectors/detector.js';
import type { Event, Level } from '../model/event.js';
import { patternNeeds } from '../signatures/pattern-needs.js';
import { SELF_NAMING } from '../signatures/self-naming.js';
import { type ContextSelector, contentMatches, type DebugNeeds, loggerMatches, type Signature } from '../signatures/signature.js';

/**
 * The event store's keep rule, from what the detectors declare: an event is
 * kept when it carries a signature some detector keys on (and is indexed by
 * it), or when some detector's context selects it. Runs on every event of
 * every log, so the candidates are worked out once per distinct logger
 * name and level, and most events (DEBUG of loggers nobody asks for) fail
 * on two map lookups. The role tells the store what it may let go
 * when it is full: the context, routine signatures and errors no signature
 * names, not what incidents start from.
 */

const MAX_CACHED_LOGGERS = 10_000;

export function keepRule(detectors: readonly Detector<unknown>[]): KeepRule {
  const signatures = unique(detectors.flatMap((d) => d.signatures));
  const contexts = unique(detectors.flatMap((d) => d.context));
  const routineIds = new Set(signatures.filter((s) => s.routine).map((s) => s.id));
  type Candidates = { sigs: Signature[]; ctx: ContextSelector[] };
  /** Per logger, per level: what can select its events there (`placeMatches` done once, not per event). */
  const cache = new Map<string, Map<Level, Candidates>>();
  const candidates = (logger: string, level: Level): Candidates => {
    let byLevel = cache.get(logger);
    let c = byLevel?.get(level);
    if (!c) {
      const at = (x: { loggers?: readonly string[]; levels?: readonly Level[] }): boolean =>
        loggerMatches(x.loggers, logger) && (!x.levels || x.levels.includes(level));
      c = { sigs: signatures.filter(at), ctx: contexts.filter(at) };
      // A hostile log can name a million loggers: past the cap, work them out each time.
      if (!byLevel && cache.size < MAX_CACHED_LOGGERS) cache.set(logger, (byLevel = new Map()));
      byLevel?.set(level, c);
    }
    return c;
  };
  return {
    signaturesOf(ev: Event): readonly string[] {
      let out: string[] | undefined;
      for (const s of candidates(ev.logger ?? '', ev.level).sigs) if (contentMatches(s, ev)) (out ??= []).push(s.id);
      return out ?? NONE;
    },
    context(ev: Event): boolean {
      for (const c of candidates(ev.logger ?? '', ev.level).ctx) if (!c.where || c.where(ev)) return true;
      return false;
    },
    role(ev: Event, sigs: readonly string[]): Role {
      if (ev.level === 'ERROR' || ev.level === 'CRITICAL') {
        if (sigs.length > 0) return 'anchor';
        // An error no signature names starts no incident: it is evidence, of the requests and instances it
        // names, or else of its host's state near a failure. Held as anchors, a broker outage's thousands
        // of them filled the anchors' room and the failures written after them were dropped
        // (docs/performance.md, sixth session).
        return ev.instanceUuid || ev.requestId || ev.globalRequestId ? 'keys' : 'time';
      }
      let routine = false;
      for (const id of sigs) {
        if (!routineIds.has(id)) return 'anchor';
        routine = true;
      }
      // A line that names no instance and no caller is tied to an incident by time alone (placement's
      // search for a pre-Queens build, the periodic audit after an unmanaged-allocation warning).
      const untied = !ev.instanceUuid && !ev.globalRequestId;
      return untied && (routine || !!ev.placementQuery || !!ev.placementSearch) ? 'time' : 'keys';
    },
  };
}

const NONE: readonly string[] = [];

/** A text a python 2 log may write escaped (`\\u5230`): one not all printable ASCII. */
const ESCAPABLE = /[^\x20-\x7e]/;

/** Detectors share signatures and contexts: each once, by id (two different objects with one id are a mistake). */
function unique<T extends { id: string }>(items: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const i of items) {
    const seen = byId.get(i.id);
    if (seen && seen !== i) throw new Error(`two different definitions share the id ${i.id}`);
    byId.set(i.id, i);
  }
  return [...byId.values()];
}

/**
 * What `--instance` reads beside the instance's and its requests' lines (src/pipeline/focus-gate.ts): a line holding
 * one of these texts, the words each `hostWide` signature's pattern opens with (`patternNeeds`). A host-wide
 * signature whose pattern gives none is a mistake of its declaration (test/signatures.test.ts holds each to its samples).
 */
export function hostWideTexts(detectors: readonly Detector<unknown>[]): string[] {
  const texts = new Set<string>();
  for (const s of unique(detectors.flatMap((d) => d.signatures))) {
    if (!s.hostWide) continue;
    const needs = s.pattern && patternNeeds(s.pattern);
    if (!needs?.length) throw new Error(`host-wide signature ${s.id} has no words its lines must hold`);
    for (const n of needs) texts.add(n);
  }
  return [...texts].sort();
}

/**
 * Which DEBUG records the reader may pass over unbuilt (OsloFileContext.unbuilt):
 * those that no signature or context any detector declares could select, told
 * from the logger and the line alone. A DEBUG record can be selected only by
 * what applies to its logger at DEBUG; each of those says in `debugNeeds` what
 * the line must then hold (an exception: only a traceback names one at DEBUG,
 * and a folded traceback gets the record built; or texts). One without it
 * makes every DEBUG record of its loggers built. Worked out once per logger.
 * test/unbuilt.test.ts checks on the real logs that no record passed over
 * would have been kept.
 */
export function unbuiltRule(detectors: readonly Detector<unknown>[]): (level: Level, logger: string, line: string) => boolean {
  const all: { loggers?: readonly string[]; levels?: readonly Level[]; needs?: DebugNeeds }[] = [
    ...unique(detectors.flatMap((d) => d.signatures)).map((s) => ({
      loggers: s.loggers,
      levels: s.levels,
      needs: s.exceptions || s.chainExceptions ? ('exception' as const) : (s.debugNeeds ?? (s.pattern && patternNeeds(s.pattern))),
    })),
    ...unique(detectors.flatMap((d) => d.context)).map((c) => ({ loggers: c.loggers, levels: c.levels, needs: c.debugNeeds })),
    // What a loose log's compute names itself in is read whichever detectors run (src/pipeline/ingest.ts).
    ...SELF_NAMING.map((s) => ({ loggers: s.loggers, levels: s.levels, needs: s.pattern && patternNeeds(s.pattern) })),
  ];
  const atDebug = all.filter((x) => !x.levels || x.levels.includes('DEBUG'));
  /**
   * Per logger: a pattern for the texts one of which makes a DEBUG line worth building (none: no line is),
   * and whether one of them is written otherwise in a line than in its message (see below); null when every
   * line is. One alternation, not an `includes` per text: a third faster on the bench's DEBUG lines (the
   * compute manager's are tried for 20 texts), and a text holding another is left out.
   */
  type Needs = { any?: RegExp; escapable: boolean };
  const cache = new Map<string, Needs | null>();
  /** Loggers share their texts: one pattern each set of them. */
  const patterns = new Map<string, RegExp>();
  const needsOf = (logger: string): Needs | null => {
    let t = cache.get(logger);
    if (t === undefined) {
      const texts = new Set<string>();
      t = { escapable: false };
      for (const x of atDebug) {
        if (!loggerMatches(x.loggers, logger)) continue;
        if (!x.needs) {
          t = null;
          break;
        }
        if (x.needs !== 'exception') for (const n of x.needs) texts.add(n);
      }
      if (t !== null && texts.size > 0) {
        const least = [...texts].filter((a) => ![...texts].some((b) => b !== a && a.includes(b))).sort();
        const key = least.join('\u0000');
        let any = patterns.get(key);
        if (!any) patterns.set(key, (any = XRegExp.union(least)));
        t = { any, escapable: least.some((n) => ESCAPABLE.test(n)) };
      }
      if (cache.size < MAX_CACHED_LOGGERS) cache.set(logger, t);
    }
    return t;
  };
  return (level, logger, line) => {
    if (level !== 'DEBUG') return false;
    const t = needsOf(logger);
    if (t === null) return false;
    if (!t.any) return true;
    // The texts are the message's, the line is undecoded: a python 2 log writes `\u5230` for what the
    // message holds decoded. A line with an escape is built when a text could be written so.
    if (t.escapable && line.includes('\\')) return false;
    return !t.any.test(line);
  };
}
