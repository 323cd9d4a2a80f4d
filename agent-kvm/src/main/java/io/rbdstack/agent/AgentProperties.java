package io.rbdstack.agent;

import io.rbdstack.spi.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

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
 *   <li>{@code tls.truststore}: PKCS12 trust store with the server's certificate or CA (empty = plain
 *       TCP), with {@code tls.truststore.password.file}
 *   <li>{@code hostname}: the name to report (default: libvirt's host name)
 *   <li>{@code libvirt.uri} (qemu:///system), {@code libvirt.check.seconds} (10): how often the
 *       agent checks that libvirtd is still the one it knows
 *   <li>{@code ceph.timeout.seconds} (15): librados' connect, monitor and OSD timeouts
 *   <li>{@code command.threads} (8): commands run at the same time
 * </ul>
 * Unknown keys are refused, so a misspelt key does not silently fall back to a default.
 */
public record AgentProperties(
        String host,
        int port,
        Secret hostToken,
        Optional<SSLContext> tls,
        Optional<String> hostname,
        String libvirtUri,
        Duration libvirtCheckInterval,
        Duration cephTimeout,
        int commandThreads) {

    static final Set<String> KEYS = Set.of("host", "port", "host.token", "host.token.file", "tls.truststore",
            "tls.truststore.password.file", "hostname", "libvirt.uri", "libvirt.check.seconds",
            "ceph.timeout.seconds", "command.threads");

    public static AgentProperties load(Path file) throws AgentConfigException {
        Properties raw = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            raw.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new AgentConfigException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        Keys keys = new Keys(file, raw);
        Set<String> unknown = new TreeSet<>(raw.stringPropertyNames());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw keys.error(unknown.iterator().next(), "is not a known key (known: " + new TreeSet<>(KEYS) + ")");
        }
        return new AgentProperties(
                keys.required("host"),
                keys.integer("port", 8250, 1, 65535),
                keys.token(),
                keys.tls(),
                keys.optional("hostname"),
                keys.optional("libvirt.uri").orElse("qemu:///system"),
                Duration.ofSeconds(keys.integer("libvirt.check.seconds", 10, 1, 3600)),
                Duration.ofSeconds(keys.integer("ceph.timeout.seconds", 15, 1, 600)),
                keys.integer("command.threads", 8, 1, 256));
    }

    @Override
    public String toString() {
        return "AgentProperties[host=" + host + ", port=" + port + ", hostToken=******, tls=" + tls.isPresent()
                + ", hostname=" + hostname.orElse("(libvirt's)") + ", libvirtUri=" + libvirtUri + "]";
    }

    /** Typed reads of one file's properties. */
    private record Keys(Path file, Properties raw) {

        Optional<String> optional(String key) {
            String value = raw.getProperty(key);
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
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

        Optional<SSLContext> tls() throws AgentConfigException {
            Optional<String> store = optional("tls.truststore");
            if (store.isEmpty()) {
                if (optional("tls.truststore.password.file").isPresent()) {
                    throw error("tls.truststore.password.file", "is set but 'tls.truststore' is not");
                }
                return Optional.empty();
            }
            Path passwordFile = Path.of(required("tls.truststore.password.file"));
            char[] password = readFile("tls.truststore.password.file", passwordFile).strip().toCharArray();
            Path storeFile = Path.of(store.get());
            try (InputStream in = Files.newInputStream(storeFile)) {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(in, password);
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(trust);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, factory.getTrustManagers(), null);
                return Optional.of(context);
            } catch (Exception e) {
                throw error("tls.truststore", "names " + storeFile + ", which cannot be loaded as PKCS12 with the"
                        + " password from " + passwordFile + ": " + e.getMessage());
            }
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
