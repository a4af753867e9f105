package io.wharf.core.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Instant;
import java.util.function.Function;

/**
 * Jackson's view of the value types in stored JSON (the event outbox, scan results): each as its plain string,
 * parsed back through its own validating factory; instants as ISO-8601.
 */
public final class ValueTypesJson {

    private ValueTypesJson() {
    }

    public static SimpleModule module() {
        return new SimpleModule("wharf-values")
                .addSerializer(Digest.class, text(Digest::toString))
                .addDeserializer(Digest.class, parsed(Digest::parse))
                .addSerializer(Tag.class, text(Tag::value))
                .addDeserializer(Tag.class, parsed(Tag::new))
                .addSerializer(RepositoryName.class, text(RepositoryName::value))
                .addDeserializer(RepositoryName.class, parsed(RepositoryName::new))
                .addSerializer(Instant.class, text(Instant::toString))
                .addDeserializer(Instant.class, parsed(Instant::parse));
    }

    private static <T> JsonSerializer<T> text(Function<T, String> format) {
        return new JsonSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(format.apply(value));
            }
        };
    }

    private static <T> JsonDeserializer<T> parsed(Function<String, T> parse) {
        return new JsonDeserializer<>() {
            @Override
            public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return parse.apply(p.getValueAsString());
            }
        };
    }
}
