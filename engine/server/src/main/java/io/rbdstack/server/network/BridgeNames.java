package io.rbdstack.server.network;

import io.rbdstack.server.api.ApiException;
import java.util.regex.Pattern;

/**
 * Which Linux bridge a guest network's NICs join. Without a VLAN: the bridge createNetwork names, else the
 * {@code guest.network.device} setting's (cloudbr0), used untagged. With a VLAN: the named bridge, else
 * CloudStack's KVM name {@code br<uplink>-<vlan>}, carrying the VLAN tagged on the uplink.
 */
public final class BridgeNames {

    /** Linux's IFNAMSIZ less the terminating NUL. */
    public static final int MAX_LENGTH = 15;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");

    private BridgeNames() {
    }

    /** {@code name} if it is a usable interface name; 431 naming {@code param} otherwise. */
    public static String checked(String name, String param) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.invalidParameter("Invalid value '" + name + "' for parameter " + param + ": not a Linux"
                    + " interface name (1 to " + MAX_LENGTH + " letters, digits, '_', '.' or '-', starting with a"
                    + " letter or digit)");
        }
        return name;
    }

    /** CloudStack's KVM name of the bridge carrying {@code vlan} tagged on {@code uplink}; 431 when too long. */
    public static String forVlan(String uplink, int vlan) {
        String name = "br" + uplink + "-" + vlan;
        if (name.length() > MAX_LENGTH) {
            throw ApiException.invalidParameter("Invalid value for parameter bridge: the bridge of VLAN " + vlan
                    + " on " + uplink + " would be " + name + ", longer than " + MAX_LENGTH + " characters; name one"
                    + " with parameter bridge");
        }
        return name;
    }
}
