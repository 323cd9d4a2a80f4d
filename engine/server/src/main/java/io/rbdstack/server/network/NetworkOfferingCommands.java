package io.rbdstack.server.network;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import java.util.Optional;

/**
 * listNetworkOfferings: the seeded DefaultSharedNetworkOffering and DefaultSharedDualStackNetworkOffering
 * (offerings are not created or changed yet).
 */
public final class NetworkOfferingCommands {

    private NetworkOfferingCommands() {
    }

    public static void register(CommandRegistry registry, NetworkOfferingRepository offerings) {
        registry.register(ListNetworkOfferings.class, offerings);
    }

    @Command(name = "listNetworkOfferings", description = "Lists all available network offerings.",
            access = Access.USER, response = "networkoffering")
    record ListNetworkOfferings(
            @Param(description = "list network offerings by ID", entity = Entity.NETWORK_OFFERING) Optional<String> id,
            @Param(description = "list network offerings by name") Optional<String> name,
            @Param(description = "list network offerings by guest type: Shared or Isolated") Optional<String> guestIpType,
            @Param(description = "list by traffic type") Optional<String> trafficType,
            @Param(description = "list network offerings by state: Enabled or Disabled") Optional<String> state,
            @Param(description = "true if need to list only default network offerings") Optional<Boolean> isDefault,
            @Param(description = "true to list only offerings whose networks are given a VLAN") Optional<Boolean> specifyVlan,
            @Param(description = "list network offerings available in this zone (all are)", entity = Entity.ZONE)
            Optional<String> zoneId,
            @Param(description = "List by keyword") Optional<String> keyword,
            PageParams page) implements SyncCommand<NetworkOfferingRepository> {

        @Override
        public ObjectNode execute(Caller caller, NetworkOfferingRepository offerings) {
            NetworkOfferingRepository.Filter filter = new NetworkOfferingRepository.Filter(id, name, keyword,
                    guestIpType, trafficType, state, isDefault, specifyVlan);
            return ApiJson.list("networkoffering", offerings.list(filter, page.sql()).stream()
                    .map(NetworkOffering::view).toList(), offerings.count(filter));
        }
    }
}
