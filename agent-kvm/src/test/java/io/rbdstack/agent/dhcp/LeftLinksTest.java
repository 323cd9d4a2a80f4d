package io.rbdstack.agent.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rbdstack.spi.agent.dhcp.ApplyDhcpNetworkCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new agent learns from the Kea configuration a previous one left: the bridges and gateways it served. */
class LeftLinksTest {

    @TempDir
    Path dir;

    @Test
    void theRenderedConfigurationNamesEachNetworksBridgeGatewayAndPrefixLength() throws Exception {
        ApplyDhcpNetworkCommand seed = KeaConfigTest.seedNetwork();
        KeaFiles files = new KeaFiles(dir, dir.resolve("kea6-ctrl.sock"));
        Files.write(files.config(), KeaProcess.bytes(KeaConfig.render(files, List.of(ServedNetwork.of(seed)))));
        assertEquals(List.of(new LeftLinks.Link(seed.networkUuid(), seed.bridge(), Optional.of(seed.gateway()), 64)),
                LeftLinks.read(files.config()));
    }

    @Test
    void noConfigurationMeansNothingWasLeftAndAnOlderOneWithoutGatewaysStillNamesTheBridges() throws Exception {
        assertEquals(List.of(), LeftLinks.read(dir.resolve("missing.conf")));
        Path older = dir.resolve("older.conf");
        Files.writeString(older, "{\"Dhcp6\":{\"subnet6\":[{\"id\":1,\"subnet\":\"2001:db8:1::/64\",\"interface\":"
                + "\"brold\",\"user-context\":{\"network\":\"n-1\"}}]}}");
        assertEquals(List.of(new LeftLinks.Link("n-1", "brold", Optional.empty(), 64)), LeftLinks.read(older));
    }
}
