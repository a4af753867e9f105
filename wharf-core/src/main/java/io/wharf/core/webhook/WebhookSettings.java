package io.wharf.core.webhook;

import java.time.Duration;

/**
 * The sender's limits ({@code webhooks.*}): per-request {@code timeout}; retries after {@code initialBackoff},
 * doubling up to {@code maxBackoff}, until {@code maxAttempts} (then DEAD); at most {@code concurrency} requests in
 * flight per node and {@code perSubscription} per subscription; DELIVERED rows kept for {@code retention}.
 */
public record WebhookSettings(Duration timeout, Duration initialBackoff, Duration maxBackoff, int maxAttempts,
                              int concurrency, int perSubscription, Duration retention) {
    public static final WebhookSettings DEFAULTS = new WebhookSettings(Duration.ofSeconds(10), Duration.ofSeconds(5),
            Duration.ofMinutes(15), 10, 16, 4, Duration.ofDays(7));

    public WebhookSettings {
        if (!timeout.isPositive() || initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0
                || maxAttempts < 1 || concurrency < 1 || perSubscription < 1 || !retention.isPositive()) {
            throw new IllegalArgumentException("invalid webhook settings " + this);
        }
    }

    /** The wait before attempt {@code attempts + 1}: {@code initialBackoff · 2^(attempts-1)}, at most {@code maxBackoff}. */
    public Duration backoff(int attempts) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 30);
        Duration d = initialBackoff.multipliedBy(1L << doublings);
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
