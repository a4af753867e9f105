package io.wharf.core.error;

/** A blob is not known to the repository. */
public final class BlobUnknownException extends RegistryException {
    public BlobUnknownException(String message, String detail) {
        super(message, detail);
    }
}
