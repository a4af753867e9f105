package io.wharf.core.error;

/** Content length does not match what was declared. */
public final class SizeInvalidException extends RegistryException {
    public SizeInvalidException(String message, String detail) {
        super(message, detail);
    }
}
