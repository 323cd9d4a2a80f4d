package io.rbdstack.spi.storage;

import io.rbdstack.spi.Secret;
import java.util.Objects;

/**
 * The keys of an image store that needs them (S3's access key and secret key), sent to the agent
 * inside the command that uses the store and nowhere else. {@code toString()} masks the secret key.
 */
public record StoreCredentials(String accessKey, Secret secretKey) {

    public StoreCredentials {
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
    }
}
