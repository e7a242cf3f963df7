import type { Event } from '../model/event.js';

/**
 * Secrets that logs, configs and dumps carry, masked before anything is
 * printed: passwords in URLs (`transport_url` with one or many hosts,
 * `[database] connection`, `cell_mappings`), `password=` style settings and
 * JSON/python-repr keys (`u'…'` values too), tokens (`X-Auth-Token`,
 * `auth_token`, keystone fernet `gAAAAA…`), `Authorization:` credentials.
 * Reports get pasted into tickets; redaction is on unless `--no-redact`.
 */

export const MASK = '***';

/** A quoted value (python's `u'…'`/`b'…'` too) or a bare word: what follows `key =` or `key:`. */
const VALUE = String.raw`(?:[uUbB]?"[^"]*"|[uUbB]?'[^']*'|[^"'\s,;}]+)`;

/** `user:password@` of each host in a URL's authority; the password runs to the entry's last `@`. */
function maskUrl(_m: string, scheme: string, rest: string): string {
  const lastAt = rest.lastIndexOf('@');
  if (lastAt === -1) return scheme + rest;
  const slash = rest.indexOf('/', lastAt);
  const hosts = slash === -1 ? rest : rest.slice(0, slash);
  const tail = slash === -1 ? '' : rest.slice(slash);
  const masked = hosts
    .split(',')
    .map((entry) => {
      const at = entry.lastIndexOf('@');
      const colon = entry.indexOf(':');
      return at === -1 || colon === -1 || colon > at ? entry : `${entry.slice(0, colon + 1)}${MASK}${entry.slice(at)}`;
    })
    .join(',');
  return scheme + masked + tail;
}

interface Rule {
  /** A cheap, case-insensitive test before the real pattern runs. */
  hint: RegExp;
  re: RegExp;
  to: string | ((...m: string[]) => string);
}

const RULES: Rule[] = [
  // scheme://user:password@host[,user:password@host…]
  { hint: /:\/\//, re: /([a-z][\w+.-]*:\/\/)([^\s'"<>]*)/gi, to: maskUrl },
  // Authorization: Basic …, "Authorization": "Bearer …"
  { hint: /authorization/i, re: /(authorization["']?\s*[:=]\s*["']?(?:basic|bearer|negotiate|token)?\s*)([^"'\s,;}]+)/gi, to: `$1${MASK}` },
  // X-Auth-Token: …, auth_token=…, "token": "…", u'_context_auth_token': u'…', token_id
  { hint: /token/i, re: new RegExp(String.raw`((?:[\w-]*token(?:_id)?)["']?\s*[:=]\s*)${VALUE}`, 'gi'), to: `$1${MASK}` },
  // password = …, "password": "…", 'db_pwd': u'…', secret, passphrase
  {
    hint: /passw|pwd|secret|passphrase/i,
    re: new RegExp(String.raw`((?:[\w-]*(?:password|passwd|pwd|secret|passphrase)[\w-]*)["']?\s*[:=]\s*)${VALUE}`, 'gi'),
    to: `$1${MASK}`,
  },
  // command lines: --password secret, --os-password secret
  { hint: /-passw/i, re: /(--[\w-]*(?:password|passwd)[\w-]*\s+)(\S+)/gi, to: `$1${MASK}` },
  // keystone fernet and JWS tokens wherever they appear
  { hint: /gAAAAA/, re: /gAAAAA[\w-]{20,}={0,2}/g, to: `gAAAAA${MASK}` },
];

/**
 * One cheap test for every rule's trigger, in the casings configs and logs
 * use (`password`, `Password`, `PASSWORD`, `PassWord`): most lines hold no
 * secret and leave here. Case classes or the `i` flag cost twice as much on
 * every line of the log.
 */
const HINT = /:\/\/|ass[wW]|ASS[wW]|pwd|PWD|ecret|ECRET|oken|OKEN|horiz|HORIZ|hrase|HRASE|gAAAAA/;

export function mayHoldSecret(text: string): boolean {
  return HINT.test(text);
}

export function redact(text: string): string {
  if (!HINT.test(text)) return text;
  let out = text;
  for (const r of RULES) if (r.hint.test(out)) out = out.replace(r.re, r.to as (...m: string[]) => string);
  return out;
}

/** Redacts every string inside a JSON-like value, keys excepted. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}

/**
 * An event with every string redacted (exception texts, HTTP paths, the
 * traceback…), or the event itself when none of its texts can hold a secret:
 * the common case costs one test.
 */
export function redactEvent<E extends Event>(ev: E): E {
  // The message is cut from the raw line; only decoding (escaped unicode) can make it say more.
  if (mayHoldSecret(ev.raw) || (ev.decoded && mayHoldSecret(ev.message)) || ev.traceback?.some(mayHoldSecret)) return redactDeep(ev);
  return ev;
}
