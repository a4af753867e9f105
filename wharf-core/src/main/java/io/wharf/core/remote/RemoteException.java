package io.wharf.core.remote;

/** A remote registry could not be used; {@link #kind} says why in terms callers act on (retry, report). */
public final class RemoteException extends Exception {

    public enum Kind {
        /** Credentials refused or missing (401/403). Not retried until the configuration changes. */
        ACCESS_DENIED,
        /** The repository, manifest or blob does not exist there (404). */
        NOT_FOUND,
        /** Rate-limited (429). Retry later. */
        TOO_MANY_REQUESTS,
        /** Not reachable, timed out, or a 5xx. Retry later. */
        UNAVAILABLE,
        /** It answered something that is not what was asked (wrong digest, malformed, too large, other 4xx). */
        INVALID
    }

    private final Kind kind;

    public RemoteException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public RemoteException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
