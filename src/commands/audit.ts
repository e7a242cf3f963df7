import { audit } from '../audit/audit.js';
import type { Coverage } from '../model/coverage.js';
import type { Finding } from '../model/finding.js';
import { ingestWithFacts } from '../pipeline/read-facts.js';
import { type OutputPolicy, policyValue, policyText, writeObfuscationMap } from '../report/output.js';
import { jsonText } from '../report/sanitise.js';
import { coverageText } from '../views/coverage-text.js';
import { findingsMarkdown } from '../views/findings-markdown.js';
import { obfuscationLine } from '../views/obfuscation-note.js';

/** `nova-forensics audit INPUT...`: the database findings of the dumps in the inputs. */

export interface AuditArgs {
  inputs: string[];
  host?: string;
  format: 'md' | 'json';
  verbose?: boolean;
  policy?: OutputPolicy;
  obfuscateMap?: string;
}

export async function runAudit(
  a: AuditArgs,
  out: { write(s: string): boolean },
  err: { write(s: string): boolean },
): Promise<{ coverage: Coverage; findings: Finding[]; dumps: number }> {
  const { coverage, facts } = await ingestWithFacts(a.inputs, { host: a.host, logRoles: new Set() });
  const findings = audit(facts);
  // Masked and obfuscated as data, before rendering: masking rendered Markdown could swallow its syntax.
  const { body, shownCoverage } = policyValue(
    { body: { findings, dumps: facts.dumps }, shownCoverage: coverage },
    a.policy ?? { redact: true },
  );
  const obfuscation = a.policy?.obfuscator?.summary();
  if (a.format === 'json') out.write(`${jsonText(obfuscation ? { ...body, obfuscation } : body, 2)}\n`);
  else out.write(`${findingsMarkdown(body.findings, body.dumps, undefined, obfuscation ? obfuscationLine(obfuscation) : undefined)}\n`);
  if (a.obfuscateMap && a.policy?.obfuscator) {
    writeObfuscationMap(a.obfuscateMap, a.policy?.obfuscator);
    err.write(
      `nova-forensics: wrote the obfuscation mapping to ${policyText(a.obfuscateMap, { redact: true })} (keep it private: it undoes the obfuscation)\n`,
    );
  }
  err.write(
    `${coverageText(shownCoverage, {
      verbose: a.verbose,
      logRoles: new Set(['mysqldump']),
      unusedNote: 'Found, not needed for the audit (read by events and analyze)',
      obfuscation,
    })}\n`,
  );
  return { coverage, findings, dumps: facts.dumps.length };
}
