package io.rbdstack.server.template;

/**
 * A template as registerTemplate, updateTemplate and listTemplates show it: CloudStack's field names;
 * size in bytes (the virtual size, once imported); status the import's progress or its error.
 */
public record TemplateView(String id, String name, String displaytext, String format, String hypervisor, Long size,
                           boolean isready, String status, String zoneid, String zonename, String checksum,
                           String created, String ostypeid, String account, String accountid, String domain,
                           String domainid, boolean ispublic, boolean isfeatured, boolean isextractable,
                           boolean passwordenabled, boolean crossZones, String templatetype, String url) {
}
