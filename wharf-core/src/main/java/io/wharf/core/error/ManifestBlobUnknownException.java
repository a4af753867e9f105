package io.wharf.core.error;

/** A manifest references a blob or child manifest the repository does not hold. */
public final class ManifestBlobUnknownException extends RegistryException {
    public ManifestBlobUnknownException(String message, String detail) {
        super(message, detail);
    }
}
