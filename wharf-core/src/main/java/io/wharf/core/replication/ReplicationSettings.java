package io.wharf.core.replication;

import java.time.Duration;
import java.util.Objects;

/**
 * How replication runs ({@code replication.*}, docs/replication.md).
 *
 * @param region           this deployment's region: a destination in it is another account here (a local copy)
 * @param maxAttempts      attempts of one image to one destination before it is FAILED
 * @param claimLease       how long a node holds a task it runs before another may take it over
 * @param backoff          the wait after the first failed attempt; doubled after each further one
 * @param maxBackoff       the longest wait between attempts
 * @param parallelism      tasks one node runs at once
 * @param backfillOnNewRule whether adding a rule starts a backfill of the images that existed before it
 */
public record ReplicationSettings(String region, int maxAttempts, Duration claimLease, Duration backoff,
                                  Duration maxBackoff, int parallelism, boolean backfillOnNewRule) {

    public ReplicationSettings {
        Objects.requireNonNull(region, "region");
        if (maxAttempts < 1 || parallelism < 1) {
            throw new IllegalArgumentException("maxAttempts and parallelism must be at least 1");
        }
    }

    public static ReplicationSettings defaults(String region) {
        return new ReplicationSettings(region, 8, Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofMinutes(5), 4, true);
    }

    /** The wait before attempt {@code attempts + 1}: backoff × 2^(attempts − 1), at most maxBackoff. */
    public Duration delayAfter(int attempts) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 30);
        Duration d = backoff.multipliedBy(1L << doublings);
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
