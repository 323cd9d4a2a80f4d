package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Make the pool usable on this host: a libvirt secret of usage type ceph holding the key (set
 * through the API, never a command line) and a persistent, autostarted, running libvirt {@code rbd}
 * pool named by the pool's uuid. Idempotent: an existing definition is replaced if it differs.
 */
@JsonTypeName("rbd.definePool")
public record DefineRbdPoolCommand(RbdPool pool) implements AgentCommand {
}
