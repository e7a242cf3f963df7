import { closeSync, fchmodSync, openSync, writeSync } from 'node:fs';
import type { Event } from '../model/event.js';
import type { Report } from '../model/report.js';
import { Obfuscator, type ObfuscateOptions } from './obfuscate.js';
import { redact, redactDeep, redactEvent, SecretValues } from './redact.js';
import { jsonText, visibleLine, visibleText } from './sanitise.js';

/**
 * What may leave the program, decided once per run: secrets masked (unless
 * `--no-redact`), names and addresses replaced (with `--obfuscate`). Commands
 * pass the model through here before a view renders it; views then escape
 * what is left for the terminal (`sanitise.ts`).
 */

export interface OutputPolicy {
  redact: boolean;
  obfuscator?: Obfuscator;
}

export interface PolicyOptions {
  redact?: boolean;
  obfuscate?: boolean;
  obfuscateKey?: string;
  obfuscateDomains?: readonly string[];
}

export function outputPolicy(o: PolicyOptions): OutputPolicy {
  const obfuscate = o.obfuscate || !!o.obfuscateKey;
  const opts: ObfuscateOptions = { key: o.obfuscateKey, domains: o.obfuscateDomains };
  return { redact: o.redact !== false, obfuscator: obfuscate ? new Obfuscator(opts) : undefined };
}

/**
 * The report as it may be shown: the whole model is learned from first, so
 * a name is replaced wherever it appears. `events` (the store behind the
 * report) lend the secret values they held, for the texts the report
 * derived from them.
 */
export function policyReport(r: Report, p: OutputPolicy, events: readonly Event[] = []): Report {
  const red = p.redact ? redactReport(r, events) : r;
  const o = p.obfuscator;
  if (!o) return red;
  o.learn(red);
  const out = o.deep(red);
  out.coverage.obfuscation = o.summary();
  return out;
}

function redactReport(r: Report, events: readonly Event[]): Report {
  const found = new SecretValues();
  for (const e of events) redactEvent(e, found);
  return found.applyDeep(redactDeep(r, found));
}

/** Any other model (coverage, findings, dumps). Learns from it first. */
export function policyValue<T>(v: T, p: OutputPolicy): T {
  const red = p.redact ? redactDeep(v) : v;
  if (!p.obfuscator) return red;
  p.obfuscator.learn(red);
  return p.obfuscator.deep(red);
}

/** One event of a stream. */
export function policyEvent<E extends Event>(ev: E, p: OutputPolicy): E {
  const red = p.redact ? redactEvent(ev) : ev;
  return p.obfuscator ? p.obfuscator.event(red) : red;
}

/** A message of our own that quotes inputs (an error, a path): masked, replaced, escaped. */
export function policyText(s: string, p: OutputPolicy): string {
  const red = p.redact ? redact(s) : s;
  return visibleText(p.obfuscator ? p.obfuscator.text(red) : red);
}

/**
 * A host name from the inputs shown while they are read (a progress line, the
 * TUI's loading screen): learned first, so it is replaced before the report
 * has named it. Masked, replaced, escaped to one line.
 */
export function policyHost(host: string, p: OutputPolicy): string {
  p.obfuscator?.learnHost(host);
  return visibleLine(policyText(host, p));
}

/** `--obfuscate-map FILE`: the mapping, readable by its owner only (it undoes the obfuscation). */
export function writeObfuscationMap(path: string, o: Obfuscator): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    // an existing file keeps its mode on open: make it private too
    fchmodSync(fd, 0o600);
    // the originals came from the inputs: as JSON, their control and bidi characters are \u escapes too
    writeSync(fd, `${jsonText(o.mapping(), 2)}\n`);
  } finally {
    closeSync(fd);
  }
}

/**
 * The report and the events behind it (the TUI's whole timeline): every
 * name is learned from both before either is rewritten, so an event names a
 * host as the report does.
 */
export function policyStore(r: Report, events: readonly Event[], p: OutputPolicy): { report: Report; events: Event[] } {
  const found = new SecretValues();
  const evs = p.redact ? events.map((e) => redactEvent(e, found)) : [...events];
  const red = p.redact ? found.applyDeep(redactDeep(r, found)) : r;
  const o = p.obfuscator;
  if (!o) return { report: red, events: evs };
  for (const e of evs) o.learnEvent(e);
  o.learn(red);
  const report = o.deep(red);
  report.coverage.obfuscation = o.summary();
  return { report, events: evs.map((e) => o.event(e)) };
}
