/**
 * The messages the management server and a KVM agent exchange: one JSON object per line over TCP
 * (optionally TLS). {@link io.rbdstack.spi.agent.AgentMessage} is the envelope; a
 * {@link io.rbdstack.spi.agent.Request} carries an {@link io.rbdstack.spi.agent.AgentCommand} and
 * its {@link io.rbdstack.spi.agent.Response} an {@link io.rbdstack.spi.agent.Answer}. Only the
 * envelope and the core commands live here; modules contribute theirs through
 * {@link io.rbdstack.spi.agent.AgentMessageTypes}. The framing and the sockets are in the server
 * and the agent. See {@code docs/agent-protocol.md}.
 */
package io.rbdstack.spi.agent;
