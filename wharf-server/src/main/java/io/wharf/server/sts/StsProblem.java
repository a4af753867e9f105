package io.wharf.server.sts;

import io.wharf.core.identity.IdentityException;
import io.wharf.server.auth.AuthException;
import io.wharf.server.auth.WebIdentityException;

/** An STS error answer: its HTTP status, {@code Code} and {@code Message}; the one mapping for this protocol. */
final class StsProblem extends RuntimeException {
    final int status;
    final String code;

    StsProblem(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /** {@code Sender} for the caller's mistakes, {@code Receiver} for ours. */
    String type() {
        return status < 500 ? "Sender" : "Receiver";
    }

    /** A refused signature or key, in the codes and statuses STS (a query-protocol service) uses. */
    static StsProblem of(AuthException e) {
        return switch (e.kind()) {
            case MISSING -> new StsProblem(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
            case UNRECOGNIZED_CLIENT -> new StsProblem(403, "InvalidClientTokenId", e.getMessage());
            case INVALID_SIGNATURE -> new StsProblem(403, "SignatureDoesNotMatch", e.getMessage());
            case INCOMPLETE_SIGNATURE -> new StsProblem(400, "IncompleteSignature", e.getMessage());
            case EXPIRED_TOKEN -> new StsProblem(403, "ExpiredToken", e.getMessage());
            case ACCESS_DENIED -> new StsProblem(403, "AccessDenied", e.getMessage());
        };
    }

    /** A refused STS call: bad parameters, a malformed or too large session policy, or anything else IAM refuses. */
    static StsProblem of(IdentityException e) {
        return switch (e.kind()) {
            case INVALID_INPUT -> new StsProblem(400, "ValidationError", e.getMessage());
            case MALFORMED_POLICY_DOCUMENT -> new StsProblem(400, "MalformedPolicyDocument", e.getMessage());
            case LIMIT_EXCEEDED -> new StsProblem(400, "PackedPolicyTooLarge", e.getMessage());
            case NO_SUCH_ENTITY, ENTITY_ALREADY_EXISTS -> new StsProblem(403, "AccessDenied", e.getMessage());
        };
    }

    /** A web identity token refused, in STS's codes for AssumeRoleWithWebIdentity. */
    static StsProblem of(WebIdentityException e) {
        return switch (e.kind()) {
            case INVALID_TOKEN -> new StsProblem(400, "InvalidIdentityToken", e.getMessage());
            case EXPIRED -> new StsProblem(400, "ExpiredTokenException", e.getMessage());
            case PROVIDER_UNREACHABLE -> new StsProblem(400, "IDPCommunicationError", e.getMessage());
        };
    }

    static StsProblem missingAction() {
        return new StsProblem(400, "MissingAction", "Missing Action");
    }

    /** STS's answer to an unknown action, or a known one with a missing or other {@code Version}. */
    static StsProblem invalidAction(String action, String version) {
        return new StsProblem(400, "InvalidAction", "Could not find operation " + action + " for version "
                + (version == null ? "NO_VERSION_SPECIFIED" : version));
    }
}
