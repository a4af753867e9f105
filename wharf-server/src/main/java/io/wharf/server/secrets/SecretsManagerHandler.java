package io.wharf.server.secrets;

import io.wharf.core.error.TooLargeException;
import io.wharf.core.iam.Principal;
import io.wharf.server.audit.AuditParameters;
import io.wharf.server.auth.Auth;
import io.wharf.server.auth.AuthException;
import io.wharf.server.auth.StoredUpstreamSecrets;
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
 * The AWS Secrets Manager subset (JSON 1.1, {@code X-Amz-Target: secretsmanager.<Operation>}, SigV4 signing name
 * {@code secretsmanager}) on the same port: {@code POST /} requests with such a target, before the ECR API sees
 * them. Each call is authorized as {@code secretsmanager:<Operation>} on the secret's ARN ({@code *} for
 * ListSecrets). See {@link SecretsManagerOperations}.
 */
public final class SecretsManagerHandler extends Handler.Abstract {
    static final String TARGET_PREFIX = "secretsmanager.";
    /** Every operation answered (the authorization matrix test checks it covers each). */
    public static final java.util.Set<String> OPERATIONS = SecretsManagerOperations.OPERATIONS;
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final Logger LOG = LoggerFactory.getLogger(SecretsManagerHandler.class);

    private final SecretsManagerOperations operations;
    private final Auth auth;
    private final int maxBodyBytes;
    private final BodyBudget bodies;
    private final long errorDrainBytes;

    /**
     * @param maxBodyBytes    the largest body read (the ECR API's request limit)
     * @param bodies          what the bodies being read at once may take together (shared with the ECR API)
     * @param errorDrainBytes unread body an error answer drains; beyond it the connection closes
     */
    public SecretsManagerHandler(StoredUpstreamSecrets secrets, Auth auth, String region, int maxBodyBytes,
                                 BodyBudget bodies, long errorDrainBytes) {
        this.operations = new SecretsManagerOperations(secrets, region);
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
        Exchange ex = new Exchange(request, response);
        RequestFacts.begin(request, RequestFacts.Api.SECRETS_MANAGER).operation(target.substring(TARGET_PREFIX.length()))
                .action(target.substring(TARGET_PREFIX.length()));
        String requestId = UUID.randomUUID().toString();
        RequestFacts.of(request).requestId(requestId);
        ex.setHeader("x-amzn-RequestId", requestId);
        try {
            Object result = answer(ex, request, target.substring(TARGET_PREFIX.length()));
            ex.send(200, CONTENT_TYPE, SecretsManagerOperations.JSON.writeValueAsBytes(result));
            callback.succeeded();
        } catch (AuthException e) {
            fail(ex, callback, e.httpStatus(), e.awsType(), e.getMessage());
        } catch (SecretsProblem p) {
            fail(ex, callback, 400, p.type, p.getMessage());
        } catch (EofException e) {
            callback.failed(e); // the client went away; nobody is left to answer
        } catch (Exception e) {
            LOG.error("Secrets Manager {} failed", target, e);
            fail(ex, callback, 500, "InternalServiceError", "internal error");
        }
        return true;
    }

    /** Authenticates the headers before reading the body; the body's share of the budget is back before answering. */
    private Object answer(Exchange ex, Request request, String operation) throws IOException {
        try (BodyBudget.Lease lease = bodies.lease()) {
            Auth.AwsSignature signature = auth.beginAws("secretsmanager", request.getMethod(),
                    request.getHttpURI().getPath(), request.getHttpURI().getQuery(), Exchange.headers(request));
            byte[] body = readBody(ex, lease);
            Principal principal = signature.verifyBody(body);
            RequestFacts.of(request).principal(principal).account(principal.account())
                    .requestParameters(AuditParameters.lazy(body)); // SecretString and SecretBinary hidden there
            SecretsManagerOperations.Request req = SecretsManagerOperations.parse(body);
            String account = principal.account();
            String resource = req.name() != null ? operations.arn(account, req.name())
                    : req.secretId() != null ? operations.arn(account, operations.nameOf(account, req.secretId())) : "*";
            auth.authorize(principal, "secretsmanager:" + operation, resource, Request.getRemoteAddr(request));
            return operations.run(operation, account, req);
        }
    }

    private byte[] readBody(Exchange ex, BodyBudget.Lease lease) throws IOException {
        try {
            return ex.readBody(maxBodyBytes, "request body", lease);
        } catch (TooLargeException e) {
            throw new SecretsProblem("InvalidRequestException", "Request body exceeds the limit of " + maxBodyBytes + " bytes");
        } catch (BodyBudget.ExhaustedException e) {
            throw new SecretsProblem("ThrottlingException", "Rate exceeded");
        }
    }

    private void fail(Exchange ex, Callback callback, int status, String type, String message) {
        RequestFacts.of(ex.request()).errorCode(type);
        try {
            ex.settleBodyBeforeError(errorDrainBytes);
            ex.setHeader("X-Amzn-ErrorType", type);
            byte[] body = SecretsManagerOperations.JSON.writeValueAsBytes(Map.of("__type", type, "message", message));
            ex.send(status, CONTENT_TYPE, body);
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        }
    }
}
