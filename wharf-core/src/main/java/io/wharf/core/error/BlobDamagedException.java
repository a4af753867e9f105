package io.wharf.core.error;

/**
 * A blob the metadata records is missing from storage or its bytes are not its digest's. The damaged
 * copy was set aside, so the next push of the same digest stores it afresh.
 */
public final class BlobDamagedException extends RegistryException {
    public BlobDamagedException(String message, String detail) {
        super(message, detail);
    }
}
