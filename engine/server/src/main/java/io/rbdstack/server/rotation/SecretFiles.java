package io.rbdstack.server.rotation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Writes a new secret where the server reads it, atomically and readable by the owner only. */
public final class SecretFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SecretFiles() {
    }

    /**
     * Replaces the value of {@code key} in a properties file, keeping every other line (comments
     * included) as it is.
     */
    public static void replaceProperty(Path file, String key, String value) throws IOException {
        Pattern line = Pattern.compile("\\s*" + Pattern.quote(key) + "\\s*[=:].*");
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            if (line.matcher(lines.get(i)).matches()) {
                lines.set(i, key + "=" + escape(value));
                replaced = true;
            }
        }
        if (!replaced) {
            lines.add(key + "=" + escape(value));
        }
        write(file, String.join("\n", lines) + "\n");
    }

    /** Replaces a file that holds only the secret. */
    public static void replaceFile(Path file, String value) throws IOException {
        write(file, value);
    }

    private static void write(Path file, String content) throws IOException {
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".new",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** java.util.Properties reads a backslash as an escape and drops leading blanks of a value. */
    private static String escape(String value) {
        String escaped = value.replace("\\", "\\\\");
        return escaped.startsWith(" ") || escaped.startsWith("\t") ? "\\" + escaped : escaped;
    }
}
