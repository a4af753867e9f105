package io.wharf.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.error.TooLargeException;
import io.wharf.core.iam.Principal;
import io.wharf.core.spi.AuditIndex;
import io.wharf.server.auth.Auth;
import io.wharf.server.auth.AuthException;
import io.wharf.server.http.BodyBudget;
import io.wharf.server.http.Exchange;
import io.wharf.server.observe.RequestFacts;
import java.io.IOException;
import java.util.List;
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
 * CloudTrail's {@code LookupEvents} (JSON 1.1, {@code X-Amz-Target:
 * com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents}, SigV4 signing name {@code cloudtrail}) over the
 * audit trail, so that {@code aws cloudtrail lookup-events --endpoint-url} works. Authorized as
 * {@value AuditLookup#ACTION} on {@code *}; the caller sees its own account's records. See {@link LookupEvents}.
 */
public final class CloudTrailHandler extends Handler.Abstract {
    static final String TARGET_PREFIX = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";
    /** Every operation answered (the authorization matrix test checks it covers each). */
    public static final java.util.Set<String> OPERATIONS = java.util.Set.of("LookupEvents");
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final Logger LOG = LoggerFactory.getLogger(CloudTrailHandler.class);
    static final ObjectMapper JSON = new ObjectMapper();

    private final LookupEvents lookup;
    private final Auth auth;
    private final int maxBodyBytes;
    private final BodyBudget bodies;
    private final long errorDrainBytes;

    /** As Secrets Manager's handler: the ECR API's body limit and budget. */
    public CloudTrailHandler(AuditIndex index, Auth auth, int maxBodyBytes, BodyBudget bodies, long errorDrainBytes) {
        this.lookup = new LookupEvents(new AuditLookup(index));
        this.auth = auth;
        this.maxBodyBytes = maxBodyBytes;
        this.bodies = bodies;
        this.errorDrainBytes = errorDrainBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String target = request.getHeaders().get("X-Amz-Target");
        if (!"/".equals(request.getHttpURI().getPath()) || !"POST".equals(request.getMethod()) || target == null
                || !target.startsWith(TARGET_PREFIX)) {
            return false;
        }
        String operation = target.substring(TARGET_PREFIX.length());
        Exchange ex = new Exchange(request, response);
        String requestId = UUID.randomUUID().toString();
        RequestFacts.begin(request, RequestFacts.Api.CLOUDTRAIL).operation(operation).action(operation).requestId(requestId);
        ex.setHeader("x-amzn-RequestId", requestId);
        try {
            String body = answer(ex, request, operation);
            ex.send(200, CONTENT_TYPE, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            callback.succeeded();
        } catch (AuthException e) {
            fail(ex, callback, e.httpStatus(), e.awsType(), e.getMessage());
        } catch (AuditLookup.InvalidInput e) {
            fail(ex, callback, 400, e.kind(), e.getMessage());
        } catch (EofException e) {
            callback.failed(e);
        } catch (Exception e) {
            LOG.error("CloudTrail {} failed", target, e);
            fail(ex, callback, 500, "CloudTrailException", "internal error");
        }
        return true;
    }

    private String answer(Exchange ex, Request request, String operation) throws IOException {
        try (BodyBudget.Lease lease = bodies.lease()) {
            Auth.AwsSignature signature = auth.beginAws("cloudtrail", request.getMethod(),
                    request.getHttpURI().getPath(), request.getHttpURI().getQuery(), Exchange.headers(request));
            byte[] body = readBody(ex, lease);
            Principal principal = signature.verifyBody(body);
            RequestFacts.of(request).principal(principal).account(principal.account())
                    .requestParameters(AuditParameters.lazy(body));
            if (!OPERATIONS.contains(operation)) {
                throw new AuditLookup.InvalidInput("UnsupportedOperationException",
                        "Wharf's CloudTrail API has LookupEvents only, not " + operation);
            }
            auth.authorize(principal, AuditLookup.ACTION, "*", Request.getRemoteAddr(request));
            return lookup.run(principal.account(), json(body));
        }
    }

    /** The body as a JSON object (none: {@code {}}); SerializationException when it is not one. */
    static JsonNode json(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body.length == 0 ? "{}".getBytes() : body);
            if (node == null || !node.isObject()) {
                throw new AuditLookup.InvalidInput("SerializationException", "the request body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new AuditLookup.InvalidInput("SerializationException", "the request body is not valid JSON");
        }
    }

    private byte[] readBody(Exchange ex, BodyBudget.Lease lease) throws IOException {
        try {
            return ex.readBody(maxBodyBytes, "request body", lease);
        } catch (TooLargeException e) {
            throw new AuditLookup.InvalidInput("InvalidParameterException", "Request body exceeds " + maxBodyBytes + " bytes");
        } catch (BodyBudget.ExhaustedException e) {
            throw new AuditLookup.InvalidInput("ThrottlingException", "Rate exceeded");
        }
    }

    private void fail(Exchange ex, Callback callback, int status, String type, String message) {
        RequestFacts.of(ex.request()).errorCode(type);
        try {
            ex.settleBodyBeforeError(errorDrainBytes);
            ex.setHeader("X-Amzn-ErrorType", type);
            ex.send(status, CONTENT_TYPE, JSON.writeValueAsBytes(Map.of("__type", type, "message", message)));
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        }
    }
}
