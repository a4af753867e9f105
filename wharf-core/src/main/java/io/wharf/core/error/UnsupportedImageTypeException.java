package io.wharf.core.error;

/** The image cannot be scanned: not a container image (an SBOM, a signature, a Helm chart, another artifact). */
public final class UnsupportedImageTypeException extends RegistryException {
    public UnsupportedImageTypeException(String message, String detail) {
        super(message, detail);
    }
}
