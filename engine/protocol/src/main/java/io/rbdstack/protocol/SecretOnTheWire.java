package io.rbdstack.protocol;

import com.fasterxml.jackson.databind.module.SimpleModule;
import io.rbdstack.spi.Secret;

/**
 * The agent protocol is the one place a {@link Secret}'s value is written as JSON: commands must
 * carry keys to the agent. Every other JSON (API responses, logs) sees a Secret as masked.
 */
final class SecretOnTheWire {

    static final SimpleModule MODULE = new SimpleModule("secret-on-the-wire")
            .addSerializer(Secret.class, new com.fasterxml.jackson.databind.JsonSerializer<>() {
                @Override
                public void serialize(Secret secret, com.fasterxml.jackson.core.JsonGenerator gen,
                                      com.fasterxml.jackson.databind.SerializerProvider provider) throws java.io.IOException {
                    gen.writeString(secret.reveal());
                }
            })
            .addDeserializer(Secret.class, new com.fasterxml.jackson.databind.JsonDeserializer<>() {
                @Override
                public Secret deserialize(com.fasterxml.jackson.core.JsonParser parser,
                                          com.fasterxml.jackson.databind.DeserializationContext context) throws java.io.IOException {
                    return Secret.of(parser.getValueAsString());
                }
            });

    private SecretOnTheWire() {
    }
}
