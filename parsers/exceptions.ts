import type { ExceptionInfo } from '../src/model/event.js';

/**
 * Exception class names in messages and tracebacks. Detectors key on these,
 * not on the (translated) text, so the rule for "this token is an exception
 * class" is structural: a dotted module path ending in a capitalised name, a
 * `_Remote` class from oslo.messaging, a name ending in Error/Exception, or a
 * CamelCase word with at least two capitals (`NoValidHost`, `InvalidCPUInfo`,
 * `NotFound`). Single-capital words (`Command:`, `Stdout:`) and ALLCAPS labels
 * (`URL:`) are message text.
 */

/**
 * A class's own name: capitalised, or python-libvirt's `libvirtError` (a lower-case
 * module prefix glued to Error/Exception, printed bare by Python 2).
 */
const CLASS = String.raw`(?:[A-Z]\w*|[a-z][a-z\d]*(?:Error|Exception))`;
const CANDIDATE = new RegExp(String.raw`(?:^|[\s([:'"])((?:[A-Za-z_]\w*\.)*${CLASS})(?=:(?:\s|$))`, 'g');
const LINE_EXCEPTION = new RegExp(String.raw`^((?:[A-Za-z_]\w*\.)*${CLASS}): ?(.*)$`, 's');
const BARE_EXCEPTION = /^((?:[A-Za-z_]\w*\.)*[A-Z]\w*)$/;

export function looksLikeExceptionClass(dotted: string): boolean {
  const last = dotted.slice(dotted.lastIndexOf('.') + 1);
  const name = last.endsWith('_Remote') ? last.slice(0, -7) : last;
  if (name.length < 2 || name === name.toUpperCase()) return false;
  if (/^[a-z][a-z\d]*(?:Error|Exception)$/.test(name)) return true;
  if (last !== name) return true;
  if (/(?:Error|Exception|Exceeded|Timeout|Failure|Fault|Interrupt|Exit)$/.test(name)) return true;
  // The scheduler's filters and weighers are classes too, named in its results (`Filter results:
  // ['RetryFilter: (start: 1, end: 1)', …]`), never raised.
  if (/(?:Filter|Weigher)$/.test(name)) return false;
  // CamelCase: a lower-case letter followed by a capital (`NoValidHost`), which
  // labels such as `VCPUs:` or `DB_Driver:` do not have.
  if (/[a-z][A-Z]/.test(name)) return true;
  // A bare capitalised name with a module path (`nova.exception.Conflict`) is a class too.
  return dotted.includes('.') && /^[a-z_]/.test(dotted);
}

/** `nova.exception_Remote.NoValidHost_Remote` → `NoValidHost`. */
export function normaliseExceptionType(raw: string): string {
  let name = raw.slice(raw.lastIndexOf('.') + 1);
  if (name.endsWith('_Remote')) name = name.slice(0, -7);
  return name;
}

function info(rawType: string, message: string): ExceptionInfo {
  return { type: normaliseExceptionType(rawType), rawType, message: message.trim() };
}

/** First exception class named in a one-line message: `Failed to schedule instances: NoValidHost_Remote: …`. */
export function exceptionInMessage(message: string): ExceptionInfo | undefined {
  if (message.indexOf(':') === -1) return undefined;
  CANDIDATE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CANDIDATE.exec(message)) !== null) {
    const name = m[1];
    if (!looksLikeExceptionClass(name)) continue;
    const after = m.index + m[0].length;
    let rest = message.slice(after);
    if (rest.startsWith(':')) rest = rest.slice(1);
    return info(name, rest);
  }
  return undefined;
}

const NOT_EXCEPTION_LINE =
  /^(?:Traceback \(most recent call last\)|During handling of the above exception|The above exception was the direct cause)/;

/**
 * Exception lines of a folded traceback, in order: the unindented
 * `Type: message` lines. The last one is what was finally raised.
 */
export function exceptionsInTraceback(lines: readonly string[]): ExceptionInfo[] {
  const out: ExceptionInfo[] = [];
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (line.length === 0) continue;
    const c = line.charCodeAt(0);
    if (c === 32 || c === 9) continue;
    if (NOT_EXCEPTION_LINE.test(line)) continue;
    let m = LINE_EXCEPTION.exec(line);
    if (m && looksLikeExceptionClass(m[1])) {
      out.push(info(m[1], m[2]));
      continue;
    }
    m = BARE_EXCEPTION.exec(line);
    if (m && looksLikeExceptionClass(m[1])) out.push(info(m[1], ''));
  }
  return out;
}
