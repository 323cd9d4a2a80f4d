package io.rbdstack.server.imagestore;

/** An image store as addImageStore and listImageStores show it (CloudStack's field names). */
public record ImageStoreView(String id, String name, String url, String protocol, String providername, String scope,
                             String zoneid, String zonename, boolean readonly, Long disksizetotal, Long disksizeused,
                             boolean hasannotations) {
}
