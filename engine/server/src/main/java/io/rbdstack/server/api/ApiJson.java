package io.rbdstack.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * JSON as CloudStack writes it: object keys lower case without separators (a record component
 * {@code diskSizeTotal} becomes {@code disksizetotal}), nulls left out, dates as
 * {@code yyyy-MM-dd'T'HH:mm:ssZ}.
 */
public final class ApiJson {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.LOWER_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ")
            .withZone(ZoneOffset.UTC);

    private ApiJson() {
    }

    public static String date(Instant instant) {
        return instant == null ? null : DATE.format(instant);
    }

    /** {@code {"<name>": <item>}}, e.g. createZone's {@code {"zone": {...}}}. */
    public static ObjectNode object(String name, Object item) {
        ObjectNode node = MAPPER.createObjectNode();
        node.set(name, MAPPER.valueToTree(item));
        return node;
    }

    /** A list response: {@code {"count": n, "<name>": [...]}}, or {@code {}} when empty, as CloudStack does. */
    public static ObjectNode list(String name, java.util.List<?> items, long count) {
        ObjectNode node = MAPPER.createObjectNode();
        if (count > 0 || !items.isEmpty()) {
            node.put("count", count);
            node.set(name, MAPPER.valueToTree(items));
        }
        return node;
    }

    /** {@code {"success": true}} of delete and update commands. */
    public static ObjectNode success() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("success", true);
        return node;
    }

    /** The fields of one record directly in the envelope (login, for one). */
    public static ObjectNode flat(Object item) {
        return MAPPER.valueToTree(item);
    }
}
