package io.rbdstack.agent.ceph;

/**
 * An RBD image as librbd reports it.
 *
 * @param format   1 (old) or 2
 * @param features librbd's feature bits, see {@link RbdImages#FEATURES}
 */
public record RbdImageInfo(String name, long sizeBytes, int format, long features) {
}
