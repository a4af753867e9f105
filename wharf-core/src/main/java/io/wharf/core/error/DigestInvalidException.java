package io.wharf.core.error;

/** A digest is malformed, unsupported, or does not match the content. */
public final class DigestInvalidException extends RegistryException {
    public DigestInvalidException(String message, String detail) {
        super(message, detail);
    }
}
