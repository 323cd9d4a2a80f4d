package io.rbdstack.server.settings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import java.util.Optional;

/** listConfigurations and updateConfiguration (global scope). */
public final class SettingsCommands {

    private SettingsCommands() {
    }

    public static void register(CommandRegistry registry, SettingsRepository settings) {
        registry.register(ListConfigurations.class, settings);
        registry.register(UpdateConfiguration.class, settings);
    }

    @Command(name = "listConfigurations", description = "Lists all configurations.", access = Access.ADMIN,
            response = "configuration")
    record ListConfigurations(@Param(description = "lists configuration by name") Optional<String> name,
                              @Param(description = "lists configurations by category") Optional<String> category,
                              @Param(description = "List by keyword") Optional<String> keyword,
                              PageParams page) implements SyncCommand<SettingsRepository> {

        @Override
        public ObjectNode execute(Caller caller, SettingsRepository settings) {
            return ApiJson.list("configuration", settings.list(name, category, keyword, page.sql()),
                    settings.count(name, category, keyword));
        }
    }

    @Command(name = "updateConfiguration", description = "Updates a configuration.", access = Access.ADMIN,
            response = "configuration", event = "CONFIGURATION.VALUE.EDIT")
    record UpdateConfiguration(@Param(description = "the name of the configuration") String name,
                               @Param(description = "the value of the configuration", length = 4095,
                                       column = "configuration.value") String value)
            implements SyncCommand<SettingsRepository> {

        @Override
        public ObjectNode execute(Caller caller, SettingsRepository settings) {
            settings.update(name, value);
            return ApiJson.object("configuration",
                    settings.list(Optional.of(name), Optional.empty(), Optional.empty(), "").get(0));
        }
    }
}
