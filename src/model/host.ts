import type { CpuInfo } from './db.js';
import type { LibvirtCpuConf } from '../../parsers/nova-conf.js';
import type { Domain } from '../../parsers/virsh.js';

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
