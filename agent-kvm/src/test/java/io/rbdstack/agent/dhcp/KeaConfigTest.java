package io.rbdstack.agent.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rbdstack.spi.agent.dhcp.ApplyDhcpNetworkCommand;
import io.rbdstack.spi.agent.dhcp.DhcpLifetimes;
import io.rbdstack.spi.agent.dhcp.DhcpPdPool;
import io.rbdstack.spi.agent.dhcp.DhcpPool;
import io.rbdstack.spi.agent.dhcp.DhcpReservation;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeaConfigTest {

    static final DhcpLifetimes LIFETIMES = new DhcpLifetimes(1000, 2000, 3000, 4000);
    private static final KeaFiles FILES = new KeaFiles(Path.of("/var/lib/rbdstack/dhcp"),
            Path.of("/var/lib/rbdstack/dhcp/kea6-ctrl.sock"));

    static ApplyDhcpNetworkCommand seedNetwork() {
        return new ApplyDhcpNetworkCommand("5f0c1d2e-0000-4000-8000-000000000001", "brguest0", "2001:db8::/64",
                "2001:db8::1", new DhcpPool("2001:db8::100", "2001:db8::ffff"),
                new DhcpPdPool("2001:db8:fff::/48", 60), LIFETIMES, List.of("duid"),
                List.of(new DhcpReservation("52:54:00:D6:C2:A9", "2001:db8::5054:ff:fed6:c2a9", "2001:db8:fff:10::/60"),
                        new DhcpReservation("02:00:00:00:00:01", "2001:db8:0:0:0:ff:fe00:1", null)));
    }

    @Test
    void theSeedsNetworkRendersAsTheGoldenFile() throws Exception {
        JsonNode rendered = KeaConfig.render(FILES, List.of(ServedNetwork.of(seedNetwork())));
        try (InputStream golden = getClass().getResourceAsStream("/dhcp/kea-dhcp6-golden.json")) {
            // Compared as parsed JSON text: the golden file's numbers read back as ints, ours are longs.
            ObjectMapper json = new ObjectMapper();
            assertEquals(json.readTree(golden), json.readTree(json.writeValueAsString(rendered)),
                    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(rendered));
        }
        assertEquals(2, KeaConfig.nicReservations(rendered));
    }

    @Test
    void aNicIsReservedASecondTimeByItsDuidLlOnlyWhenTheMacSourcesCannotReadTheDuid() {
        ApplyDhcpNetworkCommand seed = seedNetwork();
        for (List<String> sources : List.of(List.of("duid"), List.of("any"), List.of("ipv6-link-local", "duid"), List.<String>of())) {
            JsonNode dhcp6 = KeaConfig.render(FILES, List.of(ServedNetwork.of(withMacSources(seed, sources)))).get("Dhcp6");
            assertEquals(2, dhcp6.at("/subnet6/0/reservations").size(), "one entry per NIC with " + sources);
            assertEquals("[\"hw-address\"]", dhcp6.get("host-reservation-identifiers").toString());
            assertTrue(dhcp6.get("ip-reservations-unique").asBoolean());
        }
        JsonNode twins = KeaConfig.render(FILES, List.of(ServedNetwork.of(withMacSources(seed, List.of("ipv6-link-local")))));
        JsonNode reservations = twins.at("/Dhcp6/subnet6/0/reservations");
        assertEquals(4, reservations.size());
        assertEquals("00:03:00:01:52:54:00:d6:c2:a9", reservations.at("/1/duid").asText());
        assertEquals(reservations.at("/0/ip-addresses"), reservations.at("/1/ip-addresses"), "the twin names the same address");
        assertEquals(reservations.at("/0/prefixes"), reservations.at("/1/prefixes"), "and the same prefix");
        assertEquals("[\"hw-address\",\"duid\"]", twins.at("/Dhcp6/host-reservation-identifiers").toString());
        assertEquals(false, twins.at("/Dhcp6/ip-reservations-unique").asBoolean());
        assertEquals(2, KeaConfig.nicReservations(twins));
    }

    private static ApplyDhcpNetworkCommand withMacSources(ApplyDhcpNetworkCommand seed, List<String> sources) {
        return new ApplyDhcpNetworkCommand(seed.networkUuid(), seed.bridge(), seed.prefix(), seed.gateway(), seed.pool(),
                seed.pdPool(), seed.lifetimes(), sources, seed.reservations());
    }

    @Test
    void lifetimesGoIntoTheSubnetAndMustBeInOrder() {
        JsonNode subnet = KeaConfig.render(FILES, List.of(ServedNetwork.of(seedNetwork()))).at("/Dhcp6/subnet6/0");
        assertEquals(1000, subnet.get("renew-timer").asLong());
        assertEquals(2000, subnet.get("rebind-timer").asLong());
        assertEquals(3000, subnet.get("preferred-lifetime").asLong());
        assertEquals(4000, subnet.get("valid-lifetime").asLong());
        ApplyDhcpNetworkCommand seed = seedNetwork();
        for (DhcpLifetimes wrong : List.of(new DhcpLifetimes(0, 2000, 3000, 4000), new DhcpLifetimes(2001, 2000, 3000, 4000),
                new DhcpLifetimes(1000, 2000, 4001, 4000), new DhcpLifetimes(1000, 2000, 3000, 1L << 32))) {
            DhcpException refused = assertThrows(DhcpException.class, () -> ServedNetwork.of(new ApplyDhcpNetworkCommand(
                    seed.networkUuid(), seed.bridge(), seed.prefix(), seed.gateway(), seed.pool(), seed.pdPool(), wrong,
                    seed.macSources(), seed.reservations())));
            assertTrue(refused.getMessage().contains("lifetimes"), refused.getMessage());
        }
    }

    @Test
    void noPoolsAndSeveralNetworksRenderInUuidOrderWithStableIds() {
        ApplyDhcpNetworkCommand seed = seedNetwork();
        ServedNetwork b = ServedNetwork.of(new ApplyDhcpNetworkCommand("bbbb", "brb", "2001:db8:b::/64", "2001:db8:b::1",
                null, null, LIFETIMES, List.of("duid"), List.of()));
        ServedNetwork a = ServedNetwork.of(seed);
        JsonNode both = KeaConfig.render(FILES, List.of(b, a));
        assertEquals(List.of(seed.networkUuid(), "bbbb"), List.of(both.at("/Dhcp6/subnet6/0/user-context/network").asText(),
                both.at("/Dhcp6/subnet6/1/user-context/network").asText()));
        assertEquals(0, both.at("/Dhcp6/subnet6/1/pools").size());
        assertEquals(0, both.at("/Dhcp6/subnet6/1/pd-pools").size());
        assertEquals("[\"brguest0\",\"brb\"]", both.at("/Dhcp6/interfaces-config/interfaces").toString());
        long idOfA = KeaConfig.render(FILES, List.of(a)).at("/Dhcp6/subnet6/0/id").asLong();
        assertEquals(idOfA, both.at("/Dhcp6/subnet6/0/id").asLong(), "a network keeps its subnet id");
        assertNotEquals(idOfA, both.at("/Dhcp6/subnet6/1/id").asLong());
    }

    @Test
    void reservationsOutsideThePrefixOrTwiceAreRefused() {
        ApplyDhcpNetworkCommand seed = seedNetwork();
        for (List<DhcpReservation> wrong : List.of(
                List.of(new DhcpReservation("52:54:00:d6:c2:a9", "2001:db9::1", null)),
                List.of(new DhcpReservation("52:54:00:d6:c2:a9", "2001:db8::1", null),
                        new DhcpReservation("52:54:00:D6:C2:A9", "2001:db8::2", null)),
                List.of(new DhcpReservation("52:54:00:d6:c2", "2001:db8::1", null)))) {
            DhcpException refused = assertThrows(DhcpException.class, () -> ServedNetwork.of(new ApplyDhcpNetworkCommand(
                    seed.networkUuid(), seed.bridge(), seed.prefix(), seed.gateway(), null, null, LIFETIMES,
                    seed.macSources(), wrong)));
            assertTrue(refused.getMessage().startsWith("network " + seed.networkUuid() + ": "), refused.getMessage());
        }
        assertThrows(DhcpException.class, () -> ServedNetwork.of(new ApplyDhcpNetworkCommand(seed.networkUuid(),
                "br;rm -rf", seed.prefix(), seed.gateway(), null, null, LIFETIMES, List.of(), List.of())));
    }

    @Test
    void radvdAdvertisesManagedAndOtherFlagsAndThePrefixOnLinkOnly() {
        String conf = RadvdConfig.render(List.of(ServedNetwork.of(seedNetwork())));
        assertTrue(conf.contains("interface brguest0 {"), conf);
        assertTrue(conf.contains("AdvManagedFlag on;") && conf.contains("AdvOtherConfigFlag on;"), conf);
        assertTrue(conf.contains("prefix 2001:db8::/64 {") && conf.contains("AdvAutonomous off;"), conf);
    }
}
