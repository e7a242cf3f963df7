/**
 * Writes oslo.log lines the way a given release and deployment did: the
 * context bracket of oslo.log before and after 4.8, the DEBUG suffix with the
 * deployment's python path, exception-prefixed tracebacks, and the
 * unprefixed remote tracebacks of `…_Remote` exceptions. Strings passed in
 * come from nova's and placement's sources (see the callers).
 */

export type StyleName = 'pike' | 'antelope';

export interface Style {
  name: StyleName;
  /** site-packages of the deployment: RDO python2.7, kolla's venv… */
  py: string;
  /** Prefix of exception class names in error summaries: python 3 prints the module. */
  qualify: boolean;
}

export const STYLES: Record<StyleName, Style> = {
  pike: { name: 'pike', py: '/usr/lib/python2.7/site-packages', qualify: false },
  antelope: { name: 'antelope', py: '/var/lib/kolla/venv/lib/python3.10/site-packages', qualify: true },
};

export interface Ctx {
  req: string;
  /** Inbound X-OpenStack-Request-ID (placement sees nova's request id here). */
  global?: string;
  user?: string;
  project?: string;
}

export interface Line {
  /** True time, ms since epoch (UTC); the host's clock offset is applied when written. */
  t: number;
  text: string;
  seq: number;
}

let seq = 0;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** `2024-10-02 09:00:01.234` of a time in ms, as a host clock shows it. */
export function wallClock(t: number): string {
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

export function contextBracket(style: Style, ctx: Ctx | undefined): string {
  if (!ctx) return '[-]';
  const user = ctx.user ?? '-';
  const project = ctx.project ?? '-';
  const domains = ctx.user ? 'default default' : '- -';
  if (style.name === 'pike') return `[${ctx.req} ${user} ${project} - ${domains}]`;
  // oslo.log >= 4.8: global request id first, system_scope added to the identity.
  return `[${ctx.global ?? 'None'} ${ctx.req} ${user} ${project} - - ${domains}]`;
}

export interface LogOpts {
  instance?: string;
  /** DEBUG suffix: function and module path below site-packages, with a line number. */
  at?: [func: string, file: string, line: number];
  /** Unprefixed lines that are part of the message (a remote traceback). */
  cont?: string[];
  /** Exception-prefixed traceback lines written after the message. */
  tb?: string[];
}

export class OsloLog {
  readonly lines: Line[] = [];

  constructor(
    readonly style: Style,
    readonly pid: number,
    /** This host's clock minus true time, in ms. */
    readonly clockOffsetMs: number,
  ) {}

  log(t: number, level: string, logger: string, ctx: Ctx | undefined, msg: string, o: LogOpts = {}): void {
    const ts = wallClock(t + this.clockOffsetMs);
    const inst = o.instance ? `[instance: ${o.instance}] ` : '';
    const suffix = level === 'DEBUG' && o.at ? ` ${o.at[0]} ${this.style.py}/${o.at[1]}:${o.at[2]}` : '';
    const body = [`${ts} ${this.pid} ${level} ${logger} ${contextBracket(this.style, ctx)} ${inst}${msg}${suffix}`, ...(o.cont ?? [])].join(
      '\n',
    );
    const prefix = `${ts} ${this.pid} ERROR ${logger} ${inst}`;
    const tb = (o.tb ?? []).map((l) => `${prefix}${l}`.trimEnd());
    this.lines.push({ t, text: [body, ...tb].join('\n'), seq: seq++ });
  }

  /** Lines as written by the service, in time order. */
  text(): string {
    return `${[...this.lines]
      .sort((a, b) => a.t - b.t || a.seq - b.seq)
      .map((l) => l.text)
      .join('\n')}\n`;
  }
}

/** A frame of a python traceback, with this deployment's path. */
export function frame(style: Style, file: string, line: number, func: string, code: string): string[] {
  const path = file.startsWith('/') ? file : `${style.py}/${file}`;
  return [`  File "${path}", line ${line}, in ${func}`, `    ${code}`];
}

export function exName(style: Style, qualified: string): string {
  return style.qualify ? qualified : qualified.slice(qualified.lastIndexOf('.') + 1);
}

/** Apache access line as kolla's and TripleO's httpd write them (`%D` in µs). */
export function accessLine(
  t: number,
  clockOffsetMs: number,
  ip: string,
  method: string,
  uri: string,
  status: number,
  len: number,
  usecs: number,
  agent: string,
): Line {
  const d = new Date(t + clockOffsetMs);
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const ts = `${pad(d.getUTCDate())}/${mon}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  return { t, seq: seq++, text: `${ip} - - [${ts}] "${method} ${uri} HTTP/1.1" ${status} ${len} ${usecs} "-" "${agent}"` };
}

export function linesText(lines: Line[]): string {
  return `${[...lines]
    .sort((a, b) => a.t - b.t || a.seq - b.seq)
    .map((l) => l.text)
    .join('\n')}\n`;
}
