package io.wharf.core.webhook;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Sends one delivery: an HTTP POST of a JSON body (the server's is Jetty's client; tests may use their own). */
public interface WebhookTransport {

    /** The answer: the HTTP status, or 0 with {@code error} when there was none (refused, timed out, bad URL). */
    record Outcome(int status, String error) {
        public boolean delivered() {
            return status >= 200 && status < 300;
        }
    }

    /** Never throws for the receiver's sake: every failure is an {@link Outcome}. Gives up after {@code timeout}. */
    Outcome post(String url, Map<String, String> headers, byte[] body, Duration timeout);

    /**
     * The same without waiting: the outcome comes later. This default posts on a virtual thread of its own; a
     * transport whose client answers through a callback overrides it, so that no thread waits per request in flight
     * (the outbox sends every first attempt this way, one per event and subscription).
     */
    default CompletableFuture<Outcome> send(String url, Map<String, String> headers, byte[] body, Duration timeout) {
        CompletableFuture<Outcome> answer = new CompletableFuture<>();
        Thread.ofVirtual().name("webhook-post").start(() -> {
            try {
                answer.complete(post(url, headers, body, timeout));
            } catch (RuntimeException | Error e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }
}
