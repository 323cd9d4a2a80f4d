-- listEvents and listAlerts served by indexes, as the other lists since V10: each filter they take
-- (owner account or domain, type, level, resource, archived) leads an index that ends in their order
-- (newest first, by id), so a page's ids and the count read index entries, not rows. The account and
-- type indexes of V8 ended in created, which no list orders by: these replace them. ix_event_created
-- stays for the purge and the date filters. One key a statement, so a re-run skips those already made.
ALTER TABLE event ADD KEY ix_event_list (archived, id);
ALTER TABLE event ADD KEY ix_event_account_list (account_id, archived, id);
ALTER TABLE event ADD KEY ix_event_domain_list (domain_id, archived, id);
ALTER TABLE event ADD KEY ix_event_type_list (type, archived, id);
ALTER TABLE event ADD KEY ix_event_level_list (level, archived, id);
ALTER TABLE event ADD KEY ix_event_resource_list (resource_id, archived, id);
ALTER TABLE event ADD KEY ix_event_resource_type_list (resource_type, archived, id);
ALTER TABLE event DROP KEY ix_event_account_created;
ALTER TABLE event DROP KEY ix_event_type_created;

-- listAlerts: newest first among the archived or not, by type or by name.
ALTER TABLE alert ADD KEY ix_alert_list (archived, id);
ALTER TABLE alert ADD KEY ix_alert_type_list (type, archived, id);
ALTER TABLE alert ADD KEY ix_alert_name_list (name, archived, id);
