import { createHmac, randomBytes } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { Event } from '../model/event.js';
import type { ObfuscationNote } from '../model/report.js';

/**
 * `--obfuscate`: host names, domains, IPv4/IPv6 and MAC addresses, user
 * names and keystone user/project ids replaced by placeholders, so a report
 * can go into a public ticket. Instance, request and migration uuids stay:
 * they carry the story, and are random anyway.
 *
 * Placeholders are an HMAC of the original under a key: the same original
 * gives the same placeholder everywhere in a report, and across runs given
 * the same `--obfuscate-key` (without one the key is random, and nothing
 * links two runs). Counters (sos clean's `host0`, `host1`) would depend on
 * the order things are met, so a streamed `events` and a report, or two
 * reports of overlapping inputs, would disagree.
 *
 * Like sos clean (sos/cleaner/mappings): a host's domain is obfuscated as a
 * unit and its top-level domain kept (`cmp01.cloud.example` →
 * `host-3fa9c1.domain-77d0e2.example`), and only names in the domains of the
 * hosts read (or given with `--obfuscate-domain`) are looked for in free
 * text; loopback, link-local, unspecified and broadcast addresses are kept.
 * What sos clean already wrote (`host0`, `obfuscateddomain0.com`,
 * `obfuscateduser0`, MACs `53:4f:53:…`, IPv6 `534f:…`/`fd53:…`) is left as it
 * is, so a report on a cleaned sosreport names things as the sosreport
 * does; when every host read is one sos clean named, its IPv4 addresses are
 * sos clean's too and are kept.
 *
 * The mapping (original → placeholder) is written only to the file
 * `--obfuscate-map` names, in sos clean's map layout, never into a report.
 */

export interface ObfuscateOptions {
  /** Same key, same placeholders. */
  key?: string;
  /** More domains whose names are private (sos clean's --domains). */
  domains?: readonly string[];
}

export type PlaceholderKind = 'host' | 'domain' | 'ipv4' | 'ipv6' | 'mac' | 'user' | 'project' | 'id';

/** The mapping in sos clean's layout (`hostname_map`, `ip_map`…), plus the keystone ids it does not clean. */
export interface ObfuscationMap {
  hostname_map: Record<string, string>;
  ip_map: Record<string, string>;
  ipv6_map: Record<string, string>;
  mac_map: Record<string, string>;
  username_map: Record<string, string>;
  id_map: Record<string, string>;
}

// --- what is left alone -----------------------------------------------------

/** sos clean's own placeholders. */
const SOS_HOST = /^(?:host\d+|obfuscateddomain\d+|obfuscateduser\d+|unknown)$/i;
/** Ours: obfuscating twice changes nothing. */
const OUR_PLACEHOLDER = /^(?:host|domain|user|project|id)-[0-9a-f]{6,}$/;
/** Words that are never host names on their own. */
const NOT_HOSTS = new Set([
  '',
  '-',
  '?',
  'none',
  'null',
  'unknown',
  'localhost',
  'localhost.localdomain',
  'www',
  'api',
  'default',
  // python packages and services: their names are in every logger and path
  'nova',
  'placement',
  'neutron',
  'keystone',
  'glance',
  'cinder',
  'oslo',
  'openstack',
  'libvirt',
  'compute',
]);
/** A "host" named after a file (a loose log given without --host) is a file name. */
const FILE_NAME = /\.(?:log|gz|xz|bz2|zst|txt|sql|json|conf|tar|tgz|txz|\d+)$/i;

function isSosHost(name: string): boolean {
  return name.split('.').every((l, i, all) => SOS_HOST.test(l) || (i === all.length - 1 && i > 0));
}

function keepIpv4(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number);
  if (a === 0 || a === 127 || a === 255 || a >= 224) return true;
  if (a === 169 && b === 254) return true;
  // documentation ranges and 198.18/15: our own placeholders
  if (ip.startsWith('192.0.2.') || ip.startsWith('198.51.100.') || ip.startsWith('203.0.113.')) return true;
  if (a === 198 && (b === 18 || b === 19)) return true;
  return ip === '8.8.8.8' || ip === '8.8.4.4';
}

function keepIpv6(ip: string): boolean {
  const l = ip.toLowerCase();
  return l === '::' || l === '::1' || l.startsWith('2001:db8:') || l.startsWith('534f:') || l.startsWith('fd53:') || l.startsWith('fe80:');
}

function keepMac(mac: string): boolean {
  const l = mac.toLowerCase().replace(/-/g, ':');
  return l.startsWith('53:4f:53') || l.startsWith('02:00:5e') || l === 'ff:ff:ff:ff:ff:ff' || l === '00:00:00:00:00:00';
}

// --- patterns (each starts on a literal class and has bounded repetitions) --------

const IPV4 = /(?<![\w.])(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?![\w]|\.\d)/g;
const IPV6_CANDIDATE = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])/g;
const MAC = /(?<![\w:-])[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?![\w:-])/g;
/** keystone ids: 32 lower-case hex digits, not part of a longer hex run. */
const HEX_ID = /(?<![0-9A-Fa-f])[0-9a-f]{32}(?![0-9A-Fa-f])/g;
/** `scheme://[user[:password]@]host[:port]`. */
const URL_AUTHORITY = /:\/\/(?:([^\s:@/'"<>]{1,64})(?::[^\s@/'"<>]{0,256})?@)?([A-Za-z0-9][A-Za-z0-9.-]{0,253})/g;
/** `host=cmp01`, `"host": "cmp01"`, `'hypervisor_hostname': u'cmp01'`. */
const HOST_FIELD =
  /\b(?:host|hostname|host_name|hypervisor_hostname|nodename|node|server_host|OS-EXT-SRV-ATTR:host|OS-EXT-SRV-ATTR:hypervisor_hostname)["']?\s*[:=]\s*u?["']?([A-Za-z0-9][A-Za-z0-9.-]{0,253})/g;
/** `username=nova`, `"username": "nova"`, `OS_USERNAME=admin`, `--os-username admin`, keystone's `"user": {"name": "nova"`. */
const USER_FIELD =
  /(?:--(?:os-)?username[ =]|\b(?:username|user_name|os_username|rbd_user|admin_user)["']?\s*[:=]\s*|"user":\s*\{\s*"name":\s*)u?["']?([A-Za-z0-9_][\w.@-]{0,127})/gi;
/** A dotted name: maybe a host in a private domain. */
const DOTTED = /(?<![\w.-])[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,10}[A-Za-z][A-Za-z0-9-]{0,62}(?![\w-]|\.[A-Za-z0-9])/g;
/** The user and project of an oslo request context: `[req-… USER PROJECT …]`, `[None req-…`, `[req-global req-local …`. */
const CONTEXT = /\[(?:None )?(?:req-[0-9a-f-]{36} ){1,2}([^\s\]]+) ([^\s\]]+)/g;
/** The other hosts of a multi-host URL: `…@ctl1:5672,openstack:***@ctl2:5672`. */
const MORE_AUTHORITIES = /,([^\s:@/,'"<>]{1,64}):[^\s@/,'"<>]{0,256}@([A-Za-z0-9][A-Za-z0-9.-]{0,253})/g;

/** Model fields that hold host names. */
const HOST_KEYS = new Set([
  'host',
  'hosts',
  'reference',
  'source',
  'destination',
  'provider',
  'tippedByOrphans',
  'hypervisorHostname',
  'computeHost',
  'sourceHost',
  'destHost',
]);
/** `name` is a host's under these. */
const NAME_PARENTS = new Set(['hosts', 'providers', 'computeNodes']);
/** Our vocabulary: enumerations and codes, never rewritten. */
const SKIP_KEYS = new Set([
  'kind',
  'code',
  'cause',
  'severity',
  'level',
  'service',
  'services',
  'role',
  'layout',
  'method',
  'logger',
  'type',
  'rawType',
  'id',
  'incidentIds',
  'resourceClass',
  'reason',
  'prefixes',
  'databases',
  'db',
  'table',
  'ts',
  'adjustedTs',
  'first',
  'last',
  'firstTs',
  'lastTs',
  'start',
  'end',
  'generatedAt',
  'requestId',
  'requestIds',
  'globalRequestId',
  'instanceUuid',
  'migrationUuid',
  'consumerUuid',
  'providerUuid',
  'uuid',
]);

// --- the obfuscator -------------------------------------------------------

export class Obfuscator {
  private readonly key: Buffer;
  readonly keyed: boolean;
  /** Short host names (lower case) → placeholder. */
  private readonly shorts = new Map<string, string>();
  /** Domains (lower case) → placeholder, TLD kept. */
  private readonly domains = new Map<string, string>();
  private readonly users = new Map<string, string>();
  private readonly ids = new Map<string, string>();
  private readonly ipv4 = new Map<string, string>();
  private readonly ipv6 = new Map<string, string>();
  private readonly macs = new Map<string, string>();
  /** Placeholders handed out, to catch two originals on one placeholder. */
  private readonly taken = new Map<string, string>();
  private readonly ipv4Slots = new Set<number>();
  /** Names as met (any case), for the text pattern. */
  private names: RegExp | undefined;
  private namesDirty = true;
  private readonly known = new Set<string>();
  /** A host was read whose name sos clean did not write. */
  private sawOriginalHost = false;
  private sawHost = false;

  constructor(opts: ObfuscateOptions = {}) {
    this.keyed = !!opts.key;
    this.key = opts.key ? Buffer.from(opts.key, 'utf8') : randomBytes(32);
    for (const d of opts.domains ?? []) this.addDomain(d.toLowerCase().replace(/^\.+|\.+$/g, ''));
  }

  private digest(kind: string, value: string): Buffer {
    return createHmac('sha256', this.key).update(`${kind}\u0000${value}`).digest();
  }

  /** `prefix-` and six hex digits of the HMAC; more digits if two originals would share one. */
  private placeholder(kind: string, prefix: string, value: string): string {
    const hex = this.digest(kind, value).toString('hex');
    for (let n = 6; n <= hex.length; n += 2) {
      const p = `${prefix}-${hex.slice(0, n)}`;
      const owner = this.taken.get(p);
      if (owner === undefined || owner === `${kind}:${value}`) {
        this.taken.set(p, `${kind}:${value}`);
        return p;
      }
    }
    return `${prefix}-${hex}`;
  }

  // --- learning ---

  private addDomain(domain: string): void {
    if (!domain || this.domains.has(domain) || isSosHost(domain)) return;
    const labels = domain.split('.');
    if (labels.length < 2) return;
    const tld = labels[labels.length - 1];
    this.domains.set(domain, `${this.placeholder('domain', 'domain', domain)}.${tld}`);
    this.namesDirty = true;
  }

  /** A host name from a host field: its short name, and its domain when it has one. */
  learnHost(raw: string): void {
    const name = raw.trim().replace(/\.$/, '');
    const lower = name.toLowerCase();
    if (
      NOT_HOSTS.has(lower) ||
      FILE_NAME.test(lower) ||
      OUR_PLACEHOLDER.test(lower) ||
      /[^A-Za-z0-9._-]/.test(name) ||
      !/[A-Za-z]/.test(name)
    )
      return;
    if (IPV4.test(name) || isIPv6(name)) {
      IPV4.lastIndex = 0;
      return;
    }
    IPV4.lastIndex = 0;
    this.sawHost = true;
    if (isSosHost(lower)) return;
    this.sawOriginalHost = true;
    const dot = lower.indexOf('.');
    const short = dot === -1 ? lower : lower.slice(0, dot);
    if (short.length > 1 && !this.shorts.has(short) && !SOS_HOST.test(short)) {
      this.shorts.set(short, this.placeholder('host', 'host', short));
      this.namesDirty = true;
    }
    if (dot !== -1) this.addDomain(lower.slice(dot + 1));
    if (!this.known.has(lower)) {
      this.known.add(lower);
      this.namesDirty = true;
    }
  }

  private learnUser(raw: string, kind: 'user' | 'project'): void {
    const v = raw.replace(/^u?['"]|['"]$/g, '');
    if (!v || v === '-' || v === 'None' || v === 'default' || /^obfuscateduser\d+$/.test(v) || OUR_PLACEHOLDER.test(v)) return;
    if (/^[0-9a-f]{32}$/.test(v)) {
      if (!this.ids.has(v)) this.ids.set(v, this.placeholder('id', kind, v));
    } else if (!this.users.has(v)) this.users.set(v, this.placeholder('user', kind, v));
  }

  /** Names a text reveals by its structure: URL hosts and users, host and user fields, FQDNs in known domains. */
  learnText(s: string): void {
    if (s.indexOf('://') !== -1) {
      URL_AUTHORITY.lastIndex = 0;
      for (let m = URL_AUTHORITY.exec(s); m; m = URL_AUTHORITY.exec(s)) {
        if (m[1]) this.learnUser(m[1], 'user');
        this.learnHost(m[2]);
      }
      MORE_AUTHORITIES.lastIndex = 0;
      for (let m = MORE_AUTHORITIES.exec(s); m; m = MORE_AUTHORITIES.exec(s)) {
        this.learnUser(m[1], 'user');
        this.learnHost(m[2]);
      }
    }
    if (/host|node/i.test(s)) {
      HOST_FIELD.lastIndex = 0;
      for (let m = HOST_FIELD.exec(s); m; m = HOST_FIELD.exec(s)) this.learnHost(m[1]);
    }
    if (/user/i.test(s)) {
      USER_FIELD.lastIndex = 0;
      for (let m = USER_FIELD.exec(s); m; m = USER_FIELD.exec(s)) this.learnUser(m[1], 'user');
    }
    if (s.indexOf('req-') !== -1) {
      CONTEXT.lastIndex = 0;
      for (let m = CONTEXT.exec(s); m; m = CONTEXT.exec(s)) {
        this.learnUser(m[1], 'user');
        this.learnUser(m[2], 'project');
      }
    }
    if ((this.domains.size > 0 || this.shorts.size > 0) && s.indexOf('.') !== -1) {
      // an FQDN in a known domain, or the FQDN of a known host (`compute4` read, `compute4.mylab.home` met)
      DOTTED.lastIndex = 0;
      for (let m = DOTTED.exec(s); m; m = DOTTED.exec(s)) {
        const lower = m[0].toLowerCase();
        if (this.inKnownDomain(lower) || this.shorts.has(lower.slice(0, lower.indexOf('.')))) this.learnHost(m[0]);
      }
    }
  }

  private inKnownDomain(name: string): boolean {
    for (let i = name.indexOf('.'); i !== -1; i = name.indexOf('.', i + 1)) if (this.domains.has(name.slice(i + 1))) return true;
    return false;
  }

  /** Learns from a model: its host fields first, then every text. */
  learn(value: unknown): void {
    this.walkHosts(value, '', '');
    this.walkTexts(value, '');
  }

  private walkHosts(v: unknown, key: string, parent: string): void {
    if (typeof v === 'string') {
      if (HOST_KEYS.has(key) || (key === 'name' && NAME_PARENTS.has(parent))) this.learnHost(v);
      else if (key === 'userId') this.learnUser(v, 'user');
      else if (key === 'projectId') this.learnUser(v, 'project');
    } else if (Array.isArray(v)) for (const x of v) this.walkHosts(x, key, parent);
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) this.walkHosts(x, k, key);
  }

  private walkTexts(v: unknown, key: string): void {
    if (typeof v === 'string') {
      if (!SKIP_KEYS.has(key)) this.learnText(v);
    } else if (Array.isArray(v)) for (const x of v) this.walkTexts(x, key);
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) this.walkTexts(x, k);
  }

  learnEvent(ev: Event): void {
    this.learnHost(ev.host);
    if (ev.userId) this.learnUser(ev.userId, 'user');
    if (ev.projectId) this.learnUser(ev.projectId, 'project');
    this.learnText(ev.raw);
    if (ev.message !== ev.raw) this.learnText(ev.message);
    for (const l of ev.traceback ?? []) this.learnText(l);
  }

  // --- replacing ---

  private namePattern(): RegExp | undefined {
    if (this.namesDirty) {
      this.namesDirty = false;
      const all = [...new Set([...this.known, ...this.shorts.keys(), ...this.domains.keys()])]
        .filter((n) => n.length > 1)
        .sort((a, b) => b.length - a.length);
      const alt = (names: string[]) => names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
      // A name with a digit, a dash or a dot (cmp01, nova-0, ctl01.cloud.example) is bounded by any non-alphanumeric,
      // `_` too (podlogs/…_nova-0_-c_…). A plain word (controller) only by what cannot continue an identifier, and not
      // after a service's `nova-` (nova-compute, should a host be called compute).
      const distinct = all.filter((n) => /[-.\d]/.test(n));
      const plain = all.filter((n) => !/[-.\d]/.test(n));
      const parts: string[] = [];
      if (distinct.length) parts.push(`(?<![A-Za-z0-9])(?:${alt(distinct)})(?![A-Za-z0-9]|\\.[A-Za-z0-9])`);
      if (plain.length)
        parts.push(
          `(?<![A-Za-z0-9_]|(?:nova|placement|neutron|cinder|glance|keystone|openstack|libvirt)-)(?:${alt(plain)})(?![A-Za-z0-9_]|\\.[A-Za-z0-9])`,
        );
      this.names = parts.length ? new RegExp(parts.join('|'), 'gi') : undefined;
    }
    return this.names;
  }

  private hostFor(name: string): string {
    const lower = name.toLowerCase();
    const dom = this.domains.get(lower);
    if (dom) return dom;
    const dot = lower.indexOf('.');
    if (dot === -1) return this.shorts.get(lower) ?? name;
    const short = lower.slice(0, dot);
    const domain = lower.slice(dot + 1);
    if (!this.shorts.has(short) && short.length > 1) this.shorts.set(short, this.placeholder('host', 'host', short));
    if (!this.domains.has(domain)) this.addDomain(domain);
    return `${this.shorts.get(short) ?? short}.${this.domains.get(domain) ?? domain}`;
  }

  private ipv4For(ip: string): string {
    let p = this.ipv4.get(ip);
    if (p) return p;
    const d = this.digest('ipv4', ip);
    // 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 (RFC 5737), then 198.18.0.0/15 (RFC 2544) when they are full
    const doc = ['192.0.2', '198.51.100', '203.0.113'];
    let slot = d.readUInt32BE(0) % 762;
    for (let n = 0; n < 762 && this.ipv4Slots.has(slot); n++) slot = (slot + 1) % 762;
    if (!this.ipv4Slots.has(slot)) {
      this.ipv4Slots.add(slot);
      p = `${doc[Math.floor(slot / 254)]}.${(slot % 254) + 1}`;
    } else {
      // 198.18.0.0/15: 512 /24s of 254 hosts
      const size = 512 * 254;
      let big = d.readUInt32BE(4) % size;
      while (this.ipv4Slots.has(1000 + big)) big = (big + 1) % size;
      this.ipv4Slots.add(1000 + big);
      const net = Math.floor(big / 254);
      p = `198.${18 + (net >> 8)}.${net & 255}.${(big % 254) + 1}`;
    }
    this.ipv4.set(ip, p);
    return p;
  }

  private ipv6For(ip: string): string {
    const lower = ip.toLowerCase();
    let p = this.ipv6.get(lower);
    if (!p) {
      const h = this.digest('ipv6', lower).toString('hex');
      p = `2001:db8::${h.slice(0, 4)}:${h.slice(4, 8)}:${h.slice(8, 12)}`;
      this.ipv6.set(lower, p);
    }
    return p;
  }

  private macFor(mac: string): string {
    const l = mac.toLowerCase().replace(/-/g, ':');
    let p = this.macs.get(l);
    if (!p) {
      const h = this.digest('mac', l).toString('hex');
      p = `02:00:5e:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}`;
      this.macs.set(l, p);
    }
    return p;
  }

  private idFor(id: string): string {
    let p = this.ids.get(id);
    if (!p) {
      p = this.placeholder('id', 'id', id);
      this.ids.set(id, p);
    }
    return p;
  }

  /**
   * A text with every known name and every address replaced. `keepIpv4`
   * when the text came from a host sos clean named (its IPv4s are sos's).
   */
  text(s: string, keepSosIpv4 = !this.sawOriginalHost && this.sawHost): string {
    let out = s;
    const names = this.namePattern();
    if (names) out = out.replace(names, (m) => this.hostFor(m));
    if (out.indexOf('.') !== -1 && !keepSosIpv4) out = out.replace(IPV4, (m) => (keepIpv4(m) ? m : this.ipv4For(m)));
    if (out.indexOf(':') !== -1) {
      out = out.replace(MAC, (m) => (keepMac(m) ? m : this.macFor(m)));
      out = out.replace(IPV6_CANDIDATE, (m) => (m.split(':').length > 2 && isIPv6(m) && !keepIpv6(m) ? this.ipv6For(m) : m));
    }
    if (/[0-9a-f]{32}/.test(out)) out = out.replace(HEX_ID, (m) => this.idFor(m));
    if (this.users.size > 0) out = this.userText(out);
    return out;
  }

  /** User names only where the syntax says they are one: URLs, user fields, the request context. */
  private userText(s: string): string {
    let out = s;
    if (out.indexOf('://') !== -1)
      out = out.replace(
        /(:\/\/|,)([^\s:@/,'"<>]{1,64})(?=(?::[^\s@/,'"<>]{0,256})?@)/g,
        (_m, p: string, u: string) => p + (this.users.get(u) ?? u),
      );
    if (/user/i.test(out))
      out = out.replace(USER_FIELD, (m, u: string) => (this.users.has(u) ? m.slice(0, m.length - u.length) + this.users.get(u) : m));
    if (out.indexOf('req-') !== -1)
      out = out.replace(CONTEXT, (m, u: string, p: string) => {
        const nu = this.users.get(u) ?? u;
        const np = this.users.get(p) ?? p;
        return nu === u && np === p ? m : `${m.slice(0, m.length - u.length - p.length - 1)}${nu} ${np}`;
      });
    return out;
  }

  /** A model with every string (and object key) through `text`, our vocabulary left as it is. */
  deep<T>(value: T, key = ''): T {
    if (typeof value === 'string') return (SKIP_KEYS.has(key) ? value : this.text(value)) as T;
    if (Array.isArray(value)) return value.map((v) => this.deep(v, key)) as T;
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[SKIP_KEYS.has(k) ? k : this.text(k)] = this.deep(v, k);
      return out as T;
    }
    return value;
  }

  /** An event as `events` writes it: learned from, then rewritten; its own host decides whether its IPv4s are sos clean's. */
  event<E extends Event>(ev: E): E {
    this.learnEvent(ev);
    const keep = isSosHost(ev.host.toLowerCase());
    const t = (s: string): string => this.text(s, keep);
    const out = { ...ev, host: t(ev.host), file: t(ev.file), message: t(ev.message), raw: t(ev.raw) };
    if (ev.traceback) out.traceback = ev.traceback.map(t);
    if (ev.userId) out.userId = t(this.users.get(ev.userId) ?? ev.userId);
    if (ev.projectId) out.projectId = t(this.users.get(ev.projectId) ?? ev.projectId);
    if (ev.exception) out.exception = { ...ev.exception, message: t(ev.exception.message) };
    if (ev.exceptionChain) out.exceptionChain = ev.exceptionChain.map((x) => ({ ...x, message: t(x.message) }));
    if (ev.http)
      out.http = {
        ...ev.http,
        path: t(ev.http.path),
        query: ev.http.query && t(ev.http.query),
        clientIp: ev.http.clientIp && t(ev.http.clientIp),
      };
    if (ev.codeLocation) out.codeLocation = { ...ev.codeLocation };
    return out;
  }

  summary(): ObfuscationNote {
    const placeholders = [...this.users.values(), ...this.ids.values()];
    return {
      applied: true,
      keyed: this.keyed,
      sosCleaned: this.sawHost && !this.sawOriginalHost,
      counts: {
        host: this.shorts.size,
        domain: this.domains.size,
        ipv4: this.ipv4.size,
        ipv6: this.ipv6.size,
        mac: this.macs.size,
        user: placeholders.filter((p) => p.startsWith('user-')).length,
        project: placeholders.filter((p) => p.startsWith('project-')).length,
        id: placeholders.filter((p) => p.startsWith('id-')).length,
      },
    };
  }

  /** original → placeholder, in sos clean's map layout. */
  mapping(): ObfuscationMap {
    const hosts: Record<string, string> = {};
    for (const [k, v] of this.shorts) hosts[k] = v;
    for (const [k, v] of this.domains) hosts[k] = v;
    for (const k of this.known) hosts[k] = this.hostFor(k);
    return {
      hostname_map: hosts,
      ip_map: Object.fromEntries(this.ipv4),
      ipv6_map: Object.fromEntries(this.ipv6),
      mac_map: Object.fromEntries(this.macs),
      username_map: Object.fromEntries(this.users),
      id_map: Object.fromEntries(this.ids),
    };
  }
}
