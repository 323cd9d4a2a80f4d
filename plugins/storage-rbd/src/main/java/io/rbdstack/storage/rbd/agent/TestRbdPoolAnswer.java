package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.Answer;

/** The outcome of {@link TestRbdPoolCommand}: on failure, which check failed and why. */
@JsonTypeName("rbd.testPool")
public record TestRbdPoolAnswer(boolean success, String details, Failure failure) implements Answer {

    /** Why a pool cannot be used, so the API can answer with the right code and words. */
    public enum Failure {
        /** cephx refused the user or key. */
        BAD_CREDENTIALS,
        /** The Ceph pool does not exist (or the user may not see it). */
        NO_SUCH_POOL,
        /** No monitor answered within the timeout. */
        MONITORS_UNREACHABLE,
        /** The user can read but not write the pool. */
        NOT_WRITABLE,
        /** The host's libvirt was built without the RBD storage backend. */
        LIBVIRT_WITHOUT_RBD,
        /** Anything else; details say what. */
        OTHER
    }

    public static TestRbdPoolAnswer ok() {
        return new TestRbdPoolAnswer(true, null, null);
    }

    public static TestRbdPoolAnswer failed(Failure failure, String details) {
        return new TestRbdPoolAnswer(false, details, failure);
    }
}
