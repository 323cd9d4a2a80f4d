package io.rbdstack.server.host;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import java.util.List;
import java.util.Optional;

/** updateHost, prepareHostForMaintenance and cancelHostMaintenance. */
public final class HostAdminCommands {

    private HostAdminCommands() {
    }

    /** What the commands need. */
    public record Deps(HostRepository hosts, HostMaintenance maintenance) {

        HostRepository.HostView host(String uuid) {
            return hosts.find(uuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find host by id " + uuid + " (parameter id)"));
        }
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(UpdateHost.class, deps);
        registry.register(PrepareHostForMaintenance.class, deps);
        registry.register(CancelHostMaintenance.class, deps);
    }

    /** updateHost's allocationstate values (CloudStack's resource state events). */
    enum Allocation {
        Enable(HostResourceState.Enabled), Disable(HostResourceState.Disabled);

        private final HostResourceState state;

        Allocation(HostResourceState state) {
            this.state = state;
        }
    }

    @Command(name = "updateHost", description = "Updates a host.", access = Access.ADMIN, response = "host",
            event = "HOST.UPDATE")
    record UpdateHost(
            @Param(description = "the ID of the host to update", entity = Entity.HOST) String id,
            @Param(description = "Change resource state of host, valid values are [Enable, Disable]. Operation may"
                    + " fail if host in states not allowing Enable/Disable") Optional<Allocation> allocationState,
            @Param(description = "list of tags to be added to the host", column = "host_tags.tag") List<String> hostTags,
            @Param(description = "the new name of the host", column = "host.name") Optional<String> name)
            implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            HostRepository.HostView host = deps.host(id);
            Optional<String> newName = name.map(String::trim).filter(n -> !n.equals(host.name()));
            if (newName.isPresent() && (newName.get().isEmpty() || deps.hosts().nameTakenBesides(id, newName.get()))) {
                throw ApiException.invalidParameter("Invalid value for parameter name: " + (newName.get().isEmpty()
                        ? "a host needs a name" : "host " + newName.get() + " is already in the cluster"));
            }
            if (allocationState.isPresent()) {
                HostResourceState current = HostResourceState.valueOf(host.resourcestate());
                HostResourceState wanted = allocationState.get().state;
                if (current.inMaintenance()) {
                    throw ApiException.invalidParameter("Host " + host.name() + " is " + current + "; cancel its"
                            + " maintenance (cancelHostMaintenance) before you enable or disable it");
                }
                if (current != wanted && !deps.hosts().moveResourceState(id, current, wanted)) {
                    throw ApiException.invalidParameter("The resource state of host " + host.name()
                            + " changed meanwhile; try again");
                }
            }
            deps.hosts().update(id, new HostRepository.HostUpdate(newName,
                    hostTags.isEmpty() ? Optional.empty() : Optional.of(hostTags.stream().distinct().toList())));
            return ApiJson.object("host", deps.host(id));
        }
    }

    @Command(name = "prepareHostForMaintenance", description = "Prepares a host for maintenance: no new storage work"
            + " goes to it, and it is in Maintenance once its agent has finished the commands it was given.",
            access = Access.ADMIN, response = "host",
            event = "MAINT.PREPARE")
    record PrepareHostForMaintenance(@Param(description = "the host ID", entity = Entity.HOST) String id)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            HostRepository.HostView host = deps.host(id);
            deps.maintenance().begin(id, host.name());
            return new AsyncStart("Host", id, progress -> {
                deps.maintenance().drain(id);
                return ApiJson.object("host", deps.host(id));
            });
        }
    }

    @Command(name = "cancelHostMaintenance", description = "Cancels host maintenance: the host takes work again.",
            access = Access.ADMIN, response = "host",
            event = "MAINT.CANCEL")
    record CancelHostMaintenance(@Param(description = "the host ID", entity = Entity.HOST) String id)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            HostRepository.HostView host = deps.host(id);
            deps.maintenance().cancel(id, host.name());
            return new AsyncStart("Host", id, progress -> ApiJson.object("host", deps.host(id)));
        }
    }
}
