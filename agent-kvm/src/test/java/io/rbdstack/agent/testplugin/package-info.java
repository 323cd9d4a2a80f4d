/**
 * A plugin that lives only in test sources: its own agent command, answer and handler, contributed
 * through {@code src/test/resources/META-INF/services} without any change to engine/api, the
 * codec or the agent. {@link io.rbdstack.agent.ContributedCommandIT} runs it end to end.
 */
package io.rbdstack.agent.testplugin;
