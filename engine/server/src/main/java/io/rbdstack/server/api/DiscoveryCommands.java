package io.rbdstack.server.api;

import static io.rbdstack.server.api.ApiParam.optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.BooleanSupplier;

/** listApis and listCapabilities: what a client asks first. */
public final class DiscoveryCommands {

    private DiscoveryCommands() {
    }

    public static void register(CommandRegistry registry, BooleanSupplier kvmSnapshotEnabled) {
        registry.register(new ListApis(registry)).register(new ListCapabilities(kvmSnapshotEnabled));
    }

    static final class ListApis implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("listApis",
                "lists all available apis on the server, provided by the Api Discovery plugin", Access.USER, false,
                "api", List.of(optional("name", ParamType.STRING, "API name")));

        private final CommandRegistry registry;

        ListApis(CommandRegistry registry) {
            this.registry = registry;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            ArrayNode apis = ApiJson.MAPPER.createArrayNode();
            java.util.Optional<String> name = args.string("name");
            registry.all().stream().filter(c -> CommandRegistry.allowed(c, caller))
                    .filter(c -> name.isEmpty() || c.spec().name().equals(name.get()))
                    .forEach(c -> apis.add(describe(c.spec())));
            ObjectNode body = ApiJson.MAPPER.createObjectNode();
            if (!apis.isEmpty()) {
                body.put("count", apis.size());
                body.set("api", apis);
            }
            return body;
        }

        private static ObjectNode describe(CommandSpec spec) {
            ObjectNode api = ApiJson.MAPPER.createObjectNode();
            api.put("name", spec.name());
            api.put("description", spec.description());
            api.put("isasync", spec.async());
            api.put("related", "");
            ArrayNode params = api.putArray("params");
            for (ApiParam p : spec.params()) {
                ObjectNode param = params.addObject();
                param.put("name", p.name());
                param.put("description", p.description());
                param.put("type", p.type().apiName());
                param.put("required", p.required());
            }
            ArrayNode response = api.putArray("response");
            response.addObject().put("name", spec.responseObject());
            return api;
        }
    }

    static final class ListCapabilities implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("listCapabilities", "Lists capabilities",
                Access.USER, false, "capability", List.of());

        private final BooleanSupplier kvmSnapshotEnabled;

        ListCapabilities(BooleanSupplier kvmSnapshotEnabled) {
            this.kvmSnapshotEnabled = kvmSnapshotEnabled;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            ObjectNode capability = ApiJson.MAPPER.createObjectNode();
            capability.put("cloudstackversion", ApiVersion.CLOUDSTACK_VERSION);
            capability.put("kvmsnapshotenabled", kvmSnapshotEnabled.getAsBoolean());
            capability.put("apilimitinterval", 1);
            capability.put("apilimitmax", 0);
            capability.put("allowusercreateprojects", false);
            capability.put("userpublictemplateenabled", false);
            capability.put("securitygroupsenabled", false);
            ObjectNode body = ApiJson.MAPPER.createObjectNode();
            body.set("capability", capability);
            return body;
        }
    }
}
