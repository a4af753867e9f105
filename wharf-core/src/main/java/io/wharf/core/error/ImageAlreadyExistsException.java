package io.wharf.core.error;

/** An explicit image put (ECR PutImage) would change nothing: the manifest and tag are already there. */
public final class ImageAlreadyExistsException extends RegistryException {
    public ImageAlreadyExistsException(String message, String detail) {
        super(message, detail);
    }
}
