package io.wharf.bench;

import com.sun.management.OperatingSystemMXBean;
import io.wharf.core.webhook.WebhookTransport;
import io.wharf.server.webhook.HttpWebhookTransport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The registry's CPU per webhook delivery, side by side in one JVM, the order turning each round, against a receiver
 * in another process (bench/webhook-transport.sh): Wharf's sender (Jetty's client) answering through a callback, as
 * the outbox's first attempts use it ({@code jetty-callback}); the same waited for on a virtual thread per post, as
 * the sender job's retries use it ({@code jetty-blocking}); and the java.net.http sender it replaced.
 * The process CPU is the sender's alone: nothing else runs in this JVM.
 *
 * <p>Arguments: URL, posts per round, concurrency, rounds (each round runs all three senders; round 0 is warm-up).
 */
public final class WebhookTransportCpu {
    private static final byte[] BODY = body();
    private static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json",
            "Wharf-Event-Id", "4f0c6d2e-0000-4000-8000-000000000000", "Wharf-Signature", "t=1764800000,v1=" + "ab".repeat(32));

    private WebhookTransportCpu() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int posts = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        WebhookTransport jetty = new HttpWebhookTransport();
        WebhookTransport jdk = new JdkSender();
        Map<String, Runnable> senders = Map.of(
                "jetty-callback", () -> callbacks(jetty, url, posts, concurrency),
                "jetty-blocking", () -> blocking(jetty, url, posts, concurrency),
                "java.net.http", () -> blocking(jdk, url, posts, concurrency));
        String[] order = {"jetty-callback", "jetty-blocking", "java.net.http"};
        System.out.println("round\tsender\tposts\tposts_per_s\tcpu_us_per_post");
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < order.length; i++) {
                String name = order[(r + i) % order.length];
                long cpu = cpu();
                long start = System.nanoTime();
                senders.get(name).run();
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("%d\t%s\t%d\t%.0f\t%.1f%n", r, name, posts, posts / seconds, (cpu() - cpu) / 1e3 / posts);
            }
        }
        System.exit(0);
    }

    /** Each post started from this thread and answered through the transport's callback. */
    private static void callbacks(WebhookTransport sender, String url, int posts, int concurrency) {
        Semaphore slots = new Semaphore(concurrency);
        AtomicInteger failed = new AtomicInteger();
        for (int i = 0; i < posts; i++) {
            slots.acquireUninterruptibly();
            sender.send(url, HEADERS, BODY, Duration.ofSeconds(10)).whenComplete((outcome, e) -> {
                if (e != null || !outcome.delivered()) {
                    failed.incrementAndGet();
                }
                slots.release();
            });
        }
        slots.acquireUninterruptibly(concurrency);
        check(failed);
    }

    /** Each post on a virtual thread of its own, waiting for the answer. */
    private static void blocking(WebhookTransport sender, String url, int posts, int concurrency) {
        Semaphore slots = new Semaphore(concurrency);
        AtomicInteger failed = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < posts; i++) {
                slots.acquireUninterruptibly();
                pool.submit(() -> {
                    try {
                        if (!sender.post(url, HEADERS, BODY, Duration.ofSeconds(10)).delivered()) {
                            failed.incrementAndGet();
                        }
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        check(failed);
    }

    private static void check(AtomicInteger failed) {
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " posts failed");
        }
    }

    private static long cpu() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** An EventBridge envelope's size: about 1.2 KB. */
    private static byte[] body() {
        byte[] b = new byte[1200];
        Arrays.fill(b, (byte) 'x');
        b[0] = '{';
        b[b.length - 1] = '}';
        return b;
    }

    /** The sender Wharf used before (java.net.http, a virtual-thread executor, no redirects, the body discarded). */
    private static final class JdkSender implements WebhookTransport {
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).executor(Executors.newVirtualThreadPerTaskExecutor()).build();

        @Override
        public Outcome post(String url, Map<String, String> headers, byte[] body, Duration timeout) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(request::header);
            try {
                return new Outcome(client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode(), null);
            } catch (IOException e) {
                return new Outcome(0, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(0, "interrupted");
            }
        }
    }
}
