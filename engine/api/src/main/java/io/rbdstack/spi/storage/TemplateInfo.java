package io.rbdstack.spi.storage;

/**
 * A template imported into a pool: its base image's path (for RBD the image name), the snapshot new
 * volumes are cloned from, and the template's virtual size in bytes.
 */
public record TemplateInfo(String path, String snapshot, long sizeBytes) {
}
