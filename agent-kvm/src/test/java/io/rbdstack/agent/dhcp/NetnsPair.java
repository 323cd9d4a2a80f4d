package io.rbdstack.agent.dhcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces for a DHCPv6 test, as scripts/netns.sh makes them: a "host" one whose veth
 * end plays the guest bridge, and a "guest" one whose {@code eth0} carries the NIC's MAC. DAD is off
 * before the links arrive, so link-local addresses are usable at once. {@link #close()} deletes both.
 */
final class NetnsPair implements AutoCloseable {

    final String host;
    final String guest;
    final String hostLink;

    NetnsPair(String prefix) throws Exception {
        host = prefix + "h";
        guest = prefix + "g";
        hostLink = prefix + "b";
        for (String ns : List.of(host, guest)) {
            ip("netns", "add", ns);
            ip("-n", ns, "link", "set", "lo", "up");
            run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0",
                    "net.ipv6.conf.default.accept_dad=0");
        }
        run("ip", "netns", "exec", host, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
        String guestTemp = prefix + "t";
        ip("link", "add", hostLink, "type", "veth", "peer", "name", guestTemp);
        ip("link", "set", hostLink, "netns", host);
        ip("link", "set", guestTemp, "netns", guest);
        ip("-n", guest, "link", "set", guestTemp, "name", "eth0");
        ip("-n", host, "link", "set", hostLink, "up");
        ip("-n", guest, "link", "set", "eth0", "up");
    }

    /** Gives the guest's eth0 another MAC (down, address, up: a new link-local follows). */
    void guestMac(String mac) throws Exception {
        ip("-n", guest, "link", "set", "eth0", "down");
        ip("-n", guest, "link", "set", "eth0", "address", mac);
        ip("-n", guest, "link", "set", "eth0", "up");
    }

    Launcher hostLauncher() {
        return new Launcher(List.of("ip", "netns", "exec", host));
    }

    @Override
    public void close() throws Exception {
        List<String> failures = new ArrayList<>();
        for (String ns : List.of(guest, host)) {
            try {
                ip("netns", "delete", ns);
            } catch (IllegalStateException e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(String.join("; ", failures));
        }
    }

    static void ip(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
