package io.wharf.server.api;

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

    private final WebhookService service;
    private final String region;

    WebhooksApi(WebhookService service, String region) {
        this.service = service;
        this.region = region;
    }

    /** {@code GET webhooks}: the caller's account's subscriptions. */
    ApiReply list(ApiCall call) {
        return ApiReply.json(200, list(allowed(call, "*")));
    }

    /** {@code POST webhooks}: 201, with the secret shown this once. */
    ApiReply create(ApiCall call) throws IOException {
        String account = allowed(call, "*");
        return ApiReply.json(201, create(account, body(call.ex())));
    }

    /** {@code GET webhooks/<id>}: one subscription with its delivery counts and latest deliveries. */
    ApiReply show(ApiCall call) {
        return ApiReply.json(200, show(subscription(call), call.ex()));
    }

    /** {@code PATCH webhooks/<id>}. */
    ApiReply update(ApiCall call) throws IOException {
        Subscription s = subscription(call);
        return ApiReply.json(200, WebhookShapes.subscription(update(call.caller().account(), s.id(), body(call.ex()))).toString());
    }

    /** {@code DELETE webhooks/<id>}: 204. */
    ApiReply delete(ApiCall call) {
        service.index().deleteSubscription(subscription(call).id());
        return ApiReply.empty(204);
    }

    /** {@code POST webhooks/<id>/test}: queues a test event; 202. */
    ApiReply test(ApiCall call) {
        return ApiReply.json(202, WebhookShapes.delivery(service.sendTest(subscription(call))).toString());
    }

    /** {@code POST webhooks/<id>/replay}: queues the dead deliveries again (or {@code ?delivery=<id>}); 202. */
    ApiReply replay(ApiCall call) {
        Subscription s = subscription(call);
        return ApiReply.json(202, JSON.createObjectNode().put("replayed", service.replay(s, deliveryId(call.ex()))).toString());
    }

    /** The caller's account, once it may manage the webhook {@code id} there ({@code *}: the collection). */
    private String allowed(ApiCall call, String id) {
        String account = call.caller().account();
        call.allow(MANAGE, "arn:aws:wharf:" + region + ":" + account + ":webhook/" + id);
        return account;
    }

    /** The subscription the path names, in the caller's account, once the caller may manage it. */
    private Subscription subscription(ApiCall call) {
        String id = call.param("id");
        String account = allowed(call, id);
        return service.find(account, id).orElseThrow(() -> new ApiProblem(ApiError.NOT_FOUND, "no webhook " + id));
    }

    private String list(String account) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("webhooks");
        service.index().subscriptions(account).stream().limit(MAX_LIST).forEach(s -> list.add(WebhookShapes.subscription(s)));
        return out.toString();
    }

    private String create(String account, WebhookBody body) {
        try {
            Subscription s = service.create(account, body.spec(), body.secret());
            return WebhookShapes.subscription(s).put("secret", s.secret()).toString();
        } catch (InvalidWebhookException e) {
            throw new ApiProblem(ApiError.INVALID_PARAMETER, e.getMessage());
        }
    }

    private Subscription update(String account, String id, WebhookBody body) {
        if (body.hasSecret()) {
            throw new ApiProblem(ApiError.INVALID_PARAMETER, "the secret cannot be changed; create a new webhook");
        }
        try {
            return service.update(account, id, body.spec()).orElseThrow(() -> new ApiProblem(ApiError.NOT_FOUND, "no webhook " + id));
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

    private static WebhookBody body(Exchange ex) throws IOException {
        try {
            return WebhookBody.parse(ex.readBody(MAX_BODY_BYTES, "the request body"));
        } catch (TooLargeException e) {
            throw new ApiProblem(ApiError.INVALID_PARAMETER, e.getMessage());
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

}
