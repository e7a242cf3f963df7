import { exceptionInMessage } from '../exceptions.js';
import { exceptionOfText } from '../exception-text.js';
import type { ExceptionInfo, Level } from '../../src/model/event.js';
import { sniffExport } from './exports.js';
import { grepPrefix, startsRecord, unemphasise } from './shapes.js';

/**
 * A nova message pasted without any log line around it: an instance's fault as
 * `server show` prints it (table row or JSON), the error a dashboard shows
 * (`Error: Failed to perform … [Error: <the fault>].`, in the dashboard's
 * language), a client's `ERROR (Class): … (Request-ID: req-…)`, or the message
 * alone. It is taken as an event only where its structure says it is nova's:
 * it names an exception class, it is the text of one of nova's exceptions (any
 * language nova shipped), or it carries a request id.
 */

export interface PastedMessage {
  message: string;
  requestId?: string;
  exception?: ExceptionInfo;
  /** The exception's fields where its text named it (`instance_uuid`…). */
  fields?: Record<string, string>;
  /** The instance an external event the message names was for (instanceOfExternalEvent). */
  instanceUuid?: string;
  /** The logger whose template the message is (OWN_DECISIONS), where only one logger writes it. */
  logger?: string;
  /** The level that template is logged at (OWN_DECISIONS); else the reader's (ERROR: a fault, a client's error). */
  level?: Level;
}

/**
 * nova's external events from neutron are machine tokens, `<name>-<tag>` (the
 * port's id: nova/objects/external_event.py EVENT_NAMES, every release), and
 * each is an instance's (os-server-external-events' server_uuid). A message
 * naming one and one other uuid names that instance, in whatever words.
 */
const EXTERNAL_EVENT =
  /\bnetwork-(?:vif-plugged|vif-unplugged|vif-deleted|changed)-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/;
const UUIDS = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;

export function instanceOfExternalEvent(message: string): string | undefined {
  const ev = EXTERNAL_EVENT.exec(message);
  if (!ev) return undefined;
  const others = new Set((message.match(UUIDS) ?? []).filter((u) => u !== ev[1]));
  return others.size === 1 ? [...others][0] : undefined;
}

const FAULT = /(?:^\s*\|?\s*fault\s*\||"fault":|^\s*)\s*\{.*?['"]?message\s*['"]?\s*:\s*[uU]?(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/;
/**
 * The dashboard's bracket at the end of its banner: `[Error: …].` in English, `[错误: …]` in Chinese, `[Error : …].` in
 * French (its typography puts a space, often a no-break one, before the colon: Horizon's fr django.po, every tag).
 */
export const DASHBOARD = /\[[^\s\]:：]{1,20}[ \u00a0\u202f]?[:：]\s*(.+?)\s*\]\.?\s*`?\s*$/u;
const CLIENT = /^(?:ERROR|Error)(?: \((\w+)\))?: (.*)$/;
const REQUEST_ID = /\b(req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/;
/** Labels, not classes: `Error: …` is how a dashboard or a person starts a sentence. */
const GENERIC = new Set(['Error', 'Exception', 'Warning', 'Traceback']);

/**
 * A client's HTTP error class before the API's answer (libcloud's `BaseHTTPError: 400 Bad Request <message>`): the
 * status and its reason phrase, then nova's own text, whose class says more than the client's.
 */
const HTTP_STATUS_LED =
  /^\d{3} (?:Bad Request|Unauthorized|Forbidden|Not Found|Conflict|Request Entity Too Large|Internal Server Error|Service Unavailable):? (\S[\s\S]*)$/;

/** The exception a message names, by class or by nova's own text for it. */
export function namedException(message: string): { info: ExceptionInfo; fields?: Record<string, string> } | undefined {
  const byClass = exceptionInMessage(message);
  const relayed = byClass ? HTTP_STATUS_LED.exec(byClass.message) : null;
  const inner = relayed ? exceptionOfText(relayed[1]) : undefined;
  if (inner) return { info: { type: inner.type, rawType: inner.type, message: relayed![1].trim() }, fields: inner.fields };
  if (byClass && !GENERIC.has(byClass.rawType)) return { info: byClass };
  const byText = exceptionOfText(message);
  if (byText) return { info: { type: byText.type, rawType: byText.type, message: message.trim() }, fields: byText.fields };
  return undefined;
}

/**
 * nova's own messages, pasted without their log line: a template nova logs
 * untranslated (a DEBUG, or since Pike any), naming what it is about, is
 * nova's by its structure (a person does not write `instance ID '<uuid>'.
 * Filter results: [...]`). The scheduler's decisions first. `instance`: the
 * message names its instance (the first uuid in it).
 */
const OWN_DECISIONS: readonly { re: RegExp; sample: string; seen: string; logger?: string; level?: Level; instance?: true }[] = [
  {
    re: /^Filtering removed all hosts for the request with instance ID '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'\. Filter results: \[/,
    sample:
      "Filtering removed all hosts for the request with instance ID '03d2c6e7-60f8-4382-958b-f2e268540528'. Filter results: ['ComputeFilter: (start: 2, end: 2)', 'FailureDomainFilter: (start: 2, end: 0)']",
    seen: 'test/corpus/real/github-vexxhost-magnum-cluster-api-issue467 (shortened here)',
  },
  {
    // The libvirt driver's LOG.error of a live migration libvirt failed (_live_migration_operation, every release;
    // `_LE`-translated before Pike, English here), its capitals and libvirt's `<code text>: ` after it.
    re: /^Live Migration failure: [A-Za-z][\w ]{2,40}:(?: \S|$)/,
    logger: 'nova.virt.libvirt.driver',
    sample: "Live Migration failure: internal error: unable to execute QEMU command 'migrate-set-capabilities': Postcopy is not supported",
    seen: 'test/corpus/real/github-osm1n-homelab-setup-error-fixes-live-migration (openstack-helm 2025.1), out of its Markdown bullet',
  },
  {
    // The resource tracker's DEBUG for a migrations row whose instance is gone (_update_usage_from_migrations,
    // Kilo–Pike: `Migration instance not found: %s`, InstanceNotFound's text after it, in any language).
    re: /^Migration instance not found: \S.*\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/,
    logger: 'nova.compute.resource_tracker',
    level: 'DEBUG',
    instance: true,
    sample: 'Migration instance not found: Instance b4ff3ef3-3cb2-485a-b93c-f23d6dfc91ce could not be found.',
    seen: "test/corpus/real/github-yankcrime-dischord-org-failed-migrations-cleanup (2016), the post's first code block",
  },
  {
    // The resource tracker's audit of its host's allocations (_remove_deleted_instances_allocations, Pike+, never
    // translated): a consumer its cell does not know. Its opening words are enough where a copy wrapped the rest.
    re: /^Instance [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} has allocations against this compute host\b/,
    logger: 'nova.compute.resource_tracker',
    level: 'INFO',
    instance: true,
    sample: 'Instance 44c356ef-edd0-43a3-bd46-17aed65ea1a6 has allocations against this compute host but is not found in the database.',
    seen: "test/corpus/real/github-osism-documentation-notes-openstack (OSISM's notes, 2020), its hand-wrap joined",
  },
  {
    // The same audit's warning for an instance of its host it does not manage (Pike+).
    re: /^Instance [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} is not being actively managed by this compute host\b/,
    logger: 'nova.compute.resource_tracker',
    level: 'WARNING',
    instance: true,
    sample:
      "Instance b32e5792-427c-43b1-83dc-2d3e3c8d74c4 is not being actively managed by this compute host but has allocations referencing this compute host: {'resources': {'VCPU': 12, 'MEMORY_MB': 32768, 'DISK_GB': 80}}. Skipping heal of allocation because we do not know what to do.",
    seen: 'seed 003 (2024), the message of its nova-compute.log line',
  },
  {
    // The same audit's warning for an instance moved away with allocations left on the source (Pike+).
    re: /^Instance [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} has been moved to another host [^\s(]+\([^\s)]+\)\./,
    logger: 'nova.compute.resource_tracker',
    level: 'WARNING',
    instance: true,
    sample: 'Instance b41e94e5-f39e-4ae7-87e6-7a0ee9e51be2 has been moved to another host compute02(compute02).',
    seen: 'test/corpus/real/github-lamtov-lamtv10-ops-migration-notes (Pike 16.1.x), the first sentence of its record',
  },
];

export function isOwnDecision(message: string): boolean {
  return OWN_DECISIONS.some((d) => d.re.test(message));
}

/**
 * A ticket's list item quoting a log message in code, the author's label before it: `- Compute logs: \`Live
 * Migration failure: …\``. The quote alone is the message; the label is the author's.
 */
/**
 * oslo.log's request context opening what is left of a record (`[req-<uuid> <user> <project> - - -] …`, Pike+ `[None
 * req-<uuid> …]` or `[req-<global> req-<uuid> …]`): the local request id, and the message after it.
 */
const CONTEXT_LED =
  /^\[(?:None |req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} )?(req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?: [^\]]{0,200})?\] /;

const LABELLED_CODE = /^[-*+•][ \t]+[^`]{1,60}?:[ \t]*`([^`]+)`[ \t]*\.?$/;

/**
 * The value neutron leaves on a port it could not bind, as nova's VIF code prints it when it meets one (the
 * libvirt driver's vif.py, nova-docker's vifs.py: "Unexpected vif_type=%s", Havana–Newton): a machine token
 * a person does not write, and what a failed port binding looked like before PortBindingFailed.
 */
export const BINDING_FAILED = /\bvif_type=binding_failed\b/;

/** The templates' samples, for the test that checks each against its pattern. */
export const OWN_DECISION_SAMPLES: readonly { sample: string; seen: string }[] = OWN_DECISIONS;

/** A message quoted whole (`"Migration error: … version."`, as a commit message or a mail quotes one): its text. */
const QUOTED_WHOLE = /^"([^"]+)"(\.?)$/;

function unquoted(text: string): string {
  const q = QUOTED_WHOLE.exec(text);
  return q ? `${q[1]}${q[2]}` : text;
}

function unescapeRepr(s: string): string {
  return s.replace(/\\n/g, '\n').replace(/\\(['"\\])/g, '$1');
}

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/;

/**
 * The nova message a pasted line holds, when it holds one: a fault (its
 * `message` and `code` keys are nova's fault's), a dashboard's bracket naming
 * an exception or an instance, a client's error naming one or a request, or
 * a line that is an exception's text.
 */
export function pastedMessage(line: string): PastedMessage | undefined {
  const trimmed = line.trim();
  // A record copied from its request context on, its time, pid, level and logger left behind.
  const context = CONTEXT_LED.exec(trimmed);
  const body = context ? trimmed.slice(context[0].length) : trimmed;
  const text = unquoted((LABELLED_CODE.exec(body)?.[1] ?? body).replace(/^`+|`+$/g, ''));
  if (text.length === 0) return undefined;
  const fromContext = context?.[1];
  const fault = FAULT.exec(text);
  if (fault && /['"]?code['"]?\s*:/.test(text)) {
    const message = unescapeRepr(fault[1] ?? fault[2]).trim();
    const named = namedException(message);
    return { message, exception: named?.info, fields: named?.fields };
  }
  // Before the dashboard's bracket: a filter list ends in `…]` too.
  const own = OWN_DECISIONS.find((d) => d.re.test(text));
  if (own)
    return {
      message: text,
      ...(own.logger ? { logger: own.logger } : {}),
      ...(own.level ? { level: own.level } : {}),
      ...(fromContext ? { requestId: fromContext } : {}),
      ...(own.instance ? { instanceUuid: UUID.exec(text)?.[0] } : {}),
    };
  if (BINDING_FAILED.test(text)) return { message: text, ...(fromContext ? { requestId: fromContext } : {}) };
  let message = text;
  let requestId: string | undefined = fromContext;
  let wrapped = false;
  const dash = DASHBOARD.exec(text);
  if (dash) {
    message = dash[1];
    wrapped = true;
  } else {
    const client = CLIENT.exec(text);
    if (client) {
      message = client[1] ? `${client[1]}: ${client[2]}` : client[2];
      requestId ??= REQUEST_ID.exec(text)?.[1];
      wrapped = true;
    }
  }
  const named = namedException(message);
  if (!named && !requestId && !(wrapped && UUID.test(message))) return undefined;
  const instanceUuid = instanceOfExternalEvent(message);
  return { message, requestId, exception: named?.info, fields: named?.fields, ...(instanceUuid ? { instanceUuid } : {}) };
}

/**
 * Does a text file's head read like something nova wrote, pasted: a log
 * record, a traceback, a fault or a message of nova's? Decides that a loose
 * file nobody named is read at all (it is then read line by line, and what is
 * not understood is counted).
 */
export function looksLikeNovaPaste(head: string): boolean {
  if (sniffExport(head.split('\n', 2))) return true;
  let n = 0;
  for (const raw of head.split('\n')) {
    if (++n > 200) break;
    const line = raw.replace(/^(?:[ \t]*>)+[ \t]?/, '').trim();
    if (line.length === 0) continue;
    if (startsRecord(line) || grepPrefix(line) || unemphasise(line) || line.startsWith('Traceback (most recent call last)')) return true;
    if (pastedMessage(line)) return true;
  }
  return false;
}
