package io.wharf.core.error;

/** The operation or media type is not supported. */
public final class UnsupportedException extends RegistryException {
    public UnsupportedException(String message, String detail) {
        super(message, detail);
    }
}
