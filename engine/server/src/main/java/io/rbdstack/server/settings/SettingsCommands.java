package io.rbdstack.server.settings;

import static io.rbdstack.server.api.ApiParam.optional;
import static io.rbdstack.server.api.ApiParam.required;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiArgs;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.CommandSpec;
import io.rbdstack.server.api.ParamType;
import io.rbdstack.server.api.SyncCommand;
import java.util.List;
import java.util.Optional;

/** listConfigurations and updateConfiguration (global scope). */
public final class SettingsCommands {

    private SettingsCommands() {
    }

    public static void register(CommandRegistry registry, SettingsRepository settings) {
        registry.register(new ListConfigurations(settings)).register(new UpdateConfiguration(settings));
    }

    static final class ListConfigurations implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("listConfigurations",
                "Lists all configurations.", Access.ADMIN, false, "configuration",
                List.of(optional("name", ParamType.STRING, "lists configuration by name"),
                        optional("category", ParamType.STRING, "lists configurations by category"),
                        optional("keyword", ParamType.STRING, "List by keyword"),
                        optional("page", ParamType.INTEGER, "page number, from 1"),
                        optional("pagesize", ParamType.INTEGER, "page size; -1 for all")));

        private final SettingsRepository settings;

        ListConfigurations(SettingsRepository settings) {
            this.settings = settings;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            Optional<String> name = args.string("name");
            Optional<String> category = args.string("category");
            Optional<String> keyword = args.keyword();
            return ApiJson.list("configuration", settings.list(name, category, keyword, args.paging().sql()),
                    settings.count(name, category, keyword));
        }
    }

    static final class UpdateConfiguration implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("updateConfiguration",
                "Updates a configuration.", Access.ADMIN, false, "configuration",
                List.of(required("name", ParamType.STRING, "the name of the configuration"),
                        required("value", ParamType.STRING, "the value of the configuration")));

        private final SettingsRepository settings;

        UpdateConfiguration(SettingsRepository settings) {
            this.settings = settings;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            String name = args.requireString("name");
            settings.update(name, args.requireString("value"));
            return ApiJson.object("configuration", settings.list(Optional.of(name), Optional.empty(), Optional.empty(), "").get(0));
        }
    }
}
