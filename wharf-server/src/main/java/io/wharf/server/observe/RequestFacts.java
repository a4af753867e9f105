package io.wharf.server.observe;

import io.wharf.core.iam.Principal;
import java.util.Map;
import org.eclipse.jetty.server.Request;

/**
 * What a handler learned about one request, for those who look at it after the response completed ({@link
 * RequestObserver}s: metrics, the audit trail, usage counters). Handlers fill it as they go; it lives as a request
 * attribute, so a request no handler claimed has none. Written and read on the request's own thread(s) in turn: the
 * observers run after the handler is done.
 */
public final class RequestFacts {
    private static final String ATTRIBUTE = RequestFacts.class.getName();

    /** Which protocol answered ({@code CONSOLE}: the web console's pages and forms). */
    public enum Api {
        OCI, ECR, WHARF, STS, SECRETS_MANAGER, CLOUDTRAIL, CONSOLE, ECR_PUBLIC
    }

    private final Api api;
    private String action;
    private String operation;
    private Principal principal;
    private String account;
    private String repository;
    private String errorCode;
    private String requestId;
    private Map<String, Object> requestParameters;
    private Map<String, Object> responseElements;

    private RequestFacts(Api api) {
        this.api = api;
    }

    /** Starts the request's facts (a handler that claimed the request calls it first). */
    public static RequestFacts begin(Request request, Api api) {
        RequestFacts facts = new RequestFacts(api);
        request.setAttribute(ATTRIBUTE, facts);
        return facts;
    }

    /** The request's facts, or null when no handler claimed it. */
    public static RequestFacts of(Request request) {
        return (RequestFacts) request.getAttribute(ATTRIBUTE);
    }

    public Api api() {
        return api;
    }

    /**
     * The operation in the protocol's own words: an ECR operation ({@code PutImage}), an OCI route ({@code
     * GetManifest}, {@code PatchUpload}, see the OCI route table), a Wharf API route, STS's {@code GetCallerIdentity}.
     * Null when the request was refused before it was recognised (an unknown route or operation).
     */
    public String operation() {
        return operation;
    }

    public RequestFacts operation(String value) {
        this.operation = value;
        return this;
    }

    /**
     * The IAM action it was authorized as, without the service prefix ({@code BatchGetImage} for a manifest GET, as
     * CloudTrail names ECR's Docker calls); null when none applies (the OCI base route).
     */
    public String action() {
        return action;
    }

    public RequestFacts action(String value) {
        this.action = value;
        return this;
    }

    /** Who called, once authenticated; null for a caller refused before that. */
    public Principal principal() {
        return principal;
    }

    public RequestFacts principal(Principal value) {
        this.principal = value;
        return this;
    }

    /** The account (registry id) whose resources the request addressed; null when not known. */
    public String account() {
        return account;
    }

    public RequestFacts account(String value) {
        this.account = value;
        return this;
    }

    /** The repository the request addressed, by name; null for registry-wide requests. */
    public String repository() {
        return repository;
    }

    public RequestFacts repository(String value) {
        this.repository = value;
        return this;
    }

    /** The protocol's error code of a failed request ({@code MANIFEST_UNKNOWN}, {@code AccessDeniedException}). */
    public String errorCode() {
        return errorCode;
    }

    public RequestFacts errorCode(String value) {
        this.errorCode = value;
        return this;
    }

    /** The id the response carries ({@code x-amzn-RequestId}); null when the protocol has none (OCI). */
    public String requestId() {
        return requestId;
    }

    public RequestFacts requestId(String value) {
        this.requestId = value;
        return this;
    }

    /** The request's parameters as the audit trail records them (secrets left out); null when not collected. */
    public Map<String, Object> requestParameters() {
        return requestParameters;
    }

    public RequestFacts requestParameters(Map<String, Object> value) {
        this.requestParameters = value;
        return this;
    }

    /** What a changing request returned that the audit trail records; null when nothing. */
    public Map<String, Object> responseElements() {
        return responseElements;
    }

    public RequestFacts responseElements(Map<String, Object> value) {
        this.responseElements = value;
        return this;
    }
}
