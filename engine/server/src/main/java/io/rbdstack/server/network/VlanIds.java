package io.rbdstack.server.network;

import io.rbdstack.server.api.ApiException;
import java.util.Optional;
import java.util.regex.Pattern;

/** createNetwork's {@code vlan}: 1 to 4094, bare or as {@code vlan://N}; {@code untagged} for none. */
public final class VlanIds {

    public static final int MAX = 4094;

    private static final Pattern NUMBER = Pattern.compile("\\d{1,4}");

    private VlanIds() {
    }

    /** The VLAN id given, or empty for an untagged network; 431 naming {@code vlan} for anything else. */
    public static Optional<Integer> parse(String given) {
        String value = given.trim();
        if (value.regionMatches(true, 0, "vlan://", 0, "vlan://".length())) {
            value = value.substring("vlan://".length());
        }
        if (value.equalsIgnoreCase("untagged")) {
            return Optional.empty();
        }
        if (NUMBER.matcher(value).matches()) {
            int id = Integer.parseInt(value);
            if (id >= 1 && id <= MAX) {
                return Optional.of(id);
            }
        }
        throw ApiException.invalidParameter("Invalid value '" + given + "' for parameter vlan: a VLAN id from 1 to "
                + MAX + " (or vlan://N), or untagged");
    }
}
