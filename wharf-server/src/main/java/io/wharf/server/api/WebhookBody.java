package io.wharf.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.webhook.WebhookService;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON body of a webhook's POST or PATCH, parsed at the edge: a JSON object whose members are read as they are
 * asked for, each refused with INVALID_PARAMETER ({@link ApiProblem}) when of the wrong type.
 */
record WebhookBody(JsonNode node) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The body as a JSON object; {@link ApiProblem} when it is not one. */
    static WebhookBody parse(byte[] bytes) {
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw invalid("the body is not valid JSON");
        } catch (IOException e) {
            throw invalid("the body is not valid JSON"); // never from a byte array; readTree declares it
        }
        if (node == null || !node.isObject()) {
            throw invalid("the body must be a JSON object");
        }
        return new WebhookBody(node);
    }

    boolean hasSecret() {
        return node.has("secret");
    }

    String secret() {
        return text("secret");
    }

    /** The subscription's fields; null ones are left as they are (or defaulted on create). */
    WebhookService.Spec spec() {
        List<String> types = eventTypes(); // checked in the order the fields were always checked
        JsonNode enabled = node.get("enabled");
        if (enabled != null && !enabled.isBoolean()) {
            throw invalid("enabled must be true or false");
        }
        String repository = text("repository");
        if (node.has("repository") && node.get("repository").isNull()) {
            repository = "*";
        }
        return new WebhookService.Spec(text("url"), repository, types, enabled == null ? null : enabled.asBoolean());
    }

    private List<String> eventTypes() {
        JsonNode t = node.get("eventTypes");
        if (t == null || t.isNull()) {
            return null;
        }
        if (!t.isArray()) {
            throw invalid("eventTypes must be an array of strings");
        }
        List<String> types = new ArrayList<>();
        for (JsonNode n : t) {
            if (!n.isTextual()) {
                throw invalid("eventTypes must be an array of strings");
            }
            types.add(n.asText());
        }
        return types;
    }

    private String text(String field) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw invalid(field + " must be a string");
        }
        return n.asText();
    }

    private static ApiProblem invalid(String message) {
        return new ApiProblem(ApiError.INVALID_PARAMETER, message);
    }
}
