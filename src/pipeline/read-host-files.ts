import { fileCoverage, type FileCoverage } from '../model/coverage.js';
import type { HostFacts } from '../model/host.js';
import { LineSplitter } from '../../parsers/lines.js';
import { IniParser, libvirtCpuConf } from '../../parsers/nova-conf.js';
import { VirshCapabilitiesParser, VirshDominfoParser, VirshListParser } from '../../parsers/virsh.js';
import { openDecoded } from '../sources/decode.js';
import type { SourceFile } from '../sources/walk.js';

/** nova.conf, virsh output and sos's date file of one host → its HostFacts. Small files, read as lines all the same. */

export const HOST_FILE_ROLES: ReadonlySet<string> = new Set(['nova-conf', 'virsh-list', 'virsh-dominfo', 'virsh-capabilities', 'sos-date']);

export class HostFactsCollector {
  readonly hosts = new Map<string, HostFacts>();

  get(name: string): HostFacts {
    let h = this.hosts.get(name);
    if (!h) this.hosts.set(name, (h = { name, novaConf: [], domains: [] }));
    return h;
  }

  /** A host's files were first seen under a provisional name. */
  rename(from: string, to: string): void {
    const h = this.hosts.get(from);
    if (!h) return;
    this.hosts.delete(from);
    const into = this.get(to);
    into.novaConf.push(...h.novaConf);
    into.domains.push(...h.domains);
    into.cpu ??= h.cpu;
    into.sosDate ??= h.sosDate;
  }

  async read(file: SourceFile): Promise<FileCoverage> {
    const host = this.get(file.host);
    const opened = await openDecoded(file.stream);
    const lines: ((l: string) => void)[] = [];
    let done: () => void = () => {};
    switch (file.role.kind) {
      case 'nova-conf': {
        const p = new IniParser();
        lines.push((l) => p.push(l));
        done = () => host.novaConf.push({ path: file.displayPath, libvirt: libvirtCpuConf(p.sections) });
        break;
      }
      case 'virsh-list': {
        const p = new VirshListParser();
        lines.push((l) => p.push(l));
        done = () => {
          for (const d of p.domains) mergeDomain(host, { ...d, source: file.displayPath });
        };
        break;
      }
      case 'virsh-dominfo': {
        const p = new VirshDominfoParser();
        lines.push((l) => p.push(l));
        done = () => {
          const d = p.domain();
          if (d) mergeDomain(host, { ...d, source: file.displayPath });
        };
        break;
      }
      case 'virsh-capabilities': {
        const p = new VirshCapabilitiesParser();
        lines.push((l) => p.push(l));
        done = () => {
          const cpu = p.result();
          if (cpu) host.cpu = { ...cpu, source: file.displayPath };
        };
        break;
      }
      case 'sos-date': {
        let first = '';
        lines.push((l) => {
          if (!first && l.trim()) first = l.trim();
        });
        done = () => {
          host.sosDate = first;
        };
        break;
      }
    }
    const splitter = new LineSplitter((l) => {
      for (const f of lines) f(l);
    }, 1 << 16);
    for await (const c of opened.stream) splitter.push(c);
    splitter.end();
    done();
    return {
      ...fileCoverage({
        host: file.host,
        path: file.displayPath,
        role: file.role.kind,
        layout: file.role.layout,
        bytes: splitter.stats.bytes,
      }),
      lines: splitter.stats.lines,
      longLines: splitter.stats.longLines,
      invalidUtf8Lines: splitter.stats.invalidUtf8Lines,
      nulLines: splitter.stats.nulLines,
    };
  }
}

function mergeDomain(h: HostFacts, d: HostFacts['domains'][number]): void {
  const cur = h.domains.find((x) => x.name === d.name);
  if (!cur) h.domains.push(d);
  else Object.assign(cur, Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)));
}
