package io.wharf.core.identity;

import java.time.Instant;
import java.util.Objects;

/**
 * A long-term access key: its id, its secret (needed in plain form to compute SigV4 HMACs) and its
 * owner, an IAM user or, when {@code user} is null, the account root.
 */
public record AccessKey(String id, String secret, String account, String user, Status status, Instant createdAt) {

    /** IAM's two states; only an active key authenticates. */
    public enum Status {
        ACTIVE("Active"), INACTIVE("Inactive");

        private final String wire;

        Status(String wire) {
            this.wire = wire;
        }

        /** As IAM writes it: {@code Active}, {@code Inactive}. */
        public String wire() {
            return wire;
        }
    }

    public AccessKey {
        IdentityNames.requireAccessKeyId(id);
        IdentityNames.requireSecret(secret);
        IdentityNames.requireAccount(account);
        if (user != null) {
            IdentityNames.requireUserName(user);
        }
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public boolean isRoot() {
        return user == null;
    }

    /** ARN of the owner: {@code arn:aws:iam::<account>:root} or {@code ...:user/<name>}. */
    public String ownerArn() {
        return user == null ? IdentityNames.rootArn(account) : IdentityNames.userArn(account, user);
    }

    public AccessKey withStatus(Status newStatus) {
        return new AccessKey(id, secret, account, user, newStatus, createdAt);
    }

    /** Never prints the secret: records end up in logs and assertion messages. */
    @Override
    public String toString() {
        return "AccessKey[id=" + id + ", owner=" + ownerArn() + ", status=" + status.wire() + ", createdAt=" + createdAt + "]";
    }
}
