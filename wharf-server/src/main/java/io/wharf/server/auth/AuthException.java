package io.wharf.server.auth;

import java.util.Objects;

/** A request that is not authenticated or not authorized, with the AWS error it maps to. */
public final class AuthException extends RuntimeException {
    /** Why the request was refused. */
    public enum Kind {
        MISSING("MissingAuthenticationTokenException", 403),
        UNRECOGNIZED_CLIENT("UnrecognizedClientException", 400),
        INVALID_SIGNATURE("InvalidSignatureException", 400),
        INCOMPLETE_SIGNATURE("IncompleteSignatureException", 400),
        EXPIRED_TOKEN("ExpiredTokenException", 400),
        ACCESS_DENIED("AccessDeniedException", 400);

        private final String awsType;
        private final int httpStatus;

        Kind(String awsType, int httpStatus) {
            this.awsType = awsType;
            this.httpStatus = httpStatus;
        }
    }

    private final Kind kind;

    public AuthException(Kind kind, String message) {
        super(message, null, false, false); // refusals are routine: no stack trace to fill
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }

    /** The ECR {@code __type}, e.g. "UnrecognizedClientException". */
    public String awsType() {
        return kind.awsType;
    }

    /** The HTTP status AWS answers this refusal with on the JSON API. */
    public int httpStatus() {
        return kind.httpStatus;
    }

    /** The standard message for an authorization refusal. */
    public static AuthException accessDenied(String principalArn, String action, String resourceArn) {
        return new AuthException(Kind.ACCESS_DENIED, "User: " + principalArn + " is not authorized to perform: "
                + action + " on resource: " + resourceArn);
    }
}
