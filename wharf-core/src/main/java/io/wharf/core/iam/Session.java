package io.wharf.core.iam;

import java.time.Instant;
import java.util.Objects;

/**
 * What temporary credentials (STS) add to a caller: when they were issued and expire, when the caller last proved
 * an MFA code (null: not with these credentials), and the session policy that narrows the caller's permissions
 * (null: none). They become the condition keys {@code aws:TokenIssueTime}, {@code aws:MultiFactorAuthPresent} and
 * {@code aws:MultiFactorAuthAge}.
 */
public record Session(Instant issuedAt, Instant expiresAt, Instant mfaAuthenticatedAt, PolicyDocument policy) {
    public Session {
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean mfa() {
        return mfaAuthenticatedAt != null;
    }
}
