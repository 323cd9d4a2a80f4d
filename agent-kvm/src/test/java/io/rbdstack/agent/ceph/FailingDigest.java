package io.rbdstack.agent.ceph;

import java.security.MessageDigest;

/** A digest that takes {@code after} bytes, then fails every update with {@code failure} (for backups' failure paths). */
final class FailingDigest extends MessageDigest {
    private final RuntimeException failure;
    private long left;

    FailingDigest(RuntimeException failure, long after) {
        super("SHA-256");
        this.failure = failure;
        this.left = after;
    }

    @Override
    protected void engineUpdate(byte input) {
        engineUpdate(new byte[] {input}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
        left -= len;
        if (left < 0) {
            throw failure;
        }
    }

    @Override
    protected byte[] engineDigest() {
        return new byte[32];
    }

    @Override
    protected void engineReset() {
    }
}
