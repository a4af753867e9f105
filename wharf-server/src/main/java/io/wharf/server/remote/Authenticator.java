package io.wharf.server.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.remote.RemoteCredentials;
import io.wharf.core.remote.RemoteException;
import io.wharf.core.remote.RemoteException.Kind;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one remote registry wants as {@code Authorization}, learned from its {@code WWW-Authenticate} challenge:
 * Basic (the password, or an ECR token bought with AWS keys) or a Bearer token from its token service. Tokens
 * are cached until shortly before they expire. Credentials go nowhere but into these headers.
 */
final class Authenticator {
    static final String ECR_TARGET = "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_BEARER_LIFETIME = Duration.ofSeconds(60); // the token spec's default
    private static final Duration MAX_MARGIN = Duration.ofMinutes(5);
    /** A token is used for a day at most, whatever its {@code expires_in}: a larger one could overflow the clock. */
    static final Duration MAX_BEARER_LIFETIME = Duration.ofDays(1);

    private final URI endpoint;
    private final RemoteCredentials credentials;
    private final Transport transport;
    private final Clock clock;
    private volatile Challenge challenge; // null until the registry asked
    private final Map<String, Token> bearer = new ConcurrentHashMap<>();
    private Token ecr; // guarded by this

    /** A token and when to buy the next one. */
    record Token(String value, Instant renewAt) {
        boolean fresh(Instant now) {
            return now.isBefore(renewAt);
        }
    }

    Authenticator(URI endpoint, RemoteCredentials credentials, Transport transport, Clock clock) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.transport = transport;
        this.clock = clock;
    }

    /** The Authorization header for a request needing {@code scope} (null: none), or null to send none. */
    String header(String scope) throws RemoteException {
        Challenge c = challenge;
        if (c == null) {
            return null;
        }
        return switch (c.scheme()) {
            case BASIC -> basic();
            case BEARER -> "Bearer " + bearer(c, scope);
        };
    }

    /**
     * After a 401 that carried {@code wwwAuthenticate}: remembers the challenge and forgets the token that was
     * refused. True when another try may succeed (we sent nothing or a cached token, and have something to send).
     */
    boolean challenged(String wwwAuthenticate, String scope, String sent) {
        Challenge c = Challenge.parse(wwwAuthenticate).orElse(null);
        if (c == null) {
            return false;
        }
        challenge = c;
        bearer.remove(key(scope));
        boolean basicWithoutCredentials = c.scheme() == Challenge.Scheme.BASIC && credentials instanceof RemoteCredentials.Anonymous;
        if (sent == null) {
            return !basicWithoutCredentials;
        }
        synchronized (this) {
            boolean hadEcrToken = ecr != null;
            ecr = null;
            return c.scheme() == Challenge.Scheme.BEARER || hadEcrToken;
        }
    }

    private String basic() throws RemoteException {
        return switch (credentials) {
            case RemoteCredentials.Anonymous a -> null;
            case RemoteCredentials.Password p -> "Basic " + Base64.getEncoder().encodeToString(
                    (p.username() + ":" + p.password()).getBytes(StandardCharsets.UTF_8));
            case RemoteCredentials.AwsKeys k -> "Basic " + ecrToken(k);
        };
    }

    private static String key(String scope) {
        return scope == null ? "" : scope;
    }

    private String bearer(Challenge c, String scope) throws RemoteException {
        Token t = bearer.get(key(scope));
        if (t != null && t.fresh(clock.instant())) {
            return t.value();
        }
        synchronized (this) { // concurrent first calls buy one token
            t = bearer.get(key(scope));
            if (t == null || !t.fresh(clock.instant())) {
                t = fetchBearer(c, scope);
                bearer.put(key(scope), t);
            }
            return t.value();
        }
    }

    private Token fetchBearer(Challenge c, String scope) throws RemoteException {
        URI realm = realm(c);
        StringBuilder query = new StringBuilder();
        if (c.param("service") != null) {
            query.append("service=").append(URLEncoder.encode(c.param("service"), StandardCharsets.UTF_8));
        }
        if (scope != null) {
            query.append(query.isEmpty() ? "" : "&").append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        }
        URI uri = URI.create(realm + (query.isEmpty() ? "" : (realm.getRawQuery() == null ? "?" : "&") + query));
        Map<String, String> headers = new HashMap<>();
        if (credentials instanceof RemoteCredentials.Password p) {
            headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (p.username() + ":" + p.password()).getBytes(StandardCharsets.UTF_8)));
        }
        Instant now = clock.instant();
        return bearerToken(json(transport.send(new Transport.Outgoing("GET", uri, headers), true)), now,
                "the token service at " + realm.getHost());
    }

    /** A token service's answer (Docker's token spec: {@code token} or {@code access_token}, {@code expires_in}). */
    static Token bearerToken(JsonNode json, Instant now, String what) throws RemoteException {
        String token = json.path("token").isTextual() ? json.path("token").asText() : json.path("access_token").asText(null);
        if (token == null || token.isEmpty()) {
            throw new RemoteException(Kind.INVALID, what + " answered no token");
        }
        long seconds = json.path("expires_in").asLong(0);
        Duration lifetime = seconds <= 0 ? DEFAULT_BEARER_LIFETIME
                : Duration.ofSeconds(Math.min(seconds, MAX_BEARER_LIFETIME.toSeconds()));
        return new Token(token, renewAt(now, now.plus(lifetime)));
    }

    private URI realm(Challenge c) throws RemoteException {
        String realm = c.param("realm");
        try {
            URI uri = realm == null ? null : endpoint.resolve(realm);
            if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new RemoteException(Kind.INVALID, endpoint + " asked for a Bearer token without a usable realm");
        }
    }

    /** Buys an ECR authorization token (base64 of {@code AWS:<password>}), or reuses the one bought before. */
    private synchronized String ecrToken(RemoteCredentials.AwsKeys keys) throws RemoteException {
        Instant now = clock.instant();
        if (ecr != null && ecr.fresh(now)) {
            return ecr.value();
        }
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-amz-json-1.1");
        headers.put("X-Amz-Target", ECR_TARGET);
        headers.putAll(SigV4Signer.sign(keys, "ecr", endpoint, headers, body, now));
        JsonNode answer = json(transport.send(new Transport.Outgoing("POST", endpoint.resolve("/"), headers,
                HttpRequest.BodyPublishers.ofByteArray(body), new Transport.Progress()), false));
        ecr = ecrToken(answer, now, "GetAuthorizationToken at " + endpoint);
        return ecr.value();
    }

    /** GetAuthorizationToken's answer: the first {@code authorizationData}'s token and {@code expiresAt}. */
    static Token ecrToken(JsonNode answer, Instant now, String what) throws RemoteException {
        JsonNode data = answer.path("authorizationData").path(0);
        String token = data.path("authorizationToken").asText(null);
        if (token == null || token.isEmpty()) {
            throw new RemoteException(Kind.INVALID, what + " answered no token");
        }
        return new Token(token, renewAt(now, expiresAt(data.path("expiresAt"), now)));
    }

    /** ECR answers epoch seconds (possibly fractional); an ISO instant is taken too; absent: 12 hours, as ECR. */
    private static Instant expiresAt(JsonNode n, Instant now) {
        if (n.isNumber()) {
            return Instant.ofEpochMilli((long) (n.asDouble() * 1000));
        }
        try {
            return n.isTextual() ? Instant.parse(n.asText()) : now.plus(Duration.ofHours(12));
        } catch (RuntimeException e) {
            return now.plus(Duration.ofHours(12));
        }
    }

    /** Renews a quarter of the lifetime early (at most five minutes): a request never carries a token about to lapse. */
    static Instant renewAt(Instant now, Instant expiresAt) {
        Duration lifetime = Duration.between(now, expiresAt);
        if (lifetime.isNegative()) {
            return now;
        }
        Duration margin = lifetime.dividedBy(4);
        return expiresAt.minus(margin.compareTo(MAX_MARGIN) > 0 ? MAX_MARGIN : margin);
    }

    private JsonNode json(Transport.Response r) throws RemoteException {
        int max = transport.settings().maxResponseBytes();
        if (r.status() != 200) {
            throw RemoteFailures.of(r, max);
        }
        return json(Transport.readBounded(r, max), r.request().what());
    }

    /** A token answer's body as JSON; {@code what} answered it. */
    static JsonNode json(byte[] body, String what) throws RemoteException {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new RemoteException(Kind.INVALID, what + " answered malformed JSON");
        }
    }
}
