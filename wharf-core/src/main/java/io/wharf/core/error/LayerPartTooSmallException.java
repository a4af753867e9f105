package io.wharf.core.error;

/** A part of a multi-part layer upload other than the last is below the minimum part size. */
public final class LayerPartTooSmallException extends RegistryException {
    public LayerPartTooSmallException(String message, String detail) {
        super(message, detail);
    }
}
