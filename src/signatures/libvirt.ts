import { exceptionOfText, startsAsMessage } from '../../parsers/exception-text.js';
import type { Event } from '../model/event.js';
import { framesOf } from './compute-failure.js';
import { matches, type Signature } from './signature.js';

/** The destination's CPU check of a live migration (nova/virt/libvirt/driver.py). */

/** The catalogue id of libvirt driver's verdict "CPU doesn't have compatibility." and its translations. */
export const CPU_VERDICT = 'libvirt-cpu-incompatible';

export const invalidCpuInfo: Signature = {
  id: 'libvirt.invalid-cpu-info',
  description: "The destination's CPU check refused the guest's CPU: InvalidCPUInfo, alone or wrapped in the pre-check's error.",
  source: 'nova/virt/libvirt/driver.py _compare_cpu (every release)',
  chainExceptions: ['InvalidCPUInfo'],
  samples: [
    {
      line: "2024-10-02 13:00:05.330 7 ERROR oslo_messaging.rpc.server [None req-ef473b6c-43d7-42e9-8c06-8127842c2d3c 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - default default] Exception during message handling: nova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU info: CPU doesn't have compatibility.",
      more: [
        '2024-10-02 13:00:05.330 7 ERROR oslo_messaging.rpc.server Traceback (most recent call last):',
        "2024-10-02 13:00:05.330 7 ERROR oslo_messaging.rpc.server nova.exception.InvalidCPUInfo: Unacceptable CPU info: CPU doesn't have compatibility.",
      ],
      seen: 'generated: samples/antelope-kolla cmp02 nova-compute.log (seed 002 situation; the real seed line sits in a table without its timestamp)',
    },
  ],
};

/**
 * libvirt's own CPU errors (src/cpu/cpu_x86.c, src/qemu/qemu_domain.c): libvirt's English messages, the way
 * libvirt-python hands them to nova-compute (its locale is C in every packaging seen).
 */
const LIBVIRT_CPU_ERRORS =
  /guest CPU doesn't match specification|the CPU is incompatible with host CPU|[Uu]nknown CPU feature|does not provide required features/;

/**
 * A live migration libvirt failed on the CPU, late: nova's own check on the destination did not stop it
 * (skip_cpu_compare_on_dest, or a check that passed on a CPU model libvirt then could not run).
 */
export const migrationCpuMismatch: Signature = {
  id: 'libvirt.migration-cpu-mismatch',
  description:
    "The source's libvirt failed the live migration on the CPU (missing features, an unknown feature): the destination cannot run the guest's CPU.",
  source: 'nova/virt/libvirt/driver.py _live_migration_operation, with libvirt src/cpu/cpu_x86.c messages (every release)',
  loggers: ['nova.virt.libvirt.driver'],
  levels: ['ERROR', 'WARNING'],
  // Kilo–Liberty first tried migrateToURI2 and, when libvirt refused its configuration, warned and fell back to the
  // legacy call, which meets the same CPU (the WARNING is the refusal; the legacy call's failure may not be pasted).
  pattern:
    /^(?:Live Migration failure: |An error occurred trying to live migrate\. Falling back to legacy live migrate flow\. Error: )(?<error>.*)$/s,
  where: (e) => LIBVIRT_CPU_ERRORS.test(e.message),
  samples: [
    {
      line: 'WARNING nova.virt.libvirt.driver An error occurred trying to live migrate. Falling back to legacy live migrate flow. Error: unsupported configuration: guest and host CPU are not compatible: Host CPU does not provide required features: pdpe1gb, aes, pcid, smx, pclmul',
      seen: "test/corpus/real/ask-openstack-78595 (Kilo, 2015): the compute's line as the question quotes it, without time or pid",
      pasted: true,
      fields: {
        error:
          'unsupported configuration: guest and host CPU are not compatible: Host CPU does not provide required features: pdpe1gb, aes, pcid, smx, pclmul',
      },
    },
  ],
};

/** `missing features: a,b,c` in libvirt's error, or the unknown feature it names. */
export function libvirtMissingFeatures(error: string): string[] | undefined {
  const list = /(?:missing|does not provide required) features: ([\w.-]+(?:, ?[\w.-]+)*)/.exec(error)?.[1];
  if (list) return list.split(/, ?/).filter(Boolean).sort();
  const unknown = /[Uu]nknown CPU feature:? (\S+)/.exec(error)?.[1];
  return unknown ? [unknown] : undefined;
}

export const libvirtCpuVerdict: Signature = {
  id: 'libvirt.cpu-verdict',
  description: "The libvirt driver's own ERROR verdict before it raises, in any language nova shipped.",
  source: 'nova/virt/libvirt/driver.py _compare_cpu (every release)',
  loggers: ['nova.virt.libvirt.driver'],
  levels: ['ERROR'],
  where: (e) => !e.exception && startsAsMessage(e.message, CPU_VERDICT),
  samples: [
    {
      line: "2024-10-02 13:00:05.320 7 ERROR nova.virt.libvirt.driver [None req-ef473b6c-43d7-42e9-8c06-8127842c2d3c 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - default default] CPU doesn't have compatibility.",
      seen: 'generated: samples/antelope-kolla cmp02 nova-compute.log',
    },
  ],
};

/**
 * A pre-check refused for the CPU: the traceback passes through _compare_cpu,
 * or (a journal line, an excerpt) the reason is InvalidCPUInfo's message or the
 * driver's verdict, in any language nova shipped.
 */
function preCheckIsCpu(e: Event): boolean {
  if (e.traceback?.some((l) => /\b_compare_cpu\b|InvalidCPUInfo/.test(l))) return true;
  return isCpuRefusalText(e.exception?.message ?? '');
}

/** The text (an exception's message, the conductor's refusal) is a refusal for the CPU: InvalidCPUInfo, or a pre-check whose reason is it. */
export function isCpuRefusalText(text: string): boolean {
  if (exceptionOfText(text, ['InvalidCPUInfo'])) return true;
  const reason = exceptionOfText(text, ['MigrationPreCheckError'])?.fields.reason;
  return reason !== undefined && (exceptionOfText(reason, ['InvalidCPUInfo']) !== undefined || startsAsMessage(reason, CPU_VERDICT));
}

export const preCheckCpu: Signature = {
  id: 'compute.precheck-cpu',
  description: "A live migration's pre-check failed for the CPU (MigrationPreCheckError whose reason is the CPU check).",
  source: 'nova/compute/manager.py check_can_live_migrate_destination (Ussuri+ wraps InvalidCPUInfo)',
  exceptions: ['MigrationPreCheckError'],
  where: preCheckIsCpu,
  samples: [
    {
      line: "Jul 31 15:17:34 edpm-compute-0 nova_compute[354378]: 2025-07-31 15:17:34.056 2 ERROR oslo_messaging.rpc.server nova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU info: CPU doesn't >",
      seen: 'corpus bug-report-excerpts/openstack-k8s-operators__nova-operator__pr1001.journal.log (EDPM, 2025; cut by the terminal)',
    },
  ],
};

/**
 * Where nova asks libvirt to compare CPUs, in a live migration's check on the destination: nova's own
 * `_compare_cpu`, the host's wrapper (Stein+ `compare_cpu`, Xena+ `compare_hypervisor_cpu`) and
 * libvirt-python's calls. Nothing else in nova calls them.
 */
const COMPARE_FRAMES = ['_compare_cpu', 'compare_cpu', 'compare_hypervisor_cpu', 'compareCPU', 'compareHypervisorCPU'];

/**
 * A traceback out of the destination's CPU check whose exception says nothing of a verdict: its line cut
 * from the quote, or libvirt's own error (an XML or driver error, raised through before Ussuri). The
 * live migration's pre-check failed there; why is not shown (the detector's `unknown` cause).
 */
export const compareCpuRaised: Signature = {
  id: 'libvirt.compare-cpu-raised',
  description:
    "A traceback out of the destination's CPU comparison (nova's _compare_cpu, libvirt's compareCPU) whose exception is not shown or is libvirt's own error, not a verdict: the live migration's CPU check failed, why is not told.",
  source: 'nova/virt/libvirt/driver.py _compare_cpu, nova/virt/libvirt/host.py compare_cpu (every release)',
  levels: ['ERROR', 'TRACE'],
  where: (e) => (!e.exception || e.exception.type === 'libvirtError') && framesOf(e).some((f) => COMPARE_FRAMES.includes(f)),
  samples: [
    {
      line: '2014-11-12 18:14:33.353 31086 TRACE oslo.messaging.rpc.dispatcher result = proxy_call(self._autowrap, f, *args, **kwargs)',
      more: [
        '2014-11-12 18:14:33.353 31086 TRACE oslo.messaging.rpc.dispatcher File "/usr/lib/python2.6/site-packages/eventlet/tpool.py", line 80, in tworker',
        '2014-11-12 18:14:33.353 31086 TRACE oslo.messaging.rpc.dispatcher rv = meth(*args, **kwargs)',
        '2014-11-12 18:14:33.353 31086 TRACE oslo.messaging.rpc.dispatcher File "/usr/lib64/python2.6/site-packages/libvirt.py", line 2878, in compareCPU',
        "2014-11-12 18:14:33.353 31086 TRACE oslo.messaging.rpc.dispatcher if ret == -1: raise libvirtError ('virConnectCompareCPU() failed', conn=self)",
      ],
      seen: 'test/corpus/real/e-com-net-4970365-compare-cpu-live-migrate (Icehouse or Juno, 2014: the quote ends before the exception line)',
    },
  ],
};

export const instanceLaunchedCpuInfo: Signature = {
  id: 'libvirt.launched-cpu-info',
  description: "The destination logs the source CPU it is asked to accept (the guest's CPU, as cpu_info JSON).",
  source: 'nova/virt/libvirt/driver.py check_can_live_migrate_destination (every release)',
  loggers: ['nova.virt.libvirt.driver'],
  levels: ['INFO', 'AUDIT', 'WARNING', 'ERROR', 'CRITICAL'],
  pattern: /^Instance launched has CPU info: \{/,
  samples: [
    {
      line: '2015-10-29 10:52:54.338 29022 INFO nova.virt.libvirt.driver [req-5f2adc28-1772-480e-a35c-c12ec08b94d7 None] Instance launched has CPU info: {"vendor": "Intel", "model": "core2duo", "arch": "x86_64", "features": ["pge", "clflush", "sep", "syscall", "vme", "dtes64", "tsc", "vmx", "xtpr", "cmov", "ssse3", "est", "pat", "monitor", "lm", "msr", "nx", "fxsr", "tm", "pae", "acpi", "de", "mmx", "cx8", "mce", "mtrr", "ht", "pse", "lahf_lm", "pdcm", "mca", "apic", "sse", "ds", "invtsc", "pni", "tm2", "sse2", "ss", "pbe", "fpu", "cx16", "pse36", "ds_cpl", "movbe"], "topology": {"cores": 2, "threads": 2, "sockets": 1}}',
      seen: 'corpus os-log-merger/debug-live-migration hp-ms-01-c29 nova-compute.log line 508 (Kilo)',
    },
  ],
};

/**
 * The signatures of a live migration's CPU refusal: the exception, or the driver's own verdict where none
 * was read, libvirt failing the migration itself on the CPU, and a traceback out of the comparison that shows
 * no verdict. The cpu-incompatible-migration detector reports these moves; no other detector claims them.
 */
export const CPU_REFUSALS: readonly Signature[] = [invalidCpuInfo, libvirtCpuVerdict, preCheckCpu, migrationCpuMismatch, compareCpuRaised];

/** A line that is a live migration's CPU refusal (CPU_REFUSALS). */
export function isCpuRefusal(e: Event): boolean {
  return CPU_REFUSALS.some((s) => matches(s, e));
}
