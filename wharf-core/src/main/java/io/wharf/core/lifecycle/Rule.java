package io.wharf.core.lifecycle;

import java.util.Objects;

/** One rule of a lifecycle policy. A lower {@code priority} is applied first; {@code description} may be null. */
public record Rule(int priority, String description, Selection selection, Action action) {

    public Rule {
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(action, "action");
    }
}
