package io.wharf.core.model;

import java.util.Objects;

/** The settings a repository carries besides its name: what ECR's Repository shape reports. */
public record RepositorySettings(TagMutabilityPolicy tagMutability, boolean scanOnPush, Encryption encryption) {
    public static final RepositorySettings DEFAULTS = new RepositorySettings(TagMutabilityPolicy.MUTABLE, false, Encryption.AES256);

    public RepositorySettings {
        Objects.requireNonNull(tagMutability, "tagMutability");
        Objects.requireNonNull(encryption, "encryption");
    }

    public RepositorySettings withTagMutability(TagMutabilityPolicy policy) {
        return new RepositorySettings(policy, scanOnPush, encryption);
    }

    public RepositorySettings withScanOnPush(boolean scan) {
        return new RepositorySettings(tagMutability, scan, encryption);
    }
}
