package io.wharf.server.oci;

import io.wharf.core.error.NameInvalidException;
import io.wharf.core.error.RegistryException;
import io.wharf.core.iam.Principal;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.pullthrough.PullThroughCache;
import io.wharf.core.service.GalleryService;
import io.wharf.core.service.PushContext;
import io.wharf.core.service.RepoKey;
import io.wharf.core.service.Registry;
import io.wharf.server.auth.Auth;
import io.wharf.server.auth.AuthException;
import io.wharf.server.auth.EcrArns;
import io.wharf.server.http.BodyBudget;
import io.wharf.server.http.Exchange;
import io.wharf.server.observe.RequestFacts;
import io.wharf.server.http.MalformedQueryException;
import io.wharf.server.http.RequestRates;
import io.wharf.server.http.ThrottledException;
import io.wharf.server.oci.OciRoutes.Route;
import java.io.IOException;
import io.wharf.core.spi.MetadataStore;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dispatches {@code /v2/} requests through the route table and renders every failure as OCI error JSON. */
public final class OciHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(OciHandler.class);

    /**
     * The routes that create a missing repository (upload start, monolithic upload, mount; manifest PUT): naming one,
     * they also need {@link #CREATE_REPOSITORY}. The other upload steps act on a session that already has one.
     */
    private static final Set<String> CREATING_ACTIONS = Set.of("ecr:InitiateLayerUpload", "ecr:PutImage");
    private static final String CREATE_REPOSITORY = "ecr:CreateRepository";
    /** What a caller without credentials may do, and only on a public repository: read. */
    private static final Set<String> ANONYMOUS_ROUTES = Set.of("GetManifest", "HeadManifest", "GetBlob", "HeadBlob",
            "ListTags", "ListReferrers");

    private final List<Route> routes;
    private final MetadataStore meta;
    private final GalleryService gallery;
    private final RegistryChallenge challenge;
    private final String account;
    /** The header another Wharf's replication marks its pushes with. */
    static final String REPLICATED_FROM = "X-Wharf-Replicated-From";
    private static final java.util.regex.Pattern SOURCE = java.util.regex.Pattern.compile("[0-9a-z-]{2,25}/[0-9]{12}");
    private final String region;
    private final int maxNameLength;
    private final Auth auth;
    private final long errorDrainBytes;
    private final RequestRates rates;

    /**
     * @param auth            authenticates every request and authorizes it as its route's ECR action
     * @param errorDrainBytes unread body an error answer drains; beyond it the connection closes
     * @param verifyBlobReads whether a full blob GET hashes what it sends ({@code integrity.verify-on-read})
     * @param manifestBodies  what the manifest bodies buffered at the same time may take together
     */
    public OciHandler(Registry registry, String account, String region, int maxNameLength, Auth auth,
                      long errorDrainBytes, boolean verifyBlobReads, BodyBudget manifestBodies) {
        this(registry, account, region, maxNameLength, auth, errorDrainBytes, verifyBlobReads, manifestBodies, null);
    }

    /** @param pullThrough the pull-through cache of repositories under its rules; null: none */
    public OciHandler(Registry registry, String account, String region, int maxNameLength, Auth auth,
                      long errorDrainBytes, boolean verifyBlobReads, BodyBudget manifestBodies,
                      PullThroughCache pullThrough) {
        this(registry, account, region, maxNameLength, auth, errorDrainBytes, verifyBlobReads, manifestBodies,
                pullThrough, RequestRates.UNLIMITED);
    }

    /** @param rates the request rates per account and the ECR operation each route stands for */
    public OciHandler(Registry registry, String account, String region, int maxNameLength, Auth auth,
                      long errorDrainBytes, boolean verifyBlobReads, BodyBudget manifestBodies,
                      PullThroughCache pullThrough, RequestRates rates) {
        this.routes = OciRoutes.table(new BlobEndpoints(registry.blobs(), verifyBlobReads, pullThrough),
                new UploadEndpoints(registry.uploads()),
                new ManifestEndpoints(registry.manifests(), registry.limits().maxManifestBytes(), manifestBodies,
                        pullThrough, io.wharf.server.signing.Signatures.service(registry)),
                new ListingEndpoints(registry.listings()));
        this.meta = registry.metadata();
        this.gallery = registry.gallery();
        this.challenge = new RegistryChallenge(auth, registry.gallery(), account);
        this.account = account;
        this.region = region;
        this.maxNameLength = maxNameLength;
        this.auth = auth;
        this.errorDrainBytes = errorDrainBytes;
        this.rates = rates;
    }

    /** "ecr:" before the route table's actions. */
    private static final int ACTION_PREFIX = "ecr:".length();

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange ex = new Exchange(request, response);
        if (RegistryChallenge.isTokenPath(ex.rawPath())) {
            token(ex, request, callback);
            return true;
        }
        OciPath path = OciPath.parse(ex.rawPath());
        if (path == null) {
            return false;
        }
        ex.setHeader("Docker-Distribution-API-Version", "registry/2.0");
        RequestFacts facts = RequestFacts.begin(request, RequestFacts.Api.OCI).account(account);
        try {
            dispatch(ex, path, Request.getRemoteAddr(request), facts);
            callback.succeeded();
        } catch (AuthException e) {
            refuse(ex, challenge.challenge(request.getHttpURI(), path, ex.header("Authorization")), callback, e);
        } catch (ThrottledException e) {
            ex.setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
            fail(ex, callback, OciErrors.map(e), "Rate exceeded", null, null);
        } catch (RegistryException e) {
            fail(ex, callback, OciErrors.map(e), e.getMessage(), e.detail(), null);
        } catch (OciProblem p) {
            fail(ex, callback, p.error, p.getMessage(), p.detail, null);
        } catch (MalformedQueryException e) {
            fail(ex, callback, OciError.PARAMETER_INVALID, e.getMessage(), e.parameter(), null);
        } catch (EofException e) {
            callback.failed(e); // the client went away; nobody is left to answer
        } catch (Exception e) {
            fail(ex, callback, OciError.UNKNOWN, "internal error", null, e);
        }
        return true;
    }

    private void dispatch(Exchange ex, OciPath path, String sourceIp, RequestFacts facts) throws IOException {
        Principal principal = authenticate(ex, path);
        facts.principal(principal);
        RepoKey repo = path.name() == null ? null : new RepoKey(account, parseName(path.name()));
        Route route = route(path.kind(), ex.method());
        facts.operation(route.name()).action(route.action() == null ? null : route.action().substring(ACTION_PREFIX))
                .repository(repo == null ? null : repo.name().value());
        rates.acquire(principal.account(), route.action()); // before authorization: the cheaper refusal first
        if (!principal.isAnonymous()) { // let in only for a read of a public repository: that is its permission
            authorizeOrReadPublic(principal, route, repo, ex, sourceIp);
        }
        OciCall call = new OciCall(ex, principal, repo, path.reference(), account,
                source -> mayRead(principal, source, sourceIp),
                action -> auth.authorize(principal, action, EcrArns.repository(region, account, repo.name().value()),
                        sourceIp));
        String from = replicatedFrom(ex, principal, repo, sourceIp);
        if (from == null) {
            route.endpoint().handle(call);
        } else {
            ScopedValue.where(PushContext.REPLICATED_FROM, from).call(() -> {
                route.endpoint().handle(call);
                return null;
            });
        }
    }

    /**
     * The caller; without credentials ({@link RegistryChallenge#carriesNoCredentials}), the anonymous principal when
     * the request reads a public repository. Anything else without credentials (a private or missing repository, a write, the catalog, a bad
     * name) gets the refusal it got before, so an anonymous caller cannot tell a private repository from none.
     */
    private Principal authenticate(Exchange ex, OciPath path) {
        String authorization = ex.header("Authorization");
        try {
            return auth.authenticateRegistry(RegistryChallenge.asBasic(authorization));
        } catch (AuthException refused) {
            if (!RegistryChallenge.carriesNoCredentials(authorization) || !mayReadAnonymously(ex, path)) {
                throw refused;
            }
            return Principal.anonymous(account);
        }
    }

    private boolean mayReadAnonymously(Exchange ex, OciPath path) {
        try {
            if (path.name() == null || path.name().indexOf('%') >= 0) {
                return false;
            }
            RepoKey repo = new RepoKey(account, RepositoryName.parse(path.name(), maxNameLength));
            return ANONYMOUS_ROUTES.contains(route(path.kind(), ex.method()).name()) && gallery.isPublic(repo);
        } catch (RegistryException | OciProblem e) {
            return false;
        }
    }

    /**
     * The source a replicating push names in {@value #REPLICATED_FROM} ({@code <region>/<account>}), when the caller
     * may {@code ecr:ReplicateImage} on the repository; null otherwise (the header is then ignored).
     */
    private String replicatedFrom(Exchange ex, Principal principal, RepoKey repo, String sourceIp) {
        String from = ex.header(REPLICATED_FROM);
        if (from == null || repo == null || !SOURCE.matcher(from).matches()) {
            return null;
        }
        try {
            auth.authorize(principal, "ecr:ReplicateImage", EcrArns.repository(region, account, repo.name().value()), sourceIp);
            return from;
        } catch (AuthException e) {
            return null;
        }
    }

    /** Whether the caller may read blobs of {@code source}: what a mount from there needs. */
    private boolean mayRead(Principal principal, RepositoryName source, String sourceIp) {
        try {
            auth.authorize(principal, OciRoutes.READ_BLOB, EcrArns.repository(region, account, source.value()), sourceIp);
            return true;
        } catch (AuthException e) {
            return false;
        }
    }

    /**
     * As {@link #authorize}, except that a refused read of a public repository is let in: anyone may read it without
     * credentials, so a caller who sends some (another account's, a user allowed only to push) may read it too, as in
     * ECR Public. Only after a refusal: an allowed pull pays no visibility lookup.
     */
    private void authorizeOrReadPublic(Principal principal, Route route, RepoKey repo, Exchange ex, String sourceIp) {
        try {
            authorize(principal, route, repo, ex, sourceIp);
        } catch (AuthException refused) {
            if (refused.kind() != AuthException.Kind.ACCESS_DENIED || repo == null
                    || !ANONYMOUS_ROUTES.contains(route.name()) || !gallery.isPublic(repo)) {
                throw refused;
            }
        }
    }

    /**
     * The route's action on its repository (the catalog: on all repositories; {@code /v2/} itself
     * needs none). A mount reads its source repository, so it needs read access there too.
     */
    private void authorize(Principal principal, Route route, RepoKey repo, Exchange ex, String sourceIp) {
        if (route.action() == null) {
            return;
        }
        String resource = repo == null ? EcrArns.allRepositories(region, account)
                : EcrArns.repository(region, account, repo.name().value());
        auth.authorize(principal, route.action(), resource, sourceIp);
        if (repo != null && CREATING_ACTIONS.contains(route.action())
                && meta.findRepository(account, repo.name()).isEmpty()) {
            auth.authorize(principal, CREATE_REPOSITORY, resource, sourceIp); // as ECR: before anything is created
        }
        if (route.kind() == OciPath.Kind.UPLOADS && ex.hasQuery("mount")) {
            try {
                String from = ex.query("from");
                if (from == null || from.isEmpty()) {
                    return;
                }
                String source = EcrArns.repository(region, account, RepositoryName.parse(from).value());
                auth.authorize(principal, OciRoutes.READ_BLOB, source, sourceIp);
            } catch (NameInvalidException | MalformedQueryException e) {
                // no such repository can exist, so nothing can be read from it; the endpoint answers
            }
        }
    }

    /** {@code GET /v2/token} ({@link RegistryChallenge}); credentials that are not ours get the Basic challenge. */
    private void token(Exchange ex, Request request, Callback callback) {
        RequestFacts.begin(request, RequestFacts.Api.OCI).account(account).operation("GetToken");
        try {
            if (!ex.method().equals("GET")) {
                throw new OciProblem(OciError.UNSUPPORTED, "method " + ex.method() + " not allowed on this route", null);
            }
            challenge.token(ex);
            callback.succeeded();
        } catch (AuthException e) {
            refuse(ex, RegistryChallenge.basic(request.getHttpURI()), callback, e);
        } catch (OciProblem p) {
            fail(ex, callback, p.error, p.getMessage(), p.detail, null);
        } catch (Exception e) {
            fail(ex, callback, OciError.UNKNOWN, "internal error", null, e);
        }
    }

    /** 401 with {@code wwwAuthenticate} when the credentials are missing or not ours, else 403 DENIED. */
    private void refuse(Exchange ex, String wwwAuthenticate, Callback callback, AuthException e) {
        OciError error = OciErrors.map(e);
        if (error == OciError.UNAUTHORIZED) {
            ex.setHeader("WWW-Authenticate", wwwAuthenticate);
        }
        fail(ex, callback, error, error == OciError.UNAUTHORIZED ? "Not Authorized" : e.getMessage(), null, null);
    }

    /** Every route's name ({@code GetManifest}), in table order: the authorization matrix test checks it covers each. */
    public List<String> routeNames() {
        return routes.stream().map(Route::name).toList();
    }

    private Route route(OciPath.Kind kind, String method) {
        for (Route r : routes) {
            if (r.kind() == kind && r.method().equals(method)) {
                return r;
            }
        }
        throw new OciProblem(OciError.UNSUPPORTED, "method " + method + " not allowed on this route", null);
    }

    private RepositoryName parseName(String raw) {
        if (raw.indexOf('%') >= 0) {
            throw new OciProblem(OciError.NAME_INVALID, "repository names may not be percent-encoded", raw);
        }
        return RepositoryName.parse(raw, maxNameLength);
    }

    private void fail(Exchange ex, Callback callback, OciError error, String message, String detail, Exception cause) {
        RequestFacts facts = RequestFacts.of(ex.request());
        if (facts != null) {
            facts.errorCode(error.name());
        }
        if (cause != null) {
            LOG.error("{} {} failed", ex.method(), ex.rawPath(), cause);
        }
        if (ex.isCommitted()) {
            callback.failed(cause != null ? cause : new IOException(message));
            return;
        }
        try {
            ex.settleBodyBeforeError(errorDrainBytes);
            ex.sendJson(error.status(), "application/json", OciErrors.body(error, message, detail));
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        }
    }
}
