package io.wharf.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.error.StorageFullException;
import io.wharf.core.error.StorageUnavailableException;
import io.wharf.core.error.NameInvalidException;
import io.wharf.core.iam.Principal;
import io.wharf.core.spi.MetadataStore;
import io.wharf.server.auth.Auth;
import io.wharf.scan.service.ScanService;
import io.wharf.server.auth.AuthException;
import io.wharf.server.http.Exchange;
import io.wharf.server.observe.RequestFacts;
import io.wharf.server.http.MalformedQueryException;
import java.io.IOException;
import java.time.Clock;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wharf's own API under {@value #PREFIX} (nothing of OCI's {@code /v2/} or ECR's {@code POST /}): the background
 * jobs, storage usage ({@link UsageApi}), SBOMs ({@link SbomApi}), layer insight ({@link InsightApi}) and public
 * repositories ({@link PublicApi}). Authenticated as {@code /v2/} is (a registry token, Basic {@code AWS:<token>}),
 * authorized with Wharf's own IAM actions: on {@code arn:aws:wharf:<region>:<account>:job/<name>} {@value #LIST}
 * (every job: {@code job/*}), {@value #DESCRIBE}, {@value #RUN}; on repository ARNs {@value UsageApi#GET_USAGE} and
 * {@value PublicApi#SET_VISIBILITY}, {@value SignaturesApi#PUT_POLICY} (and Get, Delete); SBOMs and layer insight as pulling the image ({@value SbomApi#ACTION}). The
 * gallery needs no sign-in.
 */
public final class WharfApiHandler extends Handler.Abstract {
    static final String PREFIX = "/wharf/v1/";
    static final String LIST = "wharf:ListJobs";
    static final String DESCRIBE = "wharf:DescribeJob";
    static final String RUN = "wharf:RunJob";
    /**
     * Every route {@link #handle} dispatches, as {@code METHOD path} under {@value #PREFIX}. Dispatch is by path
     * shape rather than a table, so this list is declared beside it: the authorization matrix test probes each route
     * and fails on any route here that its expectations do not cover. Add a route here when adding one there.
     */
    public static final java.util.List<String> ROUTES = java.util.List.of(
            "GET jobs", "GET jobs/{job}", "POST jobs/{job}/run",
            "GET usage", "GET repositories/{name}/usage", "GET audit/events",
            "GET repositories/{name}/images/{digest}/insight",
            "GET repositories/{name}/images/{digest}/insight/layers/{layer}",
            "GET repositories/{name}/sbom/{digest}",
            "GET repositories/{name}/public", "PUT repositories/{name}/public", "DELETE repositories/{name}/public",
            "GET repositories/{name}/images/{digest}/signatures", "GET repositories/{name}/signature-policy",
            "PUT repositories/{name}/signature-policy", "DELETE repositories/{name}/signature-policy",
            "GET replication/backfills", "POST replication/backfills", "GET replication/backfills/{id}",
            "GET webhooks", "POST webhooks", "GET webhooks/{id}", "PATCH webhooks/{id}", "DELETE webhooks/{id}",
            "POST webhooks/{id}/test", "POST webhooks/{id}/replay",
            "GET gallery", "GET gallery/logo/{name}");
    private static final Logger LOG = LoggerFactory.getLogger(WharfApiHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Requests here carry no body; an error answer reads and drops at most this much of one. */
    private static final long ERROR_DRAIN_BYTES = 64 << 10;

    private final JobsApi jobs;
    private final UsageApi usage;
    private final SbomApi sboms;
    private final InsightApi insight;
    private final ReplicationApi replication;
    private final io.wharf.server.audit.AuditApi audit;
    private final WebhooksApi webhooks;
    private final PublicApi publicRepositories;
    private final SignaturesApi signatures;
    private final Auth auth;
    private final String region;
    private final String account;

    /** @param maxNameLength the longest repository name the registry accepts */
    public WharfApiHandler(MetadataStore metadata, Auth auth, String region, String account, int maxNameLength,
                           Clock clock) {
        this(metadata, auth, region, account, maxNameLength, clock, null);
    }

    /** @param scans the scanner, for SBOM downloads (null: none are served) */
    public WharfApiHandler(MetadataStore metadata, Auth auth, String region, String account, int maxNameLength,
                           Clock clock, ScanService scans) {
        this(metadata, auth, region, account, maxNameLength, clock, scans, null);
    }

    /** @param replication replication, for backfills (null: not served) */
    public WharfApiHandler(MetadataStore metadata, Auth auth, String region, String account, int maxNameLength,
                           Clock clock, ScanService scans, io.wharf.core.replication.ReplicationService replication) {
        this(metadata, auth, region, account, maxNameLength, clock, scans, replication, null);
    }

    /** @param webhooks webhook subscriptions (null: not served) */
    public WharfApiHandler(MetadataStore metadata, Auth auth, String region, String account, int maxNameLength,
                           Clock clock, ScanService scans, io.wharf.core.replication.ReplicationService replication,
                           io.wharf.core.webhook.WebhookService webhooks) {
        this(metadata, auth, region, account, maxNameLength, clock, scans, replication, webhooks, null, null, null, null);
    }

    /**
     * @param insight  layer insight (null: not served)
     * @param gallery  public repositories and the gallery (null: not served)
     * @param settings the gallery's page size and tags per repository
     * @param signature signatures and signature policies (null: not served)
     */
    public WharfApiHandler(MetadataStore metadata, Auth auth, String region, String account, int maxNameLength,
                           Clock clock, ScanService scans, io.wharf.core.replication.ReplicationService replication,
                           io.wharf.core.webhook.WebhookService webhooks, io.wharf.scan.insight.LayerInsightService insight,
                           io.wharf.core.service.GalleryService gallery, io.wharf.server.config.WharfConfig.Gallery settings,
                           io.wharf.core.signature.SignatureService signature) {
        this.signatures = signature == null ? null : new SignaturesApi(signature, region, account, maxNameLength);
        this.publicRepositories = gallery == null ? null
                : new PublicApi(gallery, region, account, maxNameLength, settings);
        this.webhooks = webhooks == null ? null : new WebhooksApi(webhooks);
        this.replication = replication == null ? null : new ReplicationApi(replication);
        this.jobs = new JobsApi(metadata, clock);
        this.audit = new io.wharf.server.audit.AuditApi(metadata.audit());
        this.usage = new UsageApi(metadata, metadata, region, account, maxNameLength);
        this.sboms = scans == null ? null : new SbomApi(scans, region, account, maxNameLength);
        this.insight = insight == null ? null : new InsightApi(insight, region, account, maxNameLength);
        this.auth = auth;
        this.region = region;
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
            String[] parts = ex.rawPath().substring(PREFIX.length()).split("/", -1);
            String path = ex.rawPath().substring(PREFIX.length());
            if (webhooks != null && WebhooksApi.isPath(parts)) {
                webhooks(ex, parts, Request.getRemoteAddr(request));
            } else if (publicRepositories != null && PublicApi.isGalleryPath(path)) {
                gallery(ex, path);
            } else {
                SbomApi.Document reply = dispatch(ex, Request.getRemoteAddr(request));
                int status = reply.status() != 0 ? reply.status() : ex.method().equals("POST") ? 202 : 200;
                ex.sendJson(status, reply.contentType(), reply.body());
            }
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

    /** Routes {@code usage}, {@code repositories/<name>/usage}, {@code repositories/<name>/sbom/<digest>} and the jobs. */
    private SbomApi.Document dispatch(Exchange ex, String sourceIp) throws IOException {
        Principal caller = auth.authenticateRegistry(ex.header("Authorization"));
        RequestFacts.of(ex.request()).principal(caller).account(account);
        String path = ex.rawPath().substring(PREFIX.length());
        UsageApi.Authorizer allow = (action, arn) -> auth.authorize(caller, action, arn, sourceIp);
        if (path.equals("usage")) {
            requireMethod(ex, "GET");
            return json(usage.registry(ex, allow));
        }
        if (io.wharf.server.audit.AuditApi.isPath(path)) {
            requireMethod(ex, "GET");
            auth.authorize(caller, io.wharf.server.audit.AuditLookup.ACTION, "*", sourceIp);
            return json(audit.events(ex, caller.account()));
        }
        if (UsageApi.isRepositoryPath(path)) {
            requireMethod(ex, "GET");
            return json(usage.repository(ex, path, allow));
        }
        if (insight != null && InsightApi.isPath(path)) {
            requireMethod(ex, "GET");
            return insight.handle(ex, path, allow);
        }
        if (signatures != null && SignaturesApi.isPath(path)) {
            return json(signatures.handle(ex, path, allow));
        }
        if (publicRepositories != null && PublicApi.isVisibilityPath(path)) {
            return json(publicRepositories.visibility(ex, path, allow));
        }
        if (sboms != null && SbomApi.isSbomPath(path)) {
            requireMethod(ex, "GET");
            return sboms.sbom(ex, path, allow);
        }
        String[] parts = path.split("/", -1);
        if (replication != null && ReplicationApi.isPath(parts)) {
            return json(backfills(ex, parts, caller, sourceIp));
        }
        return json(jobs(ex, parts, caller, sourceIp));
    }

    /** The gallery's JSON and logos: no sign-in, and only what public repositories show. */
    private void gallery(Exchange ex, String path) throws IOException {
        RequestFacts.of(ex.request()).principal(Principal.anonymous(account)).account(account);
        requireMethod(ex, "GET");
        if (path.equals("gallery")) {
            ex.sendJson(200, "application/json", publicRepositories.search(ex));
            return;
        }
        var logo = publicRepositories.logo(path)
                .orElseThrow(() -> new ApiProblem(ApiError.NOT_FOUND, "no logo at " + ex.rawPath()));
        ex.send(200, logo.mediaType(), logo.bytes());
    }

    /** Routes {@code webhooks…} ({@link WebhooksApi}): {@value WebhooksApi#MANAGE} on the webhook's ARN in the caller's account. */
    private void webhooks(Exchange ex, String[] path, String sourceIp) throws IOException {
        Principal caller = auth.authenticateRegistry(ex.header("Authorization"));
        RequestFacts.of(ex.request()).principal(caller).account(caller.account());
        auth.authorize(caller, WebhooksApi.MANAGE, WebhooksApi.arn(region, caller.account(), WebhooksApi.target(path)), sourceIp);
        WebhooksApi.Reply reply = webhooks.handle(ex, path, caller.account());
        if (reply.body() == null) {
            ex.sendEmpty(reply.status());
        } else {
            ex.sendJson(reply.status(), "application/json", reply.body());
        }
    }

    /** Routes {@code replication/backfills} (GET lists, POST starts) and {@code replication/backfills/<id>}. */
    private String backfills(Exchange ex, String[] path, Principal caller, String sourceIp) {
        String arn = ReplicationApi.arn(region, caller.account());
        if (path.length == 3) {
            requireMethod(ex, "GET");
            auth.authorize(caller, ReplicationApi.DESCRIBE, arn, sourceIp);
            return replication.describe(caller.account(), path[2]);
        }
        if (ex.method().equals("POST")) {
            auth.authorize(caller, ReplicationApi.START, arn, sourceIp);
            return replication.start(caller.account());
        }
        requireMethod(ex, "GET");
        auth.authorize(caller, ReplicationApi.DESCRIBE, arn, sourceIp);
        return replication.list(caller.account());
    }

    private static SbomApi.Document json(String body) {
        return new SbomApi.Document("application/json", body);
    }

    /** Routes {@code jobs}, {@code jobs/<name>} and {@code jobs/<name>/run}. */
    private String jobs(Exchange ex, String[] path, Principal caller, String sourceIp) {
        if (!path[0].equals("jobs") || path.length > 3 || (path.length == 3 && !path[2].equals("run"))) {
            throw new ApiProblem(ApiError.NOT_FOUND, "no such resource: " + ex.rawPath());
        }
        if (path.length == 1) {
            allow(ex, "GET", caller, LIST, "*", sourceIp);
            return jobs.list();
        }
        String name = path[1];
        if (path.length == 2) {
            allow(ex, "GET", caller, DESCRIBE, name, sourceIp);
            return jobs.describe(name);
        }
        allow(ex, "POST", caller, RUN, name, sourceIp);
        return jobs.requestRun(name);
    }

    private void allow(Exchange ex, String method, Principal caller, String action, String job, String sourceIp) {
        requireMethod(ex, method);
        if (!job.equals("*") && !JobsApi.validName(job)) {
            throw new ApiProblem(ApiError.NOT_FOUND, "no job named " + job);
        }
        auth.authorize(caller, action, jobArn(region, account, job), sourceIp);
    }

    static void requireMethod(Exchange ex, String method) {
        if (!ex.method().equals(method)) {
            throw new ApiProblem(ApiError.METHOD_NOT_ALLOWED, ex.method() + " not allowed here; use " + method);
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
