package io.rbdstack.agent;

import io.rbdstack.agent.dhcp.DhcpSettings;
import io.rbdstack.agent.libvirt.HostFacts;
import io.rbdstack.agent.vm.VmSettings;
import io.rbdstack.protocol.tls.Fingerprints;
import io.rbdstack.spi.Secret;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The agent's configuration, {@code agent.properties}, validated at start-up: every error names the
 * key and the file. Keys:
 *
 * <ul>
 *   <li>{@code host} (required): the management server's name or address
 *   <li>{@code port} (8250): its agent port
 *   <li>{@code host.token.file}: file holding the credential addHost issued (preferred), or
 *       {@code host.token}: the credential itself, refused when others can read agent.properties.
 *       Exactly one of the two; a token file others can read is refused too.
 *   <li>{@code tls.dir} (the token file's directory, or agent.properties' for an inline token): where
 *       the agent keeps its key, certificate and pinned CA (files mode 600)
 *   <li>{@code ca.fingerprint}: the CA's SHA-256 fingerprint addHost showed; checked at the first
 *       connection (empty = trust the server's CA on first use)
 *   <li>{@code plaintext} (false): connect over plain TCP with the token on every connection, to a
 *       server whose agent.plaintext.allowed is on; cephx keys then cross the network in clear
 *   <li>{@code hostname}: the name to report (default: libvirt's host name)
 *   <li>{@code libvirt.uri} (qemu:///system), {@code libvirt.check.seconds} (10): how often the
 *       agent checks that libvirtd is still the one it knows
 *   <li>{@code ceph.timeout.seconds} (15): librados' connect, monitor and OSD timeouts
 *   <li>{@code command.threads} (8): commands run at the same time
 *   <li>{@code shutdown.grace.seconds} (30): on TERM/INT, how long running commands may finish and answer
 *   <li>{@code vm.console.log.dir} (/var/log/rbdstack/console): where the VMs' serial consoles are logged
 *   <li>{@code dhcp.dir} (/var/lib/rbdstack/dhcp): the files of the host's Kea DHCPv6 server and radvd
 *   <li>{@code dhcp.control.socket} ({@code <dhcp.dir>/kea6-ctrl.sock}): Kea's unix control socket
 *   <li>{@code vm.domain.type} (what libvirt offers: kvm, else qemu): kvm or qemu (emulation, for a host whose KVM
 *       cannot run the guests)
 * </ul>
 * Unknown keys are refused, so a misspelt key does not silently fall back to a default.
 */
public record AgentProperties(
        String host,
        int port,
        Secret hostToken,
        Path tlsDir,
        Optional<String> caFingerprint,
        boolean plaintext,
        Optional<String> hostname,
        String libvirtUri,
        Duration libvirtCheckInterval,
        Duration cephTimeout,
        int commandThreads,
        Duration shutdownGrace,
        Path vmConsoleLogDir,
        DhcpSettings dhcp,
        Optional<String> vmDomainType) {

    static final Set<String> KEYS = Set.of("host", "port", "host.token", "host.token.file", "tls.dir",
            "ca.fingerprint", "plaintext", "hostname", "libvirt.uri", "libvirt.check.seconds",
            "ceph.timeout.seconds", "command.threads", "shutdown.grace.seconds", "vm.console.log.dir",
            "dhcp.dir", "dhcp.control.socket", "vm.domain.type");
    /** Keys of earlier versions, named at start rather than refused as unknown. */
    static final Set<String> REMOVED = Set.of("tls.truststore", "tls.truststore.password.file");

    public static AgentProperties load(Path file) throws AgentConfigException {
        Properties raw = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            raw.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new AgentConfigException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        Keys keys = new Keys(file, raw);
        for (String key : REMOVED) {
            if (raw.containsKey(key)) {
                throw keys.error(key, "is no longer read: the agent pins the management server's CA at its first"
                        + " connection (see ca.fingerprint and docs/security.md); remove the key");
            }
        }
        Set<String> unknown = new TreeSet<>(raw.stringPropertyNames());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw keys.error(unknown.iterator().next(), "is not a known key (known: " + new TreeSet<>(KEYS) + ")");
        }
        return new AgentProperties(
                keys.required("host"),
                keys.integer("port", 8250, 1, 65535),
                keys.token(),
                keys.tlsDir(),
                keys.caFingerprint(),
                keys.bool("plaintext"),
                keys.optional("hostname"),
                keys.optional("libvirt.uri").orElse("qemu:///system"),
                Duration.ofSeconds(keys.integer("libvirt.check.seconds", 10, 1, 3600)),
                Duration.ofSeconds(keys.integer("ceph.timeout.seconds", 15, 1, 600)),
                keys.integer("command.threads", 8, 1, 256),
                Duration.ofSeconds(keys.integer("shutdown.grace.seconds", 30, 0, 3600)),
                keys.optional("vm.console.log.dir").map(Path::of).orElse(VmSettings.DEFAULT_CONSOLE_LOG_DIR),
                DhcpSettings.of(keys.optional("dhcp.dir").map(Path::of).orElse(DhcpSettings.DEFAULT_DIR),
                        keys.optional("dhcp.control.socket").map(Path::of).orElse(null)),
                keys.oneOf("vm.domain.type", HostFacts.DOMAIN_TYPES));
    }

    @Override
    public String toString() {
        return "AgentProperties[host=" + host + ", port=" + port + ", hostToken=******, tlsDir=" + tlsDir
                + ", plaintext=" + plaintext
                + ", hostname=" + hostname.orElse("(libvirt's)") + ", libvirtUri=" + libvirtUri + "]";
    }

    /** Typed reads of one file's properties. */
    private record Keys(Path file, Properties raw) {

        Optional<String> optional(String key) {
            String value = raw.getProperty(key);
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
        }

        /** The key's value when set, which must be one of {@code allowed}. */
        Optional<String> oneOf(String key, Set<String> allowed) throws AgentConfigException {
            Optional<String> value = optional(key);
            if (value.isPresent() && !allowed.contains(value.get())) {
                throw error(key, "must be one of " + new TreeSet<>(allowed) + ", got '" + value.get() + "'");
            }
            return value;
        }

        String required(String key) throws AgentConfigException {
            return optional(key).orElseThrow(() -> error(key, "is missing"));
        }

        int integer(String key, int defaultValue, int min, int max) throws AgentConfigException {
            Optional<String> value = optional(key);
            if (value.isEmpty()) {
                return defaultValue;
            }
            int parsed;
            try {
                parsed = Integer.parseInt(value.get());
            } catch (NumberFormatException e) {
                throw error(key, "must be an integer, got '" + value.get() + "'");
            }
            if (parsed < min || parsed > max) {
                throw error(key, "must be between " + min + " and " + max + ", got " + parsed);
            }
            return parsed;
        }

        Secret token() throws AgentConfigException {
            Optional<String> tokenFile = optional("host.token.file");
            boolean inline = raw.getProperty("host.token") != null && !raw.getProperty("host.token").isBlank();
            if (tokenFile.isPresent() == inline) {
                throw error("host.token.file", "or 'host.token' must be set, not both and not neither"
                        + " (prefer host.token.file: a file of its own, mode 600)");
            }
            if (inline) {
                if (othersCanRead(file)) {
                    throw error("host.token", "is in a file others can read: chmod 600 " + file
                            + " or move the token to a file named by host.token.file");
                }
                return Secret.of(raw.getProperty("host.token").strip());
            }
            Path path = Path.of(tokenFile.get());
            if (othersCanRead(path)) {
                throw error("host.token.file", "names " + path + ", which others can read: chmod 600 " + path);
            }
            String token = readFile("host.token.file", path).strip();
            if (token.isEmpty()) {
                throw error("host.token.file", "names " + path + ", which is empty");
            }
            return Secret.of(token);
        }

        Path tlsDir() {
            Optional<String> dir = optional("tls.dir");
            if (dir.isPresent()) {
                return Path.of(dir.get());
            }
            // Next to the credential it replaces: the admin already keeps that directory private.
            Path beside = optional("host.token.file").map(Path::of).orElse(file).toAbsolutePath().getParent();
            return beside.resolve("tls");
        }

        Optional<String> caFingerprint() throws AgentConfigException {
            Optional<String> fingerprint = optional("ca.fingerprint");
            if (fingerprint.isPresent() && !Fingerprints.isWellFormed(fingerprint.get())) {
                throw error("ca.fingerprint", "must be a SHA-256 fingerprint (64 hex digits, colons allowed) as"
                        + " addHost shows it, got '" + fingerprint.get() + "'");
            }
            return fingerprint;
        }

        boolean bool(String key) throws AgentConfigException {
            Optional<String> value = optional(key);
            if (value.isEmpty()) {
                return false;
            }
            if (!value.get().equals("true") && !value.get().equals("false")) {
                throw error(key, "must be true or false, got '" + value.get() + "'");
            }
            return Boolean.parseBoolean(value.get());
        }

        private String readFile(String key, Path path) throws AgentConfigException {
            try {
                return Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw error(key, "names " + path + ", which cannot be read: " + e);
            }
        }

        AgentConfigException error(String key, String problem) {
            return new AgentConfigException(file + ": '" + key + "' " + problem);
        }

        private static boolean othersCanRead(Path path) {
            try {
                return Files.getPosixFilePermissions(path).contains(PosixFilePermission.OTHERS_READ);
            } catch (UnsupportedOperationException | IOException e) {
                return false; // no POSIX permissions here; a missing file is reported when read
            }
        }
    }
}
