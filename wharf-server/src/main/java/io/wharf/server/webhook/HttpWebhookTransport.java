package io.wharf.server.webhook;

import io.wharf.core.webhook.WebhookTransport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/**
 * Posts deliveries with java.net.http: one shared client, redirects never followed (a receiver cannot point the
 * registry elsewhere), connect and whole-request timeouts, the answer's body read and dropped (bounded by the
 * timeout). Errors are described without the URL's query (it may carry a token).
 */
public final class HttpWebhookTransport implements WebhookTransport {
    private final HttpClient client;

    public HttpWebhookTransport(Duration connectTimeout) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
                .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    @Override
    public Outcome post(String url, Map<String, String> headers, byte[] body, Duration timeout) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(request::header);
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return new Outcome(response.statusCode(), null);
        } catch (HttpTimeoutException e) {
            return new Outcome(0, "timed out after " + timeout);
        } catch (IOException | IllegalArgumentException e) {
            return new Outcome(0, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(0, "interrupted");
        }
    }
}
