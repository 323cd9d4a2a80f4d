package io.rbdstack.agent.ceph;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The completion of one asynchronous librbd request (no callback: the caller waits for it). Made before the
 * request is queued, then either waited for ({@link #await}) or, when the request could not be queued,
 * released ({@link #release}); either frees it.
 */
final class RbdCompletion {

    private final Pointer completion;

    private RbdCompletion(Pointer completion) {
        this.completion = completion;
    }

    /** A new completion; {@code what} names the transfer in the error. */
    static RbdCompletion create(String what) throws CephException {
        PointerByReference made = new PointerByReference();
        int rc = LibRbd.INSTANCE.rbd_aio_create_completion(Pointer.NULL, Pointer.NULL, made);
        if (rc < 0) {
            throw new CephException("no librbd completion for " + what + ": " + CephErrors.describe(rc), rc);
        }
        return new RbdCompletion(made.getValue());
    }

    Pointer pointer() {
        return completion;
    }

    /** Waits, however long it takes, for the request's end (librbd is done with its buffer then); its return value. */
    long await() {
        LibRbd.INSTANCE.rbd_aio_wait_for_complete(completion);
        long rc = LibRbd.INSTANCE.rbd_aio_get_return_value(completion);
        release();
        return rc;
    }

    /** Frees a completion whose request was never queued. */
    void release() {
        LibRbd.INSTANCE.rbd_aio_release(completion);
    }
}
