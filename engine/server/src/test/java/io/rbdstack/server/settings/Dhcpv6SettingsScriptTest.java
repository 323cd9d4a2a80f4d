package io.rbdstack.server.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * V17 inserts the DHCPv6 settings before any server declares them: its rows must carry the declared
 * defaults, types and descriptions, or a fresh install would start from values the code does not mean.
 */
class Dhcpv6SettingsScriptTest {

    private static final List<Setting> DHCPV6 = Setting.ALL.stream().filter(s -> s.name().startsWith("dhcpv6."))
            .toList();

    @Test
    void v17InsertsEveryDhcpv6SettingWithItsDeclaredDefaultTypeAndDescription() throws Exception {
        String script;
        try (InputStream in = getClass().getResourceAsStream("/db/upgrade/V17__ipv6_guest_networks.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(8, DHCPV6.size());
        for (Setting setting : DHCPV6) {
            Matcher row = Pattern.compile("SELECT '" + Pattern.quote(setting.name()) + "'(?: AS name)?, '([^']*)'"
                    + "(?: AS value)?, '([A-Z]+)'(?: AS type)?,\\s+'((?:[^']|'')*)'").matcher(script);
            assertTrue(row.find(), "V17 inserts no row for " + setting.name());
            assertEquals(setting.defaultValue(), row.group(1), setting.name());
            assertEquals(setting.type().typeName(), row.group(2), setting.name());
            assertEquals(setting.description(), row.group(3).replace("''", "'"), setting.name());
        }
    }
}
