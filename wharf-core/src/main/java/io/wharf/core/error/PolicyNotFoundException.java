package io.wharf.core.error;

/** No document of the asked kind is set (repository policy, registry policy, lifecycle policy). */
public final class PolicyNotFoundException extends RegistryException {

    /** Which document is missing: each wire protocol names the absence of each differently. */
    public enum Kind { REPOSITORY_POLICY, REGISTRY_POLICY, LIFECYCLE_POLICY }

    private final Kind kind;

    public PolicyNotFoundException(Kind kind, String message, String detail) {
        super(message, detail);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
