package io.wharf.core.webhook;

import io.wharf.core.spi.WebhookIndex.Attempt;
import io.wharf.core.spi.WebhookIndex.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One attempt of a delivery, whoever makes it (the outbox's subscriber or the sender job): the signed POST. */
final class WebhookPost {
    private static final int MAX_ERROR_LENGTH = 500;

    private WebhookPost() {
    }

    /** Posts {@code body} as attempt number {@code attempt}; the attempt's outcome (error null: delivered, 2xx). */
    static Attempt send(WebhookTransport transport, Clock clock, Subscription s, String eventId, int attempt, String body,
                        Duration timeout) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return attempt(clock, transport.post(s.url(), headers(s, eventId, attempt, bytes, clock), bytes, timeout));
    }

    /** The same without waiting for the receiver: the attempt's outcome once it answered or the timeout passed. */
    static CompletableFuture<Attempt> start(WebhookTransport transport, Clock clock, Subscription s, String eventId,
                                            int attempt, String body, Duration timeout) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return transport.send(s.url(), headers(s, eventId, attempt, bytes, clock), bytes, timeout)
                .thenApply(outcome -> attempt(clock, outcome));
    }

    private static Attempt attempt(Clock clock, WebhookTransport.Outcome outcome) {
        return new Attempt(clock.instant(), outcome.status(), outcome.delivered() ? null : error(outcome));
    }

    static boolean delivered(Attempt a) {
        return a.error() == null;
    }

    private static Map<String, String> headers(Subscription s, String eventId, int attempt, byte[] body, Clock clock) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "Wharf-Webhooks");
        headers.put("Wharf-Webhook-Id", s.id());
        headers.put("Wharf-Event-Id", eventId);
        headers.put("Wharf-Delivery-Attempt", Integer.toString(attempt));
        headers.put(WebhookSignature.HEADER, WebhookSignature.header(s.secret(), clock.instant().getEpochSecond(), body));
        return headers;
    }

    private static String error(WebhookTransport.Outcome outcome) {
        String e = outcome.error() != null ? outcome.error() : "HTTP " + outcome.status();
        return e.length() > MAX_ERROR_LENGTH ? e.substring(0, MAX_ERROR_LENGTH) : e;
    }
}
