package io.rbdstack.agent.store;

import io.rbdstack.agent.store.nfs.NfsStore;
import io.rbdstack.spi.storage.NfsStoreUrl;
import java.io.IOException;

/** The image store a URL names: {@code nfs://} through libnfs, {@code file://} a directory on this host. */
public final class ImageStores {

    private ImageStores() {
    }

    public static ImageStore open(String url) throws IOException {
        return NfsStoreUrl.isNfs(url) ? NfsStore.of(url) : ImageStoreDirectory.of(url);
    }
}
