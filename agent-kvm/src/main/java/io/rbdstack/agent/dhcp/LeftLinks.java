package io.rbdstack.agent.dhcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bridges a previous agent served, read back from the Kea configuration it left in the DHCP
 * directory (each subnet names its interface, its /64 and, in its user-context, its network and gateway).
 * The agent keeps what it serves only in memory; this is how a new one finds the gateway addresses and
 * carrier keepers that are still on the host, to take away those of networks it is not given again.
 */
final class LeftLinks {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A served bridge as the configuration recorded it; {@code gateway} empty when an older agent wrote none. */
    record Link(String networkUuid, String bridge, Optional<String> gateway, int prefixLength) {
    }

    private LeftLinks() {
    }

    static List<Link> read(Path keaConfig) {
        JsonNode config;
        try {
            config = JSON.readTree(Files.readAllBytes(keaConfig));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new DhcpException("cannot read the Kea configuration a previous agent left in " + keaConfig + ": "
                    + e.getMessage(), e);
        }
        List<Link> links = new ArrayList<>();
        for (JsonNode subnet : config.path("Dhcp6").path("subnet6")) {
            String bridge = subnet.path("interface").asText("");
            String network = subnet.path("user-context").path("network").asText("");
            if (bridge.isEmpty() || network.isEmpty()) {
                continue;
            }
            Ipv6Prefix prefix = Ipv6Prefix.parse(subnet.path("subnet").asText());
            Optional<String> gateway = Optional.of(subnet.path("user-context").path("gateway").asText(""))
                    .filter(g -> !g.isEmpty());
            links.add(new Link(network, bridge, gateway, prefix.length()));
        }
        return links;
    }
}
