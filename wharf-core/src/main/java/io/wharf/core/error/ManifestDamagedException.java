package io.wharf.core.error;

/** A stored manifest's bytes no longer hash to its digest; pushing the manifest again restores them. */
public final class ManifestDamagedException extends RegistryException {
    public ManifestDamagedException(String message, String detail) {
        super(message, detail);
    }
}
