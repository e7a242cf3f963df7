import { audit } from '../audit/audit.js';
import type { Coverage } from '../model/coverage.js';
import type { Finding } from '../model/finding.js';
import { ingestWithFacts } from '../pipeline/read-facts.js';
import { redactDeep } from '../report/redact.js';
import { coverageText } from '../views/coverage-text.js';
import { findingsMarkdown } from '../views/findings-markdown.js';

/** `nova-forensics audit INPUT...`: the database findings of the dumps in the inputs. */

export interface AuditArgs {
  inputs: string[];
  host?: string;
  format: 'md' | 'json';
  verbose?: boolean;
  redact?: boolean;
}

export async function runAudit(
  a: AuditArgs,
  out: { write(s: string): boolean },
  err: { write(s: string): boolean },
): Promise<{ coverage: Coverage; findings: Finding[]; dumps: number }> {
  const { coverage, facts } = await ingestWithFacts(a.inputs, { host: a.host, logRoles: new Set() });
  const findings = audit(facts);
  // Redacted as data, before rendering: masking rendered Markdown could swallow its syntax.
  const body = a.redact === false ? { findings, dumps: facts.dumps } : redactDeep({ findings, dumps: facts.dumps });
  if (a.format === 'json') out.write(`${JSON.stringify(body, null, 2)}\n`);
  else out.write(`${findingsMarkdown(body.findings, body.dumps)}\n`);
  err.write(
    `${coverageText(coverage, {
      verbose: a.verbose,
      logRoles: new Set(['mysqldump']),
      unusedNote: 'Found, not needed for the audit (read by events and analyze)',
    })}\n`,
  );
  return { coverage, findings, dumps: facts.dumps.length };
}
