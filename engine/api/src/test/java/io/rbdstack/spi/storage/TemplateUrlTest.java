package io.rbdstack.spi.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TemplateUrlTest {

    @Test
    void httpAndHttpsUrlsAreDownloads() {
        assertEquals("example.org", TemplateUrl.parse("https://example.org/t.qcow2").httpUri().orElseThrow().getHost());
        assertTrue(TemplateUrl.parse("HTTP://127.0.0.1:8000/t.raw").httpUri().isPresent());
    }

    @Test
    void absolutePathsAndFileUrlsAreFilesOnTheAgentHost() {
        assertEquals("/srv/templates/t.raw", TemplateUrl.parse("/srv/templates/t.raw").filePath().orElseThrow());
        assertEquals("/srv/templates/a b.raw", TemplateUrl.parse("file:///srv/templates/a%20b.raw").filePath()
                .orElseThrow());
    }

    @Test
    void pathsThatClimbOutOrAreNotNormalisedAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TemplateUrl.parse("/srv/templates/../../etc/shadow"));
        assertThrows(IllegalArgumentException.class, () -> TemplateUrl.parse("file:///srv/templates/%2e%2e/x"));
        assertThrows(IllegalArgumentException.class, () -> TemplateUrl.parse("/srv//templates/t.raw"));
        assertThrows(IllegalArgumentException.class, () -> TemplateUrl.parse("/srv/./t.raw"));
        assertThrows(IllegalArgumentException.class, () -> TemplateUrl.parse("file://otherhost/srv/t.raw"));
    }

    @Test
    void otherSchemesHostlessUrlsAndCredentialsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TemplateUrl.parse("ftp://example.org/t.raw"));
        assertThrows(IllegalArgumentException.class, () -> TemplateUrl.parse("http:///t.raw"));
        assertThrows(IllegalArgumentException.class, () -> TemplateUrl.parse("https://u:p@example.org/t.raw"));
        assertThrows(IllegalArgumentException.class, () -> TemplateUrl.parse("relative/t.raw"));
        assertThrows(IllegalArgumentException.class, () -> TemplateUrl.parse(" "));
    }

    @Test
    void aRealPathCountsOnlyInsideTheAllowedDirectory() {
        Path allowed = Path.of("/srv/templates");
        assertTrue(TemplateUrl.within(Path.of("/srv/templates/t.raw"), allowed));
        assertFalse(TemplateUrl.within(Path.of("/srv/templates-other/t.raw"), allowed));
        assertFalse(TemplateUrl.within(Path.of("/etc/shadow"), allowed));
        assertFalse(TemplateUrl.within(allowed, allowed));
    }
}
