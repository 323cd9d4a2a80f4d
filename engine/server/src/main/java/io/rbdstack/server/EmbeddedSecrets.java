package io.rbdstack.server;

import io.rbdstack.server.auth.crypto.SecretCipher;
import io.rbdstack.spi.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The embedded setup has no db.properties, so its {@code db.cloud.encrypt.secret} is generated once
 * and kept beside the data directory in a file only the server's user can read.
 */
final class EmbeddedSecrets {

    private EmbeddedSecrets() {
    }

    /** Where the embedded setup keeps its secret: beside the data directory. */
    static Path file(Path dataDir) {
        return dataDir.resolveSibling(dataDir.getFileName() + ".encrypt.secret");
    }

    static Secret encryptSecret(Path dataDir) throws IOException {
        Path file = file(dataDir);
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------"))), SecretCipher.newToken(), StandardCharsets.UTF_8);
        }
        return Secret.of(Files.readString(file, StandardCharsets.UTF_8).strip());
    }
}
