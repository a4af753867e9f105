package io.wharf.core.error;

/** The image has not been scanned (ECR ScanNotFoundException). */
public final class ScanNotFoundException extends RegistryException {
    public ScanNotFoundException(String message, String detail) {
        super(message, detail);
    }
}
