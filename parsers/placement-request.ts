import { pattern } from './pattern.js';
import type { HttpInfo, PlacementQuery, PlacementSearch } from '../src/model/event.js';

/**
 * Request-log messages: placement's `placement/requestlog.py` (also nova's
 * wsgi `nova.api.openstack.requestlog` and the eventlet access line, which
 * share the shape), the allocation-candidates query decoded into structure,
 * and placement's candidate-search DEBUG lines.
 */

export const ACCESS_LINE = pattern(
  String.raw`^(?<ip>\S+)[ ]"(?<method>[A-Z]+)[ ](?<uri>\S*)(?:[ ]HTTP\/[\d.]+)?"
    [ ]status:[ ](?<status>\d+)
    [ ]len:[ ](?<len>\d+|-)
    (?:[ ]microversion:[ ](?<mv>\S+))?
    (?:[ ]time:[ ](?<time>[\d.]+))?`,
  'x',
);

export const STARTING_LINE = pattern(String.raw`^Starting[ ]request:[ ](?<ip>\S+)[ ]"(?<method>[A-Z]+)[ ](?<uri>\S*)"`, 'x');

export function splitUri(uri: string): { path: string; query?: string } {
  const q = uri.indexOf('?');
  return q === -1 ? { path: uri } : { path: uri.slice(0, q), query: uri.slice(q + 1) };
}

/** Access or `Starting request:` message → HttpInfo; cheap rejection first, this runs on every line. */
export function parseAccessMessage(message: string): HttpInfo | undefined {
  if (message.startsWith('Starting request: ')) {
    const m = STARTING_LINE.exec(message);
    if (!m) return undefined;
    const g = m.groups!;
    return { clientIp: g.ip, method: g.method, ...splitUri(g.uri), starting: true };
  }
  if (message.indexOf('" status: ') === -1) return undefined;
  const m = ACCESS_LINE.exec(message);
  if (!m) return undefined;
  const g = m.groups!;
  const out: HttpInfo = { clientIp: g.ip, method: g.method, ...splitUri(g.uri), status: Number(g.status) };
  if (g.len !== '-') out.length = Number(g.len);
  if (g.mv !== undefined && g.mv !== '-') out.microversion = g.mv;
  if (g.time !== undefined) out.time = Number(g.time);
  return out;
}

/** `VCPU:1,MEMORY_MB:512` → `{VCPU: 1, MEMORY_MB: 512}`. Malformed pairs are skipped. */
export function parseResources(value: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pair of value.split(',')) {
    const colon = pair.indexOf(':');
    if (colon <= 0) continue;
    const amount = Number(pair.slice(colon + 1));
    if (Number.isFinite(amount)) out[pair.slice(0, colon).trim()] = amount;
  }
  return out;
}

function listParam(values: string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/**
 * The placement query of a request, when it is one: any query in placement's
 * own logs, else only `/allocation_candidates` (nova-api's `?limit=` is not).
 */
export function placementQueryOf(http: HttpInfo, inPlacementLog: boolean): PlacementQuery | undefined {
  if (http.query === undefined) return undefined;
  if (!inPlacementLog && !http.path.endsWith('/allocation_candidates')) return undefined;
  return decodePlacementQuery(http.query);
}

/**
 * A query string's values by name, names in the order they first come: what `URLSearchParams` reads
 * (`application/x-www-form-urlencoded`: `+` a space, `%XX` bytes of UTF-8). By hand: placement's every
 * access line is decoded as it is read, and `URLSearchParams` with its `keys` and `getAll` was most of
 * that (test/placement-request.test.ts holds the two to each other on the real logs). Text with a `%`
 * that `decodeURIComponent` refuses (a stray `%`, bytes that are not UTF-8), or with a lone surrogate
 * (which `URLSearchParams` makes U+FFFD: an escape decoded in the message), goes to `URLSearchParams`.
 */
export function queryParams(query: string): Map<string, string[]> {
  if (!(query as unknown as { isWellFormed(): boolean }).isWellFormed()) return searchParams(query);
  const out = new Map<string, string[]>();
  for (let at = 0; at <= query.length; ) {
    let end = query.indexOf('&', at);
    if (end === -1) end = query.length;
    if (end > at) {
      const eq = query.indexOf('=', at);
      const cut = eq === -1 || eq > end ? end : eq;
      const name = formDecoded(query.slice(at, cut));
      const value = cut === end ? '' : formDecoded(query.slice(cut + 1, end));
      if (name === undefined || value === undefined) return searchParams(query);
      const list = out.get(name);
      if (list) list.push(value);
      else out.set(name, [value]);
    }
    at = end + 1;
  }
  return out;
}

/** `+` a space, then `%XX` decoded; undefined when `decodeURIComponent` refuses it. */
function formDecoded(s: string): string | undefined {
  const spaced = s.indexOf('+') === -1 ? s : s.replaceAll('+', ' ');
  if (spaced.indexOf('%') === -1) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return undefined;
  }
}

function searchParams(query: string): Map<string, string[]> {
  const params = new URLSearchParams(query);
  return new Map([...new Set(params.keys())].map((k) => [k, params.getAll(k)]));
}

/** The query of `GET /allocation_candidates?…` (or `/resource_providers?…`), decoded. */
export function decodePlacementQuery(query: string): PlacementQuery | undefined {
  const out: PlacementQuery = {};
  let any = false;
  for (const [key, values] of queryParams(query)) {
    const m = /^(resources|required|member_of)(.+)$/.exec(key);
    if (m) {
      const suffix = m[2];
      out.groups ??= {};
      const group = (out.groups[suffix] ??= {});
      if (m[1] === 'resources') group.resources = parseResources(values.join(','));
      else if (m[1] === 'required') group.required = listParam(values);
      else group.memberOf = values;
      any = true;
      continue;
    }
    switch (key) {
      case 'resources':
        out.resources = parseResources(values.join(','));
        any = true;
        break;
      case 'required':
        out.required = listParam(values);
        any = true;
        break;
      case 'member_of':
        out.memberOf = values;
        any = true;
        break;
      case 'in_tree':
        out.inTree = values[0];
        any = true;
        break;
      case 'limit': {
        const n = Number(values[0]);
        if (Number.isFinite(n)) {
          out.limit = n;
          any = true;
        }
        break;
      }
      case 'group_policy':
        out.groupPolicy = values[0];
        any = true;
        break;
    }
  }
  return any ? out : undefined;
}

/**
 * placement's search DEBUG lines (research_context.py, Stein–master):
 * `getting providers with 64 VCPU`, `found no providers with 64 VCPU`,
 * `found 3 providers with available 64 VCPU`,
 * `found 3 providers under 2 trees with available 64 VCPU`.
 */
const SEARCH = pattern(
  String.raw`^(?:
      getting[ ]providers[ ]with[ ](?<gAmount>\d+)[ ](?<gRc>[A-Z][A-Z0-9_]*)
    | found[ ]no[ ]providers[ ]with[ ](?<nAmount>\d+)[ ](?<nRc>[A-Z][A-Z0-9_]*)
    | found[ ](?<fCount>\d+)[ ]providers[ ](?:under[ ]\d+[ ]trees[ ])?with[ ]available[ ](?<fAmount>\d+)[ ](?<fRc>[A-Z][A-Z0-9_]*)
  )`,
  'x',
);

export function parsePlacementSearch(message: string): PlacementSearch | undefined {
  const c = message.charCodeAt(0);
  if (c !== 103 /* g */ && c !== 102 /* f */) return undefined;
  const m = SEARCH.exec(message);
  if (!m) return undefined;
  const g = m.groups!;
  if (g.gRc) return { outcome: 'getting', resourceClass: g.gRc, amount: Number(g.gAmount) };
  if (g.nRc) return { outcome: 'none', resourceClass: g.nRc, amount: Number(g.nAmount), providers: 0 };
  return { outcome: 'found', resourceClass: g.fRc, amount: Number(g.fAmount), providers: Number(g.fCount) };
}
