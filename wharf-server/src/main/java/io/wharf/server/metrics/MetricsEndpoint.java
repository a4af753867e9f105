package io.wharf.server.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wharf.core.iam.Principal;
import io.wharf.server.auth.Auth;
import io.wharf.server.auth.AuthException;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.http.Exchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /metrics}: the registry in Prometheus text format, or OpenMetrics when the scraper's {@code Accept}
 * asks for it. Who may scrape is {@code metrics.access}: anyone; an IAM principal allowed {@value #ACTION} on
 * {@code *} (a registry token as Basic {@code AWS:<token>}, or a SigV4-signed GET); or the bearer of the token in
 * {@code metrics.token-file}. Refusals are plain text: 401 without credentials, 403 with wrong ones.
 */
public final class MetricsEndpoint extends Handler.Abstract {
    public static final String PATH = "/metrics";
    public static final String ACTION = "wharf:GetMetrics";
    private static final String OPENMETRICS = "application/openmetrics-text";
    static final String OPENMETRICS_TYPE = OPENMETRICS + "; version=1.0.0; charset=utf-8";
    static final String TEXT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final WharfConfig.MetricsAccess access;
    private final Auth auth;
    private final byte[] token;

    /**
     * @param authEnabled {@code auth.enabled}, which {@code metrics.access: auto} follows
     * @throws IOException when the token file cannot be read
     */
    public MetricsEndpoint(PrometheusMeterRegistry registry, WharfConfig.Metrics config, boolean authEnabled, Auth auth)
            throws IOException {
        this.registry = registry;
        this.access = config.access(authEnabled);
        this.auth = auth;
        this.token = config.tokenFile().isEmpty() ? null
                : Files.readString(config.tokenFile().get(), StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
        if (token != null && token.length == 0 && access == WharfConfig.MetricsAccess.TOKEN) {
            throw new IOException("metrics.token-file " + config.tokenFile().get() + " is empty");
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
        if (!PATH.equals(request.getHttpURI().getPath())) {
            return false;
        }
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            answer(response, callback, 405, "method not allowed\n");
            return true;
        }
        Refusal refusal = refusal(request);
        if (refusal != null) {
            if (refusal.status() == 401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE,
                        access == WharfConfig.MetricsAccess.TOKEN ? "Bearer" : "Basic realm=\"wharf\"");
            }
            answer(response, callback, refusal.status(), refusal.message() + "\n");
            return true;
        }
        scrape(request, response, callback, method.equals("HEAD"));
        return true;
    }

    private void scrape(Request request, Response response, Callback callback, boolean head) throws IOException {
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        String type = accept != null && accept.contains(OPENMETRICS) ? OPENMETRICS_TYPE : TEXT_TYPE;
        byte[] body = registry.scrape(type).getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, head ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(body), callback);
    }

    /** Why a scrape is refused: 401 (no or unusable credentials) or 403 (not allowed). */
    private record Refusal(int status, String message) {
    }

    /** Null when the caller may scrape. */
    private Refusal refusal(Request request) {
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        return switch (access) {
            case OPEN, AUTO -> null;
            case TOKEN -> tokenRefusal(authorization);
            case IAM -> iamRefusal(request, authorization);
        };
    }

    private Refusal tokenRefusal(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Refusal(401, "a bearer token is required");
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token) ? null : new Refusal(403, "wrong token");
    }

    private Refusal iamRefusal(Request request, String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return new Refusal(401, "credentials are required");
        }
        try {
            Principal caller = authorization.startsWith("AWS4-")
                    ? auth.authenticateAws(request.getMethod(), request.getHttpURI().getPath(),
                    request.getHttpURI().getQuery(), Exchange.headers(request), new byte[0])
                    : auth.authenticateRegistry(authorization);
            auth.authorize(caller, ACTION, "*", Request.getRemoteAddr(request));
            return null;
        } catch (AuthException e) {
            return new Refusal(e.kind() == AuthException.Kind.ACCESS_DENIED ? 403 : 401, e.getMessage());
        }
    }

    private static void answer(Response response, Callback callback, int status, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
