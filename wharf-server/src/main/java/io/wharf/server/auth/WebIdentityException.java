package io.wharf.server.auth;

import java.util.Objects;

/** A web identity token (AssumeRoleWithWebIdentity) refused, and why; the STS adapter words it. */
public final class WebIdentityException extends RuntimeException {
    /** Why the token was refused. */
    public enum Kind {
        /** Not a token of a provider the role's account trusts: format, signature, issuer or audience. */
        INVALID_TOKEN,
        /** Past its {@code exp} (or before its {@code nbf}), beyond the allowed skew. */
        EXPIRED,
        /** The provider's signing keys could not be fetched. */
        PROVIDER_UNREACHABLE
    }

    private final Kind kind;

    public WebIdentityException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
