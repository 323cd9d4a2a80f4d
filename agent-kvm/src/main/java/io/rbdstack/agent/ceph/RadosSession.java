package io.rbdstack.agent.ceph;

import com.ceph.rados.IoCTX;
import com.ceph.rados.Rados;
import com.ceph.rados.exceptions.RadosException;
import io.rbdstack.storage.rbd.agent.RbdPool;

/**
 * One command's use of a connected librados handle for one {@link RbdPool}, and the I/O context of
 * its Ceph pool, opened on first use. The handle may serve other commands at the same time (librados
 * handles are thread-safe); the I/O context and the session are this command's alone.
 * {@link #close()} frees the I/O context and hands the handle back exactly once (rados-java frees
 * them again if asked).
 */
public final class RadosSession implements AutoCloseable {

    private final Rados rados;
    private final RbdPool pool;
    private final Runnable release;
    private IoCTX ioCtx;
    private boolean closed;

    /** {@code release} hands the handle back (or shuts it down) once the session is done with it. */
    RadosSession(Rados rados, RbdPool pool, Runnable release) {
        this.rados = rados;
        this.pool = pool;
        this.release = release;
    }

    public Rados rados() {
        return rados;
    }

    public RbdPool pool() {
        return pool;
    }

    /** The pool's I/O context. ENOENT when the Ceph pool does not exist. */
    public IoCTX ioCtx() throws CephException {
        if (ioCtx == null) {
            try {
                ioCtx = rados.ioCtxCreate(pool.cephPool());
            } catch (RadosException e) {
                throw new CephException("cannot open Ceph pool '" + pool.cephPool() + "': "
                        + CephErrors.describe(e.getReturnValue()), e.getReturnValue(), e);
            }
        }
        return ioCtx;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (ioCtx != null) {
                rados.ioCtxDestroy(ioCtx);
            }
        } finally {
            release.run();
        }
    }
}
