package io.wharf.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wharf.server.observe.RequestFacts;
import io.wharf.server.observe.RequestObserver;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * Counts and times every finished request by API, operation and status class, the bytes it moved, and the pushes,
 * pulls and deletes per repository ({@link RepositoryLabels}). On the request's thread after the response completed:
 * two map lookups and a few atomic adds, meters created once per (api, operation, status class).
 */
public final class HttpMetrics implements RequestObserver {
    /** api label of requests no API claimed (probes, {@code /metrics}, unknown paths, unparsable requests). */
    static final String NO_API = "none";
    static final String UNKNOWN = "unknown";
    /** Latency buckets: a manifest GET takes well under a millisecond, a large blob push minutes. */
    private static final Duration[] BUCKETS = {Duration.ofNanos(250_000), Duration.ofMillis(1), Duration.ofMillis(5),
            Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1),
            Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(10)};

    private final MeterRegistry registry;
    private final RepositoryLabels repositories;
    /** Per API (index: ordinal, last: none), per operation. */
    private final ConcurrentHashMap<String, Route>[] routes;

    /** The meters of one (api, operation). */
    private final class Route {
        private final String api;
        private final String operation;
        private final Timer latency;
        private final Counter received;
        private final Counter sent;
        /** Requests by status class 1xx..5xx (index 1..5; 0: anything else), made on first use. */
        private final AtomicReferenceArray<Counter> byClass = new AtomicReferenceArray<>(6);

        Route(String api, String operation) {
            this.api = api;
            this.operation = operation;
            this.latency = Timer.builder("wharf.http.request.duration")
                    .description("Time from the request's first byte to the response's last, by API and operation")
                    .tags("api", api, "operation", operation).serviceLevelObjectives(BUCKETS).register(registry);
            this.received = bytes("wharf.http.received", "Request body bytes read", api, operation);
            this.sent = bytes("wharf.http.sent", "Response body bytes written", api, operation);
        }

        Counter requests(int status) {
            int c = status >= 100 && status < 600 ? status / 100 : 0;
            Counter counter = byClass.get(c);
            if (counter == null) {
                counter = Counter.builder("wharf.http.requests").description("Requests answered, by API, operation and status class")
                        .tags("api", api, "operation", operation, "status_class", c == 0 ? "other" : c + "xx")
                        .register(registry); // registering twice returns the same meter
                byClass.set(c, counter);
            }
            return counter;
        }
    }

    @SuppressWarnings("unchecked")
    public HttpMetrics(MeterRegistry registry, boolean repositoryLabels, int maxRepositoryLabels) {
        this.registry = registry;
        this.repositories = new RepositoryLabels(registry, repositoryLabels, maxRepositoryLabels);
        this.routes = new ConcurrentHashMap[RequestFacts.Api.values().length + 1];
        for (int i = 0; i < routes.length; i++) {
            routes[i] = new ConcurrentHashMap<>();
        }
    }

    @Override
    public void completed(Request request, Response response, RequestFacts facts) {
        int status = response.getStatus();
        Route route = route(facts);
        route.requests(status).increment();
        route.latency.record(System.nanoTime() - request.getBeginNanoTime(), TimeUnit.NANOSECONDS);
        long in = Request.getContentBytesRead(request);
        long out = Response.getContentBytesWritten(response);
        if (in > 0) {
            route.received.increment(in);
        }
        if (out > 0) {
            route.sent.increment(out);
        }
        if (facts != null && status >= 200 && status < 300) {
            countImage(facts);
        }
    }

    private Route route(RequestFacts facts) {
        int index = facts == null ? routes.length - 1 : facts.api().ordinal();
        String operation = facts == null || facts.operation() == null ? UNKNOWN : facts.operation();
        Route route = routes[index].get(operation);
        return route != null ? route : routes[index].computeIfAbsent(operation,
                op -> new Route(facts == null ? NO_API : label(facts.api()), op));
    }

    /** A successful manifest push, pull or delete, by either API. */
    private void countImage(RequestFacts facts) {
        String op = facts.operation();
        if (op == null) {
            return;
        }
        switch (op) {
            case "PutManifest", "PutImage" -> repositories.of(facts.repository()).pushes().increment();
            case "GetManifest", "BatchGetImage" -> repositories.of(facts.repository()).pulls().increment();
            case "DeleteManifest", "BatchDeleteImage" -> repositories.of(facts.repository()).deletes().increment();
            default -> { }
        }
    }

    /** {@code oci}, {@code ecr}, {@code wharf}, {@code sts}, {@code secretsmanager}, {@code cloudtrail}, {@code console}, {@code ecrpublic}. */
    static String label(RequestFacts.Api api) {
        return api.name().toLowerCase(Locale.ROOT).replace("_", "");
    }

    private Counter bytes(String name, String help, String api, String operation) {
        return Counter.builder(name).description(help).baseUnit("bytes").tags("api", api, "operation", operation)
                .register(registry);
    }
}
