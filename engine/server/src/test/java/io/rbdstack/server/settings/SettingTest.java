package io.rbdstack.server.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.server.api.ApiErrorCode;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.spi.ValueType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingTest {

    @Test
    void everyDeclaredSettingsDefaultIsAllowedByItsOwnRange() {
        for (Setting setting : Setting.ALL) {
            assertTrue(setting.type().accepts(setting.defaultValue()), setting.name() + " default "
                    + setting.defaultValue() + " " + setting.type().problem(setting.defaultValue()));
            setting.checkAllowed(setting.defaultValue());
        }
    }

    @Test
    void eachSettingIsDeclaredOnce() {
        Set<String> names = new HashSet<>();
        Setting.ALL.forEach(s -> assertTrue(names.add(s.name()), s.name()));
    }

    @Test
    void theKnownBadValuesAreRefusedWith431NamingTheSettingAndTheRange() {
        record Bad(Setting setting, String value, String text) {
        }
        for (Bad bad : List.of(
                new Bad(Setting.STORAGE_CLEANUP_INTERVAL, "-1",
                        "Invalid value '-1' for parameter value: storage.cleanup.interval must be a whole number"
                                + " from 1 to 604800"),
                new Bad(Setting.DEFAULT_PAGE_SIZE, "0",
                        "Invalid value '0' for parameter value: default.page.size must be a whole number from 1 to 500"),
                new Bad(Setting.STORAGE_OVERPROVISIONING_FACTOR, "-2",
                        "Invalid value '-2' for parameter value: storage.overprovisioning.factor must be a number"
                                + " from 0.1 to 100"),
                new Bad(Setting.STORAGE_OVERPROVISIONING_FACTOR, "-0.5",
                        "Invalid value '-0.5' for parameter value: storage.overprovisioning.factor must be a number"
                                + " from 0.1 to 100"),
                new Bad(Setting.SNAPSHOT_DELTA_MAX, "-5",
                        "Invalid value '-5' for parameter value: snapshot.delta.max must be a whole number from 0 to 100"),
                new Bad(Setting.STORAGE_STATS_INTERVAL, "0",
                        "Invalid value '0' for parameter value: storage.stats.interval must be a whole number from 1000"
                                + " to 86400000"),
                new Bad(Setting.KVM_SNAPSHOT_ENABLED, "maybe",
                        "Invalid value 'maybe' for parameter value: kvm.snapshot.enabled must be true or false"))) {
            ApiException e = assertThrows(ApiException.class, () -> bad.setting().checkAllowed(bad.value()));
            assertEquals(ApiErrorCode.PARAM_ERROR, e.errorCode());
            assertEquals(ApiException.CS_INVALID_PARAMETER, e.csErrorCode());
            assertEquals(bad.text(), e.getMessage());
        }
    }

    @Test
    void theEndsOfEachRangeAreAllowed() {
        Setting.STORAGE_CLEANUP_INTERVAL.checkAllowed("1");
        Setting.STORAGE_CLEANUP_INTERVAL.checkAllowed("604800");
        Setting.DEFAULT_PAGE_SIZE.checkAllowed("1");
        Setting.SNAPSHOT_DELTA_MAX.checkAllowed("0");
        Setting.STORAGE_OVERPROVISIONING_FACTOR.checkAllowed("0.1");
        Setting.STORAGE_VOLUME_DEFERRED_DELETE_SECONDS.checkAllowed("0");
        assertThrows(ApiException.class, () -> Setting.STORAGE_CLEANUP_INTERVAL.checkAllowed("604801"));
        assertThrows(ApiException.class, () -> Setting.DEFAULT_PAGE_SIZE.checkAllowed("501"));
    }

    /**
     * Every setting is read at each use (storage.stats.interval too, before each capacity refresh) but
     * agent.plaintext.allowed: the agent port's listener is made with it at start, and each start with it on warns.
     */
    @Test
    void onlyThePlainAgentPortNeedsARestart() {
        assertEquals(List.of(Setting.AGENT_PLAINTEXT_ALLOWED.name()),
                Setting.ALL.stream().filter(s -> !s.dynamic()).map(Setting::name).toList());
    }

    @Test
    void aSettingWhoseDefaultItsOwnRangeRefusesCannotBeDeclared() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Setting("x.interval",
                "Storage", ValueType.wholeNumber(1, 10), "0", true, "d"));
        assertEquals("Default '0' of setting x.interval must be a whole number from 1 to 10", e.getMessage());
    }
}
