package io.rbdstack.protocol;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.rbdstack.spi.agent.AgentMessage;
import io.rbdstack.spi.agent.AgentMessageTypes;
import java.io.IOException;
import java.util.Collection;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * JSON form of {@link AgentMessage}s: one object per line. Unknown fields are ignored so an older
 * peer can read a newer one's messages; exception texts name fields, never values.
 * Shared by the management server and the agent; engine/api stays free of jackson-databind.
 * The commands and answers it knows are those the modules contribute through
 * {@link AgentMessageTypes}; an unknown one on the wire is refused by its type name.
 */
public final class MessageCodec {

    private final RegisteredTypes types;
    private final ObjectMapper mapper;

    /** A codec for the given contributions (the core types among them). */
    public MessageCodec(Collection<? extends AgentMessageTypes> contributions) {
        types = new RegisteredTypes(contributions);
        mapper = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .addModule(SecretOnTheWire.MODULE)
                .registerSubtypes(types.all().toArray(Class<?>[]::new))
                .build();
    }

    /**
     * A codec for every {@link AgentMessageTypes} that {@code loader} finds; on the server, the
     * plugins' class loader, so that types of plugins loaded from jars are known too.
     */
    public static MessageCodec load(ClassLoader loader) {
        return new MessageCodec(ServiceLoader.load(AgentMessageTypes.class, loader).stream()
                .map(ServiceLoader.Provider::get).toList());
    }

    /**
     * The message as one line, newline included.
     *
     * @throws IllegalArgumentException when it is over the protocol limit or carries a command or
     *                                  answer no module contributed (the peer could not read it)
     */
    public byte[] encode(AgentMessage message) {
        types.unregisteredPayload(message).ifPresent(type -> {
            throw new IllegalArgumentException(type.getName() + " is not a registered agent message type: "
                    + "list it in its module's " + AgentMessageTypes.class.getSimpleName());
        });
        byte[] json;
        try {
            json = mapper.writerFor(AgentMessage.class).writeValueAsBytes(message);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
        if (json.length > AgentMessage.MAX_LINE_BYTES) {
            throw new IllegalArgumentException(message.getClass().getSimpleName() + " is " + json.length
                    + " bytes, over the protocol limit of " + AgentMessage.MAX_LINE_BYTES);
        }
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }

    public AgentMessage decode(byte[] line) throws MalformedMessageException {
        JsonNode tree;
        try {
            tree = mapper.readTree(line);
        } catch (IOException e) {
            throw new MalformedMessageException("not JSON", OptionalLong.empty());
        }
        if (tree == null || !tree.isObject()) {
            throw new MalformedMessageException("not a JSON object", OptionalLong.empty());
        }
        try {
            return mapper.treeToValue(tree, AgentMessage.class);
        } catch (JacksonException e) {
            throw new MalformedMessageException(describe(e), requestIdOf(tree));
        }
    }

    private static String describe(JacksonException e) {
        if (e instanceof InvalidTypeIdException invalid) {
            String base = invalid.getBaseType() == null ? "message" : invalid.getBaseType().getRawClass().getSimpleName();
            return "unknown " + base + " type '" + invalid.getTypeId() + "'";
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return "invalid message at " + mapping.getPath().stream()
                    .map(reference -> reference.getFieldName() != null
                            ? reference.getFieldName() : "[" + reference.getIndex() + "]")
                    .collect(Collectors.joining("."));
        }
        return "invalid message (" + e.getClass().getSimpleName() + ")";
    }

    /** The id of an unreadable request or response, so that one request can be failed at once. */
    private static OptionalLong requestIdOf(JsonNode tree) {
        String type = tree.path("type").asText();
        if (!type.equals("request") && !type.equals("response")) {
            return OptionalLong.empty();
        }
        JsonNode id = tree.get("requestId");
        return id != null && id.canConvertToLong() ? OptionalLong.of(id.asLong()) : OptionalLong.empty();
    }
}
