import type { CpuInfo } from './db.js';

/** nova.conf's `[libvirt]` CPU settings. */
export interface LibvirtCpuConf {
  virtType?: string;
  cpuMode?: string;
  /** `cpu_models` (Train+) or the older `cpu_model`. */
  cpuModels?: string[];
  cpuModelExtraFlags?: string[];
  skipCpuCompareOnDest?: boolean;
}

/** One libvirt domain, from `virsh list --all` merged with its `dominfo`. */
export interface Domain {
  id?: number;
  name: string;
  state: string;
  uuid?: string;
  vcpus?: number;
  maxMemoryKiB?: number;
}

/** What a host's sosreport says besides its logs: nova.conf, libvirt's view. */
export interface HostFacts {
  name: string;
  /** `sos_commands/date/date`, as written. */
  sosDate?: string;
  novaConf: { path: string; libvirt: LibvirtCpuConf }[];
  /** `virsh list --all`, merged with each domain's `dominfo`. */
  domains: (Domain & { source: string })[];
  /** `virsh capabilities` host CPU. */
  cpu?: CpuInfo & { source: string };
}

/** Host names as logs and databases write them: `cmp01` and `cmp01.cloud.example` are one host. */
export function sameHost(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  return a === b || a.split('.')[0] === b.split('.')[0];
}
