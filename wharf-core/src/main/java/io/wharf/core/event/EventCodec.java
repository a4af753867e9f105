package io.wharf.core.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

/** The outbox payload: an event as JSON with a {@code type} member, value types as plain strings. */
public final class EventCodec {
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // older readers skip newer fields
            .registerModule(new SimpleModule("wharf-values")
                    .addSerializer(Digest.class, text(Digest::toString))
                    .addDeserializer(Digest.class, parsed(Digest::parse))
                    .addSerializer(Tag.class, text(Tag::value))
                    .addDeserializer(Tag.class, parsed(Tag::new))
                    .addSerializer(RepositoryName.class, text(RepositoryName::value))
                    .addDeserializer(RepositoryName.class, parsed(RepositoryName::new)));

    private EventCodec() {
    }

    public static String toJson(RegistryEvent event) {
        try {
            return JSON.writerFor(RegistryEvent.class).writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event not serializable: " + event, e);
        }
    }

    public static RegistryEvent fromJson(String json) {
        try {
            return JSON.readValue(json, RegistryEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable event payload: " + json, e);
        }
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
