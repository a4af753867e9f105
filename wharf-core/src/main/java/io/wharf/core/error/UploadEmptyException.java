package io.wharf.core.error;

/** A layer upload is completed without any part. */
public final class UploadEmptyException extends RegistryException {
    public UploadEmptyException(String message, String detail) {
        super(message, detail);
    }
}
