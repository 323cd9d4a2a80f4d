package io.rbdstack.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rbdstack.agent.ceph.RadosConnector;
import io.rbdstack.agent.ceph.RadosTimeouts;
import io.rbdstack.agent.connect.AgentCertificates;
import io.rbdstack.agent.connect.CertificateCommandHandlers;
import io.rbdstack.agent.connect.CommandHandlerRegistry;
import io.rbdstack.agent.dhcp.DhcpSettings;
import java.nio.file.Path;
import java.util.Optional;
import io.rbdstack.agent.libvirt.HostFacts;
import io.rbdstack.agent.libvirt.LibvirtConnection;
import io.rbdstack.agent.vm.VmSettings;
import io.rbdstack.spi.agent.AgentMessageTypes;
import io.rbdstack.spi.agent.HostInfo;
import java.util.HashSet;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The modules on the agent's class path fit together: every command they contribute has a handler. */
class AgentModulesTest {

    @Test
    void everyContributedCommandHasExactlyOneHandler() {
        ClassLoader modules = Agent.class.getClassLoader();
        Set<Class<?>> contributed = new HashSet<>();
        ServiceLoader.load(AgentMessageTypes.class, modules).forEach(types -> contributed.addAll(types.commands()));
        // Opened lazily: building the handlers reaches neither libvirt nor Ceph.
        try (LibvirtConnection libvirt = LibvirtConnection.to("test:///default")) {
            KvmAgentContext context = new KvmAgentContext("kvm1",
                    () -> new HostInfo(1, 1000, 1L << 30, "9.0.0", "7.2.0", true), Map.of(
                    LibvirtConnection.class, libvirt,
                    HostFacts.class, new HostFacts(libvirt),
                    RadosConnector.class, new RadosConnector(RadosTimeouts.standard()),
                    HostIdentity.class, new HostIdentity(),
                    VmSettings.class, VmSettings.of(Path.of("unused")),
                    DhcpSettings.class, DhcpSettings.of(Path.of("unused"), null)));

            // As Agent builds it: the modules' handlers and the agent's own (its certificate's).
            assertEquals(contributed, CommandHandlerRegistry.load(modules, context, CertificateCommandHandlers.handlers(
                    new AgentCertificates(Path.of("unused"), Optional.empty()), "kvm1")).commandTypes());
        }
    }
}
