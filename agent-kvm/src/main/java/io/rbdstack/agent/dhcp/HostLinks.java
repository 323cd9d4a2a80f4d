package io.rbdstack.agent.dhcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The links, IPv6 addresses and per-link IPv6 sysctls of the host, read and changed with {@code ip -j}
 * and {@code sysctl} through the launcher (so a test's network namespace is "the host").
 */
final class HostLinks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Launcher launcher;

    HostLinks(Launcher launcher) {
        this.launcher = launcher;
    }

    /** The link as {@code ip -j -d link show} describes it, or none when it does not exist. */
    Optional<JsonNode> link(String name) throws InterruptedException {
        for (JsonNode link : json(launcher.command("ip", "-j", "-d", "link", "show"))) {
            if (name.equals(link.path("ifname").asText())) {
                return Optional.of(link);
            }
        }
        return Optional.empty();
    }

    static boolean isBridge(JsonNode link) {
        return "bridge".equals(link.at("/linkinfo/info_kind").asText());
    }

    /** The link's IPv6 addresses, {@code ip -j}'s addr_info entries ({@code local}, {@code prefixlen}, {@code scope}, ...). */
    List<JsonNode> ipv6Addresses(String name) throws InterruptedException {
        List<JsonNode> addresses = new ArrayList<>();
        for (JsonNode link : json(launcher.command("ip", "-j", "-6", "addr", "show", "dev", name))) {
            link.path("addr_info").forEach(addresses::add);
        }
        return addresses;
    }

    /** Whether the link has a link-local address out of DAD: Kea binds to an interface only then. */
    boolean hasUsableLinkLocal(String name) throws InterruptedException {
        return ipv6Addresses(name).stream().anyMatch(a -> "link".equals(a.path("scope").asText())
                && !a.path("tentative").asBoolean(false) && !a.path("dadfailed").asBoolean(false));
    }

    void ip(String... args) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        ToolRun.run(launcher.command(command.toArray(String[]::new)));
    }

    /** Reads {@code net/ipv6/conf/<link>/<key>}; the slash form, as link names may hold dots (VLANs). */
    String ipv6Conf(String link, String key) throws InterruptedException {
        return ToolRun.run(launcher.command("sysctl", "-n", "net/ipv6/conf/" + link + "/" + key)).strip();
    }

    void setIpv6Conf(String link, String key, String value) throws InterruptedException {
        ToolRun.run(launcher.command("sysctl", "-qw", "net/ipv6/conf/" + link + "/" + key + "=" + value));
    }

    private static JsonNode json(List<String> command) throws InterruptedException {
        String output = ToolRun.run(command);
        try {
            return output.isEmpty() ? JSON.createArrayNode() : JSON.readTree(output);
        } catch (IOException e) {
            throw new DhcpException(String.join(" ", command) + " printed what is not JSON: " + e.getMessage(), e);
        }
    }
}
