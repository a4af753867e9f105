package io.wharf.core.error;

/** No such repository. */
public final class NameUnknownException extends RegistryException {
    public NameUnknownException(String message, String detail) {
        super(message, detail);
    }
}
