package io.wharf.core.error;

/** A pull-through cache rule, its secret or its upstream failed; {@link #kind} says which way (each protocol names it). */
public final class PullThroughException extends RegistryException {

    public enum Kind {
        RULE_NOT_FOUND,
        RULE_ALREADY_EXISTS,
        UNSUPPORTED_UPSTREAM,
        SECRET_NOT_FOUND,
        /** The secret exists but cannot be opened or is not {@code {username, accessToken}}. */
        SECRET_UNREADABLE,
        /** The upstream refused the rule's credentials. */
        UPSTREAM_ACCESS_DENIED,
        UPSTREAM_TOO_MANY_REQUESTS,
        /** The upstream is unreachable, timed out, failed, or answered something invalid. */
        UPSTREAM_UNAVAILABLE
    }

    private final Kind kind;

    public PullThroughException(Kind kind, String message, String detail) {
        super(message, detail);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
