package io.rbdstack.server.config;

import java.util.List;

/** One key of {@code server.properties}: declared once with its default and help; the README table lists them all. */
public record ServerOption(String key, String defaultValue, String help) {

    public static final ServerOption HTTP_ADDRESS = new ServerOption("http.address", "127.0.0.1",
            "Address of the plain-HTTP port. Requests from other machines are redirected to HTTPS; only loopback"
                    + " clients are served over HTTP.");
    public static final ServerOption HTTP_PORT = new ServerOption("http.port", "8080",
            "Plain-HTTP port of /client/api and the UI (CloudStack's 8080).");
    public static final ServerOption HTTPS_ADDRESS = new ServerOption("https.address", "0.0.0.0",
            "Address the HTTPS port of the API and UI listens on.");
    public static final ServerOption HTTPS_PORT = new ServerOption("https.port", "8443",
            "HTTPS port of /client/api and the UI (CloudStack's 8443).");
    public static final ServerOption HTTPS_KEYSTORE = new ServerOption("https.keystore", "",
            "PKCS12 keystore with the HTTPS port's key and certificate chain; empty = a certificate from the built-in"
                    + " CA, made at each start.");
    public static final ServerOption HTTPS_KEYSTORE_PASSWORD_FILE = new ServerOption("https.keystore.password.file",
            "", "File holding the HTTPS keystore's password (never the password itself).");
    public static final ServerOption AGENT_ADDRESS = new ServerOption("agent.address", "0.0.0.0",
            "Address KVM agents connect to.");
    public static final ServerOption AGENT_PORT = new ServerOption("agent.port", "8250",
            "Port KVM agents connect to (CloudStack's 8250); mutual TLS 1.3 (see docs/security.md).");
    public static final ServerOption AGENT_HANDSHAKE_TIMEOUT_SECONDS = new ServerOption(
            "agent.handshake.timeout.seconds", "30",
            "How long a new agent connection may take to complete TLS and introduce itself before it is closed.");
    public static final ServerOption AGENT_MAX_UNAUTHENTICATED = new ServerOption("agent.max.unauthenticated", "64",
            "Most agent connections that have not yet authenticated at once; further ones are closed at once.");
    public static final ServerOption AGENT_HEARTBEAT_SECONDS = new ServerOption("agent.heartbeat.seconds", "10",
            "Agent ping interval; a host is Alert after 3 missed pings, Disconnected after 6.");
    public static final ServerOption SESSION_TIMEOUT_SECONDS = new ServerOption("session.timeout.seconds", "1800",
            "Idle time after which a login session expires.");
    public static final ServerOption JOB_THREADS = new ServerOption("job.threads", "8",
            "Threads kept ready for async jobs; when all are busy (e.g. with jobs waiting for their host's transfer"
                    + " workers) more start, up to 256 jobs at once, so no job waits behind others.");
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

    /** Keys of earlier versions that are gone, and what replaced them: named at start-up rather than "unknown". */
    public static final java.util.Map<String, String> REMOVED = java.util.Map.of(
            "agent.tls.keystore", "the agent port always speaks mutual TLS with certificates of the built-in CA"
                    + " (docs/security.md); remove the key",
            "agent.tls.keystore.password.file", "the agent port always speaks mutual TLS with certificates of the"
                    + " built-in CA (docs/security.md); remove the key");

    public static final List<ServerOption> ALL = List.of(HTTP_ADDRESS, HTTP_PORT, HTTPS_ADDRESS, HTTPS_PORT,
            HTTPS_KEYSTORE, HTTPS_KEYSTORE_PASSWORD_FILE, AGENT_ADDRESS, AGENT_PORT, AGENT_HANDSHAKE_TIMEOUT_SECONDS,
            AGENT_MAX_UNAUTHENTICATED, AGENT_HEARTBEAT_SECONDS, SESSION_TIMEOUT_SECONDS,
            JOB_THREADS, MSHOST_HEARTBEAT_SECONDS, SHUTDOWN_GRACE_SECONDS, ADMIN_PASSWORD_FILE, EMBEDDED_DB_DIR,
            EMBEDDED_DB_PORT, PLUGIN_DIR, SNAPSHOT_POLICY_TEST_INTERVAL_SECONDS);
}
