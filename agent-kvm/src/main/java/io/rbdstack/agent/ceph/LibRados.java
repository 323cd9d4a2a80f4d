package io.rbdstack.agent.ceph;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The librados calls rados-java does not bind: snapshot reads, read operations of several extents, and object class
 * methods.
 */
interface LibRados extends Library {

    LibRados INSTANCE = Native.load("rados", LibRados.class);

    /** {@code void rados_ioctx_snap_set_read(rados_ioctx_t io, rados_snap_t snap)}: reads see that snapshot. */
    void rados_ioctx_snap_set_read(Pointer ioCtx, long snapId);

    /**
     * {@code int rados_exec(rados_ioctx_t io, const char *oid, const char *cls, const char *method, const char *in_buf,
     * size_t in_len, char *buf, size_t out_len)}: runs an object class method; the output's length or -errno.
     */
    int rados_exec(Pointer ioCtx, String oid, String cls, String method, byte[] in, long inLength, byte[] out,
                   long outLength);

    /** {@code int64_t rados_ioctx_get_id(rados_ioctx_t io)}: the pool's id. */
    long rados_ioctx_get_id(Pointer ioCtx);

    /** {@code rados_read_op_t rados_create_read_op(void)}. */
    Pointer rados_create_read_op();

    /** {@code void rados_release_read_op(rados_read_op_t read_op)}. */
    void rados_release_read_op(Pointer readOp);

    /**
     * {@code void rados_read_op_read(rados_read_op_t read_op, uint64_t offset, size_t len, char *buffer,
     * size_t *bytes_read, int *prval)}: one extent of the object; what was read and its -errno come back through the
     * two pointers when the operation completes.
     */
    void rados_read_op_read(Pointer readOp, long offset, long length, Pointer buffer, Pointer bytesRead, Pointer rval);

    /** {@code void rados_read_op_set_flags(rados_read_op_t read_op, int flags)}: for the last extent added. */
    void rados_read_op_set_flags(Pointer readOp, int flags);

    /**
     * {@code int rados_aio_read_op_operate(rados_read_op_t read_op, rados_ioctx_t io, rados_completion_t completion,
     * const char *oid, int flags)}: 0 when queued, or -errno.
     */
    int rados_aio_read_op_operate(Pointer readOp, Pointer ioCtx, Pointer completion, String oid, int flags);

    /** {@code int rados_aio_create_completion2(void *cb_arg, rados_callback_t cb_complete, rados_completion_t *pc)}. */
    int rados_aio_create_completion2(Pointer callbackArg, Pointer callback, PointerByReference completion);

    /** {@code int rados_aio_wait_for_complete(rados_completion_t c)}. */
    int rados_aio_wait_for_complete(Pointer completion);

    /** {@code int rados_aio_get_return_value(rados_completion_t c)}: 0 or -errno of the whole operation. */
    int rados_aio_get_return_value(Pointer completion);

    /** {@code void rados_aio_release(rados_completion_t c)}. */
    void rados_aio_release(Pointer completion);
}
