package io.wharf.core.error;

/** A body exceeds a configured limit. */
public final class TooLargeException extends RegistryException {
    public TooLargeException(String message, String detail) {
        super(message, detail);
    }
}
