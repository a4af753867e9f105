package io.wharf.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.model.ValueTypesJson;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The outbox payload: an event as JSON with a {@code type} member, value types as plain strings. */
public final class EventCodec {
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // older readers skip newer fields
            .registerModule(ValueTypesJson.module());

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
}
