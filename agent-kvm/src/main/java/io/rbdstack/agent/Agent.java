package io.rbdstack.agent;

import io.rbdstack.agent.ceph.RadosConnector;
import io.rbdstack.agent.ceph.RadosTimeouts;
import io.rbdstack.agent.connect.AgentCertificates;
import io.rbdstack.agent.connect.CertificateCommandHandlers;
import io.rbdstack.agent.connect.ClientConfig;
import io.rbdstack.agent.connect.CommandHandlerRegistry;
import io.rbdstack.agent.connect.ConnectionListener;
import io.rbdstack.agent.connect.ManagementServerClient;
import io.rbdstack.agent.dhcp.DhcpSettings;
import io.rbdstack.agent.libvirt.HostFacts;
import io.rbdstack.agent.libvirt.LibvirtConnection;
import io.rbdstack.agent.vm.VmSettings;
import io.rbdstack.protocol.MessageCodec;
import io.rbdstack.spi.agent.Hello;
import io.rbdstack.spi.agent.HostInfo;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running agent: the libvirt connection and its watchdog, the command handlers the modules
 * contribute, and the client that connects to the management server, introduces the host with its
 * facts and runs what the server sends. {@link #close()} stops it all.
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final LibvirtConnection libvirt;
    private final RadosConnector rados;
    private final ManagementServerClient client;
    private final String hostname;

    private Agent(AgentProperties properties) {
        libvirt = LibvirtConnection.to(properties.libvirtUri());
        rados = new RadosConnector(RadosTimeouts.of(properties.cephTimeout()));
        try {
            HostFacts facts = new HostFacts(libvirt, properties.vmDomainType());
            hostname = properties.hostname().orElseGet(() -> defaultHostname(facts));
            // The services the agent's own handlers (RBD storage, VMs) are built from.
            AgentCertificates certificates = new AgentCertificates(properties.tlsDir(), properties.caFingerprint());
            HostIdentity identity = new HostIdentity();
            KvmAgentContext context = new KvmAgentContext(hostname, () -> hostInfo(facts), Map.of(
                    LibvirtConnection.class, libvirt,
                    HostFacts.class, facts,
                    RadosConnector.class, rados,
                    HostIdentity.class, identity,
                    VmSettings.class, VmSettings.of(properties.vmConsoleLogDir()),
                    DhcpSettings.class, properties.dhcp()));
            // Messages and handlers come from the modules on the class path, each through ServiceLoader.
            ClassLoader modules = Agent.class.getClassLoader();
            CommandHandlerRegistry handlers = CommandHandlerRegistry.load(modules, context,
                    CertificateCommandHandlers.handlers(certificates, hostname));
            LOG.info("Running {} command types", handlers.commandTypes().size());
            ClientConfig config = ClientConfig.plain(properties.host(), properties.port())
                    .withWorkerThreads(properties.commandThreads());
            if (properties.plaintext()) {
                LOG.warn("plaintext=true: this agent talks to the management server over plain TCP; its credential"
                        + " and the cephx keys it receives cross the network in clear text");
            } else {
                config = config.withCertificates(certificates);
            }
            String token = properties.hostToken().reveal();
            client = new ManagementServerClient(config, MessageCodec.load(modules),
                    () -> new Hello(token, hostname, version(), hostInfo(facts)), handlers,
                    new ConnectionListener() {
                        @Override
                        public void onConnected(String hostId) {
                            identity.welcomed(hostId);
                            context.connected();
                        }
                    });
        } catch (RuntimeException e) {
            rados.close();
            libvirt.close(); // e.g. two modules handle one command: nothing may stay open
            throw e;
        }
        libvirt.startWatchdog(properties.libvirtCheckInterval());
    }

    /** Starts the agent; it connects (and reconnects) to the management server in the background. */
    public static Agent start(AgentProperties properties) {
        Agent agent = new Agent(properties);
        agent.client.start();
        LOG.info("rbdstack agent {} started as {}: management server {}:{}{}, libvirt {}", version(), agent.hostname,
                properties.host(), properties.port(), properties.plaintext() ? " (plain TCP)" : " (mutual TLS)",
                properties.libvirtUri());
        return agent;
    }

    public String hostname() {
        return hostname;
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /**
     * The graceful stop (TERM/INT): running commands get up to {@code grace} to finish and answer (transfers are
     * interrupted at once, new commands refused), then all closes as in {@link #close()}.
     */
    public void stop(Duration grace) {
        client.stop(grace);
        close();
    }

    /** A second TERM/INT: {@link #stop} waits no longer. */
    public void hurry() {
        client.hurry();
    }

    @Override
    public void close() {
        client.close(); // first: its commands use libvirt and librados
        rados.close(); // the Ceph connections commands shared, and their idle closer
        libvirt.close();
        LOG.info("rbdstack agent stopped");
    }

    /** The facts now; libvirtd not answering fails the hello, and the client tries again later. */
    private HostInfo hostInfo(HostFacts facts) {
        try {
            return facts.collect();
        } catch (LibvirtException e) {
            throw new IllegalStateException("libvirtd at " + libvirt.uri() + " does not answer: " + e.getMessage(), e);
        }
    }

    private static String defaultHostname(HostFacts facts) {
        try {
            return facts.hostname();
        } catch (LibvirtException e) {
            LOG.warn("libvirtd does not answer ({}); reporting the system's host name", e.getMessage());
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException unknown) {
                return "localhost";
            }
        }
    }

    static String version() {
        String version = Agent.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }
}
