import type { LibvirtCpuConf } from '../src/model/host.js';
/**
 * nova.conf (oslo.config INI): sections, `key = value`, `#`/`;` comments,
 * repeated keys (MultiStrOpt: last wins here, all kept). Values are kept as
 * written; secrets are the report's business (redaction), not the parser's.
 */

export type IniSections = Record<string, Record<string, string[]>>;

export class IniParser {
  readonly sections: IniSections = {};
  private current = 'DEFAULT';
  private lastKey: string | undefined;

  push(line: string): void {
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) {
      this.lastKey = undefined;
      return;
    }
    // oslo.config allows continuation lines indented under a value
    if (/^\s/.test(line) && this.lastKey) {
      const vals = this.sections[this.current][this.lastKey];
      vals[vals.length - 1] += `\n${t}`;
      return;
    }
    const sec = /^\[([^\]]+)\]$/.exec(t);
    if (sec) {
      this.current = sec[1].trim();
      this.sections[this.current] ??= {};
      this.lastKey = undefined;
      return;
    }
    const eq = t.search(/[=:]/);
    if (eq <= 0) return;
    const key = t.slice(0, eq).trim();
    const value = t.slice(eq + 1).trim();
    const sect = (this.sections[this.current] ??= {});
    (sect[key] ??= []).push(value);
    this.lastKey = key;
  }
}

/** The `[libvirt]` CPU options that decide live-migration compatibility (nova/conf/libvirt.py). */
export type { LibvirtCpuConf };

function last(s: IniSections, section: string, key: string): string | undefined {
  const v = s[section]?.[key];
  return v && v.length > 0 ? v[v.length - 1] : undefined;
}

function list(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const items = v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  return items.length > 0 ? items : [];
}

export function libvirtCpuConf(s: IniSections): LibvirtCpuConf {
  return {
    virtType: last(s, 'libvirt', 'virt_type'),
    cpuMode: last(s, 'libvirt', 'cpu_mode'),
    cpuModels: list(last(s, 'libvirt', 'cpu_models') ?? last(s, 'libvirt', 'cpu_model')),
    cpuModelExtraFlags: list(last(s, 'libvirt', 'cpu_model_extra_flags')),
    skipCpuCompareOnDest: last(s, 'workarounds', 'skip_cpu_compare_on_dest')?.toLowerCase() === 'true' || undefined,
  };
}
