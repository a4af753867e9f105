package io.wharf.core.model;

import io.wharf.core.error.ParameterInvalidException;
import java.util.List;
import java.util.Objects;

/**
 * A repository's tag mutability: the mode plus, for the {@code _WITH_EXCLUSION} modes, 1–5 filters
 * naming the tags for which the opposite rule applies. Only moving a tag is governed; creating and
 * deleting tags never are.
 */
public record TagMutabilityPolicy(TagMutability mode, List<TagFilter> exclusions) {
    public static final int MAX_EXCLUSIONS = 5;
    public static final TagMutabilityPolicy MUTABLE = new TagMutabilityPolicy(TagMutability.MUTABLE, List.of());

    public TagMutabilityPolicy {
        Objects.requireNonNull(mode, "mode");
        exclusions = exclusions == null ? List.of() : List.copyOf(exclusions);
        if (mode.usesExclusions() && (exclusions.isEmpty() || exclusions.size() > MAX_EXCLUSIONS)) {
            throw new ParameterInvalidException("Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to "
                    + "satisfy constraint: 'between 1 and " + MAX_EXCLUSIONS + " filters are required with " + mode + "'",
                    mode.name());
        }
        if (!mode.usesExclusions() && !exclusions.isEmpty()) {
            throw new ParameterInvalidException("Invalid parameter at 'imageTagMutabilityExclusionFilters': "
                    + "exclusion filters are only allowed with IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION",
                    mode.name());
        }
    }

    /** Whether a push may not move {@code tag} to another manifest. */
    public boolean isImmutable(String tag) {
        boolean excluded = exclusions.stream().anyMatch(f -> f.matches(tag));
        return switch (mode) {
            case MUTABLE -> false;
            case IMMUTABLE -> true;
            case IMMUTABLE_WITH_EXCLUSION -> !excluded;
            case MUTABLE_WITH_EXCLUSION -> excluded;
        };
    }
}
