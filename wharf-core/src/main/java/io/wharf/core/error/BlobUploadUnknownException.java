package io.wharf.core.error;

/** No such upload session in the repository (never existed, finished, cancelled or expired). */
public final class BlobUploadUnknownException extends RegistryException {
    public BlobUploadUnknownException(String message, String detail) {
        super(message, detail);
    }
}
