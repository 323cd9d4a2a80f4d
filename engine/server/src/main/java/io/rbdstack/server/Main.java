package io.rbdstack.server;

import io.rbdstack.server.config.ConfigException;
import io.rbdstack.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rbdstack-server [--config-dir DIR]}: starts the management server and stops it cleanly on
 * SIGTERM. The config dir (default {@code /etc/rbdstack}) holds db.properties and server.properties,
 * both optional. {@code rotate-encrypt-secret NEW_SECRET_FILE} instead re-encrypts the stored secrets
 * with a new {@code db.cloud.encrypt.secret} ({@link EncryptSecretRotation}).
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        java.util.List<String> rest = new java.util.ArrayList<>(java.util.List.of(args));
        Path configDir = Path.of("/etc/rbdstack");
        if (rest.size() >= 2 && rest.get(0).equals("--config-dir")) {
            configDir = Path.of(rest.get(1));
            rest = rest.subList(2, rest.size());
        }
        boolean rotate = rest.size() == 2 && rest.get(0).equals("rotate-encrypt-secret");
        if (!rest.isEmpty() && !rotate) {
            System.err.println("usage: rbdstack-server [--config-dir DIR] [rotate-encrypt-secret NEW_SECRET_FILE]");
            System.exit(2);
        }
        ServerConfig config;
        try {
            config = ServerConfig.load(configDir);
        } catch (ConfigException e) {
            System.err.println("rbdstack: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (rotate) {
            System.exit(EncryptSecretRotation.run(config, Path.of(rest.get(1)), System.out));
            return;
        }
        ManagementServer server;
        try {
            server = ManagementServer.start(config, System.out);
        } catch (Exception e) {
            LOG.error("Start-up failed: {}", e.getMessage(), e);
            System.err.println("rbdstack: start-up failed: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("rbdstack management server: http://" + displayHost(config.httpAddress()) + ":"
                + server.httpPort() + "/client/api (this machine only), https://" + displayHost(config.httpsAddress())
                + ":" + server.httpsPort() + "/client/api");
        System.out.println("CA certificate SHA-256 " + server.caFingerprint()
                + " (listCaCertificate returns it; agents check it at their first connection)");
        CountDownLatch stop = new CountDownLatch(1);
        // Handle TERM/INT ourselves rather than in a shutdown hook: JVM shutdown hooks run in no
        // order, and the embedded MariaDB's own hook would stop the database under our drain.
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> stop.countDown());
        }
        stop.await();
        LOG.info("Stopping: draining requests and jobs");
        server.close();
        System.exit(0);
    }

    private static String displayHost(String bind) {
        return bind.equals("0.0.0.0") ? "localhost" : bind;
    }
}
