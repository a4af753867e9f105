package io.wharf.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.spi.WebhookIndex.Attempt;
import io.wharf.core.spi.WebhookIndex.Delivery;
import io.wharf.core.spi.WebhookIndex.State;
import io.wharf.core.spi.WebhookIndex.Subscription;

/** The JSON of subscriptions and deliveries, shared by {@code /wharf/v1/webhooks} and {@code wharf webhooks show}; never the secret. */
public final class WebhookShapes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookShapes() {
    }

    public static ObjectNode subscription(Subscription s) {
        ObjectNode out = JSON.createObjectNode().put("id", s.id()).put("account", s.account()).put("url", s.url())
                .put("repository", s.repositoryFilter());
        ArrayNode types = out.putArray("eventTypes");
        s.eventTypes().forEach(types::add);
        out.put("enabled", s.enabled()).put("createdAt", s.createdAt().toString());
        out.set("lastAttempt", attempt(s.last()));
        return out;
    }

    public static ObjectNode delivery(Delivery d) {
        ObjectNode out = JSON.createObjectNode().put("id", d.id()).put("eventId", d.eventId()).put("detailType", d.detailType())
                .put("repository", d.repository()).put("state", d.state().name()).put("attempts", d.attempts())
                .put("createdAt", d.createdAt().toString())
                .put("nextAttemptAt", d.state() == State.PENDING ? d.dueAt().toString() : null);
        out.set("lastAttempt", attempt(d.last()));
        return out;
    }

    private static JsonNode attempt(Attempt a) {
        if (a == null) {
            return JSON.nullNode();
        }
        return JSON.createObjectNode().put("at", a.at().toString()).put("status", a.status()).put("error", a.error());
    }
}
