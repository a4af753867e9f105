package io.wharf.core.error;

/** A tag breaks the tag grammar, or may not be changed. */
public final class TagInvalidException extends RegistryException {
    public TagInvalidException(String message, String detail) {
        super(message, detail);
    }
}
