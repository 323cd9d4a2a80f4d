package io.rbdstack.agent.connect;

import io.rbdstack.protocol.tls.CertificateRequests;
import io.rbdstack.protocol.tls.Fingerprints;
import io.rbdstack.protocol.tls.KeyPairs;
import io.rbdstack.protocol.tls.Pem;
import io.rbdstack.protocol.tls.PinnedCaTrust;
import io.rbdstack.protocol.tls.TlsContexts;
import io.rbdstack.spi.agent.CertificateIssued;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's TLS identity on disk, in a directory of its own: {@code host.pem} (its private key
 * and certificate, one file so they change together) and {@code ca.pem} (the CA it pinned at its
 * bootstrap), both mode 600, each replaced by an atomic rename. Key pairs are made here and never
 * leave the host; the server only ever sees certificate requests.
 */
public final class AgentCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(AgentCertificates.class);
    static final String HOST_FILE = "host.pem";
    static final String CA_FILE = "ca.pem";

    private final Path directory;
    private final Optional<String> caFingerprint;
    private final Object lock = new Object();
    private KeyPair pending; // guarded by lock: the key of a request awaiting its certificate

    /** @param caFingerprint the CA's SHA-256 fingerprint addHost showed; empty = trust on first use */
    public AgentCertificates(Path directory, Optional<String> caFingerprint) {
        this.directory = directory;
        this.caFingerprint = caFingerprint;
    }

    public Path directory() {
        return directory;
    }

    /** Whether the agent has its certificate, i.e. its bootstrap is done. */
    public boolean hasCertificate() {
        return Files.exists(directory.resolve(HOST_FILE)) && Files.exists(directory.resolve(CA_FILE));
    }

    /** The context of every connection after the bootstrap: the host's certificate, the pinned CA only. */
    public SSLContext certifiedContext() throws IOException {
        X509Certificate ca = pinnedCa();
        Pem.KeyAndChain host = read(HOST_FILE, Pem::keyAndChain);
        return TlsContexts.of(host.key(), host.chain().toArray(X509Certificate[]::new), PinnedCaTrust.of(ca));
    }

    /** The context of the bootstrap connection: no client certificate, {@link BootstrapTrust}. */
    public SSLContext bootstrapContext() {
        return TlsContexts.of(null, null, new BootstrapTrust(caFingerprint));
    }

    /** A new key pair, kept until its certificate comes, and the PEM request for it. */
    public String newRequest(String hostname) {
        KeyPair keys = KeyPairs.generate();
        synchronized (lock) {
            pending = keys;
        }
        return CertificateRequests.create(keys, hostname);
    }

    /**
     * Stores what the bootstrap returned, after checking it: the certificate is for the key of the
     * request, issued by the CA sent with it, and that CA is the one the server proved it holds in
     * this TLS session (and, if configured, the fingerprinted one).
     *
     * @param serverChain the management server's chain of the bootstrap session
     */
    public void storeBootstrap(CertificateIssued issued, X509Certificate[] serverChain) throws IOException {
        X509Certificate ca = parse(issued.caCertificates(), "the CA certificate").get(0);
        if (caFingerprint.isPresent() && !Fingerprints.matches(caFingerprint.get(), ca)) {
            throw new IOException("the management server sent a CA other than the one of ca.fingerprint");
        }
        try {
            PinnedCaTrust.of(ca).checkServerTrusted(serverChain, "ECDHE_ECDSA");
        } catch (CertificateException e) {
            throw new IOException("the CA the management server sent did not issue its own certificate: "
                    + e.getMessage(), e);
        }
        X509Certificate certificate = matchingPending(issued.certificate(), ca);
        write(CA_FILE, Pem.encode(ca));
        writeHost(certificate, ca);
        LOG.info("Stored this host's certificate {} (valid until {}) and the CA {} in {}",
                certificate.getSerialNumber().toString(16), certificate.getNotAfter().toInstant(),
                Fingerprints.sha256(ca), directory);
    }

    /** Installs a renewed certificate (provisionCertificate): same CA, the key of {@link #newRequest}. */
    public void install(String certificatePem, String caPem) throws IOException {
        X509Certificate pinned = pinnedCa();
        X509Certificate ca = parse(caPem, "the CA certificate").get(0);
        if (!ca.equals(pinned)) {
            throw new IOException("the certificate comes from a CA other than the pinned one ("
                    + Fingerprints.sha256(ca) + ")");
        }
        X509Certificate certificate = matchingPending(certificatePem, ca);
        writeHost(certificate, ca);
        LOG.info("Installed the renewed certificate {} (valid until {})", certificate.getSerialNumber().toString(16),
                certificate.getNotAfter().toInstant());
    }

    private X509Certificate matchingPending(String certificatePem, X509Certificate ca) throws IOException {
        X509Certificate certificate = parse(certificatePem, "the host certificate").get(0);
        try {
            certificate.verify(ca.getPublicKey());
            certificate.checkValidity();
        } catch (GeneralSecurityException e) {
            throw new IOException("the host certificate is not a valid one of the CA: " + e.getMessage(), e);
        }
        synchronized (lock) {
            if (pending == null || !pending.getPublic().equals(certificate.getPublicKey())) {
                throw new IOException("the host certificate is not for the key this agent asked a certificate for");
            }
        }
        return certificate;
    }

    private void writeHost(X509Certificate certificate, X509Certificate ca) throws IOException {
        KeyPair keys;
        synchronized (lock) {
            keys = pending;
            pending = null;
        }
        write(HOST_FILE, Pem.encode(new Pem.KeyAndChain(keys.getPrivate(), List.of(certificate, ca))));
    }

    private X509Certificate pinnedCa() throws IOException {
        return read(CA_FILE, Pem::certificate);
    }

    private static List<X509Certificate> parse(String pem, String what) throws IOException {
        try {
            return Pem.certificates(pem);
        } catch (Pem.InvalidPemException e) {
            throw new IOException(what + " from the management server is unreadable: " + e.getMessage(), e);
        }
    }

    private interface PemReader<T> {
        T read(String pem) throws Pem.InvalidPemException;
    }

    private <T> T read(String file, PemReader<T> reader) throws IOException {
        Path path = directory.resolve(file);
        try {
            return reader.read(Files.readString(path, StandardCharsets.US_ASCII));
        } catch (Pem.InvalidPemException e) {
            throw new IOException(path + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** Mode 600 from its creation (never readable by others, even for an instant), then renamed into place. */
    private void write(String file, String pem) throws IOException {
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "." + file, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, pem, StandardCharsets.US_ASCII);
            Files.move(temporary, directory.resolve(file), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
