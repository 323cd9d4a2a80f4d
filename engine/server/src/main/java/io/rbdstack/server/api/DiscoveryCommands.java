package io.rbdstack.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** listApis and listCapabilities: what a client asks first. */
public final class DiscoveryCommands {

    private DiscoveryCommands() {
    }

    public static void register(CommandRegistry registry, BooleanSupplier kvmSnapshotEnabled) {
        registry.register(ListApis.class, registry);
        registry.register(ListCapabilities.class, kvmSnapshotEnabled);
    }

    @Command(name = "listApis", description = "lists all available apis on the server, provided by the Api Discovery"
            + " plugin", access = Access.USER, response = "api")
    record ListApis(@Param(description = "API name") Optional<String> name) implements SyncCommand<CommandRegistry> {

        @Override
        public ObjectNode execute(Caller caller, CommandRegistry registry) {
            ArrayNode apis = ApiJson.MAPPER.createArrayNode();
            registry.all().stream().filter(c -> c.allowedFor(caller))
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
                param.put("description", p.fullDescription());
                param.put("type", p.type().apiName());
                param.put("required", p.required());
                if (p.length() > 0) {
                    param.put("length", p.length());
                }
            }
            ArrayNode response = api.putArray("response");
            response.addObject().put("name", spec.responseObject());
            return api;
        }
    }

    @Command(name = "listCapabilities", description = "Lists capabilities", access = Access.USER,
            response = "capability")
    record ListCapabilities() implements SyncCommand<BooleanSupplier> {

        @Override
        public ObjectNode execute(Caller caller, BooleanSupplier kvmSnapshotEnabled) {
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
