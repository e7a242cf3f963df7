/**
 * Secrets that logs, configs and dumps carry, masked before anything is
 * printed: passwords in URLs (`transport_url`, `[database] connection`,
 * `cell_mappings`), `password=` style settings and JSON/python-repr keys,
 * keystone fernet tokens (`gAAAAA…`), `X-Auth-Token` headers. Reports get
 * pasted into tickets; redaction is on unless `--no-redact`.
 */

export const MASK = '***';

const RULES: { test: string[]; re: RegExp; to: string }[] = [
  // scheme://user:password@host
  { test: ['://'], re: /([a-z][\w+.-]*:\/\/[^:\/@\s'"]*:)([^@\s'"]+)(@)/gi, to: `$1${MASK}$3` },
  // X-Auth-Token: …, x-auth-token=…, "X-Auth-Token": "…"
  { test: ['oken', 'OKEN'], re: /((?:x-auth-token|x-subject-token|x-service-token|auth_token|admin_token|token_id)["']?\s*[:=]\s*["']?)([^"'\s,;}]+)/gi, to: `$1${MASK}` },
  // password = …, "password": "…", 'password': '…', --password …
  {
    test: ['assw', 'ecret', 'PASSW', 'ECRET', 'passphrase'],
    re: /((?:[\w-]*(?:password|passwd|secret|passphrase)[\w-]*)["']?\s*[:=]\s*["']?)([^"'\s,;}]+)/gi,
    to: `$1${MASK}`,
  },
  // command lines: --password secret, --os-password secret
  { test: ['-password', '-passwd'], re: /(--[\w-]*(?:password|passwd)[\w-]*\s+)(\S+)/gi, to: `$1${MASK}` },
  // keystone fernet and JWS tokens wherever they appear
  { test: ['gAAAAA'], re: /gAAAAA[\w-]{20,}={0,2}/g, to: `gAAAAA${MASK}` },
];

/** One cheap test for every rule's trigger: most lines hold no secret and leave here. */
const HINT = /:\/\/|ass(?:w|phrase)|ASSW|ecret|ECRET|oken|OKEN|gAAAAA/;

export function mayHoldSecret(text: string): boolean {
  return HINT.test(text);
}

export function redact(text: string): string {
  if (!HINT.test(text)) return text;
  let out = text;
  for (const r of RULES) {
    let hit = false;
    for (const t of r.test) {
      if (out.indexOf(t) !== -1) {
        hit = true;
        break;
      }
    }
    if (hit) out = out.replace(r.re, r.to);
  }
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
