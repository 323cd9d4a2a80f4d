package io.rbdstack.agent.testplugin;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/** The test plugin's command: the agent answers with the text reversed and its host's name. */
@JsonTypeName("testplugin.reverseText")
public record ReverseTextCommand(String text) implements AgentCommand {
}
