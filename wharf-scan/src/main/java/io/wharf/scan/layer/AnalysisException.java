package io.wharf.scan.layer;

/** An image that cannot be analysed; the reason decides the scan status the caller reports. */
public final class AnalysisException extends Exception {

    public enum Reason {
        /** Beyond a configured limit (image, layer or file size); the message names the limit. */
        TOO_LARGE,
        /** A layer is not a tar in a known compression, or its bytes are damaged. */
        UNREADABLE
    }

    private final Reason reason;

    public AnalysisException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public AnalysisException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
