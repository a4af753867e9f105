package io.wharf.core.error;

/** A digest the client asserted for a manifest does not match its bytes. */
public final class DigestMismatchException extends RegistryException {
    public DigestMismatchException(String message, String detail) {
        super(message, detail);
    }
}
