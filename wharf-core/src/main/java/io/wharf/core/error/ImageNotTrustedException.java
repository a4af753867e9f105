package io.wharf.core.error;

/** A pull refused by the repository's signature policy: the image carries no valid signature by a trusted key. */
public final class ImageNotTrustedException extends RegistryException {
    public ImageNotTrustedException(String message, String detail) {
        super(message, detail);
    }
}
