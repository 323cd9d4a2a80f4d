/**
 * How modules contribute what the agent runs: an
 * {@link io.rbdstack.spi.agent.handler.AgentCommandHandlerFactory} found with ServiceLoader makes
 * one {@link io.rbdstack.spi.agent.handler.AgentCommandHandler} per command class, and the agent
 * dispatches each command to the handler of its class. See {@code docs/agent-protocol.md}.
 */
package io.rbdstack.spi.agent.handler;
