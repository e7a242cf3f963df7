import type { AuditRule } from '../audit/rule.js';
import type { Detector } from '../detectors/detector.js';

/**
 * docs/report.schema.json: its structure is written by hand, its enums of
 * kinds, causes and finding codes come from the detectors and rules. The
 * generator takes the committed schema and sets those enums; a test fails when
 * the committed file differs from what this gives (`npm run gen-docs` writes it).
 */

type Json = { [k: string]: unknown };

function uniq(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

function at(schema: Json, path: readonly string[]): Json {
  let node: unknown = schema;
  for (const p of path) {
    node = (node as Json | undefined)?.[p];
    if (node === undefined) throw new Error(`report schema: no ${path.join('.')}`);
  }
  return node as Json;
}

export function reportSchema(template: Json, detectors: readonly Detector<unknown>[], rules: readonly AuditRule[]): Json {
  const schema = structuredClone(template);
  const incident = ['$defs', 'incident', 'properties'];
  const finding = ['$defs', 'finding', 'properties'];
  at(schema, [...incident, 'kind']).enum = detectors.map((d) => d.kind);
  at(schema, [...incident, 'cause', 'properties', 'code']).enum = uniq(detectors.flatMap((d) => d.causes.map((c) => c.code)));
  at(schema, [...finding, 'code']).enum = rules.flatMap((r) => r.findings.map((f) => f.code));
  at(schema, [...finding, 'cause']).enum = uniq(rules.flatMap((r) => r.findings.flatMap((f) => f.causes.map((c) => c.code))));
  return schema;
}

/** The file's text: two-space JSON, as committed. */
export function schemaText(schema: Json): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
