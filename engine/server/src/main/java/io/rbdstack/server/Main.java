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
 * both optional.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path configDir = Path.of(args.length == 2 && args[0].equals("--config-dir") ? args[1] : "/etc/rbdstack");
        if (args.length != 0 && args.length != 2) {
            System.err.println("usage: rbdstack-server [--config-dir DIR]");
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
