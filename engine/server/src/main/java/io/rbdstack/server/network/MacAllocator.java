package io.rbdstack.server.network;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;

/**
 * MACs of guest NICs, unique per zone: the zone's sequence ({@code data_center.mac_address}) only grows,
 * so a MAC is never given twice, not even after its NIC is gone. Runs inside the allocation's transaction
 * (LAST_INSERT_ID is the connection's), with the zone's row locked by the update.
 */
final class MacAllocator {

    private final Jdbc jdbc;
    private final SettingsRepository settings;

    MacAllocator(Jdbc jdbc, SettingsRepository settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    /** The zone's next MAC, skipping any a caller chose for a NIC before the sequence reached it. */
    String next(long zoneId, String zoneName) {
        int identifier = (int) settings.longValue(Setting.MAC_IDENTIFIER);
        while (true) {
            jdbc.update("UPDATE data_center SET mac_address = LAST_INSERT_ID(mac_address + 1) WHERE id = ?", zoneId);
            long sequence = jdbc.queryLong("SELECT LAST_INSERT_ID()") - 1;
            if (sequence > MacAddresses.MAX_SEQUENCE) {
                throw ApiException.insufficientCapacity("Insufficient address capacity: zone " + zoneName + " has"
                        + " given out all " + (MacAddresses.MAX_SEQUENCE + 1) + " MAC addresses of its sequence");
            }
            String mac = MacAddresses.of(identifier, sequence);
            if (!taken(zoneId, mac)) {
                return mac;
            }
        }
    }

    /** A caller's MAC, checked and normalised; 431 naming {@code param} when malformed or used in the zone. */
    String given(long zoneId, String zoneName, String mac, String param) {
        String checked = MacAddresses.checked(mac, param);
        if (taken(zoneId, checked)) {
            throw MacAddresses.invalid(mac, param, "already given to a NIC in zone " + zoneName
                    + " (a MAC is never given twice in a zone)");
        }
        return checked;
    }

    private boolean taken(long zoneId, String mac) {
        return jdbc.queryLong("SELECT COUNT(*) FROM nics WHERE data_center_id = ? AND mac_address = ?", zoneId, mac) > 0;
    }
}
