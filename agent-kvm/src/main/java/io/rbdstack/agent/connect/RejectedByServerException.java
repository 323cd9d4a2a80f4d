package io.rbdstack.agent.connect;

/** The management server answered the hello with "rejected". */
final class RejectedByServerException extends Exception {

    RejectedByServerException(String reason) {
        super(reason);
    }
}
