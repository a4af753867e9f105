package io.wharf.core.error;

/** The upload cannot continue as asked (bad or missing body for the step, wrong state). */
public final class BlobUploadInvalidException extends RegistryException {
    public BlobUploadInvalidException(String message, String detail) {
        super(message, detail);
    }
}
