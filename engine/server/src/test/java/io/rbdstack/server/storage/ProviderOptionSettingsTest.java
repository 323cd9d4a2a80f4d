package io.rbdstack.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rbdstack.server.settings.Setting;
import io.rbdstack.spi.storage.ProviderOption;
import org.junit.jupiter.api.Test;

class ProviderOptionSettingsTest {

    @Test
    void theTypeOfAnOptionComesFromItsDefault() {
        Setting seconds = ProviderOptionSettings.setting("RBD", new ProviderOption("rbd.deferred.delete.seconds", "0",
                "Seconds a deleted image stays in the trash."));
        assertEquals(new Setting("rbd.deferred.delete.seconds", "Storage", Setting.Type.INTEGER, "0",
                "Seconds a deleted image stays in the trash. (storage plugin RBD)"), seconds);
        assertEquals(Setting.Type.BOOLEAN, ProviderOptionSettings.setting("X", new ProviderOption("x.on", "false", "h"))
                .type());
        assertEquals(Setting.Type.STRING, ProviderOptionSettings.setting("X", new ProviderOption("x.features",
                "layering,exclusive-lock", "h")).type());
        assertEquals(Setting.Type.STRING, ProviderOptionSettings.setting("X", new ProviderOption("x.ratio", "1.5", "h"))
                .type());
    }
}
