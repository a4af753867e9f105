package io.wharf.core.spi;

import java.time.Instant;
import java.util.Objects;

/** A held lease on a job: valid while the job's row still names this owner and this expiry. */
public record JobLease(String job, String owner, Instant expiresAt) {
    public JobLease {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
