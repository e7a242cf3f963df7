import type { StoredEvent } from '../correlate/event-store.js';
import { tsMs } from '../model/clock.js';
import { atLeast } from '../facts/nova-release.js';
import { parseCpuInfo } from '../facts/collect.js';
import type { CpuInfo, Migration } from '../model/db.js';
import type { Evidence, Remediation } from '../model/finding.js';
import { changingRequests, computeStory, instanceLines, problems, schedulingStory } from '../signatures/context.js';
import {
  compareCpuRaised,
  CPU_REFUSALS,
  instanceLaunchedCpuInfo,
  libvirtMissingFeatures,
  migrationCpuMismatch,
} from '../signatures/libvirt.js';
import { framesOf } from '../signatures/compute-failure.js';
import { match, matches } from '../signatures/signature.js';
import { IncidentList } from './incident-list.js';
import {
  firstLine,
  hostFacts,
  incidentId,
  libvirtUri,
  sameHost,
  logEvidence,
  short,
  span,
  signalled,
  namedHost,
  timeline,
  type DetectContext,
  type Detector,
} from './detector.js';

/**
 * Live migrations refused by the destination's CPU check: InvalidCPUInfo,
 * wrapped in MigrationPreCheckError since Ussuri (raised from `_compare_cpu`
 * inside check_can_live_migrate_destination, which runs on the destination).
 * The two hosts' CPUs come from compute_nodes.cpu_info, virsh capabilities,
 * or the destination's "Instance launched has CPU info" line; their
 * `[libvirt]` CPU settings from each nova.conf.
 */

interface Cpu {
  info: CpuInfo;
  from: Evidence;
}

function cpuOfHost(ctx: DetectContext, host: string | undefined): Cpu | undefined {
  if (!host) return undefined;
  const cn = [...ctx.ix.computeByNode.values()].find((c) => c.host === host || c.hypervisorHostname === host);
  if (cn?.cpuInfo && cn.cpuInfo.features.length > 0) {
    return {
      info: cn.cpuInfo,
      from: {
        text: `${cn.cellDb}.compute_nodes ${cn.hypervisorHostname}: cpu_info model ${cn.cpuInfo.model}, ${cn.cpuInfo.features.length} features`,
        source: cn.source,
      },
    };
  }
  const hf = hostFacts(ctx, host);
  if (hf?.cpu)
    return {
      info: hf.cpu,
      from: {
        text: `${host}: virsh capabilities, host CPU ${hf.cpu.model}, ${hf.cpu.features.length} features`,
        source: { host, file: hf.cpu.source, line: 1 },
      },
    };
  return undefined;
}

function libvirtConf(
  ctx: DetectContext,
  host: string | undefined,
): { path: string; cpuMode?: string; cpuModels?: string[]; cpuModelExtraFlags?: string[] } | undefined {
  if (!host) return undefined;
  const hf = hostFacts(ctx, host);
  if (!hf) return undefined;
  const confs = [...hf.novaConf].sort((a, b) => Number(/compute|libvirt/.test(b.path)) - Number(/compute|libvirt/.test(a.path)));
  const c = confs.find((x) => x.libvirt.cpuMode || x.libvirt.cpuModels) ?? confs[0];
  return c ? { path: c.path, ...c.libvirt } : undefined;
}

/** What to do when the hosts' CPUs agree: look at the guest's CPU, give it its host's again, or leave the check to libvirt. */
function agreeingHostsRemedies(
  ctx: DetectContext,
  source: string | undefined,
  dest: string,
  instance: string | undefined,
  /** The guest's recorded CPU needs features the destination lacks: the reboot is the fix, not a question. */
  guestDiffers: boolean,
): Remediation[] {
  const out: Remediation[] = [];
  if (!guestDiffers)
    out.push({
      command: `# on ${source ?? 'the source'}: virsh dumpxml <the guest's domain> > guest.xml   (its <cpu> element)\n# on ${dest}:\nvirsh hypervisor-cpu-compare guest.xml`,
      why: `shows which of the guest's CPU features ${dest}'s hypervisor refuses: the hosts' own CPUs do not differ`,
    });
  if (instance)
    out.push({
      command: `openstack server reboot --hard ${instance}`,
      why: "a hard reboot gives the guest its host's CPU again, dropping features it kept from where or how it booted",
    });
  // The workaround option came in Zed; before it, nothing but the reboot or a custom model skips the comparison.
  if (atLeast(ctx.ix.release, 'Zed') !== false)
    out.push({
      command: `# on ${dest}, in nova.conf (Zed and later):\n[workarounds]\nskip_cpu_compare_on_dest = True`,
      why: 'nova skips its own comparison and libvirt checks the CPU during the migration instead (later, and costlier when it does fail); nova-operator sets it for refusals between identical hosts (nova bug 2039803)',
    });
  return out;
}

/** The CPU check failed and the lines do not say why: find the exception first, then compare the hosts. */
function unshownRemedies(source: string | undefined, dest: string): Remediation[] {
  return [
    {
      command: `# on ${dest}:\ngrep -n -A3 -E 'compareCPU|compare_hypervisor_cpu|_compare_cpu' /var/log/nova/nova-compute.log   # or the nova_compute container's log`,
      why: "the line under the traceback names what the check raised: InvalidCPUInfo (the guest's CPU needs features the destination lacks) or libvirt's own error",
    },
    {
      command: `# on ${source ?? 'the source'} and on ${dest}:\nvirsh capabilities | sed -n '/<cpu>/,/<\\/cpu>/p'`,
      why: "the two hosts' CPU models and features, to compare before changing [libvirt] cpu_mode",
    },
  ];
}

/** The innermost CPU comparison frame a traceback passes through (`compareCpuRaised`). */
function compareFrame(e: StoredEvent): string {
  const frames = framesOf(e).filter((f) => /compare/i.test(f));
  return frames.length ? `${frames[frames.length - 1]}()` : 'the CPU comparison';
}

/** The instance's move to `dest` (any destination when the refusing compute's log was not read), failed ones first, newest first. */
function findMigration(ctx: DetectContext, instance: string | undefined, dest: string | undefined): Migration | undefined {
  if (!instance) return undefined;
  const moves = (ctx.ix.migrationsByInstance.get(instance) ?? []).filter(
    (m) => !dest || sameHost(m.destCompute, dest) || m.destNode === dest,
  );
  const failed = moves.filter((m) => m.status === 'error' || m.status === 'failed');
  const pick = (failed.length ? failed : moves).sort((a, b) => ((a.createdAt ?? '') < (b.createdAt ?? '') ? 1 : -1));
  return pick[0];
}

export const cpuIncompatibleMigration: Detector = {
  kind: 'cpu-incompatible-migration',
  name: 'CPU-incompatible migration',
  title: 'Live migrations refused: CPU incompatible',
  description:
    "A live migration the destination refused in its CPU check, with both hosts' CPUs (database, virsh, the destination's own line), the features the destination lacks, and each host's [libvirt] CPU settings.",
  causes: [
    {
      code: 'cpu-incompatible',
      title: "The guest's CPU needs features the destination lacks",
      decidedBy:
        'InvalidCPUInfo (alone, or wrapped in MigrationPreCheckError since Ussuri), or the libvirt driver\'s verdict "CPU doesn\'t have compatibility" in any language',
      action:
        'give both hosts a common [libvirt] cpu_mode = custom model, restart nova-compute, then hard-reboot (or cold-migrate) the guest',
    },
    {
      code: 'cpu-check-hosts-agree',
      title: "The destination's CPU check refused, though both hosts report the same CPU",
      decidedBy:
        "the destination's check refused (not libvirt during the migration), and both hosts' CPUs are known (database or virsh): same vendor and model, every feature of the source's on the destination. What nova compared is the guest's own CPU (instance_extra.vcpu_model), which the hosts' CPUs do not explain",
      action:
        "compare the guest's CPU on the destination (virsh hypervisor-cpu-compare); a hard reboot gives the guest its host's CPU again; [workarounds] skip_cpu_compare_on_dest (Zed+) on the destination leaves the check to libvirt during the migration",
    },
    {
      code: 'unknown',
      title: "The destination's CPU check failed, and what it found is not shown",
      decidedBy:
        "a traceback out of the CPU comparison (nova's _compare_cpu, libvirt's compareCPU) and no verdict: its exception line is not in the lines read, or it is libvirt's own error (an XML or driver error) rather than InvalidCPUInfo",
      action:
        "read the exception under the traceback in the destination's full nova-compute log, and compare the two hosts' CPUs (virsh capabilities, virsh domcapabilities) before changing [libvirt] cpu_mode",
    },
  ],
  details:
    "`source`, `destination`, `migrationUuid`, `requestId`, `sourceCpu`, `destinationCpu` (`model`, `vendor`, `features`), `missingFeatures[]` (with the hosts agreeing: the guest's recorded CPU's), `sourceCpuMode`, `destinationCpuMode`, `sourceCpuModels`, `destinationCpuModels`, `baselineModel`",
  signatures: [...CPU_REFUSALS, instanceLaunchedCpuInfo],
  context: [problems, instanceLines, changingRequests, computeStory, schedulingStory],
  detect(ctx) {
    const byRequest = new Map<string, StoredEvent[]>();
    const refusals = new Map<number, StoredEvent>();
    for (const sig of CPU_REFUSALS) for (const e of signalled(ctx, sig)) refusals.set(e.seq, e);
    for (const e of [...refusals.values()].sort((a, b) => a.seq - b.seq)) {
      const key = e.requestId ?? `${e.host}:${e.file}:${e.line}`;
      const list = byRequest.get(key);
      if (list) list.push(e);
      else byRequest.set(key, [e]);
    }
    const incidents = new IncidentList(ctx, cpuIncompatibleMigration);
    for (const [key, found] of byRequest) {
      // The exception names the refusal best; the driver's own verdict line stands in only where none was read.
      const signals = found.some((x) => x.exception) ? found.filter((x) => x.exception) : found;
      const sig = signals[0];
      // The compute that refused is the destination; the conductor's copy of the remote traceback names it only by its host.
      const refusing = signals.find((s) => s.service === 'nova-compute');
      const reqs = sig.requestId ? [sig.requestId] : [];
      let related = ctx.store.related(reqs);
      // The refusal's own line names it first (a line without a request id has no related lines to name it).
      const instance =
        signals.find((e) => e.instanceUuid)?.instanceUuid ??
        related.find((e) => e.instanceUuid)?.instanceUuid ??
        related.map((e) => (e.http?.path ? /\/servers\/([0-9a-f-]{36})\/action/.exec(e.http.path)?.[1] : undefined)).find(Boolean) ??
        undefined;
      if (instance) {
        // The instance's own history joins the timeline only around the failing request.
        // Undated events (pasted without time) cannot be placed away from the request: they are kept.
        const t0 = Math.min(...related.filter((e) => e.ts).map((e) => tsMs(e.ts)));
        const near = (e: StoredEvent): boolean => !e.ts || !Number.isFinite(t0) || Math.abs(tsMs(e.ts) - t0) < 10 * 60_000;
        related = ctx.store
          .related(reqs, [instance])
          .filter((e) => e.requestId === sig.requestId || (e.instanceUuid === instance && near(e)));
      }
      const inRelated = new Set(related);
      for (const s of signals) if (!inRelated.has(s)) related.push(s);
      // libvirt failing the migration itself on the CPU is logged by the source, which names the destination by its URI.
      const late = signals.every((x) => matches(migrationCpuMismatch, x));
      // Only a traceback out of the comparison, no verdict in it: the check failed, why is not shown.
      const unshown = !late && signals.every((x) => matches(compareCpuRaised, x));
      const raised = unshown ? sig.exception : undefined;
      const lateError = late ? (match(migrationCpuMismatch, sig)?.error ?? '') : '';
      const uriHost = late ? libvirtUri(lateError)?.host : undefined;
      const migration = findMigration(ctx, instance, late ? uriHost : refusing?.host);
      const dest =
        // A client's request asked for it (`--host`, the action's body `"host"`) where no compute's line was read.
        (late
          ? namedHost(migration?.destCompute, uriHost)
          : namedHost(refusing?.host, migration?.destCompute, sig.pasted?.destination, sig.host)) ?? 'the destination';
      // At a sentence's start: a host's own name as written, the phrase capitalised.
      const Dest = dest === 'the destination' ? 'The destination' : dest;
      const inst = instance ? ctx.ix.instance(instance) : undefined;
      const source = namedHost(
        late ? sig.host : undefined,
        migration?.sourceCompute,
        inst?.host !== dest ? inst?.host : undefined,
        related.find((e) => e.service === 'nova-compute' && e.host !== dest && namedHost(e.host))?.host,
      );

      const evidence: Evidence[] = [];
      const gaps: string[] = [];
      const api = related.find((e) => e.service === 'nova-api' && e.http?.method === 'POST');
      if (api) evidence.push(logEvidence(api));
      const libvirtErr = related.find((e) => e.host === dest && e.logger === 'nova.virt.libvirt.driver' && e.level === 'ERROR');
      if (libvirtErr) evidence.push(logEvidence(libvirtErr));
      for (const s of signals)
        evidence.push(
          logEvidence(
            s,
            `${s.host}: ${
              matches(compareCpuRaised, s)
                ? `a traceback out of ${compareFrame(s)}${s.exception ? ` raising ${s.exception.rawType}: ${firstLine(s.exception.message)}` : ', its exception not shown'}`
                : s.exception
                  ? `${s.exception.rawType}: ${firstLine(s.exception.message)}`
                  : `libvirt's CPU comparison: ${firstLine(s.message)}`
            }`,
          ),
        );
      const cond = related.filter((e) => e.service === 'nova-conductor' && (e.level === 'WARNING' || e.level === 'ERROR'));
      for (const c of cond) evidence.push(logEvidence(c));
      if (migration)
        evidence.push({
          text: `${migration.cellDb}.migrations: ${migration.uuid ?? migration.id} ${migration.migrationType} ${migration.sourceCompute} → ${migration.destCompute} status=${migration.status}`,
          source: migration.source,
        });
      else gaps.push('no migrations row was found (no dump, or the migration was not recorded): the migration uuid is unknown');

      // Source CPU: the database, else the destination's "Instance launched has CPU info" (the source's cpu_info as sent).
      let srcCpu = cpuOfHost(ctx, source);
      const launched = related.find((e) => e.host === dest && match(instanceLaunchedCpuInfo, e));
      if (!srcCpu && launched) {
        const info = parseCpuInfo(launched.message.slice(launched.message.indexOf('{')));
        if (info)
          srcCpu = {
            info,
            from: logEvidence(
              launched,
              `${dest} logged the source CPU it was asked to accept: ${info.model}, ${info.features.length} features`,
            ),
          };
      }
      const dstCpu = cpuOfHost(ctx, dest);
      if (srcCpu) evidence.push(srcCpu.from);
      if (dstCpu) evidence.push(dstCpu.from);
      const missing =
        srcCpu && dstCpu
          ? srcCpu.info.features.filter((f) => !dstCpu.info.features.includes(f)).sort()
          : late
            ? libvirtMissingFeatures(lateError)
            : undefined;
      if (unshown)
        gaps.push(
          raised
            ? `libvirt's own error (${raised.rawType}) is not a verdict on the CPUs: whether the guest's CPU needs what ${dest} lacks is not shown`
            : "the exception the CPU check raised is not in the lines read (the traceback's quote ends before it): InvalidCPUInfo would say the CPUs differ, libvirt's own error that the comparison itself failed",
        );
      if (late)
        gaps.push(
          "nova's CPU check on the destination did not refuse the move: libvirt failed it during the migration ([workarounds] skip_cpu_compare_on_dest, or a check that passed)",
        );
      if (!srcCpu)
        gaps.push(
          `the source host's CPU is not known (no compute_nodes.cpu_info${source ? ` for ${source}` : ''}, no virsh capabilities, no "Instance launched has CPU info" line)`,
        );
      if (!dstCpu)
        gaps.push(
          `${dest === 'the destination' ? "the destination's" : `the destination ${dest}'s`} CPU is not known (no compute_nodes.cpu_info, no virsh capabilities)`,
        );
      const srcConf = libvirtConf(ctx, source);
      const dstConf = libvirtConf(ctx, dest);
      if (!srcConf) gaps.push(`no nova.conf of ${source ?? 'the source'}: its [libvirt] cpu_mode is not known`);
      if (!dstConf) gaps.push(`no nova.conf of ${dest}: its [libvirt] cpu_mode is not known`);
      if (srcConf)
        evidence.push({
          text: `${source} nova.conf [libvirt] cpu_mode=${srcConf.cpuMode ?? '(default host-model)'}${srcConf.cpuModels?.length ? ` cpu_models=${srcConf.cpuModels.join(',')}` : ''}`,
          source: { host: source!, file: srcConf.path, line: 1 },
        });
      if (dstConf)
        evidence.push({
          text: `${dest} nova.conf [libvirt] cpu_mode=${dstConf.cpuMode ?? '(default host-model)'}${dstConf.cpuModels?.length ? ` cpu_models=${dstConf.cpuModels.join(',')}` : ''}`,
          source: { host: dest, file: dstConf.path, line: 1 },
        });

      // Both hosts report the same CPU and the destination has every feature of the source's: what refused is not a
      // feature either host lacks (nova compared the guest's own recorded CPU; nova-operator ships
      // skip_cpu_compare_on_dest for such refusals between identical hosts, nova bug 2039803).
      const hostsAgree =
        !late &&
        !!srcCpu &&
        !!dstCpu &&
        srcCpu.info.vendor === dstCpu.info.vendor &&
        srcCpu.info.model === dstCpu.info.model &&
        missing?.length === 0;
      // The guest's CPU as nova recorded it at boot: what the check compared when it names a model.
      const guest = instance ? ctx.ix.guestCpus.get(instance) : undefined;
      if (guest)
        evidence.push({
          text: `${guest.source.db}.instance_extra ${instance}: vcpu_model ${guest.mode ?? '(no mode)'} ${guest.model ?? '(no model)'}, ${guest.features.length} features required`,
          source: guest.source,
        });
      /** With the hosts agreeing, the guest's own features the destination lacks (its recorded CPU is what differs). */
      const guestMissing = hostsAgree && guest ? guest.features.filter((f) => !dstCpu!.info.features.includes(f)).sort() : undefined;
      if (hostsAgree && !guest)
        gaps.push(
          "the guest's CPU as nova recorded it (instance_extra.vcpu_model), which the check compared, is not read: it may hold features neither host lists (a guest booted on another host, or a host-model expansion)",
        );
      // A baseline both hosts run: the destination's model when the source has all its features.
      const dstSubset = srcCpu && dstCpu?.info.features.every((f) => srcCpu!.info.features.includes(f));
      const baseline = dstSubset ? dstCpu!.info.model : srcCpu && dstCpu ? undefined : dstCpu?.info.model;
      // cpu_models (a list) replaced cpu_model in Train.
      const modelOption = atLeast(ctx.ix.release, 'Train') === false ? 'cpu_model' : 'cpu_models';
      const remediation: Remediation[] = unshown
        ? unshownRemedies(source, dest)
        : hostsAgree
          ? agreeingHostsRemedies(ctx, source, dest, instance, !!guestMissing?.length)
          : [];
      if (!hostsAgree && !unshown) {
        remediation.push({
          command: `# on ${source ?? 'the source'} and ${dest}, in nova.conf:\n[libvirt]\ncpu_mode = custom\n${modelOption} = ${baseline ?? '<a CPU model both hosts support: see virsh domcapabilities>'}`,
          why: `guests started with cpu_mode ${srcConf?.cpuMode ?? 'host-model'} on ${source ?? 'the source'} carry its CPU${missing?.length ? ` (${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', …' : ''})` : ''}, which ${dest} cannot offer; a common custom model makes every guest runnable on both`,
        });
        remediation.push({
          command: `systemctl restart nova-compute   # or restart the nova_compute container, on both hosts`,
          why: 'nova reads [libvirt] at start',
        });
        if (instance) {
          remediation.push({
            command: `openstack server reboot --hard ${instance}`,
            why: 'a running guest keeps the CPU it booted with; a hard reboot (or a cold migration) gives it the new baseline, after which live migration works',
          });
          remediation.push({
            command: `openstack server migrate ${instance}   # cold migration, if it must move now`,
            why: "a cold migration restarts the guest on the destination with the destination's CPU, so the CPU check does not apply",
          });
        }
      }
      const isSignal = new Set(signals);
      const tl = timeline(ctx, related, (e) => isSignal.has(e), gaps);
      const { start, end } = span(tl);
      incidents.add({
        id: incidentId('cpu-incompatible-migration', key),
        kind: 'cpu-incompatible-migration',
        title: `Live migration ${instance ? `of ${inst?.displayName ? `${inst.displayName} ` : ''}(${short(instance)}) ` : ''}${source ? `${source} → ${dest} ` : dest === 'the destination' ? '' : `to ${dest} `}refused: ${unshown ? `CPU check failed (${raised ? raised.rawType : 'its error not shown'})` : hostsAgree ? "CPU check, though the hosts' CPUs agree" : `CPU incompatible${missing?.length ? ` (${missing.length} feature${missing.length > 1 ? 's' : ''} missing)` : ''}`}`,
        severity: 'error',
        instanceUuid: instance,
        requestIds: reqs,
        hosts: [...new Set([source, dest, ...tl.map((t) => t.host)].filter((h): h is string => !!h))],
        start,
        end,
        count: signals.length,
        cause: {
          code: unshown ? 'unknown' : hostsAgree ? 'cpu-check-hosts-agree' : 'cpu-incompatible',
          summary: unshown
            ? `${Dest} failed the live migration's CPU check: a traceback out of ${compareFrame(sig)}${raised ? ` raising ${raised.rawType}: ${firstLine(raised.message, 240)}` : ', its exception not shown'}. Whether the guest's CPU needs what ${dest} lacks is not told${missing?.length ? ` (the hosts' CPUs differ by ${missing.join(', ')})` : ''}.`
            : hostsAgree
              ? `${Dest} refused the live migration in its CPU check (${sig.exception?.type ?? 'libvirt found the CPUs incompatible'}), yet both hosts report the same CPU (${dstCpu!.info.vendor} ${dstCpu!.info.model}; every feature of ${source ?? 'the source'}'s is on ${dest}): what the check compared is the guest's own CPU, recorded when it booted, ${guest ? (guestMissing!.length ? `which needs ${guestMissing!.join(', ')}, not on ${dest}` : `${guest.model ?? 'no model'} with nothing ${dest} lacks by name`) : 'which these inputs do not show'}.`
              : late
                ? `libvirt on ${source} failed the live migration to ${dest} on the CPU: ${firstLine(lateError, 240)}. The guest's CPU${missing?.length ? ` needs ${missing.join(', ')}, which ${dest} lacks` : ' is one the destination cannot run'}.`
                : `${Dest} refused the live migration in its CPU check (${sig.exception ? `${sig.exception.type}${sig.exceptionChain?.some((x) => x.type === 'InvalidCPUInfo') && sig.exception.type !== 'InvalidCPUInfo' ? ' wrapping InvalidCPUInfo' : ''}` : 'libvirt found the CPUs incompatible'}): the guest's CPU${srcCpu ? `, ${srcCpu.info.model} from ${source ?? 'the source'},` : ''} needs ${missing?.length ? `features ${dest} lacks: ${missing.join(', ')}` : `a CPU ${dest} does not provide`}.`,
          details: {
            source,
            destination: dest,
            migrationUuid: migration?.uuid,
            requestId: sig.requestId,
            sourceCpu: srcCpu ? { model: srcCpu.info.model, vendor: srcCpu.info.vendor, features: srcCpu.info.features } : undefined,
            destinationCpu: dstCpu ? { model: dstCpu.info.model, vendor: dstCpu.info.vendor, features: dstCpu.info.features } : undefined,
            missingFeatures: guestMissing ?? missing,
            sourceCpuMode: srcConf?.cpuMode,
            destinationCpuMode: dstConf?.cpuMode,
            sourceCpuModels: srcConf?.cpuModels,
            destinationCpuModels: dstConf?.cpuModels,
            baselineModel: baseline,
          },
        },
        evidence,
        timeline: tl,
        remediation,
        gaps,
      });
    }
    return incidents.list();
  },
};
