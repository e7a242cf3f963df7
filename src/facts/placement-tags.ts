import type { PlacementQuery } from '../model/event.js';
import type { DbIndex } from './db-index.js';

/**
 * What a candidates query asks beyond amounts: traits required (`required=A,!B`:
 * B forbidden) and aggregates (`member_of=in:X,Y` any of them, `member_of=!in:Z`
 * none of them, Stein+), and which providers of the dump meet them. Placement
 * asks them of the provider tree; the classes nova asks live on the compute
 * node, so the root provider stands for its tree here (as in placement-fit).
 */

export interface TagRequest {
  required: string[];
  forbidden: string[];
  /** Each `member_of`: the provider must be in one of `anyOf` (or, `forbidden`, in none). */
  memberOf: { anyOf: string[]; forbidden: boolean }[];
}

export interface ProviderTags {
  providerUuid: string;
  name?: string;
  missingTraits: string[];
  forbiddenTraits: string[];
  /** member_of groups it is in none of (each joined `a|b`), or forbidden ones it is in. */
  aggregatesUnmet: string[];
  eligible: boolean;
}

/** The traits and aggregates a query asks, its granular groups' included; undefined when it asks none. */
export function tagRequestOf(q: PlacementQuery | undefined): TagRequest | undefined {
  if (!q) return undefined;
  const required = [...(q.required ?? []), ...Object.values(q.groups ?? {}).flatMap((g) => g.required ?? [])];
  const memberOf = [...(q.memberOf ?? []), ...Object.values(q.groups ?? {}).flatMap((g) => g.memberOf ?? [])];
  const out: TagRequest = {
    // `in:A,B` (any of, Yoga+) is split by the query parser: its first item keeps the prefix; read as required alike.
    required: [...new Set(required.filter((t) => !t.startsWith('!')).map((t) => t.replace(/^in:/, '')))],
    forbidden: [...new Set(required.filter((t) => t.startsWith('!')).map((t) => t.slice(1)))],
    memberOf: memberOf.map((m) => {
      const forbidden = m.startsWith('!');
      const list = m.replace(/^!/, '').replace(/^in:/, '');
      return { anyOf: list.split(',').filter(Boolean), forbidden };
    }),
  };
  return out.required.length || out.forbidden.length || out.memberOf.length ? out : undefined;
}

export function describeTags(t: TagRequest): string {
  const parts: string[] = [];
  if (t.required.length) parts.push(`traits ${t.required.join(', ')}`);
  if (t.forbidden.length) parts.push(`none of the traits ${t.forbidden.join(', ')}`);
  for (const m of t.memberOf) parts.push(`${m.forbidden ? 'no aggregate of' : 'an aggregate of'} ${m.anyOf.join(' | ')}`);
  return parts.join('; ');
}

/**
 * Each root provider against the request's traits and aggregates; `traitsKnown`
 * and `aggregatesKnown` say whether the dump holds what decides them.
 */
export function tagFit(ix: DbIndex, t: TagRequest): { providers: ProviderTags[]; traitsKnown: boolean; aggregatesKnown: boolean } {
  const p = ix.facts.placement;
  const traitsKnown = !!p?.providerTraits;
  const aggregatesKnown = !!p?.providerAggregates;
  const traits = new Map<number, Set<string>>();
  for (const x of p?.providerTraits ?? [])
    (traits.get(x.providerId) ?? traits.set(x.providerId, new Set()).get(x.providerId)!).add(x.trait);
  const aggs = new Map<number, Set<string>>();
  for (const x of p?.providerAggregates ?? [])
    (aggs.get(x.providerId) ?? aggs.set(x.providerId, new Set()).get(x.providerId)!).add(x.aggregate);
  const providers: ProviderTags[] = [];
  for (const rp of ix.providers.values()) {
    if (ix.rootOf(rp).id !== rp.id) continue;
    // The tree's traits and aggregates: placement matches them on the provider that serves the resources, which for
    // nova's classes is the root; a child's own (a NIC's) count for the tree here.
    const tree = [...ix.providers.values()].filter((x) => ix.rootOf(x).id === rp.id).map((x) => x.id);
    const has = new Set(tree.flatMap((id) => [...(traits.get(id) ?? [])]));
    const inAggs = new Set(tree.flatMap((id) => [...(aggs.get(id) ?? [])]));
    const missingTraits = traitsKnown ? t.required.filter((x) => !has.has(x)) : [];
    const forbiddenTraits = traitsKnown ? t.forbidden.filter((x) => has.has(x)) : [];
    const aggregatesUnmet = aggregatesKnown
      ? t.memberOf
          .filter((m) => (m.forbidden ? m.anyOf.some((a) => inAggs.has(a)) : !m.anyOf.some((a) => inAggs.has(a))))
          .map((m) => `${m.forbidden ? '!' : ''}${m.anyOf.join('|')}`)
      : [];
    providers.push({
      providerUuid: rp.uuid,
      name: rp.name,
      missingTraits,
      forbiddenTraits,
      aggregatesUnmet,
      eligible: missingTraits.length === 0 && forbiddenTraits.length === 0 && aggregatesUnmet.length === 0,
    });
  }
  return { providers, traitsKnown, aggregatesKnown };
}
