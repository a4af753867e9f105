package io.wharf.server.ecr;

import io.wharf.core.error.RegistryException;
import io.wharf.core.error.TooLargeException;
import io.wharf.core.iam.Principal;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.service.RepoKey;
import io.wharf.server.audit.AuditParameters;
import io.wharf.server.auth.Auth;
import io.wharf.server.auth.AuthException;
import io.wharf.server.auth.EcrArns;
import io.wharf.server.ecr.EcrOperation.Arn;
import io.wharf.server.ecr.EcrOperation.Repos;
import io.wharf.server.http.BodyBudget;
import io.wharf.server.http.Exchange;
import io.wharf.server.http.RequestRates;
import io.wharf.server.http.ThrottledException;
import io.wharf.server.observe.RequestFacts;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
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
 * The Amazon ECR API (AWS JSON 1.1): {@code POST /} with {@code X-Amz-Target:
 * AmazonEC2ContainerRegistry_V20150921.<Operation>}. Authenticates (SigV4), picks the operation from
 * the table, parses and validates the request record, authorizes {@code ecr:<Operation>} on the
 * operation's resource, runs it, and renders every failure as ECR error JSON.
 */
public final class EcrHandler extends Handler.Abstract {
    static final String TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921.";

    /**
     * Which of the two ECR APIs a handler serves: the target prefix, the SigV4 signing name, the IAM action prefix,
     * and whether it answers every {@code POST /} (ECR does, with UnknownOperationException for foreign targets).
     */
    enum Service {
        ECR(TARGET_PREFIX, "ecr", true, RequestFacts.Api.ECR),
        ECR_PUBLIC("SpencerFrontendService.", "ecr-public", false, RequestFacts.Api.ECR_PUBLIC);

        final String targetPrefix;
        final String signingName;
        final boolean answersEveryPost;
        final RequestFacts.Api api;

        Service(String targetPrefix, String signingName, boolean answersEveryPost, RequestFacts.Api api) {
            this.targetPrefix = targetPrefix;
            this.signingName = signingName;
            this.answersEveryPost = answersEveryPost;
            this.api = api;
        }

        String arn(EcrCall call, RepositoryName name) {
            return this == ECR ? call.repositoryArn(name) : call.publicRepositoryArn(name);
        }

        String allRepositories(EcrCall call) {
            return this == ECR ? EcrArns.allRepositories(call.region(), call.account())
                    : EcrArns.publicRepository(call.account(), "*");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(EcrHandler.class);
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final Service service;
    private final Map<String, EcrOperation<?>> operations;
    private final Auth auth;
    private final String region;
    private final int maxBodyBytes;
    private final BodyBudget bodies;
    private final long errorDrainBytes;
    private final RequestRates rates;

    /**
     * @param bodies          what the bodies being read at once may take together
     * @param errorDrainBytes unread body an error answer drains; beyond it the connection closes
     */
    public EcrHandler(EcrOperations operations, Auth auth, String region, int maxBodyBytes, BodyBudget bodies,
                      long errorDrainBytes) {
        this(operations, auth, region, maxBodyBytes, bodies, errorDrainBytes, RequestRates.UNLIMITED);
    }

    /** @param rates the request rates per account and operation */
    public EcrHandler(EcrOperations operations, Auth auth, String region, int maxBodyBytes, BodyBudget bodies,
                      long errorDrainBytes, RequestRates rates) {
        this(Service.ECR, operations.table(), auth, region, maxBodyBytes, bodies, errorDrainBytes, rates);
    }

    /** The names of the operations ECR's handler serves (what {@code throttling.rates} may name). */
    public static java.util.Set<String> operationNames(EcrOperations operations) {
        return operations.table().keySet();
    }

    /** The {@code X-Amz-Target} prefix this handler answers and the operation names after it (the authorization matrix test). */
    public String targetPrefix() {
        return service.targetPrefix;
    }

    /** The operations this handler serves, by the name after {@link #targetPrefix()}. */
    public java.util.Set<String> operationNames() {
        return operations.keySet();
    }

    /** The ECR Public subset ({@code SpencerFrontendService.*}, signing name {@code ecr-public}); see docs/public-repositories.md. */
    public EcrHandler(EcrPublicOperations operations, Auth auth, String region, int maxBodyBytes, BodyBudget bodies,
                      long errorDrainBytes) {
        this(Service.ECR_PUBLIC, operations.table(), auth, region, maxBodyBytes, bodies, errorDrainBytes,
                RequestRates.UNLIMITED);
    }

    private EcrHandler(Service service, Map<String, EcrOperation<?>> operations, Auth auth, String region,
                       int maxBodyBytes, BodyBudget bodies, long errorDrainBytes, RequestRates rates) {
        this.service = service;
        this.operations = operations;
        this.auth = auth;
        this.region = region;
        this.maxBodyBytes = maxBodyBytes;
        this.bodies = bodies;
        this.errorDrainBytes = errorDrainBytes;
        this.rates = rates;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!"/".equals(request.getHttpURI().getPath()) || !"POST".equals(request.getMethod())) {
            return false;
        }
        String target = request.getHeaders().get("X-Amz-Target");
        if (!service.answersEveryPost && (target == null || !target.startsWith(service.targetPrefix))) {
            return false;
        }
        Exchange ex = new Exchange(request, response);
        String requestId = UUID.randomUUID().toString();
        RequestFacts.begin(request, service.api).requestId(requestId);
        ex.setHeader("x-amzn-RequestId", requestId)
                .setHeader("Date", HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
        try {
            Object result = answer(ex, request);
            audited(request, result);
            ex.send(200, EcrJson.CONTENT_TYPE, EcrJson.write(result));
            callback.succeeded();
        } catch (AuthException e) {
            fail(ex, callback, e.httpStatus(), e.awsType(), e.getMessage(), Map.of());
        } catch (ThrottledException e) {
            EcrProblem p = EcrErrors.map(e);
            fail(ex, callback, p.error.status(), p.error.name(), p.getMessage(), p.extra);
        } catch (EcrProblem p) {
            fail(ex, callback, p.error.status(), p.error.name(), p.getMessage(), p.extra);
        } catch (RegistryException e) {
            EcrProblem p = EcrErrors.map(e, null);
            fail(ex, callback, p.error.status(), p.error.name(), p.getMessage(), p.extra);
        } catch (EofException e) {
            callback.failed(e); // the client went away; nobody is left to answer
        } catch (Exception e) {
            LOG.error("ECR {} failed", request.getHeaders().get("X-Amz-Target"), e);
            fail(ex, callback, 500, EcrError.ServerException.name(), "internal error", Map.of());
        }
        return true;
    }

    /**
     * Authenticates, reads the body into its share of the budget and runs the operation. The share is given
     * back before the answer is sent, so a client that sends its next request on receiving it finds it free.
     */
    private Object answer(Exchange ex, Request request) throws IOException {
        try (BodyBudget.Lease lease = bodies.lease()) {
            Auth.AwsSignature signature = auth.beginAws(service.signingName, request.getMethod(), request.getHttpURI().getPath(),
                    request.getHttpURI().getQuery(), Exchange.headers(request));
            byte[] body = readBody(ex, lease);
            Principal principal = signature.verifyBody(body);
            RequestFacts.of(request).principal(principal).requestParameters(AuditParameters.lazy(body));
            EcrOperation<?> op = operation(request.getHeaders().get("X-Amz-Target"));
            RequestFacts.of(request).operation(op.name()).action(op.name());
            rates.acquire(principal.account(), op.name());
            return run(op, body, principal, request);
        }
    }

    /** A changing call's result, for the audit trail (reads return too much to keep: lists, manifests, tokens). */
    private static void audited(Request request, Object result) {
        RequestFacts facts = RequestFacts.of(request);
        String op = facts.operation();
        if (op != null && !op.startsWith("Describe") && !op.startsWith("List") && !op.startsWith("Get")
                && !op.startsWith("BatchGet") && !op.startsWith("BatchCheck")) {
            facts.responseElements(AuditParameters.ofObject(result, EcrJson.MAPPER));
        }
    }

    /** Only after the headers authenticated: an anonymous caller's body is never buffered. */
    private byte[] readBody(Exchange ex, BodyBudget.Lease lease) throws IOException {
        try {
            return ex.readBody(maxBodyBytes, "request body", lease);
        } catch (TooLargeException e) {
            throw new EcrProblem(EcrError.RequestEntityTooLargeException,
                    "Request body exceeds the limit of " + maxBodyBytes + " bytes");
        } catch (BodyBudget.ExhaustedException e) {
            throw new EcrProblem(EcrError.ThrottlingException, "Rate exceeded");
        }
    }

    private EcrOperation<?> operation(String target) {
        EcrOperation<?> op = target == null || !target.startsWith(service.targetPrefix) ? null
                : operations.get(target.substring(service.targetPrefix.length()));
        if (op == null) {
            throw new EcrProblem(EcrError.UnknownOperationException, "Unknown operation " + target);
        }
        return op;
    }

    /** Parses, resolves the registry, authorizes, runs; domain failures are mapped with the call's context. */
    private <Q extends EcrRequest> Object run(EcrOperation<Q> op, byte[] body, Principal principal, Request request) {
        Q req = EcrJson.read(body, op.requestType());
        String account = Check.registryId(req.registryId());
        RepositoryName name = null;
        if (req instanceof Arn arn) {
            EcrArn parsed = EcrArn.parse(Check.required("resourceArn", arn.resourceArn()));
            account = parsed.account();
            name = parsed.name();
        } else if (req instanceof EcrRequest.Repo repo) {
            name = Check.repositoryName("repositoryName", repo.repositoryName());
        }
        account = account != null ? account : principal.account();
        String host = host(request);
        RequestFacts.of(request).account(account).repository(name == null ? null : name.value());
        EcrCall call = new EcrCall(principal, account, name == null ? null : new RepoKey(account, name),
                region, (request.isSecure() ? "https" : "http") + "://" + host, host);
        for (String resource : resources(op, req, call)) {
            auth.authorize(principal, service.signingName + ":" + op.name(), resource, Request.getRemoteAddr(request));
        }
        try {
            return op.action().run(call, req);
        } catch (RegistryException e) {
            throw EcrErrors.map(e, call);
        }
    }

    private List<String> resources(EcrOperation<?> op, EcrRequest req, EcrCall call) {
        return switch (op.scope()) {
            case REPOSITORY, RESOURCE_ARN -> List.of(service.arn(call, call.repo().name()));
            // "*" is the caller's own account: a registryId naming another account must not act there on that grant
            case REGISTRY -> List.of(call.account().equals(call.principal().account()) ? "*"
                    : EcrArns.registry(call.region(), call.account()));
            case REPOSITORIES -> {
                List<String> names = ((Repos) req).repositoryNames();
                if (names == null) {
                    yield List.of(service.allRepositories(call));
                }
                yield names.stream().map(n -> service.arn(call, Check.repositoryName("repositoryNames", n))).toList();
            }
        };
    }

    /** The Host header as the client sent it (port included): URIs we hand out must point back at it. */
    private static String host(Request request) {
        String host = request.getHeaders().get("Host");
        return host != null && !host.isBlank() ? host : Request.getServerName(request) + ":" + Request.getServerPort(request);
    }

    private void fail(Exchange ex, Callback callback, int status, String type, String message,
                      Map<String, Object> extra) {
        RequestFacts.of(ex.request()).errorCode(type);
        try {
            ex.settleBodyBeforeError(errorDrainBytes);
            ex.setHeader("X-Amzn-ErrorType", type);
            ex.send(status, EcrJson.CONTENT_TYPE, EcrErrors.body(type, message, extra));
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        }
    }
}
