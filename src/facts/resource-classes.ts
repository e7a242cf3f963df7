/**
 * Standard resource classes by id: the index in os_resource_classes.STANDARDS.
 * Pike–Rocky databases held only custom classes (ids ≥ 10000) in
 * `resource_classes`; Stein+ also insert these rows, with the same ids.
 */
export const STANDARD_RESOURCE_CLASSES: readonly string[] = [
  'VCPU',
  'MEMORY_MB',
  'DISK_GB',
  'PCI_DEVICE',
  'SRIOV_NET_VF',
  'NUMA_SOCKET',
  'NUMA_CORE',
  'NUMA_THREAD',
  'NUMA_MEMORY_MB',
  'IPV4_ADDRESS',
  'VGPU',
  'VGPU_DISPLAY_HEAD',
  'NET_BW_EGR_KILOBIT_PER_SEC',
  'NET_BW_IGR_KILOBIT_PER_SEC',
  'PCPU',
  'MEM_ENCRYPTION_CONTEXT',
  'FPGA',
  'PGPU',
  'NET_PACKET_RATE_KILOPACKET_PER_SEC',
  'NET_PACKET_RATE_EGR_KILOPACKET_PER_SEC',
  'NET_PACKET_RATE_IGR_KILOPACKET_PER_SEC',
];

export function resourceClassName(id: number, custom: ReadonlyMap<number, string>): string {
  return custom.get(id) ?? STANDARD_RESOURCE_CLASSES[id] ?? `RESOURCE_CLASS_${id}`;
}
