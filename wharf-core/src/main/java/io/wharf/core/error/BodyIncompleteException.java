package io.wharf.core.error;

/**
 * The client's request body could not be read to its end: its framing was broken, it ended before the
 * length it declared (the client stopped sending or left), or it stalled past the idle timeout.
 * Always the client's failure, never the server's; nothing of it is acknowledged.
 */
public final class BodyIncompleteException extends RegistryException {
    public enum Reason { MALFORMED, ENDED_EARLY, TIMED_OUT }

    private final Reason reason;

    public BodyIncompleteException(Reason reason, String message) {
        super(message, null);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
