-- Schema for the dump fixtures (scripts/make-dump-fixtures.sh).
-- Column order follows docs section C of the nova/placement reference
-- (nova alembic baselines, nova_api Yoga+ build_requests, placement fresh
-- install); types approximate nova's MySQL types. fixture_types is not a nova
-- table: it holds the value types nova itself does not use (BLOB, BIT…).
-- Rows live in rows.json, the one source of truth shared with the tests.

CREATE DATABASE nova DEFAULT CHARACTER SET utf8mb4;
CREATE DATABASE nova_cell0 DEFAULT CHARACTER SET utf8mb4;
CREATE DATABASE nova_api DEFAULT CHARACTER SET utf8mb4;
CREATE DATABASE placement DEFAULT CHARACTER SET utf8mb4;

USE nova;

CREATE TABLE instances (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  deleted_at datetime DEFAULT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  internal_id int(11) DEFAULT NULL,
  user_id varchar(255) DEFAULT NULL,
  project_id varchar(255) DEFAULT NULL,
  image_ref varchar(255) DEFAULT NULL,
  kernel_id varchar(255) DEFAULT NULL,
  ramdisk_id varchar(255) DEFAULT NULL,
  launch_index int(11) DEFAULT NULL,
  key_name varchar(255) DEFAULT NULL,
  key_data mediumtext DEFAULT NULL,
  power_state int(11) DEFAULT NULL,
  vm_state varchar(255) DEFAULT NULL,
  memory_mb int(11) DEFAULT NULL,
  vcpus int(11) DEFAULT NULL,
  hostname varchar(255) DEFAULT NULL,
  host varchar(255) DEFAULT NULL,
  user_data mediumtext DEFAULT NULL,
  reservation_id varchar(255) DEFAULT NULL,
  launched_at datetime DEFAULT NULL,
  terminated_at datetime DEFAULT NULL,
  display_name varchar(255) DEFAULT NULL,
  display_description varchar(255) DEFAULT NULL,
  availability_zone varchar(255) DEFAULT NULL,
  locked tinyint(1) DEFAULT NULL,
  os_type varchar(255) DEFAULT NULL,
  launched_on mediumtext DEFAULT NULL,
  instance_type_id int(11) DEFAULT NULL,
  vm_mode varchar(255) DEFAULT NULL,
  uuid varchar(36) NOT NULL,
  architecture varchar(255) DEFAULT NULL,
  root_device_name varchar(255) DEFAULT NULL,
  access_ip_v4 varchar(39) DEFAULT NULL,
  access_ip_v6 varchar(39) DEFAULT NULL,
  config_drive varchar(255) DEFAULT NULL,
  task_state varchar(255) DEFAULT NULL,
  default_ephemeral_device varchar(255) DEFAULT NULL,
  default_swap_device varchar(255) DEFAULT NULL,
  progress int(11) DEFAULT NULL,
  auto_disk_config tinyint(1) DEFAULT NULL,
  shutdown_terminate tinyint(1) DEFAULT NULL,
  disable_terminate tinyint(1) DEFAULT NULL,
  root_gb int(11) DEFAULT NULL,
  ephemeral_gb int(11) DEFAULT NULL,
  cell_name varchar(255) DEFAULT NULL,
  node varchar(255) DEFAULT NULL,
  deleted int(11) DEFAULT NULL,
  locked_by enum('owner','admin') DEFAULT NULL,
  cleaned int(11) DEFAULT NULL,
  ephemeral_key_uuid varchar(36) DEFAULT NULL,
  hidden tinyint(1) DEFAULT NULL,
  compute_id bigint(20) DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_instances0uuid (uuid),
  KEY instances_host_node_deleted_idx (host,node,deleted)
) ENGINE=InnoDB;

CREATE TABLE compute_nodes (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  deleted_at datetime DEFAULT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  service_id int(11) DEFAULT NULL,
  vcpus int(11) NOT NULL,
  memory_mb int(11) NOT NULL,
  local_gb int(11) NOT NULL,
  vcpus_used int(11) NOT NULL,
  memory_mb_used int(11) NOT NULL,
  local_gb_used int(11) NOT NULL,
  hypervisor_type mediumtext NOT NULL,
  hypervisor_version int(11) NOT NULL,
  cpu_info mediumtext NOT NULL,
  disk_available_least int(11) DEFAULT NULL,
  free_ram_mb int(11) DEFAULT NULL,
  free_disk_gb int(11) DEFAULT NULL,
  current_workload int(11) DEFAULT NULL,
  running_vms int(11) DEFAULT NULL,
  hypervisor_hostname varchar(255) DEFAULT NULL,
  deleted int(11) DEFAULT NULL,
  host_ip varchar(39) DEFAULT NULL,
  supported_instances text DEFAULT NULL,
  pci_stats text DEFAULT NULL,
  metrics text DEFAULT NULL,
  extra_resources text DEFAULT NULL,
  stats text DEFAULT NULL,
  numa_topology text DEFAULT NULL,
  host varchar(255) DEFAULT NULL,
  ram_allocation_ratio float DEFAULT NULL,
  cpu_allocation_ratio float DEFAULT NULL,
  uuid varchar(36) DEFAULT NULL,
  disk_allocation_ratio float DEFAULT NULL,
  mapped int(11) DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY compute_nodes_uuid_idx (uuid)
) ENGINE=InnoDB;

CREATE TABLE services (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  deleted_at datetime DEFAULT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  host varchar(255) DEFAULT NULL,
  `binary` varchar(255) DEFAULT NULL,
  topic varchar(255) DEFAULT NULL,
  report_count int(11) NOT NULL,
  disabled tinyint(1) DEFAULT NULL,
  deleted int(11) DEFAULT NULL,
  disabled_reason varchar(255) DEFAULT NULL,
  last_seen_up datetime DEFAULT NULL,
  forced_down tinyint(1) DEFAULT NULL,
  version int(11) DEFAULT NULL,
  uuid varchar(36) DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_services0host0topic0deleted (host,topic,deleted)
) ENGINE=InnoDB;

CREATE TABLE migrations (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  deleted_at datetime DEFAULT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  source_compute varchar(255) DEFAULT NULL,
  dest_compute varchar(255) DEFAULT NULL,
  dest_host varchar(255) DEFAULT NULL,
  status varchar(255) DEFAULT NULL,
  instance_uuid varchar(36) DEFAULT NULL,
  old_instance_type_id int(11) DEFAULT NULL,
  new_instance_type_id int(11) DEFAULT NULL,
  source_node varchar(255) DEFAULT NULL,
  dest_node varchar(255) DEFAULT NULL,
  deleted int(11) DEFAULT NULL,
  migration_type enum('migration','resize','live-migration','evacuation') DEFAULT NULL,
  hidden tinyint(1) DEFAULT NULL,
  memory_total bigint(20) DEFAULT NULL,
  memory_processed bigint(20) DEFAULT NULL,
  memory_remaining bigint(20) DEFAULT NULL,
  disk_total bigint(20) DEFAULT NULL,
  disk_processed bigint(20) DEFAULT NULL,
  disk_remaining bigint(20) DEFAULT NULL,
  uuid varchar(36) DEFAULT NULL,
  cross_cell_move tinyint(1) DEFAULT NULL,
  user_id varchar(255) DEFAULT NULL,
  project_id varchar(255) DEFAULT NULL,
  dest_compute_id bigint(20) DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_migrations0uuid (uuid)
) ENGINE=InnoDB;

CREATE TABLE instance_faults (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  deleted_at datetime DEFAULT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  instance_uuid varchar(36) DEFAULT NULL,
  code int(11) NOT NULL,
  message varchar(255) DEFAULT NULL,
  details mediumtext DEFAULT NULL,
  host varchar(255) DEFAULT NULL,
  deleted int(11) DEFAULT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;

CREATE TABLE instance_actions (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  deleted_at datetime DEFAULT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  action varchar(255) DEFAULT NULL,
  instance_uuid varchar(36) DEFAULT NULL,
  request_id varchar(255) DEFAULT NULL,
  user_id varchar(255) DEFAULT NULL,
  project_id varchar(255) DEFAULT NULL,
  start_time datetime DEFAULT NULL,
  finish_time datetime DEFAULT NULL,
  message varchar(255) DEFAULT NULL,
  deleted int(11) DEFAULT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;

CREATE TABLE instance_actions_events (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  deleted_at datetime DEFAULT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  event varchar(255) DEFAULT NULL,
  action_id int(11) DEFAULT NULL,
  start_time datetime DEFAULT NULL,
  finish_time datetime DEFAULT NULL,
  result varchar(255) DEFAULT NULL,
  traceback text DEFAULT NULL,
  deleted int(11) DEFAULT NULL,
  host varchar(255) DEFAULT NULL,
  details text DEFAULT NULL,
  PRIMARY KEY (id),
  KEY action_id (action_id),
  CONSTRAINT instance_actions_events_ibfk_1 FOREIGN KEY (action_id) REFERENCES instance_actions (id)
) ENGINE=InnoDB;

-- The big unrelated table: a parse that only wants the tables above skips it.
CREATE TABLE instance_system_metadata (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  deleted_at datetime DEFAULT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  instance_uuid varchar(36) NOT NULL,
  `key` varchar(255) NOT NULL,
  value varchar(255) DEFAULT NULL,
  deleted int(11) DEFAULT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;

CREATE TABLE fixture_types (
  id int(11) NOT NULL,
  b blob DEFAULT NULL,
  vb varbinary(300) DEFAULT NULL,
  bt bit(12) DEFAULT NULL,
  b1 bit(1) DEFAULT NULL,
  f float DEFAULT NULL,
  d double DEFAULT NULL,
  dec1 decimal(20,5) DEFAULT NULL,
  big bigint(20) DEFAULT NULL,
  e enum('a','b') DEFAULT NULL,
  j json DEFAULT NULL,
  dt datetime(6) DEFAULT NULL,
  ts timestamp NULL DEFAULT NULL,
  tm time DEFAULT NULL,
  y year(4) DEFAULT NULL,
  dd date DEFAULT NULL,
  latin varchar(64) CHARACTER SET latin1 DEFAULT NULL,
  note varchar(255) DEFAULT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;

USE nova_cell0;
CREATE TABLE instances LIKE nova.instances;
CREATE TABLE compute_nodes LIKE nova.compute_nodes;
CREATE TABLE services LIKE nova.services;
CREATE TABLE migrations LIKE nova.migrations;
CREATE TABLE instance_faults LIKE nova.instance_faults;
CREATE TABLE instance_actions LIKE nova.instance_actions;
CREATE TABLE instance_actions_events LIKE nova.instance_actions_events;

USE nova_api;

CREATE TABLE cell_mappings (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  uuid varchar(36) NOT NULL,
  name varchar(255) DEFAULT NULL,
  transport_url text NOT NULL,
  database_connection text NOT NULL,
  disabled tinyint(1) DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_cell_mappings0uuid (uuid)
) ENGINE=InnoDB;

CREATE TABLE host_mappings (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  cell_id int(11) NOT NULL,
  host varchar(255) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_host_mappings0host (host),
  KEY cell_id (cell_id),
  CONSTRAINT host_mappings_ibfk_1 FOREIGN KEY (cell_id) REFERENCES cell_mappings (id)
) ENGINE=InnoDB;

CREATE TABLE instance_mappings (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  instance_uuid varchar(36) NOT NULL,
  cell_id int(11) DEFAULT NULL,
  project_id varchar(255) NOT NULL,
  queued_for_delete tinyint(1) DEFAULT NULL,
  user_id varchar(255) DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_instance_mappings0instance_uuid (instance_uuid),
  KEY cell_id (cell_id),
  CONSTRAINT instance_mappings_ibfk_1 FOREIGN KEY (cell_id) REFERENCES cell_mappings (id)
) ENGINE=InnoDB;

CREATE TABLE request_specs (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  instance_uuid varchar(36) NOT NULL,
  spec mediumtext NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_request_specs0instance_uuid (instance_uuid)
) ENGINE=InnoDB;

CREATE TABLE build_requests (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  project_id varchar(255) NOT NULL,
  instance_uuid varchar(36) DEFAULT NULL,
  instance mediumtext DEFAULT NULL,
  block_device_mappings mediumtext DEFAULT NULL,
  tags text DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_build_requests0instance_uuid (instance_uuid)
) ENGINE=InnoDB;

CREATE TABLE flavors (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  name varchar(255) NOT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  memory_mb int(11) NOT NULL,
  vcpus int(11) NOT NULL,
  swap int(11) NOT NULL,
  vcpu_weight int(11) DEFAULT NULL,
  flavorid varchar(255) NOT NULL,
  rxtx_factor float DEFAULT NULL,
  root_gb int(11) DEFAULT NULL,
  ephemeral_gb int(11) DEFAULT NULL,
  disabled tinyint(1) DEFAULT NULL,
  is_public tinyint(1) DEFAULT NULL,
  description text DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_flavors0flavorid (flavorid),
  UNIQUE KEY uniq_flavors0name (name)
) ENGINE=InnoDB;

USE placement;

CREATE TABLE resource_providers (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  uuid varchar(36) NOT NULL,
  name varchar(200) DEFAULT NULL,
  generation int(11) DEFAULT NULL,
  root_provider_id int(11) DEFAULT NULL,
  parent_provider_id int(11) DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_resource_providers0uuid (uuid)
) ENGINE=InnoDB;

CREATE TABLE inventories (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  resource_provider_id int(11) NOT NULL,
  resource_class_id int(11) NOT NULL,
  total int(11) NOT NULL,
  reserved int(11) NOT NULL,
  min_unit int(11) NOT NULL,
  max_unit int(11) NOT NULL,
  step_size int(11) NOT NULL,
  allocation_ratio float NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_inventories0resource_provider_resource_class (resource_provider_id,resource_class_id)
) ENGINE=InnoDB;

CREATE TABLE allocations (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  resource_provider_id int(11) NOT NULL,
  consumer_id varchar(36) NOT NULL,
  resource_class_id int(11) NOT NULL,
  used int(11) NOT NULL,
  PRIMARY KEY (id),
  KEY allocations_consumer_id_idx (consumer_id)
) ENGINE=InnoDB;

CREATE TABLE consumers (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  uuid varchar(36) NOT NULL,
  project_id int(11) NOT NULL,
  user_id int(11) NOT NULL,
  generation int(11) NOT NULL DEFAULT 0,
  consumer_type_id int(11) DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_consumers0uuid (uuid)
) ENGINE=InnoDB;

CREATE TABLE projects (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  external_id varchar(255) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_projects0external_id (external_id)
) ENGINE=InnoDB;

CREATE TABLE users (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  external_id varchar(255) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_users0external_id (external_id)
) ENGINE=InnoDB;

CREATE TABLE resource_classes (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  name varchar(255) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_resource_classes0name (name)
) ENGINE=InnoDB;

CREATE TABLE traits (
  created_at datetime DEFAULT NULL,
  updated_at datetime DEFAULT NULL,
  id int(11) NOT NULL AUTO_INCREMENT,
  name varchar(255) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_traits0name (name)
) ENGINE=InnoDB;
