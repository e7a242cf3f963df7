import type { CpuInfo } from '../src/model/db.js';
import type { Domain } from '../src/model/host.js';

/**
 * sos's libvirt plugin output: `virsh -r list --all` (a table),
 * `virsh -r dominfo <dom>` (`Key: value` lines) and `virsh -r capabilities`
 * (the host `<cpu>` element is all we read). Each parser takes lines.
 */

export type { Domain };

export class VirshListParser {
  readonly domains: Domain[] = [];
  private seenHeader = false;

  push(line: string): void {
    if (/^\s*Id\s+Name\s+State/.test(line)) {
      this.seenHeader = true;
      return;
    }
    if (!this.seenHeader || /^[\s-]*$/.test(line)) return;
    const m = /^\s*(\d+|-)\s+(\S+)\s+(.+?)\s*$/.exec(line);
    if (m) this.domains.push({ id: m[1] === '-' ? undefined : Number(m[1]), name: m[2], state: m[3] });
  }
}

export class VirshDominfoParser {
  private readonly fields = new Map<string, string>();

  push(line: string): void {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) this.fields.set(m[1].trim(), m[2].trim());
  }

  domain(): Domain | undefined {
    const name = this.fields.get('Name');
    if (!name) return undefined;
    const id = this.fields.get('Id');
    const cpus = this.fields.get('CPU(s)');
    const mem = /^(\d+)/.exec(this.fields.get('Max memory') ?? '');
    return {
      name,
      id: id && id !== '-' ? Number(id) : undefined,
      state: this.fields.get('State') ?? 'unknown',
      uuid: this.fields.get('UUID'),
      vcpus: cpus ? Number(cpus) : undefined,
      maxMemoryKiB: mem ? Number(mem[1]) : undefined,
    };
  }
}

/** Reads the `<host><cpu>` of capabilities XML line by line; guest and NUMA sections are ignored. */
export class VirshCapabilitiesParser {
  private inHost = false;
  private inCpu = false;
  private readonly cpu: CpuInfo = { features: [] };
  private found = false;

  push(line: string): void {
    const t = line.trim();
    if (t.startsWith('<host>')) this.inHost = true;
    else if (t.startsWith('</host>')) this.inHost = false;
    if (!this.inHost) return;
    if (t.startsWith('<cpu>') || t === '<cpu>') {
      this.inCpu = true;
      this.found = true;
      return;
    }
    if (t.startsWith('</cpu>')) {
      this.inCpu = false;
      return;
    }
    if (!this.inCpu) return;
    let m = /^<(arch|model|vendor)[^>]*>([^<]*)<\/\1>/.exec(t);
    if (m) {
      this.cpu[m[1] as 'arch' | 'model' | 'vendor'] = m[2].trim();
      return;
    }
    m = /^<feature\b[^>]*name=['"]([^'"]+)['"]/.exec(t);
    if (m && !/policy=['"]disable['"]/.test(t)) {
      this.cpu.features.push(m[1]);
      return;
    }
    m = /^<topology\b/.exec(t);
    if (m) {
      const attr = (k: string): number | undefined => {
        const a = new RegExp(`${k}=['"](\\d+)['"]`).exec(t);
        return a ? Number(a[1]) : undefined;
      };
      this.cpu.topology = { sockets: attr('sockets'), cores: attr('cores'), threads: attr('threads') };
    }
  }

  result(): CpuInfo | undefined {
    return this.found ? this.cpu : undefined;
  }
}
