package io.rbdstack.agent.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code ip link} commands that make a guest bridge as asked, from what the host has now: a bridge
 * that is missing is created empty and up; with a VLAN, the subinterface {@code <uplink>.<vlan>} is
 * created on the uplink and enslaved to the bridge. What is already there is used as it is, so a
 * second plan for the same bridge is empty. Pure: {@link Bridges} runs the commands.
 */
public final class BridgePlan {

    /** Interface names: IFNAMSIZ less the NUL, and characters ip(8) and libvirt take without quoting. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    private BridgePlan() {
    }

    public static List<List<String>> plan(String bridge, Integer vlan, String uplink, Links links) {
        checkName("bridge", bridge);
        List<List<String>> commands = new ArrayList<>();
        if (!links.exists(bridge)) {
            commands.add(List.of("ip", "link", "add", "name", bridge, "type", "bridge"));
            // No DAD on the bridge's own link-local address (derived from the bridge's MAC, which no guest has):
            // Kea and radvd bind to the bridge only once it is usable, and DAD would hold a network that
            // arrives on a new bridge (a NIC plugged into a running VM) back by a second or more.
            commands.add(List.of("sysctl", "-qw", "net/ipv6/conf/" + bridge + "/accept_dad=0"));
            commands.add(List.of("ip", "link", "set", "dev", bridge, "up"));
        } else if (!links.isBridge(bridge)) {
            throw new VmException("the link " + bridge + " exists on this host and is not a bridge");
        }
        if (vlan == null) {
            return commands;
        }
        if (vlan < 1 || vlan > 4094) {
            throw new VmException("VLAN " + vlan + " is out of range 1-4094");
        }
        if (uplink == null || uplink.isBlank()) {
            throw new VmException("bridge " + bridge + " with VLAN " + vlan + " needs an uplink");
        }
        checkName("uplink", uplink);
        String subinterface = uplink + "." + vlan;
        checkName("VLAN subinterface", subinterface);
        if (!links.exists(uplink)) {
            throw new VmException("the uplink " + uplink + " of bridge " + bridge + " does not exist on this host");
        }
        Optional<String> master = Optional.empty();
        if (links.exists(subinterface)) {
            master = links.master(subinterface);
        } else {
            commands.add(List.of("ip", "link", "add", "link", uplink, "name", subinterface, "type", "vlan",
                    "id", Integer.toString(vlan)));
        }
        if (master.isPresent() && !master.get().equals(bridge)) {
            throw new VmException(subinterface + " is already in bridge " + master.get() + ", not " + bridge);
        }
        if (master.isEmpty()) {
            commands.add(List.of("ip", "link", "set", "dev", subinterface, "master", bridge));
            commands.add(List.of("ip", "link", "set", "dev", subinterface, "up"));
        }
        return commands;
    }

    private static void checkName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new VmException("the " + what + " name '" + name + "' is not a valid interface name"
                    + " (1-15 letters, digits, '_', '.', '-')");
        }
    }
}
