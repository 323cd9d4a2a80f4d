package io.rbdstack.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads one user's key from a Ceph keyring file, so tests never pass a key on a command line. */
public final class CephKeyring {

    private CephKeyring() {
    }

    /** A cephx user: the id without "client." and its base64 key. toString() masks the key. */
    public record CephUser(String id, String key) {
        @Override
        public String toString() {
            return "CephUser[client." + id + "]";
        }
    }

    public static CephUser read(Path keyring, String id) {
        List<String> lines;
        try {
            lines = Files.readAllLines(keyring, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read keyring " + keyring, e);
        }
        String section = "[client." + id + "]";
        boolean inSection = false;
        for (String raw : lines) {
            String line = raw.trim();
            if (line.startsWith("[")) {
                inSection = line.equals(section);
            } else if (inSection && line.startsWith("key")) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).trim().equals("key")) {
                    return new CephUser(id, line.substring(eq + 1).trim());
                }
            }
        }
        throw new IllegalStateException("Keyring " + keyring + " has no key for client." + id);
    }
}
