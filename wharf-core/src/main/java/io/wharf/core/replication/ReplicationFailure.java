package io.wharf.core.replication;

/** An attempt to copy an image failed: {@code retryable} when a later attempt may succeed (unreachable, throttled). */
final class ReplicationFailure extends Exception {
    private final boolean retryable;

    ReplicationFailure(String reason, boolean retryable) {
        super(reason);
        this.retryable = retryable;
    }

    boolean retryable() {
        return retryable;
    }
}
