package io.rbdstack.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.spi.ValueType;
import io.rbdstack.spi.storage.ProviderOption;
import org.junit.jupiter.api.Test;

class ProviderOptionSettingsTest {

    @Test
    void anOptionBecomesADynamicSettingWithTheOptionsOwnTypeRangeAndDefault() {
        Setting seconds = ProviderOptionSettings.setting("RBD", new ProviderOption("rbd.deferred.delete.seconds",
                ValueType.wholeNumber(0, 31_536_000), "0", "Seconds a deleted image stays in the trash."));
        assertEquals(new Setting("rbd.deferred.delete.seconds", "Storage", ValueType.wholeNumber(0, 31_536_000), "0",
                true, "Seconds a deleted image stays in the trash. (storage plugin RBD)"), seconds);
        ApiException refused = assertThrows(ApiException.class, () -> seconds.checkAllowed("-1"));
        assertEquals("Invalid value '-1' for parameter value: rbd.deferred.delete.seconds must be a whole number from 0"
                + " to 31536000", refused.getMessage());
        assertEquals(ValueType.flag(), ProviderOptionSettings.setting("X",
                new ProviderOption("x.on", ValueType.flag(), "false", "h")).type());
    }
}
