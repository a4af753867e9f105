package io.wharf.core.error;

/** An index references a child manifest the repository does not hold. */
public final class ReferencedManifestUnknownException extends RegistryException {
    public ReferencedManifestUnknownException(String message, String detail) {
        super(message, detail);
    }
}
