package io.rbdstack.protocol;

import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.AgentMessage;
import io.rbdstack.spi.agent.AgentMessageTypes;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.CoreMessageTypes;
import io.rbdstack.spi.agent.Request;
import io.rbdstack.spi.agent.Response;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The command and answer classes the modules contributed, checked once at start: each names its
 * wire type, and no wire name is claimed by two classes (Jackson would silently keep one).
 */
final class RegisteredTypes {

    private final Map<String, Class<?>> commands = new HashMap<>();
    private final Map<String, Class<?>> answers = new HashMap<>();

    RegisteredTypes(Collection<? extends AgentMessageTypes> contributions) {
        // Without them no failure could even be answered: say why rather than fail on the first message.
        if (contributions.stream().noneMatch(CoreMessageTypes.class::isInstance)) {
            throw new IllegalStateException("the core agent message types are not registered: engine/api's "
                    + "META-INF/services/" + AgentMessageTypes.class.getName() + " is not on the class path");
        }
        for (AgentMessageTypes contribution : contributions) {
            contribution.commands().forEach(type -> add(commands, AgentCommand.class, type, contribution));
            contribution.answers().forEach(type -> add(answers, Answer.class, type, contribution));
        }
    }

    private static void add(Map<String, Class<?>> byName, Class<?> base, Class<?> type, AgentMessageTypes from) {
        String name = AgentMessageTypes.wireName(type).orElseThrow(() -> new IllegalStateException(type.getName()
                + " (listed by " + from.getClass().getName() + ") has no wire name: annotate it with @JsonTypeName"));
        Class<?> taken = byName.putIfAbsent(name, type);
        if (taken != null && taken != type) {
            throw new IllegalStateException("two " + base.getSimpleName() + " types are named '" + name + "': "
                    + taken.getName() + " and " + type.getName());
        }
    }

    List<Class<?>> all() {
        return Stream.concat(commands.values().stream(), answers.values().stream()).toList();
    }

    /** The command or answer the message carries, if its class was not contributed. */
    Optional<Class<?>> unregisteredPayload(AgentMessage message) {
        if (message instanceof Request request && !commands.containsValue(request.command().getClass())) {
            return Optional.of(request.command().getClass());
        }
        if (message instanceof Response response && !answers.containsValue(response.answer().getClass())) {
            return Optional.of(response.answer().getClass());
        }
        return Optional.empty();
    }
}
