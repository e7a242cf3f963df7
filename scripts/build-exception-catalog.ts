import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Writes parsers/exception-catalog.data.ts: the message format (`msg_fmt`) of
 * the nova exceptions the detectors key on, in English and in every
 * translation nova shipped, from Liberty to master (English from Folsom). Logs show an exception's
 * text without its class where nova logs `str(exc)` (scheduler utils'
 * "Failed to compute_task_build_instances: …", a MigrationPreCheckError's
 * reason); the catalog names the class from that text, in any language.
 *
 *   npm run exception-catalog -- /path/to/nova.git
 *
 * It reads a nova git repository (a bare mirror is enough) and writes data
 * only: strings, no code.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'parsers', 'exception-catalog.data.ts');

/** The classes, as nova/exception.py names them. */
const CLASSES = [
  'NoValidHost',
  'MaxRetriesExceeded',
  'InvalidCPUInfo',
  'MigrationPreCheckError',
  'HostMappingNotFound',
  'InstanceNotFound',
  'ComputeHostNotFound',
  // A build's failure on its compute, in the reason of a fault or an "Error from last host".
  'BuildAbortException',
  'RescheduledException',
  'PortBindingFailed',
  'VirtualInterfaceCreateException',
  'VolumeNotCreated',
  'ImageNotFound',
  'ImageUnacceptable',
  'ImageNotAuthorized',
  'ComputeResourcesUnavailable',
  // The compute-side table's other classes (src/signatures/compute-failure.ts), named by their text alone in a
  // RescheduledException's or BuildAbortException's reason, a fault, a client's error.
  'PortNotFound',
  'PortNotUsable',
  'PortInUse',
  'NetworkNotFound',
  'NoMoreFixedIps',
  'PortLimitExceeded',
  'ExternalNetworkAttachForbidden',
  'NoMoreFloatingIps',
  'NoMoreNetworks',
  'FixedIpLimitExceeded',
  'NoFloatingIpInterface',
  'VolumeNotFound',
  'VolumeLimitExceeded',
  'InvalidBDM',
  'InvalidBDMVolume',
  'InvalidBDMSnapshot',
  'InvalidBDMImage',
  'VolumeAttachFailed',
  'FlavorDiskSmallerThanImage',
  'FlavorDiskTooSmall',
  'InvalidImageRef',
  // A move's failure.
  'MigrationError',
  'ResizeError',
  // What a move's compute raises to have the instance set back to its state (the move's own error inside).
  'InstanceFaultRollback',
  'UnableToMigrateToSelf',
  'DestinationDiskExists',
  'InvalidSharedStorage',
  'InvalidLocalStorage',
  'ComputeServiceUnavailable',
  // A move the API refused (400/409 to a server action).
  'InstanceInvalidState',
  'CannotResizeToSameFlavor',
  'CannotResizeDisk',
  'FlavorNotFound',
  // Its msg_fmt, should nova raise it with keywords; as raised (2023.1+) see DICT_RAISES.
  'NotSupportedComputeForEvacuateV295',
  // The API's schema refusing a request's body (400): its API wording only (API_ONLY).
  'ValidationError',
];

/** Classes whose msg_fmt says nothing (ValidationError's is `%(detail)s`): only their API wordings are formats. */
const API_ONLY = new Set(['ValidationError']);

/**
 * Texts the API answers in place of an exception's own message: the class
 * they stand for gains them as formats (nova-api logs "HTTP exception
 * thrown: <text>" with the API's wording, not the exception's).
 */
const API_WORDINGS = [
  // Juno and before: "Cannot '%(action)s' while instance is in %(attr)s %(state)s" (no server id).
  { cls: 'InstanceInvalidState', path: 'nova/api/openstack/common.py', startsWith: "Cannot '%(action)s' " },
  // The schema's refusal of a request body's field (Juno+): `%(path)s` is the field's name, the action's own key when
  // the action's object itself was refused (`resize`: properties it does not allow).
  { cls: 'ValidationError', path: 'nova/api/validation/validators.py', startsWith: 'Invalid input for field/attribute %(path)s' },
  // The servers controllers' answer to CannotResizeToSameFlavor up to Mitaka (v2, v2.1 as plugins/v3, legacy_v2).
  ...['servers.py', 'plugins/v3/servers.py', 'legacy_v2/servers.py'].map((f) => ({
    cls: 'CannotResizeToSameFlavor',
    path: `nova/api/openstack/compute/${f}`,
    startsWith: 'Resize requires a flavor change.',
  })),
];

/**
 * Messages that are no exception's msg_fmt but stand in logs and in
 * exceptions' reasons: the libvirt driver's CPU comparison verdict (logged at
 * ERROR by _compare_cpu, and the reason of InvalidCPUInfo or, when libvirt
 * itself failed, of MigrationPreCheckError).
 */
const MESSAGES = [{ key: 'libvirt-cpu-incompatible', path: 'nova/virt/libvirt/driver.py', startsWith: "CPU doesn't have compatibility." }];

/**
 * nova's own reasons for an exception it raises with a reason of its making:
 * a fault whose message is the reason alone (the server's fault after a build
 * aborted on its network) names the class and, by the key, which failure.
 * Every `_("…")` literal of the file starting so is taken (the wording with an
 * error `%s` too).
 */
const REASONS = [
  {
    key: 'network-allocation-failed',
    cls: 'BuildAbortException',
    path: 'nova/compute/manager.py',
    startsWith: 'Failed to allocate the network(s)',
  },
  {
    // _build_resources: the instance's block devices (volumes, a boot-from-volume root) could not be prepared.
    key: 'block-device-prep-failed',
    cls: 'BuildAbortException',
    path: 'nova/compute/manager.py',
    startsWith: 'Failure prepping block device',
  },
  {
    // The ironic driver's spawn: the node's deploy failed (ironic's last_error is the %(reason)s; a build aborts with it).
    key: 'ironic-deploy-failed',
    cls: 'InstanceDeployFailure',
    path: 'nova/virt/ironic/driver.py',
    startsWith: 'Failed to provision instance',
  },
  {
    // A cold migration or resize whose source could not ssh to the destination as nova (Kilo+: the instance kept its
    // state, ResizeError raised with the command's error).
    key: 'migration-ssh-failed',
    cls: 'ResizeError',
    path: 'nova/virt/libvirt/driver.py',
    startsWith: 'not able to execute ssh command',
  },
  {
    // The conductor's check of a live migration's requested destination (Havana+; before, the scheduler driver's):
    // the destination's free memory is less than the instance's.
    key: 'precheck-lack-of-memory',
    cls: 'MigrationPreCheckError',
    path: 'nova/conductor/tasks/live_migrate.py',
    startsWith: 'Unable to migrate %(instance_uuid)s to %(dest)s',
  },
  {
    // The libvirt driver's check of a block migration's destination disk (Havana+): not enough room for the disk.
    key: 'precheck-disk-too-large',
    cls: 'MigrationPreCheckError',
    path: 'nova/virt/libvirt/driver.py',
    startsWith: 'Unable to migrate %(instance_uuid)s: Disk of instance is too large',
  },
  {
    // The libvirt driver's live migration (Juno–Newton, _check_graphics_addresses_can_live_migrate) with VNC or SPICE
    // listening on an address of the source and a libvirt without VIR_DOMAIN_XML_MIGRATABLE: raised inside the
    // migration's operation, the live migration fails.
    key: 'live-migration-graphics-listen',
    cls: 'MigrationError',
    path: 'nova/virt/libvirt/driver.py',
    startsWith:
      'Your libvirt version does not support the VIR_DOMAIN_XML_MIGRATABLE flag or your destination node does not support retrieving listen addresses.  In order for live migration to work properly, you must configure',
  },
  {
    // The same check's serial console case (_verify_serial_console_is_disabled): the console must be disabled.
    key: 'live-migration-serial-console',
    cls: 'MigrationError',
    path: 'nova/virt/libvirt/driver.py',
    startsWith:
      'Your libvirt version does not support the VIR_DOMAIN_XML_MIGRATABLE flag or your destination node does not support retrieving listen addresses.  In order for live migration to work properly you must either disable serial console',
  },
  {
    // A live migration forced to a host with no host_mappings row (Pike+: the HostMappingNotFound becomes this).
    key: 'destination-host-not-mapped',
    cls: 'MigrationPreCheckError',
    path: 'nova/conductor/tasks/live_migrate.py',
    startsWith: 'Unable to determine in which cell destination host',
  },
];

/**
 * Exceptions nova raises with a dict as their one argument, not keywords: the message is then the dict's repr, not
 * the class's msg_fmt (2023.1+'s evacuate at microversion 2.95 answers 400 `{'currently': 0, 'expected': 62}`).
 * Each such raise site of `path` gives the repr's format, its keys as placeholders; a repr is never translated.
 */
const DICT_RAISES = [{ cls: 'NotSupportedComputeForEvacuateV295', path: 'nova/api/openstack/compute/evacuate.py' }];

/** `raise exception.<cls>(\n {'a': …, 'b': …})` → `{'a': %(a)s, 'b': %(b)s}`, for each raise site of `cls`. */
function dictReprs(source: string, cls: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(new RegExp(`raise exception\\.${cls}\\(\\s*\\{([^}]*)\\}\\s*\\)`, 'g'))) {
    const keys = [...m[1].matchAll(/'(\w+)'\s*:/g)].map((k) => k[1]);
    if (keys.length > 0) out.push(`{${keys.map((k) => `'${k}': %(${k})s`).join(', ')}}`);
  }
  return out;
}

/** One ref per release series whose translations may differ; master last. */
const REFS = [
  // Folsom–Kilo: what a class said before Liberty (Juno's 'Flavor's disk is too small for requested image.'), in English
  // only (ENGLISH_ONLY).
  'folsom-eol',
  'grizzly-eol',
  'havana-eol',
  'icehouse-eol',
  'juno-eol',
  'kilo-eol',
  'liberty-eol',
  'mitaka-eol',
  'newton-eol',
  'ocata-eol',
  'pike-eol',
  'queens-eol',
  'rocky-eol',
  'stein-eol',
  'train-eol',
  'ussuri-eol',
  'victoria-eol',
  'wallaby-eol',
  'xena-eol',
  '2023.2-eol',
  '2024.2-eol',
  'HEAD',
];

/**
 * Refs whose catalogs are not read: before Liberty nova's .po files kept stale and fuzzy entries whose msgstr belongs
 * to another message (Folsom's de catalog gives 'Instance %(instance_id)s is not running.' a mount point's text).
 */
const ENGLISH_ONLY = new Set(['folsom-eol', 'grizzly-eol', 'havana-eol', 'icehouse-eol', 'juno-eol', 'kilo-eol']);

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

function tryShow(repo: string, ref: string, path: string): string | undefined {
  try {
    return execFileSync('git', ['-C', repo, 'show', `${ref}:${path}`], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return undefined;
  }
}

/**
 * `class X(...):\n    msg_fmt = _("...")` → the format, joining implicit string concatenation; or, for a class that
 * builds its message in `__init__` (InstanceFaultRollback: `message = _("… %s")`), that one. Only inside the class's
 * own body: a class with neither must not take the next class's.
 */
function msgFmt(source: string, cls: string): string | undefined {
  const at = source.search(new RegExp(`^class ${cls}\\(`, 'm'));
  if (at === -1) return undefined;
  const next = source.slice(at + 1).search(/^class /m);
  const body = source.slice(at, next === -1 ? undefined : at + 1 + next);
  const m = /(?:msg_fmt|message) = _\(((?:\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'))+)\s*\)/.exec(body);
  if (!m) return undefined;
  return [...m[1].matchAll(/"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g)].map((p) => unescapePy(p[1] ?? p[2])).join('');
}

/** A class's message with a bare `%s` (the error it wraps, free text): named `%(reason)s`, as the matcher reads free text. */
function namedText(fmt: string): string {
  return fmt.replace(/%s/g, '%(reason)s');
}

/** The first `_("…")` literal of `source` whose text starts with `prefix`. */
function translatable(source: string, prefix: string): string | undefined {
  return translatables(source, prefix)[0];
}

/** Every `_("…")` literal of `source` whose text starts with `prefix`. */
function translatables(source: string, prefix: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/_\(((?:\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'))+)\s*[,)]/g)) {
    const text = [...m[1].matchAll(/"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g)].map((p) => unescapePy(p[1] ?? p[2])).join('');
    if (text.startsWith(prefix) && !out.includes(text)) out.push(text);
  }
  return out;
}

function unescapePy(s: string): string {
  return s.replace(/\\(["'\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** msgid → msgstr of a .po file; multi-line strings joined. */
function poEntries(po: string): Map<string, string> {
  const out = new Map<string, string>();
  let key: 'msgid' | 'msgstr' | undefined;
  let id = '';
  let str = '';
  const flush = (): void => {
    if (id && str) out.set(id, str);
    id = '';
    str = '';
  };
  for (const line of po.split('\n')) {
    const kw = /^(msgid|msgstr) "(.*)"$/.exec(line);
    if (kw) {
      if (kw[1] === 'msgid') flush();
      key = kw[1] as 'msgid' | 'msgstr';
      if (key === 'msgid') id = unescapePo(kw[2]);
      else str = unescapePo(kw[2]);
      continue;
    }
    const cont = /^"(.*)"$/.exec(line);
    if (cont && key) {
      if (key === 'msgid') id += unescapePo(cont[1]);
      else str += unescapePo(cont[1]);
      continue;
    }
    key = undefined;
  }
  flush();
  return out;
}

function unescapePo(s: string): string {
  return s.replace(/\\(["\\nt])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

function main(): void {
  const repo = process.argv[2];
  if (!repo) {
    process.stderr.write('usage: node dist/scripts/build-exception-catalog.js NOVA_GIT_DIR\n');
    process.exit(2);
  }
  const formats = new Map<string, Set<string>>(CLASSES.map((c) => [c, new Set<string>()]));
  const messages = new Map<string, Set<string>>(MESSAGES.map((m) => [m.key, new Set<string>()]));
  const reasons = new Map<string, Set<string>>(REASONS.map((r) => [r.key, new Set<string>()]));
  const languages = new Set<string>();
  const used: string[] = [];
  for (const ref of REFS) {
    const exc = tryShow(repo, ref, 'nova/exception.py');
    if (!exc) continue;
    used.push(ref === 'HEAD' ? `master ${git(repo, 'rev-parse', '--short', 'HEAD').trim()}` : ref);
    const ids = new Map<string, string>();
    for (const cls of CLASSES) {
      const f = API_ONLY.has(cls) ? undefined : msgFmt(exc, cls);
      if (!f) continue;
      ids.set(cls, f);
      formats.get(cls)!.add(namedText(f));
    }
    for (const a of API_WORDINGS) {
      const id = translatable(tryShow(repo, ref, a.path) ?? '', a.startsWith);
      if (!id) continue;
      // Several ids may stand for one class: keyed by the id's own text, translated below like the class's.
      ids.set(`${a.cls}\u0000${id}`, id);
      formats.get(a.cls)!.add(id);
    }
    for (const d of DICT_RAISES) for (const f of dictReprs(tryShow(repo, ref, d.path) ?? '', d.cls)) formats.get(d.cls)!.add(f);
    const msgIds = new Map<string, string>();
    for (const m of MESSAGES) {
      const id = translatable(tryShow(repo, ref, m.path) ?? '', m.startsWith);
      if (!id) continue;
      msgIds.set(m.key, id);
      messages.get(m.key)!.add(id);
    }
    const reasonIds: [string, string][] = [];
    for (const r of REASONS)
      for (const id of translatables(tryShow(repo, ref, r.path) ?? '', r.startsWith)) {
        reasonIds.push([r.key, id]);
        reasons.get(r.key)!.add(id);
      }
    if (ENGLISH_ONLY.has(ref)) continue;
    const locales = git(repo, 'ls-tree', '-r', '--name-only', ref, 'nova/locale')
      .split('\n')
      .filter((p) => /^nova\/locale\/[^/]+\/LC_MESSAGES\/nova\.po$/.test(p));
    for (const path of locales) {
      const entries = poEntries(tryShow(repo, ref, path) ?? '');
      for (const [key, id] of ids) {
        const cls = key.split('\u0000')[0];
        const t = entries.get(id);
        if (t && t !== id) {
          formats.get(cls)!.add(namedText(t));
          languages.add(path.split('/')[2]);
        }
      }
      for (const [key, id] of msgIds) {
        const t = entries.get(id);
        if (t && t !== id) messages.get(key)!.add(t);
      }
      for (const [key, id] of reasonIds) {
        const t = entries.get(id);
        if (t && t !== id) reasons.get(key)!.add(t);
      }
    }
  }
  if (used.length === 0) {
    process.stderr.write(
      `build-exception-catalog: no nova release found in ${repo} (expected a nova git repository with nova/exception.py): nothing written\n`,
    );
    process.exit(2);
  }
  const entries = (m: Map<string, Set<string>>): string =>
    [...m].map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify([...v].sort(), null, 2).replace(/\n/g, '\n  ')},`).join('\n');
  writeFileSync(
    OUT,
    `// Generated by scripts/build-exception-catalog.ts from openstack/nova (Apache-2.0):
// nova/exception.py msg_fmt, the reasons of REASONS (${[...new Set(REASONS.map((r) => r.path))].join(', ')}) and
// nova/locale/*/LC_MESSAGES/nova.po at ${used.filter((r) => !ENGLISH_ONLY.has(r)).join(', ')}; English only at
// ${used.filter((r) => ENGLISH_ONLY.has(r)).join(', ')}.
// Languages: ${[...languages].sort().join(', ')}. Do not edit by hand.

/** Exception class → every message format nova used for it, English and translated. */
export const EXCEPTION_FORMATS: Readonly<Record<string, readonly string[]>> = {
${entries(formats)}
};

/** Other messages the detectors key on (see MESSAGES in the script), English and translated. */
export const MESSAGE_FORMATS: Readonly<Record<string, readonly string[]>> = {
${entries(messages)}
};

/** nova's own reasons of an exception (see REASONS in the script): key → the class they are the reason of. */
export const REASON_CLASSES: Readonly<Record<string, string>> = {
${REASONS.map((r) => `  ${JSON.stringify(r.key)}: ${JSON.stringify(r.cls)},`).join('\n')}
};

/** nova's own reasons by key, English and translated (%s stands for the error nova put in). */
export const REASON_FORMATS: Readonly<Record<string, readonly string[]>> = {
${entries(reasons)}
};
`,
  );
  // In the project's format, so that regenerating gives a byte-identical file.
  execFileSync(join(ROOT, 'node_modules', '.bin', 'biome'), ['format', '--write', OUT], { stdio: 'ignore' });
  process.stdout.write(
    `wrote ${OUT}: ${[...formats, ...messages, ...reasons].map(([c, v]) => `${c} ${v.size}`).join(', ')} from ${used.length} refs\n`,
  );
}

main();
