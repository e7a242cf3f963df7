import { inspect, isDeepStrictEqual } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import type { AuditRule } from '../../src/audit/rule.js';
import type { Detector, Verdict } from '../../src/detectors/detector.js';
import { DbIndex } from '../../src/facts/db-index.js';
import type { DbFacts } from '../../src/model/db.js';
import type { Service } from '../../src/model/event.js';
import type { CauseCode, Finding, FindingCode, Severity } from '../../src/model/finding.js';
import type { HostFacts } from '../../src/model/host.js';
import type { Incident, IncidentCause } from '../../src/model/incident.js';
import { detect } from './detect.js';
import { Db } from './facts.js';

/**
 * Case tables, as ESLint's RuleTester has them: for a detector or an audit
 * rule, `valid` rows (no incident, no finding) and `invalid` rows (the
 * incident or findings they must give), each a few log lines and database
 * rows. A row is data; `caseTable` records the table, and
 * test/case-tables.test.ts declares one ava test per row, named by the row,
 * and checks that every cause of the registry has a row.
 */

// ─────────── patterns: partial matches a row can state as data ───────────

class Not {
  constructor(readonly pattern: Pattern) {}
}
class Exact {
  constructor(readonly value: unknown) {}
}

/**
 * What a row expects of a value: a primitive is compared with Object.is, a
 * RegExp tests a string, an object pattern checks only the keys it names, an
 * array pattern checks the length and each element; `exact(v)` compares in
 * full, `not(p)` holds where `p` does not.
 */
export type Pattern =
  | string
  | number
  | boolean
  | null
  | undefined
  | RegExp
  | Not
  | Exact
  | readonly Pattern[]
  | { readonly [key: string]: Pattern };

export const not = (pattern: Pattern): Not => new Not(pattern);
export const exact = (value: unknown): Exact => new Exact(value);
/** A string holding `text` (escaped into a RegExp). */
export const has = (text: string): RegExp => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

const show = (x: unknown): string => inspect(x, { depth: 6, breakLength: Infinity, maxStringLength: 300 });

/** Where `actual` differs from `pattern`, or undefined where it matches. */
export function mismatch(actual: unknown, pattern: Pattern, path = 'value'): string | undefined {
  if (pattern instanceof Not)
    return mismatch(actual, pattern.pattern, path) === undefined ? `${path}: ${show(actual)} matches ${show(pattern.pattern)}` : undefined;
  if (pattern instanceof Exact)
    return isDeepStrictEqual(actual, pattern.value) ? undefined : `${path}: ${show(actual)} ≠ ${show(pattern.value)}`;
  if (pattern instanceof RegExp)
    return typeof actual === 'string' && pattern.test(actual) ? undefined : `${path}: ${show(actual)} does not match ${pattern}`;
  if (Array.isArray(pattern)) {
    if (!Array.isArray(actual) || actual.length !== pattern.length)
      return `${path}: ${show(actual)} is not a list of ${pattern.length} like ${show(pattern)}`;
    for (let i = 0; i < pattern.length; i++) {
      const m = mismatch(actual[i], pattern[i], `${path}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (pattern !== null && typeof pattern === 'object') {
    if (actual === null || typeof actual !== 'object') return `${path}: ${show(actual)} is not an object like ${show(pattern)}`;
    for (const [k, p] of Object.entries(pattern)) {
      const m = mismatch((actual as Record<string, unknown>)[k], p as Pattern, `${path}.${k}`);
      if (m) return m;
    }
    return undefined;
  }
  return Object.is(actual, pattern) ? undefined : `${path}: ${show(actual)} ≠ ${show(pattern)}`;
}

function like(t: ExecutionContext, actual: unknown, pattern: Pattern, path: string): void {
  const m = mismatch(actual, pattern, path);
  if (m) t.fail(m);
  else t.pass();
}

/** Each pattern matches some item of the list. */
function some(t: ExecutionContext, list: readonly unknown[], patterns: readonly Pattern[], path: string): void {
  for (const p of patterns) {
    if (list.some((x) => mismatch(x, p) === undefined)) t.pass();
    else t.fail(`${path}: no item matches ${show(p)}; the ${list.length} items:\n  ${list.map(show).join('\n  ')}`);
  }
}

/** No pattern matches any item of the list. */
function none(t: ExecutionContext, list: readonly unknown[], patterns: readonly Pattern[], path: string): void {
  for (const p of patterns) {
    const hit = list.find((x) => mismatch(x, p) === undefined);
    if (hit === undefined) t.pass();
    else t.fail(`${path}: ${show(hit)} matches ${show(p)}, which no item may`);
  }
}

/** Evidence patterns: a string or RegExp is about the item's text; an object pattern about the whole item. */
const aboutText = (p: Pattern): Pattern => (typeof p === 'string' || p instanceof RegExp || p instanceof Not ? { text: p } : p);

// ─────────── detector rows ───────────

export interface CaseLog {
  host: string;
  service: Service;
  /** Whole log lines, as the file holds them. */
  lines: readonly string[];
  /** Pasted text (a fault, a client's error), read in paste mode; its service is `unknown`. */
  paste?: true;
}

export interface DetectorCase {
  /** The test's name: what situation the row is. */
  name: string;
  logs: readonly CaseLog[];
  /** The databases, built afresh for the row. */
  db?: () => Db | DbFacts;
  /** Host facts of the sosreports (virsh, nova.conf). */
  hosts?: readonly HostFacts[];
}

export interface IncidentExpect {
  /** How many incidents the row gives (1 unless said); what follows is about the first, or the one `of` names. */
  incidents?: number;
  /** The instance whose incident the rest is about, where the row gives several (the first otherwise). */
  of?: string;
  cause: IncidentCause;
  /** The title of the cause rule that must decide, where several causes share the code. */
  rule?: string;
  instance?: string;
  requestIds?: readonly string[];
  /** The incident's count of occurrences. */
  count?: number;
  title?: Pattern;
  summary?: Pattern;
  details?: Pattern;
  /** Each matches some evidence item (a text pattern, or a pattern of the whole item). */
  evidence?: readonly Pattern[];
  gaps?: readonly Pattern[];
  noGaps?: readonly Pattern[];
  /** Each matches some remediation command. */
  commands?: readonly Pattern[];
  noCommands?: readonly Pattern[];
  firstCommand?: Pattern;
  /** Each matches some timeline entry. */
  timeline?: readonly Pattern[];
  /** The message of the timeline's first failing entry. */
  failing?: Pattern;
  /** The services the timeline shows, all of them. */
  timelineServices?: readonly Service[];
}

export interface IncidentCase extends DetectorCase {
  expect: IncidentExpect;
}

// ─────────── audit rule rows ───────────

export interface RuleCase {
  name: string;
  /** The databases, built afresh for the row (or a sample's, read once). */
  db: () => Db | DbFacts | Promise<DbFacts>;
}

export interface FindingExpect {
  code: FindingCode;
  /** Every selected finding names this cause. */
  cause: CauseCode;
  /** Selects among the rule's findings of the code (a pattern of the finding). */
  where?: Pattern;
  /** How many findings are selected (1 unless said). */
  count?: number | { min: number };
  /** The rest holds for every selected finding. */
  severity?: Severity;
  subject?: Pattern;
  resources?: Pattern;
  details?: Pattern;
  explanation?: Pattern;
  evidence?: readonly Pattern[];
  commands?: readonly Pattern[];
  noCommands?: readonly Pattern[];
  firstCommand?: Pattern;
  firstWhy?: Pattern;
}

export interface FindingCase extends RuleCase {
  /** Without a `where`, the findings listed are all the rule gives. */
  expect: readonly FindingExpect[];
  /** No finding of the rule matches any of these. */
  none?: readonly Pattern[];
}

// ─────────── tables ───────────

export type Table =
  | { type: 'detector'; subject: Detector; valid: readonly DetectorCase[]; invalid: readonly IncidentCase[] }
  | { type: 'rule'; subject: AuditRule; valid: readonly RuleCase[]; invalid: readonly FindingCase[] };

/** Every table registered in this process, for the coverage test. */
export const TABLES: Table[] = [];

export function tableName(t: Table): string {
  return t.type === 'detector' ? t.subject.kind : `audit ${t.subject.id}`;
}

function factsOf(db: Db | DbFacts | undefined): DbFacts | undefined {
  return db instanceof Db ? db.facts() : db;
}

/**
 * Runs the detector on the row, noting which cause rule decided each verdict
 * (the titles, in order): a detector that decides by `decideCause` calls its
 * causes' `decide` in order and stops at the first verdict. The causes are
 * wrapped for the run and restored after.
 */
export function runDetector(d: Detector, row: DetectorCase): { incidents: Incident[]; decided: string[] } {
  const decided: string[] = [];
  type Decide = (e: never) => Verdict | undefined;
  const causes = d.causes as unknown as { title: string; decide?: Decide }[];
  const saved = causes.map((c) => c.decide);
  causes.forEach((c, i) => {
    const f = saved[i];
    if (f)
      c.decide = (e) => {
        const v = f.call(c, e);
        if (v) decided.push(c.title);
        return v;
      };
  });
  try {
    const logs = row.logs.map((l) => ({ host: l.host, service: l.service, text: `${l.lines.join('\n')}\n`, paste: l.paste }));
    const incidents = detect(d, logs, factsOf(row.db?.()), [...(row.hosts ?? [])]);
    return { incidents, decided };
  } finally {
    causes.forEach((c, i) => {
      c.decide = saved[i];
    });
  }
}

function checkIncident(t: ExecutionContext, d: Detector, run: { incidents: Incident[]; decided: string[] }, x: IncidentExpect): void {
  const { incidents, decided } = run;
  t.is(incidents.length, x.incidents ?? 1, `incidents: ${incidents.map((i) => `${i.cause.code} ${i.title}`).join('; ')}`);
  const i = x.of === undefined ? incidents[0] : incidents.find((n) => n.instanceUuid === x.of);
  if (!i) {
    if (x.of !== undefined) t.fail(`no incident of instance ${x.of}`);
    return;
  }
  t.is(i.kind, d.kind);
  t.is(i.cause.code, x.cause, `cause of "${i.title}": ${i.cause.summary}`);
  if (x.rule !== undefined) {
    if (!d.causes.some((c) => c.decide)) t.fail(`${d.kind} decides without cause rules: the row cannot name one`);
    t.is(decided[0], x.rule, 'the cause rule that decided');
  }
  if ('instance' in x) t.is(i.instanceUuid, x.instance, 'instance');
  if (x.requestIds) t.deepEqual(i.requestIds, [...x.requestIds], 'request ids');
  if (x.count !== undefined) t.is(i.count, x.count, 'count');
  if ('title' in x) like(t, i.title, x.title, 'title');
  if ('summary' in x) like(t, i.cause.summary, x.summary, 'summary');
  if ('details' in x) like(t, i.cause.details, x.details, 'details');
  if (x.evidence) some(t, i.evidence, x.evidence.map(aboutText), 'evidence');
  if (x.gaps) some(t, i.gaps, x.gaps, 'gaps');
  if (x.noGaps) none(t, i.gaps, x.noGaps, 'gaps');
  const commands = i.remediation.map((r) => r.command);
  if (x.commands) some(t, commands, x.commands, 'commands');
  if (x.noCommands) none(t, commands, x.noCommands, 'commands');
  if ('firstCommand' in x) like(t, commands[0], x.firstCommand, 'first command');
  if (x.timeline) some(t, i.timeline, x.timeline, 'timeline');
  if ('failing' in x) like(t, i.timeline.find((e) => e.failing)?.message, x.failing, 'first failing entry');
  if (x.timelineServices) t.deepEqual(new Set(i.timeline.map((e) => e.service)), new Set(x.timelineServices), 'timeline services');
}

export async function runRule(rule: AuditRule, row: RuleCase): Promise<Finding[]> {
  const db = await row.db();
  return rule.check(new DbIndex(factsOf(db)!));
}

function checkFindings(t: ExecutionContext, findings: Finding[], row: FindingCase): void {
  for (const x of row.expect) {
    const label = `${x.code}${x.where ? ` where ${show(x.where)}` : ''}`;
    const selected = findings.filter((f) => f.code === x.code && (x.where === undefined || mismatch(f, x.where) === undefined));
    const count = x.count ?? 1;
    if (typeof count === 'number') t.is(selected.length, count, `${label}: how many`);
    else t.true(selected.length >= count.min, `${label}: ${selected.length} found, at least ${count.min} expected`);
    for (const [n, f] of selected.entries()) {
      const at = `${label} #${n}`;
      t.is(f.cause, x.cause, `${at}: cause`);
      if (x.severity !== undefined) t.is(f.severity, x.severity, `${at}: severity`);
      if ('subject' in x) like(t, f.subject, x.subject, `${at}: subject`);
      if ('resources' in x) like(t, f.resources, x.resources, `${at}: resources`);
      if ('details' in x) like(t, f.details, x.details, `${at}: details`);
      if ('explanation' in x) like(t, f.explanation, x.explanation, `${at}: explanation`);
      if (x.evidence) some(t, f.evidence, x.evidence.map(aboutText), `${at}: evidence`);
      const commands = f.remediation.map((r) => r.command);
      if (x.commands) some(t, commands, x.commands, `${at}: commands`);
      if (x.noCommands) none(t, commands, x.noCommands, `${at}: commands`);
      if ('firstCommand' in x) like(t, commands[0], x.firstCommand, `${at}: first command`);
      if ('firstWhy' in x) like(t, f.remediation[0]?.why, x.firstWhy, `${at}: first command's why`);
    }
  }
  // Without selections, the findings listed are all there are.
  if (row.expect.every((x) => x.where === undefined && typeof (x.count ?? 1) === 'number'))
    t.is(
      findings.length,
      row.expect.reduce((n, x) => n + ((x.count as number | undefined) ?? 1), 0),
      `every finding: ${findings.map((f) => `${f.code}/${f.cause}`).join(', ')}`,
    );
  if (row.none) none(t, findings, row.none, 'findings');
}

function uniqueNames(label: string, rows: readonly { name: string }[]): void {
  const seen = new Set<string>();
  for (const r of rows) {
    if (seen.has(r.name)) throw new Error(`${label}: two rows named "${r.name}"`);
    seen.add(r.name);
  }
}

/**
 * A detector's or a rule's case table. Its rows become tests when
 * test/case-tables.test.ts has loaded every table (ava takes the tests of a
 * file only while the file is being loaded, and the tables are imported
 * there), one test per row, named by it.
 */
export function caseTable(subject: Detector, rows: { valid: readonly DetectorCase[]; invalid: readonly IncidentCase[] }): void;
export function caseTable(subject: AuditRule, rows: { valid: readonly RuleCase[]; invalid: readonly FindingCase[] }): void;
export function caseTable(
  subject: Detector | AuditRule,
  rows: { valid: readonly (DetectorCase | RuleCase)[]; invalid: readonly (IncidentCase | FindingCase)[] },
): void {
  const table = ('detect' in subject ? { type: 'detector', subject, ...rows } : { type: 'rule', subject, ...rows }) as Table;
  uniqueNames(tableName(table), [...rows.valid, ...rows.invalid]);
  TABLES.push(table);
}

/** Declares one ava test per row of the table. */
export function declareTests(table: Table): void {
  const name = tableName(table);
  if (table.type === 'detector') {
    const d = table.subject;
    for (const row of table.valid)
      test(`${name} › valid › ${row.name}`, (t) => {
        t.deepEqual(
          runDetector(d, row).incidents.map((i) => `${i.cause.code}: ${i.title}`),
          [],
        );
      });
    for (const row of table.invalid) test(`${name} › invalid › ${row.name}`, (t) => checkIncident(t, d, runDetector(d, row), row.expect));
  } else {
    const r = table.subject;
    for (const row of table.valid)
      test(`${name} › valid › ${row.name}`, async (t) => {
        t.deepEqual(
          (await runRule(r, row)).map((f) => `${f.code}/${f.cause}: ${JSON.stringify(f.subject)}`),
          [],
        );
      });
    for (const row of table.invalid) test(`${name} › invalid › ${row.name}`, async (t) => checkFindings(t, await runRule(r, row), row));
  }
}
