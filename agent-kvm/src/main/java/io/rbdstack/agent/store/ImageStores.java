package io.rbdstack.agent.store;

import io.rbdstack.agent.store.nfs.NfsStore;
import io.rbdstack.agent.store.s3.S3Store;
import io.rbdstack.spi.storage.NfsStoreUrl;
import io.rbdstack.spi.storage.S3StoreUrl;
import io.rbdstack.spi.storage.StoreCredentials;
import java.io.IOException;

/**
 * The image store a URL names: {@code nfs://} through libnfs, {@code s3://} a bucket (whose keys come
 * as {@code credentials}), {@code file://} a directory on this host.
 */
public final class ImageStores {

    private ImageStores() {
    }

    public static ImageStore open(String url) throws IOException {
        return open(url, null);
    }

    public static ImageStore open(String url, StoreCredentials credentials) throws IOException {
        if (S3StoreUrl.isS3(url)) {
            return S3Store.of(url, credentials);
        }
        return NfsStoreUrl.isNfs(url) ? NfsStore.of(url) : ImageStoreDirectory.of(url);
    }
}
