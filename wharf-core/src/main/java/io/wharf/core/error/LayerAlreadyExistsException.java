package io.wharf.core.error;

/** A layer upload would complete a blob the repository already holds. */
public final class LayerAlreadyExistsException extends RegistryException {
    public LayerAlreadyExistsException(String message, String detail) {
        super(message, detail);
    }
}
