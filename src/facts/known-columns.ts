/**
 * Column orders of the tables nova-forensics reads, as the real schemas
 * create them (nova's alembic baselines, placement's initial revision;
 * ../shared/docs/nova-placement-reference.md section C). Used to read the
 * INSERTs of a tailed dump whose CREATE TABLE was cut off, and by the sample
 * builder to create its databases.
 */

const CELL_TABLES: Record<string, string[]> = {
  instances: ['created_at', 'updated_at', 'deleted_at', 'id', 'internal_id', 'user_id', 'project_id', 'image_ref', 'kernel_id', 'ramdisk_id', 'launch_index', 'key_name', 'key_data', 'power_state', 'vm_state', 'memory_mb', 'vcpus', 'hostname', 'host', 'user_data', 'reservation_id', 'launched_at', 'terminated_at', 'display_name', 'display_description', 'availability_zone', 'locked', 'os_type', 'launched_on', 'instance_type_id', 'vm_mode', 'uuid', 'architecture', 'root_device_name', 'access_ip_v4', 'access_ip_v6', 'config_drive', 'task_state', 'default_ephemeral_device', 'default_swap_device', 'progress', 'auto_disk_config', 'shutdown_terminate', 'disable_terminate', 'root_gb', 'ephemeral_gb', 'cell_name', 'node', 'deleted', 'locked_by', 'cleaned', 'ephemeral_key_uuid', 'hidden', 'compute_id'],
  compute_nodes: ['created_at', 'updated_at', 'deleted_at', 'id', 'service_id', 'vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used', 'local_gb_used', 'hypervisor_type', 'hypervisor_version', 'cpu_info', 'disk_available_least', 'free_ram_mb', 'free_disk_gb', 'current_workload', 'running_vms', 'hypervisor_hostname', 'deleted', 'host_ip', 'supported_instances', 'pci_stats', 'metrics', 'extra_resources', 'stats', 'numa_topology', 'host', 'ram_allocation_ratio', 'cpu_allocation_ratio', 'uuid', 'disk_allocation_ratio', 'mapped'],
  services: ['created_at', 'updated_at', 'deleted_at', 'id', 'host', 'binary', 'topic', 'report_count', 'disabled', 'deleted', 'disabled_reason', 'last_seen_up', 'forced_down', 'version', 'uuid'],
  migrations: ['created_at', 'updated_at', 'deleted_at', 'id', 'source_compute', 'dest_compute', 'dest_host', 'status', 'instance_uuid', 'old_instance_type_id', 'new_instance_type_id', 'source_node', 'dest_node', 'deleted', 'migration_type', 'hidden', 'memory_total', 'memory_processed', 'memory_remaining', 'disk_total', 'disk_processed', 'disk_remaining', 'uuid', 'cross_cell_move', 'user_id', 'project_id', 'dest_compute_id'],
  instance_faults: ['created_at', 'updated_at', 'deleted_at', 'id', 'instance_uuid', 'code', 'message', 'details', 'host', 'deleted'],
  instance_actions: ['created_at', 'updated_at', 'deleted_at', 'id', 'action', 'instance_uuid', 'request_id', 'user_id', 'project_id', 'start_time', 'finish_time', 'message', 'deleted'],
  instance_actions_events: ['created_at', 'updated_at', 'deleted_at', 'id', 'event', 'action_id', 'start_time', 'finish_time', 'result', 'traceback', 'deleted', 'host', 'details'],
};

export const KNOWN_COLUMNS: Record<string, Record<string, string[]>> = {
  nova: CELL_TABLES,
  nova_cell0: CELL_TABLES,
  nova_api: {
    cell_mappings: ['created_at', 'updated_at', 'id', 'uuid', 'name', 'transport_url', 'database_connection', 'disabled'],
    host_mappings: ['created_at', 'updated_at', 'id', 'cell_id', 'host'],
    instance_mappings: ['created_at', 'updated_at', 'id', 'instance_uuid', 'cell_id', 'project_id', 'queued_for_delete', 'user_id'],
    request_specs: ['created_at', 'updated_at', 'id', 'instance_uuid', 'spec'],
    build_requests: ['created_at', 'updated_at', 'id', 'project_id', 'instance_uuid', 'instance', 'block_device_mappings', 'tags'],
    flavors: ['created_at', 'updated_at', 'name', 'id', 'memory_mb', 'vcpus', 'swap', 'vcpu_weight', 'flavorid', 'rxtx_factor', 'root_gb', 'ephemeral_gb', 'disabled', 'is_public', 'description'],
  },
  placement: {
    resource_providers: ['created_at', 'updated_at', 'id', 'uuid', 'name', 'generation', 'root_provider_id', 'parent_provider_id'],
    inventories: ['created_at', 'updated_at', 'id', 'resource_provider_id', 'resource_class_id', 'total', 'reserved', 'min_unit', 'max_unit', 'step_size', 'allocation_ratio'],
    allocations: ['created_at', 'updated_at', 'id', 'resource_provider_id', 'consumer_id', 'resource_class_id', 'used'],
    consumers: ['created_at', 'updated_at', 'id', 'uuid', 'project_id', 'user_id', 'generation', 'consumer_type_id'],
    consumer_types: ['created_at', 'updated_at', 'id', 'name'],
    projects: ['created_at', 'updated_at', 'id', 'external_id'],
    users: ['created_at', 'updated_at', 'id', 'external_id'],
    resource_classes: ['created_at', 'updated_at', 'id', 'name'],
    traits: ['created_at', 'updated_at', 'id', 'name'],
  },
};

/** Pike–Rocky: placement tables in nova_api, resource_providers with can_host. */
export const NOVA_API_PLACEMENT_COLUMNS: Record<string, string[]> = {
  resource_providers: ['created_at', 'updated_at', 'id', 'uuid', 'name', 'generation', 'can_host', 'root_provider_id', 'parent_provider_id'],
  inventories: KNOWN_COLUMNS.placement.inventories,
  allocations: KNOWN_COLUMNS.placement.allocations,
  consumers: ['created_at', 'updated_at', 'id', 'uuid', 'project_id', 'user_id', 'generation'],
  resource_classes: ['id', 'name', 'created_at', 'updated_at'],
};

/** Best guess of a table's columns when the dump lost its CREATE TABLE. */
export function knownColumns(db: string, table: string): string[] | undefined {
  if (db === 'nova_api' && NOVA_API_PLACEMENT_COLUMNS[table]) return NOVA_API_PLACEMENT_COLUMNS[table];
  for (const group of [KNOWN_COLUMNS[db], KNOWN_COLUMNS.nova, KNOWN_COLUMNS.nova_api, KNOWN_COLUMNS.placement]) {
    if (group?.[table]) return group[table];
  }
  return undefined;
}
