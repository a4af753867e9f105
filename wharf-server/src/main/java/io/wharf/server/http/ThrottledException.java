package io.wharf.server.http;

/**
 * A request over its account's rate for the operation; each API answers it in its own shape. Thrown on the hot
 * path under load, so it carries no stack trace.
 */
public final class ThrottledException extends RuntimeException {
    private final long retryAfterNanos;

    ThrottledException(String operation, long retryAfterNanos) {
        super("Rate exceeded for " + operation, null, false, false);
        this.retryAfterNanos = retryAfterNanos;
    }

    /** Whole seconds until a token is there again, at least 1 ({@code Retry-After} counts whole seconds). */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfterNanos + 999_999_999L) / 1_000_000_000L);
    }
}
