package io.rbdstack.agent.dhcp;

/** A DHCPv6 command that cannot be done; the message says which network or file and why. */
public final class DhcpException extends RuntimeException {

    public DhcpException(String message) {
        super(message);
    }

    public DhcpException(String message, Throwable cause) {
        super(message, cause);
    }
}
