package io.wharf.core.spi;

import io.wharf.core.model.RepositoryName;
import java.time.LocalDate;
import java.util.Objects;

/** Pulls and bytes pulled of one repository on one UTC day, to be added to its counters. */
public record PullTally(String account, RepositoryName repository, LocalDate day, long pulls, long bytes) {

    public PullTally {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(day, "day");
    }
}
