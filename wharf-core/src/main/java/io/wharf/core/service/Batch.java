package io.wharf.core.service;

import java.util.List;

/** The outcome of a batch operation: what succeeded and what failed, each in request order. */
public record Batch<T>(List<T> done, List<ImageFailure> failures) {
    public Batch {
        done = List.copyOf(done);
        failures = List.copyOf(failures);
    }
}
