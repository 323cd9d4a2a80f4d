package io.rbdstack.agent.ceph;

import com.ceph.rados.IoCTX;
import com.ceph.rados.Rados;
import com.ceph.rados.exceptions.RadosException;
import io.rbdstack.storage.rbd.agent.RbdPool;

/**
 * One connected librados handle for one {@link RbdPool} and the I/O context of its Ceph pool,
 * opened on first use. Not shared between threads: every command connects, works and closes.
 * {@link #close()} frees both native handles exactly once (rados-java frees them again if asked).
 */
public final class RadosSession implements AutoCloseable {

    private final Rados rados;
    private final RbdPool pool;
    private IoCTX ioCtx;
    private boolean closed;

    RadosSession(Rados rados, RbdPool pool) {
        this.rados = rados;
        this.pool = pool;
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
        if (ioCtx != null) {
            rados.ioCtxDestroy(ioCtx);
        }
        rados.shutDown();
    }
}
