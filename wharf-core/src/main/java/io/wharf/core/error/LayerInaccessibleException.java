package io.wharf.core.error;

/** The repository holds the blob, but no image of the repository references it. */
public final class LayerInaccessibleException extends RegistryException {
    public LayerInaccessibleException(String message, String detail) {
        super(message, detail);
    }
}
