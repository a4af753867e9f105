package io.wharf.core.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An IAM role of one account: who may assume it (its trust policy, a resource policy on the role, kept as put) and
 * the longest session it grants. Names are unique per account regardless of case, as in IAM.
 */
public record IamRole(String account, String name, String trustPolicy, Duration maxSessionDuration, Instant createdAt) {
    /** IAM's default and bounds for a role's MaxSessionDuration. */
    public static final Duration DEFAULT_MAX_SESSION = Duration.ofHours(1);
    public static final Duration MIN_SESSION = Duration.ofMinutes(15);
    public static final Duration MAX_SESSION = Duration.ofHours(12);

    public IamRole {
        IdentityNames.requireAccount(account);
        IdentityNames.requireRoleName(name);
        Objects.requireNonNull(trustPolicy, "trustPolicy");
        Objects.requireNonNull(maxSessionDuration, "maxSessionDuration");
        Objects.requireNonNull(createdAt, "createdAt");
        if (maxSessionDuration.compareTo(DEFAULT_MAX_SESSION) < 0 || maxSessionDuration.compareTo(MAX_SESSION) > 0) {
            throw new IdentityException(IdentityException.Kind.INVALID_INPUT,
                    "MaxSessionDuration must be between 3600 and 43200 seconds, not " + maxSessionDuration.toSeconds());
        }
    }

    public String arn() {
        return IdentityNames.roleArn(account, name);
    }
}
