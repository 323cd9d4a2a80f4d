package io.rbdstack.agent.dhcp;

import io.rbdstack.agent.connect.CommandHandler;
import io.rbdstack.agent.connect.CommandHandlerRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;

/**
 * One DHCPv6 integration test's world: a {@link NetnsPair} named rbk&lt;random&gt;, a directory under
 * target/, the agent's {@link DhcpService} on them (daemons launched in the host namespace) with its
 * command handlers, and a dhclient in the guest namespace. {@link #close()} stops the service and
 * deletes the namespaces and the directory.
 */
final class KeaFixture implements AutoCloseable {

    final String id = "rbk" + UUID.randomUUID().toString().substring(0, 6);
    final NetnsPair netns;
    final Path dir;
    final Dhclient dhclient;
    DhcpService service;
    CommandHandler agent;

    KeaFixture(String dirPrefix) throws Exception {
        netns = new NetnsPair(id);
        dir = Path.of("target", dirPrefix + id).toAbsolutePath();
        Files.createDirectories(dir);
        dhclient = new Dhclient(netns.guest, dir);
        startAgent();
    }

    Path dhcpDir() {
        return dir.resolve("dhcp");
    }

    DhcpSettings settings() {
        return new DhcpSettings(dhcpDir(), dhcpDir().resolve("kea6-ctrl.sock"), netns.hostLauncher());
    }

    /** A new agent on the same directory, as after a restart: the old one is dropped without stopping anything. */
    void startAgent() {
        startAgent(settings());
    }

    /**
     * A new agent whose host chose no control socket (the same default path): the server's
     * {@code dhcpv6.kea.control.socket} moves its Kea.
     */
    void startAgentTakingTheServersSocket() {
        DhcpSettings own = settings();
        startAgent(new DhcpSettings(own.dir(), own.controlSocket(), own.launcher(), false));
    }

    private void startAgent(DhcpSettings settings) {
        service = new DhcpService(settings);
        agent = CommandHandlerRegistry.of(DhcpCommandHandlers.handlers(service));
    }

    @Override
    public void close() throws Exception {
        try {
            service.stop();
        } finally {
            netns.close();
            try (var files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}
