package io.rbdstack.server.api;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every API command by its exact (case-sensitive) name. */
public final class CommandRegistry {

    private final Map<String, ApiCommand> commands = new TreeMap<>();

    public CommandRegistry register(ApiCommand command) {
        if (commands.putIfAbsent(command.spec().name(), command) != null) {
            throw new IllegalStateException("Two commands named " + command.spec().name());
        }
        return this;
    }

    public Optional<ApiCommand> find(String name) {
        return Optional.ofNullable(commands.get(name));
    }

    public Collection<ApiCommand> all() {
        return Collections.unmodifiableCollection(commands.values());
    }

    /** Whether a caller of this kind may see and run the command. */
    public static boolean allowed(ApiCommand command, Caller caller) {
        return command.spec().access() == Access.USER || caller.isRootAdmin();
    }
}
