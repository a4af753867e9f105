package io.wharf.server.remote;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A small registry front for tests: a Jetty server that forwards {@code /v2/} to a Wharf without authentication and
 * guards it the way other registries do — a Basic-auth gate, or a Bearer token realm ({@code /token}) handing out
 * scoped, expiring tokens — and can misbehave on demand (429, tampered manifests, stalls, blobs redirected to a
 * "storage" host). Counts what it saw, so tests check the client's behaviour rather than trust it.
 */
final class RemoteGate implements AutoCloseable {
    enum Guard { NONE, BASIC, BEARER }

    private record Grant(String scope, long expiresAtNanos) {
    }

    private static final Set<String> HOP = Set.of("host", "authorization", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding", "keep-alive", "http2-settings", "te");
    private final int upstreamPort;
    private final Server server = new Server();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    final int port;

    volatile Guard guard = Guard.NONE;
    volatile String username = "gate-user";
    volatile String password = "gate-secret";
    volatile boolean anonymousTokens = false;
    volatile Duration tokenTtl = Duration.ofMinutes(5);
    volatile int tooManyRequests;
    volatile boolean tamperManifests;
    volatile boolean tamperBlobs;
    volatile boolean redirectBlobs;
    volatile Duration stall = Duration.ZERO;

    final AtomicInteger tokenGrants = new AtomicInteger();
    final AtomicInteger refusedCredentials = new AtomicInteger(); // 401s to requests that carried some
    final List<String> tokenScopes = new CopyOnWriteArrayList<>();
    final List<String> storageAuthorizations = new CopyOnWriteArrayList<>();
    final List<String> storageHits = new CopyOnWriteArrayList<>();

    RemoteGate(int upstreamPort) throws Exception {
        this.upstreamPort = upstreamPort;
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                serve(request, response, callback);
                return true;
            }
        });
        server.start();
        port = connector.getLocalPort();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Forgets every token handed out, as a registry does when it rotates its keys. */
    void revokeTokens() {
        grants.clear();
    }

    private void serve(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (path.equals("/token")) {
            token(request, response, callback);
        } else if (path.startsWith("/storage/")) {
            storage(request, response, callback);
        } else if (tooManyRequests > 0) {
            tooManyRequests--;
            answer(response, callback, 429, "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}");
        } else if (!allowed(request)) {
            challenge(request, response, callback);
        } else {
            forward(request, response, callback);
        }
    }

    private boolean allowed(Request request) {
        String authorization = request.getHeaders().get("Authorization");
        return switch (guard) {
            case NONE -> true;
            case BASIC -> basic(username, password).equals(authorization);
            case BEARER -> authorization != null && authorization.startsWith("Bearer ")
                    && covers(grants.get(authorization.substring(7)), request);
        };
    }

    private static boolean covers(Grant grant, Request request) {
        if (grant == null || System.nanoTime() - grant.expiresAtNanos() >= 0) {
            return false;
        }
        String[] needed = needed(request);
        if (needed == null) {
            return true; // the base /v2/ endpoint: any valid token
        }
        String[] granted = grant.scope() == null ? new String[0] : grant.scope().split(":");
        return granted.length == 3 && granted[1].equals(needed[0]) && Arrays.asList(granted[2].split(",")).contains(needed[1]);
    }

    /** {repository, action} a /v2/ request needs, or null for the base endpoint. */
    private static String[] needed(Request request) {
        String path = request.getHttpURI().getPath();
        for (String kind : new String[] {"/manifests/", "/blobs/", "/tags/"}) {
            int at = path.lastIndexOf(kind);
            if (at > 4) {
                String method = request.getMethod();
                String action = method.equals("GET") || method.equals("HEAD") ? "pull" : "push";
                return new String[] {path.substring(4, at), action};
            }
        }
        return null;
    }

    private void challenge(Request request, Response response, Callback callback) {
        if (request.getHeaders().get("Authorization") != null) {
            refusedCredentials.incrementAndGet();
        }
        String value = guard == Guard.BASIC ? "Basic realm=\"gate\""
                : "Bearer realm=\"http://127.0.0.1:" + port + "/token\",service=\"gate\""
                + (needed(request) == null ? "" : ",scope=\"repository:" + needed(request)[0] + ":" + needed(request)[1] + "\"");
        response.getHeaders().put("WWW-Authenticate", value);
        answer(response, callback, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
    }

    private void token(Request request, Response response, Callback callback) {
        String authorization = request.getHeaders().get("Authorization");
        boolean good = authorization == null ? anonymousTokens : basic(username, password).equals(authorization);
        if (!good) {
            answer(response, callback, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
            return;
        }
        String scope = query(request, "scope");
        tokenScopes.add(String.valueOf(scope));
        tokenGrants.incrementAndGet();
        String token = UUID.randomUUID().toString();
        grants.put(token, new Grant(scope, System.nanoTime() + tokenTtl.toNanos()));
        answer(response, callback, 200, "{\"token\":\"" + token + "\",\"expires_in\":" + tokenTtl.toSeconds() + "}");
    }

    private static String query(Request request, String name) {
        String q = request.getHttpURI().getQuery();
        for (String pair : q == null ? new String[0] : q.split("&")) {
            if (pair.startsWith(name + "=")) {
                return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The "storage" host blobs are redirected to: serves the blob named in the path from the upstream. */
    private void storage(Request request, Response response, Callback callback) throws Exception {
        storageAuthorizations.add(String.valueOf(request.getHeaders().get("Authorization")));
        storageHits.add(request.getHttpURI().getPathQuery());
        String[] parts = request.getHttpURI().getPath().split("/", 4); // "", storage, digest, repository
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + upstreamPort + "/v2/" + parts[3] + "/blobs/" + parts[2])).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        response.getHeaders().put("Content-Length", r.body().length);
        response.setStatus(r.statusCode());
        response.write(true, ByteBuffer.wrap(r.body()), callback);
    }

    private void forward(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (redirectBlobs && request.getMethod().equals("GET") && path.contains("/blobs/sha256:")) {
            int at = path.lastIndexOf("/blobs/");
            // another origin (localhost, not 127.0.0.1), with a signature-like query as pre-signed URLs have
            response.getHeaders().put("Location", "http://localhost:" + port + "/storage/" + path.substring(at + 7)
                    + "/" + path.substring(4, at) + "?X-Amz-Signature=presigned");
            answer(response, callback, 307, "");
            return;
        }
        if (!stall.isZero() && path.contains("/manifests/")) {
            Thread.sleep(stall.toMillis());
        }
        ByteBuffer in = Content.Source.asByteBuffer(request);
        byte[] body = new byte[in.remaining()];
        in.get(body);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + upstreamPort
                + request.getHttpURI().getPathQuery())).method(request.getMethod(), body.length == 0
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (HttpField f : request.getHeaders()) {
            if (!HOP.contains(f.getLowerCaseName())) {
                b.header(f.getName(), f.getValue());
            }
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        byte[] out = r.body();
        if (tamperManifests && path.contains("/manifests/") && request.getMethod().equals("GET")) {
            out = Arrays.copyOf(out, out.length + 1);
            out[out.length - 1] = ' ';
        }
        if (tamperBlobs && path.contains("/blobs/sha256:") && request.getMethod().equals("GET") && out.length > 0) {
            out = out.clone();
            out[out.length - 1] ^= 1;
        }
        r.headers().map().forEach((name, values) -> {
            if (!HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                values.forEach(v -> response.getHeaders().add(name, v.replace("http://127.0.0.1:" + upstreamPort, "")));
            }
        });
        response.getHeaders().put("Content-Length", request.getMethod().equals("HEAD")
                ? r.headers().firstValueAsLong("Content-Length").orElse(0) : out.length);
        response.setStatus(r.statusCode());
        response.write(true, ByteBuffer.wrap(request.getMethod().equals("HEAD") ? new byte[0] : out), callback);
    }

    private static void answer(Response response, Callback callback, int status, String json) {
        response.setStatus(status);
        response.getHeaders().put("Content-Type", "application/json");
        Content.Sink.write(response, true, json, callback);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws Exception {
        server.stop();
        http.close();
    }
}
