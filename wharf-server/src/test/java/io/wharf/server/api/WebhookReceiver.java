package io.wharf.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wharf.core.webhook.WebhookSignature;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A webhook receiver on a loopback port: every request is recorded (path, headers, body, whether its signature
 * verified with the secret registered for its path), then answered as {@link #behaviour} says for the n-th request
 * (1-based): a status, or a delay first.
 */
final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to do for a request: wait {@code delayMillis}, then answer {@code status}. */
    record Answer(int status, long delayMillis) {
        static Answer ok() {
            return new Answer(200, 0);
        }
    }

    record Received(String path, String webhookId, String eventId, String signature, JsonNode body, boolean verified) {
    }

    private final HttpServer server;
    private final AtomicInteger count = new AtomicInteger();
    private final List<Received> received = new ArrayList<>();
    private final Map<String, String> secrets = new LinkedHashMap<>();
    volatile IntFunction<Answer> behaviour = n -> Answer.ok();
    private final Map<String, Answer> byPath = new java.util.concurrent.ConcurrentHashMap<>();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Every request to {@code path} gets {@code answer}, whatever {@link #behaviour} says. */
    void pathBehaviour(String path, Answer answer) {
        byPath.put(path, answer);
    }

    synchronized void secret(String path, String secret) {
        secrets.put(path, secret);
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String path = ex.getRequestURI().getPath();
        String signature = ex.getRequestHeaders().getFirst(WebhookSignature.HEADER);
        synchronized (this) {
            String secret = secrets.get(path);
            received.add(new Received(path, ex.getRequestHeaders().getFirst("Wharf-Webhook-Id"),
                    ex.getRequestHeaders().getFirst("Wharf-Event-Id"), signature, JSON.readTree(body),
                    secret != null && WebhookSignature.verify(secret, signature, body)));
        }
        Answer a = byPath.containsKey(path) ? byPath.get(path) : behaviour.apply(count.incrementAndGet());
        try {
            Thread.sleep(a.delayMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ex.sendResponseHeaders(a.status(), -1);
        ex.close();
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** Every received body by its envelope id, the first of duplicates kept. */
    synchronized Map<String, Received> distinct(String path) {
        Map<String, Received> out = new LinkedHashMap<>();
        received.stream().filter(r -> r.path().equals(path)).forEach(r -> out.putIfAbsent(r.body().path("id").asText(), r));
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
