package io.wharf.server.sts;

import io.wharf.core.error.TooLargeException;
import io.wharf.core.iam.Principal;
import io.wharf.server.auth.Auth;
import io.wharf.core.identity.IdentityException;
import io.wharf.server.auth.AuthException;
import io.wharf.server.auth.SecurityTokenService;
import io.wharf.server.auth.SessionTokens;
import io.wharf.server.auth.WebIdentityException;
import io.wharf.server.http.BodyBudget;
import io.wharf.server.http.Exchange;
import io.wharf.server.observe.RequestFacts;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.UUID;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AWS STS (AWS query protocol, XML answers, SigV4 with the signing name {@code sts}): {@code GetCallerIdentity}, which
 * SDKs and the Terraform AWS provider ask at start-up, and the temporary credentials of {@code AssumeRole},
 * {@code GetSessionToken} and (unsigned) {@code AssumeRoleWithWebIdentity} (docs/sts.md). It takes
 * only STS-shaped requests to {@code /}: a form-encoded {@code POST} or a {@code GET} with an {@code Action},
 * without {@code X-Amz-Target} (the ECR API's JSON requests carry one), or any signed for the service
 * {@code sts}.
 */
public final class StsHandler extends Handler.Abstract {
    static final String VERSION = "2011-06-15";
    private static final String WEB_IDENTITY = "AssumeRoleWithWebIdentity";
    /** Every action answered (the authorization matrix test checks it covers each). */
    public static final Set<String> ACTIONS = Set.of("GetCallerIdentity", "AssumeRole", "GetSessionToken", WEB_IDENTITY);
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
        RequestFacts facts = RequestFacts.begin(request, RequestFacts.Api.STS).requestId(requestId);
        try {
            Call call = answer(ex, request);
            facts.operation(call.action()).action(call.action()).principal(call.caller()).account(call.caller().account());
            ex.send(200, StsXml.CONTENT_TYPE, call.body().apply(requestId));
            callback.succeeded();
        } catch (AuthException e) {
            fail(ex, callback, StsProblem.of(e), requestId);
        } catch (IdentityException e) {
            fail(ex, callback, StsProblem.of(e), requestId);
        } catch (WebIdentityException e) {
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

    /** An answered call: the action, the caller, and the answer's body given the request id. */
    private record Call(String action, Principal caller, Function<String, byte[]> body) {
    }

    /** Authenticates the headers before reading a body; the body's share of the budget is back before answering. */
    private Call answer(Exchange ex, Request request) throws IOException {
        String query = request.getHttpURI().getQuery();
        boolean signed = signed(request, query);
        Map<String, String> params = params(query);
        byte[] body;
        Auth.AwsSignature signature;
        try (BodyBudget.Lease lease = bodies.lease()) {
            // a signed request is refused from its headers alone when they do not authenticate; an unsigned one may be
            // AssumeRoleWithWebIdentity, whose credential is a parameter, so its (bounded, budgeted) body is read first
            signature = signed ? beginAws(request, query) : null;
            body = "POST".equals(request.getMethod()) ? readBody(ex, lease) : new byte[0];
        }
        params.putAll(params(new String(body, StandardCharsets.UTF_8)));
        if (!signed && WEB_IDENTITY.equals(params.get("Action"))) {
            return webIdentity(params, request);
        }
        Principal caller = (signature != null ? signature : beginAws(request, query)).verifyBody(body);
        String action = action(params);
        return new Call(action, caller, switch (action) {
            case "GetCallerIdentity" -> id -> StsXml.callerIdentity(caller, id);
            case "AssumeRole" -> assumeRole(caller, params, Request.getRemoteAddr(request));
            case "GetSessionToken" -> getSessionToken(caller, params);
            case WEB_IDENTITY -> throw new StsProblem(400, "InvalidParameterValue",
                    "AssumeRoleWithWebIdentity takes no AWS credentials: send it unsigned");
            default -> throw StsProblem.invalidAction(action, params.get("Version"));
        });
    }

    private Auth.AwsSignature beginAws(Request request, String query) {
        return auth.beginAws("sts", request.getMethod(), request.getHttpURI().getPath(), query, Exchange.headers(request));
    }

    /** Whether the request carries a SigV4 signature (header or presigned query), even a malformed one. */
    private static boolean signed(Request request, String query) {
        return request.getHeaders().get("Authorization") != null
                || query != null && (query.contains("X-Amz-Algorithm=") || query.contains("X-Amz-Credential=")
                || query.contains("X-Amz-Signature="));
    }

    /** AssumeRoleWithWebIdentity: unsigned, the web identity token is the credential. */
    private Call webIdentity(Map<String, String> params, Request request) {
        String action = action(params);
        SecurityTokenService.WebIdentitySession s = sts(params).assumeRoleWithWebIdentity(new SecurityTokenService.AssumeRole(
                params.get("RoleArn"), params.get("RoleSessionName"), duration(params), params.get("Policy"), null, null),
                params.get("WebIdentityToken"), Request.getRemoteAddr(request));
        return new Call(action, s.credentials().principal(), id -> StsXml.webIdentity(s, params.get("Policy"), id));
    }

    /** The action named, of version {@value #VERSION}. AssumeRole checks its own permission; the others need none. */
    static String action(Map<String, String> params) {
        String action = params.get("Action");
        if (action == null || action.isEmpty()) {
            throw StsProblem.missingAction();
        }
        String version = params.get("Version");
        if (!ACTIONS.contains(action) || !VERSION.equals(version)) {
            throw StsProblem.invalidAction(action, version);
        }
        return action;
    }

    private Function<String, byte[]> assumeRole(Principal caller, Map<String, String> params, String sourceIp) {
        SessionTokens.Credentials c = sts(params).assumeRole(caller, new SecurityTokenService.AssumeRole(
                params.get("RoleArn"), params.get("RoleSessionName"), duration(params), params.get("Policy"),
                params.get("SerialNumber"), params.get("TokenCode")), sourceIp);
        return id -> StsXml.assumeRole(c, params.get("Policy"), id);
    }

    private Function<String, byte[]> getSessionToken(Principal caller, Map<String, String> params) {
        SessionTokens.Credentials c = sts(params).getSessionToken(caller, duration(params), params.get("SerialNumber"),
                params.get("TokenCode"));
        return id -> StsXml.sessionToken(c, id);
    }

    private SecurityTokenService sts(Map<String, String> params) {
        return auth.sts().orElseThrow(() -> new StsProblem(400, "InvalidAction", params.get("Action")
                + " needs auth.enabled: true (temporary credentials are verified by IAM)"));
    }

    /** {@code DurationSeconds}, null when absent; its range is the service's to check. */
    static Duration duration(Map<String, String> params) {
        String value = params.get("DurationSeconds");
        if (value == null) {
            return null;
        }
        if (!value.matches("[0-9]{1,9}")) {
            throw new StsProblem(400, "ValidationError", "1 validation error detected: Value '" + value
                    + "' at 'durationSeconds' failed to satisfy constraint: Member must be a whole number of seconds");
        }
        return Duration.ofSeconds(Long.parseLong(value));
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
