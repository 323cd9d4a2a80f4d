package io.rbdstack.spi.storage;

/**
 * A storage operation that failed, with what kind of failure it was so the engine answers with the
 * right CloudStack error code, and a message an admin can act on (never a secret).
 */
public final class StorageException extends Exception {

    /** Kinds of failure, each with the error code the API answers with. */
    public enum Kind {
        /** The definition or an argument is wrong (bad key, no such Ceph pool…): 431. */
        INVALID(431),
        /** No host can do it now (none Up in scope, agent lost): 534. */
        UNAVAILABLE(534),
        /** The resource is in use (a pool with volumes): 536. */
        IN_USE(536),
        /** The storage failed (monitors unreachable, I/O error): 530. */
        FAILED(530);

        private final int errorCode;

        Kind(int errorCode) {
            this.errorCode = errorCode;
        }

        public int errorCode() {
            return errorCode;
        }
    }

    private final Kind kind;

    public StorageException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public StorageException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
