import type { Service } from '../model/event.js';
import { serviceFromName } from '../../parsers/service-names.js';

/**
 * What a file in a sosreport (or given loose) is, from its path. Layouts: plain
 * packages (`var/log/nova`), kolla (`var/log/kolla/nova`, the
 * `kolla_logs` docker volume), TripleO (`var/log/containers/…`), Sunbeam pod
 * logs, sos's tailed copies under `sos_strings/`. A new layout is a new row
 * in LOG_DIRS, not a new branch. Journals, syslog files, container runtime
 * logs and CI logs are in JOURNALS: files of many programs, read with the
 * oslo parser, whose collector prefix says which lines are nova's.
 */

export type RoleKind =
  | 'oslo-log'
  | 'apache-access'
  | 'apache-error'
  /** A guest's QEMU log as libvirt keeps it (parsers/qemu-log.ts). */
  | 'qemu-log'
  | 'mysqldump'
  | 'nova-conf'
  | 'virsh-list'
  | 'virsh-dominfo'
  | 'virsh-capabilities'
  | 'hostname'
  | 'sos-date'
  | 'archive'
  /** A journal whose entries another file read here holds too (sos's `--boot` and unit journals beside the full one): not read twice. */
  | 'journal-subset';

export interface Role {
  kind: RoleKind;
  service?: Service;
  /** Rotation group: the log's path without its rotation suffix. */
  group?: string;
  /** Sorts a group oldest first. */
  rotationRank?: number;
  /** sos kept only the tail of the file (`sos_strings/…/*.tailed`). */
  tailed?: boolean;
  /** Which layout matched, for `--verbose`. */
  layout?: string;
  /** The host's whole journal: the other journals of the host are parts of it. */
  fullJournal?: boolean;
  /** A part of the whole journal: read only when that is not. */
  journalSubset?: boolean;
}

/** Directories whose `*.log*` files are oslo.log files, by layout. */
const LOG_DIRS: { re: RegExp; layout: string; service?: Service }[] = [
  { re: /(?:^|\/)var\/log\/nova\/$/, layout: 'plain' },
  { re: /(?:^|\/)var\/log\/placement\/$/, layout: 'plain', service: 'placement-api' },
  { re: /(?:^|\/)var\/log\/kolla\/nova\/$/, layout: 'kolla' },
  { re: /(?:^|\/)var\/log\/kolla\/placement\/$/, layout: 'kolla', service: 'placement-api' },
  { re: /(?:^|\/)var\/lib\/docker\/volumes\/kolla_logs\/_data\/nova\/$/, layout: 'kolla' },
  { re: /(?:^|\/)var\/lib\/docker\/volumes\/kolla_logs\/_data\/placement\/$/, layout: 'kolla', service: 'placement-api' },
  { re: /(?:^|\/)var\/log\/containers\/nova\/$/, layout: 'tripleo' },
  { re: /(?:^|\/)var\/log\/containers\/placement\/$/, layout: 'tripleo', service: 'placement-api' },
];

/**
 * Journals, syslog, container runtime and CI logs: files that mix programs,
 * read by the oslo parser, which keeps nova's lines by the collector's tag.
 * `service` is set when the file is one service's (a unit journal, a
 * container's log); `full` marks the journal every other journal of the host
 * is a part of (sos's `journalctl --no-pager`).
 */
interface JournalRule {
  re: RegExp;
  layout: string;
  /** The capture that names the service (a unit, a container, devstack's short name); the file is read only when it does. */
  serviceFrom?: number;
  full?: boolean;
  /** Read only when no full journal of the host is (sos's boot journals, binary journals): the same entries again. */
  subset?: boolean;
  /** Rotation: the capture that is the base name. */
  base?: number;
  /** A form no parser here reads: never read, only counted. */
  verbose?: boolean;
}

/** journalctl runs sos records that are not the journal. */
const NOT_A_JOURNAL = /--(?:disk-usage|list-boots|header|verify|fields|field|list-catalog|dump-catalog|flush|rotate|vacuum)|_-F_|_-N$/;

const JOURNALS: JournalRule[] = [
  // `-o verbose` holds the same entries as the plain journal, in a form not read here.
  {
    re: /(?:^|\/)sos_commands\/[\w.-]+\/journalctl_[^/]*(?:-o_verbose|--output_verbose|--output=verbose)[^/]*$/,
    layout: 'sos-journal-verbose',
    subset: true,
    verbose: true,
  },
  // sos's logs plugin: the whole journal (its --since and -o export forms too), then this boot and the last, which it holds.
  { re: /(?:^|\/)sos_commands\/logs\/journalctl_(?!.*(?:--unit|_-u_|--boot|--this-boot|_-b))[^/]*$/, layout: 'sos-journal', full: true },
  { re: /(?:^|\/)sos_commands\/logs\/journalctl_[^/]*(?:--boot|--this-boot|_-b)[^/]*$/, layout: 'sos-journal-boot', subset: true },
  // A plugin's unit journal (openstack_nova, openstack_edpm, sunbeam_hypervisor, podman…): read when the unit is nova's.
  {
    re: /(?:^|\/)sos_commands\/[\w.-]+\/journalctl_[^/]*?(?:--unit|_-u)_([^/_][^/]*?)(?:_--[^/]*)?$/,
    layout: 'sos-journal-unit',
    serviceFrom: 1,
    subset: true,
  },
  // Binary journals (sos with all_logs, or a copied /var/log/journal): what journalctl_--no-pager printed.
  { re: /(?:^|\/)(?:var|run)\/log\/journal\/[^/]+\/[^/]+\.journal~?$/, layout: 'journal-binary', subset: true },
  // rsyslog and syslog-ng files, rotated plain, numbered or dated.
  {
    re: /(?:^|\/)var\/log\/((?:messages|syslog|daemon\.log|user\.log))(?:[.-](?:\d{8}|\d+))?(?:\.(?:gz|xz|bz2))?$/,
    layout: 'syslog',
    base: 1,
  },
  // TripleO's container stdouts and CRI's node logs: one container each, named.
  { re: /(?:^|\/)var\/log\/containers\/stdouts\/([\w.-]+?)(?:\.log)(?:\.\d+)?(?:\.gz)?$/, layout: 'tripleo-stdouts', serviceFrom: 1 },
  { re: /(?:^|\/)var\/log\/pods\/[^/]+\/([\w.-]+)\/\d+\.log(?:\.\d+)?(?:\.gz)?$/, layout: 'cri-pods', serviceFrom: 1 },
  { re: /(?:^|\/)var\/log\/containers\/[^/]+?_[^/]+?_([\w.-]+?)-[0-9a-f]{64}\.log$/, layout: 'cri-containers', serviceFrom: 1 },
  // libvirtd's own log file (virtqemud's under libvirt's modular daemons): its lines carry their own prefix (parsers/prefixes.ts `libvirtd log`), rotated by number.
  {
    re: /(?:^|\/)var\/log\/(?:containers\/|kolla\/)?libvirt\/((?:libvirtd|virtqemud)\.log)(?:\.\d+)?(?:\.(?:gz|xz|bz2))?$/,
    layout: 'libvirtd-log',
    base: 1,
  },
  // Zuul and devstack: controller/logs/screen-n-cpu.txt (a journal dump per service), job-output.txt.
  { re: /(?:^|\/)screen-([\w.@-]+?)\.txt(?:\.gz)?$/, layout: 'devstack-screen', serviceFrom: 1 },
  { re: /(?:^|\/)job-output\.txt(?:\.gz)?$/, layout: 'zuul-job-output' },
];

/** Which journal or syslog file a path is, if any. */
export function journalRole(p: string): Role | undefined {
  const base = p.slice(p.lastIndexOf('/') + 1);
  if (base.startsWith('journalctl_') && NOT_A_JOURNAL.test(base)) return undefined;
  for (const r of JOURNALS) {
    const m = r.re.exec(p);
    if (!m) continue;
    let service: Service | undefined;
    if (r.serviceFrom !== undefined) {
      service = serviceFromName(m[r.serviceFrom]);
      if (!service) return undefined;
    }
    const group = r.base !== undefined ? p.slice(0, m.index + m[0].indexOf(m[r.base])) + m[r.base] : p;
    const rotated = /[.-](\d{8}|\d+)(?:\.(?:gz|xz|bz2))?$/.exec(base);
    const rank = !rotated ? 2e9 : rotated[1].length === 8 ? Number(rotated[1]) - 1e8 : 1e9 - Number(rotated[1]);
    if (r.verbose) return { kind: 'journal-subset', layout: r.layout };
    const role: Role = { kind: 'oslo-log', service, group, rotationRank: r.base !== undefined ? rank : 2e9, layout: r.layout };
    if (r.full) role.fullJournal = true;
    if (r.subset) role.journalSubset = true;
    return role;
  }
  return undefined;
}

/**
 * A journal another file of the host already holds, once the full journal
 * (`sos_commands/logs/journalctl_--no-pager`) has been seen: reading it again
 * would give every event twice. sos sorts `logs/` before the plugins that
 * keep unit journals and before `var/log/journal`, so the full one comes first.
 */
export function asSubset(role: Role, fullJournalSeen: boolean): Role {
  return fullJournalSeen && role.journalSubset ? { kind: 'journal-subset', layout: role.layout, service: role.service } : role;
}

/** Apache / httpd directories: access and error logs of the WSGI services and horizon. */
const HTTPD_DIRS =
  /(?:^|\/)(?:var\/log\/(?:httpd|apache2|containers\/httpd\/[\w-]+|kolla\/(?:nova|placement)|containers\/(?:nova|placement))|var\/lib\/docker\/volumes\/kolla_logs\/_data\/(?:nova|placement))\/$/;

/** A file named like a tar archive, compressed or not. */
export const ARCHIVE_NAME = /\.(?:tar|tar\.xz|tar\.gz|tgz|txz|tar\.bz2|tbz2|tar\.zst)$/;

const ROTATION = /^(?<base>.+?\.log)(?:\.(?<num>\d+)|[-.](?<date>\d{8}|\d{4}-\d\d-\d\d)(?:[-_.][\d:_-]+)?)?(?:\.(?:gz|xz|bz2|zst))?$/;

/** Oldest first: dated rotations by date, then numbered ones from the highest, then the live file. */
export function rotation(basename: string): { base: string; rank: number } | undefined {
  const m = ROTATION.exec(basename);
  if (!m) return undefined;
  const g = m.groups!;
  if (g.num !== undefined) return { base: g.base, rank: 1e9 - Number(g.num) };
  if (g.date !== undefined) return { base: g.base, rank: Number(g.date.replace(/-/g, '')) - 1e8 };
  return { base: g.base, rank: 2e9 };
}

function basenameOf(p: string): { dir: string; base: string } {
  const i = p.lastIndexOf('/');
  return { dir: p.slice(0, i + 1), base: p.slice(i + 1) };
}

function oslo(dir: string, base: string, layout: string, service?: Service): Role | undefined {
  const r = rotation(base);
  if (!r) return undefined;
  return {
    kind: 'oslo-log',
    service: serviceFromName(r.base) ?? service,
    group: dir + r.base,
    rotationRank: r.rank,
    layout,
  };
}

/**
 * `relPath` is relative to the sosreport root (or the path of a loose file).
 * Returns undefined for files nova-forensics does not read.
 */
export function classify(relPath: string): Role | undefined {
  const p = relPath.replace(/\\/g, '/');
  const { dir, base } = basenameOf(p);

  // sos's tailed copies: sos_strings/<plugin>/<path with / as .>.tailed
  if (/(?:^|\/)sos_strings\/[^/]+\/[^/]+\.tailed$/.test(p)) {
    const name = base.slice(0, -'.tailed'.length);
    if (/(?:^|\/)sos_strings\/mysql\//.test(p) || /mysqldump|mysql_dump|\.sql$/.test(name))
      return { kind: 'mysqldump', tailed: true, layout: 'sos-tailed' };
    const cut = name.lastIndexOf('.', name.lastIndexOf('.log') - 1);
    const logName = name.slice(cut + 1);
    if (/\.log/.test(name) && /nova|placement/.test(name)) {
      const r = rotation(logName);
      // The tailed copy is the live file at its original path: group it there.
      const root = p.slice(0, p.indexOf('sos_strings/'));
      const origDir = cut > 0 ? `${name.slice(0, cut).replace(/\./g, '/')}/` : '';
      return {
        kind: 'oslo-log',
        service: serviceFromName(logName),
        group: root + origDir + (r?.base ?? logName),
        rotationRank: r?.rank ?? 2e9,
        tailed: true,
        layout: 'sos-tailed',
      };
    }
    return undefined;
  }

  // httpd's own logs sit beside the services' in kolla's and TripleO's folders.
  const httpdName = /(?:access|[-_]error)(?:\.log|_log)|^(?:access|error)_log/.test(base);
  for (const d of LOG_DIRS) {
    if (!httpdName && d.re.test(dir)) {
      const role = oslo(dir, base, d.layout, d.service);
      if (role) return role;
    }
  }

  if (HTTPD_DIRS.test(dir)) {
    const r =
      rotation(base) ??
      (/^(?:error|access)_log(?:[-.][\w.-]+)?$/.test(base) ? { base: base.replace(/[-.].*$/, ''), rank: 2e9 } : undefined);
    if (r) {
      const lower = base.toLowerCase();
      const svc = serviceFromName(lower.replace(/access|error|wsgi|ssl|_log|\.log.*/g, '')) ?? 'httpd';
      if (lower.includes('access'))
        return { kind: 'apache-access', service: svc, group: dir + r.base, rotationRank: r.rank, layout: 'httpd' };
      if (lower.includes('error'))
        return { kind: 'apache-error', service: svc, group: dir + r.base, rotationRank: r.rank, layout: 'httpd' };
      // Ubuntu's nova-placement-api and kolla's placement-api.log are oslo logs in these dirs.
      if (/nova|placement/.test(lower)) return oslo(dir, base, 'httpd', svc);
    }
  }

  // Sunbeam: kubectl logs per pod and container.
  const pod = /sos_commands\/kubernetes\/.*\/podlogs\/[^/]+\/k8s_kubectl_.*_-c_(?<container>[\w-]+)$/.exec(p);
  if (pod) {
    const svc = serviceFromName(pod.groups!.container);
    if (svc) return { kind: 'oslo-log', service: svc, group: p, rotationRank: 2e9, layout: 'sunbeam-podlogs' };
    return undefined;
  }
  if (/sos_commands\/sunbeam_hypervisor\/journalctl_.*--unit_(?:snap\.openstack-hypervisor\.)?nova-compute/.test(p)) {
    return { kind: 'oslo-log', service: 'nova-compute', group: p, rotationRank: 2e9, layout: 'sunbeam-journal', journalSubset: true };
  }
  const journal = journalRole(p);
  if (journal) return journal;

  if (/(?:^|\/)sos_commands\/mysql\/mysqldump_/.test(p) || /(?:^|\/)sos_commands\/openstack_database\/mysql_dump/.test(p))
    return { kind: 'mysqldump', layout: 'sos' };
  if (/\.sql(?:\.gz|\.xz|\.bz2|\.zst)?$/.test(base)) return { kind: 'mysqldump', layout: 'loose' };

  if (
    /(?:^|\/)etc\/nova\/nova\.conf$/.test(p) ||
    /(?:^|\/)etc\/kolla\/nova-[\w-]+\/nova\.conf$/.test(p) ||
    /(?:^|\/)var\/lib\/config-data\/(?:puppet-generated\/)?nova[\w-]*\/etc\/nova\/nova\.conf$/.test(p) ||
    /(?:^|\/)etc\/nova\/nova\.conf\.d\/[^/]+\.conf$/.test(p)
  ) {
    return { kind: 'nova-conf', layout: 'conf' };
  }

  // libvirt's per-guest QEMU logs: plain packages, TripleO and kolla containers, a devstack job's copies (`.txt`).
  if (/(?:^|\/)(?:var\/log\/(?:containers\/|kolla\/)?)?libvirt\/qemu\/[^/]+\.(?:log|txt)(?:[.-]\d+)?(?:\.(?:gz|xz|bz2))?$/.test(p))
    return {
      kind: 'qemu-log',
      group: dir + base.replace(/(?:[.-]\d+)?(?:\.(?:gz|xz|bz2))?$/, ''),
      rotationRank: qemuRank(base),
      layout: 'libvirt-qemu',
    };

  if (/(?:^|\/)sos_commands\/libvirt\//.test(p) || /(?:^|\/)sos_commands\/(?:nova|openstack_nova|podman|docker)\/.*virsh/.test(p)) {
    if (/virsh(?:_-r)?_list_--all/.test(base)) return { kind: 'virsh-list', layout: 'sos' };
    if (/virsh(?:_-r)?_dominfo_/.test(base)) return { kind: 'virsh-dominfo', layout: 'sos' };
    if (/virsh(?:_-r)?_capabilities$/.test(base)) return { kind: 'virsh-capabilities', layout: 'sos' };
  }

  if (p === 'hostname' || /(?:^|\/)sos_commands\/(?:host|general)\/hostname$/.test(p) || /(?:^|\/)etc\/hostname$/.test(p))
    return { kind: 'hostname' };
  if (/(?:^|\/)sos_commands\/(?:date|general)\/date$/.test(p)) return { kind: 'sos-date' };

  if (ARCHIVE_NAME.test(base)) return { kind: 'archive' };
  return undefined;
}

/** Oldest first: `instance-00000001.log.2.gz`, `.log.1`, then the live file. */
function qemuRank(base: string): number {
  const n = /\.(?:log|txt)[.-](\d+)/.exec(base);
  return n ? 1e9 - Number(n[1]) : 2e9;
}

/** Worth naming in the coverage when not understood: it looks like something we should read. */
export function looksRelevant(relPath: string): boolean {
  return /nova|placement|mysql|libvirt|httpd|apache/.test(relPath) && !/\/$/.test(relPath);
}

/** `sosreport-compute-1-2024-07-11-rujznhs` → `compute-1`. The case id, when given, cannot be told from the host. */
export function hostFromSosName(name: string): string | undefined {
  const m =
    /^sosreport-(.+?)-(?:\d{4}-\d\d-\d\d|\d{8})-[a-z0-9]{4,10}(?:\.tar(?:\.\w+)?)?$/.exec(name) ??
    /^sosreport-(.+?)(?:-\d{8,})?(?:\.tar(?:\.\w+)?)?$/.exec(name);
  return m ? m[1] : undefined;
}
