package io.rbdstack.agent.vm;

/** A VM operation this host cannot do; its message is the answer's details, as the server shows it. */
public final class VmException extends RuntimeException {

    public VmException(String message) {
        super(message);
    }
}
