package io.wharf.server.sts;

import io.wharf.core.error.TooLargeException;
import io.wharf.core.iam.Principal;
import io.wharf.server.auth.Auth;
import io.wharf.server.auth.AuthException;
import io.wharf.server.http.BodyBudget;
import io.wharf.server.http.Exchange;
import io.wharf.server.observe.RequestFacts;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AWS STS, only {@code GetCallerIdentity} (AWS query protocol, XML answers, SigV4 with the signing name
 * {@code sts}): SDKs and the Terraform AWS provider learn the caller's account from it at start-up. It takes
 * only STS-shaped requests to {@code /}: a form-encoded {@code POST} or a {@code GET} with an {@code Action},
 * without {@code X-Amz-Target} (the ECR API's JSON requests carry one), or any signed for the service
 * {@code sts}. It needs no IAM permission, as in AWS.
 */
public final class StsHandler extends Handler.Abstract {
    static final String VERSION = "2011-06-15";
    private static final Logger LOG = LoggerFactory.getLogger(StsHandler.class);
    private static final String FORM = "application/x-www-form-urlencoded";

    private final Auth auth;
    private final int maxBodyBytes;
    private final BodyBudget bodies;
    private final long errorDrainBytes;

    /**
     * @param maxBodyBytes    the largest body read (the ECR API's request limit)
     * @param bodies          what the bodies being read at once may take together (shared with the ECR API)
     * @param errorDrainBytes unread body an error answer drains; beyond it the connection closes
     */
    public StsHandler(Auth auth, int maxBodyBytes, BodyBudget bodies, long errorDrainBytes) {
        this.auth = auth;
        this.maxBodyBytes = maxBodyBytes;
        this.bodies = bodies;
        this.errorDrainBytes = errorDrainBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!isSts(request)) {
            return false;
        }
        Exchange ex = new Exchange(request, response);
        String requestId = UUID.randomUUID().toString();
        ex.setHeader("x-amzn-RequestId", requestId);
        RequestFacts facts = RequestFacts.begin(request, RequestFacts.Api.STS).operation("GetCallerIdentity")
                .action("GetCallerIdentity").requestId(requestId);
        try {
            Principal caller = answer(ex, request);
            facts.principal(caller).account(caller.account());
            ex.send(200, StsXml.CONTENT_TYPE, StsXml.callerIdentity(caller, requestId));
            callback.succeeded();
        } catch (AuthException e) {
            fail(ex, callback, StsProblem.of(e), requestId);
        } catch (StsProblem p) {
            fail(ex, callback, p, requestId);
        } catch (EofException e) {
            callback.failed(e); // the client went away; nobody is left to answer
        } catch (Exception e) {
            LOG.error("STS request failed", e);
            fail(ex, callback, new StsProblem(500, "InternalFailure", "internal error"), requestId);
        }
        return true;
    }

    /** STS-shaped: see the class comment. */
    static boolean isSts(Request request) {
        if (!"/".equals(request.getHttpURI().getPath()) || request.getHeaders().get("X-Amz-Target") != null) {
            return false;
        }
        String query = request.getHttpURI().getQuery();
        String contentType = request.getHeaders().get("Content-Type");
        return switch (request.getMethod()) {
            case "POST" -> contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(FORM)
                    || signedForSts(request, query);
            case "GET" -> query != null && (query.startsWith("Action=") || query.contains("&Action="))
                    || signedForSts(request, query);
            default -> false;
        };
    }

    private static boolean signedForSts(Request request, String query) {
        String authorization = request.getHeaders().get("Authorization");
        return authorization != null && authorization.contains("/sts/aws4_request")
                || query != null && query.contains("%2Fsts%2Faws4_request");
    }

    /** Authenticates the headers before reading a body; the body's share of the budget is back before answering. */
    private Principal answer(Exchange ex, Request request) throws IOException {
        try (BodyBudget.Lease lease = bodies.lease()) {
            String query = request.getHttpURI().getQuery();
            Auth.AwsSignature signature = auth.beginAws("sts", request.getMethod(), request.getHttpURI().getPath(),
                    query, Exchange.headers(request));
            byte[] body = "POST".equals(request.getMethod()) ? readBody(ex, lease) : new byte[0];
            Principal caller = signature.verifyBody(body);
            Map<String, String> params = params(query);
            params.putAll(params(new String(body, StandardCharsets.UTF_8)));
            action(params);
            return caller;
        }
    }

    /** Only {@code GetCallerIdentity} of version {@value #VERSION}; it needs no permission. */
    private static void action(Map<String, String> params) {
        String action = params.get("Action");
        if (action == null || action.isEmpty()) {
            throw StsProblem.missingAction();
        }
        String version = params.get("Version");
        if (!"GetCallerIdentity".equals(action) || !VERSION.equals(version)) {
            throw StsProblem.invalidAction(action, version);
        }
    }

    private byte[] readBody(Exchange ex, BodyBudget.Lease lease) throws IOException {
        try {
            return ex.readBody(maxBodyBytes, "request body", lease);
        } catch (TooLargeException e) {
            throw new StsProblem(413, "RequestEntityTooLarge", "Request body exceeds the limit of " + maxBodyBytes + " bytes");
        } catch (BodyBudget.ExhaustedException e) {
            throw new StsProblem(400, "Throttling", "Rate exceeded");
        }
    }

    /** Form-decoded {@code name=value} pairs; the first of a repeated name wins. */
    static Map<String, String> params(String form) {
        Map<String, String> params = new HashMap<>();
        if (form == null || form.isEmpty()) {
            return params;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            params.putIfAbsent(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return params;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new StsProblem(400, "MalformedQueryString", "Malformed percent-encoding in the request's parameters");
        }
    }

    private void fail(Exchange ex, Callback callback, StsProblem p, String requestId) {
        RequestFacts.of(ex.request()).errorCode(p.code);
        try {
            ex.settleBodyBeforeError(errorDrainBytes);
            ex.send(p.status, StsXml.CONTENT_TYPE, StsXml.error(p, requestId));
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        }
    }
}
