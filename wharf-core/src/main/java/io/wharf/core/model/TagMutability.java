package io.wharf.core.model;

/**
 * Whether pushes may move existing tags. The {@code _WITH_EXCLUSION} modes invert the rule for tags
 * matching one of the repository's exclusion filters (see {@link TagMutabilityPolicy}).
 */
public enum TagMutability {
    MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION;

    public boolean usesExclusions() {
        return this == IMMUTABLE_WITH_EXCLUSION || this == MUTABLE_WITH_EXCLUSION;
    }
}
