package io.wharf.core.webhook;

import java.time.Duration;

/**
 * The sender's limits ({@code webhooks.*}): per-request {@code timeout}; retries after {@code initialBackoff},
 * doubling up to {@code maxBackoff}, until {@code maxAttempts} (then DEAD); at most {@code concurrency} requests in
 * flight per node and {@code perSubscription} per subscription; DELIVERED rows kept for {@code retention};
 * {@code firstTimeout} (at most {@code timeout}) for the first attempt, made straight from the outbox, so that a
 * slow receiver soon moves to the retried path and holds up the other subscriptions' deliveries only that long.
 */
public record WebhookSettings(Duration timeout, Duration initialBackoff, Duration maxBackoff, int maxAttempts,
                              int concurrency, int perSubscription, Duration retention, Duration firstTimeout) {
    static final long DEFAULT_FIRST_TIMEOUT_SECONDS = 2;
    public static final Duration DEFAULT_FIRST_TIMEOUT = Duration.ofSeconds(DEFAULT_FIRST_TIMEOUT_SECONDS);
    public static final WebhookSettings DEFAULTS = new WebhookSettings(Duration.ofSeconds(10), Duration.ofSeconds(5),
            Duration.ofMinutes(15), 10, 16, 4, Duration.ofDays(7), DEFAULT_FIRST_TIMEOUT);

    public WebhookSettings {
        if (!timeout.isPositive() || initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0
                || maxAttempts < 1 || concurrency < 1 || perSubscription < 1 || !retention.isPositive()
                || !firstTimeout.isPositive() || firstTimeout.compareTo(timeout) > 0) {
            throw new IllegalArgumentException("invalid webhook settings " + this);
        }
    }

    /** With the first attempt's default timeout ({@link #firstTimeout(Duration)}). */
    public WebhookSettings(Duration timeout, Duration initialBackoff, Duration maxBackoff, int maxAttempts,
                           int concurrency, int perSubscription, Duration retention) {
        this(timeout, initialBackoff, maxBackoff, maxAttempts, concurrency, perSubscription, retention, firstTimeout(timeout));
    }

    /** The first attempt's default timeout: {@value #DEFAULT_FIRST_TIMEOUT_SECONDS} s, or {@code timeout} when shorter. */
    public static Duration firstTimeout(Duration timeout) {
        return timeout.compareTo(DEFAULT_FIRST_TIMEOUT) < 0 ? timeout : DEFAULT_FIRST_TIMEOUT;
    }

    /** The wait before attempt {@code attempts + 1}: {@code initialBackoff · 2^(attempts-1)}, at most {@code maxBackoff}. */
    public Duration backoff(int attempts) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 30);
        Duration d = initialBackoff.multipliedBy(1L << doublings);
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
