package io.rbdstack.agent.dhcp;

import java.nio.file.Path;

/**
 * A "guest" network namespace plugged into a bridge of this host's own namespace, as a VM's tap would
 * be: a veth pair whose host end ({@code <name>h}) is a port of the bridge and whose other end is the
 * namespace's {@code eth0} with the NIC's MAC. DAD is off in the namespace, so its link-local address
 * is usable at once. Runs ISC dhclient -6 ({@link #dhclient}); {@link #close()} deletes the namespace
 * and with it the veth pair.
 */
final class BridgeGuest implements AutoCloseable {

    final String namespace;
    final Dhclient dhclient;

    /** {@code name}: at most 14 characters (the host end adds one; link names have 15 at most). */
    BridgeGuest(String name, String bridge, String mac, Path dir) throws Exception {
        namespace = name;
        String hostEnd = name + "h";
        String guestTemp = name + "t";
        NetnsPair.ip("netns", "add", namespace);
        try {
            NetnsPair.ip("-n", namespace, "link", "set", "lo", "up");
            NetnsPair.run("ip", "netns", "exec", namespace, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0",
                    "net.ipv6.conf.default.accept_dad=0");
            NetnsPair.ip("link", "add", hostEnd, "type", "veth", "peer", "name", guestTemp);
            NetnsPair.ip("link", "set", guestTemp, "netns", namespace);
            NetnsPair.ip("-n", namespace, "link", "set", guestTemp, "name", "eth0");
            NetnsPair.ip("-n", namespace, "link", "set", "eth0", "address", mac);
            NetnsPair.ip("link", "set", hostEnd, "master", bridge);
            NetnsPair.ip("link", "set", hostEnd, "up");
            NetnsPair.ip("-n", namespace, "link", "set", "eth0", "up");
        } catch (Exception | Error e) {
            try {
                close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        dhclient = new Dhclient(namespace, dir);
    }

    @Override
    public void close() throws Exception {
        NetnsPair.ip("netns", "delete", namespace);
    }
}
