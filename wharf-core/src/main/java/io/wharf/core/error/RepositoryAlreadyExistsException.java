package io.wharf.core.error;

/** A repository of that name already exists in the account (explicit creation only). */
public final class RepositoryAlreadyExistsException extends RegistryException {
    public RepositoryAlreadyExistsException(String message, String detail) {
        super(message, detail);
    }
}
