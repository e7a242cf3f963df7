import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { IncidentKind } from '../../src/model/incident.js';
import type { Report } from '../../src/model/report.js';
import { analyzeInputs } from '../../src/pipeline/analyze.js';
import { ingest } from '../../src/pipeline/ingest.js';

/**
 * The project's own real-world corpus (test/corpus/real/<slug>/manifest.json,
 * described in team/CORPUS-SCHEMA.md): loads and validates every manifest, and
 * measures what the real pipeline makes of it: the share of record lines each
 * excerpt yields as events, and the incidents each folder yields against the
 * verdict an expert gave. The test and scripts/corpus-table share this one
 * reading of the corpus, so the README's figures are the test's.
 */

// Not from ./shared.js: that one imports ava, which refuses to load outside its CLI (scripts/corpus-table uses this module).
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const REAL_CORPUS = join(ROOT, 'test', 'corpus', 'real');
export const MANIFEST_SCHEMA = join(REAL_CORPUS, 'manifest.schema.json');

/** An excerpt is understood when this share of its record lines became events… */
export const PARSE_THRESHOLD = 0.95;
/** …and it over-splits when it yields more events than this many times its record lines. */
export const OVERSPLIT_FACTOR = 1.05;

export interface ExcerptEntry {
  file: string;
  shape: string[];
  service?: string;
  host?: string;
  cut: string;
  recordLines: number;
  /** Records glued after another on its line (a lost newline): counted with recordLines once split. */
  gluedRecords?: number;
  knownParseGap?: string;
}

export interface ExpectedIncident {
  kind: IncidentKind | 'failed-move';
  cause: string;
  instance?: string;
  request?: string;
  why: string;
}

export interface Manifest {
  source: { url: string; title: string; date: string; licence: string; found: string };
  release: string;
  releaseEvidence?: string;
  deployment: string;
  language: string;
  timeLocale?: string;
  excerpts: ExcerptEntry[];
  verdict: { incidents: ExpectedIncident[]; note?: string };
  knownVerdictGap?: string;
}

export interface CorpusFolder {
  slug: string;
  dir: string;
  /** Parsed JSON; `manifest` only when it is valid against the schema. */
  manifest?: Manifest;
  /** Schema errors, or why the manifest could not be read. */
  errors: string[];
  /** Files in the folder besides manifest.json. */
  files: string[];
}

let validator: ((x: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };

/** Schema errors of one parsed manifest (empty when valid). */
export function validateManifest(x: unknown): string[] {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
    validator = ajv.compile(JSON.parse(readFileSync(MANIFEST_SCHEMA, 'utf8')));
  }
  if (validator(x)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`);
}

/** Every source folder, sorted by slug, each with its manifest validated. */
export function loadRealCorpus(root: string = REAL_CORPUS): CorpusFolder[] {
  if (!existsSync(root)) return [];
  const out: CorpusFolder[] = [];
  for (const slug of readdirSync(root).sort()) {
    const dir = join(root, slug);
    if (!statSync(dir).isDirectory()) continue;
    const files = readdirSync(dir)
      .filter((f) => f !== 'manifest.json')
      .sort();
    const folder: CorpusFolder = { slug, dir, errors: [], files };
    const path = join(dir, 'manifest.json');
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      folder.errors.push(`manifest.json: ${(e as Error).message}`);
      out.push(folder);
      continue;
    }
    folder.errors.push(...validateManifest(json));
    if (folder.errors.length === 0) folder.manifest = json as Manifest;
    out.push(folder);
  }
  return out;
}

/** Manifest against folder: files named and present, names unique, record counts possible. */
export function folderProblems(f: CorpusFolder): string[] {
  const m = f.manifest;
  if (!m) return f.errors;
  const problems: string[] = [];
  const named = m.excerpts.map((e) => e.file);
  for (const n of named) if (!f.files.includes(n)) problems.push(`${n}: named by the manifest, absent from the folder`);
  for (const n of f.files) if (!named.includes(n)) problems.push(`${n}: in the folder, not named by the manifest`);
  const dup = named.filter((n, i) => named.indexOf(n) !== i);
  if (dup.length) problems.push(`named twice: ${dup.join(', ')}`);
  for (const e of m.excerpts) {
    if (!f.files.includes(e.file)) continue;
    const lines = countLines(join(f.dir, e.file));
    if (e.recordLines > lines) problems.push(`${e.file}: recordLines ${e.recordLines} but the file has ${lines} lines`);
  }
  return problems;
}

function countLines(path: string): number {
  const b = readFileSync(path);
  let n = 0;
  for (const c of b) if (c === 0x0a) n++;
  return b.length > 0 && b[b.length - 1] !== 0x0a ? n + 1 : n;
}

// ───────────────────────────── parsing ─────────────────────────────

export interface ParseResult {
  file: string;
  recordLines: number;
  events: number;
  /** min(events, recordLines) / recordLines. */
  share: number;
  overSplit: boolean;
  /** What the reader took the file as (coverage layout and prefixes). */
  readAs: string;
  passes: boolean;
}

/** One excerpt through the real pipeline, alone, as `nova-forensics events FILE` reads it. */
export async function parseExcerpt(dir: string, e: ExcerptEntry): Promise<ParseResult> {
  let events = 0;
  const coverage = await ingest([join(dir, e.file)], {}, { event: () => void events++ });
  const f = coverage.files[0];
  const readAs = f ? [f.role, f.layout, ...(f.prefixes ?? [])].filter(Boolean).join(', ') : 'not read';
  const records = e.recordLines + (e.gluedRecords ?? 0);
  const share = Math.min(events, records) / records;
  const overSplit = events > OVERSPLIT_FACTOR * records;
  return { file: e.file, recordLines: records, events, share, overSplit, readAs, passes: share >= PARSE_THRESHOLD && !overSplit };
}

// ───────────────────────────── verdicts ─────────────────────────────

export interface FoundIncident {
  kind: string;
  cause: string;
  instance?: string;
  title: string;
}

export interface VerdictResult {
  expected: ExpectedIncident[];
  found: FoundIncident[];
  /** Expected incidents the tool reported, kind and instance agreeing, with the expected cause. */
  rightCause: number;
  /** …reported, but with another cause: `expected → found`. */
  wrongCause: string[];
  missing: ExpectedIncident[];
  falseAlarms: FoundIncident[];
  passes: boolean;
}

/** An expected incident and a reported one are the same failure when kind agrees and, where the verdict names one, the instance. */
function sameFailure(x: ExpectedIncident, y: FoundIncident): boolean {
  return x.kind === y.kind && (!x.instance || x.instance === y.instance);
}

export function compareVerdict(expected: ExpectedIncident[], report: Pick<Report, 'incidents'>): VerdictResult {
  const found: FoundIncident[] = report.incidents.map((i) => ({
    kind: i.kind,
    cause: i.cause.code,
    instance: i.instanceUuid,
    title: i.title,
  }));
  const free = new Set(found.map((_, i) => i));
  const pairs: [ExpectedIncident, FoundIncident][] = [];
  const missing: ExpectedIncident[] = [];
  // Pair the exact matches first, so a wrong-cause pairing never takes the incident an exact one needs.
  const unpaired: ExpectedIncident[] = [];
  for (const x of expected) {
    const i = [...free].find((k) => sameFailure(x, found[k]) && found[k].cause === x.cause);
    if (i === undefined) unpaired.push(x);
    else {
      free.delete(i);
      pairs.push([x, found[i]]);
    }
  }
  for (const x of unpaired) {
    const i = [...free].find((k) => sameFailure(x, found[k]));
    if (i === undefined) missing.push(x);
    else {
      free.delete(i);
      pairs.push([x, found[i]]);
    }
  }
  const rightCause = pairs.filter(([x, y]) => x.cause === y.cause).length;
  const wrongCause = pairs.filter(([x, y]) => x.cause !== y.cause).map(([x, y]) => `${x.kind} ${x.cause} → ${y.cause}`);
  const falseAlarms = [...free].map((i) => found[i]);
  return {
    expected,
    found,
    rightCause,
    wrongCause,
    missing,
    falseAlarms,
    passes: missing.length === 0 && wrongCause.length === 0 && falseAlarms.length === 0,
  };
}

/** A folder read as a whole, as `nova-forensics analyze` reads every excerpt of one source given together. */
export async function judgeFolder(f: CorpusFolder & { manifest: Manifest }): Promise<VerdictResult> {
  const report = await analyzeInputs(f.manifest.excerpts.map((e) => join(f.dir, e.file)));
  return compareVerdict(f.manifest.verdict.incidents, report);
}

export function describeVerdict(v: VerdictResult): string {
  const parts: string[] = [];
  if (v.missing.length)
    parts.push(`missing: ${v.missing.map((x) => `${x.kind}/${x.cause}${x.instance ? ` ${x.instance}` : ''}`).join('; ')}`);
  if (v.wrongCause.length) parts.push(`wrong cause: ${v.wrongCause.join('; ')}`);
  if (v.falseAlarms.length) parts.push(`false alarms: ${v.falseAlarms.map((x) => `${x.kind}/${x.cause} "${x.title}"`).join('; ')}`);
  return parts.length ? parts.join(' | ') : 'agrees with the verdict';
}

// ───────────────────────────── release families ─────────────────────────────

// Diablo and Essex count with the oldest family: the README's first column; their lines are Folsom's format.
const FAMILIES: { name: string; releases: string[] }[] = [
  { name: 'Folsom–Kilo', releases: ['Diablo', 'Essex', 'Folsom', 'Grizzly', 'Havana', 'Icehouse', 'Juno', 'Kilo'] },
  { name: 'Liberty–Queens', releases: ['Liberty', 'Mitaka', 'Newton', 'Ocata', 'Pike', 'Queens'] },
  { name: 'Rocky–Wallaby', releases: ['Rocky', 'Stein', 'Train', 'Ussuri', 'Victoria', 'Wallaby'] },
  { name: 'Xena–2023.x', releases: ['Xena', 'Yoga', 'Zed', '2023.1', '2023.2'] },
  { name: '2024.x–2025.x', releases: ['2024.1', '2024.2', '2025.1', '2025.2'] },
];

export const FAMILY_NAMES = [...FAMILIES.map((f) => f.name), 'unknown'];

export function releaseFamily(release: string): string {
  return FAMILIES.find((f) => f.releases.includes(release))?.name ?? 'unknown';
}
