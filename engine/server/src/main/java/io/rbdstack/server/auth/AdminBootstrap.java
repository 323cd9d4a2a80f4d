package io.rbdstack.server.auth;

import io.rbdstack.server.api.Caller;
import io.rbdstack.server.auth.crypto.PasswordHasher;
import io.rbdstack.server.db.DataAccessException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the root admin {@code admin} in domain ROOT at the first start. Its password comes from
 * the configured file, or is generated and printed once on the console (never to the log).
 */
public final class AdminBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
    public static final String ADMIN_USERNAME = "admin";
    private static final int ER_DUP_ENTRY = 1062;

    private AdminBootstrap() {
    }

    /** @return true if the admin was created by this call */
    public static boolean ensureAdmin(UserRepository users, PasswordHasher hasher, Optional<Path> passwordFile,
                                      PrintStream console) throws Exception {
        if (users.anyUserExists()) {
            return false;
        }
        String password;
        boolean generated = passwordFile.isEmpty();
        if (generated) {
            byte[] bytes = new byte[18];
            new SecureRandom().nextBytes(bytes);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } else {
            password = read(passwordFile.get());
        }
        try {
            users.createAccountWithUser(ADMIN_USERNAME, Caller.TYPE_ADMIN, 1, ADMIN_USERNAME,
                    hasher.hash(password.toCharArray()), "Admin", "User", "admin@localhost");
        } catch (DataAccessException e) {
            if (e.errorCode() != ER_DUP_ENTRY) {
                throw e;
            }
            // Another management server starting at the same moment created it first.
            LOG.info("The root admin was created by another management server starting at the same time");
            return false;
        }
        LOG.info("Created the root admin user '{}' in domain ROOT", ADMIN_USERNAME);
        if (generated) {
            console.println("Root admin created: username " + ADMIN_USERNAME + ", password " + password
                    + " (shown once; change it or keep it safe)");
        }
        return true;
    }

    private static String read(Path file) throws IOException {
        String password = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (password.length() < 8) {
            throw new IOException("The admin password in " + file + " is shorter than 8 characters");
        }
        return password;
    }
}
