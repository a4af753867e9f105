package io.wharf.core.identity;

import java.time.Instant;
import java.util.Objects;

/** An IAM user of one account. Names are unique per account regardless of case, as in IAM. */
public record IamUser(String account, String name, Instant createdAt) {
    public IamUser {
        IdentityNames.requireAccount(account);
        IdentityNames.requireUserName(name);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public String arn() {
        return IdentityNames.userArn(account, name);
    }
}
