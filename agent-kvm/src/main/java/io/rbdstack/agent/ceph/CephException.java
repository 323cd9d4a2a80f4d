package io.rbdstack.agent.ceph;

/**
 * A Ceph operation failed. {@link #returnCode()} is librados' or librbd's negative errno (0 when
 * the failure did not come from Ceph). The message names the operation, never a key.
 */
public class CephException extends Exception {

    private final int returnCode;

    public CephException(String message, int returnCode) {
        super(message);
        this.returnCode = returnCode;
    }

    public CephException(String message, int returnCode, Throwable cause) {
        super(message, cause);
        this.returnCode = returnCode;
    }

    /** The negative errno Ceph returned, e.g. -13 for EACCES; 0 when not known. */
    public int returnCode() {
        return returnCode;
    }
}
