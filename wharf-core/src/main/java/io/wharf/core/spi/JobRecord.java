package io.wharf.core.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the database holds about a job. Nullable: {@code owner} and {@code leaseExpiresAt} (idle), the last
 * run's fields (never ran), {@code nextDueAt} (never scheduled), {@code runRequestedAt} (no pending request).
 *
 * @param counters the running or last run's progress counters, by name
 */
public record JobRecord(String name, Duration interval, String owner, Instant leaseExpiresAt, Instant lastStartedAt,
                        Instant lastEndedAt, Outcome lastOutcome, String lastMessage, Map<String, Long> counters,
                        Instant nextDueAt, Instant runRequestedAt) {

    /** How a run ended. */
    public enum Outcome {
        OK, FAILED, CANCELLED
    }

    public JobRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(interval, "interval");
        counters = Map.copyOf(counters);
    }

    /** Whether a run holds the lease (which may have expired if its owner died: see {@link #leaseExpiresAt}). */
    public boolean running() {
        return owner != null;
    }

    /** How every backend records a run whose lease {@link JobLeases#breakJobLeases} broke. */
    public static String brokenLeaseMessage(String owner) {
        return "interrupted: its runner " + owner + " stopped without ending it";
    }
}
