package io.rbdstack.agent.testplugin;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.Answer;

/** The answer to {@link ReverseTextCommand}, from the agent whose host is {@code hostname}. */
@JsonTypeName("testplugin.reversedText")
public record ReversedTextAnswer(boolean success, String details, String reversed, String hostname)
        implements Answer {
}
