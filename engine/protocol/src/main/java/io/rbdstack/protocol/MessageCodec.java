package io.rbdstack.protocol;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.rbdstack.spi.agent.AgentMessage;
import java.io.IOException;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * JSON form of {@link AgentMessage}s: one object per line. Unknown fields are ignored so an older
 * peer can read a newer one's messages; exception texts name fields, never values.
 * Shared by the management server and the agent; engine/api stays free of jackson-databind.
 */
public final class MessageCodec {

    private final ObjectMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .addModule(SecretOnTheWire.MODULE)
            .build();

    /** The message as one line, newline included. */
    public byte[] encode(AgentMessage message) {
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
