-- Virtual machines (issue 12, server side): what a VM was deployed with, its power state as its host
-- reports it, and an update counter for optimistic state moves (UPDATE … WHERE state = ? AND
-- update_count = ?, as CloudStack does). One ALTER per column so a half-applied step re-runs cleanly.
ALTER TABLE vm_instance ADD COLUMN service_offering_id BIGINT UNSIGNED NULL;
ALTER TABLE vm_instance ADD COLUMN template_id BIGINT UNSIGNED NULL;
-- the template's ostypeid as stored there (rbdstack has no guest OS table)
ALTER TABLE vm_instance ADD COLUMN guest_os_uuid VARCHAR(40) NULL;
ALTER TABLE vm_instance ADD COLUMN display_vm TINYINT(1) NOT NULL DEFAULT 1;
ALTER TABLE vm_instance ADD COLUMN ha_enabled TINYINT(1) NOT NULL DEFAULT 0;
-- PowerOn, PowerOff or PowerReportMissing (the host is not reporting)
ALTER TABLE vm_instance ADD COLUMN power_state VARCHAR(32) NOT NULL DEFAULT 'PowerOff';
ALTER TABLE vm_instance ADD COLUMN power_state_update_time DATETIME NULL;
-- why the VM is in its state (a failed start's error, an out-of-band stop)
ALTER TABLE vm_instance ADD COLUMN state_reason VARCHAR(1024) NULL;
ALTER TABLE vm_instance ADD COLUMN update_count BIGINT UNSIGNED NOT NULL DEFAULT 0;
ALTER TABLE vm_instance ADD CONSTRAINT fk_vm_instance_service_offering FOREIGN KEY (service_offering_id)
  REFERENCES service_offering (id);
ALTER TABLE vm_instance ADD CONSTRAINT fk_vm_instance_template FOREIGN KEY (template_id) REFERENCES vm_template (id);
ALTER TABLE vm_instance ADD CONSTRAINT fk_vm_instance_last_host FOREIGN KEY (last_host_id) REFERENCES host (id);

-- listVirtualMachines' filters and order (by id), live rows having removed NULL, as V10's lists.
ALTER TABLE vm_instance ADD KEY ix_vm_instance_list (removed, id, name);
ALTER TABLE vm_instance ADD KEY ix_vm_instance_account_list (account_id, removed, id, name);
ALTER TABLE vm_instance ADD KEY ix_vm_instance_zone_list (data_center_id, removed, id);
ALTER TABLE vm_instance ADD KEY ix_vm_instance_state_list (state, removed, id);
ALTER TABLE vm_instance ADD KEY ix_vm_instance_template_list (template_id, removed, id);
ALTER TABLE vm_instance ADD KEY ix_vm_instance_offering_list (service_offering_id, removed, id);
ALTER TABLE vm_instance ADD KEY ix_vm_instance_name (name, removed);

-- A live volume holds its device slot on its VM: two attaches racing for one device id cannot both win.
ALTER TABLE volumes ADD COLUMN live_instance_id BIGINT UNSIGNED
  GENERATED ALWAYS AS (IF(removed IS NULL, instance_id, NULL)) STORED;
ALTER TABLE volumes ADD UNIQUE KEY uk_volumes_live_instance_device (live_instance_id, device_id);
ALTER TABLE volumes ADD CONSTRAINT fk_volumes_instance FOREIGN KEY (instance_id) REFERENCES vm_instance (id);
