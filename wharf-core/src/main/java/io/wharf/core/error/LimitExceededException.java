package io.wharf.core.error;

/** A quota (repositories, images, tags per image, parts per upload) would be exceeded. */
public final class LimitExceededException extends RegistryException {
    public LimitExceededException(String message, String detail) {
        super(message, detail);
    }
}
