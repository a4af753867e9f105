package io.wharf.core.error;

/**
 * A chunk does not start where the upload currently ends, or a read range is outside the blob.
 * Carries the current size so the protocol layer can tell the client where to resume.
 */
public final class RangeNotSatisfiableException extends RegistryException {
    private final long currentSize;

    public RangeNotSatisfiableException(String message, long currentSize) {
        super(message, null);
        this.currentSize = currentSize;
    }

    public long currentSize() {
        return currentSize;
    }
}
