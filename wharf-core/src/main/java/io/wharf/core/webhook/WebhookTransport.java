package io.wharf.core.webhook;

import java.time.Duration;
import java.util.Map;

/** Sends one delivery: an HTTP POST of a JSON body (the server's is java.net.http; tests may use their own). */
public interface WebhookTransport {

    /** The answer: the HTTP status, or 0 with {@code error} when there was none (refused, timed out, bad URL). */
    record Outcome(int status, String error) {
        public boolean delivered() {
            return status >= 200 && status < 300;
        }
    }

    /** Never throws for the receiver's sake: every failure is an {@link Outcome}. Gives up after {@code timeout}. */
    Outcome post(String url, Map<String, String> headers, byte[] body, Duration timeout);
}
