package io.rbdstack.spi.storage;

import java.util.Objects;

/**
 * Where a template's data comes from and what it must be: an http(s) URL or an absolute path on the
 * agent's host, its format ({@code RAW} or {@code QCOW2}), the checksum it must match (may be null:
 * nothing to check) and the most bytes the download may take.
 */
public record TemplateSource(String url, String format, TemplateChecksum checksum, long maxBytes) {

    public TemplateSource {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(format, "format");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
    }
}
