package io.wharf.core.error;

/** A finished layer upload does not hash to the digest the client named. */
public final class LayerInvalidException extends RegistryException {
    public LayerInvalidException(String message, String detail) {
        super(message, detail);
    }
}
