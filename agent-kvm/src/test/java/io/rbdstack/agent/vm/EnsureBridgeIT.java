package io.rbdstack.agent.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rbdstack.agent.HostIdentity;
import io.rbdstack.agent.connect.CommandHandler;
import io.rbdstack.agent.connect.CommandHandlerRegistry;
import io.rbdstack.agent.libvirt.HostFacts;
import io.rbdstack.agent.libvirt.LibvirtConnection;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.vm.EnsureBridgeCommand;
import io.rbdstack.testing.RealServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * network.ensureBridge through its handler on this host's real network stack: bridges named
 * {@code rbst<random>}, a VLAN on a dummy uplink; everything made here is deleted by name afterwards.
 */
class EnsureBridgeIT {

    private static final Path NET = Path.of("/sys/class/net");

    private final RealServices services = RealServices.load();
    private final LibvirtConnection libvirt = LibvirtConnection.to(services.libvirtUri());
    private final CommandHandler agent = CommandHandlerRegistry.of(VmCommandHandlers.handlers(libvirt,
            new HostFacts(libvirt), HostIdentity.of(UUID.randomUUID().toString()), VmSettings.of(Path.of("unused")),
            Links.sysfs()));
    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private final List<String> made = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        try {
            for (String link : made.stream().sorted(java.util.Comparator.comparingInt(made::indexOf).reversed()).toList()) {
                if (Files.exists(NET.resolve(link))) {
                    assertEquals(0, ip("link", "del", link), "ip link del " + link);
                }
            }
        } finally {
            libvirt.close();
        }
    }

    @Test
    void aMissingBridgeIsCreatedOnceAndThenUsedAsItIs() throws Exception {
        String bridge = track("rbst" + suffix);
        assertSucceeded(agent.handle(new EnsureBridgeCommand(bridge, null, null)));
        assertTrue(Files.isDirectory(NET.resolve(bridge).resolve("bridge")), bridge + " is a bridge");
        // An empty bridge has no carrier (operstate down); IFF_UP says it was set up.
        assertEquals(1, Integer.decode(Files.readString(NET.resolve(bridge).resolve("flags")).strip()) & 1,
                "the bridge is up");
        int index = Integer.parseInt(Files.readString(NET.resolve(bridge).resolve("ifindex")).strip());

        assertSucceeded(agent.handle(new EnsureBridgeCommand(bridge, null, null)));
        assertEquals(index, Integer.parseInt(Files.readString(NET.resolve(bridge).resolve("ifindex")).strip()),
                "the same bridge, not a new one");
    }

    @Test
    void aVlanBridgeEnslavesTheUplinksSubinterfaceIdempotently() throws Exception {
        String uplink = track("rbsu" + suffix);
        if (ip("link", "add", uplink, "type", "dummy") != 0) { // no dummy driver in this kernel: a veth pair
            track("rbsv" + suffix);
            assertEquals(0, ip("link", "add", uplink, "type", "veth", "peer", "name", "rbsv" + suffix));
        }
        String bridge = track("rbst" + suffix);
        String subinterface = track(uplink + ".42");

        Answer missingUplink = agent.handle(new EnsureBridgeCommand(bridge, 43, "rbsn" + suffix));
        assertFalse(missingUplink.success());
        assertEquals("cannot set up bridge " + bridge + ": the uplink rbsn" + suffix + " of bridge " + bridge
                + " does not exist on this host", missingUplink.details());
        assertFalse(Files.exists(NET.resolve(bridge)), "refused before anything was made");

        Answer answer = agent.handle(new EnsureBridgeCommand(bridge, 42, uplink));
        if (!answer.success() && answer.details().contains("Unknown device type")) {
            assertEquals("cannot set up bridge " + bridge + ": ip link add link " + uplink + " name " + subinterface
                    + " type vlan id 42 failed (exit 2): Error: Unknown device type.", answer.details());
            assumeTrue(false, "this kernel has no 802.1Q VLAN driver (the agent says so plainly); the VLAN part"
                    + " cannot run here");
        }
        assertSucceeded(answer);
        assertTrue(Files.isDirectory(NET.resolve(bridge).resolve("bridge")));
        assertEquals(bridge, Files.readSymbolicLink(NET.resolve(subinterface).resolve("master")).getFileName().toString());
        assertTrue(ipOutput("-d", "link", "show", subinterface).contains("vlan protocol 802.1Q id 42"),
                ipOutput("-d", "link", "show", subinterface));

        assertSucceeded(agent.handle(new EnsureBridgeCommand(bridge, 42, uplink)));
        assertEquals(bridge, Files.readSymbolicLink(NET.resolve(subinterface).resolve("master")).getFileName().toString());
    }

    private String track(String link) {
        made.add(link);
        return link;
    }

    private static void assertSucceeded(Answer answer) {
        assertTrue(answer.success(), answer.toString());
    }

    private static int ip(String... args) throws IOException, InterruptedException {
        Process process = start(args);
        process.getInputStream().readAllBytes();
        process.waitFor(20, TimeUnit.SECONDS);
        return process.exitValue();
    }

    private static String ipOutput(String... args) throws IOException, InterruptedException {
        Process process = start(args);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(20, TimeUnit.SECONDS);
        return out;
    }

    private static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        return process;
    }
}
