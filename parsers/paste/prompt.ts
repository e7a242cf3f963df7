import type { Shape } from './shapes.js';

/**
 * Shell prompts in a pasted session and what the command typed after them
 * says: which file, unit or container the output below comes from (so which
 * service), and on which host. The prompt and the command are never log lines.
 */

export interface CommandHint {
  /** The prompt's host (`[root@compute1 ~]#`), or the one `ssh` went to. */
  host?: string;
  /** Log files, journal units, containers or pods the command reads, as typed. */
  sources: string[];
  /** The command as typed (for the coverage's description). */
  command: string;
}

export const PROMPTS: Shape[] = [
  {
    name: 'bracketed',
    pattern: /^(?:\([\w.-]+\)\s*)?\[(?<user>[\w.-]+)@(?<host>[\w.-]+)(?:[ :][^\]]*)?\]\s?[#$]\s?(?<cmd>.*)$/,
    samples: [
      {
        line: "[freznicek@lenovo-t14 ~ 0]$ openstack server show f160ed61-2256-4401-aece-789cb1a3c359 -fjson | grep -E 'status|state|hostname'",
        source: 'github beskar-cloud/knowledgebase, orphaned-ostack-allocation (corpus-b)',
      },
      {
        line: 'os server show f472b2c8-fd17-4759-afaf-ef732776d9cc -c status -c fault',
        source: 'test/corpus/real/github-kubermatic-machine-controller-issue2040 (openstackclient under its alias `os`)',
      },
    ],
  },
  {
    name: 'debian',
    pattern: /^(?:\([\w.-]+\)\s*)?(?<user>[\w.-]+)@(?<host>[\w.-]+):[^\s#$]*\s?[#$]\s?(?<cmd>.*)$/,
    samples: [
      { line: 'stack@osic-devstack-27:~$ ifconfig', source: 'github TheIoTLearningInitiative/InternetOfThingsCloud documentation/Nova.md' },
    ],
  },
  {
    name: 'bare',
    pattern: /^(?:[$#]|bash-\d\.\d[$#]|sh-\d\.\d[$#])\s+(?<cmd>\S.*)$/,
    samples: [
      { line: '$ ssh stack@192.168.50.61', source: 'github TheIoTLearningInitiative/InternetOfThingsCloud documentation/Nova.md' },
      { line: '# service nova-scheduler restart', source: 'github stackforge/fuel-docs pages/release-notes/v7-0/mos_issues/nova.rst' },
      {
        line: '#  nova migrate --poll $u',
        source: 'backendcloud.cn 2017/06/15/live-migration-fail (corpus-j): two spaces after the prompt',
      },
    ],
  },
  {
    // The command alone, typed above its output with no prompt copied.
    name: 'command',
    pattern:
      /^(?<cmd>(?:sudo |time )?(?:(?:tail|grep|egrep|zgrep|cat|zcat|journalctl|docker|podman|kubectl|openstack) \S.*?|os (?:server|compute|hypervisor|resource|allocation|flavor|host|aggregate|port|volume|image|network|availability) \S.*?|nova (?:boot|show|list|live-migration|migrate|resize|evacuate|[a-z]+-(?:list|show))\b.*?)):?$/,
    samples: [
      {
        line: 'tail -200 /var/log/nova/nova-api.log | grep -B 5 -A 5 57a44b05-fcd4-49ac-a592-34a993fd18c3',
        source: 'github hashicorp/packer#9977 (corpus-a)',
      },
      { line: "grep 'ERROR' nova-compute.log:", source: 'github rcbops/chef-cookbooks#262 (corpus-b)' },
      {
        line: 'openstack server migrate --host eli-hda1-016-ostack.priv.cloud.domain.edu  f160ed61-2256-4401-aece-789cb1a3c359',
        source: 'github beskar-cloud/knowledgebase, orphaned-ostack-allocation (corpus-b)',
      },
    ],
  },
];

/** Commands whose output a paste shows; the first word after a bare `$ ` or `# ` must be one, so a Markdown heading is not a prompt. */
const COMMANDS = new Set([
  'cat',
  'tail',
  'head',
  'less',
  'more',
  'grep',
  'egrep',
  'fgrep',
  'zgrep',
  'xzgrep',
  'zcat',
  'xzcat',
  'bzcat',
  'zless',
  'lnav',
  'journalctl',
  'docker',
  'podman',
  'kubectl',
  'oc',
  'ssh',
  'sudo',
  'openstack',
  'nova',
  'nova-manage',
  'nova-status',
  'awk',
  'sed',
  'virsh',
  'systemctl',
  'crictl',
  'tripleo-ansible-inventory',
  'juju',
  'service',
]);

const FILE_READERS = new Set(['cat', 'tail', 'head', 'less', 'more', 'zcat', 'xzcat', 'bzcat', 'zless', 'lnav', 'awk', 'sed']);
const GREPS = new Set(['grep', 'egrep', 'fgrep', 'zgrep', 'xzgrep']);

/** The prompt and command of a line, when it is one. */
export function promptOf(line: string): CommandHint | undefined {
  for (const p of PROMPTS) {
    const m = p.pattern.exec(line);
    if (!m) continue;
    const cmd = clientOf(m.groups!.cmd.trim());
    const words = tokens(cmd);
    if (p.name === 'bare' && !COMMANDS.has(words[0] ?? '')) return undefined;
    const hint = readCommand(words);
    // A command typed with no prompt must read a log (or be a client's): `tail = self.send(…)` is python.
    if (p.name === 'command' && hint.sources.length === 0 && !/^(?:openstack|nova) /.test(cmd)) return undefined;
    return { host: hint.host ?? m.groups!.host, sources: hint.sources, command: cmd };
  }
  return undefined;
}

/**
 * openstackclient under the alias people give it (`alias os=openstack`; kubermatic/machine-controller#2040 pastes
 * `os server show <uuid> -c status -c fault`): named by its full name, so it reads as the client's. Only before one
 * of the client's nouns: `os` alone is no command.
 */
const OS_ALIAS = /^os (?=(?:server|compute|hypervisor|resource|allocation|flavor|host|aggregate|port|volume|image|network|availability) )/;

function clientOf(cmd: string): string {
  return cmd.replace(OS_ALIAS, 'openstack ');
}

/** Shell words, quotes removed; good enough for commands people paste. */
function tokens(cmd: string): string[] {
  const out: string[] = [];
  for (const m of cmd.matchAll(/"([^"]*)"|'([^']*)'|(\|\||&&|[|;])|([^\s"'|;&]+)/g))
    out.push(m[1] ?? m[2] ?? m[3] ?? m[4].replace(/:$/, ''));
  return out;
}

const OPTIONS_WITH_VALUE: Record<string, ReadonlySet<string>> = {
  grep: new Set(['-e', '-f', '-A', '-B', '-C', '-m', '--regexp', '--file', '--max-count']),
  tail: new Set(['-n', '-c', '--lines']),
  head: new Set(['-n', '-c', '--lines']),
  journalctl: new Set(['-o', '--output', '-n', '--lines', '-S', '--since', '-U', '--until', '-p', '--priority', '-b', '-g', '--grep']),
  docker: new Set(['--since', '--until', '--tail', '-n']),
  kubectl: new Set(['-n', '--namespace', '--since', '--tail', '-l', '--selector', '--context']),
  ssh: new Set(['-i', '-p', '-l', '-o', '-F', '-J']),
};

function readCommand(words: string[]): { host?: string; sources: string[] } {
  const sources: string[] = [];
  let host: string | undefined;
  let i = 0;
  while (i < words.length) {
    // One pipeline stage at a time: `cat f | grep x` reads f; `grep` then reads stdin.
    let end = i;
    while (end < words.length && !['|', '||', '&&', ';'].includes(words[end])) end++;
    const stage = words.slice(i, end);
    i = end + 1;
    while (stage.length > 0 && ['sudo', 'time', 'nohup', 'command'].includes(stage[0])) {
      stage.shift();
      while (stage[0]?.startsWith('-')) stage.splice(0, stage[0] === '-u' ? 2 : 1);
    }
    const [cmd, ...args] = stage;
    if (!cmd) continue;
    const opts = OPTIONS_WITH_VALUE[cmd] ?? OPTIONS_WITH_VALUE[cmd.replace(/^[xz]|^[ef]/, '')] ?? new Set<string>();
    const positional: string[] = [];
    const named = new Map<string, string>();
    for (let k = 0; k < args.length; k++) {
      const a = args[k];
      const eq = a.indexOf('=');
      if (a.startsWith('--') && eq > 0) named.set(a.slice(0, eq), a.slice(eq + 1));
      else if (a === '-u' || a === '--unit' || a === '-t' || a === '--identifier' || a === '-c' || a === '--container')
        named.set(a, args[++k] ?? '');
      else if (/^-u\S/.test(a)) named.set('-u', a.slice(2));
      else if (opts.has(a)) k++;
      else if (a.startsWith('-')) continue;
      else positional.push(a);
    }
    if (cmd === 'ssh') {
      // `ssh host cmd…`: the host, then what runs there.
      const target = positional[0];
      if (target) host = target.includes('@') ? target.slice(target.indexOf('@') + 1) : target;
      const rest = args.slice(args.indexOf(target ?? '') + 1);
      const inner = readCommand(rest);
      sources.push(...inner.sources);
      continue;
    }
    if (cmd === 'journalctl') {
      for (const k of ['-u', '--unit', '-t', '--identifier']) if (named.get(k)) sources.push(named.get(k)!);
      for (const p of positional) {
        const m = /^(?:_SYSTEMD_UNIT|SYSLOG_IDENTIFIER|CONTAINER_NAME)=(.+)$/.exec(p);
        if (m) sources.push(m[1]);
      }
      continue;
    }
    if ((cmd === 'docker' || cmd === 'podman' || cmd === 'crictl') && positional[0] === 'logs') {
      if (positional[1]) sources.push(positional[1]);
      continue;
    }
    if ((cmd === 'docker' || cmd === 'podman') && positional[0] === 'exec') {
      // `docker exec nova_compute cat /var/log/…`: the container, and whatever the inner command reads.
      const inner = readCommand(args.slice(args.indexOf(positional[1] ?? '') + 1));
      sources.push(...(inner.sources.length > 0 ? inner.sources : positional[1] ? [positional[1]] : []));
      continue;
    }
    if ((cmd === 'kubectl' || cmd === 'oc') && positional[0] === 'logs') {
      const container = named.get('-c') ?? named.get('--container');
      const pod = positional[1];
      if (container || pod) sources.push(container ?? pod!);
      continue;
    }
    if (GREPS.has(cmd)) {
      // The first operand is the pattern unless -e/-f gave it.
      const hasPattern = args.some((a) => a === '-e' || a === '-f' || a.startsWith('--regexp') || a.startsWith('--file'));
      sources.push(...(hasPattern ? positional : positional.slice(1)).filter(looksLikeLogPath));
      continue;
    }
    if (FILE_READERS.has(cmd)) sources.push(...positional.filter(looksLikeLogPath));
  }
  return { host, sources };
}

/** A file a log would be read from: a path, or a name with a log's extension. */
export function looksLikeLogPath(p: string): boolean {
  return /\//.test(p) || /\.(?:log|txt|out)(?:[.-][\w.*-]*)?$/.test(p) || /^(?:messages|syslog|daemon\.log)/.test(p);
}
