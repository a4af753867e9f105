package io.wharf.core.error;

/** The manifest is not valid JSON or not a valid manifest of its media type. */
public final class ManifestInvalidException extends RegistryException {
    public ManifestInvalidException(String message, String detail) {
        super(message, detail);
    }
}
