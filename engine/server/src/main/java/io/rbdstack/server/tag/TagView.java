package io.rbdstack.server.tag;

/** A tag as CloudStack's listTags and the tagged resources' {@code tags} show it. */
public record TagView(String key, String value, String resourcetype, String resourceid, String account,
                      String domainid, String domain, String domainpath, String customer) {
}
