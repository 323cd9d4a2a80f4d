-- listVolumes virtualmachineid=: a VM's live volumes in the list's order (by id), as V10's list indexes.
ALTER TABLE volumes ADD KEY ix_volumes_instance_list (instance_id, removed, id);
