package io.wharf.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.error.NameInvalidException;
import io.wharf.core.error.StorageFullException;
import io.wharf.core.error.StorageUnavailableException;
import io.wharf.core.iam.Principal;
import io.wharf.core.replication.ReplicationService;
import io.wharf.core.service.GalleryService;
import io.wharf.core.signature.SignatureService;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.webhook.WebhookService;
import io.wharf.scan.insight.LayerInsightService;
import io.wharf.scan.service.ScanService;
import io.wharf.server.api.WharfRoutes.Access;
import io.wharf.server.audit.AuditApi;
import io.wharf.server.auth.Auth;
import io.wharf.server.auth.AuthException;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.http.Exchange;
import io.wharf.server.http.MalformedQueryException;
import io.wharf.server.observe.RequestFacts;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wharf's own API under {@value #PREFIX} (nothing of OCI's {@code /v2/} or ECR's {@code POST /}): the background
 * jobs ({@link JobsApi}), storage usage ({@link UsageApi}), SBOMs ({@link SbomApi}), layer insight ({@link InsightApi}),
 * public repositories ({@link PublicApi}) and more, each route declared in {@link WharfRoutes}. Authenticated as
 * {@code /v2/} is (a registry token, Basic {@code AWS:<token>}), authorized with Wharf's own IAM actions: on
 * {@code arn:aws:wharf:<region>:<account>:job/<name>} {@value JobsApi#LIST} (every job: {@code job/*}),
 * {@value JobsApi#DESCRIBE}, {@value JobsApi#RUN}; on repository ARNs {@value UsageApi#GET_USAGE} and
 * {@value PublicApi#SET_VISIBILITY}, {@value SignaturesApi#PUT_POLICY} (and Get, Delete); SBOMs and layer insight as
 * pulling the image ({@value SbomApi#ACTION}). The gallery needs no sign-in.
 */
public final class WharfApiHandler extends Handler.Abstract {
    static final String PREFIX = "/wharf/v1/";
    /** Every route {@link #handle} serves when all services are configured, as {@code METHOD path} below {@value #PREFIX}. */
    public static final List<String> ROUTES = WharfRoutes.TABLE.stream().map(WharfRoutes.Route::name).toList();
    private static final Logger LOG = LoggerFactory.getLogger(WharfApiHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Requests here carry no body; an error answer reads and drops at most this much of one. */
    private static final long ERROR_DRAIN_BYTES = 64 << 10;

    private final WharfRoutes.Apis apis;
    private final Auth auth;
    private final String account;

    /**
     * The optional services: each null one's routes are not served.
     *
     * @param scans       the scanner, for SBOM downloads
     * @param replication replication, for backfills
     * @param webhooks    webhook subscriptions
     * @param insight     layer insight
     * @param gallery     public repositories and the gallery
     * @param gallerySettings the gallery's page size and tags per repository
     * @param signatures  signatures and signature policies
     */
    public record Services(ScanService scans, ReplicationService replication, WebhookService webhooks,
                           LayerInsightService insight, GalleryService gallery, WharfConfig.Gallery gallerySettings,
                           SignatureService signatures) {
        public static final Services NONE = new Services(null, null, null, null, null, null, null);
    }

    /** @param maxNameLength the longest repository name the registry accepts */
    public WharfApiHandler(MetadataStore metadata, Auth auth, String region, String account, int maxNameLength,
                           Clock clock, Services services) {
        this.apis = new WharfRoutes.Apis(new JobsApi(metadata, clock, region, account),
                new UsageApi(metadata, metadata, region, account, maxNameLength), new AuditApi(metadata.audit()),
                services.webhooks() == null ? null : new WebhooksApi(services.webhooks(), region),
                services.gallery() == null ? null
                        : new PublicApi(services.gallery(), region, account, maxNameLength, services.gallerySettings()),
                services.insight() == null ? null : new InsightApi(services.insight(), region, account, maxNameLength),
                services.signatures() == null ? null
                        : new SignaturesApi(services.signatures(), region, account, maxNameLength),
                services.scans() == null ? null : new SbomApi(services.scans(), region, account, maxNameLength),
                services.replication() == null ? null : new ReplicationApi(services.replication(), region));
        this.auth = auth;
        this.account = account;
    }

    /** {@code arn:aws:wharf:<region>:<account>:job/<name>} ({@code *}: every job). */
    public static String jobArn(String region, String account, String name) {
        return "arn:aws:wharf:" + region + ":" + account + ":job/" + name;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange ex = new Exchange(request, response);
        if (!ex.rawPath().startsWith(PREFIX)) {
            return false;
        }
        RequestFacts.begin(request, RequestFacts.Api.WHARF).operation(ex.method() + " " + routeOf(ex.rawPath()));
        try {
            send(ex, answer(ex, Request.getRemoteAddr(request)));
            callback.succeeded();
        } catch (AuthException e) {
            refuse(ex, request.getHttpURI(), callback, e);
        } catch (ApiProblem p) {
            fail(ex, callback, p.error, p.getMessage());
        } catch (NameInvalidException | MalformedQueryException | io.wharf.server.audit.AuditLookup.InvalidInput
                 | io.wharf.core.error.ParameterInvalidException e) {
            fail(ex, callback, ApiError.INVALID_PARAMETER, e.getMessage());
        } catch (io.wharf.core.error.NameUnknownException e) {
            fail(ex, callback, ApiError.NOT_FOUND, "no repository named " + e.detail() + " in account " + account);
        } catch (StorageFullException | StorageUnavailableException e) {
            fail(ex, callback, ApiError.UNAVAILABLE, e.getMessage());
        } catch (Exception e) {
            LOG.error("{} {} failed", ex.method(), ex.rawPath(), e);
            fail(ex, callback, ApiError.INTERNAL_ERROR, "internal error");
        }
        return true;
    }

    /** Finds the route for the request, signs the caller in as the route asks, and lets the route's endpoint answer. */
    private ApiReply answer(Exchange ex, String sourceIp) throws IOException {
        String path = ex.rawPath().substring(PREFIX.length());
        WharfRoutes.Route<?> owner = WharfRoutes.owner(apis, path);
        Principal caller = caller(ex, owner == null ? Access.SIGNED_IN : owner.access());
        if (owner == null) {
            throw new ApiProblem(ApiError.NOT_FOUND, "no such resource: " + ex.rawPath());
        }
        WharfRoutes.Route<?> route = WharfRoutes.forMethod(owner, ex.method());
        ApiCall call = new ApiCall(ex, caller, route.params(path),
                (action, arn) -> auth.authorize(caller, action, arn, sourceIp));
        return route.answer(apis, call);
    }

    /** Anonymous where anyone may call; else authenticated as {@code /v2/} is (401 without credentials of ours). */
    private Principal caller(Exchange ex, Access access) {
        RequestFacts facts = RequestFacts.of(ex.request());
        if (access == Access.ANYONE) {
            facts.principal(Principal.anonymous(account)).account(account);
            return Principal.anonymous(account);
        }
        Principal caller = auth.authenticateRegistry(ex.header("Authorization"));
        facts.principal(caller).account(access == Access.OWN_ACCOUNT ? caller.account() : account);
        return caller;
    }

    private static void send(Exchange ex, ApiReply reply) throws IOException {
        int status = reply.status() != 0 ? reply.status() : ex.method().equals("POST") ? 202 : 200;
        if (reply.body() == null) {
            ex.sendEmpty(status);
        } else {
            ex.send(status, reply.contentType(), reply.body());
        }
    }

    /** 401 with the registry's Basic challenge when the credentials are missing or not ours, else 403. */
    private void refuse(Exchange ex, HttpURI uri, Callback callback, AuthException e) {
        boolean unauthenticated = switch (e.kind()) {
            case MISSING, UNRECOGNIZED_CLIENT, INVALID_SIGNATURE, INCOMPLETE_SIGNATURE -> true;
            case EXPIRED_TOKEN, ACCESS_DENIED -> false;
        };
        if (unauthenticated) {
            ex.setHeader("WWW-Authenticate", "Basic realm=\"" + uri.getScheme() + "://" + uri.getAuthority()
                    + "/\",service=\"ecr.amazonaws.com\"");
        }
        fail(ex, callback, unauthenticated ? ApiError.UNAUTHORIZED : ApiError.DENIED,
                unauthenticated ? "Not Authorized" : e.getMessage());
    }

    /** The route's first segment ({@code usage}, {@code repositories}, {@code jobs}): a bounded label for metrics. */
    private static String routeOf(String rawPath) {
        String rest = rawPath.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String first = slash < 0 ? rest : rest.substring(0, slash);
        return first.matches("[a-z-]{1,32}") ? first : "unknown";
    }

    private void fail(Exchange ex, Callback callback, ApiError error, String message) {
        RequestFacts.of(ex.request()).errorCode(error.name());
        try {
            ex.settleBodyBeforeError(ERROR_DRAIN_BYTES);
            ex.sendJson(error.status, "application/json",
                    JSON.createObjectNode().put("code", error.name()).put("message", message).toString());
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        }
    }
}
