package io.wharf.core.lifecycle;

import java.util.Objects;

/**
 * What a rule does. {@code targetStorageClass} is {@link StorageClass#ARCHIVE} for a transition and null for
 * an expiry (the grammar allows the field only with {@code transition}).
 */
public record Action(ActionType type, StorageClass targetStorageClass) {

    public Action {
        Objects.requireNonNull(type, "type");
    }
}
