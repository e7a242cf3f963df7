import { isStdin } from '../sources/walk.js';
import { idsOfInstance } from './focus-scan.js';
import { TempFolder } from '../correlate/temp-folder.js';
import { WalkRecorder } from '../sources/walk-recording.js';
import { audit } from '../audit/audit.js';
import { DbIndex } from '../facts/db-index.js';
import { estimateOffsets } from '../correlate/clock.js';
import { EventStore, type StoreCaps } from '../correlate/event-store.js';
import { eventOfLine } from '../../parsers/oslo-events.js';
import { DETECTORS } from '../detectors/index.js';
import { type DetectContext, type Detector, TIMELINE_ROOM } from '../detectors/detector.js';
import { sameHost } from '../model/host.js';
import { INCIDENTS_IN_FULL } from '../detectors/incident-list.js';
import { hostWideTexts, keepRule, unbuiltRule } from '../registry/keep.js';
import type { FileCoverage } from '../model/coverage.js';
import { SEVERITY_ORDER, type Evidence } from '../model/finding.js';
import { SCHEMA_VERSION, type Report, type ReportHost, type ReportWindow } from '../model/report.js';
import { type Progress, underInput } from './ingest.js';
import { HOST_FILE_ROLES, HostFactsCollector } from './read-host-files.js';
import { ingestWithFacts } from './read-facts.js';
import { parseZones, ZoneStamper } from './time.js';
import { availableParallelism } from 'node:os';
import { PieceOffloader } from './piece-offload.js';
import type { TimeWindow } from './window.js';
import { collectGarbage, HeapGovernor } from './collect-garbage.js';

/** A heap past this at a phase boundary is collected first (`collectGarbage`): big inputs only. */
const PHASE_GC_ABOVE = 64 * 2 ** 20;

/**
 * The whole analysis: one pass over the inputs (events kept as the store
 * decides, dumps into facts, host files into host facts), then the audit,
 * the clock offsets, and every detector, into the one report model.
 */

export interface AnalyzeOptions {
  host?: string;
  tz?: string[];
  progress?(p: Progress): void;
  /** The event store's caps (tests use small ones). */
  store?: StoreCaps;
  /** Filled with the CPU milliseconds of each phase (the bench's stage table). */
  timings?: Partial<Record<'ingest' | 'correlate' | 'detect' | 'report', number>>;
  /** Incidents of one kind and cause shown in full before the rest are folded into one (src/detectors/incident-list.ts). */
  incidentsInFull?: number;
  /** The detectors to run (and whose signatures the event store keeps): every registered one by default. */
  detectors?: readonly Detector<unknown>[];
  /**
   * Big plain logs parsed on two cores (piece-offload.ts: `--jobs 2`), where there is a second core, the
   * detectors are registered ones and the store keeps its default reserve and spill (what a parse worker
   * decides with). Off by default: on this project's 2-core VMs it saved at most 8% of the time for
   * 160–190 MB more memory (docs/performance.md).
   */
  parallel?: false | { workers?: number; pieceBytes?: number; script?: string; done?(pieces: { worker: number; here: number }): void };
  /**
   * `--since` / `--until`: only the logs' events in this window are analysed, and a plain oslo.log's lines
   * outside it are not read (window-gate.ts). A parse worker does not take part (its pieces would be read whole).
   */
  window?: TimeWindow;
  /**
   * `--instance`: the report keeps the incidents and database findings about this instance only (every log is
   * still read and correlated: the instance's build may be told by lines that do not name it).
   */
  instance?: string;
}

/** The window asked for, and what the files left outside it. */
function windowNote(w: TimeWindow, files: readonly FileCoverage[]): ReportWindow {
  let linesPassedOver = 0;
  let eventsLeftOut = 0;
  for (const f of files) {
    linesPassedOver += f.outsideWindow?.linesPassedOver ?? 0;
    eventsLeftOut += f.outsideWindow?.eventsLeftOut ?? 0;
  }
  return { ...w, linesPassedOver, eventsLeftOut };
}

/** CPU time (user + system) in ms: on a shared machine it is steadier than the wall clock. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export async function analyzeInputs(inputs: readonly string[], opts: AnalyzeOptions = {}): Promise<Report> {
  return (await analyze(inputs, opts)).report;
}

/** The report, and the event store behind it (the TUI's whole timeline reads the store). */
export async function analyze(inputs: readonly string[], opts: AnalyzeOptions = {}): Promise<{ report: Report; store: EventStore }> {
  const detectors = opts.detectors ?? DETECTORS;
  const caps: StoreCaps = { rebuild: eventOfLine, ...opts.store };
  const store = new EventStore(keepRule(detectors), caps);
  const t = opts.timings;
  let mark = cpuMs();
  const phase = (name: keyof NonNullable<AnalyzeOptions['timings']>): void => {
    if (!t) return;
    const now = cpuMs();
    t[name] = (t[name] ?? 0) + now - mark;
    mark = now;
  };
  const hostFacts = new HostFactsCollector();
  // Ingest's own peak: old space past 1.5 times what the last collection left, once over 96 MiB.
  const heap = new HeapGovernor(96 * 2 ** 20);
  const zones = new ZoneStamper(parseZones(opts.tz ?? []));
  // A parse worker decides as the store would with registered detectors only (it finds them by kind), and
  // spills context as lines the store must make again.
  const registered = detectors.every((d) => DETECTORS.includes(d));
  // `--instance`: a first pass over the logs finds the ids of its requests, and the plain oslo.logs' lines that name
  // neither are then passed over (focus-gate.ts). Not with a window (which gates already), nor standard input (read once).
  const focused = !!opts.instance && !opts.window && !inputs.some(isStdin);
  // Its two passes decompress an archive once: the first records its walk, the second reads the copies
  // (walk-recording.ts). Without a temp folder, each decompresses it.
  let walkCopies: TempFolder | undefined;
  let recorder: WalkRecorder | undefined;
  if (focused)
    try {
      walkCopies = new TempFolder('nova-forensics-walk-');
      recorder = new WalkRecorder(walkCopies.path);
    } catch {
      recorder = undefined;
    }
  const focusIds = focused
    ? await idsOfInstance(
        inputs,
        opts.instance!,
        { host: opts.host },
        opts.progress,
        recorder && ((i, o, v) => recorder.walk(i, o, v)),
      ).catch((e) => {
        walkCopies?.remove();
        throw e;
      })
    : undefined;
  const focusNeedles = focusIds && {
    uuids: [opts.instance!, ...focusIds.uuids],
    requests: new Set(focusIds.requests),
    texts: hostWideTexts(detectors),
    textHosts: new Set(focusIds.hosts),
  };
  const offload =
    opts.parallel &&
    !opts.window &&
    !focusIds &&
    registered &&
    !caps.reserve &&
    caps.spill !== false &&
    caps.rebuild === eventOfLine &&
    availableParallelism() > 1
      ? new PieceOffloader({
          ...opts.parallel,
          tz: opts.tz,
          kinds: detectors.map((d) => d.kind),
          replay: (d) => {
            store.replay(d);
            // The worker's events reach the store here, not through `event`: they count toward the governor's round.
            heap.tick(d.seen);
          },
        })
      : undefined;
  const { coverage, facts } = await ingestWithFacts(
    inputs,
    {
      host: opts.host,
      unbuilt: unbuiltRule(detectors),
      offload,
      window: opts.window,
      focus: focusNeedles,
      ...(recorder ? { walk: (i, o, v) => recorder.replay(i, o, v) } : {}),
    },
    {
      event(ev, ofLine) {
        if (zones.zoneOf(ev.host)) ev.ts = zones.stamp(ev.host, ev.ts);
        store.add(ev, ofLine);
        heap.tick();
      },
      passed(ev) {
        if (zones.zoneOf(ev.host)) ev.ts = zones.stamp(ev.host, ev.ts);
        store.pass(ev);
        heap.tick();
      },
      other: (f) => (HOST_FILE_ROLES.has(f.role.kind) ? hostFacts.read(f) : Promise.resolve(undefined)),
      hostRenamed: (input, from, to) => {
        hostFacts.rename(from, to);
        store.renameHost(from, to, (file) => underInput(file, input));
      },
      progress: opts.progress,
    },
  )
    .catch((e) => {
      offload?.close();
      throw e;
    })
    .finally(() => walkCopies?.remove());
  // The input has ended: the context the failures tie comes back from the spill (and the counts are final),
  // some of it from the parse worker's file: the worker and its folder go after. Ingest's garbage goes first,
  // so that what comes back is not stacked on it.
  collectGarbage(PHASE_GC_ABOVE);
  try {
    store.seal();
  } finally {
    offload?.close();
    if (offload && opts.parallel) opts.parallel.done?.({ worker: offload.pieces, here: offload.piecesHere });
  }
  phase('ingest');
  if (store.stats.firstDropped) {
    const at = store.stats.firstDropped;
    coverage.warnings.push({
      // The input the file came from: a folder's files and an archive's members are named under it.
      input: coverage.inputs.map((i) => i.path).find((p) => at.file.startsWith(p)) ?? at.file,
      file: at.file,
      message: `${store.stats.droppedAtCap} events past the memory cap of the event store were not kept for correlation (the first at line ${at.line}): incidents they alone show are missing, and timelines lack them`,
    });
  }
  if (store.stats.spillFailed) {
    coverage.warnings.push({
      input: coverage.inputs.length === 1 ? coverage.inputs[0].path : '(all inputs)',
      message: `context lines could not be kept in a temporary file (${store.stats.spillFailed}): those past a few MiB are counted among the events past the memory cap`,
    });
  }
  if (store.stats.letGo) {
    coverage.warnings.push({
      input: coverage.inputs.length === 1 ? coverage.inputs[0].path : '(all inputs)',
      message: `${store.stats.letGo} context lines (DEBUG and INFO steps, placement queries, periodic audits) were let go to stay within memory: no failure tied them (by their request, their instance or their time); incidents keep their own lines, timelines of quiet requests lack them`,
    });
  }
  const ix = new DbIndex(facts);
  const findings = audit(facts, ix);

  // The hosts whose lines were read: a file's, or each one a shared journal's lines name.
  const hostsOf = (f: FileCoverage): string[] => f.hosts ?? [f.host];
  const inputHosts = [
    ...new Set([...coverage.files.flatMap(hostsOf), ...coverage.inputs.map((i) => i.host).filter((h): h is string => !!h)]),
  ].filter((h) => coverage.files.some((f) => hostsOf(f).includes(h)));
  const offsets = estimateOffsets(store.requests.times, inputHosts);
  phase('correlate');
  const servicesRead = new Set(coverage.files.filter((f) => f.events > 0 && f.service).map((f) => f.service!));
  const ctx: DetectContext = {
    store,
    facts,
    ix,
    findings,
    hosts: hostFacts.hosts,
    offsets: new Map(offsets.map((o) => [o.host, o.offsetMs])),
    servicesRead,
    timelineRoom: { left: TIMELINE_ROOM },
    incidentsInFull: opts.incidentsInFull ?? INCIDENTS_IN_FULL,
    ...(opts.instance ? { focus: { instance: opts.instance, leftOut: 0 } } : {}),
  };
  const incidents = detectors
    .flatMap((d) => d.detect(ctx))
    // The ones shown in full before those that stand for many (folded), at each severity.
    .sort(
      (a, b) =>
        SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
        Number(a.folds !== undefined) - Number(b.folds !== undefined) ||
        (a.start ?? '').localeCompare(b.start ?? ''),
    );
  phase('detect');
  // What detection built to decide (every build's related lines, evidence, the incidents folded) is garbage now:
  // the report and its output should not stack on it.
  collectGarbage(PHASE_GC_ABOVE);
  // Detectors cite a finding by its evidence: link the two in the model, so views need not match texts.
  const citedBy = new Map<Evidence, string[]>();
  for (const i of incidents) for (const e of i.evidence) citedBy.set(e, [...(citedBy.get(e) ?? []), i.id]);
  for (const f of findings) {
    const ids = [...new Set(f.evidence.flatMap((e) => citedBy.get(e) ?? []))];
    if (ids.length) f.incidentIds = ids;
  }

  const hosts: ReportHost[] = offsets.map((o) => {
    const files = coverage.files.filter((f) => hostsOf(f).includes(o.host));
    const firsts = files
      .map((f) => f.firstTs)
      .filter((x): x is string => !!x)
      .sort();
    const lasts = files
      .map((f) => f.lastTs)
      .filter((x): x is string => !!x)
      .sort();
    const { host: _h, ...clock } = o;
    return {
      name: o.host,
      clockOffsetMs: o.offsetMs,
      clockOffset: clock,
      first: firsts[0],
      last: lasts[lasts.length - 1],
      services: [...new Set(files.map((f) => f.service).filter((s): s is string => !!s))].sort(),
    };
  });
  // Computes the database or the logs name, with no sosreport among the inputs.
  const named = new Set<string>();
  for (const cell of facts.cells)
    for (const s of cell.services) if (s.binary === 'nova-compute' && s.deleted === 0 && s.host) named.add(s.host);
  for (const i of incidents) for (const h of i.hosts) named.add(h);
  for (const h of named) {
    // Logs and databases name a host by its full name where its sosreport or folder gives the short one:
    // `hp-ms-01-c29` read and `hp-ms-01-c29.moonshot1.lab…` named are one host, not one missing.
    if (!hosts.some((x) => sameHost(x.name, h)))
      hosts.push({
        name: h,
        clockOffsetMs: 0,
        clockOffset: { offsetMs: 0, samples: 0, method: 'none', reference: offsets.find((o) => o.method === 'reference')?.host ?? '' },
        missing: true,
        services: [],
      });
  }

  // `--instance`: the database findings about it (its own row, the allocations it holds) or cited by its incidents
  // (the unmapped host its build landed on); the incidents were kept so.
  const focus = ctx.focus;
  const kept = new Set(incidents.map((i) => i.id));
  const shownFindings = focus
    ? findings.filter(
        (f) =>
          f.subject.instanceUuid === focus.instance ||
          f.subject.consumerUuid === focus.instance ||
          (f.incidentIds ?? []).some((id) => kept.has(id)),
      )
    : findings;
  const report: Report = {
    schemaVersion: SCHEMA_VERSION,
    generatedAt: new Date().toISOString(),
    inputs: coverage.inputs.map((i) => ({ path: i.path, host: i.host, kind: i.kind })),
    coverage: {
      ...coverage,
      events: {
        seen: store.stats.seen,
        retained: store.stats.retained,
        droppedAtCap: store.stats.droppedAtCap,
        ...(store.stats.letGo ? { letGo: store.stats.letGo } : {}),
      },
      dumps: facts.dumps.map((d) => ({ host: d.host, path: d.path, databases: d.databases, tailed: d.tailed, warnings: d.warnings })),
      ...(opts.window ? { window: windowNote(opts.window, coverage.files) } : {}),
      ...(focus
        ? {
            focus: {
              instance: focus.instance,
              incidentsLeftOut: focus.leftOut,
              findingsLeftOut: findings.length - shownFindings.length,
              ...(focusIds
                ? {
                    requests: focusIds.requests.length,
                    migrations: focusIds.uuids.length,
                    linesPassedOver: coverage.files.reduce((n, f) => n + (f.outsideFocus?.linesPassedOver ?? 0), 0),
                  }
                : {}),
            },
          }
        : {}),
    },
    hosts,
    incidents,
    findings: shownFindings,
  };
  phase('report');
  return { report, store };
}
