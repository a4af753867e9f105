package io.wharf.core.error;

/** No manifest under that tag or digest in the repository. */
public final class ManifestUnknownException extends RegistryException {
    public ManifestUnknownException(String message, String detail) {
        super(message, detail);
    }
}
