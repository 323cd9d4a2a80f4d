package io.rbdstack.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentPropertiesTest {

    @TempDir
    Path dir;

    private Path file(String name, String content, String mode) throws Exception {
        Path path = dir.resolve(name);
        Files.writeString(path, content);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        return path;
    }

    private Path properties(String content) throws Exception {
        return file("agent.properties", content, "rw-r--r--");
    }

    private String error(Path properties) {
        return assertThrows(AgentConfigException.class, () -> AgentProperties.load(properties)).getMessage();
    }

    @Test
    void aTokenFileAndDefaults() throws Exception {
        Path token = file("token", "s3cret-token\n", "rw-------");
        AgentProperties loaded = AgentProperties.load(properties("host=ms.example.com\nhost.token.file=" + token + "\n"));
        assertEquals("ms.example.com", loaded.host());
        assertEquals(8250, loaded.port());
        assertEquals("s3cret-token", loaded.hostToken().reveal());
        assertFalse(loaded.plaintext(), "mutual TLS unless asked otherwise");
        assertEquals(token.getParent().resolve("tls"), loaded.tlsDir(), "beside the token file");
        assertTrue(loaded.caFingerprint().isEmpty());
        assertTrue(loaded.hostname().isEmpty());
        assertEquals("qemu:///system", loaded.libvirtUri());
        assertEquals(Duration.ofSeconds(10), loaded.libvirtCheckInterval());
        assertEquals(Duration.ofSeconds(15), loaded.cephTimeout());
        assertEquals(8, loaded.commandThreads());
        assertEquals(Duration.ofSeconds(30), loaded.shutdownGrace());
        assertEquals(Path.of("/var/log/rbdstack/console"), loaded.vmConsoleLogDir());
        assertEquals(Path.of("/var/lib/rbdstack/dhcp"), loaded.dhcp().dir());
        assertEquals(Path.of("/var/lib/rbdstack/dhcp/kea6-ctrl.sock"), loaded.dhcp().controlSocket());
        assertTrue(loaded.vmDomainType().isEmpty(), "the domain type libvirt offers");
        assertFalse(loaded.toString().contains("s3cret"), loaded.toString());
    }

    @Test
    void everySettingCanBeGiven() throws Exception {
        Path token = file("token", "t", "rw-------");
        AgentProperties loaded = AgentProperties.load(properties("host=10.0.0.5\nport=18250\nhost.token.file=" + token
                + "\nhostname=kvm7\nlibvirt.uri=qemu+ssh://x/system\nlibvirt.check.seconds=3\n"
                + "ceph.timeout.seconds=20\ncommand.threads=2\nshutdown.grace.seconds=5\nvm.console.log.dir=/srv/consoles\n"
                + "dhcp.dir=/srv/dhcp\ndhcp.control.socket=/run/kea6.sock\nvm.domain.type=qemu\n"));
        assertEquals(18250, loaded.port());
        assertEquals("kvm7", loaded.hostname().orElseThrow());
        assertEquals("qemu+ssh://x/system", loaded.libvirtUri());
        assertEquals(Duration.ofSeconds(3), loaded.libvirtCheckInterval());
        assertEquals(Duration.ofSeconds(20), loaded.cephTimeout());
        assertEquals(2, loaded.commandThreads());
        assertEquals(Duration.ofSeconds(5), loaded.shutdownGrace());
        assertEquals(Path.of("/srv/consoles"), loaded.vmConsoleLogDir());
        assertEquals(Path.of("/srv/dhcp"), loaded.dhcp().dir());
        assertEquals(Path.of("/run/kea6.sock"), loaded.dhcp().controlSocket());
        assertEquals("qemu", loaded.vmDomainType().orElseThrow());
    }

    @Test
    void anInlineTokenOnlyInAFileOthersCannotRead() throws Exception {
        Path open = properties("host=h\nhost.token=inline-token\n");
        String message = error(open);
        assertEquals(open + ": 'host.token' is in a file others can read: chmod 600 " + open
                + " or move the token to a file named by host.token.file", message);
        assertFalse(message.contains("inline-token"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-------"));
        assertEquals("inline-token", AgentProperties.load(open).hostToken().reveal());
    }

    @Test
    void errorsNameTheKeyAndTheFile() throws Exception {
        Path token = file("token", "t", "rw-------");
        Path readable = file("readable-token", "t", "rw-r--r--");
        Path empty = file("empty-token", "\n", "rw-------");
        String tokenLine = "host.token.file=" + token + "\n";
        Path p = dir.resolve("agent.properties");
        assertEquals(p + ": 'host' is missing", error(properties(tokenLine)));
        assertEquals(p + ": 'port' must be an integer, got 'x'", error(properties("host=h\nport=x\n" + tokenLine)));
        assertEquals(p + ": 'port' must be between 1 and 65535, got 0", error(properties("host=h\nport=0\n" + tokenLine)));
        assertTrue(error(properties("host=h\n")).startsWith(p + ": 'host.token.file' or 'host.token' must be set"));
        assertTrue(error(properties("host=h\nhost.token=t\n" + tokenLine)).startsWith(p + ": 'host.token.file' or"));
        assertEquals(p + ": 'host.token.file' names " + readable + ", which others can read: chmod 600 " + readable,
                error(properties("host=h\nhost.token.file=" + readable + "\n")));
        assertEquals(p + ": 'host.token.file' names " + empty + ", which is empty",
                error(properties("host=h\nhost.token.file=" + empty + "\n")));
        assertTrue(error(properties("host=h\nhost.token.file=" + dir.resolve("missing") + "\n"))
                .startsWith(p + ": 'host.token.file' names " + dir.resolve("missing") + ", which cannot be read"));
        assertTrue(error(properties("host=h\n" + tokenLine + "prot=8250\n")).startsWith(p + ": 'prot' is not a known key"));
        assertTrue(error(properties("host=h\n" + tokenLine + "tls.truststore=/x.p12\n"))
                .startsWith(p + ": 'tls.truststore' is no longer read: the agent pins the management server's CA"));
        assertTrue(error(properties("host=h\n" + tokenLine + "ca.fingerprint=AB:CD\n"))
                .startsWith(p + ": 'ca.fingerprint' must be a SHA-256 fingerprint"));
        assertEquals(p + ": 'shutdown.grace.seconds' must be between 0 and 3600, got -1",
                error(properties("host=h\n" + tokenLine + "shutdown.grace.seconds=-1\n")));
        assertEquals(p + ": 'shutdown.grace.seconds' must be an integer, got '30s'",
                error(properties("host=h\n" + tokenLine + "shutdown.grace.seconds=30s\n")));
        assertEquals(p + ": 'vm.domain.type' must be one of [kvm, qemu], got 'tcg'",
                error(properties("host=h\n" + tokenLine + "vm.domain.type=tcg\n")));
        assertEquals(p + ": 'plaintext' must be true or false, got 'yes'",
                error(properties("host=h\n" + tokenLine + "plaintext=yes\n")));
    }

    @Test
    void theTlsSettings() throws Exception {
        Path token = file("token", "t", "rw-------");
        String fingerprint = "sha256:" + "AB:".repeat(31) + "AB";
        AgentProperties loaded = AgentProperties.load(properties("host=localhost\nhost.token.file=" + token
                + "\ntls.dir=" + dir.resolve("certs") + "\nca.fingerprint=" + fingerprint + "\nplaintext=true\n"));
        assertEquals(dir.resolve("certs"), loaded.tlsDir());
        assertEquals(fingerprint, loaded.caFingerprint().orElseThrow());
        assertTrue(loaded.plaintext());
    }
}
