package io.rbdstack.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every API command by its exact (case-sensitive) name, with what its body needs. */
public final class CommandRegistry {

    /** A registered command: its type and the dependencies its body is run with. */
    public record Registered(CommandType type, Object deps) {

        public CommandSpec spec() {
            return type.spec();
        }

        /** Whether a caller of this kind may see and run the command. */
        public boolean allowedFor(Caller caller) {
            return spec().access().allows(caller);
        }

        // The casts are safe: register() only pairs a command type with dependencies of its own D.
        @SuppressWarnings("unchecked")
        ObjectNode execute(ApiCommand<?> command, Caller caller) {
            return ((SyncCommand<Object>) command).execute(caller, deps);
        }

        @SuppressWarnings("unchecked")
        AsyncCommand.AsyncStart start(ApiCommand<?> command, Caller caller) {
            return ((AsyncCommand<Object>) command).start(caller, deps);
        }
    }

    private final Map<String, Registered> commands = new TreeMap<>();

    public <D, C extends Record & ApiCommand<D>> CommandRegistry register(Class<C> type, D deps) {
        CommandType commandType = CommandType.of(type);
        String name = commandType.spec().name();
        if (commands.putIfAbsent(name, new Registered(commandType, deps)) != null) {
            throw new IllegalStateException("Two commands named " + name);
        }
        return this;
    }

    public Optional<Registered> find(String name) {
        return Optional.ofNullable(commands.get(name));
    }

    public Collection<Registered> all() {
        return Collections.unmodifiableCollection(commands.values());
    }
}
