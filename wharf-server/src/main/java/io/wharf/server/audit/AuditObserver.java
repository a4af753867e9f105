package io.wharf.server.audit;

import io.wharf.core.audit.AuditRecord;
import io.wharf.core.audit.AuditRecord.UserIdentity;
import io.wharf.core.audit.AuditTrail;
import io.wharf.core.audit.EventIds;
import io.wharf.core.iam.Principal;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.observe.RequestFacts;
import io.wharf.server.observe.RequestObserver;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * Turns each finished request worth auditing into an {@link AuditRecord} and hands it to the {@link AuditTrail}'s
 * queue (docs/audit.md). Kept: every call that is not a pull, every authorization failure, and pulls (OCI GET/HEAD,
 * ECR's BatchGetImage, GetDownloadUrlForLayer, BatchCheckLayerAvailability) at {@code audit.read-sample-rate}. A pull
 * not sampled costs a few comparisons and no allocation.
 */
public final class AuditObserver implements RequestObserver {
    /** ECR's data-plane reads: the pulls of the ECR API, sampled like OCI's GET and HEAD. */
    private static final Set<String> PULL_ACTIONS = Set.of("BatchGetImage", "GetDownloadUrlForLayer",
            "BatchCheckLayerAvailability");
    private static final int MAX_USER_AGENT = 1024;

    private final AuditTrail trail;
    private final String region;
    private final String defaultAccount;
    private final double sampleRate;
    private final int maxValueChars;

    public AuditObserver(AuditTrail trail, WharfConfig config) {
        this.trail = trail;
        this.region = config.region();
        this.defaultAccount = config.account();
        this.sampleRate = config.audit().readSampleRate();
        this.maxValueChars = config.audit().maxValueChars();
    }

    @Override
    public void completed(Request request, Response response, RequestFacts facts) {
        if (facts == null || !kept(request, response.getStatus(), facts)) {
            return;
        }
        AuditRecord record;
        try {
            record = record(request, response, facts);
        } catch (RuntimeException e) {
            // a call is recorded even when its parameters cannot be: a parser's bug must not hide who did what
            System.getLogger("io.wharf.audit").log(System.Logger.Level.WARNING, "audit: parameters not recorded", e);
            record = bare(request, facts);
        }
        trail.offer(record);
    }

    /** The record without parameters or results: who, what, when, from where, and the outcome. */
    private AuditRecord bare(Request request, RequestFacts facts) {
        Principal who = facts.principal();
        UserIdentity identity = who == null ? UserIdentity.unknown(null) : UserIdentity.of(who.account(), who.arn(), null);
        String account = facts.account() != null ? facts.account() : who != null ? who.account() : defaultAccount;
        Instant at = arrived(request);
        return new AuditRecord(EventIds.next(at), at,
                source(facts.api()), eventName(request, facts), region, account, identity, Request.getRemoteAddr(request),
                null, facts.repository(), null, null, facts.errorCode(), null, facts.requestId(), readOnly(request, facts));
    }

    private boolean kept(Request request, int status, RequestFacts facts) {
        if (status == 401 || status == 403) {
            // OCI's 401 to a request without credentials is the protocol's challenge, not a refusal
            return !(status == 401 && facts.api() == RequestFacts.Api.OCI
                    && request.getHeaders().get("Authorization") == null);
        }
        if (!isPull(request, facts)) {
            return true;
        }
        return sampleRate >= 1.0 || (sampleRate > 0.0 && ThreadLocalRandom.current().nextDouble() < sampleRate);
    }

    private static boolean isPull(Request request, RequestFacts facts) {
        return switch (facts.api()) {
            case OCI, CONSOLE -> isGetOrHead(request.getMethod());
            case ECR -> facts.action() != null && PULL_ACTIONS.contains(facts.action());
            default -> false;
        };
    }

    private static boolean isGetOrHead(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }

    AuditRecord record(Request request, Response response, RequestFacts facts) {
        Principal who = facts.principal();
        String accessKey = accessKeyId(request.getHeaders().get("Authorization"));
        UserIdentity identity = who == null ? UserIdentity.unknown(accessKey)
                : UserIdentity.of(who.account(), who.arn(), accessKey);
        String account = facts.account() != null ? facts.account() : who != null ? who.account() : defaultAccount;
        Map<String, Object> parameters = facts.requestParameters() != null ? facts.requestParameters()
                : facts.api() == RequestFacts.Api.OCI ? OciParameters.of(request, facts.repository()) : null;
        Map<String, Object> results = facts.responseElements() != null ? facts.responseElements()
                : facts.api() == RequestFacts.Api.OCI ? OciParameters.results(request, response) : null;
        Instant at = arrived(request);
        return new AuditRecord(EventIds.next(at), at, source(facts.api()), eventName(request, facts),
                region, account, identity, Request.getRemoteAddr(request), userAgent(request), facts.repository(),
                AuditParameters.clean(parameters, maxValueChars), AuditParameters.clean(results, maxValueChars),
                facts.errorCode(), null, facts.requestId(), readOnly(request, facts));
    }

    /** CloudTrail's event source: OCI calls are ECR's Docker calls, as CloudTrail names them. */
    static String source(RequestFacts.Api api) {
        return switch (api) {
            case OCI, ECR -> "ecr.amazonaws.com";
            case ECR_PUBLIC -> "ecr-public.amazonaws.com";
            case STS -> "sts.amazonaws.com";
            case SECRETS_MANAGER -> "secretsmanager.amazonaws.com";
            case CLOUDTRAIL -> "cloudtrail.amazonaws.com";
            case WHARF, CONSOLE -> "wharf";
        };
    }

    /** The IAM action (as CloudTrail names ECR's Docker calls), else the operation, else the method. */
    private static String eventName(Request request, RequestFacts facts) {
        return facts.action() != null ? facts.action() : facts.operation() != null ? facts.operation()
                : request.getMethod();
    }

    private static boolean readOnly(Request request, RequestFacts facts) {
        if (facts.api() == RequestFacts.Api.OCI || facts.api() == RequestFacts.Api.WHARF
                || facts.api() == RequestFacts.Api.CONSOLE) {
            return isGetOrHead(request.getMethod());
        }
        String name = facts.action() != null ? facts.action() : facts.operation();
        return name != null && (name.startsWith("Describe") || name.startsWith("List") || name.startsWith("Get")
                || name.startsWith("BatchGet") || name.startsWith("BatchCheck") || name.startsWith("Lookup"));
    }

    /** The access key of a SigV4 {@code Authorization} header ({@code Credential=AKID/date/…}), else null. */
    static String accessKeyId(String authorization) {
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256")) {
            return null;
        }
        int at = authorization.indexOf("Credential=");
        int slash = at < 0 ? -1 : authorization.indexOf('/', at);
        String key = slash < 0 ? null : authorization.substring(at + "Credential=".length(), slash);
        return key != null && key.matches("[A-Z0-9]{16,128}") ? key : null;
    }

    private static String userAgent(Request request) {
        String ua = request.getHeaders().get("User-Agent");
        return ua == null || ua.length() <= MAX_USER_AGENT ? ua : ua.substring(0, MAX_USER_AGENT);
    }

    /** The time the request arrived, as CloudTrail's eventTime is: a client's calls keep their order. */
    private static Instant arrived(Request request) {
        return Instant.ofEpochMilli(Request.getTimeStamp(request));
    }
}
