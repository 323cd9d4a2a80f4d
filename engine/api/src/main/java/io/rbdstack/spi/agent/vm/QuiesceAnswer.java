package io.rbdstack.spi.agent.vm;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.Answer;

/**
 * The outcome of a freeze or thaw: whether the guest agent answered, and how many file systems it
 * froze or thawed. {@code success} is false only when an agent that answered failed.
 */
@JsonTypeName("vm.quiesced")
public record QuiesceAnswer(boolean success, String details, boolean guestAgentPresent, int filesystems)
        implements Answer {
}
