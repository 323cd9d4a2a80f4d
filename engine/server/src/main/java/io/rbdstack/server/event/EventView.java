package io.rbdstack.server.event;

/** An event as listEvents shows it (CloudStack's EventResponse field names). */
public record EventView(String id, String username, String type, String level, String description, String account,
                        String domainid, String domain, String created, String state, String parentid,
                        String resourceid, String resourcetype, boolean archived) {
}
