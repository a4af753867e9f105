package io.wharf.core.iam;

/** The outcome of {@link PolicyEvaluator#evaluate}. Both denials refuse the request; they differ in why. */
public enum Decision {
    ALLOW,
    /** A Deny statement matched; nothing can override it. */
    EXPLICIT_DENY,
    /** No statement allowed the request (the default). */
    IMPLICIT_DENY;

    public boolean allowed() {
        return this == ALLOW;
    }
}
