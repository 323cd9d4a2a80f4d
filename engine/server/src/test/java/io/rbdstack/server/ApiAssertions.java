package io.rbdstack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;

/** Assertions the API tests share. */
public final class ApiAssertions {

    private ApiAssertions() {
    }

    /** The content of the response envelope of a call that must succeed (HTTP 200). */
    public static JsonNode ok(ApiClient.Reply reply, String command) {
        assertEquals(200, reply.status(), command + ": " + reply.body());
        return reply.response(command);
    }
}
