package io.rbdstack.agent.connect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed server certificate for localhost/127.0.0.1 made with keytool for one test, and
 * the SSL contexts of both sides. The store password is random and reaches keytool through its
 * environment, not its command line.
 */
public final class ThrowAwayTls {

    private final Path directory;
    private final char[] password = UUID.randomUUID().toString().toCharArray();

    public ThrowAwayTls(Path directory) {
        this.directory = directory;
    }

    /** Makes the key pair in server.p12 and a trust store with its certificate in trust.p12. */
    public ThrowAwayTls generate(String alias) throws IOException, InterruptedException {
        Path keyStore = directory.resolve(alias + "-server.p12");
        Path certificate = directory.resolve(alias + ".crt");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass:env", "STOREPASS");
        keytool("-exportcert", "-alias", alias, "-keystore", keyStore.toString(), "-storepass:env", "STOREPASS",
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", alias, "-file", certificate.toString(),
                "-storetype", "PKCS12", "-keystore", directory.resolve(alias + "-trust.p12").toString(),
                "-storepass:env", "STOREPASS");
        return this;
    }

    /** The PKCS12 key store with the server's key pair, for a server configured by file. */
    public Path serverKeyStore(String alias) {
        return directory.resolve(alias + "-server.p12");
    }

    /** Writes the store password to a file of its own, as the server's config wants it. */
    public Path writePasswordFile(Path file) throws IOException {
        Files.writeString(file, new String(password));
        return file;
    }

    SSLContext serverContext(String alias) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(directory.resolve(alias + "-server.p12")), password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    public SSLContext clientContext(String alias) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(directory.resolve(alias + "-trust.p12")));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    private void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("STOREPASS", new String(password));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("keytool " + arguments[0] + " failed: " + output);
        }
    }
}
