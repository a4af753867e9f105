package io.wharf.core.error;

/** A resource would carry more tags than allowed. */
public final class TooManyTagsException extends RegistryException {
    public TooManyTagsException(String message, String detail) {
        super(message, detail);
    }
}
