package io.rbdstack.agent.ceph;

/** The text given as a cephx key is not one; the message says why without quoting it. */
public final class InvalidCephKeyException extends CephException {

    InvalidCephKeyException(String message) {
        super(message, -CephErrors.EINVAL);
    }
}
