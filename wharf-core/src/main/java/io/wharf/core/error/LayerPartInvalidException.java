package io.wharf.core.error;

/**
 * A layer part does not continue the upload where it ends (or is larger than allowed). Carries what
 * ECR reports so the client can resume: the upload id and the last byte received so far.
 */
public final class LayerPartInvalidException extends RegistryException {
    private final String uploadId;
    private final long lastValidByteReceived;

    public LayerPartInvalidException(String message, String uploadId, long lastValidByteReceived) {
        super(message, uploadId);
        this.uploadId = uploadId;
        this.lastValidByteReceived = lastValidByteReceived;
    }

    public String uploadId() {
        return uploadId;
    }

    /** Inclusive offset of the last acknowledged byte; -1 when nothing was received. */
    public long lastValidByteReceived() {
        return lastValidByteReceived;
    }
}
