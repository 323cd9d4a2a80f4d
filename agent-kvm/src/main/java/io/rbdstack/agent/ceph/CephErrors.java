package io.rbdstack.agent.ceph;

import io.rbdstack.storage.rbd.agent.TestRbdPoolAnswer.Failure;
import java.util.Map;

/**
 * What librados' and librbd's negative errno values mean to an operator, per step of using a pool.
 * Each mapping below was observed against Ceph 16.2 unless it says otherwise.
 */
public final class CephErrors {

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int EROFS = 30;
    static final int ERANGE = 34;
    static final int ENOTEMPTY = 39;
    static final int EOPNOTSUPP = 95;
    static final int ENETUNREACH = 101;
    static final int ENOTCONN = 107;
    static final int ESHUTDOWN = 108;
    static final int ETIMEDOUT = 110;
    static final int ECONNREFUSED = 111;
    static final int EHOSTUNREACH = 113;
    static final int EDQUOT = 122;
    static final int ECANCELED = 125;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(EPERM, "EPERM"), Map.entry(ENOENT, "ENOENT"), Map.entry(EINTR, "EINTR"),
            Map.entry(EIO, "EIO"), Map.entry(EBADF, "EBADF"), Map.entry(EAGAIN, "EAGAIN"), Map.entry(EACCES, "EACCES"),
            Map.entry(ECANCELED, "ECANCELED"),
            Map.entry(EBUSY, "EBUSY"), Map.entry(EEXIST, "EEXIST"), Map.entry(EINVAL, "EINVAL"),
            Map.entry(ENOSPC, "ENOSPC"), Map.entry(EROFS, "EROFS"), Map.entry(ERANGE, "ERANGE"),
            Map.entry(ENOTEMPTY, "ENOTEMPTY"), Map.entry(EOPNOTSUPP, "EOPNOTSUPP"),
            Map.entry(ENETUNREACH, "ENETUNREACH"), Map.entry(ENOTCONN, "ENOTCONN"), Map.entry(ESHUTDOWN, "ESHUTDOWN"),
            Map.entry(ETIMEDOUT, "ETIMEDOUT"),
            Map.entry(ECONNREFUSED, "ECONNREFUSED"), Map.entry(EHOSTUNREACH, "EHOSTUNREACH"),
            Map.entry(EDQUOT, "EDQUOT"));

    private CephErrors() {
    }

    /** "EACCES (-13)"; an errno without a name here shows as "errno 42 (-42)". */
    public static String describe(int returnCode) {
        int errno = Math.abs(returnCode);
        return NAMES.getOrDefault(errno, "errno " + errno) + " (" + -errno + ")";
    }

    /**
     * {@code rados_connect}. Observed: a wrong key, an unknown user and a user without mon caps all
     * give EACCES; an address where no monitor listens (refused, silent, or a black-hole listener)
     * gives ETIMEDOUT after client_mount_timeout; a monitor name that does not resolve or cannot be
     * parsed gives EINVAL; an empty mon_host ENOENT; no key at all EOPNOTSUPP. EPERM, ECONNREFUSED,
     * EHOSTUNREACH, ENETUNREACH and EINTR were not produced here (librados retries refused
     * connections until the timeout) and are mapped by their meaning.
     */
    public static Failure onConnect(int returnCode) {
        return switch (Math.abs(returnCode)) {
            case EACCES, EPERM, EOPNOTSUPP -> Failure.BAD_CREDENTIALS;
            case ETIMEDOUT, ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EINTR, EINVAL, ENOENT ->
                    Failure.MONITORS_UNREACHABLE;
            default -> Failure.OTHER;
        };
    }

    /**
     * {@code rados_ioctx_create}. Observed: a missing pool gives ENOENT. It checks no caps (a pool
     * the user may not touch opens fine; the write then fails), so EACCES/EPERM mean the same as
     * a missing pool to the user. A user whose mon caps do not let it read the OSD map waits for
     * it until rados_mon_op_timeout: ETIMEDOUT, reported as OTHER with that hint.
     */
    public static Failure onOpenPool(int returnCode) {
        return switch (Math.abs(returnCode)) {
            case ENOENT, EACCES, EPERM -> Failure.NO_SUCH_POOL;
            default -> Failure.OTHER;
        };
    }

    /**
     * Writing or removing an object. Observed: a user whose osd caps do not allow writing the pool
     * (profile rbd-read-only, or another pool's profile) gets EPERM. EACCES, EROFS, EDQUOT and
     * ENOSPC mean the pool takes no writes either (quota, full cluster) and are mapped so; a pool
     * deleted in between gives ENOENT.
     */
    public static Failure onWrite(int returnCode) {
        return switch (Math.abs(returnCode)) {
            case EPERM, EACCES, EROFS, EDQUOT, ENOSPC -> Failure.NOT_WRITABLE;
            case ENOENT -> Failure.NO_SUCH_POOL;
            default -> Failure.OTHER;
        };
    }

    /**
     * Refused because something still uses the image: a rollback while a client has it open for writing, EBUSY
     * (rbdstack's own check of the exclusive lock's owners) or EROFS (librbd, when a client keeps the lock with
     * {@code rbd_lock_acquire}); a template delete while clones depend on it, EBUSY.
     */
    public static boolean inUse(int returnCode) {
        int errno = Math.abs(returnCode);
        return errno == EBUSY || errno == EROFS;
    }

    /**
     * A failure after which a shared connection is not used again: timeouts and lost or refused
     * connections (the handle may be stuck), and cephx or caps refusals (the key or its caps may have
     * changed in Ceph; a new connection gets new tickets). Anything else is the request's own.
     */
    public static boolean mayBeTheConnection(int returnCode) {
        return switch (Math.abs(returnCode)) {
            case ETIMEDOUT, ENOTCONN, ESHUTDOWN, ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EACCES, EPERM, EIO -> true;
            default -> false;
        };
    }

    /** A failure that is the request's own: no such image (ENOENT), one in another group (EEXIST), a bad name (EINVAL). */
    public static boolean invalidRequest(int returnCode) {
        int errno = Math.abs(returnCode);
        return errno == ENOENT || errno == EEXIST || errno == EINVAL;
    }
}
