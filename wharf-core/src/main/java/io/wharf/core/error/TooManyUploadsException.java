package io.wharf.core.error;

/** A caller (or the registry as a whole) already holds the maximum of open upload sessions. */
public final class TooManyUploadsException extends RegistryException {
    public TooManyUploadsException(String message, String detail) {
        super(message, detail);
    }
}
