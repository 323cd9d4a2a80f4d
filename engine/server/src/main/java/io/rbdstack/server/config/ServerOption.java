package io.rbdstack.server.config;

import java.util.List;

/** One key of {@code server.properties}: declared once with its default and help; the README table lists them all. */
public record ServerOption(String key, String defaultValue, String help) {

    public static final ServerOption HTTP_ADDRESS = new ServerOption("http.address", "0.0.0.0",
            "Address the API and UI listen on.");
    public static final ServerOption HTTP_PORT = new ServerOption("http.port", "8080",
            "Port of /client/api and the UI (CloudStack's 8080).");
    public static final ServerOption AGENT_ADDRESS = new ServerOption("agent.address", "0.0.0.0",
            "Address KVM agents connect to.");
    public static final ServerOption AGENT_PORT = new ServerOption("agent.port", "8250",
            "Port KVM agents connect to (CloudStack's 8250).");
    public static final ServerOption AGENT_TLS_KEYSTORE = new ServerOption("agent.tls.keystore", "",
            "PKCS12 keystore for TLS on the agent port; empty = plain TCP.");
    public static final ServerOption AGENT_TLS_KEYSTORE_PASSWORD_FILE = new ServerOption(
            "agent.tls.keystore.password.file", "", "File holding the keystore password (never the password itself).");
    public static final ServerOption AGENT_HEARTBEAT_SECONDS = new ServerOption("agent.heartbeat.seconds", "10",
            "Agent ping interval; a host is Alert after 3 missed pings, Disconnected after 6.");
    public static final ServerOption SESSION_TIMEOUT_SECONDS = new ServerOption("session.timeout.seconds", "1800",
            "Idle time after which a login session expires.");
    public static final ServerOption JOB_THREADS = new ServerOption("job.threads", "8",
            "Threads running async jobs.");
    public static final ServerOption MSHOST_HEARTBEAT_SECONDS = new ServerOption("mshost.heartbeat.seconds", "10",
            "How often this server records it is alive; a server silent for 3 intervals is considered dead.");
    public static final ServerOption SHUTDOWN_GRACE_SECONDS = new ServerOption("shutdown.grace.seconds", "30",
            "On SIGTERM, how long running requests and jobs may finish before they are failed.");
    public static final ServerOption ADMIN_PASSWORD_FILE = new ServerOption("admin.password.file", "",
            "File with the root admin's first password; empty = generate one and print it once at first start.");
    public static final ServerOption EMBEDDED_DB_DIR = new ServerOption("embedded.db.dir", "~/.rbdstack/db",
            "Data directory of the embedded MariaDB used when there is no db.properties.");
    public static final ServerOption EMBEDDED_DB_PORT = new ServerOption("embedded.db.port", "0",
            "Loopback port of the embedded MariaDB; 0 = any free port.");

    public static final ServerOption PLUGIN_DIR = new ServerOption("plugin.dir", "plugins",
            "Directory of storage plugin jars; relative paths are taken from the server jar's directory.");

    /** For tests: a snapshot policy cannot fire more often than hourly otherwise. */
    public static final ServerOption SNAPSHOT_POLICY_TEST_INTERVAL_SECONDS = new ServerOption(
            "snapshot.policy.test.interval.seconds", "0", "For tests only: above 0, every snapshot policy takes a"
                    + " snapshot every this many seconds (counted from the epoch, the same on every server) instead of"
                    + " on its schedule. 0 = as scheduled.");

    public static final List<ServerOption> ALL = List.of(HTTP_ADDRESS, HTTP_PORT, AGENT_ADDRESS, AGENT_PORT,
            AGENT_TLS_KEYSTORE, AGENT_TLS_KEYSTORE_PASSWORD_FILE, AGENT_HEARTBEAT_SECONDS, SESSION_TIMEOUT_SECONDS,
            JOB_THREADS, MSHOST_HEARTBEAT_SECONDS, SHUTDOWN_GRACE_SECONDS, ADMIN_PASSWORD_FILE, EMBEDDED_DB_DIR,
            EMBEDDED_DB_PORT, PLUGIN_DIR, SNAPSHOT_POLICY_TEST_INTERVAL_SECONDS);
}
