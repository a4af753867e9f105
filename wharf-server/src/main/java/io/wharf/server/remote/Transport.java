package io.wharf.server.remote;

import io.wharf.core.remote.RemoteException;
import io.wharf.core.remote.RemoteException.Kind;
import io.wharf.server.config.WharfConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one request with the client's bounds: the connect timeout, {@code remote.timeout} without progress, and
 * redirects followed by hand so that credentials and our own headers never travel to another origin.
 */
final class Transport {
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private final HttpClient client;
    private final WharfConfig.Remote settings;

    Transport(HttpClient client, WharfConfig.Remote settings) {
        this.client = client;
        this.settings = settings;
    }

    WharfConfig.Remote settings() {
        return settings;
    }

    /** A request to send; {@code progress} is touched by an upload body as its bytes go out. */
    record Outgoing(String method, URI uri, Map<String, String> headers, HttpRequest.BodyPublisher body, Progress progress) {
        Outgoing {
            headers = Map.copyOf(headers);
        }

        Outgoing(String method, URI uri, Map<String, String> headers) {
            this(method, uri, headers, HttpRequest.BodyPublishers.noBody(), new Progress());
        }

        /** What messages show: the method and path, never the query (pre-signed URLs carry signatures there). */
        String what() {
            return method + " " + uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
        }
    }

    /** When an exchange last moved: the watchdog gives up after {@code remote.timeout} of stillness. */
    static final class Progress {
        private volatile long last = System.nanoTime();

        void touch() {
            last = System.nanoTime();
        }

        long idleNanos() {
            return System.nanoTime() - last;
        }
    }

    /** An answer; the caller closes it (or reads its body to the end). */
    record Response(Outgoing request, int status, java.net.http.HttpHeaders headers, BodyStream body) implements AutoCloseable {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public void close() {
            body.close();
        }
    }

    /** Sends {@code out}, following redirects when {@code follow} (GET and HEAD only). */
    Response send(Outgoing out, boolean follow) throws RemoteException {
        for (int hops = 0; ; hops++) {
            Response r = once(out);
            String location = r.header("Location");
            if (!follow || !REDIRECTS.contains(r.status()) || location == null) {
                return r;
            }
            r.close();
            if (hops >= settings.maxRedirects()) {
                throw new RemoteException(Kind.INVALID, out.what() + ": more than " + settings.maxRedirects() + " redirects");
            }
            out = redirected(out, location);
        }
    }

    private static Outgoing redirected(Outgoing out, String location) throws RemoteException {
        URI next;
        try {
            next = out.uri().resolve(location.strip());
        } catch (IllegalArgumentException e) {
            throw new RemoteException(Kind.INVALID, out.what() + ": redirected to a malformed location");
        }
        if (!("http".equals(next.getScheme()) || "https".equals(next.getScheme())) || next.getHost() == null) {
            throw new RemoteException(Kind.INVALID, out.what() + ": redirected to a non-HTTP location");
        }
        Map<String, String> headers = new LinkedHashMap<>(out.headers());
        if (!sameOrigin(out.uri(), next)) { // storage behind a redirect gets no credentials and none of our marks
            headers.keySet().retainAll(Set.of("Accept"));
        }
        return new Outgoing(out.method(), next, headers, HttpRequest.BodyPublishers.noBody(), out.progress());
    }

    static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
    }

    private Response once(Outgoing out) throws RemoteException {
        HttpRequest.Builder b = HttpRequest.newBuilder(out.uri()).method(out.method(), out.body());
        if ("http".equals(out.uri().getScheme())) {
            b.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance on plain HTTP
        }
        out.headers().forEach(b::header);
        out.progress().touch();
        CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> future =
                client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofPublisher());
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = await(out, future);
        BodyStream body = new BodyStream(settings.timeout());
        response.body().subscribe(body);
        return new Response(out, response.statusCode(), response.headers(), body);
    }

    /** Waits for the response headers while the exchange makes progress; cancels it after {@code remote.timeout} still. */
    private <T> T await(Outgoing out, CompletableFuture<T> future) throws RemoteException {
        long limit = settings.timeout().toNanos();
        try {
            while (true) {
                long left = limit - out.progress().idleNanos();
                if (left <= 0) {
                    future.cancel(true);
                    throw new RemoteException(Kind.UNAVAILABLE, out.what() + ": no answer within " + settings.timeout());
                }
                try {
                    return future.get(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // loop: an upload that progressed meanwhile gets more time
                }
            }
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new RemoteException(Kind.UNAVAILABLE, out.what() + ": interrupted");
        } catch (ExecutionException e) {
            throw unreachable(out, e.getCause());
        }
    }

    static RemoteException unreachable(Outgoing out, Throwable cause) {
        String why = cause instanceof ConnectException ? "cannot connect"
                : cause instanceof HttpTimeoutException ? "timed out"
                : cause instanceof IOException ? "connection failed (" + cause.getClass().getSimpleName() + ")"
                : "request failed (" + cause.getClass().getSimpleName() + ")";
        return new RemoteException(Kind.UNAVAILABLE, out.what() + ": " + why, cause);
    }

    /** Reads a whole body of at most {@code max} bytes; a longer one is INVALID. */
    static byte[] readBounded(Response r, int max) throws RemoteException {
        String length = r.header("Content-Length");
        if (length != null && parseLong(length) > max) {
            r.close();
            throw new RemoteException(Kind.INVALID, r.request().what() + ": answer of " + length + " bytes exceeds " + max);
        }
        try (BodyStream in = r.body()) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new RemoteException(Kind.INVALID, r.request().what() + ": answer exceeds " + max + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw unreachable(r.request(), e);
        }
    }

    static long parseLong(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
