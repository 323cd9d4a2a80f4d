package io.rbdstack.agent.libvirt;

import io.rbdstack.agent.ceph.CephKey;
import io.rbdstack.storage.rbd.agent.RbdPool;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libvirt secret (usage type ceph) holding an RBD pool's cephx key, for its libvirt pool and
 * the RBD disks of domains. Its uuid is derived from the pool's uuid, so every host uses the same
 * one and a re-define replaces rather than adds. The value goes in through the API as the key's
 * raw bytes, never through a command line; the secret is private (libvirt will not hand the value
 * out again) and persistent (kept in libvirt's root-only secret store, so the pool can autostart
 * when libvirtd restarts without the agent).
 */
public final class LibvirtCephSecrets {

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtCephSecrets.class);

    private final LibvirtConnection libvirt;

    public LibvirtCephSecrets(LibvirtConnection libvirt) {
        this.libvirt = Objects.requireNonNull(libvirt, "libvirt");
    }

    /** The secret's uuid for a pool: a name-based (v3) uuid of the pool's uuid. */
    public static String secretUuid(String poolUuid) {
        return UUID.nameUUIDFromBytes(("rbdstack ceph secret " + poolUuid).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** {@code client.<user> <pool uuid>}: unique per host, as libvirt requires of ceph usage names. */
    static String usageName(String cephUser, String poolUuid) {
        return "client." + cephUser + " " + poolUuid;
    }

    static String xml(String uuid, String usageName) {
        return "<secret ephemeral='no' private='yes'><uuid>" + LibvirtXml.escape(uuid) + "</uuid>"
                + "<usage type='ceph'><name>" + LibvirtXml.escape(usageName) + "</name></usage></secret>";
    }

    /**
     * Defines the pool's secret (replacing one of another usage) and sets its value.
     *
     * @return the secret's uuid
     */
    public String define(RbdPool pool, CephKey key) throws LibvirtException {
        String uuid = secretUuid(pool.uuid());
        String usage = usageName(pool.cephUser(), pool.uuid());
        libvirt.call(connect -> {
            Secret existing = lookup(connect, uuid);
            if (existing != null && !usage.equals(existing.getUsageID())) {
                // libvirt refuses to change a secret's usage in place.
                existing.undefine();
            }
            Secret secret = connect.secretDefineXML(xml(uuid, usage));
            byte[] value = key.bytes();
            try {
                secret.setValue(value);
            } finally {
                Arrays.fill(value, (byte) 0);
            }
            return null;
        });
        LOG.info("Defined libvirt secret {} ({})", uuid, usage);
        return uuid;
    }

    /** Removes the pool's secret; false when there was none. */
    public boolean undefine(String poolUuid) throws LibvirtException {
        String uuid = secretUuid(poolUuid);
        boolean removed = libvirt.call(connect -> {
            Secret existing = lookup(connect, uuid);
            if (existing == null) {
                return false;
            }
            existing.undefine();
            return true;
        });
        if (removed) {
            LOG.info("Removed libvirt secret {} of pool {}", uuid, poolUuid);
        }
        return removed;
    }

    /** Whether the pool's secret is defined. */
    public boolean exists(String poolUuid) throws LibvirtException {
        String uuid = secretUuid(poolUuid);
        return libvirt.call(connect -> lookup(connect, uuid) != null);
    }

    private static Secret lookup(Connect connect, String uuid) throws LibvirtException {
        try {
            return connect.secretLookupByUUIDString(uuid);
        } catch (LibvirtException e) {
            if (LibvirtErrors.isAbsent(e)) {
                return null;
            }
            throw e;
        }
    }
}
