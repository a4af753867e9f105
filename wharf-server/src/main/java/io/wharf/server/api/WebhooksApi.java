package io.wharf.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.error.TooLargeException;
import io.wharf.core.webhook.InvalidWebhookException;
import io.wharf.core.webhook.WebhookService;
import io.wharf.core.spi.WebhookIndex.State;
import io.wharf.core.spi.WebhookIndex.Subscription;
import io.wharf.server.http.Exchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Webhook subscriptions (docs/webhooks.md) under {@code webhooks}: POST creates (201, the secret shown once), GET
 * lists, {@code webhooks/<id>} GET shows one with its delivery counts and latest deliveries, PATCH changes it,
 * DELETE removes it (204); POST {@code webhooks/<id>/test} queues a test event, POST {@code webhooks/<id>/replay}
 * queues the dead deliveries again (or {@code ?delivery=<id>}). Every request: {@value #MANAGE} on
 * {@code arn:aws:wharf:<region>:<account>:webhook/<id>} ({@code webhook/*} to list or create), in the caller's account.
 */
final class WebhooksApi {
    static final String MANAGE = "wharf:ManageWebhooks";
    static final int MAX_BODY_BYTES = 16 << 10;
    private static final int MAX_LIST = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: status and JSON body (null: none). */
    record Reply(int status, String body) {
    }

    private final WebhookService service;

    WebhooksApi(WebhookService service) {
        this.service = service;
    }

    static boolean isPath(String[] path) {
        return path.length >= 1 && path.length <= 3 && path[0].equals("webhooks");
    }

    static String arn(String region, String account, String id) {
        return "arn:aws:wharf:" + region + ":" + account + ":webhook/" + id;
    }

    /** The subscription id the request is about ({@code *}: the collection), for authorization. */
    static String target(String[] path) {
        return path.length == 1 ? "*" : path[1];
    }

    Reply handle(Exchange ex, String[] path, String account) throws IOException {
        String method = ex.method();
        if (path.length == 1) {
            return switch (method) {
                case "GET" -> new Reply(200, list(account));
                case "POST" -> new Reply(201, create(account, body(ex)));
                default -> throw notAllowed(method, "GET or POST");
            };
        }
        Subscription s = service.find(account, path[1])
                .orElseThrow(() -> new ApiProblem(ApiError.NOT_FOUND, "no webhook " + path[1]));
        if (path.length == 3) {
            if (!method.equals("POST")) {
                throw notAllowed(method, "POST");
            }
            return switch (path[2]) {
                case "test" -> new Reply(202, WebhookShapes.delivery(service.sendTest(s)).toString());
                case "replay" -> new Reply(202, JSON.createObjectNode().put("replayed", service.replay(s, deliveryId(ex))).toString());
                default -> throw new ApiProblem(ApiError.NOT_FOUND, "no such resource: " + ex.rawPath());
            };
        }
        return switch (method) {
            case "GET" -> new Reply(200, show(s, ex));
            case "PATCH" -> new Reply(200, WebhookShapes.subscription(update(account, s.id(), body(ex))).toString());
            case "DELETE" -> {
                service.index().deleteSubscription(s.id());
                yield new Reply(204, null);
            }
            default -> throw notAllowed(method, "GET, PATCH or DELETE");
        };
    }

    private String list(String account) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("webhooks");
        service.index().subscriptions(account).stream().limit(MAX_LIST).forEach(s -> list.add(WebhookShapes.subscription(s)));
        return out.toString();
    }

    private String create(String account, JsonNode body) {
        try {
            Subscription s = service.create(account, spec(body), text(body, "secret"));
            return WebhookShapes.subscription(s).put("secret", s.secret()).toString();
        } catch (InvalidWebhookException e) {
            throw new ApiProblem(ApiError.INVALID_PARAMETER, e.getMessage());
        }
    }

    private Subscription update(String account, String id, JsonNode body) {
        if (body.has("secret")) {
            throw new ApiProblem(ApiError.INVALID_PARAMETER, "the secret cannot be changed; create a new webhook");
        }
        try {
            return service.update(account, id, spec(body)).orElseThrow(() -> new ApiProblem(ApiError.NOT_FOUND, "no webhook " + id));
        } catch (InvalidWebhookException e) {
            throw new ApiProblem(ApiError.INVALID_PARAMETER, e.getMessage());
        }
    }

    /** One subscription, its delivery counts and latest deliveries ({@code ?state=DEAD}, {@code ?limit=N}, at most 100). */
    private String show(Subscription s, Exchange ex) {
        State state = ex.hasQuery("state") ? state(ex.query("state")) : null;
        int limit = ex.hasQuery("limit") ? limit(ex.query("limit")) : 20;
        ObjectNode out = WebhookShapes.subscription(s);
        ObjectNode counts = out.putObject("deliveryCounts");
        for (State st : State.values()) {
            counts.put(st.name(), service.index().counts(s.id()).getOrDefault(st, 0L));
        }
        ArrayNode list = out.putArray("deliveries");
        service.index().deliveries(s.id(), state, limit).forEach(d -> list.add(WebhookShapes.delivery(d)));
        return out.toString();
    }

    private static WebhookService.Spec spec(JsonNode body) {
        List<String> types = null;
        JsonNode t = body.get("eventTypes");
        if (t != null && !t.isNull()) {
            if (!t.isArray()) {
                throw new ApiProblem(ApiError.INVALID_PARAMETER, "eventTypes must be an array of strings");
            }
            types = new ArrayList<>();
            for (JsonNode n : t) {
                if (!n.isTextual()) {
                    throw new ApiProblem(ApiError.INVALID_PARAMETER, "eventTypes must be an array of strings");
                }
                types.add(n.asText());
            }
        }
        JsonNode enabled = body.get("enabled");
        if (enabled != null && !enabled.isBoolean()) {
            throw new ApiProblem(ApiError.INVALID_PARAMETER, "enabled must be true or false");
        }
        String repository = text(body, "repository");
        if (body.has("repository") && body.get("repository").isNull()) {
            repository = "*";
        }
        return new WebhookService.Spec(text(body, "url"), repository, types, enabled == null ? null : enabled.asBoolean());
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new ApiProblem(ApiError.INVALID_PARAMETER, field + " must be a string");
        }
        return n.asText();
    }

    private static JsonNode body(Exchange ex) throws IOException {
        byte[] bytes;
        try {
            bytes = ex.readBody(MAX_BODY_BYTES, "the request body");
        } catch (TooLargeException e) {
            throw new ApiProblem(ApiError.INVALID_PARAMETER, e.getMessage());
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new ApiProblem(ApiError.INVALID_PARAMETER, "the body must be a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ApiProblem(ApiError.INVALID_PARAMETER, "the body is not valid JSON");
        }
    }

    private static Long deliveryId(Exchange ex) {
        if (!ex.hasQuery("delivery")) {
            return null;
        }
        try {
            return Long.parseLong(ex.query("delivery"));
        } catch (NumberFormatException e) {
            throw new ApiProblem(ApiError.INVALID_PARAMETER, "delivery must be a delivery id");
        }
    }

    private static State state(String text) {
        try {
            return State.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(ApiError.INVALID_PARAMETER, "state must be PENDING, DELIVERED or DEAD");
        }
    }

    private static int limit(String text) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= 100) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiProblem(ApiError.INVALID_PARAMETER, "limit must be 1 to 100");
    }

    private static ApiProblem notAllowed(String method, String allowed) {
        return new ApiProblem(ApiError.METHOD_NOT_ALLOWED, method + " not allowed here; use " + allowed);
    }
}
