package io.wharf.server.webhook;

import io.wharf.core.webhook.WebhookTransport;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * Posts deliveries with Jetty's HTTP client, which costs the registry less than half the CPU per POST of
 * java.net.http (bench/README.md). One client per process, on virtual threads and a daemon timer, so it needs no
 * stopping; no redirects, authentication or cookies (a receiver cannot point the registry elsewhere or make it
 * remember anything); a whole-request timeout; the answer's body read and dropped. Errors are described without
 * the URL (its query may carry a token).
 */
public final class HttpWebhookTransport implements WebhookTransport {
    private static final HttpClient CLIENT = start();

    private static HttpClient start() {
        HttpClient client = new HttpClient();
        client.setFollowRedirects(false);
        client.getProtocolHandlers().clear();
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setExecutor(new VirtualThreadPool());
        client.setScheduler(new ScheduledExecutorScheduler("webhook-timer", true));
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("the webhook HTTP client did not start", e);
        }
        return client;
    }

    @Override
    public Outcome post(String url, Map<String, String> headers, byte[] body, Duration timeout) {
        try {
            return send(url, headers, body, timeout).get();
        } catch (ExecutionException e) { // send answers every failure: not expected
            return failed(e.getCause(), timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(0, "interrupted");
        }
    }

    /** Answered from Jetty's completion callback: no thread waits while the request is in flight. */
    @Override
    public CompletableFuture<Outcome> send(String url, Map<String, String> headers, byte[] body, Duration timeout) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Outcome(0, "not a valid URL")); // the parser's message would quote it
        }
        CompletableFuture<Outcome> answer = new CompletableFuture<>();
        try {
            Request request = CLIENT.newRequest(uri).method("POST")
                    .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .body(new BytesRequestContent(headers.getOrDefault("Content-Type", "application/json"), body));
            request.headers(h -> headers.forEach(h::put));
            request.send(result -> answer.complete(outcome(result, timeout)));
        } catch (IllegalArgumentException e) {
            answer.complete(failed(e, timeout));
        }
        return answer;
    }

    private static Outcome outcome(Result result, Duration timeout) {
        return result.isFailed() ? failed(result.getFailure(), timeout) : new Outcome(result.getResponse().getStatus(), null);
    }

    private static Outcome failed(Throwable e, Duration timeout) {
        if (e instanceof TimeoutException) {
            return new Outcome(0, "timed out after " + timeout);
        }
        return new Outcome(0, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
}
