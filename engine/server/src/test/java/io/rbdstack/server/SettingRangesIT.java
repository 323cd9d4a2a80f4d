package io.rbdstack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** updateConfiguration's range checks, listConfigurations' isdynamic and out-of-range stored values, over HTTP. */
class SettingRangesIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();

    @Test
    void theKnownBadValuesAreRefusedWith431NamingTheSettingAndTheRangeAndNotStored() throws Exception {
        assertRefused("storage.cleanup.interval", "-1", "must be a whole number from 1 to 604800");
        assertRefused("default.page.size", "0", "must be a whole number from 1 to 500");
        assertRefused("storage.overprovisioning.factor", "-1.5", "must be a number from 0.1 to 100");
        assertRefused("snapshot.delta.max", "-5", "must be a whole number from 0 to 100");
        assertRefused("storage.stats.interval", "999", "must be a whole number from 1000 to 86400000");
        assertRefused("storage.volume.deferred.delete.seconds", "31536001", "must be a whole number from 0 to 31536000");
        assertRefused("custom.diskoffering.size.max", "0", "must be a whole number from 1 to 1048576");
    }

    @Test
    void aValueInRangeIsStoredAndShown() throws Exception {
        JsonNode updated = cloud.admin().call("updateConfiguration", "name", "snapshot.delta.max", "value", "0")
                .response("updateConfiguration").get("configuration");
        assertEquals("0", updated.get("value").asText());
        assertEquals("16", updated.get("defaultvalue").asText());
        cloud.admin().call("updateConfiguration", "name", "snapshot.delta.max", "value", "16");
    }

    @Test
    void everySettingButThePlainAgentPortIsDynamic() throws Exception {
        JsonNode all = cloud.admin().call("listConfigurations").response("listConfigurations").get("configuration");
        int checked = 0;
        for (JsonNode setting : all) {
            // storage.stats.interval too: the capacity refresh reads it before each run. The agent port's
            // listener is made at start with agent.plaintext.allowed.
            boolean atStart = setting.get("name").asText().equals("agent.plaintext.allowed");
            assertEquals(!atStart, setting.get("isdynamic").asBoolean(), setting.toString());
            checked++;
        }
        assertEquals(io.rbdstack.server.settings.Setting.ALL.size(), checked,
                "the engine's settings (no storage plugin is loaded here)");
    }

    @Test
    void theSmallestCustomSizeMayNotPassTheLargest() throws Exception {
        ApiClient.Reply refused = cloud.admin().call("updateConfiguration", "name", "custom.diskoffering.size.min",
                "value", "2000");
        assertEquals(431, refused.status());
        assertEquals("Invalid value '2000' for parameter value: custom.diskoffering.size.min (2000) may not exceed"
                + " custom.diskoffering.size.max (1024)", refused.response("updateConfiguration").get("errortext").asText());
        assertEquals(431, cloud.admin().call("updateConfiguration", "name", "custom.diskoffering.size.max", "value", "0")
                .status());
        assertEquals(200, cloud.admin().call("updateConfiguration", "name", "custom.diskoffering.size.min", "value", "1")
                .status());
    }

    @Test
    void aStoredValueOutOfRangeIsReadAsTheDefault() throws Exception {
        // As if stored by an older version that had no ranges.
        try (Connection c = cloud.db().connect();
             PreparedStatement update = c.prepareStatement("UPDATE configuration SET value = ? WHERE name = ?")) {
            update.setString(1, "-3");
            update.setString(2, "custom.diskoffering.size.max");
            assertEquals(1, update.executeUpdate());
        }
        try {
            String zone = cloud.admin().call("createZone", "name", "range-zone", "dns1", "8.8.8.8", "internaldns1",
                    "10.0.0.2", "networktype", "Advanced").response("createZone").get("zone").get("id").asText();
            String custom = cloud.admin().call("createDiskOffering", "name", "range-custom", "customized", "true")
                    .response("createDiskOffering").get("diskoffering").get("id").asText();
            ApiClient.Reply refused = cloud.admin().call("createVolume", "zoneid", zone, "diskofferingid", custom,
                    "size", "1025");
            assertEquals(431, refused.status(), refused.body());
            assertEquals("Volume size: 1025GB is out of allowed range. Max: 1024 Min:1 (parameter size)",
                    refused.response("createVolume").get("errortext").asText(), "the default 1024, not -3");
        } finally {
            cloud.admin().call("updateConfiguration", "name", "custom.diskoffering.size.max", "value", "1024");
        }
    }

    private static void assertRefused(String name, String value, String problem) throws Exception {
        ApiClient.Reply reply = cloud.admin().call("updateConfiguration", "name", name, "value", value);
        assertEquals(431, reply.status(), reply.body());
        JsonNode error = reply.response("updateConfiguration");
        assertEquals(4350, error.get("cserrorcode").asInt());
        assertEquals("Invalid value '" + value + "' for parameter value: " + name + " " + problem,
                error.get("errortext").asText());
        JsonNode listed = cloud.admin().call("listConfigurations", "name", name).response("listConfigurations")
                .get("configuration").get(0);
        assertEquals(listed.get("defaultvalue").asText(), listed.get("value").asText(), name + " kept its value");
    }
}
