package io.wharf.core.error;

/** A push would move a tag that the repository's tag mutability makes immutable. */
public final class ImageTagImmutableException extends RegistryException {
    public ImageTagImmutableException(String message, String detail) {
        super(message, detail);
    }
}
