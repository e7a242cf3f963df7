/**
 * The names views give to incident kinds, causes and finding codes. Built from
 * the detectors and audit rules (src/registry/catalog.ts) by the command that
 * renders, and handed to the views, so that a view never lists a kind itself.
 */

export interface KindEntry {
  /** One incident of the kind: "failed build". */
  name: string;
  /** Several: "failed builds", "instances the API cannot find". */
  plural: string;
  /** A heading: "Builds that ended in ERROR". */
  title: string;
  causes: Record<string, string>;
}

export interface Catalog {
  kinds: Record<string, KindEntry>;
  findings: Record<string, string>;
}

/** The kind's name, or the code itself for a kind the catalog does not know (a report from a newer version). */
export function kindName(c: Catalog, kind: string): string {
  return c.kinds[kind]?.name ?? kind;
}

/** The kind's name for `n` incidents. */
export function kindNames(c: Catalog, kind: string, n: number): string {
  return n === 1 ? kindName(c, kind) : (c.kinds[kind]?.plural ?? kind);
}
