package io.wharf.core.error;

/**
 * No document of the asked kind is set (repository policy, registry policy, lifecycle policy, or the result of a
 * lifecycle policy preview).
 */
public final class PolicyNotFoundException extends RegistryException {

    /** Which document is missing: each wire protocol names the absence of each differently. */
    public enum Kind { REPOSITORY_POLICY, REGISTRY_POLICY, LIFECYCLE_POLICY, LIFECYCLE_POLICY_PREVIEW, SIGNATURE_POLICY,
        SIGNING_CONFIGURATION }

    private final Kind kind;

    public PolicyNotFoundException(Kind kind, String message, String detail) {
        super(message, detail);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
