package io.rbdstack.agent.libvirt;

import io.rbdstack.storage.rbd.agent.RbdPool;
import java.util.Objects;
import java.util.Optional;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StoragePoolInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libvirt {@code rbd} storage pools named by the RBD pool's uuid: defined persistent, autostarted
 * (a persistent pool without autostart is inactive after a libvirtd restart) and running. Volume
 * figures come from the pool's XML, never {@code StorageVol.getInfo()}, which trips an assertion in
 * libvirt-java 0.5.4 for RBD volumes; {@code StoragePool.getInfo()} is fine.
 */
public final class LibvirtRbdPools {

    /** What {@link #define} did. */
    public enum Change { CREATED, REPLACED, UNCHANGED }

    /** A libvirt pool as libvirt sees it now. */
    public record PoolState(boolean active, boolean persistent, boolean autostart, long capacityBytes,
                            long allocationBytes, long availableBytes) {
    }

    /** virStoragePoolGetXMLDesc flag: the persistent definition, not the running one. */
    private static final int XML_INACTIVE = 1;

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtRbdPools.class);

    private final LibvirtConnection libvirt;

    public LibvirtRbdPools(LibvirtConnection libvirt) {
        this.libvirt = Objects.requireNonNull(libvirt, "libvirt");
    }

    /**
     * Makes the libvirt pool match the RBD pool: defines it, or replaces a definition that differs
     * (destroy + undefine + define; guests keep their disks, which carry their own auth), then sets
     * autostart and starts it, or refreshes it when it is already running.
     */
    public Change define(RbdPool pool, String secretUuid) throws LibvirtException {
        RbdPoolDefinition wanted = RbdPoolDefinition.of(pool, secretUuid);
        long start = System.nanoTime();
        Change change = libvirt.call(connect -> {
            StoragePool existing = lookup(connect, pool.uuid());
            Change what = Change.CREATED;
            if (existing != null) {
                if (wanted.equals(definitionOf(existing))) {
                    what = Change.UNCHANGED;
                } else {
                    remove(existing);
                    existing = null;
                    what = Change.REPLACED;
                }
            }
            StoragePool libvirtPool = existing != null && existing.isPersistent() == 1
                    ? existing : connect.storagePoolDefineXML(wanted.toXml(), 0);
            if (!libvirtPool.getAutostart()) {
                libvirtPool.setAutostart(1);
            }
            if (libvirtPool.isActive() == 0) {
                libvirtPool.create(0); // connects to Ceph and lists the images: a refresh
            } else {
                libvirtPool.refresh(0);
            }
            return what;
        });
        LOG.info("libvirt pool {} {} and running ({} ms)", pool.uuid(), change.name().toLowerCase(),
                (System.nanoTime() - start) / 1_000_000);
        return change;
    }

    /** Re-reads the pool's images and figures from Ceph. */
    public void refresh(String poolUuid) throws LibvirtException {
        libvirt.call(connect -> {
            connect.storagePoolLookupByName(poolUuid).refresh(0);
            return null;
        });
    }

    /** Stops and undefines the pool; false when there was none. */
    public boolean remove(String poolUuid) throws LibvirtException {
        boolean removed = libvirt.call(connect -> {
            StoragePool existing = lookup(connect, poolUuid);
            if (existing == null) {
                return false;
            }
            remove(existing);
            return true;
        });
        if (removed) {
            LOG.info("Removed libvirt pool {}", poolUuid);
        }
        return removed;
    }

    /** The pool's state and figures; empty when libvirt has no such pool. */
    public Optional<PoolState> state(String poolUuid) throws LibvirtException {
        return libvirt.call(connect -> {
            StoragePool pool = lookup(connect, poolUuid);
            if (pool == null) {
                return Optional.empty();
            }
            StoragePoolInfo info = pool.getInfo();
            return Optional.of(new PoolState(pool.isActive() == 1, pool.isPersistent() == 1, pool.getAutostart(),
                    info.capacity, info.allocation, info.available));
        });
    }

    /**
     * How the host reaches the pool, as its libvirt definition says (monitors, Ceph pool, user, secret
     * uuid; never the key); empty when libvirt has no such pool.
     */
    public Optional<RbdPoolDefinition> definition(String poolUuid) throws LibvirtException {
        return libvirt.call(connect -> {
            StoragePool pool = lookup(connect, poolUuid);
            return pool == null ? Optional.empty() : Optional.ofNullable(definitionOf(pool));
        });
    }

    private static void remove(StoragePool pool) throws LibvirtException {
        boolean persistent = pool.isPersistent() == 1; // a transient pool is gone once destroyed
        if (pool.isActive() == 1) {
            pool.destroy();
        }
        if (persistent) {
            pool.undefine();
        }
    }

    private static RbdPoolDefinition definitionOf(StoragePool pool) throws LibvirtException {
        try {
            return RbdPoolDefinition.fromXml(pool.getXMLDesc(XML_INACTIVE));
        } catch (IllegalArgumentException e) {
            return null; // a definition we cannot read is one we replace
        }
    }

    private static StoragePool lookup(Connect connect, String name) throws LibvirtException {
        try {
            return connect.storagePoolLookupByName(name);
        } catch (LibvirtException e) {
            if (LibvirtErrors.isAbsent(e)) {
                return null;
            }
            throw e;
        }
    }
}
