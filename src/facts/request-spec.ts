import type { FlavorRequest } from '../model/db.js';

/**
 * `request_specs.spec`: a versioned-object JSON (`nova_object.data`) holding
 * the flavor. The resources placement is asked for follow
 * nova/scheduler/utils.py `resources_from_flavor`: VCPU, MEMORY_MB, DISK_GB
 * (root + ephemeral + swap rounded up to GB), overridden or extended by
 * `resources:<CLASS>` extra specs; `hw:cpu_policy=dedicated` asks PCPU (Train+).
 */

type Obj = Record<string, unknown>;

function data(o: unknown): Obj | undefined {
  if (!o || typeof o !== 'object') return undefined;
  const d = (o as Obj)['nova_object.data'];
  return (d && typeof d === 'object' ? d : o) as Obj;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v)
    ? v
    : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
      ? Number(v)
      : undefined;
}

export interface ParsedSpec {
  flavor?: FlavorRequest;
  numInstances?: number;
  forcedHost?: string;
  availabilityZone?: string;
}

export function parseRequestSpec(json: string): ParsedSpec | undefined {
  let root: unknown;
  try {
    root = JSON.parse(json);
  } catch {
    return undefined;
  }
  const d = data(root);
  if (!d) return undefined;
  const out: ParsedSpec = {};
  const f = data(d.flavor);
  if (f) {
    const extra = f.extra_specs && typeof f.extra_specs === 'object' ? (f.extra_specs as Record<string, string>) : undefined;
    out.flavor = {
      name: typeof f.name === 'string' ? f.name : undefined,
      vcpus: num(f.vcpus),
      memoryMb: num(f.memory_mb),
      rootGb: num(f.root_gb),
      ephemeralGb: num(f.ephemeral_gb),
      swapMb: num(f.swap),
      extraSpecs: extra,
    };
  }
  out.numInstances = num(d.num_instances);
  if (Array.isArray(d.force_hosts) && typeof d.force_hosts[0] === 'string') out.forcedHost = d.force_hosts[0];
  if (typeof d.availability_zone === 'string') out.availabilityZone = d.availability_zone;
  return out;
}

export function resourcesFromFlavor(f: FlavorRequest): Record<string, number> {
  const out: Record<string, number> = {};
  const extra = f.extraSpecs ?? {};
  const dedicated = extra['hw:cpu_policy'] === 'dedicated';
  if (f.vcpus !== undefined) out[dedicated ? 'PCPU' : 'VCPU'] = f.vcpus;
  if (f.memoryMb !== undefined) out.MEMORY_MB = f.memoryMb;
  const disk = (f.rootGb ?? 0) + (f.ephemeralGb ?? 0) + Math.ceil((f.swapMb ?? 0) / 1024);
  if (f.rootGb !== undefined || f.ephemeralGb !== undefined) out.DISK_GB = disk;
  for (const [k, v] of Object.entries(extra)) {
    const m = /^resources:([A-Z0-9_]+)$/.exec(k);
    if (!m) continue;
    const n = Number(v);
    if (!Number.isFinite(n)) continue;
    if (n === 0) delete out[m[1]];
    else out[m[1]] = n;
  }
  for (const k of Object.keys(out)) if (out[k] === 0) delete out[k];
  return out;
}
