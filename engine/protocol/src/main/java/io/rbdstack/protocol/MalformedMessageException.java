package io.rbdstack.protocol;

import java.util.OptionalLong;

/**
 * A line that is not a message we understand. The text never quotes the line, which may hold
 * secrets; when the line was a response, {@link #requestId()} lets the caller fail that request
 * at once instead of letting it time out.
 */
public final class MalformedMessageException extends Exception {

    private final OptionalLong requestId;

    public MalformedMessageException(String message, OptionalLong requestId) {
        super(message);
        this.requestId = requestId;
    }

    public OptionalLong requestId() {
        return requestId;
    }
}
