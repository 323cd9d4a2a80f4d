package io.rbdstack.agent.ceph;

import com.sun.jna.ptr.LongByReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RBD trash of one session's pool: which deleted images wait there and purging them once
 * their deferment is over. Ceph never purges the trash by itself, so without this (or an
 * {@code rbd trash purge schedule}) deferred deletes would keep their space for ever.
 */
public final class RbdTrash {

    private static final Logger LOG = LoggerFactory.getLogger(RbdTrash.class);

    /** One image in the trash: its id (what removal takes), its name before deletion and when it may go. */
    public record Entry(String id, String name, int source, Instant deferredUntil) {
    }

    /** What a purge did: {@code purged} when nothing of the image is left in the trash. */
    public record Purge(boolean purged, Instant deferredUntil) {
    }

    private final RadosSession session;

    public RbdTrash(RadosSession session) {
        this.session = Objects.requireNonNull(session, "session");
    }

    /** Every image in the pool's trash. */
    public List<Entry> list() throws CephException {
        LongByReference count = new LongByReference(0);
        int rc = LibRbd.INSTANCE.rbd_trash_list(session.ioCtx().getPointer(), null, count);
        // The trash can grow between the two calls: ask again with the larger count.
        for (int attempt = 0; rc == -CephErrors.ERANGE && attempt < 5; attempt++) {
            int size = (int) count.getValue();
            LibRbd.TrashImageInfo[] entries = (LibRbd.TrashImageInfo[]) new LibRbd.TrashImageInfo().toArray(size);
            rc = LibRbd.INSTANCE.rbd_trash_list(session.ioCtx().getPointer(), entries[0], count);
            if (rc >= 0) {
                return read(entries, (int) count.getValue());
            }
        }
        if (rc < 0) {
            throw new CephException("cannot list the trash of pool " + session.pool().cephPool() + ": "
                    + CephErrors.describe(rc), rc);
        }
        return List.of(); // an empty trash answers 0 at once
    }

    /**
     * Removes every trash entry of the image named {@code name} whose deferment is over. Entries
     * not moved there by a user (mirroring, migration) are not ours and are left alone.
     */
    public Purge purge(String name) throws CephException {
        Instant latest = null;
        for (Entry entry : list()) {
            if (!entry.name().equals(name)
                    || (entry.source() != LibRbd.TrashImageInfo.SOURCE_USER
                    && entry.source() != LibRbd.TrashImageInfo.SOURCE_REMOVING)) {
                continue;
            }
            int rc = LibRbd.INSTANCE.rbd_trash_remove(session.ioCtx().getPointer(), entry.id(), false);
            if (rc == -CephErrors.EPERM) { // its deferment is not over yet
                latest = latest == null || entry.deferredUntil().isAfter(latest) ? entry.deferredUntil() : latest;
            } else if (rc < 0 && rc != -CephErrors.ENOENT) {
                throw new CephException("cannot purge image " + name + " (" + entry.id() + ") from the trash of pool "
                        + session.pool().cephPool() + ": " + CephErrors.describe(rc), rc);
            } else {
                LOG.info("Purged RBD image {}/{} from the trash", session.pool().cephPool(), name);
            }
        }
        return new Purge(latest == null, latest);
    }

    /** Removes the trash entry {@code id} if its deferment is over: true when it is gone, false while it must stay. */
    public boolean removeIfExpired(String id) throws CephException {
        int rc = LibRbd.INSTANCE.rbd_trash_remove(session.ioCtx().getPointer(), id, false);
        if (rc == -CephErrors.EPERM) {
            return false;
        }
        if (rc < 0 && rc != -CephErrors.ENOENT) {
            throw new CephException("cannot purge image " + id + " from the trash of pool " + session.pool().cephPool()
                    + ": " + CephErrors.describe(rc), rc);
        }
        LOG.info("Purged RBD image {} (id) from the trash of pool {}", id, session.pool().cephPool());
        return true;
    }

    private static List<Entry> read(LibRbd.TrashImageInfo[] entries, int count) {
        List<Entry> result = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                entries[i].read();
                result.add(new Entry(entries[i].id, entries[i].name, entries[i].source,
                        Instant.ofEpochSecond(entries[i].defermentEndTime)));
            }
        } finally {
            LibRbd.INSTANCE.rbd_trash_list_cleanup(entries[0], count);
        }
        return result;
    }
}
