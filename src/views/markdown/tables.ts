import type { ClassFit, Incident } from '../../model/incident.js';
import { cell } from './escape.js';

/** The figures tables of capacity and CPU incidents, from the cause's details. */

function n(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

/** `████████░░ 84%`: the share of capacity used, as text that survives any renderer. */
export function bar(used: number, capacity: number, width = 10): string {
  if (capacity <= 0) return '-';
  const share = used / capacity;
  const full = Math.min(width, Math.round(share * width));
  return `${'█'.repeat(full)}${'░'.repeat(width - full)} ${Math.round(share * 100)}%${share > 1 ? ' OVER' : ''}`;
}

export function providerTable(i: Incident): string[] {
  const providers = (i.cause.details.providers ?? []) as { name?: string; uuid: string; fits: boolean; classes: ClassFit[] }[];
  if (providers.length === 0) return [];
  const out = [
    '| provider | class | requested | capacity | used | of which orphan / doubled | headroom | max_unit | usage | fits |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const p of providers) {
    for (const c of p.classes) {
      out.push(
        `| ${cell(p.name ?? p.uuid)} | ${c.resourceClass} | ${c.requested} | ${n(c.capacity)} | ${c.used} | ${c.orphanUsed ? `${c.orphanUsed} / ${c.doubledUsed}` : '-'} | ${n(c.headroom)} | ${c.maxUnit} | ${bar(c.used, c.capacity)} | ${c.fits ? 'yes' : `no (${c.reason})`} |`,
      );
    }
  }
  out.push(
    '',
    '_capacity = (total − reserved) × allocation_ratio; a request also needs amount ≤ max_unit, which allocation_ratio does not raise._',
  );
  return out;
}

export function cpuTable(i: Incident): string[] {
  const d = i.cause.details as {
    source?: string;
    destination?: string;
    sourceCpu?: { model?: string; vendor?: string; features: string[] };
    destinationCpu?: { model?: string; vendor?: string; features: string[] };
    missingFeatures?: string[];
    sourceCpuMode?: string;
    destinationCpuMode?: string;
    sourceCpuModels?: string[];
    destinationCpuModels?: string[];
  };
  // host names and CPU names come from the inputs: a `|` in one must not open a column
  const out = [`| | source: ${cell(d.source ?? '?')} | destination: ${cell(d.destination ?? '?')} |`, '|---|---|---|'];
  out.push(`| CPU model | ${cell(d.sourceCpu?.model ?? '?')} | ${cell(d.destinationCpu?.model ?? '?')} |`);
  out.push(`| vendor | ${cell(d.sourceCpu?.vendor ?? '?')} | ${cell(d.destinationCpu?.vendor ?? '?')} |`);
  out.push(`| features | ${d.sourceCpu?.features.length ?? '?'} | ${d.destinationCpu?.features.length ?? '?'} |`);
  out.push(`| [libvirt] cpu_mode | ${d.sourceCpuMode ?? '?'} | ${d.destinationCpuMode ?? '?'} |`);
  out.push(`| [libvirt] cpu_models | ${d.sourceCpuModels?.join(', ') || '-'} | ${d.destinationCpuModels?.join(', ') || '-'} |`);
  if (d.missingFeatures?.length) out.push('', `Features the destination lacks: ${d.missingFeatures.map((f) => `\`${f}\``).join(', ')}.`);
  return out;
}
