package io.wharf.server.oci;

/**
 * A protocol-level failure detected by the OCI layer itself (a malformed header or query), as
 * opposed to a domain failure. Rendered by the same mapper as domain exceptions.
 */
final class OciProblem extends RuntimeException {
    final OciError error;
    final String detail;

    OciProblem(OciError error, String message, String detail) {
        super(message);
        this.error = error;
        this.detail = detail;
    }
}
