package io.rbdstack.server.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.server.api.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HostnamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "web-1", "Web01", "x23456789012345678901234567890123456789012345678901234567890123"})
    void rfc1123LabelsAreHostNames(String name) {
        assertTrue(Hostnames.valid(name), name);
        assertEquals(name, Hostnames.require(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1web", "-web", "web-", "web_1", "web.example", "wéb",
        "x234567890123456789012345678901234567890123456789012345678901234"})
    void othersAreRefusedWithCloudStacksText(String name) {
        assertFalse(Hostnames.valid(name), name);
        ApiException e = assertThrows(ApiException.class, () -> Hostnames.require(name));
        assertTrue(e.getMessage().startsWith("Invalid hostname: " + name + ". Vm's hostname can contain ASCII"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("(parameter name)"), e.getMessage());
    }

    @Test
    void aVmWithoutANameIsCalledAfterItsUuid() {
        assertEquals("VM-0c6e4b9e-0000-4000-8000-000000000001",
                Hostnames.generated("0c6e4b9e-0000-4000-8000-000000000001"));
    }
}
