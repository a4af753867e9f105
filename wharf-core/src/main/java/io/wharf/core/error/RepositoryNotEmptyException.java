package io.wharf.core.error;

/** A repository still holds images and may only be deleted with force. */
public final class RepositoryNotEmptyException extends RegistryException {
    public RepositoryNotEmptyException(String message, String detail) {
        super(message, detail);
    }
}
